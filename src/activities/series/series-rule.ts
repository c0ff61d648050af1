import { DateTime } from 'luxon';
import { Options, RRule, Weekday } from 'rrule';
import type { FieldErrors } from '../../common/errors/domain-errors';
import { translate } from '../../common/i18n/i18n';
import { formatDate } from '../../common/views/format';
import { addDays, LATEST_DATE, localToUtc } from '../../common/time/zoned';

/**
 * A recurring series as an RFC 5545 rule (`rrule`), expanded in the home's local time: the rule runs
 * on "floating" wall-clock times (a local date and time written as if it were UTC, as rrule's own
 * documentation advises for zones), and each occurrence's local date and time becomes an instant in
 * the home's zone only at the end (luxon). So 10:00 in Europe/Rome stays 10:00 on both sides of a
 * clock change, which an RRULE expanded on real instants would not give.
 */

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type WeekdayCode = (typeof WEEKDAYS)[number];
/** Which weekday of the month: the first to the fifth, or the last (-1). */
export const MONTH_POSITIONS = [1, 2, 3, 4, 5, -1] as const;

/** At most this many occurrences, and none more than two years after the first. */
export const MAX_OCCURRENCES = 500;
export const MAX_YEARS = 2;

/** A rule as the form states it. */
export interface RuleChoice {
  repeat: 'weekly' | 'monthly';
  /** Every N weeks (weekly) or months (monthly). */
  interval: number;
  /** Weekly: the days ticked. */
  byDay?: WeekdayCode[];
  /** Monthly: the position (1-5, -1 last) and the weekday. */
  monthPosition?: number;
  monthDay?: WeekdayCode;
  ends: 'until' | 'count';
  until?: string;
  count?: number;
}

/** One occurrence of a series: its local date and time, and the instant it starts. */
export interface Occurrence {
  date: string;
  time: string;
  startsAt: Date;
}

function floating(date: string, time = '00:00'): Date {
  return new Date(`${date}T${time}:00.000Z`);
}

const localDate = (floatingDate: Date) => floatingDate.toISOString().slice(0, 10);

/** The RRULE text (no DTSTART: the series keeps its local start date and time beside it). */
export function ruleText(choice: RuleChoice): string {
  const options: Partial<Options> = { freq: choice.repeat === 'weekly' ? RRule.WEEKLY : RRule.MONTHLY, interval: choice.interval };
  if (choice.repeat === 'weekly') {
    options.byweekday = WEEKDAYS.filter((d) => choice.byDay?.includes(d)).map((d) => RRule[d]);
    options.wkst = RRule.MO;
  } else {
    options.byweekday = [RRule[choice.monthDay ?? 'MO'].nth(choice.monthPosition ?? 1)];
  }
  if (choice.ends === 'count') options.count = choice.count;
  else options.until = floating(choice.until!, '23:59');
  return RRule.optionsToString(options).replace(/^RRULE:/, '');
}

/** What a rule says, back in the form's terms (to fill the edit form, and to describe it). */
export function choiceOf(rule: string): RuleChoice {
  const options = RRule.parseString(rule);
  const days = ((options.byweekday ?? []) as Weekday[]).map((d) => ({ code: WEEKDAYS[d.weekday], n: d.n }));
  const ends = options.count ? { ends: 'count' as const, count: options.count } : { ends: 'until' as const, until: options.until ? localDate(options.until) : undefined };
  if (options.freq === RRule.MONTHLY) {
    return { repeat: 'monthly', interval: options.interval ?? 1, monthPosition: days[0]?.n ?? 1, monthDay: days[0]?.code ?? 'MO', ...ends };
  }
  return { repeat: 'weekly', interval: options.interval ?? 1, byDay: days.map((d) => d.code), ...ends };
}

function expander(rule: string, startDate: string, startTime: string): RRule {
  return new RRule({ ...RRule.parseString(rule), dtstart: floating(startDate, startTime) });
}

/** The occurrences whose local date lies in [from, to] (both included). */
export function occurrencesBetween(rule: string, startDate: string, startTime: string, zone: string, from: string, to: string): Occurrence[] {
  if (from > to) return [];
  return expander(rule, startDate, startTime)
    .between(floating(from), floating(to, '23:59'), true)
    .map((d) => {
      const date = localDate(d);
      return { date, time: startTime, startsAt: localToUtc(date, startTime, zone) };
    });
}

