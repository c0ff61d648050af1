import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ActivitiesService } from '../activities/activities.service';
import { AuditService, diffFields } from '../audit/audit.service';
import type { SessionUser } from '../common/access/session-user';
import { ConflictError, FieldErrors, ValidationError } from '../common/errors/domain-errors';
import { isIsoDate, todayIn } from '../common/time/zoned';
import { ContributionsService, SourcedContribution } from '../contributions/contributions.service';
import { isUniqueViolation } from '../database/unique-violation';
import { UnitOfWork } from '../database/unit-of-work';
import { HomesService } from '../homes/homes.service';
import { ResidentsService } from '../residents/residents.service';
import { AgreePlanDto, PlanDto, PlanReviewDto } from './dto/plan.dto';
import { ActivityPlan } from './entities/activity-plan.entity';
import { GoalAttainment } from './entities/goal-attainment.entity';
import { PlanGoal } from './entities/plan-goal.entity';
import { PlanReview } from './entities/plan-review.entity';
import { assertAgreed, assertDraft } from './plan-access';
import { addMonths, GoalInput, parseGoalRows, parseScores, REVIEW_INTERVAL_MONTHS, reviewCompletenessErrors } from './plan-form';
import { recordPlanHistory } from './plan-history';
import { PlanRecords } from './plan-records.service';
import { isoDateError } from '../common/http/form-fields';

const PLAN_FIELDS = ['version', 'status', 'whatMattersToMe', 'agreedOn', 'nextReviewOn'] as const;

/**
 * Writes to residents' activity plans: drafts (one at a time), agreeing a draft (the plan agreed
 * before it is archived), and reviews whose participants become co_design contributions (SPEC 2, 3).
 * Each write is one transaction with its audit entries.
 */
@Injectable()
export class PlanWritesService {
  constructor(
    @InjectRepository(ActivityPlan) private readonly plans: Repository<ActivityPlan>,
    private readonly records: PlanRecords,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly residents: ResidentsService,
    private readonly homes: HomesService,
    private readonly activities: ActivitiesService,
    private readonly contributions: ContributionsService,
  ) {}

