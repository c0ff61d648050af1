import { Column, Entity } from 'typeorm';
import { AuthoredEntity } from './author';

/** "How did it go?": a rating 1-5 and a comment, on an activity or on the programme as a whole. */
@Entity('feedback')
export class Feedback extends AuthoredEntity {
  @Column('varchar', { nullable: true })
  activityId: string | null;

  @Column('integer')
  rating: number;

  @Column('text', { nullable: true })
  comment: string | null;
}
