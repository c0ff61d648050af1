import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { NotFoundError, TooManyRequestsError, ValidationError } from '../common/errors/domain-errors';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { MailService } from '../mail/mail.service';
import { AuthService, normaliseEmail, RequestOrigin } from './auth.service';
import { LoginThrottle } from './login-throttle';
import { PasswordReset } from './entities/password-reset.entity';
import { endSessionsOf } from './session/ended-sessions';
import { User } from './entities/user.entity';
import { hashToken, isTokenShaped, newToken } from './invitations.service';
import { PasswordHasher } from './password-hasher';

export const RESET_VALID_MINUTES = 30;
export const RESET_WINDOW_MS = 60 * 60 * 1000;
/** Requests allowed in an hour for one address (known or not) and for one client address. */
export const MAX_RESETS_PER_EMAIL = 3;
export const MAX_RESETS_PER_IP = 20;

/**
 * Password reset by email (issue 16, item 2). Asking always gets the same answer, whether the address
 * has an account or not; an enabled account with a password gets a single-use link, valid for 30
 * minutes, of which only the hash is kept. Requests are counted per address and per client address by the
 * sign-in throttle's locked counters (scopes `reset_mail`, `reset_ip`), so every app process sees them.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly auth: AuthService,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly unitOfWork: UnitOfWork,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly throttle: LoginThrottle,
  ) {}

  /** Asks for a reset link. Resolves the same way for every address; throws only when throttled (unknown addresses count too). */
  async request(emailInput: string, origin: RequestOrigin, now = new Date()): Promise<void> {
    const email = normaliseEmail(emailInput);
    await this.unitOfWork.transaction(async (m) => {
      const wait = await this.throttle.countWithin(m, [
        { scope: 'reset_mail', key: email, max: MAX_RESETS_PER_EMAIL }, { scope: 'reset_ip', key: origin.ip, max: MAX_RESETS_PER_IP },
      ], RESET_WINDOW_MS, now);
      if (wait > 0) throw new TooManyRequestsError({ key: 'auth.resetThrottled', params: { minutes: Math.max(1, Math.ceil(wait / 60)) } }, wait);

      const user = await m.findOneBy(User, { email });
      if (!user || user.disabledAt !== null || user.passwordHash === null) return;
      // Only the newest link works.
      await m.update(PasswordReset, { userId: user.id, usedAt: IsNull() }, { expiresAt: now });
      const token = newToken();
      const reset = m.create(PasswordReset, { userId: user.id, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + RESET_VALID_MINUTES * 60_000), usedAt: null });
      await m.insert(PasswordReset, reset);
      await this.audit.record(m, {
        action: 'create', userId: user.id, role: user.role, entityType: 'password_reset', entityId: reset.id,
        changes: { expiresAt: { old: null, new: reset.expiresAt.toISOString() } }, ip: origin.ip, userAgent: origin.userAgent ?? null,
      });
      await this.mail.enqueue(m, {
        to: user.email, template: 'password_reset', locale: user.locale, by: null,
        params: { name: user.displayName, link: `${this.config.publicUrl}/password/reset/${token}`, minutes: RESET_VALID_MINUTES },
      });
    });
  }

  /** The account a link resets, if the link can still be used; otherwise an error saying why. */
  async check(token: string): Promise<{ email: string }> {
    const { user } = await this.usable(this.unitOfWork.manager, token);
    return { email: user.email };
  }

  /** Sets the new password, uses up the link and ends every session of the account, audited, in one transaction. */
  async reset(token: string, password: string, confirm: string, origin: RequestOrigin): Promise<void> {
    const { user: found } = await this.usable(this.unitOfWork.manager, token);
    this.auth.checkNewPassword(password, confirm, found.email);
    // Hashed before the unit of work: every write would wait for argon2 otherwise.
    const passwordHash = await this.hasher.hash(password);
    await this.unitOfWork.transaction(async (m) => {
      const { reset, user } = await this.usable(m, token);
      // Claimed only if still unused: a second, simultaneous use fails and changes nothing.
      const claimed = await m.update(PasswordReset, { id: reset.id, usedAt: IsNull() }, { usedAt: new Date() });
      if (claimed.affected !== 1) throw new ValidationError({}, { key: 'auth.resetUsed' });
      await m.update(PasswordReset, { userId: user.id, usedAt: IsNull() }, { expiresAt: new Date() });
      await m.update(User, { id: user.id }, { passwordHash });
      await endSessionsOf(m, user.id, 'passwordChanged');
      await this.throttle.clearAccount(m, user.email);
      await this.audit.record(m, {
        action: 'update', userId: user.id, role: user.role, entityType: 'user', entityId: user.id,
        changes: { password: { old: '[redacted]', new: '[reset by email]' } }, ip: origin.ip, userAgent: origin.userAgent ?? null,
      });
    });
  }

  private async usable(m: EntityManager, token: string): Promise<{ reset: PasswordReset; user: User }> {
    if (!isTokenShaped(token)) throw new NotFoundError({ key: 'auth.resetInvalid' });
    const reset = await m.findOneBy(PasswordReset, { tokenHash: hashToken(token) });
    if (!reset) throw new NotFoundError({ key: 'auth.resetInvalid' });
    if (reset.usedAt) throw new ValidationError({}, { key: 'auth.resetUsed' });
    if (reset.expiresAt.getTime() <= Date.now()) throw new ValidationError({}, { key: 'auth.resetExpired' });
    const user = await m.findOneBy(User, { id: reset.userId });
    if (!user || user.disabledAt !== null || user.passwordHash === null) throw new NotFoundError({ key: 'auth.resetInvalid' });
    return { reset, user };
  }
}
