import { Column, Entity } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';
import type { HelpOfferStatus, HelpKind } from '../activities.enums';

/** A family member or volunteer offering to help deliver, or to join, an activity. */
@Entity('help_offer')
export class HelpOffer extends HomeOwnedEntity {
  @Column('varchar')
  activityId: string;

  @Column('varchar', { length: 12 })
  offererType: 'family' | 'volunteer';

  @Column('varchar', { nullable: true })
  familyMemberId: string | null;

  @Column('varchar', { nullable: true })
  volunteerId: string | null;

  @Column('varchar', { length: 12, default: 'deliver' })
  kind: HelpKind;

  @Column('varchar', { length: 12, default: 'offered' })
  status: HelpOfferStatus;

  @Column('text', { nullable: true })
  message: string | null;

  @Column('varchar', { nullable: true })
  respondedBy: string | null;

  @Column({ type: Date, nullable: true })
  respondedAt: Date | null;

  @Column('varchar', { nullable: true })
  createdBy: string | null;
}
