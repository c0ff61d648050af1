import { csrfSync } from 'csrf-sync';
import type { Request } from 'express';

/**
 * Synchroniser tokens kept in the session: forms send `_csrf`, API clients the `X-CSRF-Token` header
 * (given to them at sign-in).
 */
export const csrf = csrfSync({
  getTokenFromRequest: (req: Request) => {
    const header = req.headers['x-csrf-token'];
    if (typeof header === 'string') return header;
    const field = (req.body as Record<string, unknown> | undefined)?._csrf;
    return typeof field === 'string' ? field : undefined;
  },
});
