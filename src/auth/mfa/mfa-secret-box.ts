import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomInt } from 'node:crypto';

const VERSION = 'v1';
/** Base32 without the letters easily misread (0/O, 1/I/L): what a person types from paper. */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const RECOVERY_CODE_LENGTH = 10;

/**
 * Seals TOTP secrets (AES-256-GCM) and hashes recovery codes (HMAC-SHA-256) with keys derived (HKDF)
 * from the session secret, so a copy of the database alone gives away neither. Changing
 * SESSION_SECRET therefore makes every enrolled authenticator unreadable: those users need an MFA reset.
 */
export class MfaSecretBox {
  private readonly sealKey: Buffer;
  private readonly hashKey: Buffer;

  constructor(sessionSecret: string) {
    this.sealKey = Buffer.from(hkdfSync('sha256', sessionSecret, 'insieme-mfa', 'totp-secret-seal', 32));
    this.hashKey = Buffer.from(hkdfSync('sha256', sessionSecret, 'insieme-mfa', 'recovery-code-hash', 32));
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(':');
  }

  /** The plain secret; throws when the value was sealed with another key or altered. */
  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Unreadable MFA secret');
    const decipher = createDecipheriv('aes-256-gcm', this.sealKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  hashRecoveryCode(code: string): string {
    return createHmac('sha256', this.hashKey).update(normaliseRecoveryCode(code)).digest('hex');
  }
}

/** A new recovery code, shown as `xxxxx-xxxxx` (about 49 bits). */
export function newRecoveryCode(): string {
  let code = '';
  for (let i = 0; i < RECOVERY_CODE_LENGTH; i++) code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** Spaces and hyphens are typing, not the code. */
export function normaliseRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, '').toLowerCase();
}

export function looksLikeRecoveryCode(code: string): boolean {
  const plain = normaliseRecoveryCode(code);
  return plain.length === RECOVERY_CODE_LENGTH && [...plain].every((ch) => RECOVERY_ALPHABET.includes(ch));
}
