import { csrfSync } from 'csrf-sync';
import type { Request } from 'express';

/** The token a request carries: the `X-CSRF-Token` header (API clients, scripts) or the `_csrf` form field. */
export function csrfTokenFrom(req: Request): string | undefined {
  const header = req.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const field = (req.body as Record<string, unknown> | undefined)?._csrf;
  return typeof field === 'string' ? field : undefined;
}

/**
 * Signed-in users: synchroniser tokens kept in their session; forms send `_csrf`, API clients the
 * `X-CSRF-Token` header (given to them at sign-in). Anonymous visitors have no session, and use the
 * signed double-submit token instead (signed-double-submit.ts).
 */
export const csrf = csrfSync({ getTokenFromRequest: csrfTokenFrom });
