import { randomUUID } from 'node:crypto';
import { SchedulerRegistry } from '@nestjs/schedule';
import { In } from 'typeorm';
import { LoginAttempt } from '../src/auth/entities/login-attempt.entity';
import { SessionRecord } from '../src/auth/entities/session.entity';
import { IdempotencyKey } from '../src/common/idempotency/idempotency-key.entity';
import { UnitOfWork } from '../src/database/unit-of-work';
import { LeaseService } from '../src/jobs/lease.service';
import { MailMessage } from '../src/mail/entities/mail-message.entity';
import { MailService } from '../src/mail/mail.service';
import type { MailStatus } from '../src/mail/mail.enums';
import { RetentionJob } from '../src/retention/retention.job';
import { createHome, createUser } from './support/factories';
import { createTestApp, TestApp } from './support/test-app';

const DAY = 24 * 60 * 60_000;
const NOW = new Date('2026-12-03T03:00:00Z');
const ago = (days: number, minutes = 0) => new Date(NOW.getTime() - days * DAY - minutes * 60_000);

describe('Retention jobs (issue 17, finding 11)', () => {
  let t: TestApp;
  let userId: string;

  beforeAll(async () => {
    t = await createTestApp();
    // Idempotency keys belong to a user (a uuid column with a foreign key on PostgreSQL).
    userId = (await createUser(t, { role: 'carer', homeIds: [(await createHome(t)).id] })).id;
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  beforeEach(async () => {
    await t.dataSource.query('DELETE FROM job_lease');
  });

  async function idempotencyKey(createdAt: Date): Promise<string> {
    const id = `${userId}:${randomUUID()}`;
    await t.dataSource.getRepository(IdempotencyKey).insert({
      id, userId, requestHash: 'a'.repeat(64), statusCode: 200, responseBody: '{"staffNote":"private"}', createdAt,
    });
    return id;
  }

  async function session(expiresAt: Date): Promise<string> {
    const sid = randomUUID();
    await t.dataSource.getRepository(SessionRecord).insert({ sid, data: '{}', expiresAt, userId: null });
    return sid;
  }

  async function loginAttempt(at: Date, scope: LoginAttempt['scope'] = 'email'): Promise<string> {
    const repo = t.dataSource.getRepository(LoginAttempt);
    const { identifiers } = await repo.insert({ scope, key: `someone-${randomUUID()}@example.org` });
    const id = identifiers[0].id as string;
    await repo.update({ id }, { at });
    return id;
  }

  async function mail(status: MailStatus, at: Date): Promise<string> {
    const repo = t.dataSource.getRepository(MailMessage);
    const row = await repo.save(repo.create({
      homeId: null, toAddress: 'relative@example.org', locale: 'en', template: 'notification', subject: 'A note about Maria',
      textBody: 'Maria enjoyed the music.', htmlBody: '<p>Maria enjoyed the music.</p>', status, attempts: 1, nextAttemptAt: at,
      sentAt: status === 'sent' ? at : null, lastError: status === 'failed' ? 'mailbox unavailable' : null,
    }));
    await repo.update({ id: row.id }, { createdAt: at });
    return row.id;
  }

  it('ASVS 5.0 V14.2.7: one run deletes idempotency answers over 7 days, expired sessions, sign-in attempts over 30 days and sent mail over 90 days, and nothing newer', async () => {
    const keys = { old: await idempotencyKey(ago(7, 1)), recent: await idempotencyKey(ago(6, 23 * 60)) };
    const sessions = { expired: await session(ago(0, 1)), live: await session(new Date(NOW.getTime() + 60_000)) };
    const attempts = {
      old: await loginAttempt(ago(30, 1)), oldReset: await loginAttempt(ago(45), 'reset_mail'),
      recent: await loginAttempt(ago(29, 23 * 60)), recentIp: await loginAttempt(ago(1), 'ip'),
    };
    const mails = {
      oldSent: await mail('sent', ago(90, 1)), recentSent: await mail('sent', ago(89)),
      oldFailed: await mail('failed', ago(200)), oldKept: await mail('kept', ago(200)), waiting: await mail('waiting', ago(100)),
    };

    const run = await t.get(RetentionJob).runOnce(NOW);

    expect(run).toEqual({ idempotencyKeys: 1, sessions: 1, loginAttempts: 2, sentMail: 1 });
    expect((await t.dataSource.getRepository(IdempotencyKey).findBy({ id: In(Object.values(keys)) })).map((k) => k.id)).toEqual([keys.recent]);
    expect((await t.dataSource.getRepository(SessionRecord).findBy({ sid: In(Object.values(sessions)) })).map((s) => s.sid)).toEqual([sessions.live]);
    expect((await t.dataSource.getRepository(LoginAttempt).findBy({ id: In(Object.values(attempts)) })).map((a) => a.id).sort())
      .toEqual([attempts.recent, attempts.recentIp].sort());
    expect((await t.dataSource.getRepository(MailMessage).findBy({ id: In(Object.values(mails)) })).map((m) => m.id).sort())
      .toEqual([mails.recentSent, mails.oldFailed, mails.oldKept, mails.waiting].sort());
  });

  it('ASVS 5.0 V14.2.7: of two runs started at once in two app instances on one database, the lease lets one run', async () => {
    const other = await createTestApp({ database: t.database });
    try {
      const old = await idempotencyKey(ago(8));
      const runs = await Promise.all([t.get(RetentionJob).runOnce(NOW), other.get(RetentionJob).runOnce(NOW)]);
      expect(runs.filter((r) => r !== null)).toEqual([{ idempotencyKeys: 1, sessions: 0, loginAttempts: 0, sentMail: 0 }]);
      expect(await t.dataSource.getRepository(IdempotencyKey).countBy({ id: old })).toBe(0);
      // The run holds the lease for the day: a later check in either process leaves it be.
      expect(await other.get(RetentionJob).runOnce(new Date(NOW.getTime() + 60 * 60_000))).toBeNull();
      expect(await t.get(RetentionJob).runOnce(new Date(NOW.getTime() + 60 * 60_000))).toBeNull();
      // A day later it runs again.
      expect(await other.get(RetentionJob).runOnce(new Date(NOW.getTime() + DAY))).not.toBeNull();
    } finally {
      await other.close();
    }
  }, 60_000);

  it('ASVS 5.0 V14.2.7: the lease is taken by one conditional statement: of many holders at once exactly one gets it, and an expired or released lease is taken again', async () => {
    const holders = Array.from({ length: 8 }, () => new LeaseService(t.get(UnitOfWork)));
    const won = await Promise.all(holders.map((lease) => lease.acquire('probe', 60_000, NOW)));
    expect(won.filter(Boolean)).toHaveLength(1);
    const winner = holders[won.indexOf(true)];
    const loser = holders[won.indexOf(false)];
    expect(await loser.acquire('probe', 60_000, new Date(NOW.getTime() + 59_000))).toBe(false);
    expect(await loser.acquire('probe', 60_000, new Date(NOW.getTime() + 60_000))).toBe(true);
    expect(await winner.acquire('probe', 60_000, new Date(NOW.getTime() + 61_000))).toBe(false);
    await winner.release('probe');
    expect(await winner.acquire('probe', 60_000, new Date(NOW.getTime() + 61_000))).toBe(false);
    await loser.release('probe');
    expect(await winner.acquire('probe', 60_000, new Date(NOW.getTime() + 61_000))).toBe(true);
    expect(await t.dataSource.query(`SELECT holder FROM job_lease WHERE name = 'probe'`)).toEqual([{ holder: winner.holder }]);
  });

  it('ASVS 5.0 V14.2.7: a run that fails gives the lease back, so the next check tries again', async () => {
    const sut = t.get(RetentionJob);
    const pruneSent = jest.spyOn(t.get(MailService), 'pruneSent').mockRejectedValueOnce(new Error('disk full'));
    try {
      await expect(sut.runOnce(NOW)).rejects.toThrow('disk full');
      expect(await sut.runOnce(NOW)).not.toBeNull();
    } finally {
      pruneSent.mockRestore();
    }
  });

  it('ASVS 5.0 V14.2.7: the job does not run under NODE_ENV=test unless a test starts it, and stops cleanly', async () => {
    const scheduler = t.get(SchedulerRegistry);
    expect(scheduler.doesExist('interval', 'retention')).toBe(false);
    expect(scheduler.doesExist('interval', 'audit-head')).toBe(false);
    const job = t.get(RetentionJob).job;
    job.start();
    expect(scheduler.doesExist('interval', 'retention')).toBe(true);
    expect(scheduler.doesExist('timeout', 'retention')).toBe(true);
    await job.stop();
    expect(scheduler.doesExist('interval', 'retention')).toBe(false);
    expect(scheduler.doesExist('timeout', 'retention')).toBe(false);
  });

  it('ASVS 5.0 V14.2.7: outside tests the jobs are scheduled at start, and closing the app stops them', async () => {
    const dev = await createTestApp({ database: t.database, env: { NODE_ENV: 'development' } });
    const scheduler = dev.get(SchedulerRegistry);
    try {
      expect(scheduler.doesExist('interval', 'retention')).toBe(true);
      expect(scheduler.doesExist('interval', 'audit-head')).toBe(true);
    } finally {
      await dev.close();
    }
    expect(scheduler.doesExist('interval', 'retention')).toBe(false);
    expect(scheduler.doesExist('interval', 'audit-head')).toBe(false);
  }, 60_000);
});
