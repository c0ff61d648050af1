import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { SessionUser } from '../common/access/session-user';
import { ConflictError, NotFoundError, TooManyRequestsError, ValidationError } from '../common/errors/domain-errors';
import { isLocale } from '../common/i18n/i18n';
import { sqlRows } from '../database/sql';
import { UnitOfWork } from '../database/unit-of-work';
import { HomesService } from '../homes/homes.service';
import { DEFAULT_TIMEZONE } from '../homes/places';
import { GroupMembership } from './entities/group-membership.entity';
import { SESSION_USER_SQL, SessionUserRow, sessionUserOf } from './session/session-user-query';
import { Membership } from './entities/membership.entity';
import { User } from './entities/user.entity';
import { PersonKind, Role, ROLES } from './auth.enums';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { endSessionsOf } from './session/ended-sessions';

export const MIN_PASSWORD_LENGTH = 10;

export interface RequestOrigin {
  ip: string;
  userAgent?: string;
}

/** What a mail to a user needs: the address, the language, and the role and homes that decide the defaults. */
export interface MailContact {
  id: string;
  email: string;
  locale: string;
  role: Role;
  /** The homes the user is a member of, by id (none for an admin). */
  homeIds: string[];
}

export interface NewUser {
  email: string;
  displayName: string;
  role: Role;
  password?: string;
  /** Instead of `password`, already hashed (hashPassword): a caller inside a unit of work must not wait for argon2 there. */
  passwordHash?: string;
  homeIds: string[];
  /** A group manager's groups (docs/groups.md): required for that role, refused for any other. */
  groupIds?: string[];
  locale?: string;
  personKind?: PersonKind | null;
  personId?: string | null;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}


