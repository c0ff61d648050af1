import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../common/entities/base.entity';

/** A member of staff's 6-digit PIN for enrolled ward tablets (argon2id), and its lock-out state. */
@Entity('staff_pin')
export class StaffPin extends BaseEntity {
  @Index({ unique: true })
  @Column('varchar')
  userId: string;

  @Column('varchar', { length: 255 })
  pinHash: string;

  /** Wrong PINs in a row; a correct one resets it. */
  @Column('integer', { default: 0 })
  failedAttempts: number;

  /** Set at the fifth wrong PIN in a row; only a manager clears it. */
  @Column({ type: Date, nullable: true })
  lockedAt: Date | null;

  /** The tablet the last wrong PIN came from, for the manager's list. */
  @Column('varchar', { nullable: true })
  lockedOnDeviceId: string | null;
}
