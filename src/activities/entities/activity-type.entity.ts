import { Column, Entity } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';
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

  @Column('boolean', { default: true })
  active: boolean;
}
