import { deviceCookieValue, formatDeviceCookie, hashDeviceSecret, newDeviceSecret, parseDeviceCookie, secretMatches } from './device-cookie';

describe('device cookie', () => {
  const deviceId = '0b8a6f3e-2a4c-4d6e-8f00-112233445566';

  it('should read back the credential it wrote', () => {
    const secret = newDeviceSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(parseDeviceCookie(formatDeviceCookie({ deviceId, secret }))).toEqual({ deviceId, secret });
  });

  it('should refuse values that are not a device id and a 32-byte secret', () => {
    for (const sut of ['', 'abc', `${deviceId}`, `${deviceId}.short`, `not-a-uuid.${newDeviceSecret()}`, `${deviceId}.${newDeviceSecret()}x`]) {
      expect(parseDeviceCookie(sut)).toBeNull();
    }
  });

  it('should match a secret only against its own hash', () => {
    const secret = newDeviceSecret();
    expect(secretMatches(secret, hashDeviceSecret(secret))).toBe(true);
    expect(secretMatches(newDeviceSecret(), hashDeviceSecret(secret))).toBe(false);
    expect(secretMatches(secret, 'not-hex')).toBe(false);
  });

  it('should find the device cookie among others', () => {
    expect(deviceCookieValue({ headers: { cookie: 'insieme.sid=s%3Aabc; insieme.device=x.y; other=1' } })).toBe('x.y');
    expect(deviceCookieValue({ headers: { cookie: 'insieme.sid=abc' } })).toBeUndefined();
    expect(deviceCookieValue({ headers: {} })).toBeUndefined();
  });
});
