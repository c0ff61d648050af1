import { Column, Entity } from 'typeorm';
import { PersonEntity } from '../../common/entities/base.entity';

@Entity('family_member')
export class FamilyMember extends PersonEntity {
  @Column({ type: Date, nullable: true })
  archivedAt: Date | null;
}
