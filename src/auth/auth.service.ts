import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { SessionUser } from '../common/access/session-user';
import { ConflictError, NotFoundError, TooManyRequestsError, ValidationError } from '../common/errors/domain-errors';
import { isLocale } from '../common/i18n/i18n';
import { sqlRows } from '../database/sql';
import { UnitOfWork } from '../database/unit-of-work';
import { DEFAULT_TIMEZONE, HomesService } from '../homes/homes.service';
import { Membership } from './entities/membership.entity';
import { User } from './entities/user.entity';
import { PersonKind, Role, ROLES } from './auth.enums';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';

export const MIN_PASSWORD_LENGTH = 10;

export interface RequestOrigin {
  ip: string;
  userAgent?: string;
}

export interface NewUser {
  email: string;
  displayName: string;
  role: Role;
  password?: string;
  /** Instead of `password`, already hashed (hashPassword): a caller inside a unit of work must not wait for argon2 there. */
  passwordHash?: string;
  homeIds: string[];
  locale?: string;
  personKind?: PersonKind | null;
  personId?: string | null;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

type SessionUserRow = Pick<User, 'id' | 'email' | 'displayName' | 'role' | 'locale' | 'personKind' | 'personId'> & { disabledAt: unknown };

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
   * Checks a sign-in. An unknown email and a wrong password give the same error after the same work
   * (a real argon2 check either way), and both count towards the throttle.
   */
  async signIn(emailInput: string, password: string, origin: RequestOrigin): Promise<SessionUser> {
    const email = normaliseEmail(emailInput);
    const retryAfter = await this.throttle.retryAfterSeconds(email, origin.ip);
    if (retryAfter > 0) {
      await this.audit.recordNow({ action: 'login_failed', entityType: 'user', changes: { reason: { old: null, new: 'throttled' } }, ...this.originFields(origin) });
      throw new TooManyRequestsError({ key: 'auth.throttled', params: { minutes: Math.ceil(retryAfter / 60) } }, retryAfter);
    }
    const user = await this.users.findOneBy({ email });
    const usable = user !== null && user.disabledAt === null && user.passwordHash !== null;
    const valid = usable ? await this.hasher.verify(user.passwordHash, password) : await this.hasher.verifyDecoy(password);
    if (!valid || !user) {
      await this.throttle.recordFailure(email, origin.ip);
      await this.audit.recordNow({ action: 'login_failed', userId: user?.id ?? null, entityType: 'user', entityId: user?.id ?? null, ...this.originFields(origin) });
      throw new ValidationError({}, { key: 'auth.invalidCredentials' });
    }
    await this.throttle.clearEmail(email);
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
    const rows = await sqlRows<SessionUserRow & { homeId: string | null; timezone: string | null }>(
      this.users.manager,
      // The one exception to "SQL names only its module's tables": each home's zone is read in the
      // statement every request runs, which a call to the homes module would double (README, Performance).
      // eslint-disable-next-line insieme/sql-table-ownership
      `SELECT u.id, u.email, u."displayName", u.role, u.locale, u."personKind", u."personId", u."disabledAt", m."homeId", h.timezone
       FROM "user" u LEFT JOIN membership m ON m."userId" = u.id LEFT JOIN home h ON h.id = m."homeId"
       WHERE u.id = ? ORDER BY m."createdAt", m.id`,
      [userId],
    );
    const user = rows[0];
    if (!user || user.disabledAt !== null) return null;
    const homes = rows.filter((row) => row.homeId !== null);
    const homeIds = user.role === 'admin' ? await this.homes.allHomeIds() : homes.map((row) => row.homeId!);
    return {
      id: user.id, email: user.email, displayName: user.displayName, role: user.role, locale: user.locale, personKind: user.personKind, personId: user.personId,
      homeIds, timezone: user.role === 'admin' ? await this.homes.timezoneOf(homeIds[0]) : (homes[0]?.timezone ?? DEFAULT_TIMEZONE),
    };
  }

  async changePassword(sessionUser: SessionUser, current: string, next: string, confirm: string, origin: RequestOrigin): Promise<void> {
    const user = await this.users.findOneByOrFail({ id: sessionUser.id });
    if (!(await this.hasher.verify(user.passwordHash, current))) {
      throw new ValidationError({ currentPassword: { key: 'auth.currentPasswordWrong' } });
    }
    this.checkNewPassword(next, confirm, user.email);
    const passwordHash = await this.hasher.hash(next);
    await this.unitOfWork.transaction(async (manager) => {
      await manager.update(User, { id: user.id }, { passwordHash });
      await this.audit.record(manager, {
        action: 'update', userId: user.id, role: user.role, entityType: 'user', entityId: user.id,
        changes: { password: { old: '[redacted]', new: '[changed]' } }, ...this.originFields(origin),
      });
    });
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
    if (input.role !== 'admin' && input.homeIds.length === 0) throw new ValidationError({ home: { key: 'auth.homeRequired' } });
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
      await this.audit.record(m, { action: 'create', entityType: 'user', entityId: user.id, homeId: input.homeIds[0] ?? null, changes: { email: { old: null, new: email }, role: { old: null, new: input.role } } });
      return user;
    };
    return manager ? work(manager) : this.unitOfWork.transaction(work);
  }

  /**
   * Disables (or re-enables) the account of a person whose record was archived, inside the caller's
   * transaction; the next request of a signed-in session of theirs is signed out.
   */
  async setDisabledForPerson(manager: EntityManager, actor: SessionUser, personKind: PersonKind, personId: string, disabled: boolean): Promise<void> {
    const user = await manager.findOneBy(User, { personKind, personId });
    if (!user || (user.disabledAt !== null) === disabled) return;
    const disabledAt = disabled ? new Date() : null;
    await manager.update(User, { id: user.id }, { disabledAt });
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

  private originFields(origin: RequestOrigin) {
    return { ip: origin.ip, userAgent: origin.userAgent ?? null };
  }
}
