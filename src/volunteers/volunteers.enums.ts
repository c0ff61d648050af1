/** Values of this module's records that other modules may use (forms, filters, reports). */
export const VOLUNTEER_STATUSES = ['active', 'paused', 'left'] as const;
export type VolunteerStatus = (typeof VOLUNTEER_STATUSES)[number];
