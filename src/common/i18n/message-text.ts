import { formatDate } from '../views/format';
import { translate } from './i18n';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A catalogue message in a language with its params, as pages, notifications and mails show it: a
 * `date` param (YYYY-MM-DD, as services pass dates) written as the reader writes dates.
 */
export function messageText(locale: string, key: string, params: Record<string, string | number> = {}): string {
  const shown: Record<string, string | number> = { ...params };
  if (typeof shown.date === 'string' && ISO_DATE.test(shown.date)) shown.date = formatDate(shown.date, locale);
  return translate(locale, key, shown);
}
