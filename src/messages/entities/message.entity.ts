import { Column, Entity } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';
import type { MessageSide } from '../messages.enums';

/** One message of a resident's thread, by a user writing for one side. */
@Entity('message')
export class Message extends HomeOwnedEntity {
  @Column('varchar')
  threadId: string;

  /** Null once the author's account is gone; the side and role still say who wrote. */
  @Column('varchar', { nullable: true })
  authorUserId: string | null;

  @Column('varchar', { length: 20 })
  authorRole: string;

  @Column('varchar', { length: 10 })
  side: MessageSide;

  @Column('text')
  body: string;

  /** When it was written, to the millisecond: read state compares with it (createdAt keeps whole seconds on SQLite). */
  @Column({ type: Date })
  sentAt: Date;
}
