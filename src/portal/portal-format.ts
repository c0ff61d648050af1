import { formatDate } from '../common/views/format';

const NUMBER_LOCALES: Record<string, string> = { en: 'en-GB', it: 'it-IT' };

/** An activity as a choice in a list: "Singing — 2 May 2026, 15:30". */
export function activityOption(a: { title: string; date: string; time: string }, locale: string): string {
  return `${a.title} — ${formatDate(a.date, locale)}, ${a.time}`;
}

/** Minutes as hours the way the reader writes numbers: "7.5" or "7,5". */
export function hoursText(minutes: number, locale: string): string {
  return new Intl.NumberFormat(NUMBER_LOCALES[locale] ?? 'en-GB', { maximumFractionDigits: 1 }).format(minutes / 60);
}
