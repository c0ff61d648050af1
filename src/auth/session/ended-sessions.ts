import type { EntityManager } from 'typeorm';
import { In, Not } from 'typeorm';
import { SessionRecord } from '../entities/session.entity';

/**
 * Why a signed-in session ended, as the sign-in page tells the person who comes back to it:
 * - `expired`: 30 minutes without use (the store no longer has it; also any session cookie it does not know);
 * - `tooLong`: 12 hours after signing in, whatever the use;
 * - `passwordChanged`: the password was changed on another device, or reset through an emailed link;
 * - `passwordReset`: an administrator or manager forced a password reset;
 * - `accountDisabled`: the account was disabled, or the person's record archived.
 */
export const SESSION_END_REASONS = ['expired', 'tooLong', 'passwordChanged', 'passwordReset', 'accountDisabled'] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

export function isSessionEndReason(value: unknown): value is SessionEndReason {
  return typeof value === 'string' && (SESSION_END_REASONS as readonly string[]).includes(value);
}

/** How long an ended session's marker says why (then the store prunes it, and the page says `expired`). */
export const ENDED_MARKER_MS = 12 * 60 * 60 * 1000;

/**
 * Ends every signed-in session of a user (but `exceptSid`), inside the caller's transaction, in one
 * statement. Each session keeps nothing of the user: its row becomes a marker holding only why it
 * ended, so the device that comes back with it is told the reason rather than "30 minutes without
 * use". The marker names no user
 * (`userId` null) and is read once: the request that reads it gives the browser a new session id.
 */
export async function endSessionsOf(m: EntityManager, userId: string, reason: SessionEndReason, exceptSid?: string): Promise<void> {
  await m.update(
    SessionRecord,
    exceptSid ? { userId, sid: Not(In([exceptSid])) } : { userId },
    { userId: null, data: JSON.stringify({ endedBecause: reason }), expiresAt: new Date(Date.now() + ENDED_MARKER_MS) },
  );
}
