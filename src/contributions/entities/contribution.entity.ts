import { Column, Entity } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';
import type { Phase, ActorType, ContributionSource } from '../contributions.enums';

/**
 * Every contribution to co-production, by hand or made from its source (a confirmed help offer, a
 * plan review, …). All figures about involvement count rows of this one table.
 */
@Entity('contribution')
export class Contribution extends HomeOwnedEntity {
  /** Null for a programme-wide contribution. */
  @Column('varchar', { nullable: true })
  activityId: string | null;

  /** The activity's date in the home's time zone, or the contribution's own date when programme-wide. */
  @Column('date')
  date: string;

  @Column('varchar', { length: 12 })
  actorType: ActorType;

  @Column('varchar', { nullable: true })
  residentId: string | null;

  @Column('varchar', { nullable: true })
  familyMemberId: string | null;

  @Column('varchar', { nullable: true })
  volunteerId: string | null;

  @Column('varchar', { nullable: true })
  staffMemberId: string | null;

  @Column('varchar', { length: 20 })
  phase: Phase;

  @Column('integer', { default: 0 })
  minutes: number;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('varchar', { length: 16, default: 'manual' })
  source: ContributionSource;

  @Column('varchar', { nullable: true })
  sourceId: string | null;

  @Column('varchar', { nullable: true })
  recordedBy: string | null;
}
