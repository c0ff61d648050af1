import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { In } from 'typeorm';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import type { Role } from '../src/auth/auth.enums';
import { MfaCredential } from '../src/auth/mfa/mfa-credential.entity';
import { MfaRecoveryCode } from '../src/auth/mfa/mfa-recovery-code.entity';
import { MfaService } from '../src/auth/mfa/mfa.service';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, csrfFrom, formToken, signIn } from './support/http';
import { createTestApp, TestApp } from './support/test-app';

/**
 * MFA (issue 17 item 6), with a real TOTP generator: each code is computed by otpauth from the secret
 * the app gave at enrolment. A code is accepted once per 30-second step, so each test uses a user of
 * its own: enrolment takes the current step, and the sign-in that follows the next one (drift +1).
 */

const STEP_MS = 30_000;

/** The code an authenticator with this secret shows `offsetSteps` steps from now. */
function codeFor(secret: string, offsetSteps = 0): string {
  const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret.replace(/\s/g, '')) });
  return totp.generate({ timestamp: Date.now() + offsetSteps * STEP_MS });
}

/** A code that is surely wrong now (none of the three accepted steps). */
function wrongCodeFor(secret: string): string {
  const accepted = new Set([-1, 0, 1].map((n) => codeFor(secret, n)));
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, '0');
    if (!accepted.has(candidate)) return candidate;
  }
}

function secretOnPage(html: string): string {
  const match = /<code class="mfa-secret">([A-Z2-7 ]+)<\/code>/.exec(html);
  if (!match) throw new Error(`No secret on the page: ${html.slice(0, 300)}`);
  return match[1].replace(/\s/g, '');
}

function recoveryCodesOnPage(html: string): string[] {
  return [...html.matchAll(/<li><code>([a-z0-9]{5}-[a-z0-9]{5})<\/code><\/li>/g)].map((m) => m[1]);
}

function fieldError(html: string, field: string): string | null {
  return new RegExp(`<p class="field-error" id="error-${field}">([^<]+)</p>`).exec(html)?.[1] ?? null;
}

async function enrolThroughPages(agent: Agent, offsetSteps = 0): Promise<{ secret: string; recoveryCodes: string[] }> {
  const page = await agent.get('/account/mfa').expect(200);
  const secret = secretOnPage(page.text);
  const res = await agent.post('/account/mfa/enable').type('form').send({ _csrf: csrfFrom(page.text), code: codeFor(secret, offsetSteps) }).expect(200);
  return { secret, recoveryCodes: recoveryCodesOnPage(res.text) };
}

/** MFA switched on through the service (set-up for tests about something else). */
async function enrolDirectly(t: TestApp, user: TestUser): Promise<string> {
  const mfa = t.get(MfaService);
  const { enrolment, pending } = await mfa.startEnrolment({ id: user.id, email: user.email });
  await mfa.confirmEnrolment({ id: user.id, role: user.role }, codeFor(enrolment.secret), pending, { ip: '127.0.0.1' });
  return enrolment.secret.replace(/\s/g, '');
}

/** The password step: the browser is sent to the code page. */
async function passwordStep(t: TestApp, user: TestUser, next?: string): Promise<Agent> {
  const agent = request.agent(t.server);
  const token = await formToken(agent);
  const res = await agent.post('/login').type('form').send({ _csrf: token, email: user.email, password: user.password, ...(next ? { next } : {}) });
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe('/login/mfa');
  return agent;
}

async function submitCode(agent: Agent, code: string) {
  const page = await agent.get('/login/mfa');
  if (page.status !== 200) return page;
  return agent.post('/login/mfa').type('form').send({ _csrf: csrfFrom(page.text), code });
}

async function auditActions(t: TestApp, userId: string): Promise<string[]> {
  const entries = await t.dataSource.getRepository(AuditEntry).find({ where: { entityId: userId, action: In(['mfa_enrol', 'mfa_verify', 'mfa_recovery_used', 'mfa_failed', 'mfa_codes_renewed', 'mfa_reset', 'mfa_disable']) }, order: { seq: 'ASC' } });
  return entries.map((entry) => entry.action);
}

