import { DateTime } from 'luxon';

/**
 * Instants are stored in UTC; people think in the home's local dates and times. These convert at the
 * edges (forms, views, reports), always with the home's time zone.
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The days the app deals in: nobody in a care home was born before 1900, and nothing is planned past
 * 2200. Outside them date arithmetic leaves four-digit years (9999-12-27 plus a week) and the engines
 * disagree; every date a client sends is held to them (forms, API bodies, query parameters).
 */
export const EARLIEST_DATE = '1900-01-01';
export const LATEST_DATE = '2200-12-31';

/** A day that exists, as YYYY-MM-DD, between EARLIEST_DATE and LATEST_DATE. */
export function isIsoDate(value: string): boolean {
  return isCalendarDate(value) && isDateInBounds(value);
}

/** A day that exists, as YYYY-MM-DD, in any year. */
export function isCalendarDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  // The calendar's own rule, by arithmetic (luxon's parser cost a page's query check more than the rest of it).
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31);
}

/** Whether a YYYY-MM-DD date (or an ISO instant, by its date) lies within the app's bounds. */
export function isDateInBounds(value: string): boolean {
  const day = value.slice(0, 10);
  return day >= EARLIEST_DATE && day <= LATEST_DATE;
}

/** The UTC instant of a local date and time in a zone ("2026-03-29", "02:30" in Europe/Rome moves to 03:30). */
export function localToUtc(date: string, time: string, zone: string): Date {
  const local = DateTime.fromISO(`${date}T${time}`, { zone });
  if (!local.isValid) throw new RangeError(`Not a valid local date and time: ${date} ${time} ${zone}`);
  return local.toUTC().toJSDate();
}

/**
 * Offsets from UTC change only at a zone's transitions, which fall on whole quarter hours. The
 * offset found for a quarter hour is kept (per zone), so pages listing many instants ask the time
 * zone database once per quarter hour instead of once per instant.
 */
const QUARTER_HOUR_MS = 15 * 60_000;
const offsetCache = new Map<string, Map<number, number>>();

/** Minutes to add to UTC to get local time in a zone, at an instant. */
export function offsetMinutes(instant: number, zone: string): number {
  const quarter = Math.floor(instant / QUARTER_HOUR_MS);
  let byQuarter = offsetCache.get(zone);
  if (!byQuarter) {
    byQuarter = new Map();
    offsetCache.set(zone, byQuarter);
  }
  const known = byQuarter.get(quarter);
  if (known !== undefined) return known;
  const atStart = DateTime.fromMillis(quarter * QUARTER_HOUR_MS, { zone }).offset;
  // A transition inside the quarter hour (only in some zones' distant past): not kept.
  if (DateTime.fromMillis((quarter + 1) * QUARTER_HOUR_MS - 1, { zone }).offset !== atStart) return DateTime.fromMillis(instant, { zone }).offset;
  if (byQuarter.size >= 200_000) byQuarter.clear();
  byQuarter.set(quarter, atStart);
  return atStart;
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** The local date (YYYY-MM-DD), time (HH:MM) and ISO weekday (Monday 1) of an instant in a zone. */
export function utcToLocal(instant: Date, zone: string): { date: string; time: string; weekday: number } {
  const local = new Date(instant.getTime() + offsetMinutes(instant.getTime(), zone) * 60_000);
  const year = local.getUTCFullYear();
  const yyyy = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : DateTime.fromJSDate(instant, { zone }).toISODate()!.slice(0, -6);
  return {
    date: `${yyyy}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`,
    time: `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`,
    weekday: ((local.getUTCDay() + 6) % 7) + 1,
  };
}

const dayRanges = new Map<string, { start: number; end: number }>();

/** [start, end) of a local day as UTC instants; 23 or 25 hours long on clock-change days. */
export function localDayRange(date: string, zone: string): { start: Date; end: Date } {
  const key = `${zone} ${date}`;
  let range = dayRanges.get(key);
  if (!range) {
    const start = DateTime.fromISO(date, { zone }).startOf('day');
    range = { start: start.toMillis(), end: start.plus({ days: 1 }).toMillis() };
    if (dayRanges.size >= 20_000) dayRanges.clear();
    dayRanges.set(key, range);
  }
  return { start: new Date(range.start), end: new Date(range.end) };
}

/** [start, end) of several local days starting at `date`. */
export function localDaysRange(date: string, days: number, zone: string): { start: Date; end: Date } {
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  return { start: start.toUTC().toJSDate(), end: start.plus({ days }).toUTC().toJSDate() };
}

export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

/** The Monday of the week holding a date. */
export function mondayOf(date: string): string {
  const day = DateTime.fromISO(date, { zone: 'UTC' });
  return day.minus({ days: day.weekday - 1 }).toISODate()!;
}

export function firstOfMonth(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

export function todayIn(zone: string, now = new Date()): string {
  return utcToLocal(now, zone).date;
}