@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
    private readonly homes: HomesService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /**
   * Checks a sign-in. The check is reserved with the throttle before argon2 runs, so parallel
   * requests cannot all be checked before the first failure is counted. An unknown email and a wrong
   * password give the same error after the same work (a real argon2 check either way), and both count.
   */
  async signIn(emailInput: string, password: string, origin: RequestOrigin): Promise<SessionUser> {
    const email = normaliseEmail(emailInput);
    await this.reserveCheck(email, origin, 'auth.throttled');
    const user = await this.users.findOneBy({ email });
    const usable = user !== null && user.disabledAt === null && user.passwordHash !== null;
    const valid = usable ? await this.hasher.verify(user.passwordHash, password) : await this.hasher.verifyDecoy(password);
    if (!valid || !user) {
      await this.audit.recordNow({ action: 'login_failed', userId: user?.id ?? null, entityType: 'user', entityId: user?.id ?? null, ...this.originFields(origin) });
      throw new ValidationError({}, { key: 'auth.invalidCredentials' });
    }
    await this.throttle.succeeded(email, origin.ip);
    await this.unitOfWork.transaction(async (manager) => {
      await manager.update(User, { id: user.id }, { lastLoginAt: new Date() });
      await this.audit.record(manager, { action: 'login', userId: user.id, role: user.role, entityType: 'user', entityId: user.id, ...this.originFields(origin) });
    });
    const signedIn = await this.findSessionUser(user.id);
    if (!signedIn) throw new ValidationError({}, { key: 'auth.invalidCredentials' });
    return signedIn;
  }

  async recordSignOut(user: SessionUser, origin: RequestOrigin): Promise<void> {
    await this.audit.recordNow({ action: 'logout', userId: user.id, role: user.role, entityType: 'user', entityId: user.id, ...this.originFields(origin) });
  }

  /**
   * The user behind a session, fresh from the database; null when the account is gone or disabled.
   * Runs on every request, so in plain SQL and one statement: the account, its homes in the order
   * joined and each home's zone (an admin is in every home).
   */
  async findSessionUser(userId: string): Promise<SessionUser | null> {
    const rows = await sqlRows<SessionUserRow>(this.users.manager, SESSION_USER_SQL, [userId]);
    const user = sessionUserOf(rows);
    if (user?.role === 'group_manager') return this.groupManager(rows[0]);
    if (user?.role !== 'admin') return user;
    // An admin is in every home, and sees times in the first one's zone.
    const homeIds = await this.homes.allHomeIds();
    return { ...user, homeIds, timezone: await this.homes.timezoneOf(homeIds[0]) };
  }

  /**
   * A group manager reaches the homes their groups hold now (docs/groups.md): two statements more,
   * for this role only, whatever the number of homes. Their memberships, if any, play no part.
   */
  private async groupManager(user: SessionUserRow): Promise<SessionUser> {
    const groupIds = (await sqlRows<{ groupId: string }>(this.users.manager, 'SELECT "groupId" FROM group_membership WHERE "userId" = ? ORDER BY "groupId"', [user.id]))
      .map((row) => row.groupId);
    const homes = await this.homes.homesOfGroups(groupIds);
    return {
      id: user.id, email: user.email, displayName: user.displayName, role: user.role, locale: user.locale, personKind: user.personKind, personId: user.personId,
      homeIds: homes.map((home) => home.id), groupIds, timezone: homes[0]?.timezone ?? DEFAULT_TIMEZONE,
    };
  }

  /**
   * Changes the user's own password. The current password is a password check like a sign-in: it is
   * reserved with the same throttle (the account and this address), and a wrong one is audited.
   */
  async changePassword(sessionUser: SessionUser, current: string, next: string, confirm: string, origin: RequestOrigin): Promise<void> {
    const user = await this.users.findOneByOrFail({ id: sessionUser.id });
    await this.reserveCheck(user.email, origin, 'auth.passwordThrottled', { field: 'currentPassword', user });
    if (!(await this.hasher.verify(user.passwordHash, current))) {
      await this.audit.recordNow({
        action: 'login_failed', userId: user.id, role: user.role, entityType: 'user', entityId: user.id,
        changes: { reason: { old: null, new: 'wrong_current_password' } }, ...this.originFields(origin),
      });
      throw new ValidationError({ currentPassword: { key: 'auth.currentPasswordWrong' } });
    }
    await this.throttle.succeeded(user.email, origin.ip);
    this.checkNewPassword(next, confirm, user.email);
    // "Changed" to itself changes nothing, yet would sign out every other device and say it was changed.
    if (next === current) throw new ValidationError({ newPassword: { key: 'auth.newPasswordSame' } });
    const passwordHash = await this.hasher.hash(next);
    await this.unitOfWork.transaction(async (manager) => {
      await manager.update(User, { id: user.id }, { passwordHash });
      await this.audit.record(manager, {
        action: 'update', userId: user.id, role: user.role, entityType: 'user', entityId: user.id,
        changes: { password: { old: '[redacted]', new: '[changed]' } }, ...this.originFields(origin),
      });
    });
  }

  /**
   * Whether this is the user's password (a PIN is set only with it); the same argon2 work either way.
   * Like any check of a password, it is reserved with the throttle (this account and address) and a
   * wrong one is audited; while throttled it throws, with the message beside the `password` field.
   */
  async verifyPassword(userId: string, password: string, origin: RequestOrigin): Promise<boolean> {
    const user = await this.users.findOne({ select: { id: true, email: true, role: true, passwordHash: true, disabledAt: true }, where: { id: userId } });
    if (!user || user.disabledAt !== null || user.passwordHash === null) return this.hasher.verifyDecoy(password);
    await this.reserveCheck(user.email, origin, 'auth.passwordThrottled', { field: 'password', user });
    if (await this.hasher.verify(user.passwordHash, password)) {
      await this.throttle.succeeded(user.email, origin.ip);
      return true;
    }
    await this.audit.recordNow({
      action: 'login_failed', userId: user.id, role: user.role, entityType: 'user', entityId: user.id,
      changes: { reason: { old: null, new: 'wrong_current_password' } }, ...this.originFields(origin),
    });
    return false;
  }

  async setLocale(sessionUser: SessionUser, locale: string): Promise<void> {
    if (!isLocale(locale)) throw new ValidationError({ locale: { key: 'validation.isIn' } });
    await this.unitOfWork.transaction((manager) => manager.update(User, { id: sessionUser.id }, { locale }));
  }

  /** A password hashed for createUser's `passwordHash`, before a unit of work. */
  hashPassword(password: string): Promise<string> {
    return this.hasher.hash(password);
  }

  /** Creates an account; used by `npm run user:create`, the demo seed and, later, invitations. */
  async createUser(input: NewUser, manager?: EntityManager): Promise<User> {
    const email = normaliseEmail(input.email);
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new ValidationError({ email: { key: 'validation.isEmail' } });
    if (!(ROLES as readonly string[]).includes(input.role)) throw new ValidationError({ role: { key: 'validation.isIn' } });
    const groupIds = [...new Set(input.groupIds ?? [])];
    if (input.role === 'group_manager') {
      if (groupIds.length === 0) throw new ValidationError({ groupIds: { key: 'groups.groupRequired' } });
    } else {
      if (groupIds.length > 0) throw new ValidationError({ groupIds: { key: 'groups.onlyGroupManagers' } });
      if (input.role !== 'admin' && input.homeIds.length === 0) throw new ValidationError({ home: { key: 'auth.homeRequired' } });
    }
    // The whole write queue would wait for the hash (see UnitOfWork).
    if (manager && input.password !== undefined) throw new Error('createUser inside a unit of work takes a passwordHash, hashed before it');
    if (input.password !== undefined) this.checkNewPassword(input.password, input.password, email);
    const passwordHash = input.passwordHash ?? (input.password === undefined ? null : await this.hasher.hash(input.password));
    const work = async (m: EntityManager) => {
      if (await m.existsBy(User, { email })) throw new ConflictError({ key: 'auth.emailTaken' });
      const user = m.create(User, {
        email, displayName: input.displayName.trim(), role: input.role, passwordHash,
        locale: input.locale && isLocale(input.locale) ? input.locale : 'en',
        personKind: input.personKind ?? null, personId: input.personId ?? null, disabledAt: null, lastLoginAt: null,
      });
      await m.insert(User, user);
      if (input.homeIds.length > 0) await m.insert(Membership, input.homeIds.map((homeId) => ({ userId: user.id, homeId })));
      if (groupIds.length > 0) {
        if (!(await this.homes.groupsExist(groupIds, m))) throw new ValidationError({ groupIds: { key: 'groups.unknown' } });
        await m.insert(GroupMembership, groupIds.map((groupId) => ({ userId: user.id, groupId })));
      }
      await this.audit.record(m, { action: 'create', entityType: 'user', entityId: user.id, homeId: input.homeIds[0] ?? null, changes: { email: { old: null, new: email }, role: { old: null, new: input.role } } });
      return user;
    };
    return manager ? work(manager) : this.unitOfWork.transaction(work);
  }

  /**
   * Disables the account of a person whose record was archived, or re-enables it when the record comes
   * back, inside the caller's transaction; the next request of a signed-in session of theirs is signed
   * out. Only an account that archiving disabled is re-enabled: one an admin or manager disabled on its
   * own stays disabled.
   */
  async setDisabledForPerson(manager: EntityManager, actor: SessionUser, personKind: PersonKind, personId: string, disabled: boolean): Promise<void> {
    const user = await manager.findOneBy(User, { personKind, personId });
    if (!user || (user.disabledAt !== null) === disabled) return;
    if (!disabled && user.disabledReason !== 'archive') return;
    const disabledAt = disabled ? new Date() : null;
    await manager.update(User, { id: user.id }, { disabledAt, disabledReason: disabled ? 'archive' : null });
    if (disabled) await endSessionsOf(manager, user.id, 'accountDisabled');
    await this.audit.record(manager, {
      action: disabled ? 'archive' : 'update', userId: actor.id, role: actor.role, entityType: 'user', entityId: user.id,
      changes: { disabledAt: { old: user.disabledAt, new: disabledAt } },
    });
  }

  /** Who did something, by user id, for "recorded by" lines; inside a transaction, pass its manager. */
  async displayNames(userIds: (string | null | undefined)[], manager: EntityManager = this.users.manager): Promise<Map<string, string>> {
    const ids = [...new Set(userIds.filter((id): id is string => typeof id === 'string'))];
    if (ids.length === 0) return new Map();
    const users = await manager.find(User, { select: { id: true, displayName: true }, where: { id: In(ids) } });
    return new Map(users.map((u) => [u.id, u.displayName]));
  }

  /** The accounts with one of these roles that are members of a home, disabled or not (messages to a home's coordinators). */
  async memberIdsWithRoles(manager: EntityManager, homeId: string, roles: Role[]): Promise<string[]> {
    const rows = await manager
      .createQueryBuilder(User, 'u')
      .select('u.id', 'id')
      .innerJoin(Membership, 'ms', 'ms.userId = u.id AND ms.homeId = :homeId', { homeId })
      .where('u.role IN (:...roles)', { roles })
      .getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }

  /** Of these accounts, those not disabled. */
  async enabledIds(manager: EntityManager, userIds: string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    return (await manager.find(User, { select: { id: true }, where: { id: In(userIds), disabledAt: IsNull() } })).map((user) => user.id);
  }

  /** Of these accounts, those not disabled, with their address, language, role and homes (two queries whatever the number). */
  async enabledContacts(manager: EntityManager, userIds: string[]): Promise<MailContact[]> {
    const ids = [...new Set(userIds)];
    if (ids.length === 0) return [];
    const users = await manager.find(User, {
      select: { id: true, email: true, locale: true, role: true }, where: { id: In(ids), disabledAt: IsNull() }, order: { id: 'ASC' },
    });
    if (users.length === 0) return [];
    const memberships = await manager.find(Membership, { select: { userId: true, homeId: true }, where: { userId: In(users.map((u) => u.id)) }, order: { homeId: 'ASC' } });
    const homes = new Map<string, string[]>();
    for (const ms of memberships) homes.set(ms.userId, [...(homes.get(ms.userId) ?? []), ms.homeId]);
    return users.map((u) => ({ id: u.id, email: u.email, locale: u.locale, role: u.role, homeIds: homes.get(u.id) ?? [] }));
  }

  /** The enabled accounts of a person record (a relative, a volunteer, a member of staff). */
  async enabledIdsOfPerson(manager: EntityManager, personKind: PersonKind, personId: string | null): Promise<string[]> {
    if (!personId) return [];
    return (await manager.find(User, { select: { id: true }, where: { personKind, personId, disabledAt: IsNull() } })).map((user) => user.id);
  }

  async countUsers(): Promise<number> {
    return this.users.count();
  }

  async findByEmail(email: string): Promise<User> {
    const user = await this.users.findOneBy({ email: normaliseEmail(email) });
    if (!user) throw new NotFoundError();
    return user;
  }

  checkNewPassword(password: string, confirm: string, email: string): void {
    if (password.length < MIN_PASSWORD_LENGTH || password.length > 256) {
      throw new ValidationError({ newPassword: { key: 'auth.passwordLength', params: { n: MIN_PASSWORD_LENGTH } } });
    }
    if (password.toLowerCase() === email.toLowerCase()) throw new ValidationError({ newPassword: { key: 'auth.passwordIsEmail' } });
    if (password !== confirm) throw new ValidationError({ confirmPassword: { key: 'auth.passwordMismatch' } });
  }

  /**
   * Reserves one password check for the account from this address, or refuses it (audited, 429 with
   * the wait) while the throttle says to wait. `field` puts the message beside a form's field; `user`
   * is the signed-in user checking their own password (a sign-in names nobody, known or not).
   */
  private async reserveCheck(email: string, origin: RequestOrigin, messageKey: string, { field, user }: { field?: string; user?: Pick<User, 'id' | 'role'> } = {}): Promise<void> {
    const retryAfter = await this.throttle.reserve(email, origin.ip);
    if (retryAfter === 0) return;
    await this.audit.recordNow({
      action: 'login_failed', userId: user?.id ?? null, role: user?.role ?? null, entityType: 'user', entityId: user?.id ?? null,
      changes: { reason: { old: null, new: 'throttled' } }, ...this.originFields(origin),
    });
    const message = { key: messageKey, params: { minutes: Math.ceil(retryAfter / 60) } };
    throw new TooManyRequestsError(message, retryAfter, field ? { [field]: message } : {});
  }

  private originFields(origin: RequestOrigin) {
    return { ip: origin.ip, userAgent: origin.userAgent ?? null };
  }
}
