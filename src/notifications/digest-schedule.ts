import { localToUtc, todayIn } from '../common/time/zoned';
import { DIGEST_HOUR } from './notifications.enums';

export interface DigestDue {
  /** The local day whose digest is due (YYYY-MM-DD). */
  localDate: string;
  /** That day's digest hour as an instant: the digest lists what came before it. */
  cutoff: Date;
}

/**
 * Whether a digest is due at `now` in a time zone: once the local clock has passed the digest hour,
 * and until local midnight (a process that was down at seven still sends that morning's digest when
 * it comes back). The hour is local, so it moves in UTC with summer time.
 */
export function digestDue(zone: string, now: Date, hour = DIGEST_HOUR): DigestDue | null {
  const localDate = todayIn(zone, now);
  const cutoff = localToUtc(localDate, `${String(hour).padStart(2, '0')}:00`, zone);
  return now.getTime() >= cutoff.getTime() ? { localDate, cutoff } : null;
}

/** The homes whose digest is due now, each with its local day and cutoff. */
export function homesDue<H extends { id: string; timezone: string }>(homes: H[], now: Date, hour = DIGEST_HOUR): (H & DigestDue)[] {
  const due: (H & DigestDue)[] = [];
  for (const home of homes) {
    const when = digestDue(home.timezone, now, hour);
    if (when) due.push({ ...home, ...when });
  }
  return due;
}
