import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { readCookie } from '../common/http/cookies';

export const DEVICE_COOKIE = 'insieme.device';
/** As long as browsers keep a cookie (Chromium caps Max-Age at 400 days); a manager revokes sooner. */
export const DEVICE_COOKIE_MAX_AGE_MS = 365 * 24 * 60 * 60 * 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export interface DeviceCredential {
  deviceId: string;
  secret: string;
}

/** A new secret: 32 random bytes, base64url. */
export function newDeviceSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashDeviceSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashDeviceSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

export function formatDeviceCookie(credential: DeviceCredential): string {
  return `${credential.deviceId}.${credential.secret}`;
}

/** The raw cookie value from the request, or undefined without one. */
export function deviceCookieValue(req: Pick<Request, 'headers'>): string | undefined {
  return readCookie(req, DEVICE_COOKIE);
}

/** The credential a cookie value holds, or null when it is not one (a forged or mangled value). */
export function parseDeviceCookie(value: string): DeviceCredential | null {
  const dot = value.indexOf('.');
  if (dot < 0) return null;
  const deviceId = value.slice(0, dot);
  const secret = value.slice(dot + 1);
  if (!UUID.test(deviceId) || !SECRET.test(secret)) return null;
  return { deviceId: deviceId.toLowerCase(), secret };
}
