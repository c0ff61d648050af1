import { Column, Entity } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';
import type { Perspective } from '../voice.enums';

/**
 * A quarterly wellbeing check-in about one resident, from one perspective. Three domains scored 1-4
 * (4 = best): doing things I value and enjoy; time with people I like; choice and control over my day.
 */
@Entity('wellbeing_check_in')
export class WellbeingCheckIn extends HomeOwnedEntity {
  @Column('varchar')
  residentId: string;

  /** "2026-Q3". */
  @Column('varchar', { length: 7 })
  quarter: string;

  @Column('varchar', { length: 12 })
  perspective: Perspective;

  @Column('varchar', { nullable: true })
  familyMemberId: string | null;

  @Column('varchar', { nullable: true })
  staffMemberId: string | null;

  @Column('integer')
  doingThings: number;

  @Column('integer')
  people: number;

  @Column('integer')
  choice: number;

  @Column('text', { nullable: true })
  comment: string | null;

  @Column('varchar', { nullable: true })
  recordedBy: string | null;
}
