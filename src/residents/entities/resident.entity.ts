import { Column, Entity, Index } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';
import type { ResidentStatus, FamilyPortalConsent } from '../residents.enums';

@Entity('resident')
@Index(['homeId', 'status'])
export class Resident extends HomeOwnedEntity {
  @Column('varchar', { length: 80 })
  firstName: string;

  @Column('varchar', { length: 80 })
  lastName: string;

  @Column('varchar', { length: 80, nullable: true })
  preferredName: string | null;

  @Column('date', { nullable: true })
  dateOfBirth: string | null;

  @Column('varchar', { length: 20, nullable: true })
  room: string | null;

  @Column('varchar', { nullable: true })
  unitId: string | null;

  @Column('date')
  admittedOn: string;

  @Column('date', { nullable: true })
  leftOn: string | null;

  @Column('varchar', { length: 20, default: 'active' })
  status: ResidentStatus;

  @Column('text', { nullable: true })
  aboutMe: string | null;

  @Column('simple-json')
  interests: string[];

  @Column('text', { nullable: true })
  dislikes: string | null;

  @Column('text', { nullable: true })
  communicationTips: string | null;

  @Column('text', { nullable: true })
  mobilityNotes: string | null;

  @Column('integer', { default: 5 })
  weeklyActivityTarget: number;

  @Column('varchar', { length: 100, nullable: true })
  photoFile: string | null;

  @Column('boolean', { default: false })
  consentPhotos: boolean;

  @Column('varchar', { length: 10, default: 'none' })
  consentFamilyPortal: FamilyPortalConsent;

  @Column('boolean', { default: false })
  consentVolunteerProfile: boolean;

  @Column('varchar', { nullable: true })
  consentRecordedBy: string | null;

  @Column({ type: Date, nullable: true })
  consentRecordedAt: Date | null;

  /** Recorded when the resident lacks capacity to consent and a decision is made in their best interest. */
  @Column('text', { nullable: true })
  consentBestInterestNote: string | null;

  /** Set when the resident's identity was erased (data protection): the name is a placeholder since. */
  @Column({ type: Date, nullable: true })
  erasedAt: Date | null;
}
