import type { SessionUser } from '../common/access/session-user';
import type { Message } from '../common/errors/domain-errors';

declare global {
  namespace Express {
    interface Request {
      user?: SessionUser;
      locale: string;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    /** When the user signed in (ms since epoch); the session ends 12 h later whatever the activity. */
    authenticatedAt?: number;
    locale?: string;
    flash?: { kind: 'success' | 'error' | 'info'; message: Message }[];
    csrfToken?: string;
  }
}

export {};
