import { Injectable } from '@nestjs/common';
import { can } from '../common/access/access-policy';
import { EntityManager, In } from 'typeorm';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { FamiliesService } from '../families/families.service';
import { FamilyLinksService } from '../residents/family-links.service';
import { ResidentDetail, ResidentsService } from '../residents/residents.service';
import { StaffService } from '../staff/staff.service';
import { isCurrent } from './plan-access';
import { ActivityPlan } from './entities/activity-plan.entity';
import { PlanGoal } from './entities/plan-goal.entity';

/** Someone a plan review may name as having taken part. */
export interface ReviewParticipants {
  family: { id: string; name: string; relationship: string; relationshipKey: string | null }[];
  staff: { id: string; name: string; jobRoleKey: string }[];
}

/** What the plan pages and the plan writes both start from: the resident as staff see them, a plan, its goals, who may take part in a review. */
@Injectable()
export class PlanRecords {
  constructor(
    private readonly residents: ResidentsService,
    private readonly familyLinks: FamilyLinksService,
    private readonly families: FamiliesService,
    private readonly staff: StaffService,
  ) {}

  /** The resident as staff see them; other readers, and writers without the role, get 404. */
  async staffResident(user: SessionUser, residentId: string, write: boolean): Promise<ResidentDetail> {
    if (!can(user, 'readPlans') || (write && !can(user, 'editPlans'))) throw new NotFoundError();
    const resident = await this.residents.get(user, residentId);
    if (resident.lens !== 'staff') throw new NotFoundError();
    if (write && !isCurrent(resident)) throw new ValidationError({}, { key: 'plans.residentNotCurrent' });
    return resident;
  }

  async findPlan(m: EntityManager, resident: Pick<ResidentDetail, 'id' | 'homeId'>, planId: string): Promise<ActivityPlan> {
    const plan = await m.findOneBy(ActivityPlan, { id: planId, residentId: resident.id, homeId: resident.homeId });
    if (!plan) throw new NotFoundError();
    return plan;
  }

  /** The goals of several plans in one query, in their order on the plan. */
  async goalsOf(m: EntityManager, planIds: string[]): Promise<Map<string, PlanGoal[]>> {
    const byPlan = new Map<string, PlanGoal[]>();
    if (planIds.length === 0) return byPlan;
    const goals = await m.find(PlanGoal, { where: { planId: In(planIds) }, order: { position: 'ASC' } });
    for (const goal of goals) byPlan.set(goal.planId, [...(byPlan.get(goal.planId) ?? []), goal]);
    return byPlan;
  }

  /** Who a review may name: relatives with an active link to the resident, and the home's active staff. */
  async participantOptions(resident: Pick<ResidentDetail, 'id' | 'homeId'>): Promise<ReviewParticipants> {
    const links = await this.familyLinks.activeLinksOfResident(resident.id, resident.homeId);
    const members = await this.families.briefsByIds(links.map((l) => l.familyMemberId));
    const family = members
      .filter((f) => f.homeId === resident.homeId && f.archivedAt === null)
      .map((f) => {
        const link = links.find((l) => l.familyMemberId === f.id);
        return { id: f.id, name: `${f.firstName} ${f.lastName}`, relationship: link?.relationship ?? '', relationshipKey: link?.relationshipKey ?? null };
      })
      .sort((a, b) => a.name.localeCompare(b.name, 'it'));
    const staff = (await this.staff.activeOf([resident.homeId])).map((s) => ({ id: s.id, name: `${s.firstName} ${s.lastName}`, jobRoleKey: `staff.jobRoles.${s.jobRole}` }));
    return { family, staff };
  }
}
