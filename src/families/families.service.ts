import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { EmailChangeService } from '../auth/email-change.service';
import { AccountStatus, InvitationsService, IssuedInvitation } from '../auth/invitations.service';
import { resolveHomeId, scopeToHomes } from '../common/access/home-scope';
import { can } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { ValidationError } from '../common/errors/domain-errors';
import { personName, PersonRecords } from '../common/people/person-records';
import { pageOf, whereAnyContains } from '../common/query/paging';
import { UnitOfWork } from '../database/unit-of-work';
import { HomesService, HomeView } from '../homes/homes.service';
import { FamilyLinkOfMemberView, FamilyLinksService, ResidentOption, telHref } from '../residents/family-links.service';
import { CreateFamilyMemberDto, FamilyListQueryDto, FamilyMemberDto } from './dto/family-member.dto';
import { FamilyMember } from './entities/family-member.entity';

export const FAMILY_PAGE_SIZE = 25;

/** A family member as other modules name and check them. */
export type FamilyMemberBrief = Pick<FamilyMember, 'id' | 'homeId' | 'firstName' | 'lastName' | 'email' | 'phone' | 'archivedAt'>;

const BRIEF_COLUMNS = { id: true, homeId: true, firstName: true, lastName: true, email: true, phone: true, archivedAt: true } as const;


const MEMBER_FIELDS = ['firstName', 'lastName', 'email', 'phone'] as const;
/** What the list's search looks in: the name either way round, so "rossi maria" finds Maria Rossi, and the email. */
const SEARCHED = ["member.firstName || ' ' || member.lastName", "member.lastName || ' ' || member.firstName", 'member.email'];

export interface FamilyMemberView {
  id: string;
  homeId: string;
  firstName: string;
  lastName: string;
  name: string;
  email: string | null;
  phone: string | null;
  /** The phone number as a tel: address (digits and a leading +), so a tap on a tablet dials it. */
  phoneHref: string | null;
  archivedAt: Date | null;
}

export interface FamilyMemberListItem {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  archived: boolean;
  /** Shown only to users of several homes. */
  homeName: string | null;
  /** Residents this person is actively linked to. */
  residents: string[];
}

/** Everything the family member's page shows. */
export interface FamilyMemberProfile {
  member: FamilyMemberView;
  links: FamilyLinkOfMemberView[];
  account: AccountStatus;
  /** Whether this user may change the record now (an archived record is read-only). */
  canEdit: boolean;
  /** Residents the "add a link" form offers; empty when the user may not edit. */
  residentOptions: ResidentOption[];
}

export interface FamilyListView {
  members: FamilyMemberListItem[];
  total: number;
  page: number;
  pageCount: number;
}

@Injectable()
export class FamiliesService {
  private readonly records: PersonRecords<FamilyMember>;

  constructor(
    @InjectRepository(FamilyMember) private readonly members: Repository<FamilyMember>,
    private readonly links: FamilyLinksService,
    private readonly invitations: InvitationsService,
    private readonly auth: AuthService,
    private readonly emailChanges: EmailChangeService,
    private readonly homes: HomesService,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
  ) {
    this.records = new PersonRecords<FamilyMember>(
      {
        entity: FamilyMember, entityType: 'family_member', personKind: 'family', fields: MEMBER_FIELDS,
        // Their links stay as history, but give no access once the member is archived.
        isArchived: (member) => member.archivedAt !== null,
        archiving: () => {
          const archivedAt = new Date();
          return { set: { archivedAt }, changes: { archivedAt: { old: null, new: archivedAt.toISOString() } } };
        },
        unarchiving: (member) => ({ set: { archivedAt: null }, changes: { archivedAt: { old: member.archivedAt?.toISOString() ?? null, new: null } } }),
      },
      { unitOfWork, audit, auth, invitations, emailChanges },
    );
  }

