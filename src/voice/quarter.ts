import { DateTime } from 'luxon';
import { todayIn } from '../common/time/zoned';

const QUARTER = /^(\d{4})-Q([1-4])$/;

/** The quarter a local date falls in: "2026-11-28" -> "2026-Q4". */
export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}-Q${Math.ceil(Number(date.slice(5, 7)) / 3)}`;
}

/** The quarter it is now in a home's time zone (a check-in on 1 October just after midnight in Rome is Q4). */
export function currentQuarter(zone: string, now = new Date()): string {
  return quarterOf(todayIn(zone, now));
}

/** The quarter before: "2026-Q1" -> "2025-Q4". */
export function previousQuarter(quarter: string): string {
  const match = QUARTER.exec(quarter);
  if (!match) throw new RangeError(`Not a quarter: ${quarter}`);
  const year = Number(match[1]);
  const q = Number(match[2]);
  return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
}

/** The first and last local dates of a quarter. */
export function quarterRange(quarter: string): { first: string; last: string } {
  const match = QUARTER.exec(quarter);
  if (!match) throw new RangeError(`Not a quarter: ${quarter}`);
  const first = DateTime.fromObject({ year: Number(match[1]), month: (Number(match[2]) - 1) * 3 + 1, day: 1 }, { zone: 'UTC' });
  return { first: first.toISODate()!, last: first.plus({ months: 3 }).minus({ days: 1 }).toISODate()! };
}
