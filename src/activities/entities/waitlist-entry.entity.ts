import { Column, Entity } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';

/**
 * A resident waiting for a place on a full activity: not invited (no tile, not counted), moved onto
 * the roster in `position` order when a place frees up.
 */
@Entity('waitlist_entry')
export class WaitlistEntry extends HomeOwnedEntity {
  @Column('varchar')
  activityId: string;

  @Column('varchar')
  residentId: string;

  @Column('integer')
  position: number;
}
