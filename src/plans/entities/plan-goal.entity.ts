import { Column, Entity } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';
import type { ActivityCategory } from '../../activities/activities.enums';
import type { GoalStatus } from '../plans.enums';

@Entity('plan_goal')
export class PlanGoal extends HomeOwnedEntity {
  @Column('varchar')
  planId: string;

  @Column('text')
  description: string;

  @Column('simple-json')
  categories: ActivityCategory[];

  @Column('simple-json')
  activityTypeIds: string[];

  @Column('integer', { default: 1 })
  targetPerWeek: number;

  @Column('varchar', { length: 12, default: 'active' })
  status: GoalStatus;

  @Column('integer', { default: 0 })
  position: number;
}
