import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { SuggestionStatus } from '../voice.enums';

/**
 * A suggestion's status and answer time, from one change to the next (issue 18 item 2b): a row when
 * it is received and one per answer (accepted, declined, done, reopened), written in the same
 * transaction. The quarterly report counts answers as they stood at a quarter's end from it. No text:
 * the title, body and response stay on the suggestion alone (and are erased there).
 */
@Entity('suggestion_history')
export class SuggestionHistory {
  /** Increasing: orders the changes of one suggestion even within one millisecond. */
  @PrimaryGeneratedColumn()
  id: number;

  @Column('varchar')
  homeId: string;

  @Column('varchar')
  suggestionId: string;

  @Column('varchar', { length: 12 })
  status: SuggestionStatus;

  @Column({ type: Date, nullable: true })
  respondedAt: Date | null;

  /** When these values took effect (the change's instant). */
  @Column({ type: Date })
  validFrom: Date;
}
