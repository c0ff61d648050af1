import request from 'supertest';
import { LessThan } from 'typeorm';
import { SessionRecord } from '../src/auth/entities/session.entity';
import { MAX_FAILURES_PER_EMAIL } from '../src/auth/login-throttle';
import { PasswordHasher } from '../src/auth/password-hasher';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { createHome, createUser, TestUser } from './support/factories';
import { apiSignIn, csrfFrom, formToken, sessionCookie, signIn } from './support/http';
import { appRoutes, concretePath } from './support/routes';
import { createTestApp, TestApp } from './support/test-app';

/** Routes open to signed-out visitors; everything else must refuse them. */
const PUBLIC_ROUTES = ['GET /login', 'POST /login', 'POST /locale', 'GET /health', 'POST /api/auth/login', 'GET /invitations/:token', 'POST /invitations/:token'];

describe('Signing in and sessions', () => {
  let t: TestApp;
  let manager: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    const home = await createHome(t);
    manager = await createUser(t, { role: 'manager', homeIds: [home.id] });
  });

  afterAll(async () => {
    await t.close();
  });

  it('should refuse every non-public route when signed out', async () => {
    const routes = appRoutes(t);
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) {
      const label = `${route.method} ${route.path}`;
      if (PUBLIC_ROUTES.includes(label)) continue;
      const path = concretePath(route.path);
      const res = await request(t.server)[route.method.toLowerCase() as 'get'](path).set('Accept', 'text/html');
      if (path.startsWith('/api/')) expect({ label, status: res.status }).toEqual({ label, status: 401 });
      else expect({ label, status: res.status, location: res.headers.location?.split('?')[0] }).toEqual({ label, status: 303, location: '/login' });
    }
  });

  it('should list only existing routes as public', () => {
    const labels = appRoutes(t).map((r) => `${r.method} ${r.path}`);
    for (const route of PUBLIC_ROUTES) expect(labels).toContain(route);
  });

  it('should set an HttpOnly, SameSite=Lax session cookie and rotate it at sign-in', async () => {
    const agent = request.agent(t.server);
    const page = await agent.get('/login').expect(200);
    const before = sessionCookie(page.headers['set-cookie']);
    expect(before).toBeDefined();
    const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), email: manager.email, password: manager.password });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const after = sessionCookie(res.headers['set-cookie']);
    expect(after).toMatch(/HttpOnly/);
    expect(after).toMatch(/SameSite=Lax/);
    expect(after).not.toMatch(/Secure/);
    expect(after!.split(';')[0]).not.toBe(before!.split(';')[0]);
    // The pre-sign-in session id is worth nothing now.
    const stale = await request(t.server).get('/').set('Cookie', before!.split(';')[0]);
    expect(stale.status).toBe(303);
    await agent.get('/').expect(200);
  });

  it('should mark the cookie Secure behind a TLS proxy', async () => {
    const behindProxy = await createTestApp({ env: { TRUST_PROXY: '1' }, database: t.database });
    try {
      const res = await request(behindProxy.server).get('/login').set('X-Forwarded-Proto', 'https');
      expect(sessionCookie(res.headers['set-cookie'])).toMatch(/Secure/);
      expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    } finally {
      await behindProxy.close();
    }
  });

  it('should answer an unknown email and a wrong password alike, after the same argon2 work', async () => {
    const hasher = t.get(PasswordHasher);
    const verify = jest.spyOn(hasher, 'verify');
    const attempt = async (email: string) => {
      const agent = request.agent(t.server);
      const token = await formToken(agent);
      verify.mockClear();
      const started = process.hrtime.bigint();
      const res = await agent.post('/login').type('form').send({ _csrf: token, email, password: 'not the password' });
      return {
        status: res.status,
        error: /class="notice notice-error"[^>]*>([^<]+)</.exec(res.text)?.[1],
        argon2Checks: verify.mock.calls.length,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      };
    };
    const wrong = [await attempt(manager.email), await attempt(manager.email), await attempt(manager.email)];
    const unknown = [await attempt('nobody-1@example.test'), await attempt('nobody-2@example.test'), await attempt('nobody-3@example.test')];
    verify.mockRestore();
    expect(wrong[0].status).toBe(422);
    expect(unknown[0].status).toBe(wrong[0].status);
    expect(unknown[0].error).toBe(wrong[0].error);
    expect(wrong[0].error).toContain('email or password');
    // Both paths run exactly one real argon2 verification (the unknown email against a decoy hash)…
    expect([...wrong, ...unknown].map((a) => a.argon2Checks)).toEqual([1, 1, 1, 1, 1, 1]);
    // …so their typical times are alike (medians, loosely, as other work shares the machine).
    const median = (runs: { ms: number }[]) => runs.map((r) => r.ms).sort((a, b) => a - b)[1];
    const ratio = Math.max(median(wrong), median(unknown)) / Math.min(median(wrong), median(unknown));
    expect(ratio).toBeLessThan(5);
  });

  it('should keep the email typed when sign-in fails, never the password', async () => {
    const agent = request.agent(t.server);
    const token = await formToken(agent);
    const res = await agent.post('/login').type('form').send({ _csrf: token, email: 'typed@example.test', password: 'secret-typed' });
    expect(res.text).toContain('value="typed@example.test"');
    expect(res.text).not.toContain('secret-typed');
  });

  it('should show field errors beside the fields for a malformed sign-in', async () => {
    const agent = request.agent(t.server);
    const token = await formToken(agent);
    const res = await agent.post('/login').type('form').send({ _csrf: token, email: 'not-an-email', password: '' });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="error-email"/);
    expect(res.text).toContain('value="not-an-email"');
  });

  it('should throttle sign-in per account, even with the right password', async () => {
    const victim = await createUser(t, { role: 'carer' });
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i += 1) {
      const agent = request.agent(t.server);
      const res = await agent.post('/api/auth/login').send({ email: victim.email, password: 'wrong password!' });
      expect(res.status).toBe(422);
    }
    const blocked = await request(t.server).post('/api/auth/login').send({ email: victim.email, password: victim.password });
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
    expect(blocked.body.message).toMatch(/Too many sign-in attempts/);
    // The same for an address nobody has: throttling does not reveal which accounts exist.
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i += 1) {
      await request(t.server).post('/api/auth/login').send({ email: 'ghost@example.test', password: 'wrong password!' });
    }
    const ghost = await request(t.server).post('/api/auth/login').send({ email: 'ghost@example.test', password: 'wrong password!' });
    expect(ghost.status).toBe(429);
  });

  it('should end the session on the server at sign-out', async () => {
    const agent = await signIn(t, manager.email, manager.password);
    const home = await agent.get('/').expect(200);
    const cookie = sessionCookie(home.headers['set-cookie']) ?? '';
    const res = await agent.post('/logout').type('form').send({ _csrf: csrfFrom(home.text) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?signedOut=1');
    const replay = await request(t.server).get('/').set('Cookie', cookie.split(';')[0]);
    expect(replay.status).toBe(303);
    expect(replay.headers.location).toMatch(/^\/login/);
  });

  it('should refuse a write without a CSRF token or with a wrong one', async () => {
    const agent = await signIn(t, manager.email, manager.password);
    const missing = await agent.post('/account/password').type('form').send({ currentPassword: manager.password, newPassword: 'x'.repeat(12), confirmPassword: 'x'.repeat(12) });
    expect(missing.status).toBe(403);
    const wrong = await agent.post('/account/password').type('form').send({ _csrf: 'f'.repeat(64), currentPassword: manager.password, newPassword: 'x'.repeat(12), confirmPassword: 'x'.repeat(12) });
    expect(wrong.status).toBe(403);
    const { agent: api, csrfToken } = await apiSignIn(t, manager.email, manager.password);
    expect(csrfToken).toMatch(/^[0-9a-f]{32,}$/);
    await api.post('/api/auth/logout').expect(403);
    await api.post('/api/auth/logout').set('X-CSRF-Token', 'nope').expect(403);
    await api.post('/api/auth/logout').set('X-CSRF-Token', csrfToken).expect(204);
    await api.post('/api/auth/logout').set('X-CSRF-Token', csrfToken).expect(401);
  });

  it('should refuse a sign-in form posted without a token', async () => {
    const res = await request(t.server).post('/login').type('form').send({ email: manager.email, password: manager.password });
    expect(res.status).toBe(403);
  });

  it('should refuse form-encoded bodies on the API', async () => {
    const res = await request(t.server).post('/api/auth/login').type('form').send({ email: manager.email, password: manager.password });
    expect(res.status).toBe(415);
  });

  it('should answer the API in JSON with the fields at fault', async () => {
    const res = await request(t.server).post('/api/auth/login').send({ email: 42, password: 'x', extra: 'y' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ statusCode: 422, error: 'UNPROCESSABLE_ENTITY', fields: expect.objectContaining({ email: expect.any(String) }) });
    const broken = await request(t.server).post('/api/auth/login').set('Content-Type', 'application/json').send('{"email":');
    expect(broken.status).toBe(400);
    expect(broken.body.statusCode).toBe(400);
    const huge = await request(t.server).post('/api/auth/login').send({ email: 'a@b.c', password: 'x'.repeat(300_000) });
    expect(huge.status).toBe(413);
  });

  it('should end a session that has been idle for 30 minutes', async () => {
    const agent = await signIn(t, manager.email, manager.password);
    await agent.get('/').expect(200);
    // Wind the clock: every session of this user expired a minute ago.
    await t.dataSource.getRepository(SessionRecord).update({ userId: manager.id }, { expiresAt: new Date(Date.now() - 60_000) });
    const res = await agent.get('/');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });

  it('should end a session 12 hours after sign-in however active it is', async () => {
    const agent = await signIn(t, manager.email, manager.password);
    await agent.get('/').expect(200);
    const sessions = t.dataSource.getRepository(SessionRecord);
    for (const row of await sessions.findBy({ userId: manager.id })) {
      const data = JSON.parse(row.data);
      data.authenticatedAt = Date.now() - 12 * 60 * 60 * 1000 - 1000;
      await sessions.update({ sid: row.sid }, { data: JSON.stringify(data) });
    }
    const res = await agent.get('/');
    expect(res.status).toBe(303);
  });

  it('should prune expired sessions from the store', async () => {
    const { DatabaseSessionStore } = await import('../src/auth/session/database-session.store');
    await t.get(DatabaseSessionStore).prune();
    expect(await t.dataSource.getRepository(SessionRecord).countBy({ expiresAt: LessThan(new Date()) })).toBe(0);
  });

  it('should change the password only with the current one, and sign out other devices', async () => {
    const user = await createUser(t, { role: 'coordinator' });
    const other = await signIn(t, user.email, user.password);
    const agent = await signIn(t, user.email, user.password);
    let token = await formToken(agent, '/account');
    const wrong = await agent.post('/account/password').type('form').send({ _csrf: token, currentPassword: 'not mine at all', newPassword: 'a new long password', confirmPassword: 'a new long password' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('This is not your current password.');
    token = await formToken(agent, '/account');
    const short = await agent.post('/account/password').type('form').send({ _csrf: token, currentPassword: user.password, newPassword: 'short', confirmPassword: 'short' });
    expect(short.status).toBe(422);
    expect(short.text).toMatch(/id="error-newPassword"/);
    token = await formToken(agent, '/account');
    const ok = await agent.post('/account/password').type('form').send({ _csrf: token, currentPassword: user.password, newPassword: 'a new long password', confirmPassword: 'a new long password' });
    expect(ok.status).toBe(303);
    const page = await agent.get('/account').expect(200);
    expect(page.text).toContain('Your password has been changed');
    expect((await other.get('/')).status).toBe(303);
    await signIn(t, user.email, 'a new long password');
  });

  it('should audit sign-in, failed sign-in and sign-out', async () => {
    const user = await createUser(t, { role: 'carer' });
    const agent = await signIn(t, user.email, user.password);
    const page = await agent.get('/account').expect(200);
    await agent.post('/logout').type('form').send({ _csrf: csrfFrom(page.text) }).expect(303);
    await request(t.server).post('/api/auth/login').send({ email: user.email, password: 'wrong password' }).expect(422);
    const actions = (await t.dataSource.getRepository(AuditEntry).find({ where: { userId: user.id }, order: { seq: 'ASC' } })).map((e) => e.action);
    expect(actions).toEqual(['login', 'logout', 'login_failed']);
  });

  it('should keep the chosen language on the account', async () => {
    const user = await createUser(t, { role: 'carer' });
    const agent = await signIn(t, user.email, user.password);
    const token = await formToken(agent, '/account');
    await agent.post('/locale').type('form').send({ _csrf: token, locale: 'it', next: '/account' }).expect(303);
    const page = await agent.get('/account').expect(200);
    expect(page.text).toContain('Il mio account');
    const again = await signIn(t, user.email, user.password);
    expect((await again.get('/account')).text).toContain('Il mio account');
    // A carer's home page is Today.
    expect((await again.get('/')).headers.location).toBe('/today');
  });

  it('should offer the language on the sign-in page before signing in', async () => {
    const agent = request.agent(t.server);
    const token = await formToken(agent);
    await agent.post('/locale').type('form').send({ _csrf: token, locale: 'it', next: '/login' }).expect(303);
    expect((await agent.get('/login')).text).toContain('Accedi a Insieme');
  });

  it('should send security headers and no-store on pages', async () => {
    const agent = await signIn(t, manager.email, manager.password);
    const res = await agent.get('/').expect(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