/** Every local date of a rule, up to one past the limit (so "too many" shows). */
export function allDates(rule: string, startDate: string, startTime: string, limit = MAX_OCCURRENCES + 1): string[] {
  return expander(rule, startDate, startTime).all((_, i) => i < limit).map(localDate);
}

/**
 * Field errors of a rule a form sent, starting on a date; none when it is sound: a weekday ticked,
 * an end after the start, at least one occurrence, at most 500 and two years.
 */
export function ruleErrors(choice: RuleChoice, startDate: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!(choice.interval >= 1)) errors.interval = { key: 'series.intervalTooSmall' };
  if (choice.repeat === 'weekly' && !choice.byDay?.length) errors.byDay = { key: 'series.chooseDays' };
  if (choice.ends === 'until') {
    if (!choice.until) errors.until = { key: 'series.untilRequired' };
    else if (choice.until < startDate) errors.until = { key: 'series.endBeforeStart' };
  } else if (!(choice.count! >= 1)) {
    errors.count = { key: 'series.countTooSmall' };
  }
  if (Object.keys(errors).length > 0) return errors;
  const endField = choice.ends === 'until' ? 'until' : 'count';
  const dates = allDates(ruleText(choice), startDate, '00:00');
  const latest = DateTime.fromISO(startDate, { zone: 'UTC' }).plus({ years: MAX_YEARS }).toISODate()!;
  if (dates.length === 0) return { [endField]: { key: 'series.noOccurrence' } };
  if (dates.length > MAX_OCCURRENCES) return { [endField]: { key: 'series.tooMany', params: { max: MAX_OCCURRENCES } } };
  const last = dates[dates.length - 1];
  if (last > latest) return { [endField]: { key: 'series.tooLong', params: { years: MAX_YEARS } } };
  if (last > LATEST_DATE) return { [endField]: { key: 'validation.seriesPastBounds', params: { max: LATEST_DATE } } };
  return {};
}

/** The local date of a rule's last occurrence, or null when it has none. */
export function lastDate(rule: string, startDate: string, startTime: string): string | null {
  const dates = allDates(rule, startDate, startTime);
  return dates.length ? dates[dates.length - 1] : null;
}

/** The rule cut to end before a local date (for "this and the following": the first part of a split). */
export function endingBefore(rule: string, date: string): string {
  const options = RRule.parseString(rule);
  delete options.count;
  options.until = floating(addDays(date, -1), '23:59');
  return RRule.optionsToString(options).replace(/^RRULE:/, '');
}

const POSITION_WORDS: Record<number, string> = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', 5: 'fifth', [-1]: 'last' };

/** The rule in words, in English or Italian: "Every week on Tuesday and Thursday, until 31 March 2027". */
export function describeRule(rule: string, locale: string): string {
  const choice = choiceOf(rule);
  const listFormat = new Intl.ListFormat(locale === 'it' ? 'it' : 'en-GB', { type: 'conjunction' });
  const repeat = choice.repeat === 'weekly'
    ? translate(locale, choice.interval === 1 ? 'series.describeWeekly' : 'series.describeWeeklyInterval', { interval: choice.interval, days: listFormat.format((choice.byDay ?? []).map((d) => translate(locale, `series.onDay.${d}`))) })
    : translate(locale, choice.interval === 1 ? 'series.describeMonthly' : 'series.describeMonthlyInterval', {
      interval: choice.interval,
      // "the first Sunday": Italian ordinals agree with the weekday ("la prima domenica", "il primo lunedì").
      position: translate(locale, `series.ordinal.${translate(locale, `series.dayGender.${choice.monthDay}`)}.${POSITION_WORDS[choice.monthPosition ?? 1] ?? 'first'}`),
      day: translate(locale, `series.dayName.${choice.monthDay}`),
    });
  const ends = choice.ends === 'count'
    ? translate(locale, 'series.describeCount', { n: choice.count })
    : translate(locale, 'series.describeUntil', { date: formatDate(choice.until, locale) });
  return `${repeat}${ends}`;
}
