import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository, SelectQueryBuilder } from 'typeorm';
import { AuditService, diffFields } from '../audit/audit.service';
import { can, Lens, lensFor, roleLens, throughLens } from '../common/access/access-policy';
import { findInHomes, resolveHomeId, scopeToHomes } from '../common/access/home-scope';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { pageOf, whereAnyContains } from '../common/query/paging';
import { localDayRange, todayIn, utcToLocal } from '../common/time/zoned';
import { placeholders, sqlRows } from '../database/sql';
import { lockRow } from '../database/row-lock';
import { UnitOfWork } from '../database/unit-of-work';
import { HomesService } from '../homes/homes.service';
import { ConsentDto, DischargeDto, ResidentDto, ResidentListQuery } from './dto/resident.dto';
import { FamilyLink } from './entities/family-link.entity';
import { Resident } from './entities/resident.entity';
import { FamilyPortalConsent, ResidentStatus } from './residents.enums';
import { ResidentActivityFacts } from './resident-activity-facts';

export const PAGE_SIZE = 25;
/** What a list shows of each resident (the lens then cuts it further). */
const SUMMARY_FIELDS = ['id', 'homeId', 'displayName', 'fullName', 'initials', 'room', 'unitId', 'unitName', 'status', 'hasPhoto'] as const;

/** A resident living in the home now, as another module's list names them. */
const PROFILE_FIELDS = [
  'firstName', 'lastName', 'preferredName', 'dateOfBirth', 'room', 'unitId', 'admittedOn', 'status', 'weeklyActivityTarget',
  'aboutMe', 'interests', 'dislikes', 'communicationTips', 'mobilityNotes',
] as const;
const CONSENT_FIELDS = ['consentPhotos', 'consentFamilyPortal', 'consentVolunteerProfile', 'consentBestInterestNote'] as const;
/** What the list's search looks in; preferred name and room may be empty. */
const SEARCHED = ['r.firstName', 'r.lastName', 'r.preferredName', 'r.room'].map((column) => `COALESCE(${column}, '')`);

/** A resident in a list, as staff and relatives see them (a relative's lens leaves out the room). */
export interface ResidentSummary {
  id: string;
  homeId: string;
  displayName: string;
  fullName: string;
  initials: string;
  room?: string | null;
  unitId: string | null;
  unitName: string | null;
  status: string;
  hasPhoto: boolean;
}

/**
 * A resident as a volunteer sees them (SPEC 1): preferred name, initials of it, photo (with consent),
 * interests and communication tips. Nothing else.
 */
export interface VolunteerResidentView {
  id: string;
  displayName: string;
  initials: string;
  hasPhoto: boolean;
  lens: 'volunteer';
  canEdit: false;
  interests?: string[];
  communicationTips?: string | null;
}

/**
 * A resident as other modules name, check and show them (rosters, suggestions, voice, plans). Not an
 * answer: callers put what they show through the reader's lens (`rosterResident` in the access policy).
 */
export interface ResidentBrief {
  id: string;
  homeId: string;
  firstName: string;
  lastName: string;
  preferredName: string | null;
  status: ResidentStatus;
  unitId: string | null;
  interests: string[];
  weeklyActivityTarget: number;
  /** A photo is stored and the resident consents to it being shown. */
  hasPhoto: boolean;
  /** The resident consents to volunteers seeing their profile, and lives in the home. */
  volunteersMaySee: boolean;
  consentFamilyPortal: FamilyPortalConsent;
}

function toBrief(r: Resident): ResidentBrief {
  return {
    id: r.id, homeId: r.homeId, firstName: r.firstName, lastName: r.lastName, preferredName: r.preferredName, status: r.status, consentFamilyPortal: r.consentFamilyPortal,
    unitId: r.unitId, interests: r.interests, weeklyActivityTarget: r.weeklyActivityTarget, hasPhoto: r.consentPhotos && r.photoFile !== null,
    volunteersMaySee: r.consentVolunteerProfile && (r.status === 'active' || r.status === 'on_leave'),
  };
}

/** Why a resident's record takes nothing new, and the name a refusal shows. */
export interface ClosedRecord {
  reason: 'erased' | 'discharged' | 'deceased';
  name: string;
}

/** The refusal of a new record naming a closed one, for the field that named them. */
export function closedRecordError(record: ClosedRecord): { key: string; params: { name: string } } {
  const keys = { erased: 'validation.residentErased', discharged: 'validation.residentDischarged', deceased: 'validation.residentDeceased' } as const;
  return { key: keys[record.reason], params: { name: record.name } };
}

