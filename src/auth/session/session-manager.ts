import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { SessionUser } from '../../common/access/session-user';
import { destroySession, regenerateSession, saveSession, SESSION_COOKIE, sessionIdOf } from '../../common/http/session';
import { DatabaseSessionStore } from './database-session.store';
import type { SessionData } from './session-data';

export { SESSION_COOKIE };

/** Starts and ends signed-in sessions: a new id at every sign-in, nothing left behind at sign-out. */
@Injectable()
export class SessionManager {
  constructor(private readonly store: DatabaseSessionStore) {}

  /** `extra`: what a PIN session on a ward tablet adds (its device, its 5-minute idle limit). */
  async start(req: Request, user: SessionUser, extra: Pick<SessionData, 'deviceId' | 'signedInBy' | 'idleTimeoutMs'> = {}): Promise<void> {
    // A new id, so a session id planted before sign-in is worth nothing after it.
    await regenerateSession(req);
    req.session.userId = user.id;
    req.session.authenticatedAt = Date.now();
    Object.assign(req.session, extra);
    await saveSession(req);
  }

  async end(req: Request, res: Response): Promise<void> {
    await destroySession(req);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  /** After a password change: other devices are signed out, and this one gets a fresh session id. */
  async afterPasswordChange(req: Request, user: SessionUser): Promise<void> {
    const authenticatedAt = req.session.authenticatedAt;
    await regenerateSession(req);
    req.session.userId = user.id;
    req.session.authenticatedAt = authenticatedAt ?? Date.now();
    await saveSession(req);
    await this.store.endForUser(user.id, 'passwordChanged', sessionIdOf(req));
  }
}
