import type { FieldErrors } from '../common/errors/domain-errors';
import type { ActivityCategory } from '../activities/activities.enums';
import type { PlanResidentView } from './plan-access';
import type { GoalRowView } from './plan-form';
import type { GoalStatus, PlanStatus } from './plans.enums';

// What the plan pages, forms and the family portal render: plain view models, no entities.

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
  /** After a refused submission: the scores and participants it also lacks (`reviewCompletenessErrors`). */
  alsoInvalid?: FieldErrors;
}

export interface OverdueView {
  /** unitName is then "home · unit" (the reader has several homes). */
  severalHomes: boolean;
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
