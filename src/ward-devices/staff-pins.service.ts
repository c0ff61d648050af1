import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthService, RequestOrigin } from '../auth/auth.service';
import { PasswordHasher } from '../auth/password-hasher';
import { can, rolesThat } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { ForbiddenError, TooManyRequestsError, ValidationError } from '../common/errors/domain-errors';
import { UnitOfWork } from '../database/unit-of-work';
import { StaffPin } from './entities/staff-pin.entity';
import { WardDevice } from './entities/ward-device.entity';
import { PinLockedError, WrongPinError } from './ward-errors';

/** Wrong PINs in a row that lock a carer's PIN until a manager unlocks it. */
export const MAX_PIN_FAILURES = 5;
/** Wrong PINs one tablet may send in the window, whoever they were for; then 429. */
export const MAX_DEVICE_FAILURES = 10;
export const DEVICE_WINDOW_MS = 15 * 60 * 1000;
/** A PIN session ends after this long without a request (a password session after 30 minutes). */
export const PIN_IDLE_TIMEOUT_MS = 5 * 60 * 1000;

export const PIN_PATTERN = /^\d{6}$/;

export interface Carer {
  id: string;
  displayName: string;
  locked: boolean;
}

export interface TabletDevice {
  id: string;
  homeId: string;
}

/** A PIN anyone would guess first: one digit six times, or a run up or down (123456, 987654). */
export function isTrivialPin(pin: string): boolean {
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => d - digits[i]));
  return steps.size === 1 && [0, 1, -1].includes([...steps][0]);
}

