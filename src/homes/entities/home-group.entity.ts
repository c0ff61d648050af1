import { Column, Entity } from 'typeorm';
import { BaseEntity } from '../../common/entities/base.entity';

/**
 * A group of homes run by one operations lead (SPEC 1, group manager; docs/groups.md). A home is in
 * at most one group (`home.groupId`). Not a home's record: it belongs to the provider.
 */
@Entity('home_group')
export class HomeGroup extends BaseEntity {
  @Column('varchar', { length: 120, unique: true })
  name: string;

  /**
   * The group's one setting beyond its name: the group view flags a home whose residents reached in
   * the quarter are below this percentage (null: no flag).
   */
  @Column('integer', { nullable: true })
  reachedThreshold: number | null;
}
