import { sessionIdFromCookie, signedSessionId } from './session-cookie';

const SECRET = 'a-session-secret-long-enough-for-the-validator';

function requestWith(cookie: string | undefined) {
  return { headers: cookie === undefined ? {} : { cookie } };
}

describe('the session cookie', () => {
  it('is signed as express-session and cookie-signature signed it, so sessions started before stay valid', () => {
    // Written by cookie-signature 1.2 (express-session's signer) for this id and secret.
    const written = 's:Z3k1bW9ja19zZXNzaW9uX2lkX3RoYXRfaXM.0vNjoifAsNBFtaId3JcVb+65LXskYXxUp5LCv6wSs0k';
    expect(signedSessionId('Z3k1bW9ja19zZXNzaW9uX2lkX3RoYXRfaXM', SECRET)).toBe(written);
    expect(sessionIdFromCookie(requestWith(`insieme.sid=${encodeURIComponent(written)}`), SECRET)).toBe('Z3k1bW9ja19zZXNzaW9uX2lkX3RoYXRfaXM');
  });

  it('gives back the id of a cookie it signed, as the browser sends it (URI-encoded, among other cookies)', () => {
    const value = encodeURIComponent(signedSessionId('abc_DEF-123', SECRET));
    expect(sessionIdFromCookie(requestWith(`insieme.locale=it; insieme.sid=${value}; other=1`), SECRET)).toBe('abc_DEF-123');
  });

  it('refuses a cookie whose id or signature was changed, one signed with another secret, and malformed ones', () => {
    const value = signedSessionId('abc_DEF-123', SECRET);
    const dot = value.lastIndexOf('.');
    const cases = [
      `s:abc_DEF-124${value.slice(dot)}`,
      `${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}`,
      signedSessionId('abc_DEF-123', `${SECRET}-other`),
      'abc_DEF-123',
      's:abc_DEF-123',
      's:.sig',
      '%E0%A4%A',
      '',
    ];
    for (const cookie of cases) expect(sessionIdFromCookie(requestWith(`insieme.sid=${cookie}`), SECRET)).toBeUndefined();
    expect(sessionIdFromCookie(requestWith(undefined), SECRET)).toBeUndefined();
    expect(sessionIdFromCookie(requestWith('insieme.sidx=1'), SECRET)).toBeUndefined();
  });
});
