import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PlanStatus } from '../plans.enums';

/**
 * What an agreed plan said, from one change to the next (issue 18 item 2b): a row per change of its
 * status, agreement date or next review date, written in the transaction that made the change, from
 * its agreement on (a draft is no plan in force). The quarterly report reads the row in force at a
 * quarter's end, so a review recorded later does not move that quarter's overdue reviews. No free
 * text: nothing here names anyone.
 */
@Entity('activity_plan_history')
export class ActivityPlanHistory {
  /** Increasing: orders the changes of one plan even within one millisecond. */
  @PrimaryGeneratedColumn()
  id: number;

  @Column('varchar')
  homeId: string;

  @Column('varchar')
  planId: string;

  @Column('varchar', { length: 12 })
  status: PlanStatus;

  @Column('date', { nullable: true })
  agreedOn: string | null;

  @Column('date', { nullable: true })
  nextReviewOn: string | null;

  /** When these values took effect (the change's instant). */
  @Column({ type: Date })
  validFrom: Date;
}
