import { EntityManager, In } from 'typeorm';
import { User } from '../auth/entities/user.entity';
import { FamilyMember } from '../families/entities/family-member.entity';
import { FamilyLink } from '../residents/entities/family-link.entity';
import { Resident } from '../residents/entities/resident.entity';
import { isRelationship } from '../residents/dto/family-link.dto';
import { residentDisplayName } from '../residents/family-links.service';
import { StaffMember } from '../staff/entities/staff-member.entity';
import { Volunteer } from '../volunteers/entities/volunteer.entity';
import type { AuthorType } from './voice.enums';

/** Who said something, and how they relate to the home, as pages show it. */
export interface AuthorView {
  type: AuthorType;
  name: string;
  /** A relative: what they are to the resident (a catalogue key, or the words stored before the fixed list). */
  relationshipKey: string | null;
  relationship: string | null;
  relativeOf: string | null;
  /** A volunteer's association. */
  association: string | null;
  /** A member of staff's job (catalogue key). */
  jobRoleKey: string | null;
  /** A resident's own words, written down by staff. */
  onBehalf: boolean;
  recordedByName: string | null;
}

export interface AuthoredRow {
  authorType: AuthorType;
  authorResidentId: string | null;
  authorFamilyMemberId: string | null;
  authorVolunteerId: string | null;
  authorStaffMemberId: string | null;
  recordedBy: string | null;
  /** The resident the words are about, when there is one: a relative's link to them says how they relate. */
  residentId?: string | null;
}

function ids(values: (string | null | undefined)[]): string[] {
  return [...new Set(values.filter((id): id is string => typeof id === 'string'))];
}

function fullName(p: { firstName: string; lastName: string }): string {
  return `${p.firstName} ${p.lastName}`;
}

/** Names of residents by id, as staff and families know them. */
export async function residentNames(m: EntityManager, residentIds: (string | null | undefined)[]): Promise<Map<string, string>> {
  const wanted = ids(residentIds);
  if (wanted.length === 0) return new Map();
  const residents = await m.find(Resident, { select: { id: true, firstName: true, lastName: true, preferredName: true }, where: { id: In(wanted) } });
  return new Map(residents.map((r) => [r.id, residentDisplayName(r)]));
}

/** Display names of users by id, for "recorded by" and "answered by" lines. */
export async function userNames(m: EntityManager, userIds: (string | null | undefined)[]): Promise<Map<string, string>> {
  const wanted = ids(userIds);
  if (wanted.length === 0) return new Map();
  const users = await m.find(User, { select: { id: true, displayName: true }, where: { id: In(wanted) } });
  return new Map(users.map((u) => [u.id, u.displayName]));
}

/** Loads, in a few queries, everything needed to name the authors of these rows. */
export async function authorViews(m: EntityManager, rows: AuthoredRow[]): Promise<(row: AuthoredRow) => AuthorView> {
  const familyIds = ids(rows.map((r) => r.authorFamilyMemberId));
  const volunteerIds = ids(rows.map((r) => r.authorVolunteerId));
  const staffIds = ids(rows.map((r) => r.authorStaffMemberId));
  // One after another: inside a transaction the queries share one connection.
  const relatives = familyIds.length ? await m.find(FamilyMember, { where: { id: In(familyIds) } }) : [];
  const volunteers = volunteerIds.length ? await m.find(Volunteer, { where: { id: In(volunteerIds) } }) : [];
  const staff = staffIds.length ? await m.find(StaffMember, { where: { id: In(staffIds) } }) : [];
  const userName = await userNames(m, rows.map((r) => r.recordedBy));
  const links = familyIds.length ? await m.find(FamilyLink, { where: { familyMemberId: In(familyIds) } }) : [];
  const residents = await residentNames(m, [...rows.map((r) => r.authorResidentId), ...links.map((l) => l.residentId)]);
  const relativeById = new Map(relatives.map((p) => [p.id, p]));
  const volunteerById = new Map(volunteers.map((p) => [p.id, p]));
  const staffById = new Map(staff.map((p) => [p.id, p]));

  return (row) => {
    const base: AuthorView = {
      type: row.authorType, name: '—', relationshipKey: null, relationship: null, relativeOf: null, association: null, jobRoleKey: null,
      onBehalf: false, recordedByName: row.recordedBy ? (userName.get(row.recordedBy) ?? null) : null,
    };
    switch (row.authorType) {
      case 'resident':
        return { ...base, name: residents.get(row.authorResidentId ?? '') ?? '—', onBehalf: true };
      case 'family': {
        const person = relativeById.get(row.authorFamilyMemberId ?? '');
        const own = links.filter((l) => l.familyMemberId === row.authorFamilyMemberId);
        // The link to the resident it is about; otherwise their closest current link.
        const link = own.find((l) => l.residentId === row.residentId)
          ?? own.filter((l) => l.active).sort((a, b) => Number(b.primaryContact) - Number(a.primaryContact))[0];
        return {
          ...base, name: person ? fullName(person) : '—',
          relationshipKey: link && isRelationship(link.relationship) ? `families.relationships.${link.relationship}` : null,
          relationship: link?.relationship ?? null, relativeOf: link ? (residents.get(link.residentId) ?? null) : null,
        };
      }
      case 'volunteer': {
        const person = volunteerById.get(row.authorVolunteerId ?? '');
        return { ...base, name: person ? fullName(person) : '—', association: person?.association ?? null };
      }
      case 'staff': {
        const person = staffById.get(row.authorStaffMemberId ?? '');
        return {
          ...base, name: person ? fullName(person) : (base.recordedByName ?? '—'), jobRoleKey: person ? `staff.jobRoles.${person.jobRole}` : null,
        };
      }
    }
  };
}

/** A rating drawn as five stars, for pages (the number is always written beside it). */
export function withStars<T extends { rating: number }>(item: T): T & { stars: string } {
  return { ...item, stars: '★'.repeat(item.rating) + '☆'.repeat(Math.max(0, 5 - item.rating)) };
}
