import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { readCookie } from '../../common/http/cookies';
import { SESSION_COOKIE } from '../../common/http/session';

/**
 * The session cookie's value: "s:" + id + "." + HMAC-SHA256 of the id in base64 without padding, the
 * format express-session and cookie-signature wrote, so sessions started before stay valid.
 */
export function signedSessionId(id: string, secret: string): string {
  return `s:${id}.${signature(id, secret)}`;
}

/** The session id a request's cookie carries, if its signature is right; undefined otherwise. */
export function sessionIdFromCookie(req: Pick<IncomingMessage, 'headers'>, secret: string): string | undefined {
  const raw = readCookie(req, SESSION_COOKIE);
  if (raw === undefined) return undefined;
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (!value.startsWith('s:')) return undefined;
  const dot = value.lastIndexOf('.');
  if (dot <= 2) return undefined;
  const id = value.slice(2, dot);
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(signature(id, secret));
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
}

function signature(id: string, secret: string): string {
  return createHmac('sha256', secret).update(id).digest('base64').replace(/=+$/, '');
}
