import { Column, Entity } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';
import type { Phase } from '../../contributions/contributions.enums';
import type { ActivityStatus } from '../activities.enums';

/** One occurrence on the calendar; weekly repeats share a seriesId. */
@Entity('activity')
export class Activity extends HomeOwnedEntity {
  @Column('varchar')
  activityTypeId: string;

  @Column('varchar', { length: 160 })
  title: string;

  @Column({ type: Date })
  startsAt: Date;

  @Column('integer')
  durationMinutes: number;

  @Column('varchar', { length: 120, nullable: true })
  location: string | null;

  /** A unit of the home, or null for the whole home. */
  @Column('varchar', { nullable: true })
  unitId: string | null;

  @Column('integer', { nullable: true })
  capacity: number | null;

  /** The co-production phases the activity is planned for (its type's usual ones unless chosen). */
  @Column('simple-json', { default: '[]' })
  phases: Phase[];

  @Column('varchar', { nullable: true })
  leadStaffId: string | null;

  @Column('varchar', { length: 12, default: 'planned' })
  status: ActivityStatus;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('varchar', { nullable: true })
  seriesId: string | null;

  @Column('boolean', { default: true })
  visibleToFamilies: boolean;

  @Column({ type: Date, nullable: true })
  completedAt: Date | null;

  @Column('text', { nullable: true })
  cancelReason: string | null;
}
