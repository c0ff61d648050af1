import type { Request, Response } from 'express';
import { CSRF_COOKIE, SECURE_CSRF_COOKIE, SignedDoubleSubmit } from './signed-double-submit';

const SECRET = 'a session secret of some length, for the tests only';

function fakeRequest(init: { cookie?: string; field?: string; header?: string; secure?: boolean } = {}): Request {
  return {
    headers: { ...(init.cookie ? { cookie: init.cookie } : {}), ...(init.header ? { 'x-csrf-token': init.header } : {}) },
    body: init.field === undefined ? {} : { _csrf: init.field },
    secure: init.secure ?? false,
  } as unknown as Request;
}

function fakeResponse(): Response & { set: { name: string; value: string; options: Record<string, unknown> }[] } {
  const set: { name: string; value: string; options: Record<string, unknown> }[] = [];
  return { set, cookie: (name: string, value: string, options: Record<string, unknown>) => set.push({ name, value, options }) } as never;
}

/** Flips one character of the part after the dot. */
function tamper(token: string): string {
  const [nonce, mac] = token.split('.');
  const flipped = mac[0] === 'A' ? `B${mac.slice(1)}` : `A${mac.slice(1)}`;
  return `${nonce}.${flipped}`;
}

describe('SignedDoubleSubmit', () => {
  const sut = new SignedDoubleSubmit(SECRET);

  it('should set a random httpOnly browser-session cookie and return its signed value when the visitor has none', () => {
    const res = fakeResponse();
    const token = sut.issue(fakeRequest(), res);
    expect(res.set).toHaveLength(1);
    const [cookie] = res.set;
    expect(cookie.name).toBe(CSRF_COOKIE);
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie.options).toEqual({ httpOnly: true, sameSite: 'lax', secure: false, path: '/' });
    expect(token.startsWith(`${cookie.value}.`)).toBe(true);
    expect(sut.matches(cookie.value, token)).toBe(true);
  });

  it('should use a __Host- prefixed Secure cookie when the request came over HTTPS', () => {
    const res = fakeResponse();
    sut.issue(fakeRequest({ secure: true }), res);
    expect(res.set[0].name).toBe(SECURE_CSRF_COOKIE);
    expect(res.set[0].options.secure).toBe(true);
  });

  it('should keep the cookie the visitor has and set none when asked again', () => {
    const first = fakeResponse();
    const token = sut.issue(fakeRequest(), first);
    const cookie = `${CSRF_COOKIE}=${first.set[0].value}`;
    const again = fakeResponse();
    expect(sut.issue(fakeRequest({ cookie }), again)).toBe(token);
    expect(again.set).toHaveLength(0);
  });

  it('should set one cookie when the same request asks twice', () => {
    const req = fakeRequest();
    const res = fakeResponse();
    expect(sut.issue(req, res)).toBe(sut.issue(req, res));
    expect(res.set).toHaveLength(1);
  });

  it('should accept a request whose field or header carries the signed value of its cookie', () => {
    const res = fakeResponse();
    const token = sut.issue(fakeRequest(), res);
    const cookie = `other=1; ${CSRF_COOKIE}=${res.set[0].value}`;
    expect(sut.isRequestValid(fakeRequest({ cookie, field: token }))).toBe(true);
    expect(sut.isRequestValid(fakeRequest({ cookie, header: token }))).toBe(true);
  });

  it('should refuse a request when the token, the cookie or their match is missing or wrong', () => {
    const res = fakeResponse();
    const token = sut.issue(fakeRequest(), res);
    const value = res.set[0].value;
    const cookie = `${CSRF_COOKIE}=${value}`;
    const otherRes = fakeResponse();
    const otherToken = sut.issue(fakeRequest(), otherRes);
    expect(sut.isRequestValid(fakeRequest({ cookie }))).toBe(false);
    expect(sut.isRequestValid(fakeRequest({ field: token }))).toBe(false);
    expect(sut.isRequestValid(fakeRequest({ cookie, field: otherToken }))).toBe(false);
    expect(sut.isRequestValid(fakeRequest({ cookie, field: tamper(token) }))).toBe(false);
    expect(sut.isRequestValid(fakeRequest({ cookie, field: value }))).toBe(false);
    expect(sut.isRequestValid(fakeRequest({ cookie, field: `${token}x` }))).toBe(false);
    expect(sut.isRequestValid(fakeRequest({ cookie: `${SECURE_CSRF_COOKIE}=${value}`, field: token }))).toBe(false);
  });

  it('should refuse a cookie the attacker chose when the token was not signed with our secret', () => {
    const planted = 'A'.repeat(43);
    const forged = new SignedDoubleSubmit('the attacker guesses another secret').sign(planted);
    expect(sut.matches(planted, forged)).toBe(false);
    expect(sut.matches(planted, sut.sign(planted))).toBe(true);
  });

  it('should refuse values of the wrong shape without throwing', () => {
    const token = sut.sign('B'.repeat(43));
    expect(sut.matches('B'.repeat(42), token)).toBe(false);
    expect(sut.matches('B'.repeat(43), token.slice(0, -1))).toBe(false);
    expect(sut.matches('é'.repeat(43), token)).toBe(false);
    expect(sut.matches(undefined, token)).toBe(false);
    expect(sut.matches('B'.repeat(43), undefined)).toBe(false);
  });
});
