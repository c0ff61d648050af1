import { Column, Entity, Index } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';

/** The records a retention review lists, by the table that keeps them. */
export const RETENTION_SUBJECTS = ['resident', 'family_member', 'volunteer'] as const;
export type RetentionSubject = (typeof RETENTION_SUBJECTS)[number];

/**
 * A record past the retention period that a manager decided to keep, with why: it leaves the review
 * list until `reviewAgainOn` (a year later), then comes back to be reviewed again.
 */
@Entity('retention_hold')
@Index(['subjectType', 'subjectId'], { unique: true })
@Index(['homeId', 'reviewAgainOn'])
export class RetentionHold extends HomeOwnedEntity {
  @Column('varchar', { length: 20 })
  subjectType: RetentionSubject;

  @Column('varchar')
  subjectId: string;

  @Column('text')
  reason: string;

  /** The user who decided; null once their account is gone. */
  @Column('varchar', { nullable: true })
  keptBy: string | null;

  @Column('date')
  reviewAgainOn: string;
}
