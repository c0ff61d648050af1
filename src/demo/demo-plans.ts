import { randomUUID } from 'node:crypto';
import { EntityManager, In } from 'typeorm';
import { ActivityType } from '../activities/entities/activity-type.entity';
import { ActivityCategory } from '../activities/activities.enums';
import { addDays, todayIn } from '../common/time/zoned';
import { Contribution } from '../contributions/entities/contribution.entity';
import { ActivityPlan } from '../plans/entities/activity-plan.entity';
import { ActivityPlanHistory } from '../plans/entities/activity-plan-history.entity';
import { keepsPlanHistory, planHistoryRow, PlanHistoryValues } from '../plans/plan-history';
import { GoalAttainment } from '../plans/entities/goal-attainment.entity';
import { PlanGoal } from '../plans/entities/plan-goal.entity';
import { GoalStatus } from '../plans/plans.enums';
import { PlanReview } from '../plans/entities/plan-review.entity';
import { addMonths, REVIEW_INTERVAL_MONTHS } from '../plans/plan-form';
import { FamilyLink } from '../residents/entities/family-link.entity';
import { Resident } from '../residents/entities/resident.entity';
import { StaffMember } from '../staff/entities/staff-member.entity';
import { readDemoFile } from './demo-data';
import { insertInBatches } from './demo-programme';

interface DemoGoal {
  text: string;
  categories: ActivityCategory[];
  /** Names of the demo programme's activity types the goal counts. */
  types?: string[];
  target: number;
}

interface DemoPlan {
  matters: string;
  goals: DemoGoal[];
}

/**
 * What data/demo/plans.json holds. `stories` says how each plan came about: `history` plans were
 * reviewed and replaced by a second version; `overdue` ones are past their review date; `draftOnly`
 * residents arrived recently and their first plan is still being written; `nextDraft` has an agreed
 * plan and a new version in preparation; `none` has no plan yet. Everyone else has one agreed plan,
 * some with a review since. `plans` holds "what matters to me" and goals, written with each resident
 * from their life story and interests (by full name).
 */
interface DemoPlansText {
  stories: Record<string, 'history' | 'overdue' | 'draftOnly' | 'nextDraft' | 'none'>;
  plans: Record<string, DemoPlan>;
  /** For residents outside `plans`: "{interests}" stands for their first three interests. */
  fromInterests: { matters: string; mattersWithoutInterests: string; goals: DemoGoal[] };
  /** The goal the `nextDraft` version adds. */
  nextDraftGoal: DemoGoal;
  reviewNotes: string[];
}

/** A plan for a resident outside the written demo: from their interests, so the demo still reads well. */
function planFromInterests(resident: Resident, template: DemoPlansText['fromInterests']): DemoPlan {
  const interests = resident.interests.slice(0, 3).join(', ');
  return {
    matters: interests ? template.matters.replace('{interests}', interests) : template.mattersWithoutInterests,
    goals: template.goals,
  };
}

/** A Goal Attainment Scale score, most often "as expected" or a little better. */
function gasScore(r: number): number {
  if (r < 0.04) return -2;
  if (r < 0.2) return -1;
  if (r < 0.62) return 0;
  if (r < 0.92) return 1;
  return 2;
}

function later(a: string, b: string): string {
  return a > b ? a : b;
}

/**
 * Activity plans for the demo home: about twenty agreed plans written from the residents' stories,
 * some with an earlier version they replaced, reviews with the resident, their family and the
 * coordinator (each a co_design contribution) and attainment scores, three reviews overdue, two
 * recent arrivals with only a draft. Written inside the seeder's transaction, after the programme.
 */
