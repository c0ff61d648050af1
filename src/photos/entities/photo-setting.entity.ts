import { Column, Entity } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';

/** A home's photo settings; a home without a row has the defaults (volunteers may not add photos). */
@Entity('photo_setting')
export class PhotoSetting extends HomeOwnedEntity {
  @Column('boolean', { default: false })
  volunteersMayAdd: boolean;
}
