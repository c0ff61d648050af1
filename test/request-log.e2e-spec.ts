import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createActivity } from './support/activity-factories';
import { createHome, createUser, TestUser } from './support/factories';
import { sessionCookie } from './support/http';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';

/** The request log's JSON lines, captured from the destination the test app is given. */
class LogCapture extends Writable {
  text = '';

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }

  lines(): Record<string, unknown>[] {
    return this.text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  byRequestId(id: string): Record<string, unknown> {
    const found = this.lines().filter((line) => line.requestId === id);
    if (found.length !== 1) throw new Error(`expected one line for request ${id}, found ${found.length}:\n${this.text}`);
    return found[0];
  }

  clear(): void {
    this.text = '';
  }
}

/** pino's numeric levels. */
const DEBUG = 20;
const INFO = 30;
const WARN = 40;

describe('Request log (ASVS 5.0 V16)', () => {
  const log = new LogCapture();
  let t: TestApp;
  let homeId: string;
  let carer: TestUser;
  let residentId: string;

  beforeAll(async () => {
    t = await createTestApp({ requestLog: log });
    homeId = (await createHome(t)).id;
    carer = await createUser(t, { role: 'carer', homeIds: [homeId] });
    residentId = (await createResident(t, homeId)).id;
  });

  afterAll(async () => {
    await t.close();
  });

  beforeEach(() => log.clear());

  it('ASVS 5.0 V16.2.1: one line per request with its id, method, route pattern, status, response time and the signed-in user', async () => {
    const login = await request(t.server).post('/api/auth/login').set('X-Request-Id', 'login-0001').send({ email: carer.email, password: carer.password }).expect(200);
    const cookie = sessionCookie(login.headers['set-cookie'])!.split(';')[0];
    const activity = await createActivity(t, homeId, { residentIds: [residentId] });
    const incomingId = `edge-${randomUUID()}`;

    const res = await request(t.server)
      .put(`/api/activities/${activity.id}/participation`)
      .set('Cookie', cookie).set('X-CSRF-Token', login.body.csrfToken).set('Idempotency-Key', randomUUID()).set('X-Request-Id', incomingId)
      .send({ entries: [{ residentId, engagement: 'active' }] })
      .expect(200);

    expect(res.headers['x-request-id']).toBe(incomingId);
    const line = log.byRequestId(incomingId);
    expect(line).toMatchObject({ level: INFO, method: 'PUT', route: '/api/activities/:id/participation', status: 200, userId: carer.id });
    expect(typeof line.responseTime).toBe('number');
    expect(typeof line.time).toBe('number');
    // Before sign-in there is no user yet; the sign-in's own line carries none.
    expect(log.byRequestId('login-0001')).toMatchObject({ method: 'POST', route: '/api/auth/login', status: 200, userId: null });
  });

  it('ASVS 5.0 V16.2.1: an anonymous request is logged without a user, and a missing request id is made and echoed', async () => {
    const res = await request(t.server).get('/login').expect(200);

    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(log.byRequestId(id)).toMatchObject({ method: 'GET', route: '/login', status: 200, userId: null });
  });

  it('ASVS 5.0 V16.4.1: a malformed incoming request id is replaced, so it cannot forge or break a log line', async () => {
    for (const forged of ['x'.repeat(129), 'id with spaces', 'id"},{"level":60', '']) {
      log.clear();
      const res = await request(t.server).get('/login').set('X-Request-Id', forged).expect(200);
      expect(res.headers['x-request-id']).not.toBe(forged);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(log.text).not.toContain(forged || '""');
      expect(log.lines()).toHaveLength(1);
    }
  });

  it('ASVS 5.0 V16.2.5: no password, note, cookie, CSRF token, path token or query string ever reaches the log', async () => {
    const password = `Pw-${randomUUID()}`;
    const user = await createUser(t, { role: 'carer', homeIds: [homeId], password });
    const login = await request(t.server).post('/api/auth/login').send({ email: user.email, password }).expect(200);
    const cookie = sessionCookie(login.headers['set-cookie'])!.split(';')[0];
    const sessionValue = cookie.split('=')[1];
    const csrfToken = login.body.csrfToken as string;
    const activity = await createActivity(t, homeId, { residentIds: [residentId] });
    const note = `note-${randomUUID()}`;
    const querySecret = `q-${randomUUID()}`;
    const pathToken = `tok${randomUUID().replace(/-/g, '')}`;
    const authorization = `Bearer ${randomUUID()}`;

    await request(t.server)
      .put(`/api/activities/${activity.id}/participation?secret=${querySecret}`)
      .set('Cookie', cookie).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', randomUUID()).set('Authorization', authorization)
      .send({ entries: [{ residentId, engagement: 'active', familyNote: note }] })
      .expect(200);
    await request(t.server).get(`/password/reset/${pathToken}?email=${encodeURIComponent(user.email)}`).set('Cookie', cookie);
    await request(t.server).post(`/password/reset/${pathToken}`).type('form').send({ password, confirm: password, _csrf: csrfToken });
    // A refused sign-in: its password is not logged either.
    const refused = await request(t.server).post('/api/auth/login').send({ email: user.email, password: `${password}-wrong` });
    expect(refused.status).toBeGreaterThanOrEqual(400);

    const lines = log.lines();
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.map((line) => line.route)).toEqual(
      expect.arrayContaining(['/api/activities/:id/participation', '/password/reset/:token', '/api/auth/login']),
    );
    for (const secret of [password, note, sessionValue, decodeURIComponent(sessionValue), csrfToken, pathToken, querySecret, authorization, user.email, activity.id]) {
      expect(log.text).not.toContain(secret);
    }
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(['level', 'method', 'msg', 'pid', 'requestId', 'responseTime', 'route', 'status', 'time', 'userId']);
    }
  });

  it('ASVS 5.0 V16.2.1: refusals are logged at warn, a request no route matched by no URL, /health at debug, and static files not at all', async () => {
    const missing = await request(t.server).get(`/no/such/page/${randomUUID()}?x=1`).expect(404);
    const health = await request(t.server).get('/health').expect(200);
    await request(t.server).get('/static/css/app.css').expect(200);

    expect(log.byRequestId(missing.headers['x-request-id'])).toMatchObject({ level: WARN, route: '(no route)', status: 404 });
    expect(log.byRequestId(health.headers['x-request-id'])).toMatchObject({ level: DEBUG, route: '/health', status: 200 });
    expect(log.lines()).toHaveLength(2);
    expect(log.text).not.toContain('/no/such/page');
  });
});
