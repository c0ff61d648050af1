/** Values of this module's records that other modules may use (forms, filters, reports). */
export const AUDIT_ACTIONS = [
  'create', 'update', 'archive', 'login', 'login_failed', 'logout', 'export', 'view_sensitive', 'access_denied', 'erase',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
