import { Injectable } from '@nestjs/common';
import { can } from '../common/access/access-policy';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { ActivitiesService } from '../activities/activities.service';
import { ParticipationService } from '../activities/participation.service';
import type { SessionUser } from '../common/access/session-user';
import { todayIn } from '../common/time/zoned';
import { FamiliesService } from '../families/families.service';
import { HomesService } from '../homes/homes.service';
import { homeNamer } from '../homes/places';
import { residentDisplayName } from '../residents/family-links.service';
import { ResidentsService } from '../residents/residents.service';
import { StaffService } from '../staff/staff.service';
import { MAX_GOALS } from './dto/plan.dto';
import { ActivityPlan } from './entities/activity-plan.entity';
import { GoalAttainment } from './entities/goal-attainment.entity';
import { PlanGoal } from './entities/plan-goal.entity';
import { PlanReview } from './entities/plan-review.entity';
import { assertAgreed, assertDraft, isCurrent, residentHead } from './plan-access';
import {
  attendedForGoal, daysBetween, gasLabelKey, GAS_SCORES, goalRowsFromBody, goalRowsFromGoals, goalRowViews, idsFromBody,
  REVIEW_INTERVAL_MONTHS, reviewCompletenessErrors, scoresFromBody, signedScore,
} from './plan-form';
import { PlanRecords } from './plan-records.service';
import {
  FamilyPlanFull, FamilyPlanView, OverdueView, PlanFormView, PlanVersionView, PlanView, ResidentPlansView, ReviewFormView, ReviewView,
} from './plan-views';

type Attended = { typeId: string; category: string }[];

/**
 * Residents' activity plans as the pages show them: versions (draft -> agreed -> archived), goals with
 * weekly targets counted against attended activities, reviews, the forms, the overdue list and the
 * plan as families see it (SPEC 2, 3). The module's exported service; writes are PlanWritesService.
 */
@Injectable()
export class PlansService {
  constructor(
    @InjectRepository(ActivityPlan) private readonly plans: Repository<ActivityPlan>,
    private readonly records: PlanRecords,
    private readonly residents: ResidentsService,
    private readonly homes: HomesService,
    private readonly activities: ActivitiesService,
    private readonly participation: ParticipationService,
    private readonly families: FamiliesService,
    private readonly staff: StaffService,
  ) {}

  async residentPlans(user: SessionUser, residentId: string): Promise<ResidentPlansView> {
    const resident = await this.records.staffResident(user, residentId, false);
    const m = this.plans.manager;
    const today = todayIn(await this.homes.timezoneOf(resident.homeId));
    const plans = await m.find(ActivityPlan, { where: { residentId, homeId: resident.homeId }, order: { version: 'DESC' } });
    const goals = await this.records.goalsOf(m, plans.map((p) => p.id));
    const attended = await this.participation.attendedTypesLastWeek(residentId);
    const types = await this.typeNames(resident.homeId);
    const view = (plan: ActivityPlan | undefined) => (plan ? planView(plan, goals.get(plan.id) ?? [], attended, types, today) : null);
    return {
      resident: residentHead(resident),
      canEdit: can(user, 'editPlans') && isCurrent(resident),
      current: view(plans.find((p) => p.status === 'agreed')),
      draft: view(plans.find((p) => p.status === 'draft')),
      versions: plans.map((p) => ({ id: p.id, version: p.version, status: p.status, agreedOn: p.agreedOn, nextReviewOn: p.nextReviewOn, isCurrent: p.status === 'agreed' })),
      reviews: await this.reviewViews(plans, goals),
      today,
    };
  }

  async planVersion(user: SessionUser, residentId: string, planId: string): Promise<PlanVersionView> {
    const resident = await this.records.staffResident(user, residentId, false);
    const m = this.plans.manager;
    const plan = await this.records.findPlan(m, resident, planId);
    const today = todayIn(await this.homes.timezoneOf(resident.homeId));
    const goals = await this.records.goalsOf(m, [plan.id]);
    const attended = plan.status === 'archived' ? [] : await this.participation.attendedTypesLastWeek(residentId);
    return {
      resident: residentHead(resident),
      plan: planView(plan, goals.get(plan.id) ?? [], attended, await this.typeNames(resident.homeId), today),
      reviews: await this.reviewViews([plan], goals),
    };
  }

