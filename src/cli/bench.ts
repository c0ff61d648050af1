import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { PROJECT_ROOT } from '../common/paths';
import { utcToLocal } from '../common/time/zoned';
import { lastCompleteQuarter } from '../common/time/quarter';
import {
  apiSignIn, createPostgresDatabase, LoadFigures, load, loadAloneAndBeside, loadInTurns, loadsInTurns, median, postgresReachable, probeReport, Running, seedDatabase, settlePostgres,
  startApp, startBareToday, startBaseline, stop, syncLatencyMs,
} from './bench/bench-support';
import { benchGroupView } from './bench/group-view';
import { measureOutboxReplay } from './bench/outbox-replay';
import type { ReportProbeResult } from './bench/report-probe';
import { COMMANDS } from './cli-options';
import { commandLineOrExit } from './cli-support';
import { SYNTHETIC_PASSWORD } from './synthetic/seed-synthetic-data';
import { homeSlug, SYNTHETIC_TIMEZONE, syntheticEmail } from './synthetic/synthetic-home';

/**
 * `npm run bench`: the speed targets of SPEC 7, measured side by side in one run on throwaway
 * databases (SQLite files in the temp folder, a PostgreSQL database created and dropped), printed
 * as a table and written to bench/results.json. Loopback only; every load runs for a fixed time.
 *
 * Environment: BENCH_SECONDS (10) per load run; BENCH_POSTGRES_URL (else TEST_DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/postgres) for part (d), skipped when it cannot be reached;
 * BENCH_PG_HOMES (500) homes in the database for part (d); BENCH_PARTS (all) the parts to run, a
 * comma-separated list of a, b, b2, offline, c, d (part (e) runs with (d), on its homes), e.g.
 * BENCH_PARTS=b for the Today ratio alone: the others are left out of the table and results.json;
 * BENCH_CPU_PROFILE=<dir> has each app started write a V8 CPU profile there when it stops.
 */

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;
const RESIDENTS = 120;
const DAYS = 365;
const PG_HOMES = Number(process.env.BENCH_PG_HOMES ?? 500);
const PARTS = new Set((process.env.BENCH_PARTS ?? 'a,b,b2,offline,c,d').split(',').map((name) => name.trim()));
const runs = (part: 'a' | 'b' | 'b2' | 'offline' | 'c' | 'd') => PARTS.has(part);
/** Issue 20 (d): the homes of part (d) are written within ten minutes. */
const PG_SEED_LIMIT_MS = 600_000;
const ROSTER_SIZE = 20;
/** Activities the participation saves rotate over; not a multiple of 3 or 5, so each save changes every row. */
const LOG_ACTIVITIES = 16;
const ATTENDED = ['active', 'passive', 'disengaged'] as const;
/** The offline tablet's queue: saves waiting, each tapping this many residents. */
const QUEUED_SAVES = 50;
const QUEUED_TAPS = 12;

