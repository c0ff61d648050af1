import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, MoreThan, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { assertHomeAccess } from '../common/access/home-scope';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { formatDateTime } from '../common/views/format';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { HomesService } from '../homes/homes.service';
import { MailService } from '../mail/mail.service';
import { AuthService, normaliseEmail, RequestOrigin } from './auth.service';
import { EmailChange } from './entities/email-change.entity';
import { Invitation } from './entities/invitation.entity';
import { User } from './entities/user.entity';
import { PersonKind, Role } from './auth.enums';
import { PasswordHasher } from './password-hasher';

export const INVITATION_VALID_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface InvitationRequest {
  email: string | null;
  displayName: string;
  role: Role;
  homeId: string;
  personKind: PersonKind;
  personId: string;
}

export interface IssuedInvitation {
  /** The link, mailed to `email`; never stored (only its hash is). */
  path: string;
  expiresAt: Date;
  email: string;
  /** Whether the mail leaves the app (SMTP_URL set); if not it is kept in the outbox and the page shows the link once instead. */
  mailed: boolean;
}

/** What a person's page shows about their account. */
export interface AccountStatus {
  state: 'none' | 'invited' | 'active' | 'disabled';
  email?: string;
  invitationExpiresAt?: Date;
  /** A new address waiting for its confirmation link to be opened. */
  pendingEmail?: string;
}

/** Links carry a random token; only its SHA-256 is stored (invitations, password resets, email changes). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A link token's shape; anything else is not looked up at all. */
export function isTokenShaped(token: unknown): token is string {
  return typeof token === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(token);
}

/**
 * Invitations to an account: staff create one for a family member, volunteer or staff member and
 * pass the link on; the person sets their own password through it, once, within 7 days.
 */
@Injectable()
export class InvitationsService {
  constructor(
    @InjectRepository(Invitation) private readonly invitations: Repository<Invitation>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly auth: AuthService,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly unitOfWork: UnitOfWork,
    private readonly mail: MailService,
    private readonly homes: HomesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async invite(actor: SessionUser, request: InvitationRequest): Promise<IssuedInvitation> {
    assertHomeAccess(actor, request.homeId);
    if (!request.email) throw new ValidationError({}, { key: 'invitations.emailNeeded' });
    const email = normaliseEmail(request.email);
    // A new account starts in its home's language, so the invitation is written in it.
    const { locale } = await this.homes.mailFacts(request.homeId);
    return this.unitOfWork.transaction(async (m) => {
      let user = await m.findOneBy(User, { email });
      if (user && (user.personKind !== request.personKind || user.personId !== request.personId)) {
        throw new ValidationError({}, { key: 'auth.emailTaken' });
      }
      if (user?.passwordHash) throw new ValidationError({}, { key: 'invitations.alreadyActive' });
      user ??= await this.auth.createUser(
        { email, displayName: request.displayName, role: request.role, homeIds: [request.homeId], locale, personKind: request.personKind, personId: request.personId },
        m,
      );
      return this.issueLink(m, actor, user, request.homeId);
    });
  }

  /**
   * A new one-time set-up link for an account without a password (invited, or forced to reset), in
   * the caller's transaction; earlier links stop working. The link is mailed to the account's address
   * in its language, in the same transaction (the mail goes only if the link was issued).
   */
  async issueLink(
    m: EntityManager, actor: SessionUser, user: Pick<User, 'id' | 'email' | 'role' | 'displayName' | 'locale' | 'lastLoginAt'>, homeId: string | null,
  ): Promise<IssuedInvitation> {
    const home = await this.homes.mailFacts(homeId);
    // Only the newest link works.
    await m.update(Invitation, { userId: user.id, usedAt: IsNull() }, { expiresAt: new Date() });
    const token = newToken();
    const invitation = m.create(Invitation, {
      userId: user.id, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + INVITATION_VALID_DAYS * DAY_MS), usedAt: null, createdBy: actor.id,
    });
    await m.insert(Invitation, invitation);
    await this.audit.record(m, {
      action: 'create', userId: actor.id, role: actor.role, entityType: 'invitation', entityId: invitation.id, homeId,
      changes: { email: { old: null, new: user.email }, role: { old: null, new: user.role } },
    });
    const path = `/invitations/${token}`;
    const mail = await this.mail.enqueue(m, {
      // Someone who has signed in before lost their password to a forced reset: not an invitation.
      to: user.email, template: user.lastLoginAt ? 'password_setup' : 'invitation', locale: user.locale, homeId, by: actor,
      params: {
        name: user.displayName, sender: actor.displayName, home: home.name, link: `${this.config.publicUrl}${path}`,
        expires: formatDateTime(invitation.expiresAt, user.locale, home.timezone),
      },
    });
    return { path, expiresAt: invitation.expiresAt, email: user.email, mailed: mail.status !== 'kept' };
  }

