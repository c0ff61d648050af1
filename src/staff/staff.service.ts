import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Role } from '../auth/auth.enums';
import { AuthService } from '../auth/auth.service';
import { EmailChangeService } from '../auth/email-change.service';
import { AccountStatus, InvitationsService, IssuedInvitation } from '../auth/invitations.service';
import { resolveHomeId, scopeToHomes } from '../common/access/home-scope';
import { can } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { ForbiddenError, ValidationError } from '../common/errors/domain-errors';
import { ARCHIVED_BY_LEAVING, PersonRecords } from '../common/people/person-records';
import { pageOf, whereEveryWordIn } from '../common/query/paging';
import { sqlRow } from '../database/sql';
import { UnitOfWork } from '../database/unit-of-work';
import { HomesService, UnitView } from '../homes/homes.service';
import { CreateStaffMemberDto, StaffAccountRole, StaffListQuery, StaffMemberDto } from './dto/staff-member.dto';
import { StaffMember } from './entities/staff-member.entity';
import { JobRole, StaffStatus } from './staff.enums';

export const PAGE_SIZE = 25;

/** A member of staff as other modules name and check them. */
export type StaffBrief = Pick<StaffMember, 'id' | 'homeId' | 'firstName' | 'lastName' | 'jobRole' | 'status'>;

const BRIEF_COLUMNS = { id: true, homeId: true, firstName: true, lastName: true, jobRole: true, status: true } as const;

/** A manager's account can manage the whole home, so only someone with that much may hand one out. */
const MANAGER_INVITERS: readonly Role[] = ['admin', 'manager'];

/** The fields a person edits; the audit log records changes to exactly these. */
const STAFF_FIELDS = ['firstName', 'lastName', 'email', 'phone', 'jobRole', 'unitId', 'startedOn', 'status'] as const;

/** The account roles this user may hand out to a staff member. */
export function invitableRoles(user: SessionUser): StaffAccountRole[] {
  return MANAGER_INVITERS.includes(user.role) ? ['carer', 'coordinator', 'manager'] : ['carer', 'coordinator'];
}

/** The account role a staff member's job suggests. */
export function accountRoleFor(jobRole: JobRole): StaffAccountRole {
  if (jobRole === 'activity_coordinator') return 'coordinator';
  if (jobRole === 'manager') return 'manager';
  return 'carer';
}

export interface StaffSummary {
  id: string;
  homeId: string;
  homeName: string | null;
  firstName: string;
  lastName: string;
  jobRole: JobRole;
  unitId: string | null;
  unitName: string | null;
  status: StaffStatus;
}

export interface StaffDetail extends StaffSummary {
  email: string | null;
  phone: string | null;
  startedOn: string | null;
}

export interface StaffPage {
  staff: StaffSummary[];
  total: number;
  page: number;
  pages: number;
}

/** The choices a staff form offers: the home (for users of several) and each home's units. */
export interface StaffFormOptions {
  homeChoices: { id: string; name: string }[];
  unitGroups: { homeId: string; homeName: string; units: UnitView[] }[];
}

type StaffInput = Pick<StaffMember, (typeof STAFF_FIELDS)[number]>;

@Injectable()
export class StaffService {
  private readonly records: PersonRecords<StaffMember>;

  constructor(
    @InjectRepository(StaffMember) private readonly staff: Repository<StaffMember>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly homes: HomesService,
    private readonly invitations: InvitationsService,
    private readonly auth: AuthService,
    private readonly emailChanges: EmailChangeService,
  ) {
    this.records = new PersonRecords<StaffMember>(
      { entity: StaffMember, entityType: 'staff_member', personKind: 'staff', fields: STAFF_FIELDS, ...ARCHIVED_BY_LEAVING },
      { unitOfWork, audit, auth, invitations, emailChanges },
    );
  }

  async list(user: SessionUser, query: StaffListQuery): Promise<StaffPage> {
    const qb = scopeToHomes(this.staff.createQueryBuilder('s'), user);
    const status = query.status ?? 'active';
    if (status !== 'all') qb.andWhere('s.status = :status', { status });
    if (query.q) whereEveryWordIn(qb, ['s.firstName', 's.lastName'], query.q);
    const { rows, total, page, pages } = await pageOf(qb, query.page, PAGE_SIZE);
    const homeNames = new Map((await this.homes.listForUser(user)).map((home) => [home.id, home.name]));
    const units = await this.unitNames(user, rows.map((row) => row.homeId));
    return { staff: rows.map((s) => toSummary(s, homeNames.get(s.homeId) ?? null, units)), total, page, pages };
  }

  async get(user: SessionUser, id: string): Promise<StaffDetail> {
    const member = await this.records.find(this.unitOfWork.manager, user, id);
    return toDetail(member, await this.unitNames(user, [member.homeId]));
  }

  /** The detail page: the record, its account status, and the role an invitation would suggest. */
  async profile(user: SessionUser, id: string): Promise<{ member: StaffDetail; account: AccountStatus | null; suggestedRole: StaffAccountRole }> {
    const member = await this.get(user, id);
    const account = can(user, 'manageStaff') ? await this.records.accountStatus(id) : null;
    const suggested = accountRoleFor(member.jobRole);
    return { member, account, suggestedRole: invitableRoles(user).includes(suggested) ? suggested : 'carer' };
  }