describe('MFA (issue 17 item 6)', () => {
  let t: TestApp;
  let homeId: string;
  const newUser = (role: Role, homeIds?: string[]) => createUser(t, { role, ...(role === 'admin' ? {} : { homeIds: homeIds ?? [homeId] }) });

  beforeAll(async () => {
    t = await createTestApp();
    homeId = (await createHome(t)).id;
  });

  afterAll(async () => {
    await t.close();
  });

  it('ASVS 5.0 V6.5.3: enrolment shows a QR code and key, refuses a wrong code beside the field, and a right code switches MFA on and shows 10 recovery codes once', async () => {
    const carer = await newUser('carer');
    const agent = await signIn(t, carer.email, carer.password);
    const page = await agent.get('/account/mfa').expect(200);
    // Handlebars writes the base64 padding "=" as &#x3D;, which the browser reads back.
    expect(page.text).toMatch(/<img class="mfa-qr" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/]+(&#x3D;)*"/);
    const secret = secretOnPage(page.text);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    // Reloading keeps the secret the authenticator has already scanned; showing it stores nothing yet.
    expect(secretOnPage((await agent.get('/account/mfa').expect(200)).text)).toBe(secret);
    expect(await t.dataSource.getRepository(MfaCredential).countBy({ userId: carer.id })).toBe(0);

    const wrong = await agent.post('/account/mfa/enable').type('form').send({ _csrf: csrfFrom(page.text), code: wrongCodeFor(secret) }).expect(422);
    expect(fieldError(wrong.text, 'code')).toContain('not right');
    const blank = await agent.post('/account/mfa/enable').type('form').send({ _csrf: csrfFrom(page.text), code: '' }).expect(422);
    expect(fieldError(blank.text, 'code')).toBeTruthy();
    expect(await t.get(MfaService).isEnabled(carer.id)).toBe(false);

    const right = await agent.post('/account/mfa/enable').type('form').send({ _csrf: csrfFrom(page.text), code: codeFor(secret) }).expect(200);
    const codes = recoveryCodesOnPage(right.text);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(await t.get(MfaService).isEnabled(carer.id)).toBe(true);
    // Shown once: the settings page has only how many are left.
    const after = await agent.get('/account/mfa').expect(200);
    expect(after.text).toContain('Recovery codes left: 10.');
    for (const code of codes) expect(after.text).not.toContain(code);
    expect(after.text).not.toContain(secret);
    // Neither the secret nor the codes are readable in the database.
    const stored = await t.dataSource.getRepository(MfaCredential).findOneByOrFail({ userId: carer.id });
    expect(stored.secretSealed).not.toContain(secret);
    expect(stored.secretSealed).toMatch(/^v1:/);
    const hashes = (await t.dataSource.getRepository(MfaRecoveryCode).findBy({ userId: carer.id })).map((row) => row.codeHash);
    expect(hashes).toHaveLength(10);
    for (const code of codes) expect(hashes.join()).not.toContain(code.replace('-', ''));
    expect(await auditActions(t, carer.id)).toEqual(['mfa_enrol']);
  });

  it('ASVS 5.0 V6.3.3: with MFA on, the password alone does not sign in; the code page does, and goes on to the page first asked for', async () => {
    const coordinator = await newUser('coordinator');
    const secret = await enrolDirectly(t, coordinator);
    const agent = await passwordStep(t, coordinator, '/account');
    // Half-signed: nothing but the code page.
    const blocked = await agent.get('/account');
    expect(blocked.status).toBe(303);
    expect(blocked.headers.location).toMatch(/^\/login/);
    const res = await submitCode(agent, codeFor(secret, 1));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/account');
    await agent.get('/account').expect(200);
    expect(await auditActions(t, coordinator.id)).toEqual(['mfa_enrol', 'mfa_verify']);
  });

  it('ASVS 5.0 V6.5.1: a code is taken once: the enrolment code and a code already used at sign-in are refused as replays', async () => {
    const carer = await newUser('carer');
    const agent = await signIn(t, carer.email, carer.password);
    const { secret } = await enrolThroughPages(agent);
    const enrolmentCode = codeFor(secret);
    const first = await passwordStep(t, carer);
    const replayOfEnrolment = await submitCode(first, enrolmentCode);
    // Unless the step turned over between the two, the enrolment's code is the current one: a replay.
    if (codeFor(secret) === enrolmentCode) expect(replayOfEnrolment.status).toBe(422);
    const next = codeFor(secret, 1);
    const ok = await submitCode(first, next);
    expect(ok.status).toBe(303);
    const second = await passwordStep(t, carer);
    const replay = await submitCode(second, next);
    expect(replay.status).toBe(422);
    expect(fieldError(replay.text, 'code')).toContain('already been used');
    expect(await auditActions(t, carer.id)).toContain('mfa_verify');
  });

  it('ASVS 5.0 V6.5.5: a code from one step either side is accepted (clock drift), one from further away is not', async () => {
    const volunteer = await createUser(t, { role: 'volunteer', homeIds: [homeId] });
    const agent = await signIn(t, volunteer.email, volunteer.password);
    const { secret } = await enrolThroughPages(agent, -1);
    const pending = await passwordStep(t, volunteer);
    expect((await submitCode(pending, codeFor(secret, 3))).status).toBe(422);
    expect((await submitCode(pending, codeFor(secret, -3))).status).toBe(422);
    expect((await submitCode(pending, codeFor(secret, 1))).status).toBe(303);
  });

  it('ASVS 5.0 V6.3.1: wrong codes are limited: the fifth ends the pending sign-in, each is audited, and the account is locked for a while even to the right code', async () => {
    const carer = await newUser('carer');
    const secret = await enrolDirectly(t, carer);
    const agent = await passwordStep(t, carer);
    for (let i = 0; i < 4; i++) {
      const res = await submitCode(agent, wrongCodeFor(secret));
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'code')).toContain('not right');
    }
    const fifth = await submitCode(agent, wrongCodeFor(secret));
    expect(fifth.status).toBe(303);
    expect(fifth.headers.location).toBe('/login');
    const login = await agent.get('/login').expect(200);
    expect(login.text).toContain('Too many wrong codes');
    // The pending sign-in is over: the code page sends back to the password.
    expect((await agent.get('/login/mfa')).headers.location).toBe('/login');

    // Signing in again while locked is told so after the password, not after the code typed again.
    const again = request.agent(t.server);
    const token = await formToken(again);
    const locked = await again.post('/login').type('form').send({ _csrf: token, email: carer.email, password: carer.password });
    expect(locked.status).toBe(429);
    expect(locked.text).toContain('Too many wrong codes');
    expect(locked.text).toContain(`value="${carer.email}"`);
    expect((await again.get('/login/mfa')).headers.location).toBe('/login');
    const actions = await auditActions(t, carer.id);
    expect(actions.filter((a) => a === 'mfa_failed')).toHaveLength(5);
    expect(actions).not.toContain('mfa_verify');
  });

  it('ASVS 5.0 V6.3.1: 20 wrong codes sent at the same moment are counted one after another: 5 are judged, the rest find the account locked', async () => {
    const carer = await newUser('carer');
    const secret = await enrolDirectly(t, carer);
    const mfa = t.get(MfaService);
    const actor = { id: carer.id, role: 'carer' as const };
    const results = await Promise.all(Array.from({ length: 20 }, () => mfa.check(actor, wrongCodeFor(secret), { ip: '127.0.0.1' })));
    expect(results.filter((r) => !r.ok && !r.locked)).toHaveLength(4);
    expect(results.every((r) => !r.ok)).toBe(true);
    expect((await t.dataSource.getRepository(MfaCredential).findOneByOrFail({ userId: carer.id })).failedCount).toBe(5);
    // Locked: the right code is refused too, until the lock has passed.
    expect(await mfa.check(actor, codeFor(secret, 0), { ip: '127.0.0.1' })).toEqual({ ok: false, locked: true });
  });

  it('ASVS 5.0 V6.3.3: the half-signed state is not a sign-in and ends after 5 minutes', async () => {
    const carer = await newUser('carer');
    const secret = await enrolDirectly(t, carer);
    const agent = await passwordStep(t, carer);
    const page = await agent.get('/login/mfa').expect(200);
    const realNow = Date.now;
    const spy = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 6 * 60_000);
    try {
      const res = await agent.post('/login/mfa').type('form').send({ _csrf: csrfFrom(page.text), code: codeFor(secret, 1) });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/login');
    } finally {
      spy.mockRestore();
    }
    expect(await auditActions(t, carer.id)).not.toContain('mfa_verify');
  });

  it('ASVS 5.0 V6.5.1 and V6.5.2: a recovery code signs in once, is kept only as a keyed hash, and is refused the second time', async () => {
    const family = await createUser(t, { role: 'family', homeIds: [homeId] });
    const agent = await signIn(t, family.email, family.password);
    const { recoveryCodes } = await enrolThroughPages(agent);
    const [code] = recoveryCodes;
    const first = await passwordStep(t, family);
    const ok = await submitCode(first, code.toUpperCase().replace('-', ' '));
    expect(ok.status).toBe(303);
    const home = await first.get('/account').expect(200);
    expect(home.text).toContain('Recovery codes left: 9.');
    const second = await passwordStep(t, family);
    expect((await submitCode(second, code)).status).toBe(422);
    const rows = await t.dataSource.getRepository(MfaRecoveryCode).findBy({ userId: family.id });
    expect(rows.filter((row) => row.usedAt !== null)).toHaveLength(1);
    expect(rows.map((row) => row.codeHash)).not.toContain(code);
    expect(await auditActions(t, family.id)).toEqual(['mfa_enrol', 'mfa_recovery_used', 'mfa_failed']);
  });

  it('ASVS 5.0 V6.5.6: new recovery codes need a right code, replace the old ones, and are audited', async () => {
    const carer = await newUser('carer');
    const agent = await signIn(t, carer.email, carer.password);
    const { secret, recoveryCodes: old } = await enrolThroughPages(agent);
    const page = await agent.get('/account/mfa').expect(200);
    const refused = await agent.post('/account/mfa/recovery-codes').type('form').send({ _csrf: csrfFrom(page.text), code: wrongCodeFor(secret) }).expect(422);
    expect(fieldError(refused.text, 'code')).toContain('not right');
    const renewed = await agent.post('/account/mfa/recovery-codes').type('form').send({ _csrf: csrfFrom(page.text), code: codeFor(secret, 1) }).expect(200);
    const fresh = recoveryCodesOnPage(renewed.text);
    expect(fresh).toHaveLength(10);
    const pending = await passwordStep(t, carer);
    expect((await submitCode(pending, old[0])).status).toBe(422);
    expect((await submitCode(pending, fresh[0])).status).toBe(303);
    expect(await auditActions(t, carer.id)).toEqual(['mfa_enrol', 'mfa_failed', 'mfa_verify', 'mfa_codes_renewed', 'mfa_failed', 'mfa_recovery_used']);
  });

  it('ASVS 5.0 V6.5.6: a user turns their own MFA off with a right code only', async () => {
    const carer = await newUser('carer');
    const agent = await signIn(t, carer.email, carer.password);
    const { secret } = await enrolThroughPages(agent);
    const page = await agent.get('/account/mfa').expect(200);
    expect(page.text).toContain('action="/account/mfa/disable"');
    const wrong = await agent.post('/account/mfa/disable').type('form').send({ _csrf: csrfFrom(page.text), code: wrongCodeFor(secret) }).expect(422);
    expect(fieldError(wrong.text, 'code')).toContain('not right');
    expect(await t.get(MfaService).isEnabled(carer.id)).toBe(true);
    await agent.post('/account/mfa/disable').type('form').send({ _csrf: csrfFrom(page.text), code: codeFor(secret, 1) }).expect(303);
    expect(await t.get(MfaService).isEnabled(carer.id)).toBe(false);
    await signIn(t, carer.email, carer.password);
    expect(await auditActions(t, carer.id)).toEqual(['mfa_enrol', 'mfa_failed', 'mfa_verify', 'mfa_disable']);
  });

  it('ASVS 5.0 V6.3.4: the API sign-in of a user with MFA needs the code too: without it 422 naming code, wrong 422, right 200', async () => {
    const manager = await newUser('manager');
    const secret = await enrolDirectly(t, manager);
    const api = request.agent(t.server);
    const missing = await api.post('/api/auth/login').send({ email: manager.email, password: manager.password }).expect(422);
    expect(missing.body.fields.code).toMatch(/6-digit code/);
    expect(missing.body.message).toMatch(/two-step verification/);
    await api.get('/api/session').expect(401);
    const wrong = await api.post('/api/auth/login').send({ email: manager.email, password: manager.password, code: wrongCodeFor(secret) }).expect(422);
    expect(wrong.body.fields.code).toMatch(/not right/);
    await api.get('/api/session').expect(401);
    const ok = await api.post('/api/auth/login').send({ email: manager.email, password: manager.password, code: codeFor(secret, 1) }).expect(200);
    expect(ok.body.csrfToken).toEqual(expect.any(String));
    await api.get('/api/session').expect(200);
    // A user without MFA signs in with the password alone, as before.
    const plain = await newUser('carer');
    await request(t.server).post('/api/auth/login').send({ email: plain.email, password: plain.password }).expect(200);
    expect(await auditActions(t, manager.id)).toEqual(['mfa_enrol', 'mfa_failed', 'mfa_verify']);
  });

  it('ASVS 5.0 V6.5.6: an admin resets anyone\'s MFA, a manager their home\'s carer\'s, never an admin\'s or another manager\'s; each reset is audited', async () => {
    const admin = await newUser('admin');
    const manager = await newUser('manager');
    const otherManager = await newUser('manager');
    const carer = await newUser('carer');
    const otherAdmin = await newUser('admin');
    const managerSecret = await enrolDirectly(t, manager);
    for (const user of [otherManager, carer, otherAdmin]) await enrolDirectly(t, user);
    const managerPending = await passwordStep(t, manager);
    expect((await submitCode(managerPending, codeFor(managerSecret, 1))).status).toBe(303);

    const carerPage = await managerPending.get(`/accounts/${carer.id}`).expect(200);
    expect(carerPage.text).toContain(`action="/accounts/${carer.id}/mfa-reset"`);
    await managerPending.post(`/accounts/${carer.id}/mfa-reset`).type('form').send({ _csrf: csrfFrom(carerPage.text) }).expect(303);
    expect(await t.get(MfaService).isEnabled(carer.id)).toBe(false);

    const token = csrfFrom(carerPage.text);
    await managerPending.post(`/accounts/${otherAdmin.id}/mfa-reset`).type('form').send({ _csrf: token }).expect(404);
    const otherManagerPage = await managerPending.get(`/accounts/${otherManager.id}`).expect(200);
    expect(otherManagerPage.text).not.toContain('/mfa-reset');
    await managerPending.post(`/accounts/${otherManager.id}/mfa-reset`).type('form').send({ _csrf: token }).expect(422);
    expect(await t.get(MfaService).isEnabled(otherAdmin.id)).toBe(true);
    expect(await t.get(MfaService).isEnabled(otherManager.id)).toBe(true);

    const adminAgent = await signIn(t, admin.email, admin.password);
    const adminPage = await adminAgent.get(`/accounts/${otherManager.id}`).expect(200);
    await adminAgent.post(`/accounts/${otherManager.id}/mfa-reset`).type('form').send({ _csrf: csrfFrom(adminPage.text) }).expect(303);
    await adminAgent.post(`/accounts/${otherAdmin.id}/mfa-reset`).type('form').send({ _csrf: csrfFrom(adminPage.text) }).expect(303);
    expect(await t.get(MfaService).isEnabled(otherManager.id)).toBe(false);
    expect(await t.get(MfaService).isEnabled(otherAdmin.id)).toBe(false);
    // Nothing left to reset.
    await adminAgent.post(`/accounts/${otherAdmin.id}/mfa-reset`).type('form').send({ _csrf: csrfFrom(adminPage.text) }).expect(422);

    const resets = await t.dataSource.getRepository(AuditEntry).findBy({ action: 'mfa_reset', entityId: In([carer.id, otherManager.id, otherAdmin.id]) });
    expect(resets.map((entry) => [entry.entityId, entry.userId]).sort()).toEqual(
      [[carer.id, manager.id], [otherManager.id, admin.id], [otherAdmin.id, admin.id]].sort(),
    );
    // After a reset the password alone signs in again (outside production).
    await signIn(t, carer.email, carer.password);
  });

  it('ASVS 5.0 V8.2.2: the accounts pages show whether MFA is on, never a secret; a user\'s settings show only their own enrolment', async () => {
    const admin = await newUser('admin');
    const carer = await newUser('carer');
    const carerAgent = await signIn(t, carer.email, carer.password);
    const { secret } = await enrolThroughPages(carerAgent);
    const adminAgent = await signIn(t, admin.email, admin.password);
    const list = await adminAgent.get(`/accounts?q=${encodeURIComponent(carer.email)}`).expect(200);
    expect(list.text).toMatch(/<td class="mfa-state">On<\/td>/);
    const detail = await adminAgent.get(`/accounts/${carer.id}`).expect(200);
    expect(detail.text).toMatch(/<td class="mfa-state">On<\/td>/);
    const adminOwn = await adminAgent.get('/account/mfa').expect(200);
    for (const html of [list.text, detail.text, adminOwn.text]) {
      expect(html).not.toContain(secret);
      expect(html).not.toContain('otpauth://');
    }
    // An admin's own enrolment has a secret of its own.
    expect(secretOnPage(adminOwn.text)).not.toBe(secret);
  });

  it('ASVS 5.0 V6.3.3: outside production MFA is optional: a manager without it signs in with the password alone', async () => {
    const manager = await newUser('manager');
    const agent = request.agent(t.server);
    const token = await formToken(agent);
    const res = await agent.post('/login').type('form').send({ _csrf: token, email: manager.email, password: manager.password, next: '/account' });
    expect(res.headers.location).toBe('/account');
    await agent.get('/residents').expect(200);
  });
});

