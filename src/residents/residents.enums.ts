/** Values of this module's records that other modules may use (forms, filters, reports). */
export const FAMILY_ACCESS = ['view', 'contribute'] as const;
export type FamilyAccess = (typeof FAMILY_ACCESS)[number];
export const RESIDENT_STATUSES = ['active', 'on_leave', 'discharged', 'deceased'] as const;
export type ResidentStatus = (typeof RESIDENT_STATUSES)[number];
export const FAMILY_PORTAL_CONSENTS = ['none', 'summary', 'full'] as const;
export type FamilyPortalConsent = (typeof FAMILY_PORTAL_CONSENTS)[number];
