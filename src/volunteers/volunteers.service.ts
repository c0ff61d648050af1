import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { EntityManager, In, Not, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { EmailChangeService } from '../auth/email-change.service';
import { AccountStatus, InvitationsService, IssuedInvitation } from '../auth/invitations.service';
import { resolveHomeId, scopeToHomes } from '../common/access/home-scope';
import { can } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { ValidationError } from '../common/errors/domain-errors';
import { ARCHIVED_BY_LEAVING, PersonRecords } from '../common/people/person-records';
import { pageOf, whereEveryWordIn } from '../common/query/paging';
import { todayIn } from '../common/time/zoned';
import { UnitOfWork } from '../database/unit-of-work';
import { HomesService } from '../homes/homes.service';
import { backgroundCheckStatus, BackgroundCheckStatus, NotAssignable, whyNotAssignable } from './background-check';
import { CreateVolunteerDto, VolunteerDto, VolunteerListQuery } from './dto/volunteer.dto';
import { Volunteer } from './entities/volunteer.entity';
import { recordVolunteerHistory } from './volunteer-history';
import { VolunteerStatus } from './volunteers.enums';

export const PAGE_SIZE = 25;

/** A volunteer as other modules name and check them. */
export type VolunteerBrief = Pick<Volunteer, 'id' | 'homeId' | 'firstName' | 'lastName' | 'association' | 'status'>;

/** A volunteer as a form offering them work lists them: with why they may not be given it, if so. */
export interface VolunteerChoice {
  id: string;
  firstName: string;
  lastName: string;
  notAssignable: NotAssignable | null;
}

const BRIEF_COLUMNS = { id: true, homeId: true, firstName: true, lastName: true, association: true, status: true } as const;
export const MAX_SKILL_LENGTH = 40;

/** The fields a person edits; the audit log records changes to exactly these. */
const VOLUNTEER_FIELDS = [
  'firstName', 'lastName', 'email', 'phone', 'association', 'skills', 'availability', 'backgroundCheckReference',
  'backgroundCheckOn', 'backgroundCheckExpiresOn', 'trainingNotes', 'startedOn', 'status',
] as const;

export interface BackgroundCheckView {
  status: BackgroundCheckStatus;
  expiresOn: string | null;
}

export interface VolunteerSummary {
  id: string;
  homeId: string;
  homeName: string | null;
  firstName: string;
  lastName: string;
  association: string | null;
  skills: string[];
  status: VolunteerStatus;
  check: BackgroundCheckView;
}

export interface VolunteerDetail extends VolunteerSummary {
  email: string | null;
  phone: string | null;
  availability: string | null;
  backgroundCheckReference: string | null;
  backgroundCheckOn: string | null;
  backgroundCheckExpiresOn: string | null;
  trainingNotes: string | null;
  startedOn: string | null;
}

export interface VolunteerPage {
  volunteers: VolunteerSummary[];
  total: number;
  page: number;
  pages: number;
}

/** Skills typed as "Canto, guida,  canto " become ["canto", "guida"]. */
export function parseSkills(text: string | null | undefined): string[] {
  if (!text) return [];
  return [...new Set(text.split(',').map((skill) => skill.trim().replace(/\s+/g, ' ').toLowerCase()).filter((skill) => skill.length > 0))];
}


type VolunteerInput = Pick<Volunteer, (typeof VOLUNTEER_FIELDS)[number]>;

@Injectable()
export class VolunteersService {
  private readonly records: PersonRecords<Volunteer>;

  constructor(
    @InjectRepository(Volunteer) private readonly volunteers: Repository<Volunteer>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly homes: HomesService,
    private readonly invitations: InvitationsService,
    private readonly auth: AuthService,
    private readonly emailChanges: EmailChangeService,
  ) {
    this.records = new PersonRecords<Volunteer>(
      {
        entity: Volunteer, entityType: 'volunteer', personKind: 'volunteer', fields: VOLUNTEER_FIELDS, ...ARCHIVED_BY_LEAVING,
        // Status, start and check expiry as the quarterly report takes them at a quarter's end (issue 18 item 2b).
        afterWrite: (m, before, after) => recordVolunteerHistory(m, before, after),
      },
      { unitOfWork, audit, auth, invitations, emailChanges },
    );
  }

  async list(user: SessionUser, query: VolunteerListQuery): Promise<VolunteerPage> {
    const qb = scopeToHomes(this.volunteers.createQueryBuilder('v'), user);
    const status = query.status ?? 'current';
    if (status === 'current') qb.andWhere('v.status IN (:...current)', { current: ['active', 'paused'] });
    else if (status !== 'all') qb.andWhere('v.status = :status', { status });
    if (query.q) whereEveryWordIn(qb, ['v.firstName', 'v.lastName'], query.q);
    const { rows, total, page, pages } = await pageOf(qb, query.page, PAGE_SIZE);
    const homes = await this.homes.listForUser(user);
    const byId = new Map(homes.map((home) => [home.id, home]));
    return {
      volunteers: rows.map((v) => {
        const home = byId.get(v.homeId);
        return toSummary(v, home?.name ?? null, todayIn(home?.timezone ?? user.timezone));
      }),
      total,
      page,
      pages,
    };
  }

  async get(user: SessionUser, id: string): Promise<VolunteerDetail> {
    return this.toDetail(await this.records.find(this.unitOfWork.manager, user, id));
  }

  /**
   * Creates a volunteer. `user` is null only for trusted callers (seeding, tests), which name the home.
   * Runs in the caller's transaction when one is passed.
   */
  async create(user: SessionUser | null, input: CreateVolunteerDto, manager?: EntityManager): Promise<VolunteerDetail> {
    const homeId = user ? resolveHomeId(user, input.homeId) : input.homeId;
    if (!homeId) throw new ValidationError({ homeId: { key: 'validation.chooseHome' } });
    return this.toDetail(await this.records.create(user, homeId, recordFrom(input), manager));
  }

  async update(user: SessionUser, id: string, input: VolunteerDto): Promise<VolunteerDetail> {
    return this.toDetail(await this.records.update(user, id, recordFrom(input)));
  }

  /** Archiving marks them as having left (and disables their account); editing can undo it. */
  async archive(user: SessionUser, id: string): Promise<VolunteerDetail> {
    return this.toDetail(await this.records.archive(user, id));
  }

  /** Brings a volunteer who left back as active; their account is enabled again. */
  async unarchive(user: SessionUser, id: string): Promise<VolunteerDetail> {
    return this.toDetail(await this.records.unarchive(user, id));
  }

  /**
   * Whether a volunteer may be given a new activity in a home: active, and their check has not run out
   * by today in that home. The activities feature asks this before assigning anyone.
   */
  async assignable(volunteerId: string, homeId: string): Promise<boolean> {
    return (await this.assignableAmong([volunteerId], homeId)).has(volunteerId);
  }

  /** Which of these volunteers may be given work in the home, in one query however many are asked about. */
  async assignableAmong(volunteerIds: readonly string[], homeId: string): Promise<Set<string>> {
    const standing = await this.standingIn(volunteerIds, homeId);
    return new Set([...standing].filter(([, why]) => why === null).map(([id]) => id));
  }

  /**
   * These volunteers of the home, each with why they may not be given work today (null: they may);
   * volunteers of other homes are left out. One query however many are asked about.
   */
  async standingIn(volunteerIds: readonly string[], homeId: string): Promise<Map<string, NotAssignable | null>> {
    const wanted = [...new Set(volunteerIds.filter((id) => isUUID(id)))];
    if (wanted.length === 0 || !isUUID(homeId)) return new Map();
    const found = await this.volunteers.find({ select: { id: true, status: true, backgroundCheckExpiresOn: true }, where: { id: In(wanted), homeId } });
    if (found.length === 0) return new Map();
    const today = todayIn(await this.homes.timezoneOf(homeId));
    return new Map(found.map((v) => [v.id, whyNotAssignable(v, today)]));
  }

  /**
   * The volunteers of a home who have not left, by surname, each with why they may not be given work
   * today (null: they may): the choices of a form that offers them work.
   */
  async choicesOfHome(homeId: string): Promise<VolunteerChoice[]> {
    const [found, timezone] = await Promise.all([
      this.volunteers.find({ select: { ...BRIEF_COLUMNS, backgroundCheckExpiresOn: true }, where: { homeId, status: Not('left') }, order: { lastName: 'ASC', firstName: 'ASC' } }),
      this.homes.timezoneOf(homeId),
    ]);
    const today = todayIn(timezone);
    return found.map((v) => ({ id: v.id, firstName: v.firstName, lastName: v.lastName, notAssignable: whyNotAssignable(v, today) }));
  }

  /** Issues a one-time link for the volunteer to set up their own account (role `volunteer`). */
  invite(user: SessionUser, id: string): Promise<IssuedInvitation> {
    return this.records.invite(user, id, 'volunteer', (volunteer) => {
      if (volunteer.status === 'left') throw new ValidationError({}, { key: 'volunteers.inviteLeft' });
    });
  }

  /** The detail page: the record, and its account status for those who may invite. */
  async profile(user: SessionUser, id: string): Promise<{ volunteer: VolunteerDetail; account: AccountStatus | null }> {
    const volunteer = await this.get(user, id);
    const account = can(user, 'manageVolunteers') ? await this.records.accountStatus(id) : null;
    return { volunteer, account };
  }

  /** The homes a new volunteer may go into, when the user has a choice to make. */
  async homeChoices(user: SessionUser): Promise<{ id: string; name: string }[]> {
    if (user.homeIds.length < 2) return [];
    return (await this.homes.listForUser(user)).map((home) => ({ id: home.id, name: home.name }));
  }

  private async toDetail(v: Volunteer): Promise<VolunteerDetail> {
    const today = todayIn(await this.homes.timezoneOf(v.homeId));
    return {
      ...toSummary(v, null, today),
      email: v.email, phone: v.phone, availability: v.availability, backgroundCheckReference: v.backgroundCheckReference,
      backgroundCheckOn: v.backgroundCheckOn, backgroundCheckExpiresOn: v.backgroundCheckExpiresOn, trainingNotes: v.trainingNotes, startedOn: v.startedOn,
    };
  }

  // Reads for other modules ------------------------------------------------------------------

  /** Volunteers by id, as other modules name and check them (one query); inside a transaction, pass its manager. */
  async briefsByIds(ids: readonly (string | null | undefined)[], manager: EntityManager = this.volunteers.manager): Promise<VolunteerBrief[]> {
    const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
    if (wanted.length === 0) return [];
    return manager.find(Volunteer, { select: BRIEF_COLUMNS, where: { id: In(wanted) } });
  }

  /**
   * A volunteer's own standing, for their portal: their background check on today's date in their
   * home (the same rule staff read) and whether they are paused. Null for no such volunteer.
   */
  async ownStanding(volunteerId: string): Promise<{ check: BackgroundCheckView; paused: boolean } | null> {
    const found = await this.volunteers.findOne({ select: { id: true, homeId: true, status: true, backgroundCheckExpiresOn: true }, where: { id: volunteerId } });
    if (!found) return null;
    const today = todayIn(await this.homes.timezoneOf(found.homeId));
    return { check: { status: backgroundCheckStatus(found.backgroundCheckExpiresOn, today), expiresOn: found.backgroundCheckExpiresOn }, paused: found.status === 'paused' };
  }

  /** The volunteers of a home who have not left, by surname. */
  async currentOfHome(homeId: string): Promise<VolunteerBrief[]> {
    return this.volunteers.find({ select: BRIEF_COLUMNS, where: { homeId, status: Not('left') }, order: { lastName: 'ASC', firstName: 'ASC' } });
  }
}

function recordFrom(input: VolunteerDto): VolunteerInput {
  if (input.backgroundCheckOn && input.backgroundCheckExpiresOn && input.backgroundCheckExpiresOn <= input.backgroundCheckOn) {
    throw new ValidationError({ backgroundCheckExpiresOn: { key: 'volunteers.expiresBeforeChecked' } });
  }
  const skills = parseSkills(input.skills);
  if (skills.some((skill) => skill.length > MAX_SKILL_LENGTH)) {
    throw new ValidationError({ skills: { key: 'volunteers.skillTooLong', params: { n: MAX_SKILL_LENGTH } } });
  }
  return {
    firstName: input.firstName,
    lastName: input.lastName,
    email: input.email ?? null,
    phone: input.phone ?? null,
    association: input.association ?? null,
    skills,
    availability: input.availability ?? null,
    backgroundCheckReference: input.backgroundCheckReference ?? null,
    backgroundCheckOn: input.backgroundCheckOn ?? null,
    backgroundCheckExpiresOn: input.backgroundCheckExpiresOn ?? null,
    trainingNotes: input.trainingNotes ?? null,
    startedOn: input.startedOn ?? null,
    status: input.status,
  };
}

function toSummary(v: Volunteer, homeName: string | null, today: string): VolunteerSummary {
  return {
    id: v.id, homeId: v.homeId, homeName, firstName: v.firstName, lastName: v.lastName, association: v.association,
    skills: v.skills ?? [], status: v.status,
    check: { status: backgroundCheckStatus(v.backgroundCheckExpiresOn, today), expiresOn: v.backgroundCheckExpiresOn },
  };
}
