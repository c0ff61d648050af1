import { Column, Entity, PrimaryColumn } from 'typeorm';
import { HeldCounts } from './held-counts';

/**
 * A home's held activities of one local day, summed from their `activity_tally` rows (docs/groups.md,
 * "Summary tables"): the group view sums a quarter's 90-odd rows per home, whatever the number of
 * activities a day or the years of history. Kept by `refreshTallies` with the activity tallies; no
 * row for a day without a held activity.
 */
@Entity('home_day_tally')
export class HomeDayTally extends HeldCounts {
  @PrimaryColumn('varchar')
  homeId: string;

  /** The local date in the home's zone ("2026-07-10"). */
  @PrimaryColumn('date')
  day: string;

  @Column('integer')
  held: number;
}
