import { Inject, Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

/** argon2id with OWASP's recommended minimum: 19 MiB memory, 2 iterations, 1 lane. */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export type PasswordHashing = { type: typeof argon2.argon2id; memoryCost: number; timeCost: number; parallelism: number };

/**
 * The argon2id cost new hashes are made with: ARGON2_OPTIONS, provided by AuthModule. Only the e2e
 * test apps override it, with a cheaper cost (test/support/test-app.ts), as Rails and Django test
 * settings do: there is no setting or variable that lowers it in a running app. A hash carries its
 * own cost, so verifying is the same either way.
 */
export const PASSWORD_HASHING = Symbol('PASSWORD_HASHING');

@Injectable()
export class PasswordHasher {
  /** A real hash that matches no password, verified when the email is unknown so both answers take as long. */
  private readonly decoy: Promise<string>;

  constructor(@Inject(PASSWORD_HASHING) private readonly options: PasswordHashing) {
    this.decoy = argon2.hash('insieme-decoy-password-that-no-one-uses', options);
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, this.options);
  }

  async verify(hash: string | null, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash ?? (await this.decoy), password);
    } catch {
      return false;
    }
  }

  /** Spends the same effort as a real check and always fails. */
  async verifyDecoy(password: string): Promise<false> {
    await this.verify(null, password);
    return false;
  }
}
