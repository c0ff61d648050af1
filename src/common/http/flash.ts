import type { Request, Response } from 'express';
import type { Message } from '../errors/domain-errors';
import { formatDateTime } from '../views/format';

/** A message shown once, on the next page this user sees. */
export function flash(req: Request, kind: 'success' | 'error' | 'info', message: Message): void {
  req.session.flash = [...(req.session.flash ?? []), { kind, message }];
}

/**
 * Says an account invitation was issued and mailed. When no mail server is configured (the mail is
 * kept in the outbox) its link is also given, once, in a notice of its own (`linkKey`'s text), for
 * the admin to pass on: only its hash is kept.
 */
export function flashInvitation(req: Request, invitation: { email: string; expiresAt: Date; path: string; mailed: boolean }, timezone: string, linkKey: string): void {
  const params = { email: invitation.email, expires: formatDateTime(invitation.expiresAt, req.locale, timezone) };
  if (invitation.mailed) {
    flash(req, 'success', { key: 'invitations.mailed', params });
    return;
  }
  flash(req, 'success', { key: 'invitations.issued', params });
  flash(req, 'info', { key: linkKey, params: { link: `${req.protocol}://${req.get('host')}${invitation.path}` } });
}

/**
 * Set by the ward app's worker on the pages it fetches ahead of the carer to keep them for offline use
 * (src/offline/worker/ward-sw.js): nobody sees that page now.
 */
export const WARM_FETCH_HEADER = 'x-insieme-warm';

/**
 * Marks an answer whose page shows messages meant to be seen once. The ward app's worker keeps no copy
 * of such a page for offline use, and drops the copy it had, so the page's own warm keeps it again
 * without them (src/offline/worker/ward-sw.js): offline, an old "Activity cancelled." would be shown
 * as if it had just happened.
 */
export const FLASH_SHOWN_HEADER = 'X-Insieme-Flash';

/**
 * Takes the waiting messages out of the session. A page the worker fetches ahead takes none: its
 * fetch can land between a form's post and the page the post leads to, which would then lose the
 * message ("2 residents invited"), and the kept copy would show it again offline.
 */
export function takeFlash(req: Request, res: Response): { kind: string; message: Message }[] {
  if (req.get(WARM_FETCH_HEADER) === '1') return [];
  const messages = req.session?.flash ?? [];
  if (req.session?.flash) delete req.session.flash;
  if (messages.length > 0) res.setHeader(FLASH_SHOWN_HEADER, '1');
  return messages;
}
