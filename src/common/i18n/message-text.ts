import { formatDate } from '../views/format';
import { translate } from './i18n';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The params that carry a calendar date: a date, and the bounds of a range ("between {min} and {max}"). */
const DATE_PARAMS = ['date', 'min', 'max'];

/**
 * A catalogue message in a language with its params, as pages, notifications and mails show it: a
 * `date`, `min` or `max` param (YYYY-MM-DD, as services pass dates) written as the reader writes dates.
 */
export function messageText(locale: string, key: string, params: Record<string, string | number> = {}): string {
  const shown: Record<string, string | number> = { ...params };
  for (const name of DATE_PARAMS) {
    const value = shown[name];
    if (typeof value === 'string' && ISO_DATE.test(value)) shown[name] = formatDate(value, locale);
  }
  return translate(locale, key, shown);
}
