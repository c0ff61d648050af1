import type { SessionUser } from '../../common/access/session-user';
import { DEFAULT_TIMEZONE } from '../../homes/places';
import type { User } from '../entities/user.entity';

/**
 * The user behind a session in one statement, run on every request (AuthService.findSessionUser):
 * the account, its homes in the order joined and each home's zone. Pure pieces, so the benchmark's
 * bare Today server (src/cli/bench/) runs the very same statement.
 */
export const SESSION_USER_SQL =
  // The one exception to "SQL names only its module's tables": each home's zone is read in the
  // statement every request runs, which a call to the homes module would double (README, Performance).
  // eslint-disable-next-line insieme/sql-table-ownership
  `SELECT u.id, u.email, u."displayName", u.role, u.locale, u."personKind", u."personId", u."disabledAt", m."homeId", h.timezone
       FROM "user" u LEFT JOIN membership m ON m."userId" = u.id LEFT JOIN home h ON h.id = m."homeId"
       WHERE u.id = ? ORDER BY m."createdAt", m.id`;

export type SessionUserRow = Pick<User, 'id' | 'email' | 'displayName' | 'role' | 'locale' | 'personKind' | 'personId'> & {
  disabledAt: unknown;
  homeId: string | null;
  timezone: string | null;
};

/**
 * The signed-in user from SESSION_USER_SQL's rows; null when the account is gone or disabled. An
 * admin's homes are every home, which the caller reads (the rows hold only their memberships).
 */
export function sessionUserOf(rows: SessionUserRow[]): SessionUser | null {
  const user = rows[0];
  if (!user || user.disabledAt !== null) return null;
  const homes = rows.filter((row) => row.homeId !== null);
  return {
    id: user.id, email: user.email, displayName: user.displayName, role: user.role, locale: user.locale, personKind: user.personKind, personId: user.personId,
    homeIds: homes.map((row) => row.homeId!), timezone: homes[0]?.timezone ?? DEFAULT_TIMEZONE,
  };
}
