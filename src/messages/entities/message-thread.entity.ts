import { Column, Entity, Index } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';
import type { MessageSide } from '../messages.enums';

/**
 * One thread per resident, between the home's staff and the resident's linked relatives; created with
 * its first message. The last message of each side and when the home last read it make the markers
 * (unread, unanswered) a single row's business.
 */
@Entity('message_thread')
@Index(['residentId'], { unique: true })
export class MessageThread extends HomeOwnedEntity {
  @Column('varchar')
  residentId: string;

  @Column('varchar', { length: 10 })
  lastSide: MessageSide;

  @Column({ type: Date })
  lastMessageAt: Date;

  @Column({ type: Date, nullable: true })
  lastFamilyAt: Date | null;

  @Column({ type: Date, nullable: true })
  lastHomeAt: Date | null;

  /** When a member of the home's staff last opened the thread: any of them reading reads for the home. */
  @Column({ type: Date, nullable: true })
  homeReadAt: Date | null;
}