  /** Makes every unused link of an account stop working (the account stays, without a password), audited; how many there were. */
  async revokeLinks(m: EntityManager, actor: SessionUser, userId: string, homeId: string | null): Promise<number> {
    const pending = await m.find(Invitation, { where: { userId, usedAt: IsNull(), expiresAt: MoreThan(new Date()) } });
    if (pending.length === 0) return 0;
    await m.update(Invitation, { id: In(pending.map((invitation) => invitation.id)) }, { expiresAt: new Date() });
    for (const invitation of pending) {
      await this.audit.record(m, {
        action: 'update', userId: actor.id, role: actor.role, entityType: 'invitation', entityId: invitation.id, homeId,
        changes: { expiresAt: { old: invitation.expiresAt.toISOString(), new: '[revoked]' } },
      });
    }
    return pending.length;
  }

  /** When each of these accounts' newest unused link expires (the accounts list: "invited until …"). */
  async pendingUntil(userIds: string[]): Promise<Map<string, Date>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.invitations.find({ select: { userId: true, expiresAt: true }, where: { userId: In(userIds), usedAt: IsNull(), expiresAt: MoreThan(new Date()) } });
    const until = new Map<string, Date>();
    for (const row of rows) if (!until.has(row.userId) || until.get(row.userId)! < row.expiresAt) until.set(row.userId, row.expiresAt);
    return until;
  }

  /** The invitation behind a link, if it can still be used; otherwise an error saying why. */
  async check(token: string): Promise<{ email: string; displayName: string }> {
    const { user } = await this.usable(this.unitOfWork.manager, token);
    return { email: user.email, displayName: user.displayName };
  }

  async accept(token: string, password: string, confirm: string, origin: RequestOrigin) {
    const { user: invited } = await this.usable(this.unitOfWork.manager, token);
    this.auth.checkNewPassword(password, confirm, invited.email);
    // Hashed before the unit of work: every write in the app would wait for argon2 otherwise.
    const passwordHash = await this.hasher.hash(password);
    return this.unitOfWork.transaction(async (m) => {
      const { invitation, user } = await this.usable(m, token);
      // Marking it used only if still unused makes a second, simultaneous use fail.
      const claimed = await m.update(Invitation, { id: invitation.id, usedAt: IsNull() }, { usedAt: new Date() });
      if (claimed.affected !== 1) throw new ValidationError({}, { key: 'invitations.used' });
      await m.update(User, { id: user.id }, { passwordHash, lastLoginAt: new Date() });
      await this.audit.record(m, {
        action: 'update', userId: user.id, role: user.role, entityType: 'user', entityId: user.id,
        changes: { password: { old: null, new: '[set from invitation]' } }, ip: origin.ip, userAgent: origin.userAgent ?? null,
      });
      return user.id;
    });
  }

  async statusFor(personKind: PersonKind, personId: string): Promise<AccountStatus> {
    const user = await this.users.findOneBy({ personKind, personId });
    if (!user) return { state: 'none' };
    const change = await this.users.manager.findOne(EmailChange, { where: { userId: user.id, usedAt: IsNull(), expiresAt: MoreThan(new Date()) }, order: { createdAt: 'DESC' } });
    const pendingEmail = change?.newEmail;
    if (user.disabledAt) return { state: 'disabled', email: user.email, pendingEmail };
    if (user.passwordHash) return { state: 'active', email: user.email, pendingEmail };
    const pending = await this.invitations.findOne({
      where: { userId: user.id, usedAt: IsNull(), expiresAt: MoreThan(new Date()) }, order: { expiresAt: 'DESC' },
    });
    return { state: pending ? 'invited' : 'none', email: user.email, invitationExpiresAt: pending?.expiresAt, pendingEmail };
  }

  private async usable(m: EntityManager, token: string): Promise<{ invitation: Invitation; user: User }> {
    if (!isTokenShaped(token)) throw new NotFoundError({ key: 'invitations.invalid' });
    const invitation = await m.findOneBy(Invitation, { tokenHash: hashToken(token) });
    if (!invitation) throw new NotFoundError({ key: 'invitations.invalid' });
    if (invitation.usedAt) throw new ValidationError({}, { key: 'invitations.used' });
    if (invitation.expiresAt.getTime() <= Date.now()) throw new ValidationError({}, { key: 'invitations.expired' });
    const user = await m.findOneBy(User, { id: invitation.userId });
    if (!user || user.disabledAt) throw new NotFoundError({ key: 'invitations.invalid' });
    return { invitation, user };
  }
}
