import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, IsNull, MoreThan } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { formatDateTime } from '../common/views/format';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { HomesService } from '../homes/homes.service';
import { MailService } from '../mail/mail.service';
import type { PersonKind } from './auth.enums';
import { normaliseEmail, RequestOrigin } from './auth.service';
import { EmailChange } from './entities/email-change.entity';
import { Membership } from './entities/membership.entity';
import { User } from './entities/user.entity';
import { hashToken, isTokenShaped, newToken } from './invitations.service';

export const EMAIL_CHANGE_VALID_HOURS = 24;

/**
 * Writes a new address onto a person record (family member, volunteer, staff member) inside the
 * confirming transaction; registered by the record's owner (see PersonRecords), which audits it.
 */
export type PersonEmailWriter = (m: EntityManager, by: Pick<SessionUser, 'id' | 'role'>, personId: string, email: string) => Promise<void>;

export interface PendingEmailChange {
  email: string;
  expiresAt: Date;
}

/**
 * An account's email changes only when the link mailed to the new address is opened (issue 16,
 * item 2). Until then the old address signs in. On confirmation the account's address and, for a
 * person with a record, the record's address change together in one transaction, and the old
 * address is told.
 */
@Injectable()
export class EmailChangeService {
  private readonly writers = new Map<PersonKind, PersonEmailWriter>();

