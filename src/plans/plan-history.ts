import { EntityManager } from 'typeorm';
import { ActivityPlanHistory } from './entities/activity-plan-history.entity';
import type { ActivityPlan } from './entities/activity-plan.entity';

/** The values of a plan its history keeps (issue 18 item 2b). */
export type PlanHistoryValues = Pick<ActivityPlan, 'id' | 'homeId' | 'status' | 'agreedOn' | 'nextReviewOn'>;

/** A plan's history row: its values as they are from `validFrom` on. */
export function planHistoryRow(plan: PlanHistoryValues, validFrom: Date): Omit<ActivityPlanHistory, 'id'> {
  return { homeId: plan.homeId, planId: plan.id, status: plan.status, agreedOn: plan.agreedOn, nextReviewOn: plan.nextReviewOn, validFrom };
}

/** Whether a plan has a history: from its agreement on (a draft is no plan in force). */
export function keepsPlanHistory(plan: Pick<ActivityPlan, 'status'>): boolean {
  return plan.status !== 'draft';
}

/** Writes a plan's values as they now are, in the transaction that changed them. */
export async function recordPlanHistory(m: EntityManager, plan: PlanHistoryValues, validFrom = new Date()): Promise<void> {
  if (keepsPlanHistory(plan)) await m.insert(ActivityPlanHistory, planHistoryRow(plan, validFrom));
}
