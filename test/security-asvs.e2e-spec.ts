import request from 'supertest';
import { SessionRecord } from '../src/auth/entities/session.entity';
import { User } from '../src/auth/entities/user.entity';
import { AuthService } from '../src/auth/auth.service';
import { FREE_FAILURES_PER_PAIR } from '../src/auth/login-throttle';
import { PasswordHasher } from '../src/auth/password-hasher';
import { IDLE_TIMEOUT_MS } from '../src/auth/session/database-session.store';
import { UnitOfWork } from '../src/database/unit-of-work';
import { Resident } from '../src/residents/entities/resident.entity';
import { ResidentPhotos } from '../src/residents/resident-photos';
import { createActivity } from './support/activity-factories';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, apiSignIn, csrfFrom, formToken, sessionCookie, signIn } from './support/http';
import { createVolunteer } from './support/people-factories';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';
import { createHelpOffer, sessionUserOf } from './support/voice-factories';

/**
 * Security requirements of SPEC 7, one test per OWASP ASVS 5.0 requirement (numbers as in ASVS
 * 5.0.0, May 2025). docs/security.md maps every requirement covered to its test, here or elsewhere
 * (the access matrix, CSRF and GET walks are in test/access-matrix.e2e-spec.ts).
 */

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe('ASVS 5.0 security requirements', () => {
  let t: TestApp;
  let homeId: string;
  let manager: TestUser;
  let agent: Agent;
  let resident: Resident;

  beforeAll(async () => {
    // The app's own argon2id cost: V11.4.2 checks it, V6.3.8 times the work it makes.
    t = await createTestApp({ passwordHashing: 'production' });
    homeId = (await createHome(t)).id;
    manager = await createUser(t, { role: 'manager', homeIds: [homeId] });
    agent = await signIn(t, manager.email, manager.password);
    resident = await createResident(t, homeId);
    await t.dataSource.getRepository(Resident).update({ id: resident.id }, { photoFile: await t.get(ResidentPhotos).store({ buffer: PNG, size: PNG.length }) });
  });

  afterAll(async () => {
    await t.close();
  });

  /** The session id inside the signed cookie value `s:<id>.<signature>`. */
  const sessionId = (cookie: string) => decodeURIComponent(cookie.split(';')[0].split('=')[1]).slice(2).split('.')[0];

  /** Signs in through the sign-in form; the answer carries the session cookie (nobody has one before: nothing is stored for visitors). */
  async function formSignIn(client: Agent, user: TestUser) {
    const page = await client.get('/login').expect(200);
    const res = await client.post('/login').type('form').send({ _csrf: csrfFrom(page.text), email: user.email, password: user.password });
    expect(res.status).toBe(303);
    return res;
  }

  describe('V3 Web Frontend Security', () => {
    it('ASVS 5.0 V3.3.2 and V3.3.4: the session cookie is HttpOnly and SameSite=Lax, and is sent only in Set-Cookie', async () => {
      const signedIn = await formSignIn(request.agent(t.server), manager);
      const cookie = sessionCookie(signedIn.headers['set-cookie'])!;
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/);
      const page = await request(t.server).get('/account').set('Cookie', cookie.split(';')[0]).expect(200);
      expect(page.text).not.toContain(sessionId(cookie));
      const { agent: api } = await apiSignIn(t, manager.email, manager.password);
      const me = await api.get('/api/residents').expect(200);
      expect(JSON.stringify(me.body)).not.toContain('insieme.sid');
    });

    it('ASVS 5.0 V3.3.1 and V3.4.1: behind a TLS proxy the cookie is Secure and HSTS asks for a year, subdomains included', async () => {
      const behindProxy = await createTestApp({ env: { TRUST_PROXY: '1' }, database: t.database });
      try {
        const res = await request(behindProxy.server).post('/api/auth/login').set('X-Forwarded-Proto', 'https').send({ email: manager.email, password: manager.password }).expect(200);
        expect(sessionCookie(res.headers['set-cookie'])).toMatch(/; Secure/);
        expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
        const api = await request(behindProxy.server).get('/health').set('X-Forwarded-Proto', 'https');
        expect(api.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      } finally {
        await behindProxy.close();
      }
    });

    describe('V3.4 browser security headers, on every kind of response', () => {
      const responses = async () => {
        const anonymous = request(t.server);
        const tries: [string, Promise<request.Response>][] = [
          ['sign-in page', anonymous.get('/login')], ['home page', agent.get('/')], ['resident page', agent.get(`/residents/${resident.id}`)],
          ['404 page', agent.get('/residents/00000000-0000-4000-8000-000000000000')], ['API JSON', agent.get('/api/residents').set('Accept', 'application/json')],
          ['health', anonymous.get('/health')], ['static file', anonymous.get('/static/css/app.css')],
          ['service worker', anonymous.get('/sw.js')], ['offline page', anonymous.get('/offline?lang=it')],
        ];
        const answered: { url: string; headers: Record<string, string> }[] = [];
        for (const [url, pending] of tries) answered.push({ url, headers: (await pending).headers as Record<string, string> });
        return answered;
      };

      it('ASVS 5.0 V3.4.3: a Content-Security-Policy with no inline script, object-src and base-uri none', async () => {
        for (const res of await responses()) {
          const csp = String(res.headers['content-security-policy']);
          const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
          expect({ url: res.url, scriptSrc: directives.get('script-src'), objectSrc: directives.get('object-src'), baseUri: directives.get('base-uri') })
            .toEqual({ url: res.url, scriptSrc: ["'self'"], objectSrc: ["'none'"], baseUri: ["'none'"] });
          expect(csp).not.toContain('unsafe-inline');
          expect(csp).not.toContain('unsafe-eval');
        }
      });

      it('ASVS 5.0 V3.4.4: X-Content-Type-Options nosniff', async () => {
        for (const res of await responses()) expect({ url: res.url, value: res.headers['x-content-type-options'] }).toEqual({ url: res.url, value: 'nosniff' });
      });

      it('ASVS 5.0 V3.4.5: a Referrer-Policy that keeps addresses (with their ids) on this site', async () => {
        for (const res of await responses()) expect({ url: res.url, value: res.headers['referrer-policy'] }).toEqual({ url: res.url, value: 'same-origin' });
      });

      it('ASVS 5.0 V3.4.6: frame-ancestors none (and the older X-Frame-Options DENY)', async () => {
        for (const res of await responses()) {
          expect({ url: res.url, csp: res.headers['content-security-policy'] }).toEqual({ url: res.url, csp: expect.stringContaining("frame-ancestors 'none'") });
          expect(res.headers['x-frame-options']).toBe('DENY');
          expect(res.headers['x-powered-by']).toBeUndefined();
        }
      });
    });
  });

  describe('V6 Authentication', () => {
    it('ASVS 5.0 V6.2.3 and V7.4.3: changing the password needs the current one, and signs out the other sessions', async () => {
      const user = await createUser(t, { role: 'coordinator', homeIds: [homeId] });
      const other = await signIn(t, user.email, user.password);
      const self = await signIn(t, user.email, user.password);
      let token = await formToken(self, '/account');
      const wrong = await self.post('/account/password').type('form').send({ _csrf: token, currentPassword: 'not mine at all', newPassword: 'a new long password', confirmPassword: 'a new long password' });
      expect(wrong.status).toBe(422);
      expect(wrong.text).toContain('This is not your current password.');
      token = await formToken(self, '/account');
      const short = await self.post('/account/password').type('form').send({ _csrf: token, currentPassword: user.password, newPassword: 'short', confirmPassword: 'short' });
      expect(short.status).toBe(422);
      expect(short.text).toMatch(/id="error-newPassword"/);
      token = await formToken(self, '/account');
      const same = await self.post('/account/password').type('form').send({ _csrf: token, currentPassword: user.password, newPassword: user.password, confirmPassword: user.password });
      expect(same.status).toBe(422);
      expect(same.text).toMatch(/id="error-newPassword">Choose a password different from the current one\./);
      expect((await other.get('/')).status).toBe(200);
      token = await formToken(self, '/account');
      const ok = await self.post('/account/password').type('form').send({ _csrf: token, currentPassword: user.password, newPassword: 'a new long password', confirmPassword: 'a new long password' });
      expect(ok.status).toBe(303);
      expect((await self.get('/account').expect(200)).text).toContain('Your password has been changed');
      // The other device is told why it was signed out, not that it sat idle; its session row names no one.
      const signedOut = await other.get('/');
      expect(signedOut.status).toBe(303);
      expect(signedOut.headers.location).toBe('/login?next=%2F&reason=passwordChanged');
      expect((await other.get(signedOut.headers.location).expect(200)).text).toContain('this account&#x27;s password was changed');
      expect(await t.dataSource.getRepository(SessionRecord).countBy({ userId: user.id })).toBe(1);
      await signIn(t, user.email, 'a new long password');
    });

    it('ASVS 5.0 V6.3.1: sign-in is throttled per account and address, even with the right password, for unknown addresses alike, yet failures from elsewhere do not lock the owner out', async () => {
      const victim = await createUser(t, { role: 'carer', homeIds: [homeId] });
      // Behind one proxy, so each request can come from an address of its own.
      const behindProxy = await createTestApp({ env: { TRUST_PROXY: '1' }, database: t.database });
      try {
        const from = (ip: string) => request(behindProxy.server).post('/api/auth/login').set('X-Forwarded-For', ip);
        for (let i = 0; i < FREE_FAILURES_PER_PAIR; i += 1) {
          expect((await from('203.0.113.7').send({ email: victim.email, password: 'wrong password!' })).status).toBe(422);
        }
        const blocked = await from('203.0.113.7').send({ email: victim.email, password: victim.password });
        expect(blocked.status).toBe(429);
        expect(blocked.headers['retry-after']).toBeDefined();
        expect(blocked.body.message).toMatch(/Too many sign-in attempts/);
        expect((await from('198.51.100.9').send({ email: victim.email, password: victim.password })).status).toBe(200);
        for (let i = 0; i < FREE_FAILURES_PER_PAIR; i += 1) {
          await from('203.0.113.7').send({ email: 'ghost@example.test', password: 'wrong password!' });
        }
        expect((await from('203.0.113.7').send({ email: 'ghost@example.test', password: 'wrong password!' })).status).toBe(429);
      } finally {
        await behindProxy.close();
      }
    });

    it('ASVS 5.0 V6.3.8: an unknown email and a wrong password answer alike, after the same argon2 work', async () => {
      const hasher = t.get(PasswordHasher);
      const verify = jest.spyOn(hasher, 'verify');
      const attempt = async (email: string) => {
        const client = request.agent(t.server);
        const token = await formToken(client);
        verify.mockClear();
        const started = process.hrtime.bigint();
        const res = await client.post('/login').type('form').send({ _csrf: token, email, password: 'not the password' });
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
      expect(Math.max(median(wrong), median(unknown)) / Math.min(median(wrong), median(unknown))).toBeLessThan(5);
    });
  });

  describe('V7 Session Management', () => {
    it('ASVS 5.0 V7.2.4: a new session id at sign-in; the one from before is worth nothing', async () => {
      // Visitors get no session, so the session held before is someone's signed-in one (another user on a shared tablet).
      const client = request.agent(t.server);
      const carer = await createUser(t, { role: 'carer', homeIds: [homeId] });
      const before = sessionCookie((await formSignIn(client, carer)).headers['set-cookie'])!;
      const res = await formSignIn(client, manager);
      const after = sessionCookie(res.headers['set-cookie'])!;
      expect(sessionId(after)).not.toBe(sessionId(before));
      expect(await t.dataSource.getRepository(SessionRecord).existsBy({ sid: sessionId(before) })).toBe(false);
      const stale = await request(t.server).get('/').set('Cookie', before.split(';')[0]);
      expect(stale.status).toBe(303);
      await client.get('/').expect(200);
    });

    it('ASVS 5.0 V7.3.1: 30 minutes without a request end the session', async () => {
      const user = await createUser(t, { role: 'carer', homeIds: [homeId] });
      const client = await signIn(t, user.email, user.password);
      await client.get('/account').expect(200);
      const sessions = t.dataSource.getRepository(SessionRecord);
      const [row] = await sessions.findBy({ userId: user.id });
      // The stored expiry moves with each request to 30 minutes ahead…
      expect(Math.abs(row.expiresAt.getTime() - Date.now() - IDLE_TIMEOUT_MS)).toBeLessThan(60_000);
      // …and once it has passed, the session is over.
      await sessions.update({ userId: user.id }, { expiresAt: new Date(Date.now() - 1000) });
      const res = await client.get('/account');
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/login/);
    });

    it('ASVS 5.0 V7.3.1: the cookie lasts as long as the browser; the idle timeout is kept on the server', async () => {
      const signedIn = await formSignIn(request.agent(t.server), manager);
      const cookie = sessionCookie(signedIn.headers['set-cookie'])!;
      // No Expires or Max-Age: the browser forgets the id when it closes and keeps nothing on disk.
      expect(cookie).not.toMatch(/expires=|max-age=/i);
      // Pages after sign-in do not send the cookie again: it never changes.
      const home = await request(t.server).get('/').set('Cookie', cookie.split(';')[0]).expect(200);
      expect(sessionCookie(home.headers['set-cookie'])).toBeUndefined();
      const row = await t.dataSource.getRepository(SessionRecord).findOneByOrFail({ sid: sessionId(cookie) });
      expect(Math.abs(row.expiresAt.getTime() - Date.now() - IDLE_TIMEOUT_MS)).toBeLessThan(60_000);
    });

    it('ASVS 5.0 V7.3.2: a session ends 12 hours after sign-in however active it is', async () => {
      const user = await createUser(t, { role: 'carer', homeIds: [homeId] });
      const client = await signIn(t, user.email, user.password);
      await client.get('/account').expect(200);
      const sessions = t.dataSource.getRepository(SessionRecord);
      const wind = async (hoursAgo: number) => {
        for (const row of await sessions.findBy({ userId: user.id })) {
          const data = JSON.parse(row.data);
          data.authenticatedAt = Date.now() - hoursAgo * 60 * 60 * 1000;
          await sessions.update({ sid: row.sid }, { data: JSON.stringify(data) });
        }
      };
      await wind(11.9);
      await client.get('/account').expect(200);
      await wind(12.01);
      const res = await client.get('/account');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/login?next=%2Faccount&reason=tooLong');
      expect((await client.get(res.headers.location).expect(200)).text).toContain('12 hours after you signed in');
    });

    it('ASVS 5.0 V7.4.1: signing out ends the session on the server, for pages and the API', async () => {
      const client = await signIn(t, manager.email, manager.password);
      const home = await client.get('/').expect(200);
      const cookie = sessionCookie(home.headers['set-cookie']) ?? '';
      const res = await client.post('/logout').type('form').send({ _csrf: csrfFrom(home.text) });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/login?signedOut=1');
      expect(await t.dataSource.getRepository(SessionRecord).existsBy({ sid: sessionId(cookie) })).toBe(false);
      const replay = await request(t.server).get('/').set('Cookie', cookie.split(';')[0]);
      expect(replay.status).toBe(303);
      expect(replay.headers.location).toMatch(/^\/login/);
      const { agent: api, csrfToken } = await apiSignIn(t, manager.email, manager.password);
      await api.post('/api/auth/logout').set('X-CSRF-Token', csrfToken).expect(204);
      await api.get('/api/residents').expect(401);
    });

    it('ASVS 5.0 V7.4.2: disabling an account (its person archived) ends its sessions at their next request', async () => {
      const volunteer = await createVolunteer(t, homeId);
      const user = await createUser(t, { role: 'volunteer', homeIds: [homeId], personKind: 'volunteer', personId: volunteer.id });
      const client = await signIn(t, user.email, user.password);
      await client.get('/volunteer').expect(200);
      const actor = await sessionUserOf(t, manager);
      await t.get(UnitOfWork).transaction((m) => t.get(AuthService).setDisabledForPerson(m, actor, 'volunteer', volunteer.id, true));
      expect((await t.dataSource.getRepository(User).findOneByOrFail({ id: user.id })).disabledAt).not.toBeNull();
      const res = await client.get('/volunteer');
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/login/);
      expect(await t.dataSource.getRepository(SessionRecord).countBy({ userId: user.id })).toBe(0);
    });
  });

  describe('V8 Authorization', () => {
    it('ASVS 5.0 V8.2.3: a volunteer\'s tablet log shows the residents of their activity by preferred name, and no other resident of the home', async () => {
      const volunteer = await createVolunteer(t, homeId);
      const user = await createUser(t, { role: 'volunteer', homeIds: [homeId], personKind: 'volunteer', personId: volunteer.id });
      const invited = await createResident(t, homeId, { firstName: 'Ernesta', lastName: 'Invitata', preferredName: 'Tina' });
      const elsewhere = await createResident(t, homeId, { firstName: 'Gualtiero', lastName: 'Altrove' });
      const activity = await createActivity(t, homeId, { residentIds: [invited.id] });
      await createHelpOffer(t, activity, { volunteerId: volunteer.id });
      const client = await signIn(t, user.email, user.password);
      const page = (await client.get(`/activities/${activity.id}/log`).expect(200)).text;
      expect(page).toContain('Tina');
      expect(page).not.toContain(invited.lastName);
      expect(page).not.toContain(elsewhere.firstName);
      expect(page).not.toContain(elsewhere.lastName);
      // Staff see the others, to add them to the log.
      expect((await agent.get(`/activities/${activity.id}/log`).expect(200)).text).toContain(elsewhere.lastName);
    });
  });

  describe('V11 Cryptography', () => {
    it('ASVS 5.0 V11.4.2: passwords are stored as argon2id with at least OWASP\'s minimum cost', async () => {
      const { passwordHash } = await t.dataSource.getRepository(User).findOneByOrFail({ id: manager.id });
      const [, kind, version, params, salt, hash] = (passwordHash ?? '').split('$');
      expect({ kind, version }).toEqual({ kind: 'argon2id', version: 'v=19' });
      const { m, t: tCost, p } = Object.fromEntries(params.split(',').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
      // A 128-bit salt and a 256-bit hash, base64 without padding.
      expect(salt).toMatch(/^[A-Za-z0-9+/]{22,}$/);
      expect(hash).toMatch(/^[A-Za-z0-9+/]{43,}$/);
      // OWASP Password Storage Cheat Sheet: m=47104 (46 MiB) t=1, or m=19456 t=2, m=12288 t=3, m=9216 t=4, m=7168 t=5; p=1.
      const equivalents: [number, number][] = [[47_104, 1], [19_456, 2], [12_288, 3], [9_216, 4], [7_168, 5]];
      expect(equivalents.some(([minM, minT]) => m >= minM && tCost >= minT)).toBe(true);
      expect(p).toBeGreaterThanOrEqual(1);
    });

    it('ASVS 5.0 V11.5.1: session ids are random, 128 bits or more, never reused', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 5; i += 1) {
        const res = await request(t.server).post('/api/auth/login').send({ email: manager.email, password: manager.password }).expect(200);
        ids.add(sessionId(sessionCookie(res.headers['set-cookie'])!));
      }
      expect(ids.size).toBe(5);
      // base64url: 6 bits a character.
      for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    });
  });

  describe('V14 Data Protection', () => {
    it('ASVS 5.0 V14.3.2: Cache-Control no-store on personal data, pages, API, photos and files alike', async () => {
      const reads = [
        `/residents/${resident.id}`, `/api/residents/${resident.id}`, `/residents/${resident.id}/photo`, `/residents/${resident.id}/summary.pdf`,
        `/reports/quarterly.csv?homeId=${homeId}&quarter=2026-Q3&table=participation`, '/account', '/residents',
      ];
      for (const url of reads) {
        const res = await agent.get(url);
        expect({ url, status: res.status, cacheControl: res.headers['cache-control'] }).toEqual({ url, status: 200, cacheControl: 'no-store' });
      }
    });
  });
});
