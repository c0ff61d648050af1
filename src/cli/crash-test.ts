import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, In } from 'typeorm';
import { Activity } from '../activities/entities/activity.entity';
import { Participation } from '../activities/entities/participation.entity';
import { RosterEntry } from '../activities/entities/roster-entry.entity';
import { AuditService } from '../audit/audit.service';
import { AuditEntry } from '../audit/entities/audit-entry.entity';
import { Role } from '../auth/auth.enums';
import { loadConfig } from '../config/app-config';
import { Contribution } from '../contributions/entities/contribution.entity';
import { createDataSource } from '../database/data-source';
import { asDate } from '../database/sql';
import { UnitOfWork } from '../database/unit-of-work';
import { rebuildTallies } from '../reports/tally/headline-tally';
import { apiSignIn, appEnv, createPostgresDatabase, median, postgresReachable, Running, seedDatabase, startApp, stop } from './bench/bench-support';
import { COMMANDS } from './cli-options';
import { commandLineOrExit, fail } from './cli-support';
import { SYNTHETIC_PASSWORD } from './synthetic/seed-synthetic-data';
import { syntheticEmail } from './synthetic/synthetic-home';

/**
 * `npm run test:crash` (SPEC 7, reliability): the built app on a throwaway SQLite database, written to
 * by several API clients at once, killed with SIGKILL at a random moment and restarted, ROUNDS times.
 * After every restart: `PRAGMA integrity_check` is ok, every write whose 2xx answer a client received
 * is there exactly once, and each participation log is whole (all of one save, never part of one).
 * A write in flight at a kill is sent again after the restart with its Idempotency-Key, as the tablet
 * does, and must then be answered and stored once. At the end the audit chain must verify and the
 * group view's summary tables (kept in the writers' transactions) must equal a recount of the records.
 *
 * `--postgres URL` runs the same rounds on a PostgreSQL database created and dropped beside URL too.
 * Environment: CRASH_ROUNDS (20).
 */

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 20);
const CLIENTS = 8;
const ACTIVITIES_PER_CLIENT = 2;
const ROSTER = 6;
/** The app is killed this long after the writers start, at random. */
const KILL_AFTER_MS = [250, 1250] as const;
// Not managers: the app runs in production, where a manager signs in with an MFA code as well.
const ROLES: Role[] = ['carer', 'coordinator'];
const ENGAGEMENTS = ['active', 'passive', 'disengaged', 'declined', 'absent'] as const;
const TAG = 'crash';

interface Fixture {
  activityId: string;
  residentIds: string[];
}

interface Write {
  kind: 'participation' | 'contribution';
  tag: string;
  key: string;
  activityId: string;
  /** Engagement per resident, for a participation save. */
  entries: { residentId: string; engagement: string }[];
  body: string;
}

interface Client {
  index: number;
  cookie: string;
  csrfToken: string;
  fixtures: Fixture[];
  sent: number;
  /** The write that was in flight when the app was killed: sent again after the restart. */
  pending: Write | null;
}

interface Ledger {
  sent: Map<string, Write>;
  acknowledged: Set<string>;
  /** The last acknowledged participation save of each activity. */
  lastSave: Map<string, Write>;
  inFlight: number;
  inFlightCommitted: number;
  failures: string[];
}

interface Outcome {
  database: string;
  rounds: number;
  restartMs: number[];
  killAfterMs: number[];
  acknowledgedFirstTime: number;
  participation: number;
  contributions: number;
  inFlight: number;
  inFlightCommitted: number;
  auditEntries: number;
  ms: number;
  failures: string[];
}

