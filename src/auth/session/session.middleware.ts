import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Express, NextFunction, Request, Response } from 'express';
import { SESSION_COOKIE, SessionControl } from '../../common/http/session';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DatabaseSessionStore, StoredSession } from './database-session.store';
import { sessionIdFromCookie, signedSessionId } from './session-cookie';

/** JSON of a session that holds nothing: such a session is never stored (an anonymous visit stores nothing). */
const EMPTY = '{}';

/**
 * The session of each request, in the session table (DatabaseSessionStore), behind a signed cookie.
 *
 * `req.session` is the session's data: a handler changes it, and it is stored when the response ends,
 * before the response goes out, so the next request (a redirect followed at once) reads it. A
 * session stored under no id yet gets one then, and its cookie. An unchanged session costs no write:
 * its idle expiry is moved on at most once a minute (DatabaseSessionStore.touch).
 *
 * Our own, in place of express-session (docs/architecture.md says why): the same cookie, so sessions
 * started before stay valid, and the same rules (a new id at sign-in, nothing stored for a visitor
 * who stores nothing, a browser-session cookie); what it drops is the work express-session does on
 * every request for what we do not use (two SHA-1 hashes of the session to see whether it changed, a
 * session id drawn for every anonymous request, `res.end` wrapped in closures on every response, a
 * Cookie object kept in every stored session).
 */
@Injectable()
export class SessionMiddleware {
  readonly logger = new Logger('Session');
  private readonly secret: string;
  private readonly behindTls: boolean;

  constructor(
    readonly store: DatabaseSessionStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.secret = config.sessionSecret;
    this.behindTls = config.trustProxy !== false;
  }

  /**
   * Once, at start-up: the app's responses store their session before they end. Express gives every
   * response this prototype, so no response needs a wrapper of its own.
   */
  install(app: Express): void {
    const response = app.response as Response;
    const end = response.end as (this: Response, ...args: unknown[]) => Response;
    response.end = function endAfterSession(this: Response, ...args: unknown[]): Response {
      const session = (this.req as Request).sessionControl;
      if (!(session instanceof RequestSession) || session.ended) return end.apply(this, args);
      session.ended = true;
      return session.finish(() => end.apply(this, args), this);
    } as Response['end'];
  }

  readonly handle = (req: Request, res: Response, next: NextFunction): void => {
    const cookieId = sessionIdFromCookie(req, this.secret);
    if (cookieId === undefined) {
      req.session = {};
      req.sessionControl = new RequestSession(this, req, res, undefined, undefined);
      next();
      return;
    }
    this.store.load(cookieId).then(
      (stored) => {
        req.session = stored?.data ?? {};
        req.sessionControl = new RequestSession(this, req, res, cookieId, stored);
        next();
      },
      (error: unknown) => next(error),
    );
  };

  /** The cookie, for a session id the browser does not know yet (new, or renewed at sign-in). */
  setCookie(req: Request, res: Response, id: string): void {
    // A browser-session cookie, without Expires (OWASP's advice for session ids: nothing kept on a
    // shared tablet's disk). The 30 minutes idle are counted on the server (DatabaseSessionStore).
    res.cookie(SESSION_COOKIE, signedSessionId(id, this.secret), {
      httpOnly: true, sameSite: 'lax', path: '/', secure: this.behindTls && req.secure,
    });
  }
}

/** One request's session: its id (none until it is stored), the JSON it was last stored as, whether it has ended. */
class RequestSession implements SessionControl {
  id: string | undefined;
  private json: string | undefined;
  private destroyed = false;
  /** The id the browser knows: its cookie's, or the one a cookie was set for. */
  private browserId: string | undefined;
  /** The response has ended (what it stored is settled). */
  ended = false;

  constructor(
    private readonly owner: SessionMiddleware,
    private readonly req: Request,
    private readonly res: Response,
    cookieId: string | undefined,
    stored: StoredSession | undefined,
  ) {
    this.id = stored === undefined ? undefined : cookieId;
    this.json = stored?.json;
    this.browserId = cookieId;
  }

  regenerate(): Promise<void> {
    return this.forget(false);
  }

  async save(): Promise<void> {
    if (this.destroyed) return;
    const json = JSON.stringify(this.req.session);
    this.id ??= randomBytes(24).toString('base64url');
    await this.owner.store.save(this.id, this.req.session, json);
    this.json = json;
    if (this.id !== this.browserId && !this.res.headersSent) {
      this.owner.setCookie(this.req, this.res, this.id);
      this.browserId = this.id;
    }
  }

  destroy(): Promise<void> {
    return this.forget(true);
  }

  /** The stored session goes; the request goes on with empty data, stored again (under a new id) unless destroyed. */
  private async forget(destroyed: boolean): Promise<void> {
    if (this.id !== undefined && this.json !== undefined) await this.owner.store.destroy(this.id);
    this.id = undefined;
    this.json = undefined;
    this.destroyed = destroyed;
    this.req.session = {};
  }

  /** At the response's end: stores what changed, or moves the expiry on, then ends the response. */
  finish(end: () => Response, res: Response): Response {
    if (this.destroyed) return end();
    const json = JSON.stringify(this.req.session);
    let pending: Promise<void> | undefined;
    if (json !== this.json && !(this.json === undefined && json === EMPTY)) pending = this.save();
    else if (this.id !== undefined) pending = this.owner.store.touch(this.id, this.req.session);
    if (pending === undefined) return end();
    pending.then(end, (error: unknown) => {
      this.owner.logger.error(`The session could not be stored: ${String(error)}`);
      end();
    });
    return res;
  }
}
