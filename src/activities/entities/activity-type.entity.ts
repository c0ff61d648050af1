import { Column, Entity } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';
import type { Phase } from '../../contributions/contributions.enums';
import type { ActivityCategory } from '../activities.enums';

@Entity('activity_type')
export class ActivityType extends HomeOwnedEntity {
  @Column('varchar', { length: 120 })
  name: string;

  @Column('varchar', { length: 30 })
  category: ActivityCategory;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('integer', { default: 60 })
  defaultDurationMinutes: number;

  /** Where activities of this type are usually held; a new activity starts from it. */
  @Column('varchar', { length: 120, nullable: true })
  defaultLocation: string | null;

  @Column('integer', { nullable: true })
  defaultCapacity: number | null;

  /** The co-production phases an activity of this type usually serves. */
  @Column('simple-json', { default: '[]' })
  usualPhases: Phase[];

  @Column('boolean', { default: true })
  active: boolean;
}