/** Carers' PINs: set on the account page, checked on an enrolled tablet, throttled per carer and per tablet. */
@Injectable()
export class StaffPinsService {
  constructor(
    @InjectRepository(StaffPin) private readonly pins: Repository<StaffPin>,
    private readonly auth: AuthService,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async hasPin(userId: string): Promise<boolean> {
    return this.pins.existsBy({ userId });
  }

  /** Sets (or changes) the user's PIN; needs their password. Hashed before the unit of work, like passwords. */
  async setPin(user: SessionUser, input: { pin: string; confirmPin: string; password: string }, origin: RequestOrigin): Promise<void> {
    if (!can(user, 'homeStaff')) throw new ForbiddenError({ key: 'ward.pinStaffOnly' });
    if (!PIN_PATTERN.test(input.pin)) throw new ValidationError({ pin: { key: 'ward.pinFormat' } });
    if (isTrivialPin(input.pin)) throw new ValidationError({ pin: { key: 'ward.pinTooSimple' } });
    if (input.pin !== input.confirmPin) throw new ValidationError({ confirmPin: { key: 'ward.pinMismatch' } });
    if (!(await this.auth.verifyPassword(user.id, input.password, origin))) {
      throw new ValidationError({ password: { key: 'auth.currentPasswordWrong' } });
    }
    const pinHash = await this.hasher.hash(input.pin);
    await this.unitOfWork.transaction(async (m) => {
      const existing = await m.findOneBy(StaffPin, { userId: user.id });
      // A lock stays: only a manager lifts it, even when the carer picks a new PIN.
      if (existing) await m.update(StaffPin, { id: existing.id }, { pinHash });
      else await m.insert(StaffPin, { userId: user.id, pinHash, failedAttempts: 0, lockedAt: null, lockedOnDeviceId: null });
      await this.audit.record(m, {
        action: existing ? 'update' : 'create', userId: user.id, role: user.role, entityType: 'staff_pin', entityId: user.id,
        changes: { pin: { old: existing ? '[redacted]' : null, new: '[changed]' } }, ip: origin.ip, userAgent: origin.userAgent ?? null,
      });
    });
  }

  /** The carers a tablet of this home shows: enabled staff members of the home who have a PIN, by name. */
  async carersOf(homeId: string): Promise<Carer[]> {
    const members = await this.auth.memberIdsWithRoles(this.pins.manager, homeId, [...rolesThat('homeStaff')]);
    const enabled = await this.auth.enabledIds(this.pins.manager, members);
    if (enabled.length === 0) return [];
    const pins = await this.pins.find({ select: { userId: true, lockedAt: true }, where: { userId: In(enabled) } });
    const names = await this.auth.displayNames(pins.map((p) => p.userId));
    return pins
      .map((p) => ({ id: p.userId, displayName: names.get(p.userId) ?? '', locked: p.lockedAt !== null }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName));
  }

  async carer(homeId: string, userId: string): Promise<Carer | undefined> {
    return (await this.carersOf(homeId)).find((c) => c.id === userId);
  }

  /**
   * Checks a PIN typed on an enrolled tablet. Order: the PIN's shape (422), the tablet's throttle
   * (429), the carer's lock (423), then argon2. A wrong PIN counts for the carer (five in a row lock
   * it) and for the tablet; a right one resets the carer's count. Audited either way, with the tablet.
   */
  async signIn(device: TabletDevice, userId: string, pin: string, origin: RequestOrigin): Promise<SessionUser> {
    if (typeof pin !== 'string' || !PIN_PATTERN.test(pin)) throw new ValidationError({ pin: { key: 'ward.pinFormat' } });
    const tablet = await this.pins.manager.findOneByOrFail(WardDevice, { id: device.id });
    const retryAfter = this.deviceRetryAfter(tablet);
    const originFields = { ip: origin.ip, userAgent: origin.userAgent ?? null, homeId: device.homeId };
    if (retryAfter > 0) {
      await this.audit.recordNow({ action: 'login_failed', entityType: 'ward_device', entityId: device.id, changes: this.pinChanges(device.id, 'throttled'), ...originFields });
      throw new TooManyRequestsError({ key: 'ward.deviceThrottled', params: { minutes: Math.ceil(retryAfter / 60) } }, retryAfter);
    }
    const carer = await this.carer(device.homeId, userId);
    const record = carer ? await this.pins.findOneBy({ userId }) : null;
    if (record?.lockedAt) {
      await this.audit.recordNow({ action: 'login_failed', userId, entityType: 'user', entityId: userId, changes: this.pinChanges(device.id, 'locked'), ...originFields });
      throw new PinLockedError();
    }
    const valid = record ? await this.hasher.verify(record.pinHash, pin) : await this.hasher.verifyDecoy(pin);
    if (!valid || !record) {
      const lockedNow = await this.unitOfWork.transaction(async (m) => {
        await this.countDeviceFailure(m, device.id);
        let locked = false;
        if (record) {
          await m.increment(StaffPin, { id: record.id }, 'failedAttempts', 1);
          const after = await m.findOneByOrFail(StaffPin, { id: record.id });
          locked = after.failedAttempts >= MAX_PIN_FAILURES;
          if (locked) await m.update(StaffPin, { id: record.id }, { lockedAt: new Date(), lockedOnDeviceId: device.id });
        }
        await this.audit.record(m, {
          action: 'login_failed', userId: record ? userId : null, entityType: 'user', entityId: record ? userId : null,
          changes: this.pinChanges(device.id, locked ? 'locked_now' : 'wrong_pin'), ...originFields,
        });
        return locked;
      });
      if (lockedNow) throw new PinLockedError();
      throw new WrongPinError({ key: 'ward.pinWrong' });
    }
    const user = await this.auth.findSessionUser(userId);
    if (!user) throw new WrongPinError({ key: 'ward.pinWrong' });
    await this.unitOfWork.transaction(async (m) => {
      await m.update(StaffPin, { id: record.id }, { failedAttempts: 0 });
      await this.audit.record(m, {
        action: 'login', userId, role: user.role, entityType: 'user', entityId: userId, changes: this.pinChanges(device.id), ...originFields,
      });
    });
    return user;
  }

  /** Seconds until this tablet may try a PIN again, or 0. */
  private deviceRetryAfter(tablet: WardDevice, now = Date.now()): number {
    if (!tablet.pinFailuresSince || tablet.pinFailures < MAX_DEVICE_FAILURES) return 0;
    const until = tablet.pinFailuresSince.getTime() + DEVICE_WINDOW_MS;
    return until > now ? Math.max(1, Math.ceil((until - now) / 1000)) : 0;
  }

  private async countDeviceFailure(m: Repository<StaffPin>['manager'], deviceId: string): Promise<void> {
    const tablet = await m.findOneByOrFail(WardDevice, { id: deviceId });
    const now = new Date();
    const windowOpen = tablet.pinFailuresSince !== null && now.getTime() - tablet.pinFailuresSince.getTime() < DEVICE_WINDOW_MS;
    if (windowOpen) await m.increment(WardDevice, { id: deviceId }, 'pinFailures', 1);
    else await m.update(WardDevice, { id: deviceId }, { pinFailures: 1, pinFailuresSince: now });
  }

  private pinChanges(deviceId: string, outcome?: string) {
    return {
      method: { old: null, new: 'pin' }, deviceId: { old: null, new: deviceId },
      ...(outcome ? { reason: { old: null, new: outcome } } : {}),
    };
  }
}
