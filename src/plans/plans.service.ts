import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { Activity } from '../activities/entities/activity.entity';
import { ActivityType } from '../activities/entities/activity-type.entity';
import { ActivityCategory, ATTENDED } from '../activities/activities.enums';
import { Participation } from '../activities/entities/participation.entity';
import { AuditService, diffFields } from '../audit/audit.service';
import type { SessionUser } from '../common/access/session-user';
import { ConflictError, FieldErrors, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { isIsoDate, todayIn } from '../common/time/zoned';
import { ContributionsService, SourcedContribution } from '../contributions/contributions.service';
import { lockRow } from '../database/row-lock';
import { UnitOfWork } from '../database/unit-of-work';
import { isUniqueViolation } from '../database/unique-violation';
import { FamilyMember } from '../families/entities/family-member.entity';
import { HomesService } from '../homes/homes.service';
import { isRelationship } from '../residents/dto/family-link.dto';
import { FamilyLink } from '../residents/entities/family-link.entity';
import { Resident } from '../residents/entities/resident.entity';
import { residentDisplayName } from '../residents/family-links.service';
import { ResidentDetail, ResidentsService } from '../residents/residents.service';
import { StaffMember } from '../staff/entities/staff-member.entity';
import { AgreePlanDto, MAX_GOALS, PlanDto, PlanReviewDto } from './dto/plan.dto';
import { ActivityPlan } from './entities/activity-plan.entity';
import { PlanStatus, GoalStatus } from './plans.enums';
import { GoalAttainment } from './entities/goal-attainment.entity';
import { PlanGoal } from './entities/plan-goal.entity';
import { PlanReview } from './entities/plan-review.entity';
import {
  addMonths, attendedForGoal, daysBetween, gasLabelKey, GAS_SCORES, GoalInput, goalRowsFromBody, goalRowsFromGoals, GoalRowView,
  goalRowViews, idsFromBody, parseGoalRows, parseScores, REVIEW_INTERVAL_MONTHS, scoresFromBody, signedScore,
} from './plan-form';

/** Who may write plans, and who may read them on the staff pages (SPEC 1). */
export const PLAN_EDITORS = ['admin', 'manager', 'coordinator'] as const;
export const PLAN_READERS = [...PLAN_EDITORS, 'carer'] as const;
/** Who answers for overdue reviews. */
export const PLAN_OVERSEERS = PLAN_EDITORS;

const CURRENT_STATUSES = ['active', 'on_leave'];
const PLAN_FIELDS = ['version', 'status', 'whatMattersToMe', 'agreedOn', 'nextReviewOn'] as const;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface GoalView {
  id: string;
  description: string;
  categories: ActivityCategory[];
  typeNames: string[];
  targetPerWeek: number;
  status: GoalStatus;
  attendedThisWeek: number;
  metTarget: boolean;
}

export interface PlanView {
  id: string;
  version: number;
  status: PlanStatus;
  whatMattersToMe: string | null;
  agreedOn: string | null;
  nextReviewOn: string | null;
  overdue: boolean;
  goals: GoalView[];
}

export interface ReviewView {
  id: string;
  planId: string;
  version: number;
  reviewedOn: string;
  residentTookPart: boolean;
  family: string[];
  staff: string[];
  notes: string | null;
  scores: { goal: string; score: number; signed: string; labelKey: string }[];
}

export interface PlanResidentView {
  id: string;
  fullName: string;
  displayName: string;
  isCurrent: boolean;
}

export interface ResidentPlansView {
  resident: PlanResidentView;
  canEdit: boolean;
  current: PlanView | null;
  draft: PlanView | null;
  versions: { id: string; version: number; status: PlanStatus; agreedOn: string | null; nextReviewOn: string | null; isCurrent: boolean }[];
  reviews: ReviewView[];
  today: string;
}

export interface PlanVersionView {
  resident: PlanResidentView;
  plan: PlanView;
  reviews: ReviewView[];
}

export interface PlanFormView {
  resident: PlanResidentView;
  /** The draft being edited; absent for a new draft. */
  planId: string | null;
  /** A draft that already exists when a new one is asked for: it is continued, not duplicated. */
  existingDraftId: string | null;
  basedOnVersion: number | null;
  /** False when a draft exists and nothing was typed yet: the page points to that draft instead. */
  showForm: boolean;
  values: { whatMattersToMe: string };
  goalRows: GoalRowView[];
  maxGoals: number;
}

export interface ReviewFormView {
  resident: PlanResidentView;
  plan: { id: string; version: number; agreedOn: string | null; nextReviewOn: string | null };
  goals: { id: string; description: string; targetPerWeek: number; attendedThisWeek: number; options: { value: string; signed: string; labelKey: string; selected: boolean }[] }[];
  family: { id: string; name: string; relationshipKey: string | null; relationship: string; checked: boolean }[];
  staff: { id: string; name: string; jobRoleKey: string; checked: boolean }[];
  values: Record<string, unknown>;
  defaultNextReviewMonths: number;
}

export interface OverdueView {
  overdue: { residentId: string; name: string; unitName: string | null; agreedOn: string | null; nextReviewOn: string; daysOverdue: number }[];
  withoutPlan: { residentId: string; name: string; unitName: string | null; hasDraft: boolean }[];
}

export interface FamilyPlanGoal {
  description: string;
  targetPerWeek: number;
  attendedThisWeek: number;
  categories: ActivityCategory[];
}

/** The plan as a relative with full family-portal consent sees it. */
export interface FamilyPlanFull {
  detail: 'full';
  agreedOn: string;
  nextReviewOn: string | null;
  whatMattersToMe: string | null;
  goals: FamilyPlanGoal[];
  lastReview: { reviewedOn: string; scores: { goal: string; score: number }[] } | null;
}

/** With summary consent: that there is a plan, when, and what its goals are; no detail. */
export interface FamilyPlanSummary {
  detail: 'summary';
  agreedOn: string;
  nextReviewOn: string | null;
  goals: { description: string }[];
}

export type FamilyPlanView = FamilyPlanFull | FamilyPlanSummary;

/**
 * Residents' activity plans: versions (draft -> agreed; agreeing archives the earlier agreed one),
 * goals with weekly targets counted against attended activities, and reviews whose participants
 * become co_design contributions (SPEC 2, 3).
 */
@Injectable()
export class PlansService {
  constructor(
    @InjectRepository(ActivityPlan) private readonly plans: Repository<ActivityPlan>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly residents: ResidentsService,
    private readonly homes: HomesService,
    private readonly contributions: ContributionsService,
  ) {}

  // ---- Pages -------------------------------------------------------------------------------

  async residentPlans(user: SessionUser, residentId: string): Promise<ResidentPlansView> {
    const resident = await this.staffResident(user, residentId, false);
    const m = this.plans.manager;
    const today = todayIn(await this.homes.timezoneOf(resident.homeId));
    const plans = await m.find(ActivityPlan, { where: { residentId, homeId: resident.homeId }, order: { version: 'DESC' } });
    const goals = await this.goalsOf(m, plans.map((p) => p.id));
    const attended = await this.attendedLastWeek(m, residentId);
    const types = await this.typeNames(m, resident.homeId);
    const view = (plan: ActivityPlan | undefined) => (plan ? this.planView(plan, goals.get(plan.id) ?? [], attended, types, today) : null);
    return {
      resident: residentHead(resident),
      canEdit: canEdit(user) && isCurrent(resident),
      current: view(plans.find((p) => p.status === 'agreed')),
      draft: view(plans.find((p) => p.status === 'draft')),
      versions: plans.map((p) => ({ id: p.id, version: p.version, status: p.status, agreedOn: p.agreedOn, nextReviewOn: p.nextReviewOn, isCurrent: p.status === 'agreed' })),
      reviews: await this.reviewViews(m, plans, goals),
      today,
    };
  }

  async planVersion(user: SessionUser, residentId: string, planId: string): Promise<PlanVersionView> {
    const resident = await this.staffResident(user, residentId, false);
    const m = this.plans.manager;
    const plan = await this.findPlan(m, resident, planId);
    const today = todayIn(await this.homes.timezoneOf(resident.homeId));
    const goals = await this.goalsOf(m, [plan.id]);
    const attended = plan.status === 'archived' ? [] : await this.attendedLastWeek(m, residentId);
    return {
      resident: residentHead(resident),
      plan: this.planView(plan, goals.get(plan.id) ?? [], attended, await this.typeNames(m, resident.homeId), today),
      reviews: await this.reviewViews(m, [plan], goals),
    };
  }

  /**
   * The form for a new draft: a new version starts from the agreed plan's "what matters to me" and
   * goals (dropped goals left out). `body` is a rejected submission to show again.
   */
  async newPlanForm(user: SessionUser, residentId: string, body?: unknown): Promise<PlanFormView> {
    const resident = await this.staffResident(user, residentId, true);
    const m = this.plans.manager;
    const draft = await m.findOneBy(ActivityPlan, { residentId, status: 'draft' });
    const agreed = await m.findOneBy(ActivityPlan, { residentId, status: 'agreed' });
    const goals = agreed ? ((await this.goalsOf(m, [agreed.id])).get(agreed.id) ?? []).filter((g) => g.status !== 'dropped') : [];
    const sources = body ? goalRowsFromBody(body) : goalRowsFromGoals(goals);
    return {
      resident: residentHead(resident),
      planId: null,
      existingDraftId: draft?.id ?? null,
      basedOnVersion: agreed?.version ?? null,
      showForm: !draft || body !== undefined,
      values: { whatMattersToMe: agreed?.whatMattersToMe ?? '' },
      goalRows: goalRowViews(sources, await this.typeOptions(m, resident.homeId, sources.flatMap((s) => s.typeIds)), MAX_GOALS),
      maxGoals: MAX_GOALS,
    };
  }

  async editPlanForm(user: SessionUser, residentId: string, planId: string, body?: unknown): Promise<PlanFormView> {
    const resident = await this.staffResident(user, residentId, true);
    const m = this.plans.manager;
    const plan = await this.findPlan(m, resident, planId);
    assertDraft(plan);
    const sources = body ? goalRowsFromBody(body) : goalRowsFromGoals((await this.goalsOf(m, [plan.id])).get(plan.id) ?? []);
    return {
      resident: residentHead(resident),
      planId: plan.id,
      existingDraftId: null,
      basedOnVersion: null,
      showForm: true,
      values: { whatMattersToMe: plan.whatMattersToMe ?? '' },
      goalRows: goalRowViews(sources, await this.typeOptions(m, resident.homeId, sources.flatMap((s) => s.typeIds)), MAX_GOALS),
      maxGoals: MAX_GOALS,
    };
  }

  async reviewForm(user: SessionUser, residentId: string, planId: string, body?: unknown): Promise<ReviewFormView> {
    const resident = await this.staffResident(user, residentId, true);
    const m = this.plans.manager;
    const plan = await this.findPlan(m, resident, planId);
    assertAgreed(plan);
    const goals = ((await this.goalsOf(m, [plan.id])).get(plan.id) ?? []).filter((g) => g.status === 'active');
    const attended = await this.attendedLastWeek(m, residentId);
    const { family, staff } = await this.participantOptions(m, resident);
    const today = todayIn(await this.homes.timezoneOf(resident.homeId));
    const chosenScores = body ? scoresFromBody(body) : new Map<string, string>();
    const chosenFamily = new Set(body ? idsFromBody(body, 'familyMemberIds') : []);
    // A new review ticks the signed-in staff member, who is most likely the one recording it.
    const chosenStaff = new Set(body ? idsFromBody(body, 'staffMemberIds') : user.personKind === 'staff' && user.personId ? [user.personId] : []);
    const residentTookPart = body ? ['on', 'true', '1'].includes(String((body as Record<string, unknown>).residentTookPart)) : true;
    return {
      resident: residentHead(resident),
      plan: { id: plan.id, version: plan.version, agreedOn: plan.agreedOn, nextReviewOn: plan.nextReviewOn },
      goals: goals.map((g) => ({
        id: g.id,
        description: g.description,
        targetPerWeek: g.targetPerWeek,
        attendedThisWeek: attendedForGoal(g, attended),
        options: GAS_SCORES.map((score) => ({ value: `${g.id}:${score}`, signed: signedScore(score), labelKey: gasLabelKey(score), selected: chosenScores.get(g.id) === String(score) })),
      })),
      family: family.map((f) => ({ ...f, checked: chosenFamily.has(f.id) })),
      staff: staff.map((s) => ({ ...s, checked: chosenStaff.has(s.id) })),
      values: { reviewedOn: today, minutes: '0', nextReviewOn: '', notes: '', residentTookPart },
      defaultNextReviewMonths: REVIEW_INTERVAL_MONTHS,
    };
  }

  /** Residents living in the user's homes whose agreed plan is past its review date, and those with no agreed plan. */
  async overdue(user: SessionUser): Promise<OverdueView> {
    if (!isOverseer(user) || user.homeIds.length === 0) return { overdue: [], withoutPlan: [] };
    const m = this.plans.manager;
    const residents = await m.find(Resident, {
      where: { homeId: In(user.homeIds), status: In(CURRENT_STATUSES) },
      order: { lastName: 'ASC', firstName: 'ASC' },
    });
    const plans = residents.length === 0 ? [] : await m.find(ActivityPlan, { where: { homeId: In(user.homeIds), status: In(['agreed', 'draft']) } });
    const agreed = new Map(plans.filter((p) => p.status === 'agreed').map((p) => [p.residentId, p]));
    const drafted = new Set(plans.filter((p) => p.status === 'draft').map((p) => p.residentId));
    const units = await this.homes.unitNames(user.homeIds);
    const todays = new Map<string, string>();
    for (const homeId of new Set(residents.map((r) => r.homeId))) todays.set(homeId, todayIn(await this.homes.timezoneOf(homeId)));
    const view: OverdueView = { overdue: [], withoutPlan: [] };
    for (const resident of residents) {
      const base = { residentId: resident.id, name: residentDisplayName(resident), unitName: resident.unitId ? (units.get(resident.unitId) ?? null) : null };
      const plan = agreed.get(resident.id);
      const today = todays.get(resident.homeId)!;
      if (!plan) view.withoutPlan.push({ ...base, hasDraft: drafted.has(resident.id) });
      else if (plan.nextReviewOn && plan.nextReviewOn < today) {
        view.overdue.push({ ...base, agreedOn: plan.agreedOn, nextReviewOn: plan.nextReviewOn, daysOverdue: daysBetween(plan.nextReviewOn, today) });
      }
    }
    view.overdue.sort((a, b) => a.nextReviewOn.localeCompare(b.nextReviewOn) || a.name.localeCompare(b.name, 'it'));
    return view;
  }

  /**
   * How many residents the overdue page lists (a review past due, or no agreed plan), for the planner
   * dashboard. 0 for roles that do not answer for plan reviews.
   */
  async overdueCount(user: SessionUser): Promise<number> {
    const { overdue, withoutPlan } = await this.overdue(user);
    return overdue.length + withoutPlan.length;
  }

  /**
   * The agreed plan as the family portal shows it, by the resident's family-portal consent: in full,
   * or a summary (goals named only). Null when there is no agreed plan. A resident this user may not
   * see, or whose plan they may not read (volunteers), is not found.
   */
  async familyPlan(user: SessionUser, residentId: string): Promise<FamilyPlanView | null> {
    const resident = await this.residents.get(user, residentId);
    if (resident.lens === 'volunteer') throw new NotFoundError();
    const m = this.plans.manager;
    const plan = await m.findOneBy(ActivityPlan, { residentId, homeId: resident.homeId, status: 'agreed' });
    if (!plan?.agreedOn) return null;
    const goals = ((await this.goalsOf(m, [plan.id])).get(plan.id) ?? []).filter((g) => g.status === 'active');
    if (resident.lens === 'family_summary') {
      return { detail: 'summary', agreedOn: plan.agreedOn, nextReviewOn: plan.nextReviewOn, goals: goals.map((g) => ({ description: g.description })) };
    }
    const attended = await this.attendedLastWeek(m, residentId);
    return {
      detail: 'full',
      agreedOn: plan.agreedOn,
      nextReviewOn: plan.nextReviewOn,
      whatMattersToMe: plan.whatMattersToMe,
      goals: goals.map((g) => ({ description: g.description, targetPerWeek: g.targetPerWeek, attendedThisWeek: attendedForGoal(g, attended), categories: [...g.categories] })),
      lastReview: await this.lastReview(m, residentId, resident.homeId),
    };
  }

  // ---- Writes ------------------------------------------------------------------------------

  /** A new draft: the first plan, or the next version of an agreed one. One draft at a time. */
  async createDraft(user: SessionUser, residentId: string, input: PlanDto): Promise<{ id: string; version: number }> {
    const resident = await this.staffResident(user, residentId, true);
    const goals = parseGoalRows(input, await this.homeTypeIds(resident.homeId));
    try {
      return await this.unitOfWork.transaction(async (m) => {
        // Two drafts sent at once take turns on the resident's row: the second finds the first.
        await lockRow(m, 'resident', residentId);
        if (await m.existsBy(ActivityPlan, { residentId, status: 'draft' })) throw new ConflictError({ key: 'plans.draftExists' });
        const last = await m.createQueryBuilder(ActivityPlan, 'p').select('MAX(p.version)', 'version').where('p.residentId = :residentId', { residentId }).getRawOne<{ version: number | string | null }>();
        const plan = m.create(ActivityPlan, {
          homeId: resident.homeId, residentId, version: Number(last?.version ?? 0) + 1, status: 'draft',
          whatMattersToMe: input.whatMattersToMe ?? null, agreedOn: null, nextReviewOn: null, createdBy: user.id,
        });
        await m.insert(ActivityPlan, plan);
        await this.insertGoals(m, plan, goals);
        await this.audit.record(m, {
          action: 'create', userId: user.id, role: user.role, entityType: 'activity_plan', entityId: plan.id, homeId: plan.homeId,
          changes: { ...diffFields({}, plan, PLAN_FIELDS), goals: { old: null, new: goals.map(goalSummary) } },
        });
        return { id: plan.id, version: plan.version };
      });
    } catch (error) {
      // Two drafts started at once on PostgreSQL: the second takes the same version number and loses.
      if (isUniqueViolation(error)) throw new ConflictError({ key: 'plans.draftExists' });
      throw error;
    }
  }

  /** Changes a draft; an agreed plan changes only by a new version. */
  async updateDraft(user: SessionUser, residentId: string, planId: string, input: PlanDto): Promise<void> {
    const resident = await this.staffResident(user, residentId, true);
    const goals = parseGoalRows(input, await this.homeTypeIds(resident.homeId));
    await this.unitOfWork.transaction(async (m) => {
      const plan = await this.findPlan(m, resident, planId);
      assertDraft(plan);
      const before = ((await this.goalsOf(m, [plan.id])).get(plan.id) ?? []).map(goalSummary);
      const after = goals.map(goalSummary);
      const changes = {
        ...diffFields(plan, { whatMattersToMe: input.whatMattersToMe ?? null }, ['whatMattersToMe']),
        ...(JSON.stringify(before) === JSON.stringify(after) ? {} : { goals: { old: before, new: after } }),
      };
      if (Object.keys(changes).length === 0) return;
      // Conditional, so an agreement that won the race is not edited behind its back.
      const updated = await m.createQueryBuilder().update(ActivityPlan)
        .set({ whatMattersToMe: input.whatMattersToMe ?? null })
        .where('id = :id AND status = :draft', { id: plan.id, draft: 'draft' })
        .execute();
      if (!updated.affected) throw new ConflictError({ key: 'plans.onlyDraftEditable' });
      if (changes.goals) {
        await m.delete(PlanGoal, { planId: plan.id });
        await this.insertGoals(m, plan, goals);
      }
      await this.audit.record(m, { action: 'update', userId: user.id, role: user.role, entityType: 'activity_plan', entityId: plan.id, homeId: plan.homeId, changes });
    });
  }

  /** Agrees a draft; the plan agreed before it is archived and stays readable as an earlier version. */
  async agree(user: SessionUser, residentId: string, planId: string, input: AgreePlanDto): Promise<void> {
    const resident = await this.staffResident(user, residentId, true);
    const today = todayIn(await this.homes.timezoneOf(resident.homeId));
    const agreedOn = input.agreedOn ?? today;
    const nextReviewOn = input.nextReviewOn ?? (isIsoDate(agreedOn) ? addMonths(agreedOn, REVIEW_INTERVAL_MONTHS) : agreedOn);
    const errors: FieldErrors = {};
    if (!isIsoDate(agreedOn)) errors.agreedOn = { key: 'validation.isDateString' };
    else if (agreedOn > today) errors.agreedOn = { key: 'plans.agreedInFuture' };
    else if (resident.admittedOn && agreedOn < resident.admittedOn) errors.agreedOn = { key: 'plans.agreedBeforeAdmission' };
    if (!isIsoDate(nextReviewOn)) errors.nextReviewOn = { key: 'validation.isDateString' };
    else if (!errors.agreedOn && nextReviewOn <= agreedOn) errors.nextReviewOn = { key: 'plans.reviewNotAfterAgreement' };
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);

    await this.unitOfWork.transaction(async (m) => {
      const plan = await this.findPlan(m, resident, planId);
      if (plan.status !== 'draft') throw new ConflictError({ key: 'plans.alreadyAgreed' });
      const goals = (await this.goalsOf(m, [plan.id])).get(plan.id) ?? [];
      if (!goals.some((g) => g.status === 'active')) throw new ValidationError({}, { key: 'plans.needsGoal' });
      const previous = await m.findOneBy(ActivityPlan, { residentId, status: 'agreed' });
      if (previous?.agreedOn && agreedOn < previous.agreedOn) {
        throw new ValidationError({ agreedOn: { key: 'plans.agreedBeforePrevious', params: { date: previous.agreedOn } } });
      }
      // Conditional: of two agreements sent at once, one wins and the other is told.
      const agreed = await m.createQueryBuilder().update(ActivityPlan)
        .set({ status: 'agreed', agreedOn, nextReviewOn })
        .where('id = :id AND status = :draft', { id: plan.id, draft: 'draft' })
        .execute();
      if (!agreed.affected) throw new ConflictError({ key: 'plans.alreadyAgreed' });
      await this.audit.record(m, {
        action: 'update', userId: user.id, role: user.role, entityType: 'activity_plan', entityId: plan.id, homeId: plan.homeId,
        changes: diffFields(plan, { status: 'agreed', agreedOn, nextReviewOn }, ['status', 'agreedOn', 'nextReviewOn']),
      });
      if (previous) {
        await m.update(ActivityPlan, { id: previous.id }, { status: 'archived' });
        await this.audit.record(m, {
          action: 'archive', userId: user.id, role: user.role, entityType: 'activity_plan', entityId: previous.id, homeId: previous.homeId,
          changes: { status: { old: 'agreed', new: 'archived' } },
        });
      }
    });
  }

  /**
   * Records a review of the agreed plan: who took part, a Goal Attainment Scale score for each active
   * goal, and the next review date. Each participant becomes a co_design contribution, once. One
   * review per plan and day, so a form sent twice records one review.
   */
  async recordReview(user: SessionUser, residentId: string, planId: string, input: PlanReviewDto): Promise<{ id: string; contributions: number }> {
    const resident = await this.staffResident(user, residentId, true);
    const reader = this.plans.manager;
    const plan = await this.findPlan(reader, resident, planId);
    assertAgreed(plan);
    const today = todayIn(await this.homes.timezoneOf(resident.homeId));
    const goals = ((await this.goalsOf(reader, [plan.id])).get(plan.id) ?? []).filter((g) => g.status === 'active');
    const { family, staff } = await this.participantOptions(reader, resident);
    const familyIds = [...new Set((input.familyMemberIds ?? []).map((id) => id.toLowerCase()))];
    const staffIds = [...new Set((input.staffMemberIds ?? []).map((id) => id.toLowerCase()))];
    const residentTookPart = input.residentTookPart === true;
    const nextReviewOn = input.nextReviewOn ?? (isIsoDate(input.reviewedOn) ? addMonths(input.reviewedOn, REVIEW_INTERVAL_MONTHS) : input.reviewedOn);

    const errors: FieldErrors = {};
    if (!isIsoDate(input.reviewedOn)) errors.reviewedOn = { key: 'validation.isDateString' };
    else if (input.reviewedOn > today) errors.reviewedOn = { key: 'plans.reviewInFuture' };
    else if (plan.agreedOn && input.reviewedOn < plan.agreedOn) errors.reviewedOn = { key: 'plans.reviewBeforeAgreement', params: { date: plan.agreedOn } };
    if (!isIsoDate(nextReviewOn)) errors.nextReviewOn = { key: 'validation.isDateString' };
    else if (!errors.reviewedOn && nextReviewOn <= input.reviewedOn) errors.nextReviewOn = { key: 'plans.nextReviewNotAfterReview' };
    // Only the relatives and staff the form offered: an id of anyone else (another home's included) is refused.
    if (familyIds.some((id) => !family.some((f) => f.id === id))) errors.familyMemberIds = { key: 'validation.isIn' };
    if (staffIds.some((id) => !staff.some((s) => s.id === id))) errors.staffMemberIds = { key: 'validation.isIn' };
    if (!residentTookPart && familyIds.length === 0 && staffIds.length === 0) errors.participants = { key: 'plans.noParticipants' };
    const scores = parseScores(input.scores);
    if (!scores || [...scores.keys()].some((goalId) => !goals.some((g) => g.id === goalId))) errors.scores = { key: 'validation.isIn' };
    else for (const goal of goals) if (!scores.has(goal.id)) errors[`score.${goal.id}`] = { key: 'plans.scoreRequired' };
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);

    return this.unitOfWork.transaction(async (m) => {
      // Touching the plan row first makes concurrent reviews of one plan wait for each other (PostgreSQL).
      const locked = await m.createQueryBuilder().update(ActivityPlan)
        .set({ status: 'agreed' })
        .where('id = :id AND status = :agreed', { id: plan.id, agreed: 'agreed' })
        .execute();
      if (!locked.affected) throw new ConflictError({ key: 'plans.reviewNeedsAgreed' });
      if (await m.existsBy(PlanReview, { planId: plan.id, reviewedOn: input.reviewedOn })) {
        throw new ValidationError({ reviewedOn: { key: 'plans.reviewExists' } });
      }
      const review = m.create(PlanReview, {
        homeId: plan.homeId, planId: plan.id, reviewedOn: input.reviewedOn, residentTookPart, familyMemberIds: familyIds, staffMemberIds: staffIds,
        notes: input.notes ?? null, recordedBy: user.id,
      });
      await m.insert(PlanReview, review);
      const attainments = goals.map((g) => m.create(GoalAttainment, { homeId: plan.homeId, reviewId: review.id, goalId: g.id, score: scores!.get(g.id)! }));
      if (attainments.length > 0) await m.insert(GoalAttainment, attainments);
      const minutes = input.minutes ?? 0;
      const entries: SourcedContribution[] = [
        ...(residentTookPart ? [{ actorType: 'resident' as const, personId: residentId, phase: 'co_design' as const, minutes }] : []),
        ...familyIds.map((personId) => ({ actorType: 'family' as const, personId, phase: 'co_design' as const, minutes })),
        ...staffIds.map((personId) => ({ actorType: 'staff' as const, personId, phase: 'co_design' as const, minutes })),
      ];
      const made = await this.contributions.syncFromSource(m, 'plan_review', review.id, { homeId: plan.homeId, activityId: null, date: input.reviewedOn, recordedBy: user.id }, entries);
      await this.audit.record(m, {
        action: 'create', userId: user.id, role: user.role, entityType: 'plan_review', entityId: review.id, homeId: plan.homeId,
        changes: {
          ...diffFields({}, review, ['planId', 'reviewedOn', 'residentTookPart', 'familyMemberIds', 'staffMemberIds', 'notes']),
          scores: { old: null, new: Object.fromEntries(goals.map((g) => [g.id, scores!.get(g.id)!])) },
        },
      });
      // A review recorded late, after a later one, does not move the date that later review set.
      const later = await m.createQueryBuilder(PlanReview, 'r').where('r.planId = :planId AND r.reviewedOn > :on', { planId: plan.id, on: input.reviewedOn }).getExists();
      if (!later && nextReviewOn !== plan.nextReviewOn) {
        await m.update(ActivityPlan, { id: plan.id }, { nextReviewOn });
        await this.audit.record(m, {
          action: 'update', userId: user.id, role: user.role, entityType: 'activity_plan', entityId: plan.id, homeId: plan.homeId,
          changes: { nextReviewOn: { old: plan.nextReviewOn, new: nextReviewOn } },
        });
      }
      return { id: review.id, contributions: made };
    });
  }

  // ---- Helpers -----------------------------------------------------------------------------

  /** The resident as staff see them; other readers, and writers without the role, get 404. */
  private async staffResident(user: SessionUser, residentId: string, write: boolean): Promise<ResidentDetail> {
    if (!(PLAN_READERS as readonly string[]).includes(user.role) || (write && !canEdit(user))) throw new NotFoundError();
    const resident = await this.residents.get(user, residentId);
    if (resident.lens !== 'staff') throw new NotFoundError();
    if (write && !isCurrent(resident)) throw new ValidationError({}, { key: 'plans.residentNotCurrent' });
    return resident;
  }

  private async findPlan(m: EntityManager, resident: ResidentDetail, planId: string): Promise<ActivityPlan> {
    const plan = await m.findOneBy(ActivityPlan, { id: planId, residentId: resident.id, homeId: resident.homeId });
    if (!plan) throw new NotFoundError();
    return plan;
  }

  private async goalsOf(m: EntityManager, planIds: string[]): Promise<Map<string, PlanGoal[]>> {
    const byPlan = new Map<string, PlanGoal[]>();
    if (planIds.length === 0) return byPlan;
    const goals = await m.find(PlanGoal, { where: { planId: In(planIds) }, order: { position: 'ASC' } });
    for (const goal of goals) byPlan.set(goal.planId, [...(byPlan.get(goal.planId) ?? []), goal]);
    return byPlan;
  }

  private async insertGoals(m: EntityManager, plan: ActivityPlan, goals: GoalInput[]): Promise<void> {
    if (goals.length === 0) return;
    await m.insert(PlanGoal, goals.map((goal, position) => m.create(PlanGoal, { ...goal, homeId: plan.homeId, planId: plan.id, position })));
  }

  /** The type and category of each activity the resident attended in the last 7 days (as the weekly badge counts). */
  private async attendedLastWeek(m: EntityManager, residentId: string, until = new Date()): Promise<{ typeId: string; category: string }[]> {
    return m.createQueryBuilder(Participation, 'p')
      .innerJoin(Activity, 'a', 'a.id = p.activityId')
      .innerJoin(ActivityType, 't', 't.id = a.activityTypeId')
      .select('a.activityTypeId', 'typeId')
      .addSelect('t.category', 'category')
      .where('p.residentId = :residentId', { residentId })
      .andWhere('p.engagement IN (:...attended)', { attended: [...ATTENDED] })
      .andWhere('a.startsAt >= :since AND a.startsAt < :until', { since: new Date(until.getTime() - 7 * DAY_MS), until })
      .getRawMany<{ typeId: string; category: string }>();
  }

  private async typeNames(m: EntityManager, homeId: string): Promise<Map<string, string>> {
    const types = await m.find(ActivityType, { select: { id: true, name: true }, where: { homeId } });
    return new Map(types.map((t) => [t.id, t.name]));
  }

  /** Types a goal may name: the home's types in use, and any already chosen even if no longer in use. */
  private async typeOptions(m: EntityManager, homeId: string, chosen: string[]): Promise<{ id: string; name: string }[]> {
    const types = await m.find(ActivityType, { select: { id: true, name: true, active: true }, where: { homeId }, order: { name: 'ASC' } });
    return types.filter((t) => t.active || chosen.includes(t.id)).map((t) => ({ id: t.id, name: t.name }));
  }

  private async homeTypeIds(homeId: string): Promise<Set<string>> {
    return new Set((await this.plans.manager.find(ActivityType, { select: { id: true }, where: { homeId } })).map((t) => t.id));
  }

  /** Who a review may name: relatives with an active link to the resident, and the home's active staff. */
  private async participantOptions(m: EntityManager, resident: ResidentDetail) {
    const links = await m.find(FamilyLink, { where: { residentId: resident.id, homeId: resident.homeId, active: true } });
    const members = links.length === 0 ? [] : await m.find(FamilyMember, { where: { id: In(links.map((l) => l.familyMemberId)), homeId: resident.homeId } });
    const family = members
      .filter((f) => f.archivedAt === null)
      .map((f) => {
        const relationship = links.find((l) => l.familyMemberId === f.id)?.relationship ?? '';
        return { id: f.id, name: `${f.firstName} ${f.lastName}`, relationship, relationshipKey: isRelationship(relationship) ? `families.relationships.${relationship}` : null };
      })
      .sort((a, b) => a.name.localeCompare(b.name, 'it'));
    const staff = (await m.find(StaffMember, { where: { homeId: resident.homeId, status: 'active' }, order: { lastName: 'ASC', firstName: 'ASC' } }))
      .map((s) => ({ id: s.id, name: `${s.firstName} ${s.lastName}`, jobRoleKey: `staff.jobRoles.${s.jobRole}` }));
    return { family, staff };
  }

  private planView(plan: ActivityPlan, goals: PlanGoal[], attended: { typeId: string; category: string }[], types: Map<string, string>, today: string): PlanView {
    return {
      id: plan.id,
      version: plan.version,
      status: plan.status,
      whatMattersToMe: plan.whatMattersToMe,
      agreedOn: plan.agreedOn,
      nextReviewOn: plan.nextReviewOn,
      overdue: plan.status === 'agreed' && plan.nextReviewOn !== null && plan.nextReviewOn < today,
      goals: goals.map((g) => {
        const attendedThisWeek = attendedForGoal(g, attended);
        return {
          id: g.id, description: g.description, categories: [...g.categories], typeNames: g.activityTypeIds.map((id) => types.get(id) ?? '—'),
          targetPerWeek: g.targetPerWeek, status: g.status, attendedThisWeek, metTarget: attendedThisWeek >= g.targetPerWeek,
        };
      }),
    };
  }

  private async reviewViews(m: EntityManager, plans: ActivityPlan[], goals: Map<string, PlanGoal[]>): Promise<ReviewView[]> {
    if (plans.length === 0) return [];
    const reviews = await m.find(PlanReview, { where: { planId: In(plans.map((p) => p.id)) }, order: { reviewedOn: 'DESC', createdAt: 'DESC' } });
    if (reviews.length === 0) return [];
    const scores = await m.find(GoalAttainment, { where: { reviewId: In(reviews.map((r) => r.id)) } });
    const names = await this.personNames(m, reviews.flatMap((r) => r.familyMemberIds), reviews.flatMap((r) => r.staffMemberIds));
    const goalById = new Map([...goals.values()].flat().map((g) => [g.id, g]));
    return reviews.map((r) => ({
      id: r.id,
      planId: r.planId,
      version: plans.find((p) => p.id === r.planId)!.version,
      reviewedOn: r.reviewedOn,
      residentTookPart: r.residentTookPart,
      family: r.familyMemberIds.map((id) => names.get(id) ?? '—'),
      staff: r.staffMemberIds.map((id) => names.get(id) ?? '—'),
      notes: r.notes,
      scores: scores
        .filter((s) => s.reviewId === r.id && goalById.has(s.goalId))
        .sort((a, b) => goalById.get(a.goalId)!.position - goalById.get(b.goalId)!.position)
        .map((s) => ({ goal: goalById.get(s.goalId)!.description, score: s.score, signed: signedScore(s.score), labelKey: gasLabelKey(s.score) })),
    }));
  }

  private async lastReview(m: EntityManager, residentId: string, homeId: string): Promise<FamilyPlanFull['lastReview']> {
    const review = await m.createQueryBuilder(PlanReview, 'r')
      .innerJoin(ActivityPlan, 'p', 'p.id = r.planId')
      .where('p.residentId = :residentId AND p.homeId = :homeId', { residentId, homeId })
      .orderBy('r.reviewedOn', 'DESC')
      .addOrderBy('r.createdAt', 'DESC')
      .getOne();
    if (!review) return null;
    const goals = (await this.goalsOf(m, [review.planId])).get(review.planId) ?? [];
    const scores = await m.find(GoalAttainment, { where: { reviewId: review.id } });
    return {
      reviewedOn: review.reviewedOn,
      scores: goals.filter((g) => scores.some((s) => s.goalId === g.id)).map((g) => ({ goal: g.description, score: scores.find((s) => s.goalId === g.id)!.score })),
    };
  }

  private async personNames(m: EntityManager, familyIds: string[], staffIds: string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const family = [...new Set(familyIds)];
    const staff = [...new Set(staffIds)];
    for (const f of family.length ? await m.find(FamilyMember, { select: { id: true, firstName: true, lastName: true }, where: { id: In(family) } }) : []) names.set(f.id, `${f.firstName} ${f.lastName}`);
    for (const s of staff.length ? await m.find(StaffMember, { select: { id: true, firstName: true, lastName: true }, where: { id: In(staff) } }) : []) names.set(s.id, `${s.firstName} ${s.lastName}`);
    return names;
  }
}

function canEdit(user: SessionUser): boolean {
  return (PLAN_EDITORS as readonly string[]).includes(user.role);
}

function isOverseer(user: SessionUser): boolean {
  return (PLAN_OVERSEERS as readonly string[]).includes(user.role);
}

function isCurrent(resident: Pick<ResidentDetail, 'status'>): boolean {
  return CURRENT_STATUSES.includes(resident.status);
}

function residentHead(resident: ResidentDetail): PlanResidentView {
  return { id: resident.id, fullName: resident.fullName, displayName: resident.displayName, isCurrent: isCurrent(resident) };
}

function assertDraft(plan: ActivityPlan): void {
  if (plan.status !== 'draft') throw new ConflictError({ key: 'plans.onlyDraftEditable' });
}

function assertAgreed(plan: ActivityPlan): void {
  if (plan.status !== 'agreed') throw new ConflictError({ key: 'plans.reviewNeedsAgreed' });
}

function goalSummary(goal: Pick<GoalInput, 'description' | 'categories' | 'activityTypeIds' | 'targetPerWeek' | 'status'>) {
  return { description: goal.description, categories: goal.categories, activityTypeIds: goal.activityTypeIds, targetPerWeek: goal.targetPerWeek, status: goal.status };
}
