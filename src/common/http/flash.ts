import type { Request } from 'express';
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

/** Takes the waiting messages out of the session. */
export function takeFlash(req: Request): { kind: string; message: Message }[] {
  const messages = req.session?.flash ?? [];
  if (req.session?.flash) delete req.session.flash;
  return messages;
}
