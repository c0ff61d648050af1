import { ConflictError } from '../common/errors/domain-errors';
import type { ResidentDetail } from '../residents/residents.service';
import type { PlanStatus } from './plans.enums';

/** Residents who live in the home now: only they get new plan versions and reviews. */
const CURRENT_STATUSES = ['active', 'on_leave'];

export interface PlanResidentView {
  id: string;
  fullName: string;
  displayName: string;
  isCurrent: boolean;
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
