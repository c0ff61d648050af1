import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { In, IsNull, LessThan, Not, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { rolesThat } from '../common/access/access-policy';
import { findInHomes } from '../common/access/home-scope';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { clientIp } from '../common/http/session';
import { UnitOfWork } from '../database/unit-of-work';
import { HomesService } from '../homes/homes.service';
import {
  DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_MS, deviceCookieValue, formatDeviceCookie, hashDeviceSecret, newDeviceSecret, parseDeviceCookie, secretMatches,
} from './device-cookie';
import { StaffPin } from './entities/staff-pin.entity';
import { WardDevice } from './entities/ward-device.entity';
import type { Option, OptionGroup } from '../common/views/option-groups';

/** "Last seen" moves on at most this often, so a tablet's requests do not each cost a write. */
export const LAST_SEEN_EVERY_MS = 5 * 60 * 1000;

/** What the browser is told to forget when its device credential is refused (the tablet's data included). */
export const CLEAR_SITE_DATA = '"cache", "cookies", "storage"';

export interface DeviceRow {
  id: string;
  name: string;
  homeName: string;
  unitName: string;
  enrolledBy: string;
  enrolledAt: Date;
  lastSeenAt: Date | null;
  revokedAt: Date | null;
  active: boolean;
  isThisTablet: boolean;
}

export interface LockedCarer {
  userId: string;
  displayName: string;
  lockedAt: Date;
  deviceName: string | null;
}

/** Enrolled ward tablets: enrolment by a manager, the device cookie, last seen, revocation. */
@Injectable()
export class WardDevicesService {
  constructor(
    @InjectRepository(WardDevice) private readonly devices: Repository<WardDevice>,
    @InjectRepository(StaffPin) private readonly pins: Repository<StaffPin>,
    private readonly auth: AuthService,
    private readonly homes: HomesService,
    private readonly audit: AuditService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /** The units a manager may enrol a tablet for: their homes' active units, grouped by home where they have several. */
  async unitOptions(user: SessionUser): Promise<{ units: Option[]; unitGroups: OptionGroup[] | undefined }> {
    return this.homes.unitChoices(user.homeIds);
  }

  /** Enrols the browser the manager is using: the credential is set as a cookie on `res`. */
  async enrol(user: SessionUser, input: { name: string; unitId: string }, req: Request, res: Response): Promise<WardDevice> {
    const name = input.name.trim();
    if (name.length === 0 || name.length > 80) throw new ValidationError({ name: { key: 'ward.deviceNameLength' } });
    const places = await this.homes.places(user.homeIds);
    const unit = places.units.get(input.unitId);
    if (!unit || !unit.active) throw new ValidationError({ unitId: { key: 'ward.unitRequired' } });
    const secret = newDeviceSecret();
    const device = await this.unitOfWork.transaction(async (m) => {
      const created = m.create(WardDevice, {
        homeId: unit.homeId, unitId: unit.id, name, secretHash: hashDeviceSecret(secret), enrolledBy: user.id,
        lastSeenAt: new Date(), revokedAt: null, revokedBy: null, pinFailures: 0, pinFailuresSince: null,
      });
      await m.insert(WardDevice, created);
      // Enrolled again (another unit, a new name): the credential it held until now is retired with it,
      // so one browser is never two tablets on the list.
      const previous = req.wardDevice;
      if (previous && user.homeIds.includes(previous.homeId)) {
        const revokedAt = new Date();
        await m.update(WardDevice, { id: previous.id, revokedAt: IsNull() }, { revokedAt, revokedBy: user.id });
        await this.audit.record(m, {
          action: 'revoke', userId: user.id, role: user.role, entityType: 'ward_device', entityId: previous.id, homeId: previous.homeId,
          changes: { revokedAt: { old: null, new: revokedAt }, replacedBy: { old: null, new: created.id } }, ip: clientIp(req), userAgent: req.get('user-agent') ?? null,
        });
      }
      await this.audit.record(m, {
        action: 'create', userId: user.id, role: user.role, entityType: 'ward_device', entityId: created.id, homeId: unit.homeId,
        changes: { name: { old: null, new: name }, unitId: { old: null, new: unit.id } }, ip: clientIp(req), userAgent: req.get('user-agent') ?? null,
      });
      return created;
    });
    res.cookie(DEVICE_COOKIE, formatDeviceCookie({ deviceId: device.id, secret }), {
      httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: DEVICE_COOKIE_MAX_AGE_MS,
    });
    return device;
  }

  async list(user: SessionUser, thisDeviceId?: string): Promise<DeviceRow[]> {
    if (user.homeIds.length === 0) return [];
    const devices = await this.devices.find({ where: { homeId: In(user.homeIds) }, order: { revokedAt: 'DESC', createdAt: 'DESC' } });
    const [places, names] = await Promise.all([this.homes.places(user.homeIds), this.auth.displayNames(devices.map((d) => d.enrolledBy))]);
    return devices
      .map((d) => ({
        id: d.id, name: d.name, homeName: places.homes.get(d.homeId)?.name ?? '', unitName: places.units.get(d.unitId)?.name ?? '',
        enrolledBy: names.get(d.enrolledBy) ?? '', enrolledAt: d.createdAt, lastSeenAt: d.lastSeenAt, revokedAt: d.revokedAt,
        active: d.revokedAt === null, isThisTablet: d.id === thisDeviceId,
      }))
      .sort((a, b) => Number(b.active) - Number(a.active));
  }

  /** Revokes a tablet: its PINs are refused at once, and its next contact clears what it holds. */
  async revoke(user: SessionUser, deviceId: string, req: Request): Promise<WardDevice> {
    return this.unitOfWork.transaction(async (m) => {
      const device = await findInHomes(m, WardDevice, user, deviceId);
      if (device.revokedAt !== null) return device;
      const revokedAt = new Date();
      await m.update(WardDevice, { id: device.id }, { revokedAt, revokedBy: user.id });
      await this.audit.record(m, {
        action: 'revoke', userId: user.id, role: user.role, entityType: 'ward_device', entityId: device.id, homeId: device.homeId,
        changes: { revokedAt: { old: null, new: revokedAt } }, ip: clientIp(req), userAgent: req.get('user-agent') ?? null,
      });
      return { ...device, revokedAt };
    });
  }

  /** Carers of the manager's homes whose PIN is locked after five wrong tries. */
  async lockedCarers(user: SessionUser): Promise<LockedCarer[]> {
    const memberIds = await this.staffOf(user.homeIds);
    if (memberIds.length === 0) return [];
    const locked = await this.pins.find({ where: { userId: In(memberIds), lockedAt: Not(IsNull()) }, order: { lockedAt: 'ASC' } });
    if (locked.length === 0) return [];
    const deviceIds = locked.map((p) => p.lockedOnDeviceId).filter((id): id is string => id !== null);
    const [names, devices] = await Promise.all([
      this.auth.displayNames(locked.map((p) => p.userId)),
      deviceIds.length ? this.devices.find({ select: { id: true, name: true }, where: { id: In(deviceIds) } }) : Promise.resolve([]),
    ]);
    const deviceNames = new Map(devices.map((d) => [d.id, d.name]));
    return locked.map((p) => ({
      userId: p.userId, displayName: names.get(p.userId) ?? '', lockedAt: p.lockedAt!, deviceName: p.lockedOnDeviceId ? (deviceNames.get(p.lockedOnDeviceId) ?? null) : null,
    }));
  }

  /** A manager unlocks a carer's PIN (of one of their homes); audited. */
  async unlock(user: SessionUser, userId: string, req: Request): Promise<string> {
    const memberIds = await this.staffOf(user.homeIds);
    if (!memberIds.includes(userId)) throw new NotFoundError();
    const names = await this.auth.displayNames([userId]);
    await this.unitOfWork.transaction(async (m) => {
      const pin = await m.findOneBy(StaffPin, { userId });
      if (!pin) throw new NotFoundError();
      if (pin.lockedAt === null && pin.failedAttempts === 0) return;
      await m.update(StaffPin, { id: pin.id }, { lockedAt: null, failedAttempts: 0, lockedOnDeviceId: null });
      await this.audit.record(m, {
        action: 'unlock', userId: user.id, role: user.role, entityType: 'staff_pin', entityId: userId,
        changes: { lockedAt: { old: pin.lockedAt, new: null } }, ip: clientIp(req), userAgent: req.get('user-agent') ?? null,
      });
    });
    return names.get(userId) ?? '';
  }

  /**
   * Runs on every request that carries a device cookie (RequestContextMiddleware): one lookup by
   * primary key. A valid credential sets `req.wardDevice` (and moves "last seen" every few minutes);
   * a forged or revoked one is audited, and the browser is told to forget the cookie and everything
   * the tablet stored (Clear-Site-Data).
   */
  async resolve(req: Request, res: Response): Promise<void> {
    const value = deviceCookieValue(req);
    if (value === undefined) return;
    const credential = parseDeviceCookie(value);
    const device = credential ? await this.devices.findOneBy({ id: credential.deviceId }) : null;
    const valid = credential !== null && device !== null && secretMatches(credential.secret, device.secretHash);
    if (valid && device.revokedAt === null) {
      req.wardDevice = { id: device.id, homeId: device.homeId, unitId: device.unitId, name: device.name };
      if (device.lastSeenAt === null || Date.now() - device.lastSeenAt.getTime() > LAST_SEEN_EVERY_MS) await this.touch(device.id);
      return;
    }
    req.wardDeviceRefused = valid ? 'revoked' : 'forged';
    res.setHeader('Clear-Site-Data', CLEAR_SITE_DATA);
    res.clearCookie(DEVICE_COOKIE, { path: '/' });
    await this.audit.recordNow({
      action: 'access_denied', entityType: 'ward_device', entityId: valid ? device.id : null, homeId: valid ? device.homeId : null,
      changes: { deviceCredential: { old: null, new: req.wardDeviceRefused } }, ip: clientIp(req), userAgent: req.get('user-agent') ?? null,
    });
  }

  private async touch(deviceId: string): Promise<void> {
    const now = new Date();
    await this.unitOfWork.transaction((m) =>
      m.update(WardDevice, { id: deviceId, lastSeenAt: LessThan(new Date(now.getTime() - LAST_SEEN_EVERY_MS)) }, { lastSeenAt: now }).then(async (result) => {
        // A first contact has no "last seen" yet.
        if (!result.affected) await m.update(WardDevice, { id: deviceId, lastSeenAt: IsNull() }, { lastSeenAt: now });
      }),
    );
  }

  /** Staff accounts (who may hold a PIN) that are members of these homes. */
  private async staffOf(homeIds: string[]): Promise<string[]> {
    const ids = new Set<string>();
    for (const homeId of homeIds) {
      for (const id of await this.auth.memberIdsWithRoles(this.devices.manager, homeId, [...rolesThat('homeStaff')])) ids.add(id);
    }
    return [...ids];
  }
}
