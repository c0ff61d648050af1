import type { Request } from 'express';
import { regenerateSession, saveSession } from '../../common/http/session';

/** How long the half-signed state (password right, code not yet) lasts. */
export const MFA_PENDING_MS = 5 * 60_000;

/**
 * After the password, for a user with MFA: a new session that is not signed in (no `userId`, so the
 * request context sees nobody), holding who is to be asked for a code and where they were going.
 */
export async function startPendingSignIn(req: Request, userId: string, next: string): Promise<void> {
  await regenerateSession(req);
  req.session.mfaPending = { userId, next, expiresAt: Date.now() + MFA_PENDING_MS };
  await saveSession(req);
}

/** The pending sign-in of this session, or undefined when there is none or it has expired (then it is dropped). */
export function pendingSignIn(req: Request): { userId: string; next: string } | undefined {
  const pending = req.session?.mfaPending;
  if (!pending) return undefined;
  if (Date.now() > pending.expiresAt) {
    delete req.session.mfaPending;
    return undefined;
  }
  return pending;
}

export async function endPendingSignIn(req: Request): Promise<void> {
  delete req.session.mfaPending;
  await saveSession(req);
}
