/** What a calendar feed follows: a whole home, one unit of it, or (for a relative) one resident. */
export const FEED_SCOPES = ['home', 'unit', 'resident'] as const;
export type FeedScope = (typeof FEED_SCOPES)[number];
