import type { SessionUser } from '../common/access/session-user';

/** Who may do what with activities (SPEC 1). Record-level checks (home, confirmed helper) are in the services. */
const EDITORS = new Set(['admin', 'manager', 'coordinator']);
const STAFF = new Set(['admin', 'manager', 'coordinator', 'carer']);

export function canPlanActivities(user: SessionUser): boolean {
  return EDITORS.has(user.role);
}

export function isActivityStaff(user: SessionUser): boolean {
  return STAFF.has(user.role);
}
