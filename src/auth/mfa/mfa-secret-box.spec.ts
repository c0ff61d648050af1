import { looksLikeRecoveryCode, MfaSecretBox, newRecoveryCode, normaliseRecoveryCode } from './mfa-secret-box';

describe('MfaSecretBox', () => {
  const sut = new MfaSecretBox('a-session-secret-that-is-long-enough-for-tests');

  it('should give the secret back when it was sealed with the same session secret', () => {
    const sealed = sut.seal('JBSWY3DPEHPK3PXP');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(sut.open(sealed)).toBe('JBSWY3DPEHPK3PXP');
  });

  it('should seal the same secret differently each time (a random IV)', () => {
    expect(sut.seal('JBSWY3DPEHPK3PXP')).not.toBe(sut.seal('JBSWY3DPEHPK3PXP'));
  });

  it('should refuse to open when the session secret is another or the value was altered', () => {
    const sealed = sut.seal('JBSWY3DPEHPK3PXP');
    expect(() => new MfaSecretBox('another-session-secret-that-is-long-enough').open(sealed)).toThrow();
    const parts = sealed.split(':');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => sut.open(parts.join(':'))).toThrow();
    expect(() => sut.open('not-sealed')).toThrow();
  });

  it('should hash a recovery code the same however it is typed, and differently under another key', () => {
    const code = newRecoveryCode();
    expect(sut.hashRecoveryCode(code)).toBe(sut.hashRecoveryCode(` ${code.toUpperCase().replace('-', ' ')} `));
    expect(sut.hashRecoveryCode(code)).toMatch(/^[0-9a-f]{64}$/);
    expect(new MfaSecretBox('another-session-secret-that-is-long-enough').hashRecoveryCode(code)).not.toBe(sut.hashRecoveryCode(code));
  });
});

describe('recovery codes', () => {
  it('should be ten characters from the unambiguous alphabet, shown in two groups of five', () => {
    const codes = Array.from({ length: 200 }, () => newRecoveryCode());
    for (const code of codes) {
      expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
      expect(code).not.toMatch(/[01ilo]/);
      expect(looksLikeRecoveryCode(code)).toBe(true);
    }
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('should not take a 6-digit code or a short string for a recovery code', () => {
    expect(looksLikeRecoveryCode('123456')).toBe(false);
    expect(looksLikeRecoveryCode('abcde')).toBe(false);
    expect(normaliseRecoveryCode('AbCde-FGhjk ')).toBe('abcdefghjk');
  });
});
