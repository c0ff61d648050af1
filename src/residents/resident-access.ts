import type { SessionUser } from '../common/access/session-user';
import type { FamilyPortalConsent } from './residents.enums';

/**
 * How much of a resident a reader may see (SPEC 1):
 * - staff: the whole record (admin, manager, coordinator, carer of the home);
 * - family_full / family_summary: a relative with an active link, as the resident's family-portal
 *   consent allows; summary hides notes and plan detail; staff-only fields are never shown;
 * - volunteer: preferred name, photo (with consent), interests and communication tips only.
 */
export type ResidentLens = 'staff' | 'family_full' | 'family_summary' | 'volunteer';

const STAFF_ROLES = new Set(['admin', 'manager', 'coordinator', 'carer']);
const EDITOR_ROLES = new Set(['admin', 'manager', 'coordinator']);

export function isStaffReader(user: SessionUser): boolean {
  return STAFF_ROLES.has(user.role);
}

export function canEditResidents(user: SessionUser): boolean {
  return EDITOR_ROLES.has(user.role);
}

export function lensFor(user: SessionUser, familyPortal: FamilyPortalConsent): ResidentLens {
  if (isStaffReader(user)) return 'staff';
  if (user.role === 'family') return familyPortal === 'full' ? 'family_full' : 'family_summary';
  return 'volunteer';
}
