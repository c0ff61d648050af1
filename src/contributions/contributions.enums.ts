/** Values of this module's records that other modules may use (forms, filters, reports). */
export const PHASES = ['co_commissioning', 'co_design', 'co_delivery', 'co_assessment'] as const;
export type Phase = (typeof PHASES)[number];
export const ACTOR_TYPES = ['resident', 'family', 'volunteer', 'staff'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];
export const CONTRIBUTION_SOURCES = ['manual', 'help_offer', 'plan_review', 'suggestion', 'feedback', 'check_in'] as const;
export type ContributionSource = (typeof CONTRIBUTION_SOURCES)[number];
