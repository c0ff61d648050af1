/** Values of this module's records that other modules may use (forms, filters, reports). */
export const ACTIVITY_CATEGORIES = [
  'physical', 'cognitive', 'creative', 'social', 'spiritual', 'sensory', 'life_skills', 'outing', 'intergenerational',
] as const;
export type ActivityCategory = (typeof ACTIVITY_CATEGORIES)[number];
export const ACTIVITY_STATUSES = ['planned', 'completed', 'cancelled'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];
export const HELP_OFFER_STATUSES = ['offered', 'confirmed', 'declined', 'withdrawn'] as const;
export type HelpOfferStatus = (typeof HELP_OFFER_STATUSES)[number];
export const HELP_KINDS = ['deliver', 'join'] as const;
export type HelpKind = (typeof HELP_KINDS)[number];
export const ENGAGEMENTS = ['active', 'passive', 'disengaged', 'declined', 'absent'] as const;
export type Engagement = (typeof ENGAGEMENTS)[number];
/** Engagements that count as having attended (SPEC 5). */
export const ATTENDED: readonly Engagement[] = ['active', 'passive', 'disengaged'];

/** How the activity page chooses residents to invite: ticked, a whole unit, those who like the activity, those below their weekly target. */
export const INVITE_MODES = ['selected', 'unit', 'likes', 'belowTarget'] as const;
export type InviteMode = (typeof INVITE_MODES)[number];
/** A roster change on a series' occurrence: this one only, or it and the following ones. */
export const OCCURRENCE_SCOPES = ['this', 'following'] as const;
export type OccurrenceScope = (typeof OCCURRENCE_SCOPES)[number];