type ClosedRecordRow = { id: string; firstName: string; preferredName: string | null; status: string; erased: number | boolean };

/** Why a resident's record is closed to anything new, or null while it is open. */
function closedRecordOf(r: ClosedRecordRow): ClosedRecord | null {
  const erased = r.erased === true || r.erased === 1;
  if (!erased && r.status !== 'discharged' && r.status !== 'deceased') return null;
  return { reason: erased ? 'erased' : (r.status as 'discharged' | 'deceased'), name: r.preferredName || r.firstName };
}

/** A resident as one reader may see them; fields the reader's lens does not allow are absent. */
export interface ResidentDetail extends ResidentSummary {
  lens: Exclude<Lens, 'volunteer'>;
  canEdit: boolean;
  interests: string[];
  communicationTips: string | null;
  // Family (full) and staff:
  firstName?: string;
  lastName?: string;
  preferredName?: string | null;
  aboutMe?: string | null;
  dislikes?: string | null;
  mobilityNotes?: string | null;
  // Staff only:
  dateOfBirth?: string | null;
  admittedOn?: string;
  leftOn?: string | null;
  weeklyActivityTarget?: number;
  /** When the resident's identity was erased (data protection); null otherwise. */
  erasedAt?: Date | null;
  consent?: {
    photos: boolean;
    familyPortal: FamilyPortalConsent;
    volunteerProfile: boolean;
    bestInterestNote: string | null;
    recordedBy: string | null;
    recordedAt: Date | null;
  };
}

export interface ResidentPage<T = ResidentSummary> {
  residents: T[];
  total: number;
  page: number;
  pages: number;
}

/** Tags typed as "canto, carte,  Canto" become ["canto", "carte"]. */
export function parseTags(text: string | null | undefined): string[] {
  if (!text) return [];
  return [...new Set(text.split(',').map((tag) => tag.trim().toLowerCase()).filter((tag) => tag.length > 0))].slice(0, 40);
}

@Injectable()
export class ResidentsService {
  constructor(
    @InjectRepository(Resident) private readonly residents: Repository<Resident>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly homes: HomesService,
    private readonly activityFacts: ResidentActivityFacts,
  ) {}

  /** Residents as the residents pages and API show them to this reader, volunteers included. */
  async page(user: SessionUser, query: ResidentListQuery): Promise<ResidentPage<ResidentSummary | VolunteerResidentView>> {
    const qb = await this.visible(user);
    const status = query.status ?? 'current';
    if (status === 'current') qb.andWhere('r.status IN (:...current)', { current: ['active', 'on_leave'] });
    else if (status !== 'all') qb.andWhere('r.status = :status', { status });
    if (query.unitId) qb.andWhere('r.unitId = :unitId', { unitId: query.unitId });
    if (query.q) whereAnyContains(qb, SEARCHED, query.q);
    const { rows, total, page, pages } = await pageOf(qb, query.page, PAGE_SIZE);
    const units = await this.unitNames(user);
    return { residents: rows.map((r) => this.summary(r, user, units)), total, page, pages };
  }

  /** A resident as the residents page and API show them to this reader, volunteers included. */
  async view(user: SessionUser, id: string): Promise<ResidentDetail | VolunteerResidentView> {
    const resident = await (await this.visible(user)).andWhere('r.id = :id', { id }).getOne();
    if (!resident) throw new NotFoundError();
    return this.detail(user, resident);
  }

  /** Residents for other modules' pages, which only staff and relatives reach: a volunteer gets none. */
  async list(user: SessionUser, query: ResidentListQuery): Promise<ResidentPage> {
    if (roleLens(user) === 'volunteer') return { residents: [], total: 0, page: 1, pages: 1 };
    return (await this.page(user, query)) as ResidentPage;
  }

  /** A resident for other modules' pages, which only staff and relatives reach: a volunteer gets 404. */
  async get(user: SessionUser, id: string): Promise<ResidentDetail> {
    if (roleLens(user) === 'volunteer') throw new NotFoundError();
    return (await this.view(user, id)) as ResidentDetail;
  }

  /** The raw record for an editor's form; other readers get 404. */
  async forEdit(user: SessionUser, id: string): Promise<Resident> {
    if (!can(user, 'editResidents')) throw new NotFoundError();
    return this.findVisible(this.unitOfWork.manager, user, id);
  }

