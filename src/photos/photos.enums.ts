/** The two sizes every photo is kept in. */
export const PHOTO_SIZES = ['full', 'thumb'] as const;
export type PhotoSize = (typeof PHOTO_SIZES)[number];

/** Photos on one page of an activity's photos and of a relative's news feed. */
export const PHOTO_PAGE_SIZE = 12;
export const FEED_PAGE_SIZE = 10;
/** A feed is paged back at most this far (older items stay in the subject-access export). */
export const MAX_FEED_PAGE = 50;
export const MAX_CAPTION = 300;
export const MAX_POST = 2000;
