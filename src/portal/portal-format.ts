import { formatDate } from '../common/views/format';

/** An activity as a choice in a list: "Singing — 2 May 2026, 15:30". */
export function activityOption(a: { title: string; date: string; time: string }, locale: string): string {
  return `${a.title} — ${formatDate(a.date, locale)}, ${a.time}`;
}
