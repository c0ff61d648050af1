import { Column, Entity, Index } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';
import type { FamilyAccess } from '../residents.enums';

/** What ties a family member to a resident, and what they may do through it. */
@Entity('family_link')
@Index(['familyMemberId', 'residentId'], { unique: true })
export class FamilyLink extends HomeOwnedEntity {
  @Column('varchar')
  familyMemberId: string;

  @Index()
  @Column('varchar')
  residentId: string;

  @Column('varchar', { length: 60 })
  relationship: string;

  @Column('boolean', { default: false })
  primaryContact: boolean;

  @Column('varchar', { length: 12, default: 'view' })
  access: FamilyAccess;

  @Column('boolean', { default: true })
  active: boolean;
}
