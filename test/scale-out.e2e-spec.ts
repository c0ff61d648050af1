import { randomUUID } from 'node:crypto';
import { Activity } from '../src/activities/entities/activity.entity';
import { Participation } from '../src/activities/entities/participation.entity';
import { AuditService } from '../src/audit/audit.service';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { FREE_FAILURES_PER_PAIR, MAX_FAILURES_PER_IP } from '../src/auth/login-throttle';
import { BENCH_AUDIT_KEY, Running, startApp, stop } from '../src/cli/bench/bench-support';
import { IdempotencyKey } from '../src/common/idempotency/idempotency-key.entity';
import { Contribution } from '../src/contributions/entities/contribution.entity';
import { Resident } from '../src/residents/entities/resident.entity';
import { migrations } from '../migrations';
import { createActivity } from './support/activity-factories';
import { BUILT_MAIN, buildApp } from './support/build';
import { createHome, createUser, TestUser } from './support/factories';
import { csrfFrom } from './support/http';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';
import { createTestDatabase, TestDatabase, testDatabaseKind } from './support/test-database';

/** A browser or tablet behind a load balancer: one cookie jar, its requests sent to whichever process. */
class Client {
  /** Every cookie the processes set (the session, and a signed-out form's CSRF cookie), by name. */
  private readonly jar = new Map<string, string>();

  get cookie(): string | undefined {
    return this.jar.size ? [...this.jar.values()].join('; ') : undefined;
  }

  set cookie(value: string | undefined) {
    this.jar.clear();
    if (value) for (const pair of value.split('; ')) this.jar.set(pair.split('=')[0], pair);
  }

  /** The address the load balancer reports in X-Forwarded-For (the processes trust loopback proxies). */
  constructor(private readonly ip: string) {}

