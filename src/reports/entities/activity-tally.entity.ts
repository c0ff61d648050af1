import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One held activity's counts, as the quarterly report counts them (docs/groups.md, "Summary
 * tables"): kept by `refreshTallies` in the transaction of every write that changes them, so the
 * group view sums a quarter's rows instead of scanning participation. A row exists while the
 * activity is held (completed); it goes with the activity.
 */
@Entity('activity_tally')
@Index(['homeId', 'startsAt'])
export class ActivityTally {
  @PrimaryColumn('varchar')
  activityId: string;

  @Column('varchar')
  homeId: string;

  @Column({ type: Date })
  startsAt: Date;

  @Column('integer')
  active: number;

  @Column('integer')
  passive: number;

  @Column('integer')
  disengaged: number;

  @Column('integer')
  declined: number;

  @Column('integer')
  absent: number;

  /** Minutes of every contribution on the activity. */
  @Column('integer')
  contributionMinutes: number;

  /** 1 when someone other than staff contributed to it (a co-produced activity), else 0. */
  @Column('integer')
  coProduced: number;

  /** The residents it reached (active or passive), sorted: what `resident_reach` was told. */
  @Column('simple-json')
  reached: string[];
}