function log(message: string): void {
  console.log(`[crash ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function openDatabase(url: string): Promise<DataSource> {
  return createDataSource(loadConfig(appEnv(url))).initialize();
}

/** Past, not cancelled activities with a few residents on the roster: ones the API lets a carer log. */
async function pickFixtures(url: string): Promise<Fixture[]> {
  const ds = await openDatabase(url);
  try {
    const now = Date.now();
    const activities = (await ds.getRepository(Activity).find({ order: { startsAt: 'DESC' } })).filter((a) => a.status !== 'cancelled' && a.startsAt.getTime() < now);
    const fixtures: Fixture[] = [];
    for (const activity of activities) {
      const roster = await ds.getRepository(RosterEntry).find({ where: { activityId: activity.id }, order: { residentId: 'ASC' }, take: ROSTER });
      if (roster.length >= 3) fixtures.push({ activityId: activity.id, residentIds: roster.map((r) => r.residentId) });
      if (fixtures.length === CLIENTS * ACTIVITIES_PER_CLIENT) return fixtures;
    }
    throw new Error(`Only ${fixtures.length} activities with a roster to log`);
  } finally {
    await ds.destroy();
  }
}

/** The client's next write: participation saves and contributions in turn, on its own activities. */
function nextWrite(client: Client): Write {
  const n = client.sent;
  client.sent += 1;
  const fixture = client.fixtures[Math.floor(n / 2) % client.fixtures.length];
  const tag = `${TAG} ${client.index}-${n}`;
  if (n % 2 === 0) {
    const entries = fixture.residentIds.map((residentId, j) => ({ residentId, engagement: ENGAGEMENTS[(n + j) % ENGAGEMENTS.length] }));
    return { kind: 'participation', tag, key: randomUUID(), activityId: fixture.activityId, entries, body: JSON.stringify({ entries: entries.map((e) => ({ ...e, familyNote: tag })) }) };
  }
  const body = { phase: 'co_delivery', actorType: 'resident', personId: fixture.residentIds[0], minutes: 1 + (n % 90), description: tag };
  return { kind: 'contribution', tag, key: randomUUID(), activityId: fixture.activityId, entries: [], body: JSON.stringify(body) };
}

type Sent = { outcome: 'acknowledged' } | { outcome: 'refused'; detail: string } | { outcome: 'lost' };

/** A write is acknowledged once its whole 2xx answer has arrived; a dropped connection means it was lost. */
async function send(port: number, client: Client, write: Write): Promise<Sent> {
  const path = write.kind === 'participation' ? `/api/activities/${write.activityId}/participation` : `/api/activities/${write.activityId}/contributions`;
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: write.kind === 'participation' ? 'PUT' : 'POST',
      headers: { 'content-type': 'application/json', cookie: client.cookie, 'x-csrf-token': client.csrfToken, 'idempotency-key': write.key },
      body: write.body,
      signal: AbortSignal.timeout(20_000),
    });
    const text = await res.text();
    return res.ok ? { outcome: 'acknowledged' } : { outcome: 'refused', detail: `${res.status} ${text.slice(0, 200)}` };
  } catch {
    return { outcome: 'lost' };
  }
}

function acknowledge(ledger: Ledger, write: Write): void {
  ledger.acknowledged.add(write.tag);
  if (write.kind === 'participation') ledger.lastSave.set(write.activityId, write);
}

/** Whether an activity's logged rows are exactly one save's, all of it. */
function holdsSave(rows: Participation[], save: Write): boolean {
  const byResident = new Map(rows.map((r) => [r.residentId, r]));
  return save.entries.every((e) => byResident.get(e.residentId)?.familyNote === save.tag && byResident.get(e.residentId)?.engagement === e.engagement);
}

/**
 * Checks the database against what the clients were told: integrity, every acknowledged write once,
 * no write twice, each activity's log whole. Classifies the writes lost in flight as committed or not.
 */
async function checkDatabase(url: string, ledger: Ledger, clients: Client[], fixtures: Fixture[], when: string): Promise<void> {
  const ds = await openDatabase(url);
  const problem = (message: string) => ledger.failures.push(`${when}: ${message}`);
  try {
    if (ds.options.type === 'better-sqlite3') {
      const rows = (await ds.query('PRAGMA integrity_check')) as { integrity_check: string }[];
      const result = rows.map((r) => r.integrity_check).join('; ');
      if (result !== 'ok') problem(`integrity_check: ${result}`);
    }
    const counts = new Map(
      (
        await ds.getRepository(Contribution).createQueryBuilder('c').select('c.description', 'tag').addSelect('COUNT(*)', 'n')
          .where('c.description LIKE :tag', { tag: `${TAG} %` }).groupBy('c.description').getRawMany<{ tag: string; n: string | number }>()
      ).map((r) => [r.tag, Number(r.n)]),
    );
    for (const [tag, n] of counts) {
      if (!ledger.sent.has(tag)) problem(`a contribution "${tag}" that no client sent`);
      if (n > 1) problem(`contribution "${tag}" stored ${n} times`);
    }
    for (const tag of ledger.acknowledged) {
      if (ledger.sent.get(tag)!.kind === 'contribution' && counts.get(tag) !== 1) problem(`acknowledged contribution "${tag}" is missing`);
    }

    const rows = await ds.getRepository(Participation).findBy({ activityId: In(fixtures.map((f) => f.activityId)) });
    const pendingSaves = new Map(clients.flatMap((c) => (c.pending?.kind === 'participation' ? [[c.pending.activityId, c.pending] as const] : [])));
    for (const { activityId } of fixtures) {
      const logged = rows.filter((r) => r.activityId === activityId);
      const last = ledger.lastSave.get(activityId);
      const pending = pendingSaves.get(activityId);
      const whole = (last && holdsSave(logged, last)) || (pending && holdsSave(logged, pending)) || (!last && !logged.some((r) => r.familyNote?.startsWith(`${TAG} `)));
      if (!whole) {
        const notes = [...new Set(logged.map((r) => r.familyNote))].join(', ');
        problem(`activity ${activityId} holds [${notes}], not the whole of "${last?.tag ?? 'its seeded log'}"${pending ? ` or "${pending.tag}"` : ''}`);
      }
    }

    for (const client of clients) {
      const pending = client.pending;
      if (!pending) continue;
      const committed = pending.kind === 'contribution' ? counts.get(pending.tag) === 1 : holdsSave(rows.filter((r) => r.activityId === pending.activityId), pending);
      if (committed) ledger.inFlightCommitted += 1;
    }
  } finally {
    await ds.destroy();
  }
}

/** After the last round: every write sent is there once, with one audit entry each, and the chain verifies. */
async function finalCheck(url: string, ledger: Ledger, fixtures: Fixture[]): Promise<number> {
  const ds = await openDatabase(url);
  const problem = (message: string) => ledger.failures.push(`at the end: ${message}`);
  try {
    const contributions = [...ledger.sent.values()].filter((w) => w.kind === 'contribution');
    const stored = await ds.getRepository(Contribution).createQueryBuilder('c').select(['c.id', 'c.description'])
      .where('c.description LIKE :tag', { tag: `${TAG} %` }).getMany();
    const auditCount = new Map<string, number>();
    for (let i = 0; i < stored.length; i += 500) {
      const ids = stored.slice(i, i + 500).map((c) => c.id);
      for (const e of await ds.getRepository(AuditEntry).find({ select: { entityId: true }, where: { entityType: 'contribution', entityId: In(ids) } })) {
        auditCount.set(e.entityId!, (auditCount.get(e.entityId!) ?? 0) + 1);
      }
    }
    const tagOf = new Map(stored.map((c) => [c.description, c.id]));
    const unaudited = contributions.filter((w) => auditCount.get(tagOf.get(w.tag) ?? '') !== 1);
    if (unaudited.length > 0) problem(`${unaudited.length} contributions without exactly one audit entry (first: "${unaudited[0].tag}")`);
    const saves = [...ledger.sent.values()].filter((w) => w.kind === 'participation').length;
    const saveEntries = await ds.getRepository(AuditEntry).countBy({ entityType: 'participation', entityId: In(fixtures.map((f) => f.activityId)) });
    if (saveEntries !== saves) problem(`${saves} participation saves sent, each once, but ${saveEntries} audit entries for them`);
    const chain = await new AuditService(new UnitOfWork({ reader: ds, writer: ds }), loadConfig(appEnv(url))).verifyChain();
    if (!chain.ok) problem(`the audit chain is broken at entry ${chain.firstBroken?.seq} (${chain.firstBroken?.id})`);
    // The group view's summary tables, kept in the same transactions as the writes, are what a recount gives.
    const kept = await summaryTables(ds);
    await ds.transaction((m) => rebuildTallies(m, null));
    const recounted = await summaryTables(ds);
    for (const table of Object.keys(recounted)) {
      if (kept[table] !== recounted[table]) problem(`the summary table ${table} differs from a recount of the records`);
    }
    return chain.entries;
  } finally {
    await ds.destroy();
  }
}

/** The summary tables' rows, in a fixed order, as text to compare. */
async function summaryTables(ds: DataSource): Promise<Record<string, string>> {
  const order: Record<string, string> = { activity_tally: '"activityId"', home_day_tally: '"homeId", day', resident_reach: '"residentId", quarter' };
  const tables: Record<string, string> = {};
  for (const [table, by] of Object.entries(order)) {
    const rows = (await ds.query(`SELECT * FROM ${table} ORDER BY ${by}`)) as Record<string, unknown>[];
    tables[table] = JSON.stringify(rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : typeof v === 'string' && /^\d{4}-\d\d-\d\d \d/.test(v) ? asDate(v).toISOString() : v]))));
  }
  return tables;
}

async function crashRounds(url: string, label: string): Promise<Outcome> {
  const started = Date.now();
  log(`${label}: seeding one synthetic home`);
  await seedDatabase(url, 1, 24, 14);
  const fixtures = await pickFixtures(url);
  const ledger: Ledger = { sent: new Map(), acknowledged: new Set(), lastSave: new Map(), inFlight: 0, inFlightCommitted: 0, failures: [] };
  const restartMs: number[] = [];
  const killAfterMs: number[] = [];
  let acknowledgedFirstTime = 0;
  let clients: Client[] = [];
  let app: Running | undefined;

  try {
    for (let round = 1; round <= ROUNDS + 1; round += 1) {
      const startAt = Date.now();
      app = await startApp(url);
      if (round > 1) restartMs.push(Date.now() - startAt);
      const port = app.port;
      if (round === 1) {
        // Sessions live in the database: these sign-ins must outlive every crash.
        clients = await Promise.all(
          Array.from({ length: CLIENTS }, async (_, index) => ({
            index, ...(await apiSignIn(port, syntheticEmail(ROLES[index % ROLES.length], 1), SYNTHETIC_PASSWORD)),
            fixtures: fixtures.slice(index * ACTIVITIES_PER_CLIENT, (index + 1) * ACTIVITIES_PER_CLIENT), sent: 0, pending: null,
          })),
        );
      } else {
        await checkDatabase(url, ledger, clients, fixtures, `after restart ${round - 1}`);
      }
      await Promise.all(
        clients.map(async (client) => {
          if (!client.pending) return;
          const result = await send(port, client, client.pending);
          if (result.outcome === 'acknowledged') acknowledge(ledger, client.pending);
          else ledger.failures.push(`after restart ${round - 1}: resending "${client.pending.tag}" was ${result.outcome === 'refused' ? `refused: ${result.detail}` : 'lost'}`);
          client.pending = null;
        }),
      );
      if (round > ROUNDS) break;

      let writing = true;
      const writers = clients.map(async (client) => {
        while (writing) {
          const write = nextWrite(client);
          ledger.sent.set(write.tag, write);
          const result = await send(port, client, write);
          if (result.outcome === 'acknowledged') {
            acknowledge(ledger, write);
            acknowledgedFirstTime += 1;
          } else if (result.outcome === 'refused') {
            ledger.failures.push(`round ${round}: "${write.tag}" refused: ${result.detail}`);
          } else {
            client.pending = write;
            ledger.inFlight += 1;
            return;
          }
        }
      });
      const killAfter = KILL_AFTER_MS[0] + Math.round(Math.random() * (KILL_AFTER_MS[1] - KILL_AFTER_MS[0]));
      killAfterMs.push(killAfter);
      await sleep(killAfter);
      const exited = new Promise((resolve) => app!.child.once('exit', resolve));
      app.child.kill('SIGKILL');
      await exited;
      writing = false;
      await Promise.all(writers);
      log(`${label}: kill ${round}/${ROUNDS} after ${killAfter} ms; ${ledger.acknowledged.size} writes acknowledged so far, ${clients.filter((c) => c.pending).length} in flight`);
    }
    await checkDatabase(url, ledger, clients, fixtures, 'after the last restart');
  } finally {
    if (app) await stop(app);
  }
  await checkDatabase(url, ledger, clients, fixtures, 'after a clean stop');
  const auditEntries = await finalCheck(url, ledger, fixtures);
  const writes = [...ledger.sent.values()];
  return {
    database: label, rounds: ROUNDS, restartMs, killAfterMs, acknowledgedFirstTime,
    participation: writes.filter((w) => w.kind === 'participation').length, contributions: writes.filter((w) => w.kind === 'contribution').length,
    inFlight: ledger.inFlight, inFlightCommitted: ledger.inFlightCommitted, auditEntries, ms: Date.now() - started, failures: ledger.failures,
  };
}

function summary(o: Outcome): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return [
    `${o.database}: ${o.rounds} SIGKILLs during writes (at ${Math.min(...o.killAfterMs)}-${Math.max(...o.killAfterMs)} ms), ${o.restartMs.length} restarts ` +
      `(start-up median ${seconds(median(o.restartMs))}, longest ${seconds(Math.max(...o.restartMs))}); ${seconds(o.ms)} in all`,
    `  ${o.participation + o.contributions} writes (${o.participation} participation saves, ${o.contributions} contributions) from ${CLIENTS} clients: ` +
      `${o.acknowledgedFirstTime} acknowledged at once, ${o.inFlight} in flight at a kill (${o.inFlightCommitted} of them had committed, their answer lost), ` +
      'each of those sent again after the restart with its Idempotency-Key',
    `  after every restart: ${o.database === 'SQLite' ? 'integrity check ok, ' : ''}every acknowledged write present once, every log whole; ` +
      `at the end every write stored once with its audit entry, audit chain of ${o.auditEntries} entries intact, the group view's summary tables equal to a recount`,
  ].join('\n');
}

