import { Column } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';
import type { Phase } from '../../contributions/contributions.enums';

/**
 * What an activity is planned as, shared by one occurrence (`activity`) and a series' template
 * (`activity_series`), so the two tables keep the same columns: its type, title, length, place,
 * unit, places, co-production phases, lead, description and whether families see it.
 */
export abstract class PlannedActivityFields extends HomeOwnedEntity {
  @Column('varchar')
  activityTypeId: string;

  @Column('varchar', { length: 160 })
  title: string;

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

  @Column('text', { nullable: true })
  description: string | null;

  @Column('boolean', { default: true })
  visibleToFamilies: boolean;
}
