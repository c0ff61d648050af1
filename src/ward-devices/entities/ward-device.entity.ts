import { Column, Entity } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';

/**
 * A shared ward tablet enrolled by a manager for one unit. The tablet holds `<id>.<secret>` in an
 * httpOnly cookie; only the secret's SHA-256 is stored here.
 */
@Entity('ward_device')
export class WardDevice extends HomeOwnedEntity {
  @Column('varchar')
  unitId: string;

  @Column('varchar', { length: 80 })
  name: string;

  @Column('varchar', { length: 64 })
  secretHash: string;

  @Column('varchar')
  enrolledBy: string;

  /** Moved on at most every few minutes (WardDevicesService.LAST_SEEN_EVERY_MS), not on every request. */
  @Column({ type: Date, nullable: true })
  lastSeenAt: Date | null;

  @Column({ type: Date, nullable: true })
  revokedAt: Date | null;

  @Column('varchar', { nullable: true })
  revokedBy: string | null;

  /** Wrong PINs typed on this tablet since `pinFailuresSince` (the per-device throttle's window). */
  @Column('integer', { default: 0 })
  pinFailures: number;

  @Column({ type: Date, nullable: true })
  pinFailuresSince: Date | null;
}
