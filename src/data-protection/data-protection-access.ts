import type { Role } from '../auth/auth.enums';
import type { SessionUser } from '../common/access/session-user';

/**
 * Who handles data-protection requests (SPEC 1: the admin is the group's data protection lead; the
 * manager answers for everything in their home). Coordinators and care staff do not: an export holds
 * the whole record, staff notes and the audit trail included, and erasure cannot be undone.
 */
export const DATA_PROTECTION_ROLES = ['admin', 'manager'] as const satisfies readonly Role[];

export function canHandleDataProtection(user: SessionUser): boolean {
  return (DATA_PROTECTION_ROLES as readonly Role[]).includes(user.role);
}