  async create(user: SessionUser, input: ResidentDto): Promise<ResidentDetail> {
    const homeId = resolveHomeId(user, input.homeId);
    await this.checkProfile(user, homeId, input);
    return this.unitOfWork.transaction(async (m) => {
      const resident = m.create(Resident, {
        ...this.profileFrom(input),
        homeId,
        status: input.status ?? 'active',
        leftOn: null,
        photoFile: null,
        consentPhotos: false,
        consentFamilyPortal: 'none',
        consentVolunteerProfile: false,
        consentRecordedBy: null,
        consentRecordedAt: null,
        consentBestInterestNote: null,
      });
      await m.insert(Resident, resident);
      await this.audit.record(m, {
        action: 'create', userId: user.id, role: user.role, entityType: 'resident', entityId: resident.id, homeId,
        changes: diffFields({}, resident, PROFILE_FIELDS),
      });
      return (await this.detail(user, resident)) as ResidentDetail;
    });
  }

  async update(user: SessionUser, id: string, input: ResidentDto): Promise<void> {
    await this.unitOfWork.transaction(async (m) => {
      const resident = await this.findEditable(m, user, id);
      await this.checkProfile(user, resident.homeId, input);
      if (resident.status === 'discharged' || resident.status === 'deceased') {
        throw new ValidationError({}, { key: 'residents.notCurrent' });
      }
      const next = { ...this.profileFrom(input), status: input.status ?? resident.status };
      const changes = diffFields(resident, next, PROFILE_FIELDS);
      if (Object.keys(changes).length === 0) return;
      await m.update(Resident, { id }, next);
      await this.audit.record(m, { action: 'update', userId: user.id, role: user.role, entityType: 'resident', entityId: id, homeId: resident.homeId, changes });
    });
  }

  /** Consent changes take effect on the next request: every read checks the stored consent. */
  async updateConsent(user: SessionUser, id: string, input: ConsentDto): Promise<void> {
    await this.unitOfWork.transaction(async (m) => {
      const resident = await this.findEditable(m, user, id);
      const next = {
        consentPhotos: input.consentPhotos === true,
        consentFamilyPortal: input.consentFamilyPortal as FamilyPortalConsent,
        consentVolunteerProfile: input.consentVolunteerProfile === true,
        consentBestInterestNote: input.consentBestInterestNote ?? null,
      };
      const changes = diffFields(resident, next, CONSENT_FIELDS);
      if (Object.keys(changes).length === 0) return;
      await m.update(Resident, { id }, { ...next, consentRecordedBy: user.id, consentRecordedAt: new Date() });
      await this.audit.record(m, { action: 'update', userId: user.id, role: user.role, entityType: 'resident', entityId: id, homeId: resident.homeId, changes });
    });
  }

  /**
   * Residents leave the home's records by discharge or death; nothing about them is deleted. They come
   * off the planned activities from the day after they left (from now, when that is today): those
   * rosters and the day's counts stop naming them. Answers how many activities they left.
   */
  async discharge(user: SessionUser, id: string, input: DischargeDto): Promise<number> {
    return this.unitOfWork.transaction(async (m) => {
      const resident = await this.findEditable(m, user, id);
      if (resident.status === 'discharged' || resident.status === 'deceased') throw new ValidationError({}, { key: 'residents.notCurrent' });
      if (input.leftOn < resident.admittedOn) throw new ValidationError({ leftOn: { key: 'residents.leftBeforeAdmission' } });
      const timezone = await this.homes.timezoneOf(resident.homeId);
      if (input.leftOn > todayIn(timezone)) throw new ValidationError({ leftOn: { key: 'residents.leftInFuture' } });
      const dayAfter = localDayRange(input.leftOn, timezone).end;
      // Taking part after the day they left cannot be: the date is wrong (and the quarter's report would count them reached but not living there).
      const later = await this.activityFacts.lastAttendedFrom(m, id, dayAfter);
      if (later) {
        throw new ValidationError({ leftOn: { key: 'residents.leftBeforeAttended', params: { title: later.title, date: utcToLocal(later.startsAt, timezone).date } } });
      }
      const next = { status: input.outcome, leftOn: input.leftOn };
      await m.update(Resident, { id }, next);
      await this.audit.record(m, {
        action: 'archive', userId: user.id, role: user.role, entityType: 'resident', entityId: id, homeId: resident.homeId,
        changes: diffFields(resident, next, ['status', 'leftOn']),
      });
      const now = new Date();
      return this.activityFacts.leavePlannedActivities(m, user, id, resident.homeId, dayAfter < now ? dayAfter : now);
    });
  }