  constructor(
    private readonly audit: AuditService,
    private readonly unitOfWork: UnitOfWork,
    private readonly mail: MailService,
    private readonly homes: HomesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Called once by the owner of each kind of person record. */
  registerPersonRecord(kind: PersonKind, writer: PersonEmailWriter): void {
    this.writers.set(kind, writer);
  }

  /** A signed-in user asks to change their own address (`newEmail` is the form's field). */
  async requestOwn(actor: SessionUser, newEmail: string): Promise<PendingEmailChange> {
    return this.unitOfWork.transaction(async (m) => {
      const user = await m.findOneByOrFail(User, { id: actor.id });
      return this.request(m, actor, user, newEmail, 'newEmail');
    });
  }

  /**
   * Staff changed the address on a person's record, inside the owner's transaction. When the person
   * has an account the change waits for the new address to confirm it (true: the caller keeps the
   * record's old address); without one, the record simply changes (false).
   */
  async requestForPerson(m: EntityManager, actor: SessionUser, personKind: PersonKind, personId: string, newEmail: string | null): Promise<boolean> {
    const user = await m.findOneBy(User, { personKind, personId });
    if (!user) return false;
    if (!newEmail || !newEmail.trim()) throw new ValidationError({ email: { key: 'auth.accountNeedsEmail' } });
    // Bringing the record back in step with its account needs no confirmation.
    if (normaliseEmail(newEmail) === user.email) return false;
    await this.request(m, actor, user, newEmail, 'email');
    return true;
  }

  /** The change waiting for confirmation, if any. */
  async pendingFor(userId: string, m: EntityManager = this.unitOfWork.manager): Promise<PendingEmailChange | null> {
    const change = await m.findOne(EmailChange, { where: { userId, usedAt: IsNull(), expiresAt: MoreThan(new Date()) }, order: { createdAt: 'DESC' } });
    return change ? { email: change.newEmail, expiresAt: change.expiresAt } : null;
  }

  /** What the confirmation page shows, if the link can still be used; otherwise an error saying why. */
  async check(token: string): Promise<{ name: string; email: string; oldEmail: string }> {
    const { change, user } = await this.usable(this.unitOfWork.manager, token);
    return { name: user.displayName, email: change.newEmail, oldEmail: user.email };
  }

  /** Changes the address of the account and of the person's record together, audited; tells the old address. */
  async confirm(token: string, origin: RequestOrigin): Promise<{ email: string }> {
    return this.unitOfWork.transaction(async (m) => {
      const { change, user } = await this.usable(m, token);
      const claimed = await m.update(EmailChange, { id: change.id, usedAt: IsNull() }, { usedAt: new Date() });
      if (claimed.affected !== 1) throw new ValidationError({}, { key: 'auth.emailChangeUsed' });
      // Someone may have taken the address since the link was sent.
      if (await m.existsBy(User, { email: change.newEmail })) throw new ValidationError({}, { key: 'auth.emailTaken' });
      await m.update(User, { id: user.id }, { email: change.newEmail });
      await this.audit.record(m, {
        action: 'update', userId: user.id, role: user.role, entityType: 'user', entityId: user.id,
        changes: { email: { old: user.email, new: change.newEmail } }, ip: origin.ip, userAgent: origin.userAgent ?? null,
      });
      if (user.personKind && user.personId) {
        const writer = this.writers.get(user.personKind);
        if (!writer) throw new Error(`no owner registered for ${user.personKind} records`);
        await writer(m, user, user.personId, change.newEmail);
      }
      await this.mail.enqueue(m, {
        to: user.email, template: 'email_changed', locale: user.locale, homeId: await this.homeOf(m, user.id), by: user,
        params: { name: user.displayName, newEmail: change.newEmail },
      });
      return { email: change.newEmail };
    });
  }

  private async request(m: EntityManager, actor: SessionUser, user: User, newEmailInput: string, field: string): Promise<PendingEmailChange> {
    const email = normaliseEmail(newEmailInput);
    if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new ValidationError({ [field]: { key: 'validation.isEmail' } });
    if (email === user.email) throw new ValidationError({ [field]: { key: 'auth.emailUnchanged' } });
    if (await m.existsBy(User, { email })) throw new ValidationError({ [field]: { key: 'auth.emailTaken' } });
    // Only the newest request counts.
    await m.update(EmailChange, { userId: user.id, usedAt: IsNull() }, { expiresAt: new Date() });
    const token = newToken();
    const change = m.create(EmailChange, {
      userId: user.id, newEmail: email, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + EMAIL_CHANGE_VALID_HOURS * 3_600_000), usedAt: null, createdBy: actor.id,
    });
    await m.insert(EmailChange, change);
    const homeId = await this.homeOf(m, user.id);
    // The addresses stay out of the audit chain until the change happens (it cannot be erased).
    await this.audit.record(m, { action: 'create', userId: actor.id, role: actor.role, entityType: 'email_change', entityId: change.id, homeId, changes: { userId: { old: null, new: user.id } } });
    const home = await this.homes.mailFacts(homeId);
    await this.mail.enqueue(m, {
      to: email, template: 'email_change', locale: user.locale, homeId, by: actor,
      params: { name: user.displayName, newEmail: email, link: `${this.config.publicUrl}/email-change/${token}`, expires: formatDateTime(change.expiresAt, user.locale, home.timezone) },
    });
    return { email, expiresAt: change.expiresAt };
  }

  private async usable(m: EntityManager, token: string): Promise<{ change: EmailChange; user: User }> {
    if (!isTokenShaped(token)) throw new NotFoundError({ key: 'auth.emailChangeInvalid' });
    const change = await m.findOneBy(EmailChange, { tokenHash: hashToken(token) });
    if (!change) throw new NotFoundError({ key: 'auth.emailChangeInvalid' });
    if (change.usedAt) throw new ValidationError({}, { key: 'auth.emailChangeUsed' });
    if (change.expiresAt.getTime() <= Date.now()) throw new ValidationError({}, { key: 'auth.emailChangeExpired' });
    const user = await m.findOneBy(User, { id: change.userId });
    if (!user || user.disabledAt !== null) throw new NotFoundError({ key: 'auth.emailChangeInvalid' });
    return { change, user };
  }

  private async homeOf(m: EntityManager, userId: string): Promise<string | null> {
    return (await m.findOne(Membership, { where: { userId }, order: { createdAt: 'ASC' } }))?.homeId ?? null;
  }
}
