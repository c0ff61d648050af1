import type { Message } from '../../common/errors/domain-errors';
import type { SessionEndReason } from './ended-sessions';

/** What a session holds (`req.session`), stored as JSON in the session table (DatabaseSessionStore). */
export interface SessionData {
  userId?: string;
  /** When the user signed in (ms since epoch); the session ends 12 h later whatever the activity. */
  authenticatedAt?: number;
  flash?: { kind: 'success' | 'error' | 'info'; message: Message }[];
  /** The synchroniser token csrf-sync keeps in the session. */
  csrfToken?: string | null;
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
