import { addDays } from '../common/time/zoned';
import { FAIR_SHARE_BUCKETS, FairShareBucketKey } from './quarterly-report.model';

/*
 * The arithmetic of the report. Inputs are integers from the database (counts, minutes, sums of
 * scores); each result is rounded once, from an integer numerator where possible, so that both
 * database engines (and every run) give the same numbers.
 */

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  // The epsilon keeps 1.005 from rounding down because of its binary representation; "+ 0" turns
  // a rounded -0 into 0, so a tiny negative change reads (and compares) as no change.
  return Math.round((value + Math.sign(value) * Number.EPSILON * Math.abs(value)) * factor) / factor + 0;
}

export function round2(value: number): number {
  return roundTo(value, 2);
}

export function round1(value: number): number {
  return roundTo(value, 1);
}

/** Minutes as hours, 2 decimals. */
export function hoursOf(minutes: number): number {
  return round2(minutes / 60);
}

/** part / whole as a percentage with 1 decimal; null when the whole is 0. */
export function percentOf(part: number, whole: number): number | null {
  return whole === 0 ? null : round1((part * 100) / whole);
}

/** sum / count, 2 decimals; null when there is nothing to average. */
export function meanOf(sum: number, count: number): number | null {
  return count === 0 ? null : round2(sum / count);
}

/** The median of numbers (the mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
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

/**
 * Days 1..N of a period counted so far: 0 before it begins, every day once it has ended, and to
 * today (included) while it runs.
 */
export function daysSoFar(firstDay: string, lastDay: string, today: string): number {
  if (today < firstDay) return 0;
  return daysInclusive(firstDay, today < lastDay ? today : lastDay);
}

/**
 * The last of a period's first `days` days (days 1..N), never past its last day; the day before
 * it begins for none. A running quarter's N days are compared with these of the quarter before.
 */
export function lastOfFirstDays(firstDay: string, lastDay: string, days: number): string {
  const last = addDays(firstDay, days - 1);
  return last < lastDay ? last : lastDay;
}

/** The quarter's last day, or today when the quarter is still running (or has not begun). */
export function referenceDate(lastDay: string, today: string): string {
  return today < lastDay ? today : lastDay;
}

/** Attended activities per week over the days someone was resident, 2 decimals (0 for no days). */
export function perWeek(attended: number, days: number): number {
  return days <= 0 ? 0 : round2((attended * 7) / days);
}

/**
 * Below one activity a week, decided on the exact fraction (attended * 7 < days) so a rounded
 * 0.999… never reads as 1.
 */
export function belowOnePerWeek(attended: number, days: number): boolean {
  return days > 0 && attended * 7 < days;
}

/**
 * Residents need at least this many days in the home within the period (the quarter, or its days
 * so far while it runs) before a low fair share lists them as needing attention: a resident admitted
 * yesterday with no activity yet is not a concern (Annex B).
 */
export const ATTENTION_MIN_DAYS = 14;

/** Needing attention: present at least ATTENTION_MIN_DAYS days of the period and below one a week. */
export function needsAttention(attended: number, days: number): boolean {
  return days >= ATTENTION_MIN_DAYS && belowOnePerWeek(attended, days);
}

/** The fair-share bucket of a resident, on the exact fraction (attended * 7 / days). */
export function fairShareBucket(attended: number, days: number): FairShareBucketKey {
  if (attended === 0 || days <= 0) return 'none';
  const bucket = FAIR_SHARE_BUCKETS.find((b) => b.key !== 'none' && attended * 7 >= b.min * days && attended * 7 < b.max * days);
  return bucket?.key ?? 'fivePlus';
}

/** This quarter minus last quarter, rounded like the figure; null when either is missing. */
export function changeOf(current: number | null, previous: number | null, decimals: number): number | null {
  if (current === null || previous === null) return null;
  return roundTo(current - previous, decimals);
}
