import { Injectable } from '@nestjs/common';
import { can } from '../common/access/access-policy';
import { EntityManager } from 'typeorm';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { FamiliesService } from '../families/families.service';
import { FamilyLinksService } from '../residents/family-links.service';
import { ResidentBrief, ResidentsService } from '../residents/residents.service';
import { StaffService } from '../staff/staff.service';
import { VolunteersService } from '../volunteers/volunteers.service';
import type { AuthorType } from './voice.enums';

const CURRENT = ['active', 'on_leave'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The author columns every suggestion and feedback carries. */
export interface AuthorColumns {
  authorType: AuthorType;
  authorResidentId: string | null;
  authorFamilyMemberId: string | null;
  authorVolunteerId: string | null;
  authorStaffMemberId: string | null;
  recordedBy: string | null;
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export { lockRow } from '../database/row-lock';

/** A reference typed into a form or sent by a caller: anything but an id names the field. */
export function assertId(value: unknown, field: string): asserts value is string {
  if (!isUuid(value)) throw new ValidationError({ [field]: { key: 'validation.isUuid' } });
}

/** Text a person wrote: trimmed, required or optional, with a length limit; bad input names the field. */
export function text(value: unknown, field: string, max: number, required: boolean): string | null {
  if (value === undefined || value === null) {
    if (required) throw new ValidationError({ [field]: { key: 'validation.isNotEmpty' } });
    return null;
  }
  if (typeof value !== 'string') throw new ValidationError({ [field]: { key: 'validation.isString' } });
  const trimmed = value.trim();
  if (trimmed === '') {
    if (required) throw new ValidationError({ [field]: { key: 'validation.isNotEmpty' } });
    return null;
  }
  if (trimmed.length > max) throw new ValidationError({ [field]: { key: 'validation.maxLength', params: { n: max } } });
  return trimmed;
}

/** A whole-number score within a scale (1-4 for check-ins, 1-5 for ratings). */
export function score(value: unknown, field: string, max: number): number {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > max) {
    throw new ValidationError({ [field]: { key: 'voice.scoreRange', params: { n: max } } });
  }
  return n;
}

/**
 * Who may speak about whom (SPEC 1 and 3). A relative contributes only through an active link with
 * "contribute" access, and only while the resident's family-portal consent is not "none"; a resident
 * they may not see is simply not found, and a view-only link is told it cannot contribute.
 */
@Injectable()
export class VoiceAccess {
  constructor(
    private readonly familyLinks: FamilyLinksService,
    private readonly residents: ResidentsService,
    private readonly families: FamiliesService,
    private readonly volunteers: VolunteersService,
    private readonly staff: StaffService,
  ) {}

  /** The author columns for a user speaking for themselves. */
  authorOf(user: SessionUser): AuthorColumns {
    const none = { authorResidentId: null, authorFamilyMemberId: null, authorVolunteerId: null, authorStaffMemberId: null, recordedBy: user.id };
    if (user.role === 'family') return { ...none, authorType: 'family', authorFamilyMemberId: this.personOf(user, 'family') };
    if (user.role === 'volunteer') return { ...none, authorType: 'volunteer', authorVolunteerId: this.personOf(user, 'volunteer') };
    if (can(user, 'homeStaff')) return { ...none, authorType: 'staff', authorStaffMemberId: user.personKind === 'staff' ? user.personId : null };
    throw new NotFoundError();
  }

  /** The author columns for a resident's own words, written down by a member of staff. */
  residentAuthor(staffUser: SessionUser, residentId: string): AuthorColumns {
    return { authorType: 'resident', authorResidentId: residentId, authorFamilyMemberId: null, authorVolunteerId: null, authorStaffMemberId: null, recordedBy: staffUser.id };
  }

  /**
   * A current resident this user may contribute about; any other is not found. A relative with
   * view access only is told so, beside the resident field.
   */
  async residentToContributeAbout(m: EntityManager, user: SessionUser, residentId: unknown): Promise<ResidentBrief> {
    assertId(residentId, 'residentId');
    const [resident] = await this.residents.briefsByIds([residentId.toLowerCase()], m);
    if (!resident || !user.homeIds.includes(resident.homeId)) throw new NotFoundError();
    if (user.role === 'family') {
      const link = await this.familyLinks.linkFor(this.personOf(user, 'family'), resident.id);
      if (!link || !link.active || resident.consentFamilyPortal === 'none') throw new NotFoundError();
      if (link.access !== 'contribute') throw new ValidationError({ residentId: { key: 'voice.viewOnlyFamily' } }, { key: 'voice.viewOnlyFamily' });
    } else if (user.role === 'volunteer') {
      // Volunteers speak only of residents on the activities they help with (the residents list's own rule).
      await this.residents.get(user, resident.id);
    } else if (!can(user, 'homeStaff')) {
      throw new NotFoundError();
    }
    if (!CURRENT.includes(resident.status)) throw new ValidationError({ residentId: { key: 'voice.residentNotCurrent' } });
    return resident;
  }

  /** A resident of the staff user's homes, for recording (a current resident only) or reading the resident's own voice. */
  async residentForStaff(m: EntityManager, staffUser: SessionUser, residentId: string, currentOnly = true): Promise<ResidentBrief> {
    if (!can(staffUser, 'homeStaff')) throw new NotFoundError();
    if (!isUuid(residentId)) throw new NotFoundError();
    const [resident] = await this.residents.briefsByIds([residentId.toLowerCase()], m);
    if (!resident || !staffUser.homeIds.includes(resident.homeId)) throw new NotFoundError();
    if (currentOnly && !CURRENT.includes(resident.status)) throw new ValidationError({ residentId: { key: 'voice.residentNotCurrent' } });
    return resident;
  }

  /**
   * Residents a relative may contribute about now: active links with "contribute" access whose
   * resident's family-portal consent is not "none". An archived family member has none.
   */
  async contributingResidentIds(m: EntityManager, user: SessionUser): Promise<string[]> {
    if (user.role !== 'family' || !user.personId) return [];
    const [member] = await this.families.briefsByIds([user.personId], m);
    if (!member || member.archivedAt || !user.homeIds.includes(member.homeId)) return [];
    const links = (await this.familyLinks.linksOfMembers([member.id], m)).filter((l) => l.homeId === member.homeId && l.active && l.access === 'contribute');
    if (links.length === 0) return [];
    const residents = await this.residents.briefsByIds(links.map((l) => l.residentId), m);
    return residents.filter((r) => r.homeId === member.homeId && r.consentFamilyPortal !== 'none').map((r) => r.id);
  }

  /** Residents a relative may see now (active link, consent not "none"), whatever the access. */
  async visibleResidentIds(m: EntityManager, user: SessionUser): Promise<string[]> {
    if (user.role !== 'family' || !user.personId) return [];
    const ids = await this.familyLinks.activeLinkedResidentIds(user.personId);
    if (ids.length === 0) return [];
    const residents = await this.residents.briefsByIds(ids, m);
    return residents.filter((r) => r.consentFamilyPortal !== 'none' && user.homeIds.includes(r.homeId)).map((r) => r.id);
  }

  /**
   * The home a user speaks for when nothing names one: their person record's home, or their only
   * home. A relative must be able to contribute about at least one resident.
   */
  async homeOfSpeaker(m: EntityManager, user: SessionUser): Promise<string> {
    if (user.role === 'family') {
      const ids = await this.contributingResidentIds(m, user);
      if (ids.length === 0) {
        if ((await this.visibleResidentIds(m, user)).length === 0) throw new NotFoundError();
        throw new ValidationError({}, { key: 'voice.viewOnlyFamily' });
      }
      const [member] = await this.families.briefsByIds([user.personId], m);
      if (!member) throw new NotFoundError();
      return member.homeId;
    }
    if (user.role === 'volunteer') {
      const [volunteer] = await this.volunteers.briefsByIds([this.personOf(user, 'volunteer')], m);
      if (!volunteer || volunteer.status === 'left' || !user.homeIds.includes(volunteer.homeId)) throw new NotFoundError();
      return volunteer.homeId;
    }
    if (!can(user, 'homeStaff')) throw new NotFoundError();
    if (user.personKind === 'staff' && user.personId) {
      const [staff] = await this.staff.briefsByIds([user.personId], m);
      if (staff && user.homeIds.includes(staff.homeId)) return staff.homeId;
    }
    if (user.homeIds.length === 1) return user.homeIds[0];
    throw new ValidationError({ residentId: { key: 'validation.chooseHome' } });
  }

  /** A relative's or volunteer's person record; an account without one cannot speak as that person. */
  private personOf(user: SessionUser, kind: 'family' | 'volunteer'): string {
    if (user.personKind !== kind || !user.personId) throw new NotFoundError();
    return user.personId;
  }
}
