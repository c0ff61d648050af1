import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../common/entities/base.entity';

/**
 * A user's authenticator (TOTP, RFC 6238), written when the enrolment is confirmed with a code (until
 * then the secret waits in the session). The secret is stored sealed (see MfaSecretBox). Only a row
 * with `enabledAt` counts at sign-in.
 */
@Entity('mfa_credential')
export class MfaCredential extends BaseEntity {
  @Index({ unique: true })
  @Column('varchar')
  userId: string;

  @Column('varchar', { length: 200 })
  secretSealed: string;

  @Column({ type: Date, nullable: true })
  enabledAt: Date | null;

  /** The last 30-second time step a code was accepted for: a code of that step or an earlier one is a replay. */
  @Column('integer', { nullable: true })
  lastUsedStep: number | null;

  /** Wrong codes in a row (reset by a right one); at the limit the account's MFA step is locked for a while. */
  @Column('integer', { default: 0 })
  failedCount: number;

  @Column({ type: Date, nullable: true })
  lastFailedAt: Date | null;
}
