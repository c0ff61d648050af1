import type { SessionUser } from '../common/access/session-user';
import { ConflictError } from '../common/errors/domain-errors';
import type { ResidentDetail } from '../residents/residents.service';
import type { PlanStatus } from './plans.enums';

/** Who may write plans, and who may read them on the staff pages (SPEC 1). */
export const PLAN_EDITORS = ['admin', 'manager', 'coordinator'] as const;
export const PLAN_READERS = [...PLAN_EDITORS, 'carer'] as const;
/** Who answers for overdue reviews. */
export const PLAN_OVERSEERS = PLAN_EDITORS;

/** Residents who live in the home now: only they get new plan versions and reviews. */
const CURRENT_STATUSES = ['active', 'on_leave'];

export interface PlanResidentView {
  id: string;
  fullName: string;
  displayName: string;
  isCurrent: boolean;
}

export function canEdit(user: SessionUser): boolean {
  return (PLAN_EDITORS as readonly string[]).includes(user.role);
}

export function canRead(user: SessionUser): boolean {
  return (PLAN_READERS as readonly string[]).includes(user.role);
}

export function isOverseer(user: SessionUser): boolean {
  return (PLAN_OVERSEERS as readonly string[]).includes(user.role);
}

export function isCurrent(resident: Pick<ResidentDetail, 'status'>): boolean {
  return CURRENT_STATUSES.includes(resident.status);
}

export function residentHead(resident: ResidentDetail): PlanResidentView {
  return { id: resident.id, fullName: resident.fullName, displayName: resident.displayName, isCurrent: isCurrent(resident) };
}

export function assertDraft(plan: { status: PlanStatus }): void {
  if (plan.status !== 'draft') throw new ConflictError({ key: 'plans.onlyDraftEditable' });
}

export function assertAgreed(plan: { status: PlanStatus }): void {
  if (plan.status !== 'agreed') throw new ConflictError({ key: 'plans.reviewNeedsAgreed' });
}
