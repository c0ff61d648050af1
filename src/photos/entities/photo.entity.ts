import { Column, Entity } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';

/**
 * A photo of an activity (or of a news post): two JPEGs re-encoded by the image pipeline, kept under
 * the uploads folder as `<id>.jpg` and `<id>.thumb.jpg`. Who may see it is decided by its tags
 * (PhotosService.visibleQuery), at every read.
 */
@Entity('photo')
export class Photo extends HomeOwnedEntity {
  @Column('varchar', { nullable: true })
  activityId: string | null;

  @Column('varchar', { length: 300, nullable: true })
  caption: string | null;

  @Column('integer')
  width: number;

  @Column('integer')
  height: number;

  @Column('varchar', { nullable: true })
  uploadedById: string | null;

  /** When a member of staff checked who is in it (docs/photos.md); empty: a volunteer's photo waiting, seen by staff and its uploader only. */
  @Column({ type: Date, nullable: true })
  checkedAt: Date | null;

  @Column('varchar', { nullable: true })
  checkedBy: string | null;
}
