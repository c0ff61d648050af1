import { Column, Entity } from 'typeorm';
import { BaseEntity } from '../../common/entities/base.entity';
import type { NotificationMode } from '../notifications.enums';

/** A user's choice of how to hear of notifications; without a row, the role's default applies. */
@Entity('notification_preference')
export class NotificationPreference extends BaseEntity {
  @Column('varchar', { unique: true })
  userId: string;

  @Column('varchar', { length: 10 })
  mode: NotificationMode;
}
