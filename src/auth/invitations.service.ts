import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, MoreThan, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { assertHomeAccess } from '../common/access/home-scope';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { UnitOfWork } from '../database/unit-of-work';
import { AuthService, normaliseEmail, RequestOrigin } from './auth.service';
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
  /** The link to pass on; shown once, never stored (only its hash is). */
  path: string;
  expiresAt: Date;
  email: string;
}

/** What a person's page shows about their account. */
export interface AccountStatus {
  state: 'none' | 'invited' | 'active' | 'disabled';
  email?: string;
  invitationExpiresAt?: Date;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
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
  ) {}

  async invite(actor: SessionUser, request: InvitationRequest): Promise<IssuedInvitation> {
    assertHomeAccess(actor, request.homeId);
    if (!request.email) throw new ValidationError({}, { key: 'invitations.emailNeeded' });
    const email = normaliseEmail(request.email);
    return this.unitOfWork.transaction(async (m) => {
      let user = await m.findOneBy(User, { email });
      if (user && (user.personKind !== request.personKind || user.personId !== request.personId)) {
        throw new ValidationError({}, { key: 'auth.emailTaken' });
      }
      if (user?.passwordHash) throw new ValidationError({}, { key: 'invitations.alreadyActive' });
      user ??= await this.auth.createUser(
        { email, displayName: request.displayName, role: request.role, homeIds: [request.homeId], personKind: request.personKind, personId: request.personId },
        m,
      );
      // Only the newest link works.
      await m.update(Invitation, { userId: user.id, usedAt: IsNull() }, { expiresAt: new Date() });
      const token = randomBytes(32).toString('base64url');
      const invitation = m.create(Invitation, {
        userId: user.id, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + INVITATION_VALID_DAYS * DAY_MS), usedAt: null, createdBy: actor.id,
      });
      await m.insert(Invitation, invitation);
      await this.audit.record(m, {
        action: 'create', userId: actor.id, role: actor.role, entityType: 'invitation', entityId: invitation.id, homeId: request.homeId,
        changes: { email: { old: null, new: email }, role: { old: null, new: request.role } },
      });
      return { path: `/invitations/${token}`, expiresAt: invitation.expiresAt, email };
    });
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
    if (user.disabledAt) return { state: 'disabled', email: user.email };
    if (user.passwordHash) return { state: 'active', email: user.email };
    const pending = await this.invitations.findOne({
      where: { userId: user.id, usedAt: IsNull(), expiresAt: MoreThan(new Date()) }, order: { expiresAt: 'DESC' },
    });
    return { state: pending ? 'invited' : 'none', email: user.email, invitationExpiresAt: pending?.expiresAt };
  }

  private async usable(m: EntityManager, token: string): Promise<{ invitation: Invitation; user: User }> {
    if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new NotFoundError({ key: 'invitations.invalid' });
    const invitation = await m.findOneBy(Invitation, { tokenHash: hashToken(token) });
    if (!invitation) throw new NotFoundError({ key: 'invitations.invalid' });
    if (invitation.usedAt) throw new ValidationError({}, { key: 'invitations.used' });
    if (invitation.expiresAt.getTime() <= Date.now()) throw new ValidationError({}, { key: 'invitations.expired' });
    const user = await m.findOneBy(User, { id: invitation.userId });
    if (!user || user.disabledAt) throw new NotFoundError({ key: 'invitations.invalid' });
    return { invitation, user };
  }
}
