import type { Request } from 'express';

/** The session cookie's name (express-session's, set in app.setup.ts). */
export const SESSION_COOKIE = 'insieme.sid';

/** express-session's callbacks as promises. */
export function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

export function destroySession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
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
