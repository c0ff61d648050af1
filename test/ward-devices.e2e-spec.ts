import { createHash, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import type { FindOptionsWhere } from 'typeorm';
import { Participation } from '../src/activities/entities/participation.entity';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { SessionRecord } from '../src/auth/entities/session.entity';
import { translate } from '../src/common/i18n/i18n';
import { HomesService } from '../src/homes/homes.service';
import { StaffPin } from '../src/ward-devices/entities/staff-pin.entity';
import { WardDevice } from '../src/ward-devices/entities/ward-device.entity';
import { MAX_DEVICE_FAILURES } from '../src/ward-devices/staff-pins.service';
import { createActivity } from './support/activity-factories';
import { hostileText, SCRIPT_MARKERS } from './support/bad-input';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, csrfFrom, formToken, signIn } from './support/http';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';

const PIN = '482915';
const OTHER_PIN = '739164';

describe('Ward tablets: enrolment, carers\' PINs, PIN sessions (issue 15, item 4)', () => {
  let t: TestApp;
  let homeId: string;
  let unitId: string;
  let otherHomeId: string;
  let otherUnitId: string;
  let manager: TestUser;

  /** Signs a manager in on a fresh client, enrols it as a tablet, signs the manager out: the client is now the tablet. */
  async function enrolTablet(as: TestUser = manager, unit = unitId, name = `Tablet ${randomUUID().slice(0, 6)}`): Promise<{ tablet: Agent; deviceId: string; cookie: string }> {
    const agent = await signIn(t, as.email, as.password);
    const token = await formToken(agent, '/devices');
    const res = await agent.post('/devices').type('form').send({ _csrf: token, name, unitId: unit }).expect(303);
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('insieme.device='));
    if (!setCookie) throw new Error('No device cookie set');
    const cookie = setCookie.split(';')[0];
    const logout = await formToken(agent, '/devices');
    await agent.post('/logout').type('form').send({ _csrf: logout }).expect(303);
    return { tablet: agent, deviceId: cookie.slice('insieme.device='.length).split('.')[0], cookie };
  }

  async function carerWithPin(home = homeId, pin = PIN, role: TestUser['role'] = 'carer'): Promise<TestUser> {
    const user = await createUser(t, { role, homeIds: [home], displayName: `Carer ${randomUUID().slice(0, 6)}` });
    const agent = await signIn(t, user.email, user.password);
    const token = await formToken(agent, '/account');
    await agent.post('/account/pin').type('form').send({ _csrf: token, pin, confirmPin: pin, password: user.password }).expect(303);
    return user;
  }

  async function pinPage(tablet: Agent, userId: string, pin: string, status: number, next?: string) {
    const token = csrfFrom((await tablet.get(`/ward/pin/${userId}`).expect(200)).text);
    return tablet.post(`/ward/pin/${userId}`).type('form').send({ _csrf: token, pin, ...(next ? { next } : {}) }).expect(status);
  }

  async function apiPin(tablet: Agent, userId: string, pin: string, status: number) {
    const token = csrfFrom((await tablet.get('/ward').expect(200)).text);
    return tablet.post('/api/ward/pin').set('X-CSRF-Token', token).send({ userId, pin }).expect(status);
  }

  const audits = (where: FindOptionsWhere<AuditEntry>) => t.dataSource.getRepository(AuditEntry).find({ where, order: { seq: 'ASC' } });

  beforeAll(async () => {
    t = await createTestApp();
    homeId = (await createHome(t)).id;
    unitId = (await t.get(HomesService).addUnit(null, homeId, { unitName: 'Nucleo Glicine' })).id;
    otherHomeId = (await createHome(t)).id;
    otherUnitId = (await t.get(HomesService).addUnit(null, otherHomeId, { unitName: 'Nucleo Rosa' })).id;
    manager = await createUser(t, { role: 'manager', homeIds: [homeId], displayName: 'Manager Bianchi' });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  describe('enrolment', () => {
    it('should retire the credential a browser held when it is enrolled again, so it is never two tablets', async () => {
      const agent = await signIn(t, manager.email, manager.password);
      const enrol = async (name: string) => {
        const token = await formToken(agent, '/devices');
        const res = await agent.post('/devices').type('form').send({ _csrf: token, name, unitId }).expect(303);
        return ([] as string[]).concat(res.headers['set-cookie']).find((c) => c.startsWith('insieme.device='))!.split(';')[0].split('=')[1].split('.')[0];
      };
      const first = await enrol('Lounge tablet');
      const second = await enrol('Lounge tablet, Glicine');
      const devices = t.dataSource.getRepository(WardDevice);
      expect((await devices.findOneByOrFail({ id: first })).revokedAt).not.toBeNull();
      expect((await devices.findOneByOrFail({ id: second })).revokedAt).toBeNull();
      expect(await audits({ entityType: 'ward_device', entityId: first, action: 'revoke' })).toHaveLength(1);
      // The browser goes on as the new tablet, with nothing cleared.
      const page = await agent.get('/devices').expect(200);
      expect(page.headers['clear-site-data']).toBeUndefined();
    });

    it('should store only a hash of the secret, set an httpOnly SameSite=Lax long-lived cookie, and audit it', async () => {
      const agent = await signIn(t, manager.email, manager.password);
      const token = await formToken(agent, '/devices');
      const res = await agent.post('/devices').type('form').send({ _csrf: token, name: 'Garden tablet', unitId }).expect(303);
      const setCookie = ([] as string[]).concat(res.headers['set-cookie']).find((c) => c.startsWith('insieme.device='))!;
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);
      expect(Number(/Max-Age=(\d+)/.exec(setCookie)?.[1])).toBeGreaterThan(300 * 24 * 3600);
      const [deviceId, secret] = setCookie.split(';')[0].slice('insieme.device='.length).split('.');
      expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
      const device = await t.dataSource.getRepository(WardDevice).findOneByOrFail({ id: deviceId });
      expect(device).toMatchObject({ homeId, unitId, name: 'Garden tablet', enrolledBy: manager.id, revokedAt: null });
      expect(device.secretHash).toBe(createHash('sha256').update(secret).digest('hex'));
      expect(JSON.stringify(device)).not.toContain(secret);
      expect((await audits({ entityType: 'ward_device', entityId: deviceId })).map((e) => [e.action, e.userId])).toEqual([['create', manager.id]]);

      const page = await agent.get('/devices').expect(200);
      expect(page.text).toContain('Garden tablet');
      expect(page.text).toContain('Nucleo Glicine');
      expect(page.text).toContain('Manager Bianchi');
      expect(page.text).toContain(translate('en', 'ward.thisTablet'));
      // The page is in the manager's menu, and the enrolled browser says so on <html>.
      expect(page.text).toContain('href="/devices"');
      expect(page.text).toContain('data-ward-device="1"');
    });

    it('should refuse a unit of another home and a missing name, with the errors beside the fields', async () => {
      const agent = await signIn(t, manager.email, manager.password);
      const token = await formToken(agent, '/devices');
      const res = await agent.post('/devices').type('form').send({ _csrf: token, name: 'Stolen unit', unitId: otherUnitId }).expect(422);
      expect(res.text).toContain(translate('en', 'ward.unitRequired'));
      expect(res.text).toContain('value="Stolen unit"');
      expect(res.headers['set-cookie']?.toString() ?? '').not.toContain('insieme.device=');
      const empty = await agent.post('/devices').type('form').send({ _csrf: token, name: '', unitId }).expect(422);
      expect(empty.text).toContain('id="error-name"');
    });

    it('should refuse the page to coordinators and carers', async () => {
      for (const role of ['coordinator', 'carer'] as const) {
        const agent = await signIn(t, (await createUser(t, { role, homeIds: [homeId] })).email, 'correct horse battery staple');
        await agent.get('/devices').expect(403);
      }
    });

    it('should move "last seen" at most every five minutes, not on every request', async () => {
      const { tablet, deviceId } = await enrolTablet();
      const repo = t.dataSource.getRepository(WardDevice);
      const twoMinutesAgo = new Date(Date.now() - 2 * 60 * 1000);
      await repo.update({ id: deviceId }, { lastSeenAt: twoMinutesAgo });
      await tablet.get('/ward').expect(200);
      expect((await repo.findOneByOrFail({ id: deviceId })).lastSeenAt!.getTime()).toBe(twoMinutesAgo.getTime());
      await repo.update({ id: deviceId }, { lastSeenAt: new Date(Date.now() - 10 * 60 * 1000) });
      await tablet.get('/ward').expect(200);
      expect((await repo.findOneByOrFail({ id: deviceId })).lastSeenAt!.getTime()).toBeGreaterThan(Date.now() - 60 * 1000);
    });
  });

  describe('device credential', () => {
    it('should answer 401 to a forged cookie, audit it and tell the browser to clear its data', async () => {
      const { deviceId } = await enrolTablet();
      const forged = `insieme.device=${deviceId}.${Buffer.alloc(32, 7).toString('base64url')}`;
      const before = (await audits({ action: 'access_denied', entityType: 'ward_device' })).length;
      const page = await request(t.server).get('/ward').set('Cookie', forged).expect(401);
      expect(page.headers['clear-site-data']).toBe('"cache", "cookies", "storage"');
      expect(page.text).toContain(translate('en', 'ward.deviceRefused'));
      await request(t.server).get('/api/ward/carers').set('Cookie', forged).expect(401);
      await request(t.server).get('/ward').set('Cookie', 'insieme.device=garbage').expect(401);
      const denied = await audits({ action: 'access_denied', entityType: 'ward_device' });
      expect(denied.slice(before).map((e) => e.changes?.deviceCredential?.new)).toEqual(['forged', 'forged', 'forged']);
    });

    it('should answer 401 without a device cookie, for the picker and the API', async () => {
      const page = await request(t.server).get('/ward').expect(401);
      expect(page.text).toContain(translate('en', 'ward.notEnrolled'));
      expect(page.headers['clear-site-data']).toBeUndefined();
      const api = await request(t.server).get('/api/ward/carers').expect(401);
      expect(api.body.message).toBe(translate('en', 'ward.notEnrolled'));
    });

    it('should refuse a revoked tablet at once: its PIN session ends, its PINs fail, and it is told to clear its data', async () => {
      const carer = await carerWithPin();
      const { tablet, deviceId, cookie } = await enrolTablet();
      await apiPin(tablet, carer.id, PIN, 200);
      await tablet.get('/today').expect(200);

      const agent = await signIn(t, manager.email, manager.password);
      const token = await formToken(agent, '/devices');
      await agent.post(`/devices/${deviceId}/revoke`).type('form').send({ _csrf: token }).expect(303);
      expect((await audits({ action: 'revoke', entityId: deviceId })).map((e) => e.userId)).toEqual([manager.id]);
      expect((await agent.get('/devices').expect(200)).text).toContain(translate('en', 'ward.revokedOn', { date: '' }).trim());

      const next = await tablet.get('/today');
      expect(next.status).toBe(303);
      expect(next.headers.location).toMatch(/^\/login/);
      expect(next.headers['clear-site-data']).toBe('"cache", "cookies", "storage"');
      const denied = await audits({ action: 'access_denied', entityId: deviceId });
      expect(denied.map((e) => e.changes?.deviceCredential?.new)).toEqual(['revoked']);
      // A tablet that kept the cookie anyway is refused its picker and PINs.
      const replay = await request(t.server).get('/ward').set('Cookie', cookie).expect(401);
      expect(replay.text).toContain(translate('en', 'ward.deviceRefused'));
      await request(t.server).post('/api/ward/pin').set('Cookie', cookie).send({ userId: carer.id, pin: PIN }).expect(403);
    });

    it('should not let a manager revoke another home\'s tablet', async () => {
      const otherManager = await createUser(t, { role: 'manager', homeIds: [otherHomeId] });
      const { deviceId } = await enrolTablet(otherManager, otherUnitId);
      const agent = await signIn(t, manager.email, manager.password);
      const token = await formToken(agent, '/devices');
      await agent.post(`/devices/${deviceId}/revoke`).type('form').send({ _csrf: token }).expect(404);
      expect((await t.dataSource.getRepository(WardDevice).findOneByOrFail({ id: deviceId })).revokedAt).toBeNull();
    });
  });

  describe('setting a PIN on the account page', () => {
    let carer: TestUser;
    let agent: Agent;
    beforeAll(async () => {
      carer = await createUser(t, { role: 'carer', homeIds: [homeId] });
      agent = await signIn(t, carer.email, carer.password);
    });

    async function submit(fields: Record<string, string>, status: number) {
      const token = await formToken(agent, '/account');
      return agent.post('/account/pin').type('form').send({ _csrf: token, password: carer.password, ...fields }).expect(status);
    }

    it('should show a field error beside the field, with the input kept, for a wrong length or a non-digit', async () => {
      for (const pin of ['12345', '1234567', '12a456']) {
        const res = await submit({ pin, confirmPin: pin }, 422);
        expect(res.text).toContain(`id="error-pin">${translate('en', 'ward.pinFormat')}`);
        expect(res.text).toContain(`value="${pin}"`);
      }
      expect((await submit({ pin: '111111', confirmPin: '111111' }, 422)).text).toContain(translate('en', 'ward.pinTooSimple'));
      expect((await submit({ pin: PIN, confirmPin: OTHER_PIN }, 422)).text).toContain(translate('en', 'ward.pinMismatch'));
      const wrongPassword = await submit({ pin: PIN, confirmPin: PIN, password: 'not my password at all' }, 422);
      expect(wrongPassword.text).toContain('id="error-password"');
      expect(await t.dataSource.getRepository(StaffPin).countBy({ userId: carer.id })).toBe(0);
    });

    it('should store an argon2id hash and audit the change without the PIN', async () => {
      await submit({ pin: PIN, confirmPin: PIN }, 303);
      const stored = await t.dataSource.getRepository(StaffPin).findOneByOrFail({ userId: carer.id });
      expect(stored.pinHash).toMatch(/^\$argon2id\$/);
      const entries = await audits({ entityType: 'staff_pin', entityId: carer.id });
      expect(entries.map((e) => e.action)).toEqual(['create']);
      expect(JSON.stringify(entries)).not.toContain(PIN);
    });

    it('should not offer or accept a PIN for relatives and volunteers', async () => {
      const family = await createUser(t, { role: 'family', homeIds: [homeId] });
      const familyAgent = await signIn(t, family.email, family.password);
      expect((await familyAgent.get('/account').expect(200)).text).not.toContain('action="/account/pin"');
      const token = await formToken(familyAgent, '/account');
      await familyAgent.post('/account/pin').type('form').send({ _csrf: token, pin: PIN, confirmPin: PIN, password: family.password }).expect(403);
    });
  });

  describe('switching carer with a PIN', () => {
    it('should list the home\'s enabled staff with a PIN on the picker, and sign the carer in to Today of the tablet\'s unit', async () => {
      const carer = await carerWithPin();
      const noPin = await createUser(t, { role: 'carer', homeIds: [homeId], displayName: 'No Pin Yet' });
      const elsewhere = await carerWithPin(otherHomeId);
      const { tablet, deviceId } = await enrolTablet();
      const picker = await tablet.get('/ward').expect(200);
      expect(picker.text).toContain(`href="/ward/pin/${carer.id}"`);
      expect(picker.text).not.toContain(noPin.id);
      expect(picker.text).not.toContain(elsewhere.id);

      const res = await pinPage(tablet, carer.id, PIN, 303);
      expect(res.headers.location).toBe(`/today?unitId=${unitId}`);
      const today = await tablet.get(res.headers.location).expect(200);
      expect(today.text).toContain('data-pin-session="1"');
      expect(today.text).toContain('action="/ward/lock"');
      const login = (await audits({ action: 'login', userId: carer.id })).pop()!;
      expect(login.changes).toMatchObject({ method: { new: 'pin' }, deviceId: { new: deviceId } });
    });

    it('should follow a safe next path only', async () => {
      const carer = await carerWithPin();
      const { tablet } = await enrolTablet();
      expect((await pinPage(tablet, carer.id, PIN, 303, '/activities/abc/log')).headers.location).toBe('/activities/abc/log');
      const { tablet: second } = await enrolTablet();
      expect((await pinPage(second, carer.id, PIN, 303, '//evil.example')).headers.location).toBe(`/today?unitId=${unitId}`);
      // Sent to sign in from a page, the tablet offers the PIN, and the picker carries the page on.
      const { tablet: third } = await enrolTablet();
      const login = await third.get('/login?next=%2Factivities%2Fabc%2Flog').expect(200);
      expect(login.text).toContain('action="/ward"');
      expect(login.text).toContain('name="next" value="/activities/abc/log"');
      const picker = await third.get('/ward?next=%2Factivities%2Fabc%2Flog').expect(200);
      // (Handlebars writes "=" as &#x3D; in attributes; the browser reads it back.)
      expect(picker.text).toContain(`href="/ward/pin/${carer.id}?next&#x3D;%2Factivities%2Fabc%2Flog"`);
      expect((await request(t.server).get('/login?next=%2Ftoday').expect(200)).text).not.toContain('action="/ward"');
    });

    it('should show a wrong length as a field error with the input kept (page), and 422 naming pin (API)', async () => {
      const carer = await carerWithPin();
      const { tablet } = await enrolTablet();
      const page = await pinPage(tablet, carer.id, '4829', 422);
      expect(page.text).toContain(`id="error-pin">${translate('en', 'ward.pinFormat')}`);
      expect(page.text).toContain('value="4829"');
      const api = await apiPin(tablet, carer.id, '48291', 422);
      expect(Object.keys(api.body.fields)).toEqual(['pin']);
      // A wrong PIN: the field comes back empty, with the error beside it.
      const wrong = await pinPage(tablet, carer.id, OTHER_PIN, 422);
      expect(wrong.text).toContain(translate('en', 'ward.pinWrong'));
      expect(wrong.text).not.toContain(OTHER_PIN);
    });

    it('should lock the PIN after 5 wrong ones in a row until a manager unlocks it (audited)', async () => {
      const carer = await carerWithPin();
      const { tablet, deviceId } = await enrolTablet();
      await apiPin(tablet, carer.id, OTHER_PIN, 401);
      await apiPin(tablet, carer.id, PIN, 200); // a right one resets the count
      await tablet.post('/ward/lock').type('form').send({ _csrf: await formToken(tablet, '/today') }).expect(303);
      for (let i = 0; i < 4; i += 1) await apiPin(tablet, carer.id, OTHER_PIN, 401);
      const fifth = await apiPin(tablet, carer.id, OTHER_PIN, 423);
      expect(fifth.body.message).toBe(translate('en', 'ward.pinLocked'));
      await apiPin(tablet, carer.id, PIN, 423);
      const page = await tablet.get(`/ward/pin/${carer.id}`).expect(200);
      expect(page.text).toContain(translate('en', 'ward.pinLocked'));
      expect(page.text).not.toContain('name="pin"');

      const agent = await signIn(t, manager.email, manager.password);
      const list = await agent.get('/devices').expect(200);
      expect(list.text).toContain(`action="/devices/pins/${carer.id}/unlock"`);
      const token = csrfFrom(list.text);
      await agent.post(`/devices/pins/${carer.id}/unlock`).type('form').send({ _csrf: token }).expect(303);
      expect((await audits({ action: 'unlock', entityId: carer.id })).map((e) => e.userId)).toEqual([manager.id]);
      const failed = await audits({ action: 'login_failed', userId: carer.id });
      expect(failed.map((e) => e.changes?.reason?.new)).toEqual(['wrong_pin', 'wrong_pin', 'wrong_pin', 'wrong_pin', 'wrong_pin', 'locked_now', 'locked']);
      expect(failed.every((e) => e.changes?.deviceId?.new === deviceId)).toBe(true);
      await apiPin(tablet, carer.id, PIN, 200);
    });

    it('should throttle a tablet after too many wrong PINs, whoever they were for (429 with Retry-After)', async () => {
      const { tablet } = await enrolTablet();
      for (let i = 0; i < MAX_DEVICE_FAILURES; i += 1) await apiPin(tablet, randomUUID(), OTHER_PIN, 401);
      const carer = await carerWithPin();
      const res = await apiPin(tablet, carer.id, PIN, 429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('should refuse a PIN without a device cookie, and from another home\'s tablet', async () => {
      const carer = await carerWithPin();
      const bare = request.agent(t.server);
      const token = await formToken(bare, '/login');
      await bare.post('/api/ward/pin').set('X-CSRF-Token', token).send({ userId: carer.id, pin: PIN }).expect(401);
      const otherManager = await createUser(t, { role: 'manager', homeIds: [otherHomeId] });
      const { tablet } = await enrolTablet(otherManager, otherUnitId);
      await apiPin(tablet, carer.id, PIN, 401);
      await tablet.get(`/ward/pin/${carer.id}`).expect(404);
      // Full sign-in still works on the tablet.
      const password = await formToken(tablet, '/login');
      await tablet.post('/login').type('form').send({ _csrf: password, email: carer.email, password: carer.password }).expect(303);
      await tablet.get('/account').expect(200);
    });

    it('should keep a PIN session to ward routes: other pages answer 403 saying to sign in with a password', async () => {
      const carer = await carerWithPin();
      const { tablet } = await enrolTablet();
      const resident = await createResident(t, homeId);
      const activity = await createActivity(t, homeId, { residentIds: [resident.id] });
      await apiPin(tablet, carer.id, PIN, 200);
      const today = await tablet.get('/today').expect(200);
      // The menu offers only what a PIN session may open.
      expect(today.text).toContain('href="/today"');
      for (const href of ['/residents', '/calendar', '/account', '/notifications']) expect(today.text).not.toContain(`href="${href}"`);
      await tablet.get(`/activities/${activity.id}/log`).expect(200);
      for (const path of ['/account', '/residents', `/residents/${resident.id}`, '/families', '/calendar']) {
        const res = await tablet.get(path).expect(403);
        expect(res.text).toContain(translate('en', 'ward.passwordNeeded'));
      }
      await tablet.get('/api/residents').expect(403);
    });

    it('should end an idle PIN session after 5 minutes on the server, while a password session keeps 30', async () => {
      const carer = await carerWithPin();
      const { tablet } = await enrolTablet();
      await apiPin(tablet, carer.id, PIN, 200);
      await tablet.get('/today').expect(200);
      const passwordAgent = await signIn(t, carer.email, carer.password);
      await passwordAgent.get('/today').expect(200);
      const sessions = await t.dataSource.getRepository(SessionRecord).findBy({ userId: carer.id });
      const pinRow = sessions.find((s) => JSON.parse(s.data).signedInBy === 'pin')!;
      expect(pinRow.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(5 * 60 * 1000);
      const now = Date.now();
      const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 6 * 60 * 1000);
      try {
        const idle = await tablet.get('/today');
        expect(idle.status).toBe(303);
        expect(idle.headers.location).toMatch(/^\/login/);
        await passwordAgent.get('/today').expect(200);
      } finally {
        clock.mockRestore();
      }
    });

    it('should record the carer, never the tablet, for a log saved in a PIN session', async () => {
      const carer = await carerWithPin();
      const { tablet, deviceId } = await enrolTablet();
      const resident = await createResident(t, homeId);
      const activity = await createActivity(t, homeId, { residentIds: [resident.id] });
      const signedIn = await apiPin(tablet, carer.id, PIN, 200);
      expect(signedIn.body.user).toEqual({ id: carer.id, displayName: expect.any(String), role: 'carer' });
      await tablet.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', signedIn.body.csrfToken).set('Idempotency-Key', randomUUID())
        .send({ entries: [{ residentId: resident.id, engagement: 'active' }] }).expect(200);
      const row = await t.dataSource.getRepository(Participation).findOneByOrFail({ activityId: activity.id, residentId: resident.id });
      expect(row.recordedBy).toBe(carer.id);
      const entries = await audits({ entityType: 'participation', entityId: activity.id });
      expect(entries.map((e) => [e.action, e.userId, e.role])).toEqual([['create', carer.id, 'carer']]);
      expect(JSON.stringify(entries)).not.toContain(deviceId);
    });

    it('should lock back to the picker: the session ends and a sign-out is audited', async () => {
      const carer = await carerWithPin();
      const { tablet } = await enrolTablet();
      await apiPin(tablet, carer.id, PIN, 200);
      const token = await formToken(tablet, '/today');
      const res = await tablet.post('/ward/lock').type('form').send({ _csrf: token }).expect(303);
      expect(res.headers.location).toBe('/ward');
      expect((await tablet.get('/today')).status).toBe(303);
      expect((await audits({ action: 'logout', userId: carer.id })).length).toBe(1);
    });
  });

  describe('hostile input on an enrolled tablet', () => {
    it('should answer any PIN, carer id and next a visitor can send without a server error, escaping what comes back', async () => {
      const { tablet } = await enrolTablet();
      const carer = await carerWithPin();
      const text = fc.oneof(hostileText, fc.string({ maxLength: 12 }), fc.stringMatching(/^\d{0,8}$/));
      const userId = fc.oneof(fc.constant(carer.id), fc.uuid(), fc.constant('x'.repeat(300)), fc.constant('%00'), fc.constant('..%2f..%2fadmin'));
      let token = csrfFrom((await tablet.get('/ward').expect(200)).text);
      await fc.assert(
        fc.asyncProperty(userId, text, text, fc.boolean(), async (id, pin, next, api) => {
          const res = api
            ? await tablet.post('/api/ward/pin').set('X-CSRF-Token', token).send({ userId: id, pin, next })
            : await tablet.post(`/ward/pin/${encodeURIComponent(id)}`).type('form').send({ _csrf: token, pin, next });
          expect([200, 303, 400, 401, 403, 404, 422, 423, 429]).toContain(res.status);
          if (api && res.status >= 400) expect(res.body).toEqual(expect.objectContaining({ statusCode: res.status, message: expect.any(String) }));
          if (!api) for (const marker of SCRIPT_MARKERS) expect(res.text ?? '').not.toContain(marker);
          if (res.status === 303) expect(String(res.headers.location)).toMatch(/^\/(?!\/)/);
          // A right PIN (the generator can hit it) signs the carer in: back to the tablet for the next run.
          if (res.status === 200 || res.status === 303) {
            const back = csrfFrom((await tablet.get('/today').expect(200)).text);
            await tablet.post('/ward/lock').type('form').send({ _csrf: back }).expect(303);
            token = csrfFrom((await tablet.get('/ward').expect(200)).text);
          }
        }),
        { numRuns: 60, seed: 20261203 },
      );
    }, 60_000);
  });
});
