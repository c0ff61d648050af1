import { DateTime } from 'luxon';
import { EARLIEST_DATE, LATEST_DATE, localDayRange, todayIn } from './zoned';

/**
 * Calendar quarters ("2026-Q3") in a home's time zone: what check-ins are asked per, what the
 * quarterly report covers, what volunteers' hours are summed over.
 */

const QUARTER = /^(\d{4})-Q([1-4])$/;

export function isQuarter(value: unknown): value is string {
  return typeof value === 'string' && QUARTER.test(value) && isYearInBounds(Number(value.slice(0, 4)));
}

/** Whether a year lies within the app's dates (EARLIEST_DATE to LATEST_DATE). */
export function isYearInBounds(year: number): boolean {
  return year >= Number(EARLIEST_DATE.slice(0, 4)) && year <= Number(LATEST_DATE.slice(0, 4));
}

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

/** Quarters to choose from, newest first: the current one and the `count - 1` before it. */
export function recentQuarters(today: string, count = 8): string[] {
  const quarters = [quarterOf(today)];
  while (quarters.length < count) quarters.push(previousQuarter(quarters[quarters.length - 1]));
  return quarters;
}

/** The quarter most reports are about: the last one that has ended. */
export function lastCompleteQuarter(today: string): string {
  return previousQuarter(quarterOf(today));
}

/** A calendar period in a home: its local first and last days and the UTC instants [start, end) they span. */
export interface LocalPeriod {
  firstDay: string;
  lastDay: string;
  start: Date;
  end: Date;
}

export interface QuarterBounds extends LocalPeriod {
  quarter: string;
  /** The three calendar months, each with its own bounds; `month` is "2026-07". */
  months: (LocalPeriod & { month: string })[];
}

/** Bounds of local days in a zone: from the first day's midnight to the midnight after the last day. */
export function localPeriod(firstDay: string, lastDay: string, zone: string): LocalPeriod {
  return { firstDay, lastDay, start: localDayRange(firstDay, zone).start, end: localDayRange(lastDay, zone).end };
}

/**
 * A calendar quarter in a home's time zone: "2026-Q3" in Europe/Rome starts at 1 July 00:00 local
 * (30 June 22:00 UTC) and ends at 1 October 00:00 local, so 23:30 local on 30 September is inside.
 */
export function quarterBounds(quarter: string, zone: string): QuarterBounds {
  if (!isQuarter(quarter)) throw new RangeError(`Not a quarter: ${quarter}`);
  const { first, last } = quarterRange(quarter);
  const months = [0, 1, 2].map((offset) => {
    const monthStart = DateTime.fromISO(first, { zone: 'UTC' }).plus({ months: offset });
    const monthFirst = monthStart.toISODate()!;
    const monthLast = monthStart.plus({ months: 1 }).minus({ days: 1 }).toISODate()!;
    return { month: monthFirst.slice(0, 7), ...localPeriod(monthFirst, monthLast, zone) };
  });
  return { quarter, ...localPeriod(first, last, zone), months };
}
