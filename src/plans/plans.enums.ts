/** Values of this module's records that other modules may use (forms, filters, reports). */
export const PLAN_STATUSES = ['draft', 'agreed', 'archived'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const GOAL_STATUSES = ['active', 'achieved', 'dropped'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];
