import { Column, Entity } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';

@Entity('family_member')
export class FamilyMember extends HomeOwnedEntity {
  @Column('varchar', { length: 80 })
  firstName: string;

  @Column('varchar', { length: 80 })
  lastName: string;

  @Column('varchar', { length: 254, nullable: true })
  email: string | null;

  @Column('varchar', { length: 40, nullable: true })
  phone: string | null;

  @Column({ type: Date, nullable: true })
  archivedAt: Date | null;
}
