import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../common/entities/base.entity';

/** A user's membership of a home; admins see every home without one. */
@Entity('membership')
@Index(['userId', 'homeId'], { unique: true })
export class Membership extends BaseEntity {
  @Column('varchar')
  userId: string;

  @Column('varchar')
  homeId: string;
}