  /**
   * The form for a new draft: a new version starts from the agreed plan's "what matters to me" and
   * goals (dropped goals left out). `body` is a rejected submission to show again.
   */
  async newPlanForm(user: SessionUser, residentId: string, body?: unknown): Promise<PlanFormView> {
    const resident = await this.records.staffResident(user, residentId, true);
    const m = this.plans.manager;
    const draft = await m.findOneBy(ActivityPlan, { residentId, status: 'draft' });
    const agreed = await m.findOneBy(ActivityPlan, { residentId, status: 'agreed' });
    const goals = agreed ? ((await this.records.goalsOf(m, [agreed.id])).get(agreed.id) ?? []).filter((g) => g.status !== 'dropped') : [];
    const sources = body ? goalRowsFromBody(body) : goalRowsFromGoals(goals);
    return {
      resident: residentHead(resident),
      planId: null,
      existingDraftId: draft?.id ?? null,
      basedOnVersion: agreed?.version ?? null,
      showForm: !draft || body !== undefined,
      values: { whatMattersToMe: agreed?.whatMattersToMe ?? '' },
      goalRows: goalRowViews(sources, await this.typeOptions(resident.homeId, sources.flatMap((s) => s.typeIds)), MAX_GOALS),
      maxGoals: MAX_GOALS,
    };
  }

  async editPlanForm(user: SessionUser, residentId: string, planId: string, body?: unknown): Promise<PlanFormView> {
    const resident = await this.records.staffResident(user, residentId, true);
    const m = this.plans.manager;
    const plan = await this.records.findPlan(m, resident, planId);
    assertDraft(plan);
    const sources = body ? goalRowsFromBody(body) : goalRowsFromGoals((await this.records.goalsOf(m, [plan.id])).get(plan.id) ?? []);
    return {
      resident: residentHead(resident),
      planId: plan.id,
      existingDraftId: null,
      basedOnVersion: null,
      showForm: true,
      values: { whatMattersToMe: plan.whatMattersToMe ?? '' },
      goalRows: goalRowViews(sources, await this.typeOptions(resident.homeId, sources.flatMap((s) => s.typeIds)), MAX_GOALS),
      maxGoals: MAX_GOALS,
    };
  }

