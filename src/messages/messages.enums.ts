import type { Role } from '../auth/auth.enums';

/** The two sides of a resident's thread: the home's staff, and the resident's linked relatives. */
export const MESSAGE_SIDES = ['home', 'family'] as const;
export type MessageSide = (typeof MESSAGE_SIDES)[number];

/**
 * The staff roles that take part in relatives' threads: they read and write for the home and hear of
 * new messages. Managers and coordinators answer families already (suggestions, offers); carers work on
 * a shared ward tablet and admins are the group's IT and data-protection lead, so neither does.
 */
export const HOME_SIDE_ROLES: Role[] = ['manager', 'coordinator'];

/** The longest message, in characters (after trimming). */
export const MESSAGE_MAX_LENGTH = 4000;