async function main(): Promise<void> {
  const { postgres } = commandLineOrExit(COMMANDS.crashTest).values;
  if (!Number.isInteger(ROUNDS) || ROUNDS < 1) fail('CRASH_ROUNDS must be a whole number of at least 1');

  const dir = mkdtempSync(join(tmpdir(), 'insieme-crash-'));
  const outcomes: Outcome[] = [];
  // Bounded: whatever happens, the run ends.
  const guard = setTimeout(() => fail(`The crash test ran past 10 minutes and was stopped; its database is in ${dir}`), 10 * 60_000);
  guard.unref();
  // The two databases' rounds run side by side: most of a round is waiting for an app to start
  // (40 start-ups in all), and the apps are processes of their own, so running them one after the
  // other only doubled the wait (126 s against about 80 s on two cores).
  const rounds: Promise<Outcome>[] = [crashRounds(`sqlite:${join(dir, 'crash.sqlite')}`, 'SQLite')];
  if (typeof postgres === 'string') {
    if (!(await postgresReachable(postgres))) fail(`PostgreSQL at ${postgres} cannot be reached`);
    const database = await createPostgresDatabase(postgres, `insieme_crash_${process.pid}`);
    rounds.push(crashRounds(database.url, 'PostgreSQL').finally(() => database.drop()));
  }
  outcomes.push(...(await Promise.all(rounds)));

  console.log(`\n${outcomes.map(summary).join('\n')}`);
  const failures = outcomes.flatMap((o) => o.failures.map((f) => `${o.database} ${f}`));
  if (failures.length > 0) {
    console.error(`\nFAILED (${failures.length}):\n${failures.slice(0, 30).join('\n')}\nThe SQLite database is kept in ${dir}`);
    process.exit(1);
  }
  rmSync(dir, { recursive: true, force: true });
  console.log('PASSED');
}

main().catch((error: unknown) => fail(`The crash test could not run: ${error instanceof Error ? error.stack ?? error.message : String(error)}`));
