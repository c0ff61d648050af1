import { Column, Entity } from 'typeorm';
import { AuthoredEntity } from './author';
import type { SuggestionKind, SuggestionStatus } from '../voice.enums';

@Entity('suggestion')
export class Suggestion extends AuthoredEntity {
  /** The resident it is about, or null for the whole home. */
  @Column('varchar', { nullable: true })
  residentId: string | null;

  @Column('varchar', { length: 16 })
  kind: SuggestionKind;

  @Column('varchar', { length: 160 })
  title: string;

  @Column('text')
  body: string;

  @Column('varchar', { length: 12, default: 'new' })
  status: SuggestionStatus;

  @Column('text', { nullable: true })
  response: string | null;

  @Column('varchar', { nullable: true })
  respondedBy: string | null;

  @Column({ type: Date, nullable: true })
  respondedAt: Date | null;

  @Column('varchar', { nullable: true })
  linkedActivityTypeId: string | null;

  @Column('varchar', { nullable: true })
  linkedActivityId: string | null;

  /** A life-story addition changes "About me" only once staff approve it. */
  @Column({ type: Date, nullable: true })
  lifeStoryAppliedAt: Date | null;
}
