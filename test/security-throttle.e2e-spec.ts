import request from 'supertest';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { LoginThrottleCounter } from '../src/auth/entities/login-throttle-counter.entity';
import { ACCOUNT_UNDER_ATTACK, FREE_FAILURES_PER_PAIR, LoginThrottle, MAX_FAILURES_PER_IP } from '../src/auth/login-throttle';
import { PasswordHasher } from '../src/auth/password-hasher';
import { MAX_RESETS_PER_EMAIL } from '../src/auth/password-reset.service';
import { PasswordReset } from '../src/auth/entities/password-reset.entity';
import { createHome, createUser, TestUser } from './support/factories';
import { formToken, signIn } from './support/http';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Issue 17, findings 1, 2 and 7: password checks are reserved before argon2 runs, throttled per
 * (account, address) with a growing wait and per address but never per account alone, the client
 * address is taken from X-Forwarded-For only as far as TRUST_PROXY says, and the current password
 * on the account page is throttled and audited like a sign-in.
 */
describe('Sign-in throttling (ASVS 5.0 V6.3, V4.1.3, V6.2.3)', () => {
  /** Behind one proxy (TRUST_PROXY=1), so each request can come from an address of its own. */
  let t: TestApp;
  let homeId: string;
  let verifications: jest.SpyInstance;

  const login = (app: TestApp, email: string, password: string, forwardedFor?: string) => {
    const req = request(app.server).post('/api/auth/login');
    if (forwardedFor !== undefined) req.set('X-Forwarded-For', forwardedFor);
    return req.send({ email, password });
  };
  const from = (ip: string, email: string, password: string) => login(t, email, password, ip);
  const failedSignInsOf = (userId: string) => t.dataSource.getRepository(AuditEntry).find({ where: { action: 'login_failed', userId }, order: { seq: 'ASC' } });

  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: '1' } });
    homeId = (await createHome(t)).id;
    verifications = jest.spyOn(t.get(PasswordHasher), 'verify');
  });

  beforeEach(async () => {
    // Each test starts with no counts, whatever the one before it tried.
    await t.dataSource.getRepository(LoginThrottleCounter).clear();
    verifications.mockClear();
  });

  afterAll(async () => {
    verifications.mockRestore();
    await t.close();
  });

  describe('V6.3.1 brute force', () => {
    let manager: TestUser;

    beforeEach(async () => {
      manager = await createUser(t, { role: 'manager', homeIds: [homeId] });
    });

    it('ASVS 5.0 V6.3.1: 25 wrong passwords for one account sent in parallel from one address get at most 5 argon2 checks; the rest are 429', async () => {
      const answers = await Promise.all(Array.from({ length: 25 }, () => from('203.0.113.10', manager.email, 'wrong password!')));

      const statuses = answers.map((res) => res.status);
      expect(statuses.filter((s) => s === 422)).toHaveLength(FREE_FAILURES_PER_PAIR);
      expect(statuses.filter((s) => s === 429)).toHaveLength(25 - FREE_FAILURES_PER_PAIR);
      expect(verifications).toHaveBeenCalledTimes(FREE_FAILURES_PER_PAIR);
      const refused = answers.find((res) => res.status === 429)!;
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.body.message).toMatch(/Too many sign-in attempts\. Wait \d+ minutes?/);
      // Every try is audited: the checked ones as failures, the others as throttled.
      const audited = await failedSignInsOf(manager.id);
      expect(audited).toHaveLength(FREE_FAILURES_PER_PAIR);
    });

    it('ASVS 5.0 V6.3.1: 25 parallel wrong passwords for an unknown email are counted the same, after the same argon2 work', async () => {
      const answers = await Promise.all(Array.from({ length: 25 }, () => from('203.0.113.11', 'nobody-here@example.test', 'wrong password!')));

      expect(answers.filter((res) => res.status === 422)).toHaveLength(FREE_FAILURES_PER_PAIR);
      expect(answers.filter((res) => res.status === 429)).toHaveLength(25 - FREE_FAILURES_PER_PAIR);
      expect(verifications).toHaveBeenCalledTimes(FREE_FAILURES_PER_PAIR);
    });

    it('ASVS 5.0 V6.3.1: while the account is attacked, its right password still signs in from an address with no failures', async () => {
      await Promise.all(Array.from({ length: 25 }, () => from('203.0.113.12', manager.email, 'wrong password!')));
      // …and from many more addresses, one guess each.
      for (let i = 0; i < ACCOUNT_UNDER_ATTACK; i += 1) {
        expect((await from(`192.0.2.${i + 1}`, manager.email, `guess number ${i}`)).status).toBe(422);
      }
      expect((await from('203.0.113.12', manager.email, manager.password)).status).toBe(429);

      const owner = await from('198.51.100.20', manager.email, manager.password);

      expect(owner.status).toBe(200);
      expect(owner.body.user.email).toBe(manager.email);
    });

    it('ASVS 5.0 V6.3.1: an account under attack from many addresses leaves a new address one guess before it must wait', async () => {
      for (let i = 0; i < ACCOUNT_UNDER_ATTACK; i += 1) await from(`192.0.2.${100 + i}`, manager.email, 'spread guess');

      expect((await from('192.0.2.200', manager.email, 'one more guess')).status).toBe(422);
      expect((await from('192.0.2.200', manager.email, 'and another')).status).toBe(429);
      expect((await from('198.51.100.21', manager.email, manager.password)).status).toBe(200);
    });

    it('ASVS 5.0 V6.3.1: past the free failures, the wait for one address doubles after each further failure', async () => {
      const ip = '203.0.113.13';
      const waits: number[] = [];
      const pair = { scope: 'pair' as const, key: `${manager.email} ${ip}` };
      for (let i = 0; i < FREE_FAILURES_PER_PAIR; i += 1) expect((await from(ip, manager.email, 'wrong password!')).status).toBe(422);
      for (let round = 0; round < 3; round += 1) {
        const refused = await from(ip, manager.email, 'wrong password!');
        expect(refused.status).toBe(429);
        waits.push(Number(refused.headers['retry-after']));
        // The wait has passed: one more guess is checked, and fails.
        await t.dataSource.getRepository(LoginThrottleCounter).update(pair, { blockedUntil: Date.now() - 1 });
        expect((await from(ip, manager.email, 'wrong password!')).status).toBe(422);
      }

      expect(waits[0]).toBeGreaterThan(55);
      expect(waits[0]).toBeLessThanOrEqual(60);
      expect(waits[1]).toBeGreaterThan(115);
      expect(waits[1]).toBeLessThanOrEqual(120);
      expect(waits[2]).toBeGreaterThan(235);
      expect(waits[2]).toBeLessThanOrEqual(240);
    });

    it('ASVS 5.0 V6.3.1: one address gets 30 failures in 15 minutes over all accounts, then even a right password waits; other addresses do not', async () => {
      const ip = '203.0.113.14';
      for (let i = 0; i < MAX_FAILURES_PER_IP; i += 1) {
        expect((await from(ip, `stuffed-${i}@example.test`, 'password123')).status).toBe(422);
      }

      const refused = await from(ip, manager.email, manager.password);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(14 * 60);
      expect((await from('203.0.113.15', manager.email, manager.password)).status).toBe(200);
      expect(verifications).toHaveBeenCalledTimes(MAX_FAILURES_PER_IP + 1);
    });

    it('ASVS 5.0 V6.3.1: a right password gives its check back, so the owner\'s own mistypes do not add up', async () => {
      const ip = '203.0.113.16';
      for (let round = 0; round < 3; round += 1) {
        for (let i = 0; i < FREE_FAILURES_PER_PAIR - 1; i += 1) expect((await from(ip, manager.email, 'typo')).status).toBe(422);
        expect((await from(ip, manager.email, manager.password)).status).toBe(200);
      }
    });

    it('ASVS 5.0 V6.3.1: old counters can be pruned, and only those', async () => {
      await from('203.0.113.17', manager.email, 'wrong password!');
      const repo = t.dataSource.getRepository(LoginThrottleCounter);
      const before = await repo.count();
      await repo.update({ scope: 'pair', key: `${manager.email} 203.0.113.17` }, { lastAt: Date.now() - 2 * 24 * 60 * 60 * 1000 });

      const pruned = await t.get(LoginThrottle).prune(new Date(Date.now() - 24 * 60 * 60 * 1000));

      expect(pruned).toBe(1);
      expect(await repo.count()).toBe(before - 1);
    });
  });

  describe('V4.1.3 the client address behind a proxy', () => {
    it('ASVS 5.0 V4.1.3: with TRUST_PROXY unset, X-Forwarded-For is ignored: the per-address limit holds across 35 different headers', async () => {
      const direct = await createTestApp({ database: t.database });
      const directChecks = jest.spyOn(direct.get(PasswordHasher), 'verify');
      try {
        const answers = [];
        for (let i = 0; i < 35; i += 1) answers.push((await login(direct, `stuffed-${i}@example.test`, 'password123', `198.18.${i}.1`)).status);

        expect(answers.slice(0, MAX_FAILURES_PER_IP)).toEqual(Array(MAX_FAILURES_PER_IP).fill(422));
        expect(answers.slice(MAX_FAILURES_PER_IP)).toEqual(Array(35 - MAX_FAILURES_PER_IP).fill(429));
        expect(directChecks).toHaveBeenCalledTimes(MAX_FAILURES_PER_IP);
      } finally {
        directChecks.mockRestore();
        await direct.close();
      }
    });

    it('ASVS 5.0 V4.1.3: with TRUST_PROXY=1 only the nearest hop is believed, whatever the client writes before it', async () => {
      for (let i = 0; i < MAX_FAILURES_PER_IP; i += 1) {
        expect((await login(t, `stuffed-${i}@example.test`, 'password123', `10.${i}.0.1, 203.0.113.30`)).status).toBe(422);
      }

      expect((await login(t, 'stuffed-x@example.test', 'password123', '10.200.0.1, 203.0.113.30')).status).toBe(429);
      expect((await login(t, 'stuffed-x@example.test', 'password123', '203.0.113.30, 203.0.113.31')).status).toBe(422);
      const recorded = await t.dataSource.getRepository(AuditEntry).findOne({ where: { action: 'login_failed' }, order: { seq: 'DESC' } });
      expect(recorded?.ip).toBe('203.0.113.31');
    });

    it('ASVS 5.0 V4.1.3: with a list of proxy addresses, X-Forwarded-For from a peer not in the list is ignored, and believed from one in it', async () => {
      const lastFailure = async () => (await t.dataSource.getRepository(AuditEntry).findOne({ where: { action: 'login_failed' }, order: { seq: 'DESC' } }))?.ip;
      const elsewhere = await createTestApp({ env: { TRUST_PROXY: '10.9.9.9, 192.168.0.0/16' }, database: t.database });
      try {
        expect((await login(elsewhere, 'list-1@example.test', 'password123', '198.51.100.77')).status).toBe(422);
        expect(await lastFailure()).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
      } finally {
        await elsewhere.close();
      }
      const loopback = await createTestApp({ env: { TRUST_PROXY: 'loopback' }, database: t.database });
      try {
        expect((await login(loopback, 'list-2@example.test', 'password123', '198.51.100.78')).status).toBe(422);
        expect(await lastFailure()).toBe('198.51.100.78');
      } finally {
        await loopback.close();
      }
    });
  });

  describe('V2.4 asking for a password-reset mail', () => {
    it('ASVS 5.0 V2.4: 8 parallel requests for a reset mail for one account make exactly 3 links; the rest are 429', async () => {
      const user = await createUser(t, { role: 'carer', homeIds: [homeId] });
      const ask = async (ip: string) => {
        const agent = request.agent(t.server);
        const token = await formToken(agent, '/password/forgot');
        return agent.post('/password/forgot').set('X-Forwarded-For', ip).type('form').send({ _csrf: token, email: user.email });
      };

      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => ask(`203.0.113.${40 + i}`)));

      expect(answers.filter((res) => res.status === 303)).toHaveLength(MAX_RESETS_PER_EMAIL);
      expect(answers.filter((res) => res.status === 429)).toHaveLength(8 - MAX_RESETS_PER_EMAIL);
      expect(await t.dataSource.getRepository(PasswordReset).countBy({ userId: user.id })).toBe(MAX_RESETS_PER_EMAIL);
    });
  });

  describe('V6.2.3 the current password on the account page', () => {
    const change = async (agent: request.Agent, currentPassword: string) => {
      const token = await formToken(agent, '/account');
      return agent.post('/account/password').type('form').send({ _csrf: token, currentPassword, newPassword: 'a brand new password', confirmPassword: 'a brand new password' });
    };
    const besideField = (html: string) => /id="error-currentPassword">([^<]+)</.exec(html)?.[1];

    it('ASVS 5.0 V6.2.3 and V6.3.1: twelve guesses of the current password get five argon2 checks, then "try again in N minutes" beside the field, each audited', async () => {
      const user = await createUser(t, { role: 'coordinator', homeIds: [homeId] });
      const agent = await signIn(t, user.email, user.password);
      verifications.mockClear();

      const answers = [];
      for (let i = 0; i < 12; i += 1) answers.push(await change(agent, `guess number ${i}`));

      expect(answers.map((res) => res.status)).toEqual([...Array(5).fill(422), ...Array(7).fill(429)]);
      expect(verifications).toHaveBeenCalledTimes(5);
      expect(besideField(answers[0].text)).toBe('This is not your current password.');
      expect(besideField(answers[5].text)).toMatch(/^Too many password attempts\. Wait 1 minute and try again\.$/);
      expect(Number(answers[11].headers['retry-after'])).toBeGreaterThan(0);
      // Even the right one waits now, from this address.
      expect((await change(agent, user.password)).status).toBe(429);
      const audited = await failedSignInsOf(user.id);
      expect(audited.map((entry) => entry.changes?.reason?.new)).toEqual([...Array(5).fill('wrong_current_password'), ...Array(8).fill('throttled')]);
      expect(audited.every((entry) => entry.ip === '127.0.0.1' || entry.ip === '::ffff:127.0.0.1')).toBe(true);
    });

    it('ASVS 5.0 V6.3.1: the password asked for to set a tablet PIN is throttled and audited the same way', async () => {
      const carer = await createUser(t, { role: 'carer', homeIds: [homeId] });
      const agent = await signIn(t, carer.email, carer.password);
      verifications.mockClear();
      const setPin = async (password: string) => {
        const token = await formToken(agent, '/account');
        return agent.post('/account/pin').type('form').send({ _csrf: token, pin: '482915', confirmPin: '482915', password });
      };

      const answers = [];
      for (let i = 0; i < 7; i += 1) answers.push(await setPin(`guess number ${i}`));

      expect(answers.map((res) => res.status)).toEqual([...Array(5).fill(422), 429, 429]);
      expect(verifications).toHaveBeenCalledTimes(5);
      expect(/id="error-password">([^<]+)</.exec(answers[6].text)?.[1]).toMatch(/^Too many password attempts\. Wait \d+ minutes?/);
      const audited = await failedSignInsOf(carer.id);
      expect(audited.map((entry) => entry.changes?.reason?.new)).toEqual([...Array(5).fill('wrong_current_password'), 'throttled', 'throttled']);
    });

    it('ASVS 5.0 V6.2.3: a right current password still changes the password after a few wrong ones, and says so in Italian too', async () => {
      const user = await createUser(t, { role: 'coordinator', homeIds: [homeId], locale: 'it' });
      const agent = await signIn(t, user.email, user.password);

      const wrong = await change(agent, 'not it');
      expect(wrong.status).toBe(422);
      expect(besideField(wrong.text)).toBe('Questa non è la tua password attuale.');
      expect((await change(agent, user.password)).status).toBe(303);
    });
  });
});
