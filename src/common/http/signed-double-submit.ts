import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { readCookie } from './cookies';
import { csrfTokenFrom } from './csrf';

/** The anonymous visitor's CSRF cookie over plain HTTP (development, tests). */
export const CSRF_COOKIE = 'insieme.csrf';
/**
 * Over HTTPS the cookie is `__Host-` prefixed: the browser then takes it only from this host, Secure,
 * with Path=/ and no Domain, so a sibling subdomain cannot plant one (the known weakness of double submit).
 */
export const SECURE_CSRF_COOKIE = '__Host-insieme.csrf';

/** 32 random bytes in base64url: the cookie's value, and the first half of the form's token. */
const NONCE = /^[A-Za-z0-9_-]{43}$/;
const TOKEN = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/;

/** What a request already issued, so a page that asks twice sets one cookie. */
const issued = new WeakMap<Request, string>();

/**
 * CSRF protection for the forms anonymous visitors post (sign-in, language, password reset,
 * invitation, email-change confirmation, the ward tablet's PIN), without storing anything for them:
 * OWASP's signed double-submit cookie. A random value goes in a cookie; the form carries the same
 * value with its HMAC. A cross-site page can neither read the cookie nor forge the HMAC, and a planted
 * cookie (over HTTP, from a sibling host) is worth nothing without a token signed for that exact value.
 * Signed-in users keep the synchroniser token in their session (csrf.ts).
 */
export class SignedDoubleSubmit {
  private readonly key: Buffer;

  /** `secret`: the server's session secret; a key of its own is derived, so its MACs mean nothing elsewhere. */
  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'insieme anonymous form token v1', 32));
  }

  /** The form's token for a cookie value. */
  sign(nonce: string): string {
    return `${nonce}.${this.mac(nonce)}`;
  }

  /** True when `token` is our signature of exactly the cookie's value. Compared in constant time. */
  matches(cookie: string | undefined, token: string | undefined): boolean {
    if (!cookie || !token || !NONCE.test(cookie)) return false;
    const parts = TOKEN.exec(token);
    if (!parts) return false;
    const [, nonce, mac] = parts;
    const sameNonce = timingSafeEqual(Buffer.from(nonce), Buffer.from(cookie));
    const ourMac = timingSafeEqual(Buffer.from(mac), Buffer.from(this.mac(nonce)));
    return sameNonce && ourMac;
  }

  /** The token for this visitor's forms; the first time, a new cookie is set on `res` (a browser-session cookie). */
  issue(req: Request, res: Response): string {
    let nonce = issued.get(req) ?? this.cookieOf(req);
    if (!nonce) {
      nonce = randomBytes(32).toString('base64url');
      res.cookie(cookieName(req), nonce, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
    }
    issued.set(req, nonce);
    return this.sign(nonce);
  }

  /** The request's token (field or header) matches its cookie. */
  isRequestValid(req: Request): boolean {
    return this.matches(this.cookieOf(req), csrfTokenFrom(req));
  }

  private cookieOf(req: Request): string | undefined {
    const value = readCookie(req, cookieName(req));
    return value && NONCE.test(value) ? value : undefined;
  }

  private mac(nonce: string): string {
    return createHmac('sha256', this.key).update(nonce).digest('base64url');
  }
}

function cookieName(req: Request): string {
  return req.secure ? SECURE_CSRF_COOKIE : CSRF_COOKIE;
}