interface Target {
  name: string;
  value: number | null;
  unit: string;
  target: string;
  pass: boolean | null;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const seconds = (ms: number) => `${round(ms / 1000, 1)} s`;

function log(message: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** Residents who can still take part: discharged, deceased and erased residents refuse new participation (422). */
const OPEN_RESIDENT = `r.status NOT IN ('discharged', 'deceased') AND r.erasedAt IS NULL`;

/** How many residents who can still take part are on an activity's roster. */
function openOnRoster(activityId: string): string {
  return `(SELECT COUNT(*) FROM roster_entry e JOIN resident r ON r.id = e.residentId WHERE e.activityId = ${activityId} AND ${OPEN_RESIDENT})`;
}

/** Past activities with a full roster, and the residents on each, for the participation saves. */
function logFixtures(file: string): { activityId: string; residentIds: string[] }[] {
  const db = new Database(file, { readonly: true });
  try {
    const activities = db
      .prepare<[], { id: string }>(
        `SELECT a.id FROM activity a WHERE a.status = 'completed' AND ${openOnRoster('a.id')} >= ${ROSTER_SIZE}
         ORDER BY a.startsAt DESC LIMIT ${LOG_ACTIVITIES}`,
      )
      .all();
    const roster = db.prepare<[string], { residentId: string }>(
      `SELECT e.residentId FROM roster_entry e JOIN resident r ON r.id = e.residentId WHERE e.activityId = ? AND ${OPEN_RESIDENT} ORDER BY e.residentId LIMIT ${ROSTER_SIZE}`,
    );
    if (activities.length < LOG_ACTIVITIES) throw new Error(`Only ${activities.length} activities with ${ROSTER_SIZE} residents on the roster`);
    return activities.map((a) => ({ activityId: a.id, residentIds: roster.all(a.id).map((r) => r.residentId) }));
  } finally {
    db.close();
  }
}

/** Held activities with at least QUEUED_TAPS residents on the roster, other than the ones (a) saves. */
function queuedSaveActivities(file: string, skip: string[]): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare<[], { id: string }>(
        `SELECT a.id FROM activity a WHERE a.status = 'completed' AND ${openOnRoster('a.id')} >= ${QUEUED_TAPS}
         ORDER BY a.startsAt DESC LIMIT ${QUEUED_SAVES + skip.length}`,
      )
      .all()
      .map((a) => a.id)
      .filter((id) => !skip.includes(id))
      .slice(0, QUEUED_SAVES);
  } finally {
    db.close();
  }
}

/** Rows of these activities written from a tablet's taps (the seed leaves tappedAt empty). */
function tappedRows(file: string, activityIds: string[]): number {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare<string[], { n: number }>(`SELECT COUNT(*) AS n FROM participation WHERE "tappedAt" IS NOT NULL AND "activityId" IN (${activityIds.map(() => '?').join(', ')})`)
      .get(...activityIds)!.n;
  } finally {
    db.close();
  }
}

/**
 * The busiest Today pages of the last fortnight (today included): a ward tablet's (SPEC 4: the
 * carer's Today shows their unit, whole-home activities included), the unit and day with the most
 * activities; and the whole home's busiest day, as a floating carer sees it.
 */
function busiestDays(file: string, now: Date): { ward: { date: string; unitId: string; activities: number }; home: { date: string; activities: number } } {
  const db = new Database(file, { readonly: true });
  try {
    const since = new Date(now.getTime() - 14 * 86_400_000).toISOString().replace('T', ' ').replace('Z', '');
    const rows = db.prepare<[string], { startsAt: string; unitId: string | null }>(`SELECT "startsAt", "unitId" FROM activity WHERE status <> 'cancelled' AND "startsAt" >= ?`).all(since);
    const units = db.prepare<[], { id: string }>('SELECT id FROM unit WHERE active = 1 ORDER BY name, id').all().map((u) => u.id);
    const today = utcToLocal(now, SYNTHETIC_TIMEZONE).date;
    const count = new Map<string, number>();
    const add = (key: string) => count.set(key, (count.get(key) ?? 0) + 1);
    for (const row of rows) {
      const date = utcToLocal(new Date(`${row.startsAt.replace(' ', 'T')}Z`), SYNTHETIC_TIMEZONE).date;
      if (date > today) continue;
      add(`home ${date}`);
      // A whole-home activity is on every unit's Today.
      for (const unitId of row.unitId ? [row.unitId] : units) add(`${unitId} ${date}`);
    }
    const best = (prefix: (key: string) => boolean) =>
      [...count.entries()].filter(([key]) => prefix(key)).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    const [wardKey, wardActivities] = best((key) => !key.startsWith('home '));
    const [homeKey, homeActivities] = best((key) => key.startsWith('home '));
    const [unitId, wardDate] = wardKey.split(' ');
    return { ward: { date: wardDate, unitId, activities: wardActivities }, home: { date: homeKey.slice(5), activities: homeActivities } };
  } finally {
    db.close();
  }
}

