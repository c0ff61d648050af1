import { Column, Entity, Index } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';

/** How far one relative's account has read a thread: each relative reads for themselves. */
@Entity('message_read')
@Index(['threadId', 'userId'], { unique: true })
export class MessageRead extends HomeOwnedEntity {
  @Column('varchar')
  threadId: string;

  @Column('varchar')
  userId: string;

  @Column({ type: Date })
  readAt: Date;
}
