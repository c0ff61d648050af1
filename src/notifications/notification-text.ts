import { translate } from '../common/i18n/i18n';
import { formatDate } from '../common/views/format';

/** A notification's text in a language: its catalogue key with its params; a `date` param (YYYY-MM-DD) shown as a date. */
export function notificationText(n: { messageKey: string; params: Record<string, string | number> }, locale: string): string {
  const params: Record<string, string | number> = { ...n.params };
  if (typeof params.date === 'string') params.date = formatDate(params.date, locale);
  return translate(locale, n.messageKey, params);
}
