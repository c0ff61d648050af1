import { FamilyMember } from '../../src/families/entities/family-member.entity';
import { FamilyLink } from '../../src/residents/entities/family-link.entity';
import type { TestApp } from './test-app';

let counter = 0;

/** A family member with realistic defaults, written straight to the table. */
export async function createFamilyMember(t: TestApp, homeId: string, overrides: Partial<FamilyMember> = {}): Promise<FamilyMember> {
  counter += 1;
  const repo = t.dataSource.getRepository(FamilyMember);
  const member = repo.create({
    homeId,
    firstName: `Lucia${counter}`,
    lastName: `Colombo${counter}`,
    email: `lucia.colombo${counter}-${Date.now()}@example.test`,
    phone: '+39 02 555 0100',
    archivedAt: null,
    ...overrides,
  });
  await repo.insert(member);
  return member;
}

/** A link between a family member and a resident of the same home: active, view-only, not the primary contact. */
export async function createFamilyLink(
  t: TestApp,
  member: Pick<FamilyMember, 'id' | 'homeId'>,
  residentId: string,
  overrides: Partial<FamilyLink> = {},
): Promise<FamilyLink> {
  const repo = t.dataSource.getRepository(FamilyLink);
  const link = repo.create({
    homeId: member.homeId,
    familyMemberId: member.id,
    residentId,
    relationship: 'daughter',
    primaryContact: false,
    access: 'view',
    active: true,
    ...overrides,
  });
  await repo.insert(link);
  return link;
}
