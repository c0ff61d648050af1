import { Column, Entity } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';

/** A resident shown in a photo. Unique per pair. */
@Entity('photo_tag')
export class PhotoTag extends HomeOwnedEntity {
  @Column('varchar')
  photoId: string;

  @Column('varchar')
  residentId: string;
}
