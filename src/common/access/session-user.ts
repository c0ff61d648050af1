import type { Role } from '../../auth/auth.enums';

/** The signed-in user as every request sees it: loaded once per request from the database. */
export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  locale: string;
  personKind: string | null;
  personId: string | null;
  /** Homes the user is a member of; for an admin, every home; for a group manager, every home of their groups. */
  homeIds: string[];
  /** A group manager's groups (docs/groups.md); absent for every other role. */
  groupIds?: string[];
  /** The time zone dates and times are shown in: the user's first home's (Europe/Rome without one). */
  timezone: string;
}
