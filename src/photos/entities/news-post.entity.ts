import { Column, Entity } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';

/** A short post from the home to its families: for the whole home, or one unit. */
@Entity('news_post')
export class NewsPost extends HomeOwnedEntity {
  @Column('varchar', { nullable: true })
  unitId: string | null;

  @Column('text')
  body: string;

  @Column('varchar', { nullable: true })
  photoId: string | null;

  @Column('varchar', { nullable: true })
  authorId: string | null;
}
