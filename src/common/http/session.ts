import type { Request } from 'express';

/** The session cookie's name (set by the session middleware, src/auth/session/session.middleware.ts). */
export const SESSION_COOKIE = 'insieme.sid';

/**
 * What the session middleware gives each request beside `req.session`: its id (none until the session
 * is first stored) and the three things a request may do to it besides changing its data.
 */
export interface SessionControl {
  readonly id: string | undefined;
  /** A new id and empty data (at sign-in, so an id planted before it is worth nothing); the old row goes. */
  regenerate(): Promise<void>;
  /** Stored now rather than when the response ends. */
  save(): Promise<void>;
  /** Removed from the store; nothing of it is stored again by this request. */
  destroy(): Promise<void>;
}

export function regenerateSession(req: Request): Promise<void> {
  return req.sessionControl.regenerate();
}

export function saveSession(req: Request): Promise<void> {
  return req.sessionControl.save();
}

export function destroySession(req: Request): Promise<void> {
  return req.sessionControl.destroy();
}

/** The id of the request's stored session, if it has one. */
export function sessionIdOf(req: Request): string | undefined {
  return req.sessionControl.id;
}

export function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** The path as the client asked for it; inside mounted middleware `req.path` is relative to the mount. */
export function requestPath(req: Request): string {
  return (req.originalUrl ?? req.url).split('?')[0];
}

/** API and JSON clients get JSON; browsers get pages. */
export function wantsJson(req: Request): boolean {
  const path = requestPath(req);
  return path.startsWith('/api/') || path === '/api' || path === '/health';
}
