/** Where a volunteer's background check stands on a given day. */
export type BackgroundCheckStatus = 'valid' | 'expiring' | 'expired' | 'missing';

/** How far ahead a check that is about to run out is flagged (SPEC 3: "a warning 60 days ahead"). */
export const CHECK_WARNING_DAYS = 60;

const DAY_MS = 24 * 60 * 60 * 1000;

/** A calendar date (YYYY-MM-DD) moved by whole days; computed in UTC so no clock change shifts it. */
function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The one rule for background checks. `today` is today's date in the home's time zone, so a check
 * runs out at the home's midnight, not the server's. YYYY-MM-DD strings compare correctly as text.
 */
export function backgroundCheckStatus(expiresOn: string | null, today: string): BackgroundCheckStatus {
  if (!expiresOn) return 'missing';
  if (expiresOn < today) return 'expired';
  if (expiresOn <= addDays(today, CHECK_WARNING_DAYS)) return 'expiring';
  return 'valid';
}

/** Why a volunteer may not be given new work (SPEC 3): not active (paused or left), or their check has run out. */
export type NotAssignable = { reason: 'notActive'; status: string } | { reason: 'checkExpired'; expiredOn: string };

/**
 * The one rule for giving a volunteer new work on a day (`today` in the home's time zone): active, and
 * their check not run out. Null when they may; otherwise why not (their status first: a paused
 * volunteer is not asked, whatever their check).
 */
export function whyNotAssignable(volunteer: { status: string; backgroundCheckExpiresOn: string | null }, today: string): NotAssignable | null {
  if (volunteer.status !== 'active') return { reason: 'notActive', status: volunteer.status };
  if (backgroundCheckStatus(volunteer.backgroundCheckExpiresOn, today) === 'expired') return { reason: 'checkExpired', expiredOn: volunteer.backgroundCheckExpiresOn! };
  return null;
}
