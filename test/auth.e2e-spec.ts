import request from 'supertest';
import { LessThan } from 'typeorm';
import { SessionRecord } from '../src/auth/entities/session.entity';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { createHome, createUser, TestUser } from './support/factories';
import { csrfFrom, formToken, signIn } from './support/http';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Signing in and the account page. The security requirements (cookies, session lifetime, throttling,
 * headers, CSRF, access by route) are in test/security-asvs.e2e-spec.ts and test/access-matrix.e2e-spec.ts.
 */
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

  it('should prune expired sessions from the store', async () => {
    const { DatabaseSessionStore } = await import('../src/auth/session/database-session.store');
    await t.get(DatabaseSessionStore).prune();
    expect(await t.dataSource.getRepository(SessionRecord).countBy({ expiresAt: LessThan(new Date()) })).toBe(0);
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
    // Signed out, the sign-in page still speaks their language, whatever the browser asks for.
    const signedOut = await again.post('/logout').set('Accept-Language', 'en').type('form').send({ _csrf: csrfFrom((await again.get('/account')).text) });
    expect(signedOut.status).toBe(303);
    const login = await again.get(signedOut.headers.location).set('Accept-Language', 'en').expect(200);
    expect(login.text).toContain('Hai chiuso la sessione.');
    expect(login.text).toContain('Accedi a Insieme');
  });

  it('should offer the language on the sign-in page before signing in', async () => {
    const agent = request.agent(t.server);
    const token = await formToken(agent);
    await agent.post('/locale').type('form').send({ _csrf: token, locale: 'it', next: '/login' }).expect(303);
    expect((await agent.get('/login')).text).toContain('Accedi a Insieme');
  });

});
