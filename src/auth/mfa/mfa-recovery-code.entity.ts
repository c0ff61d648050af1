import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../common/entities/base.entity';

/** A single-use recovery code, kept only as a keyed hash (HMAC-SHA-256, see MfaSecretBox). */
@Entity('mfa_recovery_code')
export class MfaRecoveryCode extends BaseEntity {
  @Index()
  @Column('varchar')
  userId: string;

  @Column('varchar', { length: 64 })
  codeHash: string;

  @Column({ type: Date, nullable: true })
  usedAt: Date | null;
}