  async list(user: SessionUser, query: FamilyListQueryDto): Promise<FamilyListView> {
    const builder = scopeToHomes(this.members.createQueryBuilder('member'), user);
    if (query.homeId) builder.andWhere('member.homeId = :homeId', { homeId: query.homeId });
    if (!query.archived) builder.andWhere('member.archivedAt IS NULL');
    if (query.q) whereAnyContains(builder, SEARCHED, query.q);
    const { rows: members, total, page, pages: pageCount } = await pageOf(builder, query.page, FAMILY_PAGE_SIZE);
    const residents = await this.links.linkedResidentNames(user, members.map((member) => member.id));
    const homeNames = user.homeIds.length > 1 ? new Map((await this.homes.listForUser(user)).map((home) => [home.id, home.name])) : null;
    return {
      members: members.map((member) => ({
        id: member.id, name: personName(member), email: member.email, phone: member.phone, archived: member.archivedAt !== null,
        homeName: homeNames?.get(member.homeId) ?? null, residents: residents.get(member.id) ?? [],
      })),
      total,
      page,
      pageCount,
    };
  }

  async profile(user: SessionUser, id: string): Promise<FamilyMemberProfile> {
    const member = await this.records.find(this.members.manager, user, id);
    const canEdit = can(user, 'manageFamilies') && member.archivedAt === null;
    const [links, account, residents] = await Promise.all([
      this.links.linksForFamilyMember(user, id),
      this.records.accountStatus(id),
      canEdit ? this.links.residentOptions(user, member.homeId) : Promise.resolve([]),
    ]);
    // A resident already linked is changed through the existing link, so the add form leaves them out.
    const linked = new Set(links.map((link) => link.residentId));
    return { member: toView(member), links, account, canEdit, residentOptions: residents.filter((resident) => !linked.has(resident.id)) };
  }

  /** The homes a new family member may be put in; asked only of users of several homes. */
  async homeChoices(user: SessionUser): Promise<HomeView[]> {
    return user.homeIds.length > 1 ? this.homes.listForUser(user) : [];
  }

  async get(user: SessionUser, id: string): Promise<FamilyMemberView> {
    return toView(await this.records.find(this.members.manager, user, id));
  }

  async create(user: SessionUser, input: CreateFamilyMemberDto): Promise<FamilyMemberView> {
    const homeId = resolveHomeId(user, input.homeId);
    return toView(await this.records.create(user, homeId, { ...contactFields(input), archivedAt: null }));
  }

  async update(user: SessionUser, id: string, input: FamilyMemberDto): Promise<FamilyMemberView> {
    return toView(await this.records.update(user, id, contactFields(input), refuseArchived));
  }

  /** Archiving is how a family member leaves the records (and their account is disabled). */
  async archive(user: SessionUser, id: string): Promise<FamilyMemberView> {
    return toView(await this.records.archive(user, id));
  }

  /** Brings an archived relative back; their account is enabled again (their links were kept). */
  async unarchive(user: SessionUser, id: string): Promise<FamilyMemberView> {
    return toView(await this.records.unarchive(user, id));
  }

  /** Creates an account invitation (role family); the link is returned once, to be passed on. */
  invite(user: SessionUser, id: string): Promise<IssuedInvitation> {
    return this.records.invite(user, id, 'family', refuseArchived);
  }

  // Reads for other modules ------------------------------------------------------------------

  /** Family members by id, as other modules name and check them (one query); inside a transaction, pass its manager. */
  async briefsByIds(ids: readonly (string | null | undefined)[], manager: EntityManager = this.members.manager): Promise<FamilyMemberBrief[]> {
    const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
    if (wanted.length === 0) return [];
    return manager.find(FamilyMember, { select: BRIEF_COLUMNS, where: { id: In(wanted) } });
  }

  /** Relatives of a home who are not archived, by surname: whom a planner may record an offer for. */
  async currentOfHome(homeId: string): Promise<FamilyMemberBrief[]> {
    return this.members.find({ select: BRIEF_COLUMNS, where: { homeId, archivedAt: IsNull() }, order: { lastName: 'ASC', firstName: 'ASC' } });
  }
}

function refuseArchived(member: FamilyMember): void {
  if (member.archivedAt) throw new ValidationError({}, { key: 'families.archivedNoChanges' });
}

function contactFields(input: FamilyMemberDto): Pick<FamilyMember, 'firstName' | 'lastName' | 'email' | 'phone'> {
  return { firstName: input.firstName, lastName: input.lastName, email: input.email || null, phone: input.phone || null };
}

function toView(member: FamilyMember): FamilyMemberView {
  return {
    id: member.id, homeId: member.homeId, firstName: member.firstName, lastName: member.lastName, name: personName(member),
    email: member.email, phone: member.phone, phoneHref: telHref(member.phone), archivedAt: member.archivedAt,
  };
}
