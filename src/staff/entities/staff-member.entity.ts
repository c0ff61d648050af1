import { Column, Entity } from 'typeorm';
import { PersonEntity } from '../../common/entities/base.entity';
import type { JobRole, StaffStatus } from '../staff.enums';

@Entity('staff_member')
export class StaffMember extends PersonEntity {
  @Column('varchar', { length: 30 })
  jobRole: JobRole;

  @Column('varchar', { nullable: true })
  unitId: string | null;

  @Column('date', { nullable: true })
  startedOn: string | null;

  @Column('varchar', { length: 10, default: 'active' })
  status: StaffStatus;
}
