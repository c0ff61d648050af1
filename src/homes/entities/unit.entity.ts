import { Column, Entity } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';

/** A ward or floor of a home. */
@Entity('unit')
export class Unit extends HomeOwnedEntity {
  @Column('varchar', { length: 120 })
  name: string;

  @Column('boolean', { default: true })
  active: boolean;
}
