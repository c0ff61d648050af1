import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthService } from '../auth/auth.service';
import { FamiliesService } from '../families/families.service';
import { isRelationship } from '../residents/dto/family-link.dto';
import { FamilyLinksService, residentDisplayName } from '../residents/family-links.service';
import { ResidentsService } from '../residents/residents.service';
import { StaffService } from '../staff/staff.service';
import { VolunteersService } from '../volunteers/volunteers.service';
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

function fullName(p: { firstName: string; lastName: string }): string {
  return `${p.firstName} ${p.lastName}`;
}

/** Names the people voice pages show, through the services of the modules that own them. */
@Injectable()
export class VoiceViews {
  constructor(
    private readonly auth: AuthService,
    private readonly residents: ResidentsService,
    private readonly familyLinks: FamilyLinksService,
    private readonly families: FamiliesService,
    private readonly volunteers: VolunteersService,
    private readonly staff: StaffService,
  ) {}

  /** Names of residents by id, as staff and families know them. */
  async residentNames(m: EntityManager, residentIds: (string | null | undefined)[]): Promise<Map<string, string>> {
    return new Map((await this.residents.briefsByIds(residentIds, m)).map((r) => [r.id, residentDisplayName(r)]));
  }

  /** Display names of users by id, for "recorded by" and "answered by" lines. */
  async userNames(m: EntityManager, userIds: (string | null | undefined)[]): Promise<Map<string, string>> {
    return this.auth.displayNames(userIds, m);
  }

  /** Full names of relatives and members of staff by id (check-ins name their authors so). */
  async personNames(m: EntityManager, familyMemberIds: (string | null)[], staffMemberIds: (string | null)[]): Promise<Map<string, string>> {
    // One after another: inside a transaction the queries share one connection.
    const relatives = await this.families.briefsByIds(familyMemberIds, m);
    const staff = await this.staff.briefsByIds(staffMemberIds, m);
    return new Map([...relatives, ...staff].map((p) => [p.id, fullName(p)]));
  }

  /** Loads, in a few queries, everything needed to name the authors of these rows. */
  async authorViews(m: EntityManager, rows: AuthoredRow[]): Promise<(row: AuthoredRow) => AuthorView> {
    // One after another: inside a transaction the queries share one connection.
    const relatives = await this.families.briefsByIds(rows.map((r) => r.authorFamilyMemberId), m);
    const volunteers = await this.volunteers.briefsByIds(rows.map((r) => r.authorVolunteerId), m);
    const staff = await this.staff.briefsByIds(rows.map((r) => r.authorStaffMemberId), m);
    const userName = await this.userNames(m, rows.map((r) => r.recordedBy));
    const links = await this.familyLinks.linksOfMembers(rows.map((r) => r.authorFamilyMemberId).filter((id): id is string => id !== null), m);
    const residents = await this.residentNames(m, [...rows.map((r) => r.authorResidentId), ...links.map((l) => l.residentId)]);
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
}

/** A rating drawn as five stars, for pages (the number is always written beside it). */
export function withStars<T extends { rating: number }>(item: T): T & { stars: string } {
  return { ...item, stars: '★'.repeat(item.rating) + '☆'.repeat(Math.max(0, 5 - item.rating)) };
}