  /** A new draft: the first plan, or the next version of an agreed one. One draft at a time. */
  async createDraft(user: SessionUser, residentId: string, input: PlanDto): Promise<{ id: string; version: number }> {
    const resident = await this.records.staffResident(user, residentId, true);
    const goals = parseGoalRows(input, await this.homeTypeIds(resident.homeId));
    try {
      return await this.unitOfWork.transaction(async (m) => {
        // Two drafts sent at once take turns on the resident's row: the second finds the first.
        await this.residents.lockForUpdate(m, residentId);
        if (await m.existsBy(ActivityPlan, { residentId, status: 'draft' })) throw new ConflictError({ key: 'plans.draftExists' });
        const last = await m.createQueryBuilder(ActivityPlan, 'p').select('MAX(p.version)', 'version').where('p.residentId = :residentId', { residentId }).getRawOne<{ version: number | string | null }>();
        const plan = m.create(ActivityPlan, {
          homeId: resident.homeId, residentId, version: Number(last?.version ?? 0) + 1, status: 'draft',
          whatMattersToMe: input.whatMattersToMe ?? null, agreedOn: null, nextReviewOn: null, createdBy: user.id,
        });
        await m.insert(ActivityPlan, plan);
        await insertGoals(m, plan, goals);
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
    const resident = await this.records.staffResident(user, residentId, true);
    const goals = parseGoalRows(input, await this.homeTypeIds(resident.homeId));
    await this.unitOfWork.transaction(async (m) => {
      const plan = await this.records.findPlan(m, resident, planId);
      assertDraft(plan);
      const before = ((await this.records.goalsOf(m, [plan.id])).get(plan.id) ?? []).map(goalSummary);
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
        await insertGoals(m, plan, goals);
      }
      await this.audit.record(m, { action: 'update', userId: user.id, role: user.role, entityType: 'activity_plan', entityId: plan.id, homeId: plan.homeId, changes });
    });
  }

  /** Agrees a draft; the plan agreed before it is archived and stays readable as an earlier version. */
  async agree(user: SessionUser, residentId: string, planId: string, input: AgreePlanDto): Promise<void> {
    const resident = await this.records.staffResident(user, residentId, true);
    const today = todayIn(await this.homes.timezoneOf(resident.homeId));
    const agreedOn = input.agreedOn ?? today;
    const nextReviewOn = input.nextReviewOn ?? (isIsoDate(agreedOn) ? addMonths(agreedOn, REVIEW_INTERVAL_MONTHS) : agreedOn);
    const errors: FieldErrors = {};
    if (!isIsoDate(agreedOn)) errors.agreedOn = isoDateError(agreedOn)!;
    else if (agreedOn > today) errors.agreedOn = { key: 'plans.agreedInFuture' };
    else if (resident.admittedOn && agreedOn < resident.admittedOn) errors.agreedOn = { key: 'plans.agreedBeforeAdmission' };
    if (!isIsoDate(nextReviewOn)) errors.nextReviewOn = isoDateError(nextReviewOn)!;
    else if (!errors.agreedOn && nextReviewOn <= agreedOn) errors.nextReviewOn = { key: 'plans.reviewNotAfterAgreement' };
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);

    await this.unitOfWork.transaction(async (m) => {
      const plan = await this.records.findPlan(m, resident, planId);
      if (plan.status !== 'draft') throw new ConflictError({ key: 'plans.alreadyAgreed' });
      const goals = (await this.records.goalsOf(m, [plan.id])).get(plan.id) ?? [];
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
      await recordPlanHistory(m, { ...plan, status: 'agreed', agreedOn, nextReviewOn });
      await this.audit.record(m, {
        action: 'update', userId: user.id, role: user.role, entityType: 'activity_plan', entityId: plan.id, homeId: plan.homeId,
        changes: diffFields(plan, { status: 'agreed', agreedOn, nextReviewOn }, ['status', 'agreedOn', 'nextReviewOn']),
      });
      if (previous) {
        await m.update(ActivityPlan, { id: previous.id }, { status: 'archived' });
        await recordPlanHistory(m, { ...previous, status: 'archived' });
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
    const resident = await this.records.staffResident(user, residentId, true);
    const reader = this.plans.manager;
    const plan = await this.records.findPlan(reader, resident, planId);
    assertAgreed(plan);
    const today = todayIn(await this.homes.timezoneOf(resident.homeId));
    const goals = ((await this.records.goalsOf(reader, [plan.id])).get(plan.id) ?? []).filter((g) => g.status === 'active');
    const { family, staff } = await this.records.participantOptions(resident);
    const familyIds = [...new Set((input.familyMemberIds ?? []).map((id) => id.toLowerCase()))];
    const staffIds = [...new Set((input.staffMemberIds ?? []).map((id) => id.toLowerCase()))];
    const residentTookPart = input.residentTookPart === true;
    const nextReviewOn = input.nextReviewOn ?? (isIsoDate(input.reviewedOn) ? addMonths(input.reviewedOn, REVIEW_INTERVAL_MONTHS) : input.reviewedOn);

    const errors: FieldErrors = {};
    if (!isIsoDate(input.reviewedOn)) errors.reviewedOn = isoDateError(input.reviewedOn)!;
    else if (input.reviewedOn > today) errors.reviewedOn = { key: 'plans.reviewInFuture' };
    else if (plan.agreedOn && input.reviewedOn < plan.agreedOn) errors.reviewedOn = { key: 'plans.reviewBeforeAgreement', params: { date: plan.agreedOn } };
    if (!isIsoDate(nextReviewOn)) errors.nextReviewOn = isoDateError(nextReviewOn)!;
    else if (!errors.reviewedOn && nextReviewOn <= input.reviewedOn) errors.nextReviewOn = { key: 'plans.nextReviewNotAfterReview' };
    // Only the relatives and staff the form offered: an id of anyone else (another home's included) is refused.
    if (familyIds.some((id) => !family.some((f) => f.id === id))) errors.familyMemberIds = { key: 'validation.isIn' };
    if (staffIds.some((id) => !staff.some((s) => s.id === id))) errors.staffMemberIds = { key: 'validation.isIn' };
    const scores = parseScores(input.scores);
    if (!scores || [...scores.keys()].some((goalId) => !goals.some((g) => g.id === goalId))) errors.scores = { key: 'validation.isIn' };
    Object.assign(errors, reviewCompletenessErrors(goals, new Set(scores?.keys() ?? goals.map((g) => g.id)), { residentTookPart, others: familyIds.length + staffIds.length }));
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
      // The contributions module writes its own rows, inside this transaction.
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
        await recordPlanHistory(m, { ...plan, nextReviewOn });
        await this.audit.record(m, {
          action: 'update', userId: user.id, role: user.role, entityType: 'activity_plan', entityId: plan.id, homeId: plan.homeId,
          changes: { nextReviewOn: { old: plan.nextReviewOn, new: nextReviewOn } },
        });
      }
      return { id: review.id, contributions: made };
    });
  }

  private async homeTypeIds(homeId: string): Promise<Set<string>> {
    return new Set((await this.activities.typeChoices(homeId)).map((t) => t.id));
  }
}

async function insertGoals(m: EntityManager, plan: ActivityPlan, goals: GoalInput[]): Promise<void> {
  if (goals.length === 0) return;
  await m.insert(PlanGoal, goals.map((goal, position) => m.create(PlanGoal, { ...goal, homeId: plan.homeId, planId: plan.id, position })));
}

function goalSummary(goal: Pick<GoalInput, 'description' | 'categories' | 'activityTypeIds' | 'targetPerWeek' | 'status'>) {
  return { description: goal.description, categories: goal.categories, activityTypeIds: goal.activityTypeIds, targetPerWeek: goal.targetPerWeek, status: goal.status };
}