  /** Adds an approved paragraph to "About me", inside the caller's transaction (a life-story suggestion once staff approve it). */
  async appendToAboutMe(manager: EntityManager, user: SessionUser, residentId: string, text: string): Promise<void> {
    const resident = await this.findEditable(manager, user, residentId);
    const current = resident.aboutMe?.trim();
    const next = { aboutMe: current ? `${current}\n\n${text.trim()}` : text.trim() };
    await manager.update(Resident, { id: residentId }, next);
    await this.audit.record(manager, {
      action: 'update', userId: user.id, role: user.role, entityType: 'resident', entityId: residentId, homeId: resident.homeId, changes: diffFields(resident, next, ['aboutMe']),
    });
  }

  /** Records a new photo file name (the file itself is written by ResidentPhotos). Returns the old one. */
  async setPhoto(user: SessionUser, id: string, photoFile: string | null): Promise<string | null> {
    return this.unitOfWork.transaction(async (m) => {
      const resident = await this.findEditable(m, user, id);
      await m.update(Resident, { id }, { photoFile });
      await this.audit.record(m, {
        action: 'update', userId: user.id, role: user.role, entityType: 'resident', entityId: id, homeId: resident.homeId,
        changes: { photo: { old: resident.photoFile ? 'photo' : null, new: photoFile ? 'new photo' : null } },
      });
      return resident.photoFile;
    });
  }

  /** The stored photo of a resident this reader may see, only with photo consent. */
  async photoFileFor(user: SessionUser, id: string): Promise<string> {
    const resident = await (await this.visible(user)).andWhere('r.id = :id', { id }).getOne();
    if (!resident || !resident.consentPhotos || !resident.photoFile) throw new NotFoundError();
    return resident.photoFile;
  }

  async unitOptions(user: SessionUser, homeId: string): Promise<{ id: string; name: string }[]> {
    const { units } = await this.homes.get(user, homeId);
    return units.filter((u) => u.active).map((u) => ({ id: u.id, name: u.name }));
  }

  // Reads for modules above residents (activities) ------------------------------------------------

  /**
   * Residents by id, ordered by name, in one query, for a module that has already decided the reader
   * may reach them (an activity's roster is read once the activity is); what it shows goes through the
   * reader's lens. Inside a transaction, pass its manager.
   */
  async briefsByIds(ids: readonly (string | null | undefined)[], manager: EntityManager = this.residents.manager): Promise<ResidentBrief[]> {
    const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
    if (wanted.length === 0) return [];
    const rows = await manager.find(Resident, { where: { id: In(wanted) }, order: { lastName: 'ASC', firstName: 'ASC' } });
    return rows.map(toBrief);
  }

  /**
   * Residents living in some homes now, of one unit when given, ordered by name: active ones (whom an
   * activity can have), or also those on leave (whose plans still fall due).
   */
  async currentBriefs(homeIds: readonly string[], options: { unitId?: string | null; onLeaveToo?: boolean } = {}): Promise<ResidentBrief[]> {
    if (homeIds.length === 0) return [];
    const rows = await this.residents.find({
      where: { homeId: In([...homeIds]), status: options.onLeaveToo ? In(['active', 'on_leave']) : 'active', ...(options.unitId ? { unitId: options.unitId } : {}) },
      order: { lastName: 'ASC', firstName: 'ASC' },
    });
    return rows.map(toBrief);
  }

  /**
   * Residents of these homes whose photos may not be shown to an audience: without photo consent, or
   * (families) with the family portal closed, or (volunteers) without volunteer consent. The photo
   * rule reads it at every request, so a consent withdrawn counts at once.
   */
  async photoBlockedIds(homeIds: readonly string[], audience: 'family' | 'volunteer'): Promise<string[]> {
    if (homeIds.length === 0) return [];
    const qb = this.residents.createQueryBuilder('r').select('r.id', 'id').where('r.homeId IN (:...homeIds)', { homeIds: [...homeIds] });
    if (audience === 'family') qb.andWhere('(r.consentPhotos = :no OR r.consentFamilyPortal = :none)', { no: false, none: 'none' });
    else qb.andWhere('(r.consentPhotos = :no OR r.consentVolunteerProfile = :no)', { no: false });
    return (await qb.getRawMany<{ id: string }>()).map((row) => row.id);
  }

