import { Inject, Injectable } from '@nestjs/common';
import { Secret, TOTP } from 'otpauth';
import type * as QRCode from 'qrcode';
import { EntityManager, In, IsNull, Not } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import type { SessionUser } from '../../common/access/session-user';
import { TooManyRequestsError, ValidationError } from '../../common/errors/domain-errors';
import { lazyModule } from '../../common/lazy-module';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { lockRow } from '../../database/row-lock';
import { UnitOfWork } from '../../database/unit-of-work';
import type { Role } from '../auth.enums';
import type { RequestOrigin } from '../auth.service';
import { MfaCredential } from './mfa-credential.entity';
import { MfaRecoveryCode } from './mfa-recovery-code.entity';
import { looksLikeRecoveryCode, MfaSecretBox, newRecoveryCode } from './mfa-secret-box';

export const RECOVERY_CODE_COUNT = 10;

/** qrcode loads with the first enrolment, not at start-up. */
const qrcode = lazyModule(() => require('qrcode') as typeof QRCode);

/** Wrong codes in a row before the account's MFA step is locked (the pending sign-in ends). */
export const MAX_MFA_FAILURES = 5;
export const MFA_LOCK_MS = 15 * 60_000;
const PERIOD_SECONDS = 30;
/** An enrolment not confirmed within this time gets a new secret. */
const ENROLMENT_TTL_MS = 30 * 60_000;
const ISSUER = 'Insieme';

/** The roles that must use MFA in production (SPEC: admins and managers see every record of their homes). */
// A group manager reads every home of their groups (docs/groups.md): the same bar as a manager.
export const MFA_REQUIRED_ROLES: readonly Role[] = ['admin', 'manager', 'group_manager'];

export interface Enrolment {
  /** For typing into the authenticator by hand, grouped by four. */
  secret: string;
  otpauthUri: string;
  /** The QR code as a data: URL (the CSP allows img-src data:). */
  qrCode: string;
}

export interface MfaStatus {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
}

/** An enrolment not yet confirmed, kept in the session: the secret sealed, and when it was made. */
export interface PendingEnrolment {
  sealed: string;
  startedAt: number;
}

export type MfaCheck = { ok: true; method: 'totp' | 'recovery' } | { ok: false; locked: boolean };

type Actor = Pick<SessionUser, 'id' | 'role'>;

/**
 * TOTP multi-factor authentication (issue 17 item 6; RFC 6238 by otpauth, 6 digits, 30 s, ±1 step):
 * enrolment confirmed by a code, one acceptance per time step (a replayed code fails), single-use
 * recovery codes, a lock after wrong codes in a row, and every step audited.
 */
@Injectable()
export class MfaService {
  private readonly box: MfaSecretBox;

  constructor(
    private readonly audit: AuditService,
    private readonly unitOfWork: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.box = new MfaSecretBox(config.sessionSecret);
  }

  /** Whether this role must have MFA before using the app (production only). */
  isRequiredFor(role: Role): boolean {
    return this.config.isProduction && MFA_REQUIRED_ROLES.includes(role);
  }

  /** Whether the account's code step is locked after too many wrong codes (the sign-in page says so at once). */
  async isLockedFor(userId: string): Promise<boolean> {
    const credential = await this.unitOfWork.manager.findOneBy(MfaCredential, { userId });
    return credential?.enabledAt ? this.isLocked(credential) : false;
  }

  async isEnabled(userId: string): Promise<boolean> {
    return this.unitOfWork.manager.exists(MfaCredential, { where: { userId, enabledAt: Not(IsNull()) } });
  }

  /** Of these accounts, those with MFA on (the accounts list shows it, never the secret). */
  async enabledAmong(userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await this.unitOfWork.manager.find(MfaCredential, { select: { userId: true, enabledAt: true }, where: { userId: In(userIds) } });
    return new Set(rows.filter((row) => row.enabledAt !== null).map((row) => row.userId));
  }

  async status(userId: string): Promise<MfaStatus> {
    const credential = await this.unitOfWork.manager.findOneBy(MfaCredential, { userId });
    const enabled = credential?.enabledAt != null;
    const recoveryCodesLeft = enabled ? await this.unitOfWork.manager.countBy(MfaRecoveryCode, { userId, usedAt: IsNull() }) : 0;
    return { enabled, enabledAt: credential?.enabledAt ?? null, recoveryCodesLeft };
  }