  async reviewForm(user: SessionUser, residentId: string, planId: string, body?: unknown): Promise<ReviewFormView> {
    const resident = await this.records.staffResident(user, residentId, true);
    const m = this.plans.manager;
    const plan = await this.records.findPlan(m, resident, planId);
    assertAgreed(plan);
    const goals = ((await this.records.goalsOf(m, [plan.id])).get(plan.id) ?? []).filter((g) => g.status === 'active');
    const attended = await this.participation.attendedTypesLastWeek(residentId);
    const { family, staff } = await this.records.participantOptions(resident);
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
      // Shown again after a refusal: what the service would also refuse, beside the form's own errors.
      ...(body ? { alsoInvalid: reviewCompletenessErrors(goals, new Set(chosenScores.keys()), { residentTookPart, others: chosenFamily.size + chosenStaff.size }) } : {}),
    };
  }

  /** Residents living in the user's homes whose agreed plan is past its review date, and those with no agreed plan. */
  async overdue(user: SessionUser): Promise<OverdueView> {
    if (!can(user, 'editPlans') || user.homeIds.length === 0) return { overdue: [], withoutPlan: [], severalHomes: false };
    const residents = (await this.residents.currentBriefs(user.homeIds, { onLeaveToo: true })).map((r) => ({ ...r, name: residentDisplayName(r) }));
    const plans = residents.length === 0 ? [] : await this.plans.find({ where: { homeId: In(user.homeIds), status: In(['agreed', 'draft']) } });
    const agreed = new Map(plans.filter((p) => p.status === 'agreed').map((p) => [p.residentId, p]));
    const drafted = new Set(plans.filter((p) => p.status === 'draft').map((p) => p.residentId));
    const places = await this.homes.places(user.homeIds);
    const todays = new Map([...places.homes].map(([homeId, home]) => [homeId, todayIn(home.timezone)]));
    // Someone with several homes is told each resident's home, before the unit.
    const homeName = homeNamer(places);
    const severalHomes = places.homes.size > 1;
    const view: OverdueView = { overdue: [], withoutPlan: [], severalHomes };
    for (const resident of residents) {
      const unitName = resident.unitId ? (places.units.get(resident.unitId)?.name ?? null) : null;
      const where = severalHomes ? [homeName(resident.homeId), unitName].filter(Boolean).join(' · ') : unitName;
      const base = { residentId: resident.id, name: resident.name, unitName: where };
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
    const m = this.plans.manager;
    const plan = await m.findOneBy(ActivityPlan, { residentId, homeId: resident.homeId, status: 'agreed' });
    if (!plan?.agreedOn) return null;
    const goals = ((await this.records.goalsOf(m, [plan.id])).get(plan.id) ?? []).filter((g) => g.status === 'active');
    if (resident.lens === 'family_summary') {
      return { detail: 'summary', agreedOn: plan.agreedOn, nextReviewOn: plan.nextReviewOn, goals: goals.map((g) => ({ description: g.description })) };
    }
    const attended = await this.participation.attendedTypesLastWeek(residentId);
    return {
      detail: 'full',
      agreedOn: plan.agreedOn,
      nextReviewOn: plan.nextReviewOn,
      whatMattersToMe: plan.whatMattersToMe,
      goals: goals.map((g) => ({ description: g.description, targetPerWeek: g.targetPerWeek, attendedThisWeek: attendedForGoal(g, attended), categories: [...g.categories] })),
      lastReview: await this.lastReview(residentId, resident.homeId),
    };
  }

  // ---- Helpers -----------------------------------------------------------------------------

  private async typeNames(homeId: string): Promise<Map<string, string>> {
    return new Map((await this.activities.typeChoices(homeId)).map((t) => [t.id, t.name]));
  }

  /** Types a goal may name: the home's types in use, and any already chosen even if no longer in use. */
  private async typeOptions(homeId: string, chosen: string[]): Promise<{ id: string; name: string }[]> {
    return (await this.activities.typeChoices(homeId)).filter((t) => t.active || chosen.includes(t.id)).map((t) => ({ id: t.id, name: t.name }));
  }

  private async reviewViews(plans: ActivityPlan[], goals: Map<string, PlanGoal[]>): Promise<ReviewView[]> {
    if (plans.length === 0) return [];
    const m = this.plans.manager;
    const reviews = await m.find(PlanReview, { where: { planId: In(plans.map((p) => p.id)) }, order: { reviewedOn: 'DESC', createdAt: 'DESC' } });
    if (reviews.length === 0) return [];
    const scores = await m.find(GoalAttainment, { where: { reviewId: In(reviews.map((r) => r.id)) } });
    const names = await this.personNames(reviews.flatMap((r) => r.familyMemberIds), reviews.flatMap((r) => r.staffMemberIds));
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

  private async lastReview(residentId: string, homeId: string): Promise<FamilyPlanFull['lastReview']> {
    const m = this.plans.manager;
    const review = await m.createQueryBuilder(PlanReview, 'r')
      .innerJoin(ActivityPlan, 'p', 'p.id = r.planId')
      .where('p.residentId = :residentId AND p.homeId = :homeId', { residentId, homeId })
      .orderBy('r.reviewedOn', 'DESC')
      .addOrderBy('r.createdAt', 'DESC')
      .getOne();
    if (!review) return null;
    const goals = (await this.records.goalsOf(m, [review.planId])).get(review.planId) ?? [];
    const scores = await m.find(GoalAttainment, { where: { reviewId: review.id } });
    return {
      reviewedOn: review.reviewedOn,
      scores: goals.filter((g) => scores.some((s) => s.goalId === g.id)).map((g) => ({ goal: g.description, score: scores.find((s) => s.goalId === g.id)!.score })),
    };
  }

  /** Names of the relatives and staff that reviews name, archived or left ones included. */
  private async personNames(familyIds: string[], staffIds: string[]): Promise<Map<string, string>> {
    const [relatives, staff] = await Promise.all([this.families.briefsByIds(familyIds), this.staff.briefsByIds(staffIds)]);
    return new Map([...relatives, ...staff].map((p) => [p.id, `${p.firstName} ${p.lastName}`]));
  }
}

function planView(plan: ActivityPlan, goals: PlanGoal[], attended: Attended, types: Map<string, string>, today: string): PlanView {
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
