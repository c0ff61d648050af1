import { FamilyMember } from '../../src/families/entities/family-member.entity';
import { FamilyLink } from '../../src/residents/entities/family-link.entity';
import { Resident } from '../../src/residents/entities/resident.entity';
import { createUser, TestUser } from './factories';
import type { TestApp } from './test-app';

let counter = 0;

/** A resident with realistic defaults, written straight to the table (tests of other features use it too). */
export async function createResident(t: TestApp, homeId: string, overrides: Partial<Resident> = {}): Promise<Resident> {
  counter += 1;
  const repo = t.dataSource.getRepository(Resident);
  const resident = repo.create({
    homeId,
    firstName: `Maria${counter}`,
    lastName: `Rossi${counter}`,
    preferredName: null,
    dateOfBirth: '1938-04-12',
    room: `R${counter}`,
    unitId: null,
    admittedOn: '2024-01-10',
    leftOn: null,
    status: 'active',
    aboutMe: 'Taught primary school in Modena for forty years.',
    interests: ['singing', 'cards'],
    dislikes: 'Loud television',
    communicationTips: 'Hearing aid in the left ear',
    mobilityNotes: 'Walks with a frame',
    weeklyActivityTarget: 5,
    photoFile: null,
    consentPhotos: true,
    consentFamilyPortal: 'full',
    consentVolunteerProfile: true,
    consentRecordedBy: null,
    consentRecordedAt: null,
    consentBestInterestNote: null,
    ...overrides,
  });
  await repo.insert(resident);
  return resident;
}

/** A relative with an account, linked to a resident. */
export async function createRelative(
  t: TestApp,
  resident: Resident,
  link: Partial<FamilyLink> = {},
): Promise<{ user: TestUser; familyMember: FamilyMember; link: FamilyLink }> {
  counter += 1;
  const members = t.dataSource.getRepository(FamilyMember);
  const familyMember = members.create({ homeId: resident.homeId, firstName: `Paola${counter}`, lastName: 'Bianchi', email: `paola${counter}@example.test`, phone: null, archivedAt: null });
  await members.insert(familyMember);
  const links = t.dataSource.getRepository(FamilyLink);
  const saved = links.create({ homeId: resident.homeId, familyMemberId: familyMember.id, residentId: resident.id, relationship: 'daughter', primaryContact: true, access: 'contribute', active: true, ...link });
  await links.insert(saved);
  const user = await createUser(t, { role: 'family', homeIds: [resident.homeId], email: familyMember.email!, personKind: 'family', personId: familyMember.id });
  return { user, familyMember, link: saved };
}
