import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../common/entities/base.entity';

/** A single-use link to choose a new password, asked for from the sign-in page. Only the token's hash is stored. */
@Entity('password_reset')
export class PasswordReset extends BaseEntity {
  @Index()
  @Column('varchar')
  userId: string;

  @Index({ unique: true })
  @Column('varchar', { length: 64 })
  tokenHash: string;

  @Column({ type: Date })
  expiresAt: Date;

  @Column({ type: Date, nullable: true })
  usedAt: Date | null;
}