  /** For a new record, every home of the user; for an existing one, its home (kept unit included even if closed). */
  async formOptions(user: SessionUser, record?: { homeId: string; unitId: string | null }): Promise<StaffFormOptions> {
    const homeId = record?.homeId;
    const homes = (await this.homes.listForUser(user)).filter((home) => !homeId || home.id === homeId);
    const unitGroups = await Promise.all(
      homes.map(async (home) => ({
        homeId: home.id,
        homeName: home.name,
        units: (await this.homes.get(user, home.id)).units.filter((unit) => unit.active || unit.id === record?.unitId),
      })),
    );
    return { homeChoices: !homeId && homes.length > 1 ? homes.map((home) => ({ id: home.id, name: home.name })) : [], unitGroups };
  }

  /**
   * Creates a staff member. `user` is null only for trusted callers (seeding, tests), which name the
   * home. Runs in the caller's transaction when one is passed.
   */
  async create(user: SessionUser | null, input: CreateStaffMemberDto, manager?: EntityManager): Promise<StaffDetail> {
    const homeId = user ? resolveHomeId(user, input.homeId) : input.homeId;
    if (!homeId) throw new ValidationError({ homeId: { key: 'validation.chooseHome' } });
    const fields = recordFrom(input);
    if (user) await this.checkUnit(user, homeId, fields.unitId, null);
    const saved = await this.records.create(user, homeId, fields, manager);
    return toDetail(saved, user ? await this.unitNames(user, [homeId]) : new Map());
  }

  async update(user: SessionUser, id: string, input: StaffMemberDto): Promise<StaffDetail> {
    const next = recordFrom(input);
    const before = await this.records.find(this.unitOfWork.manager, user, id);
    await this.checkUnit(user, before.homeId, next.unitId, before.unitId);
    const saved = await this.records.update(user, id, next);
    return toDetail(saved, await this.unitNames(user, [saved.homeId]));
  }

  /** Archiving marks them as having left (and disables their account); editing can undo it. */
  async archive(user: SessionUser, id: string): Promise<StaffDetail> {
    const saved = await this.records.archive(user, id);
    return toDetail(saved, await this.unitNames(user, [saved.homeId]));
  }

  /** Brings a member of staff who left back as active; their account is enabled again. */
  async unarchive(user: SessionUser, id: string): Promise<StaffDetail> {
    const saved = await this.records.unarchive(user, id);
    return toDetail(saved, await this.unitNames(user, [saved.homeId]));
  }

  /** Issues a one-time link for the staff member to set up their own account with the chosen role. */
  invite(user: SessionUser, id: string, role: StaffAccountRole): Promise<IssuedInvitation> {
    return this.records.invite(user, id, role, (member) => {
      if (!invitableRoles(user).includes(role)) throw new ForbiddenError({ key: 'staff.managerInviteRefused' });
      if (member.status === 'left') throw new ValidationError({}, { key: 'staff.inviteLeft' });
    });
  }

  // Reads for other modules (activities' lead staff) --------------------------------------------

  /** A staff member's unit (a carer's Today opens on it). */
  async unitOf(id: string): Promise<string | null> {
    return (await sqlRow<{ unitId: string | null }>(this.staff.manager, 'SELECT "unitId" FROM staff_member WHERE id = ?', [id]))?.unitId ?? null;
  }

  /** A unit must be one of the home's; a closed unit may stay on a record but not be newly chosen. */
  private async checkUnit(user: SessionUser, homeId: string, unitId: string | null, current: string | null): Promise<void> {
    if (!unitId) return;
    const unit = (await this.homes.get(user, homeId)).units.find((u) => u.id === unitId);
    if (!unit || (!unit.active && unitId !== current)) throw new ValidationError({ unitId: { key: 'staff.unknownUnit' } });
  }

  private async unitNames(user: SessionUser, homeIds: string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const homeId of new Set(homeIds)) {
      for (const unit of (await this.homes.get(user, homeId)).units) names.set(unit.id, unit.name);
    }
    return names;
  }

  // Reads for other modules ------------------------------------------------------------------

  /** Staff members by id, as other modules name and check them (one query); inside a transaction, pass its manager. */
  async briefsByIds(ids: readonly (string | null | undefined)[], manager: EntityManager = this.staff.manager): Promise<StaffBrief[]> {
    const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
    if (wanted.length === 0) return [];
    return manager.find(StaffMember, { select: BRIEF_COLUMNS, where: { id: In(wanted) } });
  }

  /** The active staff of some homes, by surname: whom a planner may choose to lead an activity, or name in a review or contribution. */
  async activeOf(homeIds: readonly string[]): Promise<StaffBrief[]> {
    if (homeIds.length === 0) return [];
    return this.staff.find({ select: BRIEF_COLUMNS, where: { homeId: In([...homeIds]), status: 'active' }, order: { lastName: 'ASC', firstName: 'ASC' } });
  }
}

function recordFrom(input: StaffMemberDto): StaffInput {
  return {
    firstName: input.firstName,
    lastName: input.lastName,
    email: input.email ?? null,
    phone: input.phone ?? null,
    jobRole: input.jobRole,
    unitId: input.unitId ?? null,
    startedOn: input.startedOn ?? null,
    status: input.status,
  };
}

function toSummary(s: StaffMember, homeName: string | null, units: Map<string, string>): StaffSummary {
  return {
    id: s.id, homeId: s.homeId, homeName, firstName: s.firstName, lastName: s.lastName, jobRole: s.jobRole,
    unitId: s.unitId, unitName: s.unitId ? (units.get(s.unitId) ?? null) : null, status: s.status,
  };
}

function toDetail(s: StaffMember, units: Map<string, string>): StaffDetail {
  return { ...toSummary(s, null, units), email: s.email, phone: s.phone, startedOn: s.startedOn };
}
