import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A resident reached in a quarter of their home's zone (docs/groups.md, "Summary tables"): the
 * start of the first held activity of the quarter in which they took part actively or passively.
 * "Residents reached" up to any day of the quarter is then a count of rows, where the report counts
 * distinct residents over the quarter's participation. Kept by `refreshTallies` with `activity_tally`.
 */
@Entity('resident_reach')
@Index(['homeId', 'quarter', 'firstReachedAt'])
export class ResidentReach {
  @PrimaryColumn('varchar')
  residentId: string;

  @PrimaryColumn('varchar', { length: 7 })
  quarter: string;

  @Column('varchar')
  homeId: string;

  @Column({ type: Date })
  firstReachedAt: Date;
}
