import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { EntityManager, In, IsNull, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { whereEveryWordIn } from '../common/query/paging';
import { UnitOfWork } from '../database/unit-of-work';
import { HomesService } from '../homes/homes.service';
import { GroupMembership } from './entities/group-membership.entity';
import { Membership } from './entities/membership.entity';
import { endSessionsOf } from './session/ended-sessions';
import { User } from './entities/user.entity';
import { Role, ROLES } from './auth.enums';
import { AuthService } from './auth.service';
import { InvitationsService, IssuedInvitation } from './invitations.service';
import { MfaService } from './mfa/mfa.service';

export const ACCOUNTS_PAGE_SIZE = 25;

/**
 * An account's state: `active` (can sign in), `disabled`, `invited` (never set a password) or
 * `reset` (a password reset was forced: needs a new password through a set-up link).
 */
export const ACCOUNT_STATES = ['active', 'disabled', 'invited', 'reset'] as const;
export type AccountState = (typeof ACCOUNT_STATES)[number];

/** The roles of staff accounts; an admin may also make admins. Family and volunteer accounts keep their role. */
const STAFF_ROLES: readonly Role[] = ['carer', 'coordinator', 'manager'];

export interface AccountsQuery {
  q?: string | null;
  homeId?: string | null;
  role?: Role | null;
  status?: AccountState | null;
  page?: number;
}

export interface AccountView {
  id: string;
  displayName: string;
  email: string;
  role: Role;
  personKind: string | null;
  homes: { id: string; name: string }[];
  /** A group manager's groups (admins see them; nobody else sees such an account). */
  groups: { id: string; name: string }[];
  state: AccountState;
  lastLoginAt: Date | null;
  invitedUntil: Date | null;
  /** Whether MFA is on (never the secret). */
  mfaEnabled: boolean;
}

export interface AccountsPage {
  accounts: AccountView[];
  total: number;
  page: number;
  pages: number;
}

export interface AccountDetail extends AccountView {
  /** The roles this actor may give this account (empty: its role is fixed, or it is the actor's own). */
  roleChoices: Role[];
  isSelf: boolean;
  /** False for a manager looking at another manager's account: only admins change those. */
  manages: boolean;
  canDisable: boolean;
  /** An admin for anyone, a manager for the accounts they manage, never one's own (turned off at /account/mfa). */
  canResetMfa: boolean;
}

function stateOf(user: Pick<User, 'disabledAt' | 'passwordHash' | 'lastLoginAt'>): AccountState {
  if (user.disabledAt) return 'disabled';
  if (user.passwordHash) return 'active';
  // Someone who has signed in before and has no password had a reset forced on them (one who never
  // did is still invited, whatever cleared the password).
  return user.lastLoginAt ? 'reset' : 'invited';
}

/**
 * Account management (SPEC 1; issue 16, item 6): admins manage every account, managers the staff,
 * volunteer and family accounts of their homes. An account a manager may not manage (an admin's, one
 * of another home only) is not found, like any record of another home.
 */
@Injectable()
export class AccountsService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly invitations: InvitationsService,
    private readonly homes: HomesService,
    private readonly audit: AuditService,
    private readonly unitOfWork: UnitOfWork,
    private readonly mfa: MfaService,
    private readonly auth: AuthService,
  ) {}

  async list(actor: SessionUser, query: AccountsQuery): Promise<AccountsPage> {
    const qb = this.users.createQueryBuilder('u');
    this.scope(qb, actor);
    if (query.homeId) {
      if (!actor.homeIds.includes(query.homeId)) throw new NotFoundError();
      qb.andWhere('EXISTS (SELECT 1 FROM membership fm WHERE fm."userId" = u.id AND fm."homeId" = :filterHome)', { filterHome: query.homeId });
    }
    if (query.role) qb.andWhere('u.role = :role', { role: query.role });
    if (query.status === 'disabled') qb.andWhere('u.disabledAt IS NOT NULL');
    if (query.status === 'active') qb.andWhere('u.disabledAt IS NULL AND u.passwordHash IS NOT NULL');
    if (query.status === 'invited') qb.andWhere('u.disabledAt IS NULL AND u.passwordHash IS NULL AND u.lastLoginAt IS NULL');
    if (query.status === 'reset') qb.andWhere('u.disabledAt IS NULL AND u.passwordHash IS NULL AND u.lastLoginAt IS NOT NULL');
    if (query.q) whereEveryWordIn(qb, ['u.displayName', 'u.email'], query.q);
    const total = await qb.getCount();
    const pages = Math.max(1, Math.ceil(total / ACCOUNTS_PAGE_SIZE));
    const page = Math.min(query.page ?? 1, pages);
    const rows = await qb.orderBy('u.displayName', 'ASC').addOrderBy('u.id', 'ASC').skip((page - 1) * ACCOUNTS_PAGE_SIZE).take(ACCOUNTS_PAGE_SIZE).getMany();
    return { accounts: await this.views(actor, rows), total, page, pages };
  }

  async detail(actor: SessionUser, id: string): Promise<AccountDetail> {
    const user = await this.find(this.unitOfWork.manager, actor, id);
    const [view] = await this.views(actor, [user]);
    const isSelf = user.id === actor.id;
    const manages = this.mayManage(actor, user);
    return {
      ...view, isSelf, manages, roleChoices: isSelf || !manages ? [] : this.roleChoices(actor, user),
      canDisable: manages && (actor.role === 'admin' || !isSelf),
      canResetMfa: manages && !isSelf && view.mfaEnabled,
    };
  }

  /** Disables or enables an account; disabling ends its sessions in the same transaction. */
  async setDisabled(actor: SessionUser, id: string, disabled: boolean): Promise<AccountView> {
    await this.unitOfWork.transaction(async (m) => {
      const user = await this.find(m, actor, id);
      if ((user.disabledAt !== null) === disabled) return;
      if (disabled && user.id === actor.id && actor.role !== 'admin') throw new ValidationError({}, { key: 'accounts.notYourself' });
      this.assertMayManage(actor, user);
      if (disabled && user.role === 'admin') await this.keepAnAdmin(m, user.id);
      const disabledAt = disabled ? new Date() : null;
      // Disabled on its own: bringing the person's record back does not re-enable it.
      await m.update(User, { id: user.id }, { disabledAt, disabledReason: disabled ? 'admin' : null });
      if (disabled) await endSessionsOf(m, user.id, 'accountDisabled');
      await this.audit.record(m, {
        action: 'update', userId: actor.id, role: actor.role, entityType: 'user', entityId: user.id, homeId: await this.homeOf(m, actor, user.id),
        changes: { disabledAt: { old: user.disabledAt?.toISOString() ?? null, new: disabledAt?.toISOString() ?? null } },
      });
    });
    return this.detail(actor, id);
  }

  /**
   * Changes a staff account's role (carer, coordinator, manager; admin only by an admin). Family and
   * volunteer accounts keep theirs: their role follows from the record they belong to. Nobody changes
   * their own role. Takes effect on the account's next request (the session user is read fresh).
   */
  async changeRole(actor: SessionUser, id: string, roleInput: unknown): Promise<AccountView> {
    if (typeof roleInput !== 'string' || !(ROLES as readonly string[]).includes(roleInput)) throw new ValidationError({ role: { key: 'validation.isIn' } });
    const role = roleInput as Role;
    await this.unitOfWork.transaction(async (m) => {
      const user = await this.find(m, actor, id);
      if (user.role === role) return;
      if (user.id === actor.id) throw new ValidationError({ role: { key: 'accounts.notYourself' } });
      if (!this.mayManage(actor, user)) throw new ValidationError({ role: { key: 'accounts.onlyAdmins' } });
      if (!this.roleChoices(actor, user).includes(role)) throw new ValidationError({ role: { key: 'accounts.roleNotAllowed' } });
      if (user.role === 'admin') {
        await this.keepAnAdmin(m, user.id);
        if (!(await m.existsBy(Membership, { userId: user.id }))) throw new ValidationError({ role: { key: 'auth.homeRequired' } });
      }
      await m.update(User, { id: user.id }, { role });
      await this.audit.record(m, {
        action: 'update', userId: actor.id, role: actor.role, entityType: 'user', entityId: user.id, homeId: await this.homeOf(m, actor, user.id),
        changes: { role: { old: user.role, new: role } },
      });
    });
    return this.detail(actor, id);
  }

  /**
   * A group manager's account (docs/groups.md), by an admin: the groups it leads and a set-up link,
   * in one transaction. Group managers are nobody's staff record, so they are made here rather
   * than invited from a person's page.
   */
  async createGroupManager(actor: SessionUser, input: { displayName: string; email: string; groupIds: string[] }): Promise<{ id: string; issued: IssuedInvitation }> {
    if (actor.role !== 'admin') throw new NotFoundError();
    return this.unitOfWork.transaction(async (m) => {
      const user = await this.auth.createUser({ email: input.email, displayName: input.displayName, role: 'group_manager', homeIds: [], groupIds: input.groupIds }, m);
      return { id: user.id, issued: await this.invitations.issueLink(m, actor, user, null) };
    });
  }

  /** Which groups a group manager leads (admins only); they read those groups' homes from their next request. */
  async setGroups(actor: SessionUser, id: string, groupIds: string[]): Promise<AccountView> {
    if (actor.role !== 'admin') throw new NotFoundError();
    const wanted = [...new Set(groupIds)];
    await this.unitOfWork.transaction(async (m) => {
      const user = await this.find(m, actor, id);
      if (user.role !== 'group_manager') throw new ValidationError({ groupIds: { key: 'groups.onlyGroupManagers' } });
      if (!(await this.homes.groupsExist(wanted, m))) throw new ValidationError({ groupIds: { key: 'groups.unknown' } });
      const before = (await m.find(GroupMembership, { where: { userId: id } })).map((g) => g.groupId).sort();
      await m.delete(GroupMembership, { userId: id });
      await m.insert(GroupMembership, wanted.map((groupId) => ({ userId: id, groupId })));
      await this.audit.record(m, {
        action: 'update', userId: actor.id, role: actor.role, entityType: 'user', entityId: id,
        changes: { groupIds: { old: before.join(','), new: [...wanted].sort().join(',') } },
      });
    });
    return this.detail(actor, id);
  }

  /**
   * Forces a password reset: the password is cleared (the old one no longer signs in), every session
   * ends, and a new set-up link is issued for the admin to pass on, all in one transaction.
   */
  async forceReset(actor: SessionUser, id: string): Promise<IssuedInvitation> {
    return this.unitOfWork.transaction(async (m) => {
      const user = await this.find(m, actor, id);
      if (user.id === actor.id) throw new ValidationError({}, { key: 'accounts.notYourself' });
      this.assertMayManage(actor, user);
      if (user.disabledAt) throw new ValidationError({}, { key: 'accounts.disabledFirst' });
      const homeId = await this.homeOf(m, actor, user.id);
      await m.update(User, { id: user.id }, { passwordHash: null });
      await endSessionsOf(m, user.id, 'passwordReset');
      await this.audit.record(m, {
        action: 'update', userId: actor.id, role: actor.role, entityType: 'user', entityId: user.id, homeId,
        changes: { password: { old: user.passwordHash ? '[redacted]' : null, new: '[reset forced]' } },
      });
      return this.invitations.issueLink(m, actor, user, homeId);
    });
  }

  /**
   * Resets an account's MFA (a lost phone): the same rule as a forced password reset, so an admin for
   * anyone, a manager for the carers, coordinators, volunteers and relatives of their homes.
   */
  async resetMfa(actor: SessionUser, id: string): Promise<AccountView> {
    const reset = await this.unitOfWork.transaction(async (m) => {
      const user = await this.find(m, actor, id);
      if (user.id === actor.id) throw new ValidationError({}, { key: 'accounts.notYourself' });
      this.assertMayManage(actor, user);
      return this.mfa.reset(m, actor, user.id, await this.homeOf(m, actor, user.id));
    });
    if (!reset) throw new ValidationError({}, { key: 'mfa.notOn' });
    return this.detail(actor, id);
  }

  /** A new set-up link for an account that has no password yet (resend an invitation). */
  async newSetupLink(actor: SessionUser, id: string): Promise<IssuedInvitation> {
    return this.unitOfWork.transaction(async (m) => {
      const user = await this.find(m, actor, id);
      this.assertMayManage(actor, user);
      if (user.disabledAt) throw new ValidationError({}, { key: 'accounts.disabledFirst' });
      if (user.passwordHash) throw new ValidationError({}, { key: 'invitations.alreadyActive' });
      return this.invitations.issueLink(m, actor, user, await this.homeOf(m, actor, user.id));
    });
  }

  /** Withdraws the set-up link of an account without a password: it stops working; the account stays. */
  async revokeLink(actor: SessionUser, id: string): Promise<AccountView> {
    await this.unitOfWork.transaction(async (m) => {
      const user = await this.find(m, actor, id);
      this.assertMayManage(actor, user);
      const revoked = await this.invitations.revokeLinks(m, actor, user.id, await this.homeOf(m, actor, user.id));
      if (revoked === 0) throw new ValidationError({}, { key: 'invitations.nothingToRevoke' });
    });
    return this.detail(actor, id);
  }

  /**
   * Managers manage the staff, volunteer and family accounts of their homes and their own; another
   * manager's account (and an admin's, which they do not even see) is for admins only.
   */
  private mayManage(actor: SessionUser, user: User): boolean {
    return actor.role === 'admin' || user.id === actor.id || (user.role !== 'manager' && user.role !== 'admin');
  }

  private assertMayManage(actor: SessionUser, user: User): void {
    if (!this.mayManage(actor, user)) throw new ValidationError({}, { key: 'accounts.onlyAdmins' });
  }

  /** The homes this actor may filter by. */
  async homeChoices(actor: SessionUser): Promise<{ id: string; name: string }[]> {
    return (await this.homes.listForUser(actor)).map((home) => ({ id: home.id, name: home.name }));
  }

  private roleChoices(actor: SessionUser, user: User): Role[] {
    // A group manager's role goes with their groups: an admin makes a new account for another role.
    if (user.personKind === 'family' || user.personKind === 'volunteer' || user.role === 'family' || user.role === 'volunteer' || user.role === 'group_manager') return [];
    return actor.role === 'admin' ? [...STAFF_ROLES, 'admin'] : [...STAFF_ROLES];
  }

  /** Refuses to take away the last enabled admin. */
  private async keepAnAdmin(m: EntityManager, leavingId: string): Promise<void> {
    const enabledAdmins = await m.count(User, { where: { role: 'admin', disabledAt: IsNull() } });
    const leaving = await m.existsBy(User, { id: leavingId, role: 'admin', disabledAt: IsNull() });
    if (leaving && enabledAdmins <= 1) throw new ValidationError({}, { key: 'accounts.lastAdmin' });
  }

  /** An account this actor may manage; otherwise not found (an id of another home cannot be probed). */
  private async find(m: EntityManager, actor: SessionUser, id: string): Promise<User> {
    if (!isUUID(id)) throw new NotFoundError();
    const qb = m.createQueryBuilder(User, 'u').where('u.id = :id', { id });
    this.scope(qb, actor);
    const user = await qb.getOne();
    if (!user) throw new NotFoundError();
    return user;
  }

  /** Admins see every account; a manager the non-admin accounts with a membership of one of their homes. */
  private scope(qb: ReturnType<Repository<User>['createQueryBuilder']>, actor: SessionUser): void {
    if (actor.role === 'admin') return;
    if (actor.homeIds.length === 0) {
      qb.andWhere('1 = 0');
      return;
    }
    qb.andWhere("u.role <> 'admin'")
      .andWhere('EXISTS (SELECT 1 FROM membership sm WHERE sm."userId" = u.id AND sm."homeId" IN (:...scopeHomeIds))', { scopeHomeIds: actor.homeIds });
  }

  /** The account's first home this actor sees, for the audit entry. */
  private async homeOf(m: EntityManager, actor: SessionUser, userId: string): Promise<string | null> {
    const memberships = await m.find(Membership, { where: { userId }, order: { createdAt: 'ASC' } });
    return memberships.find((ms) => actor.homeIds.includes(ms.homeId))?.homeId ?? null;
  }

  private async views(actor: SessionUser, users: User[]): Promise<AccountView[]> {
    const ids = users.map((u) => u.id);
    const memberships = ids.length ? await this.unitOfWork.manager.find(Membership, { where: { userId: In(ids) }, order: { createdAt: 'ASC' } }) : [];
    const names = new Map((await this.homes.listForUser(actor)).map((home) => [home.id, home.name]));
    const pending = await this.invitations.pendingUntil(ids.filter((id) => users.find((u) => u.id === id)!.passwordHash === null));
    const withMfa = await this.mfa.enabledAmong(ids);
    const leads = actor.role === 'admin' && ids.length ? await this.unitOfWork.manager.find(GroupMembership, { where: { userId: In(ids) } }) : [];
    const groupNames = new Map(leads.length ? (await this.homes.groupChoices()).map((g) => [g.id, g.name]) : []);
    return users.map((u) => ({
      id: u.id, displayName: u.displayName, email: u.email, role: u.role, personKind: u.personKind,
      // A manager sees only the homes they belong to, never the names of others.
      homes: memberships.filter((ms) => ms.userId === u.id && names.has(ms.homeId)).map((ms) => ({ id: ms.homeId, name: names.get(ms.homeId)! })),
      groups: leads.filter((g) => g.userId === u.id).map((g) => ({ id: g.groupId, name: groupNames.get(g.groupId) ?? '' })).sort((a, b) => a.name.localeCompare(b.name)),
      state: stateOf(u), lastLoginAt: u.lastLoginAt, invitedUntil: pending.get(u.id) ?? null, mfaEnabled: withMfa.has(u.id),
    }));
  }
}