describe('MFA in production (issue 17 item 6)', () => {
  let t: TestApp;
  let homeId: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { NODE_ENV: 'production' } });
    homeId = (await createHome(t)).id;
  });

  afterAll(async () => {
    await t.close();
  });

  it('ASVS 5.0 V6.3.3: in production a manager without MFA is sent to enrol at sign-in, every page leads there, the API answers 403 mfa_enrolment_required, until enrolled', async () => {
    const manager = await createUser(t, { role: 'manager', homeIds: [homeId] });
    const agent = request.agent(t.server);
    const token = await formToken(agent);
    const res = await agent.post('/login').type('form').send({ _csrf: token, email: manager.email, password: manager.password, next: '/residents' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/account/mfa');
    for (const path of ['/residents', '/account', '/accounts']) {
      const page = await agent.get(path);
      expect(page.status).toBe(303);
      expect(page.headers.location).toBe('/account/mfa');
    }
    const settings = await agent.get('/account/mfa').expect(200);
    expect(settings.text).toContain('Your role needs two-step verification');
    const api = request.agent(t.server);
    const login = await api.post('/api/auth/login').send({ email: manager.email, password: manager.password }).expect(200);
    expect(login.body.required).toBe('mfa_enrolment_required');
    const refused = await api.get('/api/residents').expect(403);
    expect(refused.body.code).toBe('mfa_enrolment_required');
    // Signing out stays possible.
    await api.post('/api/auth/logout').set('X-CSRF-Token', login.body.csrfToken).expect(204);

    const secret = secretOnPage(settings.text);
    await agent.post('/account/mfa/enable').type('form').send({ _csrf: csrfFrom(settings.text), code: codeFor(secret) }).expect(200);
    await agent.get('/residents').expect(200);
    // Required for the role: it cannot be turned off.
    const after = await agent.get('/account/mfa').expect(200);
    expect(after.text).not.toContain('action="/account/mfa/disable"');
    await agent.post('/account/mfa/disable').type('form').send({ _csrf: csrfFrom(after.text), code: codeFor(secret, 1) }).expect(422);
    expect(await t.get(MfaService).isEnabled(manager.id)).toBe(true);
  });

  it('ASVS 5.0 V6.3.3: in production an admin must enrol too, and a carer need not', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const adminAgent = request.agent(t.server);
    const token = await formToken(adminAgent);
    const res = await adminAgent.post('/login').type('form').send({ _csrf: token, email: admin.email, password: admin.password });
    expect(res.headers.location).toBe('/account/mfa');
    expect((await adminAgent.get('/accounts')).headers.location).toBe('/account/mfa');

    const carer = await createUser(t, { role: 'carer', homeIds: [homeId] });
    const carerAgent = await signIn(t, carer.email, carer.password);
    await carerAgent.get('/account').expect(200);
    await carerAgent.get('/residents').expect(200);
  });
});
