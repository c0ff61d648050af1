import { translate } from '../common/i18n/i18n';
import { formatDate, formatDateTime, formatQuarter } from '../common/views/format';
import type { FigureRow, FigureUnit, QuarterlyReport } from './quarterly-report.model';
import { UNIT_DECIMALS } from './report-figures';

/*
 * How the report's numbers read, in English or Italian. The HTML preview, the PDF and the CSV
 * labels all use these, so a figure is written the same way everywhere.
 */

const LOCALE_TAGS: Record<string, string> = { en: 'en-GB', it: 'it-IT' };
/** Shown where a figure has no value (a mean of nothing, a change from nothing). */
export const NO_VALUE = '—';

export function tag(locale: string): string {
  return LOCALE_TAGS[locale] ?? 'en-GB';
}

/** Units whose values always show all their decimals (a rating of 4.00 reads as a mean). */
const FIXED: ReadonlySet<FigureUnit> = new Set<FigureUnit>(['percent', 'rating', 'score', 'days', 'perWeek']);

/** A value as a plain number in the locale (no unit): "1,234", "66.7", "4,25". */
export function formatNumber(value: number | null, unit: FigureUnit, locale: string): string {
  if (value === null) return NO_VALUE;
  const decimals = UNIT_DECIMALS[unit];
  return new Intl.NumberFormat(tag(locale), {
    // "1.214" in Italian too (CLDR leaves four digits ungrouped there; a report's readers group them).
    minimumFractionDigits: FIXED.has(unit) ? decimals : 0, maximumFractionDigits: decimals, useGrouping: 'always',
  }).format(value);
}

/** A value with its unit where one helps: "66.7%", "12.5 h", "3.5 days". */
export function formatValue(value: number | null, unit: FigureUnit, locale: string): string {
  if (value === null) return NO_VALUE;
  const plain = formatNumber(value, unit, locale);
  if (unit === 'percent') return translate(locale, 'reports.units.percent', { value: plain });
  if (unit === 'hours') return translate(locale, 'reports.units.hours', { value: plain });
  if (unit === 'days') return translate(locale, 'reports.units.days', { value: plain });
  return plain;
}

/** A change with its sign: "+3", "-1.5 h", "+4.2 pts" (percentage points), "0"; a dash when unknown. */
export function formatChange(change: number | null, unit: FigureUnit, locale: string): string {
  if (change === null) return NO_VALUE;
  const decimals = UNIT_DECIMALS[unit];
  const plain = new Intl.NumberFormat(tag(locale), {
    minimumFractionDigits: FIXED.has(unit) ? decimals : 0, maximumFractionDigits: decimals, signDisplay: 'exceptZero', useGrouping: 'always',
  }).format(change);
  if (unit === 'percent') return translate(locale, 'reports.units.points', { value: plain });
  if (unit === 'hours') return translate(locale, 'reports.units.hours', { value: plain });
  return plain;
}

export function figureLabel(key: string, locale: string): string {
  return translate(locale, `reports.figures.${key}`);
}

function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/** "2026-07" -> "July 2026" / "Luglio 2026". */
export function monthLabel(month: string, locale: string): string {
  const [year, mm] = month.split('-').map(Number);
  return capitalise(new Intl.DateTimeFormat(tag(locale), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, mm - 1, 1))));
}

export function dateLabel(date: string, locale: string): string {
  return formatDate(date, locale);
}

/** When and by whom, in the home's time zone: "Generated 1 Oct 2026, 09:00 by Laura Bertolini". */
export function generatedLabel(report: QuarterlyReport, locale: string): string {
  const at = formatDateTime(new Date(report.meta.generatedAt), locale, report.meta.timezone);
  return report.meta.generatedBy
    ? translate(locale, 'reports.footer.generated', { at, by: report.meta.generatedBy })
    : translate(locale, 'reports.footer.generatedNoUser', { at });
}

/** A figure's row as text: label, this quarter, last quarter, change. */
export function figureCells(row: FigureRow, locale: string): [string, string, string, string] {
  return [figureLabel(row.key, locale), formatValue(row.current, row.unit, locale), formatValue(row.previous, row.unit, locale), formatChange(row.change, row.unit, locale)];
}

export function figure(report: QuarterlyReport, key: string): FigureRow {
  const row = report.figures.find((f) => f.key === key);
  if (!row) throw new RangeError(`No figure ${key}`);
  return row;
}

/**
 * "In progress, figures to 28 November 2026." for a quarter that has not ended in the home's time
 * zone ("Not begun yet" before its first day); null for a closed quarter. Cover, preview and footer.
 */
export function progressNote(report: QuarterlyReport, locale: string): string | null {
  if (!report.meta.inProgress) return null;
  const { current } = report;
  if (current.daysCounted === 0) return translate(locale, 'reports.notBegun', { date: dateLabel(current.firstDay, locale) });
  return translate(locale, 'reports.inProgress', { date: dateLabel(current.countedTo, locale) });
}

/** What the changes compare: the previous quarter, or the same days of it while this one runs. */
export function comparedWithNote(report: QuarterlyReport, locale: string): string {
  const { current, previous } = report;
  if (!report.meta.inProgress || current.daysCounted === 0) return translate(locale, 'reports.cover.comparedWith', { quarter: formatQuarter(report.meta.previousQuarter, locale, true) });
  return translate(locale, 'reports.cover.comparedWithSameDays', {
    from: dateLabel(current.firstDay, locale), to: dateLabel(current.countedTo, locale), quarter: formatQuarter(report.meta.previousQuarter, locale, true),
    previousFrom: dateLabel(previous.firstDay, locale), previousTo: dateLabel(previous.countedTo, locale),
  });
}
