import request from 'supertest';
import { SessionRecord } from '../src/auth/entities/session.entity';
import { signedSessionId } from '../src/auth/session/session-cookie';
import { UnitOfWork } from '../src/database/unit-of-work';
import { createHome, createUser, TestUser } from './support/factories';
import { csrfFrom, sessionCookie, signIn } from './support/http';
import { createTestApp, TestApp } from './support/test-app';

const SECRET = 'test-secret-that-is-long-enough-for-the-validator';

/**
 * The session middleware (src/auth/session/session.middleware.ts), which took express-session's
 * place: what it stores, when it writes, and that sessions express-session started stay valid.
 */
describe('The session middleware', () => {
  let t: TestApp;
  let homeId: string;
  let carer: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    homeId = (await createHome(t)).id;
    carer = await createUser(t, { role: 'carer', homeIds: [homeId] });
  });

  afterAll(async () => {
    await t.close();
  });

  const sessions = () => t.dataSource.getRepository(SessionRecord);
  const cookieFor = (sid: string) => `insieme.sid=${encodeURIComponent(signedSessionId(sid, SECRET))}`;

  it('keeps a session express-session stored (its Cookie object inside), and stores it again without that object', async () => {
    const sid = 'c2Vzc2lvbl9zdGFydGVkX2J5X2V4cHJlc3Nfc2Vz';
    const data = {
      cookie: { originalMaxAge: null, expires: null, secure: false, httpOnly: true, path: '/', sameSite: 'lax' },
      userId: carer.id, authenticatedAt: Date.now(), csrfToken: 'a-token-stored-by-csrf-sync',
    };
    await sessions().insert({ sid, data: JSON.stringify(data), userId: carer.id, expiresAt: new Date(Date.now() + 10 * 60_000) });
    const page = await request(t.server).get('/account').set('Cookie', cookieFor(sid)).expect(200);
    expect(page.text).toContain(carer.email);
    expect(sessionCookie(page.headers['set-cookie'])).toBeUndefined();
    const row = await sessions().findOneByOrFail({ sid });
    const { cookie: _cookie, ...rest } = data;
    expect(JSON.parse(row.data)).toEqual(rest);
  });

  it('writes nothing for pages that change nothing in the session (the idle expiry moves at most once a minute)', async () => {
    const client = await signIn(t, carer.email, carer.password);
    await client.get('/today').expect(200);
    const [before] = await sessions().find({ where: { userId: carer.id }, order: { expiresAt: 'DESC' } });
    const writes: string[] = [];
    const unitOfWork = t.get(UnitOfWork);
    const transaction = unitOfWork.transaction.bind(unitOfWork);
    const spy = jest.spyOn(unitOfWork, 'transaction').mockImplementation((work) => {
      writes.push('write');
      return transaction(work);
    });
    try {
      for (let i = 0; i < 5; i += 1) await client.get(i % 2 === 0 ? '/today' : '/account').expect(200);
    } finally {
      spy.mockRestore();
    }
    expect(writes).toEqual([]);
    expect((await sessions().findOneByOrFail({ sid: before.sid })).data).toBe(before.data);
  });

  it('stores what a request changed before its answer goes out: a message set before a redirect is on the next page', async () => {
    const client = await signIn(t, carer.email, carer.password);
    const page = await client.get('/account').expect(200);
    // An email change is confirmed by a message on the page the redirect leads to.
    const res = await client.post('/account/email').type('form').send({ _csrf: csrfFrom(page.text), newEmail: 'carla.new@example.org' });
    expect(res.status).toBe(303);
    const next = await client.get(res.headers.location as string).expect(200);
    expect(next.text).toMatch(/data-flash[^>]*>[^<]*carla\.new@example\.org/);
    // Read once: the next page has it no more.
    expect((await client.get('/account').expect(200)).text).not.toContain('data-flash');
  });

  it('answers a cookie with a wrong signature, or for no stored session, as a visitor, and stores nothing for it', async () => {
    const count = await sessions().count();
    const forged = `${cookieFor('no-such-session-id-000000000000000').slice(0, -2)}xx`;
    for (const cookie of [forged, cookieFor('no-such-session-id-000000000000000')]) {
      const res = await request(t.server).get('/account').set('Cookie', cookie);
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/login/);
      expect(sessionCookie(res.headers['set-cookie'])).toBeUndefined();
    }
    expect(await sessions().count()).toBe(count);
  });

  it('stores an ended marker as nothing but its reason, read once', async () => {
    const other = await createUser(t, { role: 'carer', homeIds: [homeId] });
    const client = await signIn(t, other.email, other.password);
    await client.get('/today').expect(200);
    const [row] = await sessions().findBy({ userId: other.id });
    await t.get(UnitOfWork).transaction(async (m) => (await import('../src/auth/session/ended-sessions')).endSessionsOf(m, other.id, 'accountDisabled'));
    expect(JSON.parse((await sessions().findOneByOrFail({ sid: row.sid })).data)).toEqual({ endedBecause: 'accountDisabled' });
    const first = await client.get('/today');
    expect(first.status).toBe(303);
    const login = await client.get(first.headers.location as string).expect(200);
    expect(login.text).not.toContain(other.email);
    expect(await sessions().existsBy({ sid: row.sid })).toBe(false);
  });
});
