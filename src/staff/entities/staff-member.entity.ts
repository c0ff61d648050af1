import { Column, Entity } from 'typeorm';
import { PersonEntity } from '../../common/entities/base.entity';

export const JOB_ROLES = ['care_assistant', 'nurse', 'activity_coordinator', 'physiotherapist', 'manager', 'other'] as const;
export type JobRole = (typeof JOB_ROLES)[number];
export const STAFF_STATUSES = ['active', 'left'] as const;
export type StaffStatus = (typeof STAFF_STATUSES)[number];

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
