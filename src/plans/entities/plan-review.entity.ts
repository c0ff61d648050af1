import { Column, Entity } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';

/** A review of a plan: who took part (each becomes a co_design contribution) and the attainment scores. */
@Entity('plan_review')
export class PlanReview extends HomeOwnedEntity {
  @Column('varchar')
  planId: string;

  @Column('date')
  reviewedOn: string;

  @Column('boolean', { default: false })
  residentTookPart: boolean;

  @Column('simple-json')
  familyMemberIds: string[];

  @Column('simple-json')
  staffMemberIds: string[];

  @Column('text', { nullable: true })
  notes: string | null;

  @Column('varchar', { nullable: true })
  recordedBy: string | null;
}
