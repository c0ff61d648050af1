import { Column, Entity } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';

/** A resident invited to an activity; the tablet log shows a tile for each. */
@Entity('roster_entry')
export class RosterEntry extends HomeOwnedEntity {
  @Column('varchar')
  activityId: string;

  @Column('varchar')
  residentId: string;
}