  /**
   * The secret to scan. Until a code from it is entered it lives only in the user's session (sealed), so
   * showing the page stores nothing; reloading it within 30 minutes keeps the same secret, so an app
   * that already scanned it stays right.
   */
  async startEnrolment(user: Pick<SessionUser, 'id' | 'email'>, pending?: PendingEnrolment): Promise<{ enrolment: Enrolment; pending: PendingEnrolment }> {
    if (await this.isEnabled(user.id)) throw new ValidationError({}, { key: 'mfa.alreadyOn' });
    const kept = pending && this.isFresh(pending) ? this.openOrNull(pending.sealed) : null;
    const secret = kept ?? new Secret({ size: 20 }).base32;
    const next = kept ? pending! : { sealed: this.box.seal(secret), startedAt: Date.now() };
    const otpauthUri = this.totp(secret, user.email).toString();
    const svg = await qrcode().toString(otpauthUri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    return {
      enrolment: { secret: secret.replace(/(.{4})/g, '$1 ').trim(), otpauthUri, qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` },
      pending: next,
    };
  }

  /** Switches MFA on with a right code from the enrolment's secret; returns the recovery codes, shown this once. */
  async confirmEnrolment(user: Actor, code: string, pending: PendingEnrolment | undefined, origin: RequestOrigin): Promise<string[]> {
    const secret = pending && this.isFresh(pending) ? this.openOrNull(pending.sealed) : null;
    if (!secret) throw new ValidationError({ code: { key: 'mfa.enrolmentExpired' } });
    const step = this.matchingStep(secret, code);
    if (step === null) throw new ValidationError({ code: { key: 'mfa.codeWrong' } });
    return this.unitOfWork.transaction(async (m) => {
      if (await m.existsBy(MfaCredential, { userId: user.id })) throw new ValidationError({}, { key: 'mfa.alreadyOn' });
      // The code just entered counts as used.
      await m.insert(MfaCredential, m.create(MfaCredential, { userId: user.id, secretSealed: pending!.sealed, enabledAt: new Date(), lastUsedStep: step, failedCount: 0, lastFailedAt: null }));
      const codes = await this.replaceRecoveryCodes(m, user.id);
      await this.audit.record(m, { action: 'mfa_enrol', userId: user.id, role: user.role, entityType: 'user', entityId: user.id, ...this.originFields(origin) });
      return codes;
    });
  }

  /**
   * Checks a code (6 digits from the authenticator, or a recovery code) for a user with MFA on. A right
   * code is taken once; wrong ones are counted and audited, and at MAX_MFA_FAILURES in a row the step is
   * locked for MFA_LOCK_MS (the caller ends the pending sign-in).
   */
  async check(user: Actor, code: string, origin: RequestOrigin): Promise<MfaCheck> {
    const enrolled = await this.unitOfWork.manager.findOneBy(MfaCredential, { userId: user.id });
    if (!enrolled?.enabledAt) return { ok: false, locked: false };
    // One transaction with the credential's row locked (the write queue on SQLite): codes sent at the
    // same moment take turns, so each reads the failures the others counted and none slips past the limit.
    return this.unitOfWork.transaction(async (m): Promise<MfaCheck> => {
      await lockRow(m, 'mfa_credential', enrolled.id);
      const credential = await m.findOneBy(MfaCredential, { id: enrolled.id });
      if (!credential?.enabledAt) return { ok: false, locked: false };
      if (this.isLocked(credential)) {
        await this.audit.record(m, { action: 'mfa_failed', userId: user.id, role: user.role, entityType: 'user', entityId: user.id, changes: { reason: { old: null, new: 'locked' } }, ...this.originFields(origin) });
        return { ok: false, locked: true };
      }
      if (looksLikeRecoveryCode(code)) {
        const used = await m.update(MfaRecoveryCode, { userId: user.id, codeHash: this.box.hashRecoveryCode(code), usedAt: IsNull() }, { usedAt: new Date() });
        if (used.affected) {
          await m.update(MfaCredential, { id: credential.id }, { failedCount: 0, lastFailedAt: null });
          await this.audit.record(m, { action: 'mfa_recovery_used', userId: user.id, role: user.role, entityType: 'user', entityId: user.id, ...this.originFields(origin) });
          return { ok: true, method: 'recovery' };
        }
        return this.recordFailure(m, user, credential, origin);
      }
      const secret = this.openOrNull(credential.secretSealed);
      const step = secret ? this.matchingStep(secret, code) : null;
      // A code of this step (or a later one) taken before is a replay: refused like a wrong code.
      if (step === null || (credential.lastUsedStep !== null && Number(credential.lastUsedStep) >= step)) return this.recordFailure(m, user, credential, origin);
      await m.update(MfaCredential, { id: credential.id }, { lastUsedStep: step, failedCount: 0, lastFailedAt: null });
      await this.audit.record(m, { action: 'mfa_verify', userId: user.id, role: user.role, entityType: 'user', entityId: user.id, ...this.originFields(origin) });
      return { ok: true, method: 'totp' };
    });
  }

  /** New recovery codes for a user with MFA on, after a right code; the old ones stop working. */
  async regenerateRecoveryCodes(user: Actor, code: string, origin: RequestOrigin): Promise<string[]> {
    await this.requireRightCode(user, code, origin);
    return this.unitOfWork.transaction(async (m) => {
      const codes = await this.replaceRecoveryCodes(m, user.id);
      await this.audit.record(m, { action: 'mfa_codes_renewed', userId: user.id, role: user.role, entityType: 'user', entityId: user.id, ...this.originFields(origin) });
      return codes;
    });
  }

  /** The user turns their own MFA off with a right code; not an admin or manager where it is required. */
  async disableOwn(user: Actor, code: string, origin: RequestOrigin): Promise<void> {
    if (this.isRequiredFor(user.role)) throw new ValidationError({}, { key: 'mfa.requiredForRole' });
    await this.requireRightCode(user, code, origin);
    await this.unitOfWork.transaction(async (m) => {
      await this.remove(m, user.id);
      await this.audit.record(m, { action: 'mfa_disable', userId: user.id, role: user.role, entityType: 'user', entityId: user.id, ...this.originFields(origin) });
    });
  }

  /**
   * Resets another user's MFA (a lost phone), inside the caller's transaction: the authenticator and the
   * recovery codes are removed; the user signs in with the password alone and, where MFA is required,
   * enrols again before anything else. Who may reset whom is AccountsService's rule.
   */
  async reset(m: EntityManager, actor: Actor, userId: string, homeId: string | null): Promise<boolean> {
    const had = await m.exists(MfaCredential, { where: { userId, enabledAt: Not(IsNull()) } });
    if (!had) return false;
    await this.remove(m, userId);
    await this.audit.record(m, { action: 'mfa_reset', userId: actor.id, role: actor.role, entityType: 'user', entityId: userId, homeId });
    return true;
  }

  private async requireRightCode(user: Actor, code: string, origin: RequestOrigin): Promise<void> {
    const result = await this.check(user, code, origin);
    if (result.ok) return;
    if (result.locked) throw new TooManyRequestsError({ key: 'mfa.locked', params: { minutes: MFA_LOCK_MS / 60_000 } }, MFA_LOCK_MS / 1000);
    throw new ValidationError({ code: { key: 'mfa.codeWrong' } });
  }

  private async recordFailure(m: EntityManager, user: Actor, credential: MfaCredential, origin: RequestOrigin): Promise<MfaCheck> {
    // Counting starts again once an earlier run of failures is older than the lock.
    const stale = credential.lastFailedAt !== null && Date.now() - credential.lastFailedAt.getTime() > MFA_LOCK_MS;
    const failedCount = (stale ? 0 : credential.failedCount) + 1;
    await m.update(MfaCredential, { id: credential.id }, { failedCount, lastFailedAt: new Date() });
    await this.audit.record(m, {
      action: 'mfa_failed', userId: user.id, role: user.role, entityType: 'user', entityId: user.id,
      changes: { failedCount: { old: null, new: failedCount } }, ...this.originFields(origin),
    });
    return { ok: false, locked: failedCount >= MAX_MFA_FAILURES };
  }

  private isFresh(pending: PendingEnrolment): boolean {
    return Date.now() - pending.startedAt < ENROLMENT_TTL_MS;
  }

  private isLocked(credential: MfaCredential): boolean {
    return credential.failedCount >= MAX_MFA_FAILURES && credential.lastFailedAt !== null && Date.now() - credential.lastFailedAt.getTime() <= MFA_LOCK_MS;
  }

  private async remove(m: EntityManager, userId: string): Promise<void> {
    await m.delete(MfaRecoveryCode, { userId });
    await m.delete(MfaCredential, { userId });
  }

  private async replaceRecoveryCodes(m: EntityManager, userId: string): Promise<string[]> {
    await m.delete(MfaRecoveryCode, { userId });
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => newRecoveryCode());
    await m.insert(MfaRecoveryCode, codes.map((code) => ({ userId, codeHash: this.box.hashRecoveryCode(code), usedAt: null })));
    return codes;
  }

  /** The time step a 6-digit code is right for (now, or one step either side for clock drift); null when none. */
  private matchingStep(secret: string, code: string): number | null {
    const token = code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(token)) return null;
    const now = Date.now();
    const delta = this.totp(secret, '').validate({ token, timestamp: now, window: 1 });
    if (delta === null) return null;
    return Math.floor(now / 1000 / PERIOD_SECONDS) + delta;
  }

  private totp(secret: string, label: string): TOTP {
    return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(secret) });
  }

  /** A secret sealed under another SESSION_SECRET cannot be read: treated as no secret (an admin resets it). */
  private openOrNull(sealed: string): string | null {
    try {
      return this.box.open(sealed);
    } catch {
      return null;
    }
  }

  private originFields(origin: RequestOrigin) {
    return { ip: origin.ip, userAgent: origin.userAgent ?? null };
  }
}
