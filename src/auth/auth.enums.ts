/** Values of this module's records that other modules may use (forms, filters, reports). */
export const ROLES = ['admin', 'manager', 'coordinator', 'carer', 'volunteer', 'family', 'group_manager'] as const;
export type Role = (typeof ROLES)[number];
export const PERSON_KINDS = ['staff', 'family', 'volunteer'] as const;
export type PersonKind = (typeof PERSON_KINDS)[number];
