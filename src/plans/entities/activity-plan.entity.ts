import { Column, Entity } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';
import type { PlanStatus } from '../plans.enums';

/** A resident's activity plan; each change of an agreed plan is a new version, earlier ones archived. */
@Entity('activity_plan')
export class ActivityPlan extends HomeOwnedEntity {
  @Column('varchar')
  residentId: string;

  @Column('integer', { default: 1 })
  version: number;

  @Column('varchar', { length: 12, default: 'draft' })
  status: PlanStatus;

  @Column('text', { nullable: true })
  whatMattersToMe: string | null;

  @Column('date', { nullable: true })
  agreedOn: string | null;

  @Column('date', { nullable: true })
  nextReviewOn: string | null;

  @Column('varchar', { nullable: true })
  createdBy: string | null;
}
