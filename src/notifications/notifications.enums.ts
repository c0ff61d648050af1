import type { Role } from '../auth/auth.enums';

/**
 * How a user hears of their notifications: `app` only on the notifications page, `each` also by one
 * mail per notification, `digest` also by one mail a day listing what they have not read.
 */
export const NOTIFICATION_MODES = ['app', 'each', 'digest'] as const;
export type NotificationMode = (typeof NOTIFICATION_MODES)[number];

/**
 * Until a user chooses: relatives are away from the home and rarely open the app, so one mail a day
 * brings them what happened without filling their inbox; staff and volunteers work in the app and see
 * the bell in its header, so they get no mail unless they ask for it.
 */
export function defaultMode(role: Role): NotificationMode {
  return role === 'family' ? 'digest' : 'app';
}

/** The digest goes out once the home's local clock has passed this hour. */
export const DIGEST_HOUR = 7;
