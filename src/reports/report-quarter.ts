import { DateTime } from 'luxon';
import { localDayRange } from '../common/time/zoned';
import { previousQuarter, quarterOf, quarterRange } from '../voice/quarter';

const QUARTER = /^(\d{4})-Q([1-4])$/;

export { previousQuarter, quarterOf };

export function isQuarter(value: unknown): value is string {
  return typeof value === 'string' && QUARTER.test(value) && Number(value.slice(0, 4)) >= 1900;
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

/** Whole days from one date to another, both included ("2026-07-01" to "2026-07-07" is 7). */
export function daysInclusive(from: string, to: string): number {
  if (to < from) return 0;
  const ms = Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`);
  return Math.round(ms / 86_400_000) + 1;
}

/**
 * Days a resident lived in the home within a period: from the later of admission and the period's
 * first day to the earlier of leaving and its last day, both included (SPEC 5, fair share).
 */
export function residentDaysWithin(admittedOn: string, leftOn: string | null, firstDay: string, lastDay: string): number {
  const from = admittedOn > firstDay ? admittedOn : firstDay;
  const to = leftOn !== null && leftOn < lastDay ? leftOn : lastDay;
  return daysInclusive(from, to);
}

/** The quarter's last day, or today when the quarter is still running (or has not begun). */
export function referenceDate(lastDay: string, today: string): string {
  return today < lastDay ? today : lastDay;
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