function copyDatabase(from: string, to: string): void {
  copyFileSync(from, to);
  if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${to}-wal`);
}

function reportFigures(probe: ReportProbeResult) {
  const warm = probe.runs.slice(1).map((r) => r.totalMs);
  return {
    coldMs: round(probe.runs[0].totalMs, 0),
    warmMedianMs: round(median(warm.length > 0 ? warm : [probe.runs[0].totalMs]), 0),
    figuresMedianMs: round(median(probe.runs.slice(1).map((r) => r.figuresMs)), 0),
    pdfMedianMs: round(median(probe.runs.slice(1).map((r) => r.pdfMs)), 0),
    peakRssMb: probe.peakRssMb,
    rssAfterStartMb: probe.rssAfterStartMb,
    pdfKb: round(probe.pdfBytes / 1024, 0),
    residentsInQuarter: probe.residentsInQuarter,
    participationsRecorded: probe.participationsRecorded,
  };
}

async function main(): Promise<void> {
  commandLineOrExit(COMMANDS.bench);
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'insieme-bench-'));
  const running: Running[] = [];
  // Bounded: whatever happens, the run ends.
  const guard = setTimeout(() => {
    console.error('The benchmark ran past 40 minutes and was stopped');
    for (const r of running) r.child.kill('SIGKILL');
    process.exit(2);
  }, 40 * 60_000);
  guard.unref();
  const now = new Date();
  const quarter = lastCompleteQuarter(utcToLocal(now, SYNTHETIC_TIMEZONE).date);
  const slug = homeSlug(1);
  const results: Record<string, unknown> = {
    date: now.toISOString(),
    machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGb: round(totalmem() / 2 ** 30, 1), node: process.version, platform: process.platform },
    settings: { connections: CONNECTIONS, seconds: SECONDS, residents: RESIDENTS, days: DAYS, quarter, pgHomes: PG_HOMES, parts: [...PARTS] },
  };
  const targets: Target[] = [];

  try {
    // ---- Databases -------------------------------------------------------------------------
    const appFile = join(dir, 'app.sqlite');
    log(`seeding a SQLite home of ${RESIDENTS} residents x ${DAYS} days`);
    const seedMs = await seedDatabase(`sqlite:${appFile}`, 1, RESIDENTS, DAYS, 1, now);
    const baselineFile = join(dir, 'baseline.sqlite');
    const reportFile = join(dir, 'report.sqlite');
    copyDatabase(appFile, baselineFile);
    copyDatabase(appFile, reportFile);
    const fixtures = logFixtures(appFile);
    const days = busiestDays(appFile, now);
    results.seeding = { sqliteHomeMs: seedMs };

    // ---- (a) Saving a 20-resident participation ----------------------------------------------
    let counter = 0;
    const participationRequest = (headers: Record<string, string>): autocannon.Request => ({
      method: 'PUT',
      path: `/api/activities/${fixtures[0].activityId}/participation`,
      headers: { 'content-type': 'application/json', ...headers },
      setupRequest: (req) => {
        const i = counter;
        counter += 1;
        const fixture = fixtures[i % fixtures.length];
        const entries = fixture.residentIds.map((residentId, j) => ({ residentId, engagement: ATTENDED[(i + j) % 3], moodBefore: 3, moodAfter: 1 + (i % 5) }));
        return {
          ...req, path: `/api/activities/${fixture.activityId}/participation`, body: JSON.stringify({ entries }),
          headers: { ...req.headers, 'idempotency-key': `bench-${process.pid}-${i}` },
        };
      },
    });

    const app = runs('a') || runs('b') || runs('b2') || runs('offline') ? await startApp(`sqlite:${appFile}`) : null;
    if (app) running.push(app);
    const carer = app ? await apiSignIn(app.port, syntheticEmail('carer', 1), SYNTHETIC_PASSWORD) : null;
    if (app && carer && runs('a')) {
      log('(a) the bare node:http + better-sqlite3 server and the app (PUT /api/activities/:id/participation), in turns');
      const baseline = await startBaseline(baselineFile);
      running.push(baseline);
      const [appLoad, baselineLoad] = await loadInTurns(
        { url: `http://127.0.0.1:${app.port}`, connections: CONNECTIONS, requests: [participationRequest({ cookie: carer.cookie, 'x-csrf-token': carer.csrfToken })] },
        { url: `http://127.0.0.1:${baseline.port}`, connections: CONNECTIONS, requests: [participationRequest({})] },
        SECONDS,
      );
      await stop(baseline);
      const participationRatio = appLoad.requestsPerSecond / baselineLoad.requestsPerSecond;
      const participationP99 = appLoad.latencyP99Ms / baselineLoad.latencyP99Ms;
      results.a = {
        residentsPerSave: ROSTER_SIZE, baseline: baselineLoad, app: appLoad, ratio: round(participationRatio), p99Ratio: round(participationP99),
        // The bare server syncs once per request, the app once per group: the ratio depends on the disk.
        syncMs: syncLatencyMs(dir),
      };
      targets.push({ name: '(a) participation save: app / bare better-sqlite3, throughput', value: round(participationRatio), unit: 'x', target: '>= 0.75', pass: participationRatio >= 0.75 && appLoad.non2xx === 0 });
      targets.push({ name: '    and p99: app / bare better-sqlite3', value: round(participationP99), unit: 'x', target: '<= 2.5', pass: participationP99 <= 2.5 });
    }

    // ---- (b) Today against the bare Today server (and /health, for information) -------------------
    const { ward, home } = days;
    const todayPath = `/today?date=${ward.date}&unitId=${ward.unitId}`;
    if (app && carer && runs('b')) {
      // On the app's own file, read-only: the session it checks is the one the app just stored.
      const bareToday = await startBareToday(appFile);
      running.push(bareToday);
      const [appPage, barePage] = await Promise.all(
        [app.port, bareToday.port].map(async (port) => (await fetch(`http://127.0.0.1:${port}${todayPath}`, { headers: { cookie: carer.cookie } })).text()),
      );
      const sameBytes = appPage === barePage;
      if (!sameBytes) log('(b) the bare Today server answers other bytes than the app: its figure does not count');
      log(`(b) GET ${todayPath.replace(ward.unitId, '…')} (a ward tablet, ${ward.activities} activities): the app, the bare Today server and the app's GET /health in turns`);
      const [todayLoad, bareTodayLoad, healthLoad] = await loadsInTurns(
        [
          { url: `http://127.0.0.1:${app.port}${todayPath}`, connections: CONNECTIONS, headers: { cookie: carer.cookie } },
          { url: `http://127.0.0.1:${bareToday.port}${todayPath}`, connections: CONNECTIONS, headers: { cookie: carer.cookie } },
          { url: `http://127.0.0.1:${app.port}/health`, connections: CONNECTIONS },
        ],
        SECONDS,
      );
      await stop(bareToday);
      log(`(b) the whole home's Today (${home.activities} activities)`);
      const homeLoad = await load({ url: `http://127.0.0.1:${app.port}/today?date=${home.date}`, connections: CONNECTIONS, headers: { cookie: carer.cookie } }, SECONDS);
      const todayRatio = todayLoad.requestsPerSecond / bareTodayLoad.requestsPerSecond;
      const healthRatio = todayLoad.requestsPerSecond / healthLoad.requestsPerSecond;
      results.b = {
        ward: { date: ward.date, activitiesThatDay: ward.activities, today: todayLoad }, bareToday: bareTodayLoad, sameBytes, ratio: round(todayRatio),
        health: healthLoad, healthRatio: round(healthRatio),
        wholeHome: { date: home.date, activitiesThatDay: home.activities, today: homeLoad, ratio: round(homeLoad.requestsPerSecond / healthLoad.requestsPerSecond) },
      };
      targets.push({
        name: `(b) a ward tablet's Today (${ward.activities} activities): app / bare Today server`, value: round(todayRatio), unit: 'x', target: '>= 0.6',
        pass: todayRatio >= 0.6 && sameBytes && todayLoad.non2xx === 0 && bareTodayLoad.non2xx === 0,
      });
      targets.push({ name: "    the ward's Today / the app's GET /health", value: round(healthRatio), unit: 'x', target: 'info', pass: null });
      targets.push({
        name: `    the whole home's Today (${home.activities} activities) / health`, value: round(homeLoad.requestsPerSecond / healthLoad.requestsPerSecond), unit: 'x', target: 'info', pass: null,
      });
    }

    // ---- (b2) Today while 32 tablets save ------------------------------------------------------
    if (app && carer && runs('b2')) {
      log(`(b2) the ward's Today alone, and while ${CONNECTIONS} tablets save participation on the same app, in turns`);
      const besideSaves = await loadAloneAndBeside(
        { url: `http://127.0.0.1:${app.port}${todayPath}`, connections: CONNECTIONS, headers: { cookie: carer.cookie } },
        { url: `http://127.0.0.1:${app.port}`, connections: CONNECTIONS, requests: [participationRequest({ cookie: carer.cookie, 'x-csrf-token': carer.csrfToken })] },
        SECONDS,
      );
      const b2Throughput = besideSaves.besideOther.requestsPerSecond / besideSaves.alone.requestsPerSecond;
      const b2P99 = besideSaves.besideOther.latencyP99Ms / besideSaves.alone.latencyP99Ms;
      results.b2 = { alone: besideSaves.alone, whileSaving: besideSaves.besideOther, saves: besideSaves.other, ratio: round(b2Throughput), p99Ratio: round(b2P99) };
      targets.push({
        name: `(b2) Today while ${CONNECTIONS} tablets save / Today alone: throughput`, value: round(b2Throughput), unit: 'x', target: '>= 0.6',
        pass: b2Throughput >= 0.6 && besideSaves.besideOther.non2xx === 0 && besideSaves.other.non2xx === 0,
      });
      targets.push({ name: '     and p99', value: round(b2P99), unit: 'x', target: '<= 3', pass: b2P99 <= 3 });
    }

    // ---- Offline: an offline tablet's queued saves replay on reconnecting ------------------------
    if (app && runs('offline')) {
      const queued = queuedSaveActivities(appFile, fixtures.map((f) => f.activityId));
      log(`offline tablet: ${queued.length} saves queued in Chromium, then the network comes back`);
      const replay = await measureOutboxReplay({
        baseUrl: `http://127.0.0.1:${app.port}`, email: syntheticEmail('carer', 1), password: SYNTHETIC_PASSWORD, activityIds: queued, taps: QUEUED_TAPS,
        countRows: () => Promise.resolve(tappedRows(appFile, queued)),
      });
      results.offline = replay;
      targets.push({
        name: `offline tablet: ${replay.saves} queued saves sent after reconnecting`, value: round(replay.replayMs / 1000, 1), unit: 's', target: '<= 10',
        pass: replay.replayMs <= 10_000 && replay.rowsAfter === replay.saves * replay.tapsPerSave,
      });
    }
    if (app) await stop(app);

    // ---- (c) The quarterly PDF and its growth ------------------------------------------------
    if (runs('c')) {
      log(`(c) quarterly report ${quarter}: ${RESIDENTS} residents`);
      const small = reportFigures(await probeReport(`sqlite:${reportFile}`, slug, quarter, join(dir, 'report-120.pdf')));
      const largeFile = join(dir, 'report-480.sqlite');
      log(`(c) seeding ${RESIDENTS * 4} residents x ${DAYS} days`);
      const largeSeedMs = await seedDatabase(`sqlite:${largeFile}`, 1, RESIDENTS * 4, DAYS, 1, now);
      const large = reportFigures(await probeReport(`sqlite:${largeFile}`, slug, quarter, join(dir, 'report-480.pdf')));
      const longFile = join(dir, 'report-4y.sqlite');
      log(`(c) seeding ${RESIDENTS} residents x ${DAYS * 4} days`);
      const longSeedMs = await seedDatabase(`sqlite:${longFile}`, 1, RESIDENTS, DAYS * 4, 1, now);
      const long = reportFigures(await probeReport(`sqlite:${longFile}`, slug, quarter, join(dir, 'report-4y.pdf')));
      const growth = large.warmMedianMs / small.warmMedianMs;
      results.c = {
        quarter, residents120: small, residents480: large, years4: long, growth: round(growth), growthOfData: round(large.participationsRecorded / small.participationsRecorded),
        seedMs: { residents480: largeSeedMs, years4: longSeedMs },
      };
      targets.push({ name: `(c) quarterly PDF, ${RESIDENTS} residents x ${DAYS} days: time`, value: small.warmMedianMs, unit: 'ms', target: '<= 300', pass: small.warmMedianMs <= 300 });
      targets.push({ name: '(c) quarterly PDF: peak memory (RSS of its process)', value: small.peakRssMb, unit: 'MB', target: '<= 200', pass: small.peakRssMb <= 200 });
      targets.push({ name: `(c) growth: ${RESIDENTS * 4} / ${RESIDENTS} residents (4x the quarter's data)`, value: round(growth), unit: 'x', target: '<= 4.5', pass: growth <= 4.5 });
    }

    // ---- (d) PostgreSQL: one home among 500; (e) the group view of all of them (bench/group-view.ts)
    const adminUrl = process.env.BENCH_POSTGRES_URL ?? (process.env.TEST_DATABASE_URL?.startsWith('postgres') ? process.env.TEST_DATABASE_URL : 'postgres://postgres@127.0.0.1:5432/postgres');
    if (runs('d') && (await postgresReachable(adminUrl))) {
      const pg = await createPostgresDatabase(adminUrl, `insieme_bench_${randomBytes(4).toString('hex')}`);
      try {
        log(`(d) PostgreSQL: seeding 1 home`);
        const oneSeedMs = await seedDatabase(pg.url, 1, RESIDENTS, DAYS, 1, now);
        const oneVacuumMs = await settlePostgres(pg.url);
        const one = reportFigures(await probeReport(pg.url, slug, quarter, join(dir, 'report-pg-1.pdf')));
        log(`(d) PostgreSQL: seeding ${PG_HOMES - 1} more homes`);
        const moreSeedMs = await seedDatabase(pg.url, PG_HOMES - 1, RESIDENTS, DAYS, 2, now);
        log(`(d) PostgreSQL: VACUUM (ANALYZE) and CHECKPOINT after loading the ${PG_HOMES} homes, before measuring`);
        const manyVacuumMs = await settlePostgres(pg.url);
        const many = reportFigures(await probeReport(pg.url, slug, quarter, join(dir, `report-pg-${PG_HOMES}.pdf`)));
        const ratio = many.warmMedianMs / one.warmMedianMs;
        results.d = { homes1: one, [`homes${PG_HOMES}`]: many, ratio: round(ratio), seedMs: { firstHome: oneSeedMs, otherHomes: moreSeedMs, total: oneSeedMs + moreSeedMs }, vacuumMs: { homes1: oneVacuumMs, [`homes${PG_HOMES}`]: manyVacuumMs } };
        targets.push({ name: `(d) PostgreSQL report: ${PG_HOMES} homes / 1 home in the database`, value: round(ratio), unit: 'x', target: '<= 1.3', pass: ratio <= 1.3 });
        const seedMs = oneSeedMs + moreSeedMs;
        targets.push({ name: `(d) seeding ${PG_HOMES} homes x ${RESIDENTS} residents x ${DAYS} days`, value: round(seedMs / 1000, 0), unit: 's', target: '<= 600', pass: seedMs <= PG_SEED_LIMIT_MS });
        results.e = await benchGroupView(pg.url, { homes: PG_HOMES, residents: RESIDENTS, days: DAYS }, quarter, now, log, targets);
      } finally {
        await pg.drop();
      }
    } else if (runs('d')) {
      results.d = { skipped: `PostgreSQL not reachable at ${new URL(adminUrl).host}` };
      targets.push({ name: `(d) PostgreSQL report: ${PG_HOMES} homes / 1 home`, value: null, unit: '', target: '<= 1.3', pass: null });
      results.e = { skipped: 'PostgreSQL not reachable' };
      targets.push({ name: `(e) group view of ${PG_HOMES} homes (PostgreSQL)`, value: null, unit: '', target: '<= 2000', pass: null });
    }

  } finally {
    for (const r of running) await stop(r);
    rmSync(dir, { recursive: true, force: true });
  }

  results.targets = targets;
  results.totalSeconds = round((Date.now() - started) / 1000, 0);
  mkdirSync(join(PROJECT_ROOT, 'bench'), { recursive: true });
  writeFileSync(join(PROJECT_ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  printTable(results, targets);
  clearTimeout(guard);
  if (targets.some((t) => t.pass === false)) process.exitCode = 1;
}

function printTable(results: Record<string, unknown>, targets: Target[]): void {
  // Parts left out by BENCH_PARTS have no results.
  const a = results.a as { baseline: LoadFigures; app: LoadFigures; syncMs: number } | undefined;
  const b = results.b as { ward: { today: LoadFigures }; bareToday: LoadFigures; health: LoadFigures; wholeHome: { today: LoadFigures } } | undefined;
  const b2 = results.b2 as { alone: LoadFigures; whileSaving: LoadFigures; saves: LoadFigures } | undefined;
  const c = results.c as Record<string, ReturnType<typeof reportFigures>> | undefined;
  console.log('');
  console.log(`Insieme benchmark, ${(results.machine as { cores: number }).cores} cores, ${results.date} (bench/results.json)`);
  console.log('');
  const load = (name: string, f: LoadFigures) =>
    console.log(`  ${name.padEnd(44)} ${String(f.requestsPerSecond).padStart(9)} req/s  p50 ${String(f.latencyP50Ms).padStart(4)} ms  p99 ${String(f.latencyP99Ms).padStart(5)} ms  non-2xx ${f.non2xx}`);
  if (a) {
    load('(a) bare better-sqlite3, the same writes', a.baseline);
    load('(a) app PUT participation, 20 residents', a.app);
    console.log(`  ${'    a 4 KiB write made durable (fdatasync)'.padEnd(44)} ${String(a.syncMs).padStart(9)} ms, median of 50, in the databases' folder`);
  }
  if (b) {
    load("(b) bare Today server, a ward's day", b.bareToday);
    load("(b) app GET /today, a ward's day", b.ward.today);
    load('    app GET /health', b.health);
    load("    app GET /today, the whole home's day", b.wholeHome.today);
  }
  if (b2) {
    load("(b2) app GET /today alone", b2.alone);
    load(`(b2) app GET /today while ${CONNECTIONS} tablets save`, b2.whileSaving);
    load('(b2) the saves beside it', b2.saves);
  }
  const offline = results.offline as { saves: number; tapsPerSave: number; replayMs: number; rowsAfter: number } | undefined;
  if (offline) console.log(`  ${'offline tablet, queued saves replayed'.padEnd(44)} ${offline.saves} saves x ${offline.tapsPerSave} taps in ${offline.replayMs} ms, ${offline.rowsAfter} rows stored`);
  const report = (name: string, f: ReturnType<typeof reportFigures>) =>
    console.log(`  ${name.padEnd(44)} cold ${String(f.coldMs).padStart(5)} ms  warm ${String(f.warmMedianMs).padStart(5)} ms (SQL ${f.figuresMedianMs}, PDF ${f.pdfMedianMs})  peak ${f.peakRssMb} MB  ${f.participationsRecorded} logs`);
  if (c) {
    report('(c) PDF 120 residents x 365 days', c.residents120);
    report('(c) PDF 480 residents x 365 days', c.residents480);
    report('(c) PDF 120 residents x 4 years', c.years4);
  }
  const d = results.d as (Record<string, ReturnType<typeof reportFigures>> & { skipped?: string }) | undefined;
  if (d && !d.skipped) {
    report('(d) PostgreSQL PDF, 1 home in the database', d.homes1);
    report(`(d) PostgreSQL PDF, ${PG_HOMES} homes in the database`, d[`homes${PG_HOMES}`]);
  }
  console.log('');
  console.log(`  ${'target'.padEnd(70)} ${'measured'.padStart(10)}  ${'goal'.padEnd(8)} result`);
  for (const t of targets) {
    const value = t.value === null ? 'n/a' : `${t.value} ${t.unit}`;
    console.log(`  ${t.name.padEnd(70)} ${value.padStart(10)}  ${t.target.padEnd(8)} ${t.pass === null ? '' : t.pass ? 'ok' : 'MISSED'}`);
  }
  console.log(`\n  total ${seconds(Number(results.totalSeconds) * 1000)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
