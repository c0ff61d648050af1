import request from 'supertest';
import { SessionRecord } from '../src/auth/entities/session.entity';
import { translate } from '../src/common/i18n/i18n';
import { HomesService } from '../src/homes/homes.service';
import { MailMessage } from '../src/mail/entities/mail-message.entity';
import { createHome, createUser, TestUser } from './support/factories';
import { createFamilyMember } from './support/family-factories';
import { Agent, csrfFrom, formToken, sessionCookie, signIn } from './support/http';
import { createTestApp, TestApp } from './support/test-app';

const PIN = '482915';
const NEW_PASSWORD = 'a brand new sentence for me';
const REFUSED = translate('en', 'errors.csrfAnonymous');

type SetCookie = string[] | string | undefined;

function cookiesOf(setCookie: SetCookie): string[] {
  return Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
}

/** The `name=value` part of the cookie called `name` a response set, if it set one. */
function cookieSet(setCookie: SetCookie, name: string): string | undefined {
  return cookiesOf(setCookie).find((c) => c.startsWith(`${name}=`))?.split(';')[0];
}

/** Flips one character of the signature (the part after the dot). */
function tamper(token: string): string {
  const [value, mac] = token.split('.');
  return `${value}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
}

/**
 * Finding 9 of issue 17 (item 5): every anonymous GET /login stored a session row. Visitors now get
 * none: their forms are protected by a signed double-submit token, their language is a cookie.
 */
describe('Anonymous visitors: no stored session, signed double-submit CSRF (issue 17, item 5)', () => {
  let t: TestApp;
  let homeId: string;
  let unitId: string;
  let manager: TestUser;
  let carer: TestUser;
  let managerAgent: Agent;
  /** The enrolled ward tablet's `insieme.device=…` cookie; nobody is signed in on it. */
  let deviceCookie: string;

  const sessionRows = () => t.dataSource.getRepository(SessionRecord).count();

  /** An anonymous visit with the given cookies: the CSRF cookie it holds (or was given) and the page's token. */
  async function visit(path: string, cookies: string[] = []): Promise<{ cookie: string; token: string; text: string }> {
    const res = await request(t.server).get(path).set('Cookie', cookies.join('; ')).expect(200);
    expect(sessionCookie(res.headers['set-cookie'])).toBeUndefined();
    const cookie = cookieSet(res.headers['set-cookie'], 'insieme.csrf') ?? cookies.find((c) => c.startsWith('insieme.csrf='));
    if (!cookie) throw new Error(`No CSRF cookie for ${path}`);
    return { cookie, token: csrfFrom(res.text), text: res.text };
  }

  function post(path: string, cookies: string[], body: Record<string, string>) {
    return request(t.server).post(path).set('Cookie', cookies.join('; ')).type('form').send(body);
  }

  /** The newest outbox mail's link of this kind (no mail server here: mails are kept in the outbox). */
  async function lastLink(kind: 'invitations' | 'password/reset' | 'email-change'): Promise<string> {
    const mails = await t.dataSource.getRepository(MailMessage).find({ order: { createdAt: 'DESC' }, take: 20 });
    for (const mail of mails) {
      const match = new RegExp(`(/${kind}/[A-Za-z0-9_-]+)`).exec(mail.textBody);
      if (match) return match[1];
    }
    throw new Error(`No ${kind} link in the outbox`);
  }

  beforeAll(async () => {
    t = await createTestApp();
    homeId = (await createHome(t)).id;
    unitId = (await t.get(HomesService).addUnit(null, homeId, { unitName: 'Nucleo Glicine' })).id;
    manager = await createUser(t, { role: 'manager', homeIds: [homeId] });
    managerAgent = await signIn(t, manager.email, manager.password);
    carer = await createUser(t, { role: 'carer', homeIds: [homeId] });
    const carerAgent = await signIn(t, carer.email, carer.password);
    const pinToken = await formToken(carerAgent, '/account');
    await carerAgent.post('/account/pin').type('form').send({ _csrf: pinToken, pin: PIN, confirmPin: PIN, password: carer.password }).expect(303);

    // A manager enrols a browser as a ward tablet, then signs out on it: the tablet keeps only its device cookie.
    const enrolling = await signIn(t, manager.email, manager.password);
    const enrol = await enrolling.post('/devices').type('form').send({ _csrf: await formToken(enrolling, '/devices'), name: 'Tablet Glicine', unitId }).expect(303);
    deviceCookie = cookieSet(enrol.headers['set-cookie'], 'insieme.device')!;
    await enrolling.post('/logout').type('form').send({ _csrf: await formToken(enrolling, '/devices') }).expect(303);
  });

  afterAll(async () => {
    await t.close();
  });

  it('ASVS 5.0 V2.4.1 and V7.6.2: 300 anonymous visits to the sign-in page, and visits to every other public page, store no session', async () => {
    const before = await sessionRows();
    for (let i = 0; i < 300; i += 1) {
      const res = await request(t.server).get('/login').expect(200);
      expect(sessionCookie(res.headers['set-cookie'])).toBeUndefined();
    }
    const pages: [string, number, string[]][] = [
      ['/', 303, []],
      ['/account', 303, []],
      ['/password/forgot', 200, []],
      ['/password/reset/not-a-real-token-at-all-000000', 404, []],
      ['/invitations/not-a-real-token-at-all-000000', 404, []],
      ['/email-change/not-a-real-token-at-all-000000', 404, []],
      ['/no-such-page', 404, []],
      ['/ward', 401, []],
      ['/ward', 200, [deviceCookie]],
      [`/ward/pin/${carer.id}`, 200, [deviceCookie]],
      ['/login?next=%2Ftoday', 200, [deviceCookie]],
    ];
    for (const [path, status, cookies] of pages) {
      const res = await request(t.server).get(path).set('Cookie', cookies.join('; '));
      expect({ path, status: res.status }).toEqual({ path, status });
      expect(sessionCookie(res.headers['set-cookie'])).toBeUndefined();
      // A signed-out visitor's error page leads to signing in, not to a home page that would send them there.
      if (status === 404) expect(res.text).toContain('<a class="button" href="/login">Sign in</a>');
    }
    // A browser that keeps its cookies (the CSRF one included) stores nothing either.
    const browser = request.agent(t.server);
    for (let i = 0; i < 20; i += 1) await browser.get('/login').expect(200);
    expect(await sessionRows()).toBe(before);
  });

  it('ASVS 5.0 V2.4.1: anonymous forms that sign nobody in (language, forgotten password, a wrong password, a wrong PIN) store no session', async () => {
    const before = await sessionRows();
    const login = await visit('/login');
    await post('/locale', [login.cookie], { _csrf: login.token, locale: 'it', next: '/login' }).expect(303);
    await post('/login', [login.cookie], { _csrf: login.token, email: manager.email, password: 'not the password' }).expect(422);
    await post('/login', [login.cookie], { _csrf: login.token, email: 'not-an-email', password: '' }).expect(422);
    const forgot = await visit('/password/forgot');
    await post('/password/forgot', [forgot.cookie], { _csrf: forgot.token, email: 'nobody@example.test' }).expect(303);
    const pin = await visit(`/ward/pin/${carer.id}`, [deviceCookie]);
    const wrong = await post(`/ward/pin/${carer.id}`, [deviceCookie, pin.cookie], { _csrf: pin.token, pin: '000000' });
    expect(wrong.status).toBe(422);
    // The re-rendered form carries a token that still works with the same cookie.
    expect(csrfFrom(wrong.text)).toBe(pin.token);
    await post('/ward/lock', [deviceCookie, pin.cookie], { _csrf: pin.token }).expect(303);
    expect(await sessionRows()).toBe(before);
  });

  it('ASVS 5.0 V3.3.2 and V3.3.4: the anonymous CSRF and language cookies are HttpOnly and SameSite=Lax; the CSRF one lasts as long as the browser', async () => {
    const page = await request(t.server).get('/login').expect(200);
    const csrfCookie = cookiesOf(page.headers['set-cookie']).find((c) => c.startsWith('insieme.csrf='))!;
    expect(csrfCookie).toMatch(/^insieme\.csrf=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    // The cookie holds the random value only; the page holds it signed, never the cookie alone.
    const value = csrfCookie.split(';')[0].split('=')[1];
    expect(csrfFrom(page.text)).toMatch(new RegExp(`^${value}\\.[A-Za-z0-9_-]{43}$`));
    const chosen = await post('/locale', [csrfCookie.split(';')[0]], { _csrf: csrfFrom(page.text), locale: 'it', next: '/login' }).expect(303);
    const localeCookie = cookiesOf(chosen.headers['set-cookie']).find((c) => c.startsWith('insieme.locale='))!;
    expect(localeCookie).toMatch(/^insieme\.locale=it; Max-Age=\d+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
  });

  it('ASVS 5.0 V3.3.1 and V3.3.3: behind a TLS proxy the anonymous CSRF cookie is __Host- prefixed and Secure, and works', async () => {
    const behindProxy = await createTestApp({ env: { TRUST_PROXY: '1' }, database: t.database });
    try {
      const page = await request(behindProxy.server).get('/login').set('X-Forwarded-Proto', 'https').expect(200);
      const setCookie = cookiesOf(page.headers['set-cookie']).find((c) => c.includes('insieme.csrf='))!;
      expect(setCookie).toMatch(/^__Host-insieme\.csrf=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
      const cookie = setCookie.split(';')[0];
      const send = (cookies: string) => request(behindProxy.server).post('/locale').set('X-Forwarded-Proto', 'https').set('Cookie', cookies).type('form')
        .send({ _csrf: csrfFrom(page.text), locale: 'it', next: '/login' });
      expect((await send(cookie)).status).toBe(303);
      // Over HTTPS the unprefixed name (which a sibling host or plain HTTP could have planted) is not read.
      expect((await send(cookie.replace('__Host-', ''))).status).toBe(403);
    } finally {
      await behindProxy.close();
    }
  });

  describe('every form an anonymous visitor can post', () => {
    interface AnonymousForm {
      /** The page the form is on (GET), and where it posts. */
      page: () => Promise<string>;
      action?: (page: string) => string;
      body: () => Record<string, string>;
      /** Cookies the visitor already holds (the ward tablet's device cookie). */
      cookies?: string[];
      /** The answer when the token is right. */
      ok: number;
    }

    const forms: [string, AnonymousForm][] = [
      ['POST /login', { page: async () => '/login', body: () => ({ email: manager.email, password: manager.password }), ok: 303 }],
      ['POST /locale', { page: async () => '/login', action: () => '/locale', body: () => ({ locale: 'it', next: '/login' }), ok: 303 }],
      ['POST /password/forgot', { page: async () => '/password/forgot', body: () => ({ email: carer.email }), ok: 303 }],
      ['POST /password/reset/:token', {
        page: async () => {
          const user = await createUser(t, { role: 'carer', homeIds: [homeId] });
          const forgot = await visit('/password/forgot');
          await post('/password/forgot', [forgot.cookie], { _csrf: forgot.token, email: user.email }).expect(303);
          return lastLink('password/reset');
        },
        body: () => ({ newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }),
        ok: 303,
      }],
      ['POST /invitations/:token', {
        page: async () => {
          const member = await createFamilyMember(t, homeId, { email: `invited.${Date.now()}@example.test` });
          const token = await formToken(managerAgent, `/families/${member.id}`);
          await managerAgent.post(`/families/${member.id}/invitation`).type('form').send({ _csrf: token }).expect(303);
          return lastLink('invitations');
        },
        body: () => ({ newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }),
        ok: 303,
      }],
      ['POST /email-change/:token', {
        page: async () => {
          const user = await createUser(t, { role: 'carer', homeIds: [homeId] });
          const agent = await signIn(t, user.email, user.password);
          const token = await formToken(agent, '/account');
          await agent.post('/account/email').type('form').send({ _csrf: token, newEmail: `changed.${Date.now()}@example.test` }).expect(303);
          return lastLink('email-change');
        },
        body: () => ({}),
        ok: 200,
      }],
      ['POST /ward/pin/:userId', { page: async () => `/ward/pin/${carer.id}`, body: () => ({ pin: PIN }), cookies: [], ok: 303 }],
      ['POST /ward/lock', { page: async () => '/ward', action: () => '/ward/lock', body: () => ({}), cookies: [], ok: 303 }],
    ];

    it.each(forms)('ASVS 5.0 V3.5.1: %s works with its signed token, and is refused (403, a clear page) without it, without the cookie, with another visitor\'s, or tampered', async (_name, form) => {
      const path = await form.page();
      const action = form.action?.(path) ?? path;
      const held = form.cookies ? [deviceCookie] : [];
      const mine = await visit(path, held);
      const theirs = await visit(path, held);
      const body = form.body();
      const attempts: [string, string[], Record<string, string>][] = [
        ['the cookie but no field', [...held, mine.cookie], body],
        ['the field but no cookie', held, { ...body, _csrf: mine.token }],
        ['another visitor\'s token', [...held, mine.cookie], { ...body, _csrf: theirs.token }],
        ['another visitor\'s cookie', [...held, theirs.cookie], { ...body, _csrf: mine.token }],
        ['a tampered signature', [...held, mine.cookie], { ...body, _csrf: tamper(mine.token) }],
        ['the bare cookie value as token', [...held, mine.cookie], { ...body, _csrf: mine.cookie.split('=')[1] }],
      ];
      for (const [what, cookies, sent] of attempts) {
        const res = await post(action, cookies, sent);
        expect({ what, status: res.status }).toEqual({ what, status: 403 });
        expect(res.text).toContain(REFUSED.replace(/'/g, '&#x27;'));
        expect(sessionCookie(res.headers['set-cookie'])).toBeUndefined();
      }
      const res = await post(action, [...held, mine.cookie], { ...body, _csrf: mine.token });
      expect(res.status).toBe(form.ok);
    });

    it('ASVS 5.0 V3.5.1: the ward tablet\'s PIN switch (POST /api/ward/pin) takes the signed token in X-CSRF-Token, and refuses it without', async () => {
      const page = await visit('/ward', [deviceCookie]);
      const send = (cookies: string[], token?: string) => {
        const req = request(t.server).post('/api/ward/pin').set('Cookie', cookies.join('; '));
        return (token ? req.set('X-CSRF-Token', token) : req).send({ userId: carer.id, pin: PIN });
      };
      const refused = await send([deviceCookie, page.cookie]);
      expect(refused.status).toBe(403);
      expect(refused.body.message).toBe(REFUSED);
      expect((await send([deviceCookie], page.token)).status).toBe(403);
      expect((await send([deviceCookie, page.cookie], tamper(page.token))).status).toBe(403);
      const ok = await send([deviceCookie, page.cookie], page.token).expect(200);
      expect(ok.body.user.id).toBe(carer.id);
      expect(typeof ok.body.csrfToken).toBe('string');
    });
  });

  it('ASVS 5.0 V3.5.1: a signed-out tablet asking GET /api/session gets 401 with the signed token its PIN sign-in sends', async () => {
    const asked = await request(t.server).get('/api/session').set('Cookie', deviceCookie).expect(401);
    const cookie = (asked.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).find((c) => c.startsWith('insieme.csrf='));
    expect(cookie).toBeDefined();
    expect(typeof asked.body.csrfToken).toBe('string');
    const ok = await request(t.server).post('/api/ward/pin').set('Cookie', [deviceCookie, cookie].join('; ')).set('X-CSRF-Token', asked.body.csrfToken).send({ userId: carer.id, pin: PIN }).expect(200);
    expect(ok.body.user.id).toBe(carer.id);
  });

  it('ASVS 5.0 V3.5.1 and V7.2.4: after sign-in no token from before it works; the session\'s own token does', async () => {
    const client = request.agent(t.server);
    const before = csrfFrom((await client.get('/login').expect(200)).text);
    await client.post('/login').type('form').send({ _csrf: before, email: manager.email, password: manager.password }).expect(303);
    const after = csrfFrom((await client.get('/account').expect(200)).text);
    expect(after).not.toBe(before);
    const locale = await client.post('/locale').type('form').send({ _csrf: before, locale: 'it', next: '/account' });
    expect(locale.status).toBe(403);
    expect(locale.text).toContain(translate('en', 'errors.csrf'));
    await client.post('/logout').type('form').send({ _csrf: before }).expect(403);
    await client.post('/api/auth/logout').set('X-CSRF-Token', before).expect(403);
    // Still signed in, in English: nothing of the refused posts happened.
    expect((await client.get('/account').expect(200)).text).toContain('My account');
    await client.post('/logout').type('form').send({ _csrf: after }).expect(303);
    await client.get('/account').expect(303);
  });

  it('ASVS 5.0 V3.5.1: API sign-in needs no form token, and its answer carries the session\'s token for writes', async () => {
    const res = await request(t.server).post('/api/auth/login').send({ email: manager.email, password: manager.password }).expect(200);
    const cookie = sessionCookie(res.headers['set-cookie'])!.split(';')[0];
    await request(t.server).post('/api/auth/logout').set('Cookie', cookie).expect(403);
    await request(t.server).post('/api/auth/logout').set('Cookie', cookie).set('X-CSRF-Token', res.body.csrfToken).expect(204);
  });

  it('ASVS 5.0 V2.4.1: the language an anonymous visitor chooses survives to the sign-in page, in a cookie, with no session', async () => {
    const before = await sessionRows();
    const visitor = request.agent(t.server);
    const token = csrfFrom((await visitor.get('/password/forgot').expect(200)).text);
    const chosen = await visitor.post('/locale').type('form').send({ _csrf: token, locale: 'it', next: '/login' }).expect(303);
    expect(chosen.headers.location).toBe('/login');
    expect(cookieSet(chosen.headers['set-cookie'], 'insieme.locale')).toBe('insieme.locale=it');
    const page = await visitor.get('/login').set('Accept-Language', 'en').expect(200);
    expect(page.text).toContain(translate('it', 'auth.signInTitle'));
    expect((await visitor.get('/password/forgot').expect(200)).text).toContain('lang="it"');
    expect(await sessionRows()).toBe(before);
    // Back to English the same way.
    await visitor.post('/locale').type('form').send({ _csrf: csrfFrom(page.text), locale: 'en', next: '/login' }).expect(303);
    expect((await visitor.get('/login').expect(200)).text).toContain(translate('en', 'auth.signInTitle'));
  });

  it('ASVS 5.0 V2.4.1: a password reset says it is done on the sign-in page without a session', async () => {
    const user = await createUser(t, { role: 'carer', homeIds: [homeId] });
    const forgot = await visit('/password/forgot');
    await post('/password/forgot', [forgot.cookie], { _csrf: forgot.token, email: user.email }).expect(303);
    const link = await lastLink('password/reset');
    const before = await sessionRows();
    const form = await visit(link);
    const done = await post(link, [form.cookie], { _csrf: form.token, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }).expect(303);
    expect(done.headers.location).toBe('/login?reset=1');
    expect(sessionCookie(done.headers['set-cookie'])).toBeUndefined();
    const page = await request(t.server).get(done.headers.location).set('Cookie', form.cookie).expect(200);
    expect(page.text).toContain(translate('en', 'auth.resetDone'));
    expect(await sessionRows()).toBe(before);
  });
});