  async send(app: Running, method: string, path: string, options: { json?: unknown; form?: Record<string, string>; csrf?: string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { 'x-forwarded-for': this.ip, ...options.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (options.csrf) headers['x-csrf-token'] = options.csrf;
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    const res = await fetch(`http://127.0.0.1:${app.port}${path}`, { method, headers, body, redirect: 'manual' });
    for (const set of res.headers.getSetCookie()) {
      const pair = set.split(';')[0];
      const name = pair.split('=')[0];
      if (pair === `${name}=`) this.jar.delete(name);
      else this.jar.set(name, pair);
    }
    const text = await res.text();
    const isJson = res.headers.get('content-type')?.includes('application/json') ?? false;
    return { status: res.status, headers: res.headers, text, body: (isJson && text ? JSON.parse(text) : undefined) };
  }

  /** Signs in through the JSON API; returns the session's CSRF token for writes. */
  async apiSignIn(app: Running, user: TestUser): Promise<string> {
    const res = await this.send(app, 'POST', '/api/auth/login', { json: { email: user.email, password: user.password } });
    if (res.status !== 200) throw new Error(`Sign-in failed with ${res.status}: ${res.text.slice(0, 300)}`);
    return res.body.csrfToken as string;
  }
}

let addresses = 0;
/** A client address of its own, so one test's failed sign-ins do not count against another's. */
function newClient(): Client {
  addresses += 1;
  return new Client(`203.0.113.${addresses}`);
}

// Sessions, throttling counters, idempotency keys and the audit chain must live in the shared database
// for several processes to work as one (SPEC section 7, "Scale out"). Several processes share a
// PostgreSQL database only: a SQLite file belongs to one process, so this runs on PostgreSQL alone.
const describeOnPostgres = testDatabaseKind() === 'postgres' ? describe : describe.skip;

describeOnPostgres(`Two app processes on one PostgreSQL database${testDatabaseKind() === 'postgres' ? '' : ' (skipped: needs TEST_DATABASE_URL=postgres://…)'}`, () => {
  let database: TestDatabase;
  let a: Running | undefined;
  let b: Running | undefined;
  let t: TestApp;
  let coordinator: TestUser;
  /** Locked out by the email-throttling test, so the others sign in as `coordinator`. */
  let lockedOut: TestUser;
  let residents: Resident[];
  let activities: Activity[];

  const A = () => a!;
  const B = () => b!;
  const bothApps = () => [A(), B()];
  /** One activity per use, so each test's counts are its own. */
  const nextActivity = () => {
    const activity = activities.shift();
    if (!activity) throw new Error('The test needs more activities');
    return activity;
  };
  const auditCountFor = (entityId: string) => t.dataSource.getRepository(AuditEntry).countBy({ entityType: 'participation', entityId });
  const entriesFor = (engagement: string) => residents.map((r) => ({ residentId: r.id, engagement }));

  beforeAll(async () => {
    // The processes run the compiled app, as in production.
    buildApp();
    database = await createTestDatabase();
    // Both start at the same moment on an empty database, as after a deploy: each migrates at start-up.
    const env = { TRUST_PROXY: 'loopback', SEED_DEMO: 'false', UPLOADS_DIR: database.uploadsDir };
    const started = await Promise.allSettled([startApp(database.url, { env, main: BUILT_MAIN }), startApp(database.url, { env, main: BUILT_MAIN })]);
    [a, b] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    // The test's own app instance writes the fixtures and reads the database back.
    // The audit chain's key is the processes' (appEnv), so this instance verifies what they wrote.
    t = await createTestApp({ database, env: { AUDIT_KEY: BENCH_AUDIT_KEY } });
    const home = await createHome(t);
    // A coordinator: the built apps run in production, where a manager would first enrol MFA.
    coordinator = await createUser(t, { role: 'coordinator', homeIds: [home.id], displayName: 'Maddalena Gestore' });
    lockedOut = await createUser(t, { role: 'carer', homeIds: [home.id] });
    residents = [];
    for (let i = 0; i < 3; i += 1) residents.push(await createResident(t, home.id));
    activities = [];
    for (let i = 0; i < 30; i += 1) activities.push(await createActivity(t, home.id, { title: `Activity ${i}` }));
  }, 180_000);

  afterAll(async () => {
    await Promise.all([a, b].filter((app): app is Running => app !== undefined).map(stop));
    await t?.close();
    await database?.drop();
  });

  it('should start both processes at once on a fresh database, applying each migration once', async () => {
    for (const app of bothApps()) expect(app.output()).not.toMatch(/failed|error/i);
    const applied: { name: string; times: string }[] = await t.dataSource.query('SELECT name, COUNT(*) AS times FROM migrations GROUP BY name');
    expect(applied).toHaveLength(migrations.length);
    expect(applied.every((m) => Number(m.times) === 1)).toBe(true);
  });

  it('should keep a session signed in on one process signed in on the other, and end it on both at sign-out', async () => {
    const activity = nextActivity();
    const tablet = newClient();
    const csrf = await tablet.apiSignIn(A(), coordinator);
    const onB = await tablet.send(B(), 'GET', `/api/activities/${activity.id}`);
    expect(onB.status).toBe(200);
    expect(onB.body.id).toBe(activity.id);
    const page = await tablet.send(B(), 'GET', '/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Maddalena Gestore');
    expect((await newClient().send(B(), 'GET', `/api/activities/${activity.id}`)).status).toBe(401);

    // Sign-out on B, with the CSRF token A handed out, ends the session on A too.
    const cookie = tablet.cookie;
    expect((await tablet.send(B(), 'POST', '/api/auth/logout', { csrf })).status).toBe(204);
    tablet.cookie = cookie;
    expect((await tablet.send(A(), 'GET', `/api/activities/${activity.id}`)).status).toBe(401);
    expect((await tablet.send(B(), 'GET', `/api/activities/${activity.id}`)).status).toBe(401);
  });

  it('should accept a sign-in form served by one process and posted to the other', async () => {
    const browser = newClient();
    const form = await browser.send(A(), 'GET', '/login');
    const signedIn = await browser.send(B(), 'POST', '/login', { form: { _csrf: csrfFrom(form.text), email: coordinator.email, password: coordinator.password } });
    expect(signedIn.status).toBe(303);
    const home = await browser.send(A(), 'GET', '/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Maddalena Gestore');
  });

  it('should answer a replay sent to the other process with the first answer and write nothing again', async () => {
    const activity = nextActivity();
    const tablet = newClient();
    const csrf = await tablet.apiSignIn(A(), coordinator);
    const put = (app: Running, key: string, body: unknown) =>
      tablet.send(app, 'PUT', `/api/activities/${activity.id}/participation`, { csrf, json: body, headers: { 'idempotency-key': key } });
    const key = randomUUID();
    const first = await put(A(), key, { entries: entriesFor('active') });
    expect(first.status).toBe(200);
    expect(first.body.saved).toBe(residents.length);
    // A later save changes every row; running the first request again would change them back.
    expect((await put(A(), randomUUID(), { entries: entriesFor('passive') })).status).toBe(200);

    const replay = await put(B(), key, { entries: entriesFor('active') });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    const rows = await t.dataSource.getRepository(Participation).findBy({ activityId: activity.id });
    expect(rows.map((r) => r.engagement)).toEqual(residents.map(() => 'passive'));
    expect(await auditCountFor(activity.id)).toBe(2);
    expect(await t.dataSource.getRepository(IdempotencyKey).countBy({ id: `${coordinator.id}:${key}` })).toBe(1);

    const reused = await put(B(), key, { entries: entriesFor('declined') });
    expect(reused.status).toBe(422);
    expect(reused.body.fields).toHaveProperty('Idempotency-Key');
    expect(await auditCountFor(activity.id)).toBe(2);
  });

  it('should write once when the same request reaches both processes at the same moment', async () => {
    const tablet = newClient();
    const csrf = await tablet.apiSignIn(B(), coordinator);
    // Several pairs at once, so that some pairs really overlap inside the database.
    const pairs = Array.from({ length: 5 }, () => ({ activity: nextActivity(), key: randomUUID() }));
    const answers = await Promise.all(
      pairs.flatMap(({ activity, key }) =>
        bothApps().map((app) =>
          tablet.send(app, 'PUT', `/api/activities/${activity.id}/participation`, { csrf, json: { entries: entriesFor('active') }, headers: { 'idempotency-key': key } }),
        ),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
    for (const [i, { activity }] of pairs.entries()) {
      const [onA, onB] = answers.slice(2 * i, 2 * i + 2);
      expect(onA.body).toEqual(onB.body);
      expect(onA.body.saved).toBe(residents.length);
      expect(await auditCountFor(activity.id)).toBe(1);
      expect(await t.dataSource.getRepository(Participation).countBy({ activityId: activity.id })).toBe(residents.length);
    }
  });

  it('should count failed sign-ins for one email from one address across both processes', async () => {
    const client = newClient();
    for (let i = 0; i < FREE_FAILURES_PER_PAIR; i += 1) {
      const res = await client.send(bothApps()[i % 2], 'POST', '/api/auth/login', { json: { email: lockedOut.email, password: 'not the password' } });
      expect(res.status).toBe(422);
    }
    // Even the right password is refused now from this address, on either process (another address may still sign in).
    for (const app of bothApps()) {
      const res = await client.send(app, 'POST', '/api/auth/login', { json: { email: lockedOut.email, password: lockedOut.password } });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('should count failed sign-ins from one client address across both processes', async () => {
    const client = newClient();
    for (let i = 0; i < MAX_FAILURES_PER_IP; i += 1) {
      const res = await client.send(bothApps()[i % 2], 'POST', '/api/auth/login', { json: { email: `nobody${i}@example.test`, password: 'not the password' } });
      expect(res.status).toBe(422);
    }
    for (const app of bothApps()) {
      expect((await client.send(app, 'POST', '/api/auth/login', { json: { email: coordinator.email, password: coordinator.password } })).status).toBe(429);
    }
    // Another address is not affected.
    expect((await newClient().send(A(), 'POST', '/api/auth/login', { json: { email: coordinator.email, password: coordinator.password } })).status).toBe(200);
  });

  it('should keep the audit chain one unbroken line under concurrent writes through both processes', async () => {
    const tablet = newClient();
    const csrf = await tablet.apiSignIn(A(), coordinator);
    const before = await t.dataSource.getRepository(AuditEntry).count();
    const contributionsBefore = await t.dataSource.getRepository(Contribution).count();
    const targets = Array.from({ length: 10 }, () => nextActivity());
    // 40 writes at once, half to each process: a log and two contributions for each of 10 activities, and one more log.
    const writes = targets.flatMap((activity, i) => [
      { path: `/api/activities/${activity.id}/participation`, method: 'PUT', json: { entries: entriesFor('active') } },
      { path: `/api/activities/${activity.id}/contributions`, method: 'POST', json: { phase: 'co_design', actorType: 'resident', personId: residents[i % residents.length].id, minutes: 30 } },
      { path: `/api/activities/${activity.id}/contributions`, method: 'POST', json: { phase: 'co_delivery', actorType: 'resident', personId: residents[(i + 1) % residents.length].id, minutes: 45 } },
      { path: `/api/activities/${activity.id}/participation`, method: 'PUT', json: { entries: entriesFor('passive') } },
    ]);
    const answers = await Promise.all(
      writes.map((w, i) => tablet.send(bothApps()[i % 2], w.method, w.path, { csrf, json: w.json, headers: { 'idempotency-key': randomUUID() } })),
    );
    // PUT answers 200, POST 201; the body says what went wrong otherwise.
    expect(answers.filter((r) => r.status !== 200 && r.status !== 201).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    expect(await t.dataSource.getRepository(Contribution).count()).toBe(contributionsBefore + 20);

    // Every write added exactly one entry, in one numbered line with no gaps or repeats, and every hash checks.
    const seqs = (await t.dataSource.getRepository(AuditEntry).find({ select: { seq: true }, order: { seq: 'ASC' } })).map((e) => e.seq);
    expect(seqs).toHaveLength(before + writes.length);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(await t.get(AuditService).verifyChain()).toEqual({ ok: true, entries: seqs.length });
  });
});
