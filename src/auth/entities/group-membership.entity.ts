import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../common/entities/base.entity';

/**
 * A group manager's group (docs/groups.md): they read every home of it, whichever homes it holds
 * when they ask, so putting a home in a group needs no change to anyone's memberships.
 */
@Entity('group_membership')
@Index(['userId', 'groupId'], { unique: true })
export class GroupMembership extends BaseEntity {
  @Column('varchar')
  userId: string;

  @Column('varchar')
  groupId: string;
}
