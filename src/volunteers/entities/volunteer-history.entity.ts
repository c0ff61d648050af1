import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { VolunteerStatus } from '../volunteers.enums';

/**
 * A volunteer's status, start date and background check expiry, from one change to the next (issue 18
 * item 2b): a row when the record is made and one per change of any of the three, written in the
 * same transaction. The quarterly report counts active volunteers and their checks as at a quarter's
 * end from it. No names or contact details: erasing or editing those touches nothing here.
 */
@Entity('volunteer_history')
export class VolunteerHistory {
  /** Increasing: orders the changes of one volunteer even within one millisecond. */
  @PrimaryGeneratedColumn()
  id: number;

  @Column('varchar')
  homeId: string;

  @Column('varchar')
  volunteerId: string;

  @Column('varchar', { length: 10 })
  status: VolunteerStatus;

  @Column('date', { nullable: true })
  startedOn: string | null;

  @Column('date', { nullable: true })
  backgroundCheckExpiresOn: string | null;

  /** When these values took effect (the change's instant). */
  @Column({ type: Date })
  validFrom: Date;
}
