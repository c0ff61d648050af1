import { Column } from 'typeorm';

/**
 * What held activities add to a home's headline figures, as the summary tables keep them (an
 * activity's own, or a day's sum): a count per engagement level, contribution minutes, co-produced.
 */
export abstract class HeldCounts {
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

  /** Minutes of every contribution on the activities. */
  @Column('integer')
  contributionMinutes: number;

  /** Activities someone other than staff contributed to (co-produced): 0 or 1 for one activity. */
  @Column('integer')
  coProduced: number;
}
