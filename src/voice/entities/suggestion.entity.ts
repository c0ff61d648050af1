import { Column, Entity } from 'typeorm';
import { AuthoredEntity } from './author';

export const SUGGESTION_KINDS = ['activity_idea', 'plan_change', 'life_story'] as const;
export type SuggestionKind = (typeof SUGGESTION_KINDS)[number];
export const SUGGESTION_STATUSES = ['new', 'accepted', 'declined', 'done'] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

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