export async function seedDemoPlans(
  m: EntityManager,
  people: { homeId: string; timezone: string; residentIds: string[]; staffIds: string[] },
  random: () => number,
): Promise<void> {
  const demo = readDemoFile<DemoPlansText>('plans.json');
  const { homeId } = people;
  const today = todayIn(people.timezone);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const residents = (await m.findBy(Resident, { id: In(people.residentIds) }))
    .filter((r) => r.status === 'active' || r.status === 'on_leave')
    .sort((a, b) => people.residentIds.indexOf(a.id) - people.residentIds.indexOf(b.id));
  const staff = await m.findBy(StaffMember, { id: In(people.staffIds) });
  const coordinator = staff.find((s) => s.jobRole === 'activity_coordinator') ?? staff[0];
  const types = new Map((await m.findBy(ActivityType, { homeId })).map((t) => [t.name, t.id]));
  const links = await m.findBy(FamilyLink, { homeId, active: true });

  const plans: Partial<ActivityPlan>[] = [];
  const goals: Partial<PlanGoal>[] = [];
  const reviews: Partial<PlanReview>[] = [];
  const scores: Partial<GoalAttainment>[] = [];
  const contributions: Partial<Contribution>[] = [];

  const addPlan = (resident: Resident, version: number, status: ActivityPlan['status'], text: DemoPlan, agreedOn: string | null, nextReviewOn: string | null, goalList = text.goals) => {
    const plan = { id: randomUUID(), homeId, residentId: resident.id, version, status, whatMattersToMe: text.matters, agreedOn, nextReviewOn, createdBy: null };
    plans.push(plan);
    const made = goalList.map((goal, position) => ({
      id: randomUUID(), homeId, planId: plan.id, description: goal.text, categories: goal.categories,
      activityTypeIds: (goal.types ?? []).map((name) => types.get(name)).filter((id): id is string => id !== undefined),
      targetPerWeek: goal.target, status: 'active' as GoalStatus, position,
    }));
    goals.push(...made);
    return { plan, goals: made };
  };

  const addReview = (resident: Resident, planId: string, reviewedOn: string, planGoals: { id: string; status: GoalStatus }[], firstScore?: number) => {
    const family = links.filter((l) => l.residentId === resident.id).map((l) => l.familyMemberId);
    const carer = staff.find((s) => s.unitId === resident.unitId && s.jobRole === 'care_assistant');
    const staffIds = [coordinator?.id, random() < 0.5 ? carer?.id : undefined].filter((id): id is string => id !== undefined);
    const residentTookPart = random() < 0.8;
    const review = {
      id: randomUUID(), homeId, planId, reviewedOn, residentTookPart, familyMemberIds: family, staffMemberIds: staffIds,
      notes: pick(demo.reviewNotes), recordedBy: null,
    };
    reviews.push(review);
    planGoals.filter((g) => g.status === 'active').forEach((goal, i) => {
      scores.push({ id: randomUUID(), homeId, reviewId: review.id, goalId: goal.id, score: i === 0 && firstScore !== undefined ? firstScore : gasScore(random()) });
    });
    const minutes = pick([30, 45, 45, 60]);
    const contribution = (actorType: Contribution['actorType'], personId: string): Partial<Contribution> => ({
      id: randomUUID(), homeId, activityId: null, date: reviewedOn, actorType, phase: 'co_design', minutes, description: null,
      source: 'plan_review', sourceId: review.id, recordedBy: null,
      residentId: actorType === 'resident' ? personId : null, familyMemberId: actorType === 'family' ? personId : null,
      volunteerId: null, staffMemberId: actorType === 'staff' ? personId : null,
    });
    if (residentTookPart) contributions.push(contribution('resident', resident.id));
    for (const id of family) contributions.push(contribution('family', id));
    for (const id of staffIds) contributions.push(contribution('staff', id));
  };

  for (const resident of residents) {
    const name = `${resident.firstName} ${resident.lastName}`;
    const text = demo.plans[name] ?? planFromInterests(resident, demo.fromInterests);
    const settled = addDays(resident.admittedOn, 14);
    switch (demo.stories[name]) {
      case 'none':
        break;
      case 'draftOnly':
        addPlan(resident, 1, 'draft', text, null, null);
        break;
      case 'overdue': {
        const agreedOn = later(settled, addDays(today, -between(200, 225)));
        addPlan(resident, 1, 'agreed', text, agreedOn, addMonths(agreedOn, REVIEW_INTERVAL_MONTHS));
        break;
      }
      case 'history': {
        // Version 1 asked a little less of the first goal; its review found more than expected, so version 2 raised it.
        const firstAgreed = later(settled, addDays(today, -between(330, 350)));
        const reviewedOn = addMonths(firstAgreed, REVIEW_INTERVAL_MONTHS);
        const easier = text.goals.map((goal, i) => (i === 0 ? { ...goal, target: Math.max(1, goal.target - 1) } : goal));
        const first = addPlan(resident, 1, 'archived', text, firstAgreed, addMonths(reviewedOn, REVIEW_INTERVAL_MONTHS), easier);
        addReview(resident, first.plan.id, reviewedOn, first.goals, pick([1, 2]));
        const second = addPlan(resident, 2, 'agreed', text, reviewedOn, addMonths(reviewedOn, REVIEW_INTERVAL_MONTHS));
        const interim = addDays(reviewedOn, between(80, 95));
        if (random() < 0.5 && interim <= addDays(today, -7)) {
          addReview(resident, second.plan.id, interim, second.goals);
          second.plan.nextReviewOn = addMonths(interim, REVIEW_INTERVAL_MONTHS);
        }
        break;
      }
      default: {
        const agreedOn = later(settled, addDays(today, -between(40, 150)));
        const current = addPlan(resident, 1, 'agreed', text, agreedOn, addMonths(agreedOn, REVIEW_INTERVAL_MONTHS));
        const interim = addDays(agreedOn, between(60, 75));
        if (random() < 0.6 && interim <= addDays(today, -5)) {
          addReview(resident, current.plan.id, interim, current.goals);
          current.plan.nextReviewOn = addMonths(interim, REVIEW_INTERVAL_MONTHS);
        }
        if (demo.stories[name] === 'nextDraft') {
          addPlan(resident, 2, 'draft', text, null, null, [...text.goals, demo.nextDraftGoal]);
        }
      }
    }
  }

  await insertInBatches(m, ActivityPlan, plans);
  // Each agreed plan's history starts with the plan as seeded (issue 18 item 2b).
  const seededAt = new Date();
  await insertInBatches(m, ActivityPlanHistory, plans.filter((p) => keepsPlanHistory(p as PlanHistoryValues)).map((p) => planHistoryRow(p as PlanHistoryValues, seededAt)));
  await insertInBatches(m, PlanGoal, goals);
  await insertInBatches(m, PlanReview, reviews);
  await insertInBatches(m, GoalAttainment, scores);
  await insertInBatches(m, Contribution, contributions);
}
