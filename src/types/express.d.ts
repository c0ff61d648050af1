import type { SessionUser } from '../common/access/session-user';
import type { SessionEndReason } from '../auth/session/ended-sessions';
import type { Message } from '../common/errors/domain-errors';

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
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    /** When the user signed in (ms since epoch); the session ends 12 h later whatever the activity. */
    authenticatedAt?: number;
    flash?: { kind: 'success' | 'error' | 'info'; message: Message }[];
    csrfToken?: string;
    /** A PIN session on an enrolled ward tablet: the tablet it was started on (checked on every request). */
    deviceId?: string;
    signedInBy?: 'password' | 'pin';
    /** Idle expiry counted by the session store; 30 minutes when absent, 5 for a PIN session. */
    idleTimeoutMs?: number;
    /** Password checked, MFA code not yet (src/auth/mfa): not signed in; ends at `expiresAt` (ms since epoch). */
    mfaPending?: { userId: string; next: string; expiresAt: number };
    /** An MFA enrolment shown but not yet confirmed: its secret, sealed (src/auth/mfa), and when it was made. */
    mfaEnrolment?: { sealed: string; startedAt: number };
    /** An ended session's marker (src/auth/session/ended-sessions.ts): no user, only why it ended. */
    endedBecause?: SessionEndReason;
  }
}

export {};
