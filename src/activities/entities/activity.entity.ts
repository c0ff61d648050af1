import { Column, Entity } from 'typeorm';
import type { ActivityStatus } from '../activities.enums';
import { PlannedActivityFields } from './planned-activity.entity';

/** One occurrence on the calendar: what it is planned as, when, and how it went; a series' occurrences share a seriesId. */
@Entity('activity')
export class Activity extends PlannedActivityFields {
  @Column({ type: Date })
  startsAt: Date;

  @Column('varchar', { length: 12, default: 'planned' })
  status: ActivityStatus;

  @Column('varchar', { nullable: true })
  seriesId: string | null;

  @Column({ type: Date, nullable: true })
  completedAt: Date | null;

  @Column('text', { nullable: true })
  cancelReason: string | null;
}
