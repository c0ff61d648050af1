import { randomBytes } from 'node:crypto';
import { CreateStaffMemberDto } from '../../src/staff/dto/staff-member.dto';
import { StaffDetail, StaffService } from '../../src/staff/staff.service';
import { CreateVolunteerDto } from '../../src/volunteers/dto/volunteer.dto';
import { VolunteerDetail, VolunteersService } from '../../src/volunteers/volunteers.service';
import type { TestApp } from './test-app';

function unique(): string {
  return randomBytes(3).toString('hex');
}

/** A volunteer in a home, inserted through the service (as a trusted caller), with sensible defaults. */
export async function createVolunteer(
  t: TestApp,
  homeId: string,
  overrides: Partial<Omit<CreateVolunteerDto, 'homeId'>> = {},
): Promise<VolunteerDetail> {
  const id = unique();
  return t.get(VolunteersService).create(null, {
    homeId,
    firstName: 'Vera',
    lastName: `Volontaria ${id}`,
    email: `volunteer-${id}@example.test`,
    association: 'AVO',
    skills: 'canto, carte',
    status: 'active',
    ...overrides,
  });
}

/** A staff member in a home, inserted through the service (as a trusted caller), with sensible defaults. */
export async function createStaffMember(
  t: TestApp,
  homeId: string,
  overrides: Partial<Omit<CreateStaffMemberDto, 'homeId'>> = {},
): Promise<StaffDetail> {
  const id = unique();
  return t.get(StaffService).create(null, {
    homeId,
    firstName: 'Sara',
    lastName: `Operatrice ${id}`,
    email: `staff-${id}@example.test`,
    jobRole: 'care_assistant',
    status: 'active',
    ...overrides,
  });
}
