import { DateTime } from 'luxon';

/**
 * Instants are stored in UTC; people think in the home's local dates and times. These convert at the
 * edges (forms, views, reports), always with the home's time zone.
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export function isIsoDate(value: string): boolean {
  return ISO_DATE.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}

export function isTimeOfDay(value: string): boolean {
  return HH_MM.test(value);
}

/** The UTC instant of a local date and time in a zone ("2026-03-29", "02:30" in Europe/Rome moves to 03:30). */
export function localToUtc(date: string, time: string, zone: string): Date {
  const local = DateTime.fromISO(`${date}T${time}`, { zone });
  if (!local.isValid) throw new RangeError(`Not a valid local date and time: ${date} ${time} ${zone}`);
  return local.toUTC().toJSDate();
}

/** The local date (YYYY-MM-DD) and time (HH:MM) of an instant in a zone. */
export function utcToLocal(instant: Date, zone: string): { date: string; time: string; weekday: number } {
  const local = DateTime.fromJSDate(instant, { zone });
  return { date: local.toISODate()!, time: local.toFormat('HH:mm'), weekday: local.weekday };
}

/** [start, end) of a local day as UTC instants; 23 or 25 hours long on clock-change days. */
export function localDayRange(date: string, zone: string): { start: Date; end: Date } {
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  return { start: start.toUTC().toJSDate(), end: start.plus({ days: 1 }).toUTC().toJSDate() };
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
  return DateTime.fromJSDate(now, { zone }).toISODate()!;
}
