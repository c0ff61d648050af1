import { messageText } from '../common/i18n/message-text';

/** A notification's text in a language: its catalogue key with its params; a `date` param (YYYY-MM-DD) shown as a date. */
export function notificationText(n: { messageKey: string; params: Record<string, string | number> }, locale: string): string {
  return messageText(locale, n.messageKey, n.params);
}
