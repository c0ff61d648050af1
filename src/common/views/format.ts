/** Dates and times as a person in the home reads them. */

const LOCALE_TAGS: Record<string, string> = { en: 'en-GB', it: 'it-IT' };

/** Building an Intl.DateTimeFormat costs far more than using one: each kind is made once. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, kind: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const tag = LOCALE_TAGS[locale] ?? 'en-GB';
  const key = `${tag}|${kind}|${options.timeZone ?? ''}`;
  let made = formatters.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat(tag, options);
    formatters.set(key, made);
  }
  return made;
}

/** Calendar dates as shown, by language: a page shows the same few dates again and again. */
const shownDates = new Map<string, string>();

/** A calendar date ("2026-07-01"), shown as written: no time zone moves it. */
export function formatDate(value: unknown, locale: string): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return value instanceof Date ? formatDateTime(value, locale, 'UTC', false) : '';
  const key = `${locale}|${value}`;
  let shown = shownDates.get(key);
  if (shown === undefined) {
    const [year, month, day] = value.split('-').map(Number);
    shown = formatter(locale, 'date', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, day)));
    if (shownDates.size >= 5_000) shownDates.clear();
    shownDates.set(key, shown);
  }
  return shown;
}

/**
 * "2026-Q3" -> "July – September 2026" / "Luglio – settembre 2026": a quarter as people name it.
 * Inside a sentence (`inSentence`), Italian keeps its months in lower case ("del trimestre luglio –
 * settembre 2026"); English names months with a capital anyway.
 */
export function formatQuarter(quarter: unknown, locale: string, inSentence = false): string {
  if (typeof quarter !== 'string' || !/^\d{4}-Q[1-4]$/.test(quarter)) return typeof quarter === 'string' ? quarter : '';
  const year = Number(quarter.slice(0, 4));
  const first = (Number(quarter.slice(6)) - 1) * 3;
  const month = (m: number) => formatter(locale, 'month', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(year, m, 1)));
  const text = `${month(first)} – ${month(first + 2)} ${year}`;
  return inSentence ? text : text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/**
 * "2026-Q3" -> "Q3 2026" / "3° trim. 2026": a quarter where a column or a chart has little room
 * (formatQuarter where there is room).
 */
export function formatQuarterShort(quarter: unknown, locale: string): string {
  if (typeof quarter !== 'string' || !/^\d{4}-Q[1-4]$/.test(quarter)) return typeof quarter === 'string' ? quarter : '';
  const [year, q] = [quarter.slice(0, 4), quarter.slice(6)];
  return locale === 'it' ? `${q}° trim. ${year}` : `Q${q} ${year}`;
}

/** An instant, in the home's time zone. */
export function formatDateTime(value: unknown, locale: string, timeZone: string, withTime = true): string {
  const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) return '';
  return formatter(locale, withTime ? 'dateTime' : 'shortDate', { day: 'numeric', month: 'short', year: 'numeric', ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}), timeZone }).format(date);
}

/** One hours formatter per language: "7.5" or "7,25", at most two decimals, as the report writes hours. */
const hourFormats = new Map<string, Intl.NumberFormat>();

/** Minutes as hours the way the reader writes numbers: "7.5" or "8,75" (not "8,8": the report says 8,75). */
export function hoursText(minutes: number, locale: string): string {
  const tag = LOCALE_TAGS[locale] ?? 'en-GB';
  let made = hourFormats.get(tag);
  if (!made) {
    made = new Intl.NumberFormat(tag, { maximumFractionDigits: 2 });
    hourFormats.set(tag, made);
  }
  return made.format(minutes / 60);
}
