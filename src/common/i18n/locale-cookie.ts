import type { Request, Response } from 'express';
import { readCookie } from '../http/cookies';
import { isLocale, Locale } from './i18n';

/**
 * An anonymous visitor's language choice: a plain cookie, not a session, so choosing a language on
 * the sign-in page stores nothing on the server. Signed-in users keep theirs on their account.
 */
export const LOCALE_COOKIE = 'insieme.locale';

/** A year: the choice outlives the browser session, as a preference should; it is not personal data. */
const LOCALE_COOKIE_MAX_AGE_MS = 365 * 24 * 60 * 60 * 1000;

export function localeFromCookie(req: Pick<Request, 'headers'>): Locale | undefined {
  const value = readCookie(req, LOCALE_COOKIE);
  return isLocale(value) ? value : undefined;
}

export function rememberLocale(req: Request, res: Response, locale: Locale): void {
  res.cookie(LOCALE_COOKIE, locale, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: LOCALE_COOKIE_MAX_AGE_MS });
}
