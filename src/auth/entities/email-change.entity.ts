import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../common/entities/base.entity';

/** A change of an account's email, waiting for the link mailed to the new address. Only the token's hash is stored. */
@Entity('email_change')
export class EmailChange extends BaseEntity {
  @Index()
  @Column('varchar')
  userId: string;

  @Column('varchar', { length: 254 })
  newEmail: string;

  @Index({ unique: true })
  @Column('varchar', { length: 64 })
  tokenHash: string;

  @Column({ type: Date })
  expiresAt: Date;

  @Column({ type: Date, nullable: true })
  usedAt: Date | null;

  /** Who asked: the user themselves, or staff changing it on the person's record. */
  @Column('varchar', { nullable: true })
  createdBy: string | null;
}
