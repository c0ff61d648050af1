/** Values of this module's records that other modules may use (forms, filters, reports). */
export const AUDIT_ACTIONS = [
  'create', 'update', 'archive', 'login', 'login_failed', 'logout', 'export', 'view_sensitive', 'access_denied', 'erase',
  // Ward tablets: a manager revokes a tablet, unlocks a carer's PIN.
  'revoke', 'unlock',
  // MFA (issue 17 item 6): enrolment, a code or recovery code accepted, a wrong code, new recovery codes, reset by an admin or manager, turned off by the user.
  'mfa_enrol', 'mfa_verify', 'mfa_recovery_used', 'mfa_failed', 'mfa_codes_renewed', 'mfa_reset', 'mfa_disable',
  // The audit chain itself: the entry that seals a chain written before AUDIT_KEY and keys the rest.
  'rekey',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