  /**
   * Why families may not see photos of these residents, for staff: no photo consent, the family
   * portal closed, or null (they may). The same two conditions as photoBlockedIds('family').
   */
  async familyPhotoBlocks(ids: readonly string[]): Promise<Map<string, 'noPhotoConsent' | 'portalClosed' | null>> {
    if (ids.length === 0) return new Map();
    const rows = await this.residents.find({ select: { id: true, consentPhotos: true, consentFamilyPortal: true }, where: { id: In([...new Set(ids)]) } });
    return new Map(rows.map((r) => [r.id, !r.consentPhotos ? 'noPhotoConsent' : r.consentFamilyPortal === 'none' ? 'portalClosed' : null]));
  }

  /**
   * Each resident that exists, by primary key, in the caller's transaction: their home, and why their
   * record is closed to anything new (see closedRecords), or null. The tablet's save checks both for
   * every entry in one statement (plain SQL, it is the busiest write).
   */
  async standingOf(manager: EntityManager, ids: readonly string[]): Promise<Map<string, { homeId: string; closed: ClosedRecord | null }>> {
    if (ids.length === 0) return new Map();
    const rows = await sqlRows<ClosedRecordRow & { homeId: string }>(
      manager,
      `SELECT id, "homeId", "firstName", "preferredName", status, "erasedAt" IS NOT NULL AS erased FROM resident WHERE id IN (${placeholders(ids.length)})`,
      [...ids],
    );
    return new Map(rows.map((r) => [r.id, { homeId: r.homeId, closed: closedRecordOf(r) }]));
  }

  /**
   * Of these residents, those whose record is closed to anything new (participation, notes naming them,
   * contributions), with why: erased (data protection; the name is the placeholder by then),
   * discharged or deceased. What was recorded before stays as it is.
   */
  async closedRecords(ids: readonly string[], manager: EntityManager = this.residents.manager): Promise<Map<string, ClosedRecord>> {
    if (ids.length === 0) return new Map();
    // Plain SQL: it runs in every tablet save and every Today page.
    const rows = await sqlRows<ClosedRecordRow>(
      manager,
      `SELECT id, "firstName", "preferredName", status, "erasedAt" IS NOT NULL AS erased FROM resident
        WHERE id IN (${placeholders(ids.length)}) AND (status IN ('discharged', 'deceased') OR "erasedAt" IS NOT NULL)`,
      [...ids],
    );
    return new Map(rows.map((r) => [r.id, closedRecordOf(r)!]));
  }

  /**
   * The one query every read starts from: only residents this user may see. Staff see their homes'
   * residents; a relative sees those linked to them by an active link whose family-portal consent is
   * not "none"; a volunteer sees current residents who consent to volunteers seeing them and are on
   * a planned or held activity the volunteer is confirmed to help with.
   */
  private async visible(user: SessionUser): Promise<SelectQueryBuilder<Resident>> {
    const qb = scopeToHomes(this.residents.createQueryBuilder('r'), user);
    if (can(user, 'homeStaff')) return qb;
    if (user.role === 'family' && user.personKind === 'family' && user.personId) {
      return qb
        .innerJoin(FamilyLink, 'link', 'link.residentId = r.id AND link.familyMemberId = :familyMemberId AND link.active = :linkActive', {
          familyMemberId: user.personId,
          linkActive: true,
        })
        .andWhere('r.consentFamilyPortal <> :none', { none: 'none' });
    }
    if (user.role === 'volunteer' && user.personKind === 'volunteer' && user.personId) {
      const assigned = await this.activityFacts.residentsAssignedTo(user.personId);
      if (assigned.length === 0) return qb.andWhere('1 = 0');
      return qb
        .andWhere('r.id IN (:...assigned)', { assigned })
        .andWhere('r.consentVolunteerProfile = :volunteerConsent', { volunteerConsent: true })
        .andWhere('r.status IN (:...living)', { living: ['active', 'on_leave'] });
    }
    return qb.andWhere('1 = 0');
  }

  private findVisible(m: EntityManager, user: SessionUser, id: string): Promise<Resident> {
    return findInHomes(m, Resident, user, id);
  }

  /** An erased resident's record takes no new details: their identity must not come back. */
  private async findEditable(m: EntityManager, user: SessionUser, id: string): Promise<Resident> {
    if (!can(user, 'editResidents')) throw new NotFoundError();
    const resident = await this.findVisible(m, user, id);
    if (resident.erasedAt) throw new ValidationError({}, { key: 'dataProtection.erase.erasedNoChanges' });
    return resident;
  }

