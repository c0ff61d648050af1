import type { Request } from 'express';
import type { Message } from '../errors/domain-errors';

/** A message shown once, on the next page this user sees. */
export function flash(req: Request, kind: 'success' | 'error' | 'info', message: Message): void {
  req.session.flash = [...(req.session.flash ?? []), { kind, message }];
}

/** Takes the waiting messages out of the session. */
export function takeFlash(req: Request): { kind: string; message: Message }[] {
  const messages = req.session?.flash ?? [];
  if (req.session?.flash) delete req.session.flash;
  return messages;
}
