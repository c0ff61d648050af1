import { randomUUID } from 'node:crypto';
import { Participation } from '../src/activities/entities/participation.entity';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { apiSignIn, Running, startApp } from '../src/cli/bench/bench-support';
import { createActivity } from './support/activity-factories';
import { BUILT_MAIN, buildApp } from './support/build';
import { createHome, createUser } from './support/factories';
import { createResident } from './support/resident-factories';
import { startSmtpServer, TestSmtpServer } from './support/smtp';
import { createTestApp, TestApp } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

const CLIENTS = 32;
const USERS = 4;
const ENGAGEMENTS = ['active', 'passive', 'disengaged', 'declined'] as const;

interface Writer {
  activityId: string;
  residentIds: string[];
  session: { cookie: string; csrfToken: string };
  /** Every write that got a 2xx answer, in order. */
  acknowledged: string[];
  answers: Map<number, number>;
  sent: number;
}

/**
 * The built app, stopped with SIGTERM while 32 clients save participation logs in a loop on
 * kept-alive connections: every request it accepted is answered (2xx, or 503 once it is stopping),
 * nothing is logged at error level, it exits 0 within the drain time, and after a restart on the
 * same database every acknowledged save is there.
 */
describe('Graceful shutdown under load (SIGTERM)', () => {
  let smtp: TestSmtpServer;
  let database: TestDatabase;
  let t: TestApp;
  let app: Running | null = null;

  beforeAll(async () => {
    buildApp();
    smtp = await startSmtpServer();
    database = await createTestDatabase();
    t = await createTestApp({ database });
  }, 240_000);

  afterAll(async () => {
    if (app && app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
    await t.close();
    await database.drop();
    await smtp.close();
  });

  function start(): Promise<Running> {
    return startApp(database.url, {
      main: BUILT_MAIN,
      env: { SEED_DEMO: 'false', UPLOADS_DIR: database.uploadsDir, LOG_LEVEL: 'info', LOG_FORMAT: 'json', SMTP_URL: smtp.url, PUBLIC_URL: 'http://127.0.0.1:3000' },
    });
  }

  /** A save of the writer's log; the answer's status, or the network error's code. */
  async function save(port: number, writer: Writer): Promise<{ status: number; engagement: string } | { error: string }> {
    const engagement = ENGAGEMENTS[writer.sent % ENGAGEMENTS.length];
    writer.sent += 1;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/activities/${writer.activityId}/participation`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', cookie: writer.session.cookie, 'x-csrf-token': writer.session.csrfToken, 'idempotency-key': randomUUID() },
        body: JSON.stringify({ entries: writer.residentIds.map((residentId) => ({ residentId, engagement })) }),
        signal: AbortSignal.timeout(15_000),
      });
      await res.arrayBuffer();
      return { status: res.status, engagement };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      return { error: cause?.code ?? (error instanceof Error ? error.message : String(error)) };
    }
  }

  it('ASVS 5.0 V16.5.3: SIGTERM under load answers every accepted request, logs no error, exits 0 in under 10 s and loses no acknowledged write', async () => {
    const homeId = (await createHome(t)).id;
    const users = await Promise.all(Array.from({ length: USERS }, () => createUser(t, { role: 'carer', homeIds: [homeId] })));
    const residentIds = await Promise.all(Array.from({ length: 2 * CLIENTS }, async () => (await createResident(t, homeId)).id));
    const activities = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) => createActivity(t, homeId, { residentIds: residentIds.slice(2 * i, 2 * i + 2) })),
    );

    app = await start();
    const port = app.port;
    let output = '';
    app.child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    app.child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const sessions = await Promise.all(users.map((user) => apiSignIn(port, user.email, user.password)));
    const writers: Writer[] = activities.map((activity, i) => ({
      activityId: activity.id, residentIds: residentIds.slice(2 * i, 2 * i + 2), session: sessions[i % USERS], acknowledged: [], answers: new Map(), sent: 0,
    }));
    const failures: string[] = [];
    let refusedConnections = 0;

    const loops = writers.map(async (writer) => {
      for (;;) {
        const result = await save(port, writer);
        if ('error' in result) {
          // Refused before it was sent: the server had stopped listening. Anything else (a reset, a
          // socket closed under a request) is a request the server accepted and did not answer.
          if (result.error === 'ECONNREFUSED') refusedConnections += 1;
          else failures.push(`${writer.activityId}: ${result.error}`);
          return;
        }
        writer.answers.set(result.status, (writer.answers.get(result.status) ?? 0) + 1);
        if (result.status >= 200 && result.status < 300) writer.acknowledged.push(result.engagement);
        else if (result.status === 503) return;
        else {
          failures.push(`${writer.activityId}: ${result.status}`);
          return;
        }
      }
    });

    // Mid-way: once every client has had a few saves answered.
    const deadline = Date.now() + 30_000;
    while (writers.some((w) => w.acknowledged.length < 3) && Date.now() < deadline && failures.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => app!.child.once('exit', (code, signal) => resolve({ code, signal })));
    const stoppedAt = Date.now();
    app.child.kill('SIGTERM');
    const exit = await exited;
    const stopMs = Date.now() - stoppedAt;
    await Promise.all(loops);

    expect(failures).toEqual([]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(stopMs).toBeLessThan(10_000);
    const answered = (status: number) => writers.reduce((sum, w) => sum + (w.answers.get(status) ?? 0), 0);
    expect(answered(200)).toBeGreaterThanOrEqual(3 * CLIENTS);
    // Each client's last request was answered 503, or found the port closed: none was left unanswered.
    expect(answered(503) + refusedConnections).toBe(CLIENTS);

    const lines = output.split('\n').filter((line) => line.startsWith('{'));
    const errors = lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    expect(errors).toEqual([]);
    expect(output).not.toMatch(/\bERROR\b|not open|ECONNRESET|QueryFailedError/);
    expect(output).toContain('Stopped in');

    app = await start();
    const health = await fetch(`http://127.0.0.1:${app.port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', db: 'ok' });

    for (const writer of writers) {
      const rows = await t.dataSource.getRepository(Participation).findBy({ activityId: writer.activityId });
      const last = writer.acknowledged.at(-1);
      expect(rows.map((row) => row.engagement)).toEqual(writer.residentIds.map(() => last));
      // Each acknowledged save wrote its audit entry, in its own transaction: all of them are kept.
      expect(await t.dataSource.getRepository(AuditEntry).countBy({ entityType: 'participation', entityId: writer.activityId })).toBe(writer.acknowledged.length);
    }
  }, 180_000);
});