  private async checkProfile(user: SessionUser, homeId: string, input: ResidentDto): Promise<void> {
    if (input.dateOfBirth && input.dateOfBirth >= input.admittedOn) {
      throw new ValidationError({ dateOfBirth: { key: 'residents.bornAfterAdmission' } });
    }
    if (!input.unitId) return;
    const { home, units } = await this.homes.get(user, homeId);
    if (!units.some((u) => u.active && u.id === input.unitId)) {
      // Someone with several homes is offered every home's units: the message names the home chosen.
      throw new ValidationError({ unitId: { key: 'residents.unitOfAnotherHome', params: { home: home.name } } });
    }
  }

  private profileFrom(input: ResidentDto) {
    return {
      firstName: input.firstName,
      lastName: input.lastName,
      preferredName: input.preferredName ?? null,
      dateOfBirth: input.dateOfBirth ?? null,
      room: input.room ?? null,
      unitId: input.unitId ?? null,
      admittedOn: input.admittedOn,
      weeklyActivityTarget: input.weeklyActivityTarget,
      aboutMe: input.aboutMe ?? null,
      interests: parseTags(input.interests),
      dislikes: input.dislikes ?? null,
      communicationTips: input.communicationTips ?? null,
      mobilityNotes: input.mobilityNotes ?? null,
    };
  }

  private unitNames(user: SessionUser): Promise<Map<string, string>> {
    return this.homes.unitNames(user.homeIds);
  }

  /** Everything the record holds for a reader, before the lens cuts it. */
  private full(r: Resident, user: SessionUser, units: Map<string, string>) {
    const displayName = r.preferredName || r.firstName;
    const lens = lensFor(user, r.consentFamilyPortal);
    return {
      id: r.id,
      homeId: r.homeId,
      displayName,
      fullName: `${r.firstName} ${r.lastName}`,
      // A volunteer knows the resident by the preferred name only, so the initials come from it.
      initials: lens === 'volunteer' ? initialsOf(displayName) : `${r.firstName[0] ?? ''}${r.lastName[0] ?? ''}`.toUpperCase(),
      room: r.room,
      unitId: r.unitId,
      unitName: r.unitId ? (units.get(r.unitId) ?? null) : null,
      status: r.status,
      hasPhoto: r.consentPhotos && r.photoFile !== null,
      lens,
      canEdit: can(user, 'editResidents'),
      interests: r.interests,
      communicationTips: r.communicationTips,
      firstName: r.firstName,
      lastName: r.lastName,
      preferredName: r.preferredName,
      aboutMe: r.aboutMe,
      dislikes: r.dislikes,
      mobilityNotes: r.mobilityNotes,
      dateOfBirth: r.dateOfBirth,
      admittedOn: r.admittedOn,
      leftOn: r.leftOn,
      weeklyActivityTarget: r.weeklyActivityTarget,
      erasedAt: r.erasedAt,
      consent: {
        photos: r.consentPhotos,
        familyPortal: r.consentFamilyPortal,
        volunteerProfile: r.consentVolunteerProfile,
        bestInterestNote: r.consentBestInterestNote,
        recordedBy: r.consentRecordedBy,
        recordedAt: r.consentRecordedAt,
      },
    };
  }

  // Reads for other modules ------------------------------------------------------------------

  /** A resident's "About me", to check that an addition still fits before it is approved. */
  async aboutMeOf(manager: EntityManager, id: string): Promise<string | null> {
    return (await manager.findOne(Resident, { select: { id: true, aboutMe: true }, where: { id } }))?.aboutMe ?? null;
  }

  /** Takes the resident's row lock until the transaction ends, so writers about one resident take turns. */
  async lockForUpdate(manager: EntityManager, id: string): Promise<void> {
    await lockRow(manager, 'resident', id);
  }

  private summary(r: Resident, user: SessionUser, units: Map<string, string>): ResidentSummary | VolunteerResidentView {
    const record = this.full(r, user, units);
    // A list shows the summary fields (a volunteer's list also says which lens, as their detail does).
    const listed = Object.fromEntries([...SUMMARY_FIELDS, 'lens'].map((field) => [field, record[field as keyof typeof record]]));
    return throughLens('resident', record.lens, listed) as unknown as ResidentSummary | VolunteerResidentView;
  }

  private async detail(user: SessionUser, r: Resident): Promise<ResidentDetail | VolunteerResidentView> {
    const record = this.full(r, user, await this.unitNames(user));
    return throughLens('resident', record.lens, record) as unknown as ResidentDetail | VolunteerResidentView;
  }
}

function initialsOf(name: string): string {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((part) => part[0]).join('').toUpperCase();
}
