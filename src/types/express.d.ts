import type { SessionUser } from '../common/access/session-user';
import type { SessionEndReason } from '../auth/session/ended-sessions';
import type { SessionData } from '../auth/session/session-data';
import type { SessionControl } from '../common/http/session';

declare global {
  namespace Express {
    interface Request {
      user?: SessionUser;
      locale: string;
      /** The enrolled ward tablet this request came from (a valid `insieme.device` cookie). */
      wardDevice?: { id: string; homeId: string; unitId: string; name: string };
      /** A device cookie was sent but refused: it names no device, or a revoked one. */
      wardDeviceRefused?: 'forged' | 'revoked';
      /** The signed-in session this request's cookie carried has ended, and why (the sign-in page says it). */
      sessionEnded?: SessionEndReason;
      /** The session's data (src/auth/session/session.middleware.ts): change it, and it is saved when the response ends. */
      session: SessionData;
      /** Saving, renewing and ending the session (common/http/session.ts says how to call it). */
      sessionControl: SessionControl;
    }
  }
}

export {};
