import { Column, Entity } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';

/** Goal Attainment Scale score at a review: -2 much less than expected … 0 as expected … +2 much more. */
@Entity('goal_attainment')
export class GoalAttainment extends HomeOwnedEntity {
  @Column('varchar')
  reviewId: string;

  @Column('varchar')
  goalId: string;

  @Column('integer')
  score: number;
}
