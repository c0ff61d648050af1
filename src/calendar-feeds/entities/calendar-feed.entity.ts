import { Column, Entity, Index } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';
import type { FeedScope } from '../calendar-feeds.enums';

/**
 * A calendar a user subscribes to from a calendar app (issue 19 item 4): an iCalendar feed at a
 * secret address. Only the token's SHA-256 is kept; revoking keeps the row (the account page lists
 * the feeds still open, the audit says who revoked which).
 */
@Entity('calendar_feed')
export class CalendarFeed extends HomeOwnedEntity {
  @Index()
  @Column('varchar')
  userId: string;

  @Index({ unique: true })
  @Column('varchar', { length: 64 })
  tokenHash: string;

  @Column('varchar', { length: 10 })
  scope: FeedScope;

  @Column('varchar', { nullable: true })
  unitId: string | null;

  @Column('varchar', { nullable: true })
  residentId: string | null;

  @Column({ type: Date, nullable: true })
  revokedAt: Date | null;

  /** When a calendar app last read it (written at most once an hour). */
  @Column({ type: Date, nullable: true })
  lastReadAt: Date | null;
}
