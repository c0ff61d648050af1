/** Values of this module's records that other modules may use (forms, filters, reports). */
export const AUTHOR_TYPES = ['resident', 'family', 'volunteer', 'staff'] as const;
export type AuthorType = (typeof AUTHOR_TYPES)[number];
export const SUGGESTION_KINDS = ['activity_idea', 'plan_change', 'life_story'] as const;
export type SuggestionKind = (typeof SUGGESTION_KINDS)[number];
export const SUGGESTION_STATUSES = ['new', 'accepted', 'declined', 'done'] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];
export const PERSPECTIVES = ['resident', 'family', 'staff'] as const;
export type Perspective = (typeof PERSPECTIVES)[number];
