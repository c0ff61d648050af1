import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { HeldCounts } from './held-counts';

/**
 * One held activity's counts, as the quarterly report counts them (docs/groups.md, "Summary
 * tables"): kept by `refreshTallies` in the transaction of every write that changes them, so the
 * group view sums a quarter's rows instead of scanning participation. A row exists while the
 * activity is held (completed); it goes with the activity.
 */
@Entity('activity_tally')
@Index(['homeId', 'startsAt'])
export class ActivityTally extends HeldCounts {
  @PrimaryColumn('varchar')
  activityId: string;

  @Column('varchar')
  homeId: string;

  @Column({ type: Date })
  startsAt: Date;

  /** The residents it reached (active or passive), sorted: what `resident_reach` was told. */
  @Column('simple-json')
  reached: string[];
}
