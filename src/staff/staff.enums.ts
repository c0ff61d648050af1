/** Values of this module's records that other modules may use (forms, filters, reports). */
export const JOB_ROLES = ['care_assistant', 'nurse', 'activity_coordinator', 'physiotherapist', 'manager', 'other'] as const;
export type JobRole = (typeof JOB_ROLES)[number];
export const STAFF_STATUSES = ['active', 'left'] as const;
export type StaffStatus = (typeof STAFF_STATUSES)[number];
