import { Column, Entity } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';
import type { Engagement } from '../activities.enums';

/** How one resident took part in one activity; one row per pair. */
@Entity('participation')
export class Participation extends HomeOwnedEntity {
  @Column('varchar')
  activityId: string;

  @Column('varchar')
  residentId: string;

  @Column('varchar', { length: 12 })
  engagement: Engagement;

  @Column('integer', { nullable: true })
  moodBefore: number | null;

  @Column('integer', { nullable: true })
  moodAfter: number | null;

  /** Staff only: never shown to families or volunteers. */
  @Column('text', { nullable: true })
  staffNote: string | null;

  /** Shared with the resident's family (with full consent). */
  @Column('text', { nullable: true })
  familyNote: string | null;

  @Column('varchar', { nullable: true })
  recordedBy: string | null;

  @Column({ type: Date })
  recordedAt: Date;

  /** When the entry was tapped on the device (never later than recordedAt); null before offline logging. */
  @Column({ type: Date, nullable: true })
  tappedAt: Date | null;
}
