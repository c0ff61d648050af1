import { Column, Entity } from 'typeorm';
import { BaseEntity } from '../../common/entities/base.entity';

/** An in-app message to one user; the text is a catalogue key translated when shown. */
@Entity('notification')
export class Notification extends BaseEntity {
  @Column('varchar')
  userId: string;

  @Column('varchar', { nullable: true })
  homeId: string | null;

  @Column('varchar', { length: 30 })
  kind: string;

  @Column('varchar', { length: 80 })
  messageKey: string;

  @Column('simple-json')
  params: Record<string, string | number>;

  @Column('varchar', { length: 300, nullable: true })
  link: string | null;

  @Column({ type: Date, nullable: true })
  readAt: Date | null;
}
