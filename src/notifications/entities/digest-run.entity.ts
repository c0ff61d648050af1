import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../common/entities/base.entity';

/**
 * One user's digest for one local day. The unique (userId, localDate) is the claim: the process whose
 * insert wins sends the digest (the mail is queued in the same transaction); any other loses on the
 * index and sends nothing.
 */
@Entity('digest_run')
@Index(['userId', 'localDate'], { unique: true })
export class DigestRun extends BaseEntity {
  @Column('varchar')
  userId: string;

  /** The day in the user's home time zone (YYYY-MM-DD). */
  @Column('varchar', { length: 10 })
  localDate: string;

  /** Notifications created before this instant (that morning's digest hour) were considered. */
  @Column({ type: Date })
  upTo: Date;

  @Column('integer')
  items: number;

  @Column('varchar', { nullable: true })
  mailId: string | null;
}
