import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, fdatasyncSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Secret, TOTP } from 'otpauth';
import { Client } from 'pg';
import { PROJECT_ROOT } from '../../common/paths';
import { loadConfig } from '../../config/app-config';
import { createDataSource } from '../../database/data-source';
import { seedSynthetic } from '../synthetic/seed-synthetic-data';
import type { ReportProbeResult } from './report-probe';

/** Compiled scripts beside this one (the bench runs from dist/). */
export const DIST_SRC = join(__dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Migrates a database and writes synthetic homes into it; returns the time the writing took. */
export async function seedDatabase(url: string, homes: number, residents: number, days: number, firstHome = 1, now = new Date()): Promise<number> {
  const dataSource = createDataSource(loadConfig({ DATABASE_URL: url }));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    const result = await seedSynthetic(dataSource, { homes, residents, days, seed: 1, firstHome, now });
    // Statistics and visibility maps, as a database in service has them (PostgreSQL's autovacuum
    // would make them soon after a load this size).
    if (dataSource.options.type === 'postgres') await dataSource.query('VACUUM (ANALYZE)');
    return result.ms;
  } finally {
    await dataSource.destroy();
  }
}

/** The environment the app and the probes run with: production settings on a throwaway database. */
/** The audit chain's key for the benchmark's and crash test's throwaway databases (the app and the baseline server share it). */
export const BENCH_AUDIT_KEY = 'bench-audit-key-that-is-long-enough-for-the-validator';

/** The app's session secret in the benchmark (the bare Today server checks the app's cookies with it). */
export const BENCH_SESSION_SECRET = 'bench-secret-that-is-long-enough-for-the-validator';

export function appEnv(databaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', SESSION_SECRET: BENCH_SESSION_SECRET,
    AUDIT_KEY: BENCH_AUDIT_KEY,
    DATABASE_URL: databaseUrl, LOG_LEVEL: 'error', ...extra,
  };
}

/**
 * The Node options `npm start` gives the app (package.json's start script: a young generation sized
 * for a server's many short-lived objects), so the app is measured as it is run.
 */
export function startOptions(): string[] {
  const scripts = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  return scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
}

export interface Running {
  child: ChildProcess;
  port: number;
  output: () => string;
}

function capture(child: ChildProcess): () => string {
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text = (text + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (text = (text + chunk.toString()).slice(-4000)));
  return () => text;
}

/**
 * The real app, built, in a process of its own; resolves once /health answers. `main` is the compiled
 * entry point when the caller does not run from dist/ (the scale-out test).
 *
 * The port is free when chosen, but another process can take it before the app binds it: test suites
 * running beside the crash test open ports all the time. /health answered on the port then proves
 * nothing (CI once saw the crash test's clients talk to another suite's app: 401s, then dropped
 * connections), so the app counts as started only once it has said it listens on that port, and one
 * that stopped because the port was taken is started again on another.
 */
export async function startApp(databaseUrl: string, options: { env?: Record<string, string>; main?: string } = {}): Promise<Running> {
  for (let attempt = 1; ; attempt += 1) {
    const running = await startOnce(databaseUrl, options);
    if (running !== 'port taken') return running;
    if (attempt === 3) throw new Error('The app found its port taken three times');
  }
}

async function startOnce(databaseUrl: string, options: { env?: Record<string, string>; main?: string }): Promise<Running | 'port taken'> {
  const port = await freePort();
  const main = options.main ?? join(DIST_SRC, 'main.js');
  // BENCH_CPU_PROFILE=<dir>: each app writes a V8 CPU profile there when it stops (for Chrome's DevTools).
  const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
  const child = spawn(process.execPath, [...startOptions(), ...profile, main], { env: appEnv(databaseUrl, { ...options.env, PORT: String(port) }), stdio: ['ignore', 'pipe', 'pipe'] });
  const output = capture(child);
  // main.ts prints this once the server is bound (a chunk may end mid-line: the end of the last one is kept).
  const said = `is listening on http://localhost:${port}`;
  let listening = false;
  let tail = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-(said.length + 4096));
    listening ||= tail.includes(said);
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      if (output().includes('EADDRINUSE')) return 'port taken';
      throw new Error(`The app stopped: ${output()}`);
    }
    if (listening) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return { child, port, output };
      } catch {
        // Bound, not answering yet.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop({ child, port, output });
  throw new Error(`The app did not answer within a minute: ${output()}`);
}

/**
 * The bare better-sqlite3 server (baseline-server.ts) on its own copy of the database; `script` is
 * its compiled file when the caller does not run from dist/ (its test).
 */
export function startBaseline(file: string, script = join(DIST_SRC, 'cli', 'bench', 'baseline-server.js'), auditKey = BENCH_AUDIT_KEY): Promise<Running> {
  return startChild('baseline server', script, [file], { ...process.env, AUDIT_KEY: auditKey });
}

/**
 * The bare Today server (baseline-today.ts), reading the app's own database file: the session it
 * checks is the app's. `secret` is the app's SESSION_SECRET (the cookie is signed with it).
 */
export function startBareToday(file: string, secret = BENCH_SESSION_SECRET, script = join(DIST_SRC, 'cli', 'bench', 'baseline-today.js')): Promise<Running> {
  return startChild('bare Today server', script, [file], { ...process.env, SESSION_SECRET: secret });
}

/** A child process that prints "listening PORT" once it listens. */
async function startChild(name: string, script: string, args: string[], env: NodeJS.ProcessEnv): Promise<Running> {
  const child = spawn(process.execPath, [...startOptions(), script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  const output = capture(child);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The ${name} did not start: ${output()}`)), 15_000);
    child.stdout!.on('data', () => {
      const match = /listening (\d+)/.exec(output());
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', () => reject(new Error(`The ${name} stopped: ${output()}`)));
  });
  return { child, port, output };
}

export async function stop(running: Running): Promise<void> {
  const { child } = running;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Signs in through the JSON API: the session cookie and the CSRF token for writes. */
export async function apiSignIn(port: number, email: string, password: string): Promise<{ cookie: string; csrfToken: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`Sign-in as ${email} failed with ${res.status}: ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const body = (await res.json()) as { csrfToken: string };
  return { cookie, csrfToken: body.csrfToken };
}

/**
 * Switches on MFA for a signed-in session over HTTP, as an admin or manager does at their first
 * sign-in in production (where the built app runs): reads the key from /account/mfa and confirms it
 * with a code computed from it. Returns the key and the session's cookies.
 */
export async function enrolMfa(port: number, session: { cookie: string; csrfToken: string }): Promise<{ key: string; cookie: string }> {
  const page = await fetch(`http://127.0.0.1:${port}/account/mfa`, { headers: { cookie: session.cookie }, redirect: 'manual' });
  // The pending enrolment is kept in the session: the page may hand out a new session cookie.
  const cookie = mergeCookies(session.cookie, page.headers.getSetCookie());
  const html = await page.text();
  const key = /<code class="mfa-secret">([^<]+)<\/code>/.exec(html)?.[1]?.replace(/\s/g, '');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? session.csrfToken;
  if (!key) throw new Error(`No MFA key on /account/mfa (status ${page.status})`);
  const code = new TOTP({ secret: Secret.fromBase32(key) }).generate();
  const res = await fetch(`http://127.0.0.1:${port}/account/mfa/enable`, {
    method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, code }).toString(),
  });
  if (res.status >= 400) throw new Error(`MFA enrolment failed with ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return { key, cookie: mergeCookies(cookie, res.headers.getSetCookie()) };
}

function mergeCookies(cookie: string, setCookies: string[]): string {
  const jar = new Map(cookie.split('; ').filter(Boolean).map((c) => [c.split('=')[0], c] as const));
  for (const set of setCookies) {
    const pair = set.split(';')[0];
    jar.set(pair.split('=')[0], pair);
  }
  return [...jar.values()].join('; ');
}

export interface LoadFigures {
  requestsPerSecond: number;
  requests: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  non2xx: number;
  errors: number;
}

/** autocannon against a loopback address: a short warm-up, then `seconds` measured. */
export async function load(options: autocannon.Options, seconds: number): Promise<LoadFigures> {
  await burst(options, 2);
  return figures([await burst(options, seconds)]);
}

/**
 * Two loads whose ratio is the figure wanted, measured in turns: each warmed up, then bursts of one
 * and of the other alternately, `seconds` of each in all. Whatever else the machine does during the
 * run then falls on both sides of the ratio alike, instead of on whichever ran at that moment.
 */
export async function loadInTurns(first: autocannon.Options, second: autocannon.Options, seconds: number): Promise<[LoadFigures, LoadFigures]> {
  const [a, b] = await loadsInTurns([first, second], seconds);
  return [a, b];
}

/** loadInTurns for any number of loads: each warmed up, then a burst of each in turn, `seconds` of each in all. */
export async function loadsInTurns(loads: autocannon.Options[], seconds: number): Promise<LoadFigures[]> {
  for (const options of loads) await burst(options, 2);
  const rounds = Math.max(1, Math.floor(seconds / 3));
  const results: autocannon.Result[][] = loads.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    for (const [i, options] of loads.entries()) results[i].push(await burst(options, seconds / rounds));
  }
  return results.map(figures);
}

/**
 * One load alone and the same load while another runs beside it on the same server, measured in
 * turns as loadInTurns does: the load beside starts half a second before each of the main load's
 * bursts and ends after it, so every burst of the main load has it running throughout.
 */
export async function loadAloneAndBeside(
  main: autocannon.Options, beside: autocannon.Options, seconds: number,
): Promise<{ alone: LoadFigures; besideOther: LoadFigures; other: LoadFigures }> {
  await burst(main, 2);
  await burst(beside, 2);
  const rounds = Math.max(1, Math.floor(seconds / 3));
  const alone: autocannon.Result[] = [];
  const besideOther: autocannon.Result[] = [];
  const other: autocannon.Result[] = [];
  for (let round = 0; round < rounds; round += 1) {
    alone.push(await burst(main, seconds / rounds));
    const running = burst(beside, seconds / rounds + 1);
    // Awaited below; handled here too, so a failure during the main burst is not an unhandled rejection.
    running.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 500));
    besideOther.push(await burst(main, seconds / rounds));
    other.push(await running);
  }
  return { alone: figures(alone), besideOther: figures(besideOther), other: figures(other) };
}

function burst(options: autocannon.Options, duration: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ ...options, duration }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/** Throughput over all the bursts; the median burst's p50 and the worst p99. */
export function figures(results: Pick<autocannon.Result, 'requests' | 'duration' | 'latency' | 'non2xx' | 'errors' | 'timeouts'>[]): LoadFigures {
  const requests = results.reduce((sum, r) => sum + r.requests.total, 0);
  const duration = results.reduce((sum, r) => sum + r.duration, 0);
  return {
    requestsPerSecond: Math.round((requests / duration) * 10) / 10, requests,
    latencyP50Ms: median(results.map((r) => r.latency.p50)), latencyP99Ms: Math.max(...results.map((r) => r.latency.p99)),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0), errors: results.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
  };
}

/** One home's report in a process of its own (report-probe.ts). */
export function probeReport(databaseUrl: string, slug: string, quarter: string, out: string, runs = 4): Promise<ReportProbeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(DIST_SRC, 'cli', 'bench', 'report-probe.js'), databaseUrl, slug, quarter, out, String(runs)], {
      env: appEnv(databaseUrl), stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = capture(child);
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const line = output().split('\n').reverse().find((l) => l.startsWith('{'));
      if (code !== 0 || !line) reject(new Error(`The report probe failed (${code}): ${output()}`));
      else resolve(JSON.parse(line) as ReportProbeResult);
    });
  });
}

/** A new empty PostgreSQL database beside the one `adminUrl` names, and a way to drop it. */
export async function createPostgresDatabase(adminUrl: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}

/**
 * VACUUM (ANALYZE) of a freshly seeded database, before it is measured: a live database is kept so by
 * autovacuum, but right after millions of inserts autovacuum would run during the measurement (on the
 * same two cores), and the visibility map that lets index-only scans skip the table would be empty.
 * Then a CHECKPOINT, so the gigabytes the load left dirty in shared buffers are written now rather
 * than by the checkpointer in the middle of the measurement (in a run without it the PDF rendering,
 * which reads no database, took 1.4x as long with 500 homes as with one). Returns the milliseconds.
 */
export async function settlePostgres(url: string): Promise<number> {
  const started = Date.now();
  await withClient(url, async (client) => {
    await client.query('VACUUM (ANALYZE)');
    await client.query('CHECKPOINT');
  });
  return Date.now() - started;
}

export async function postgresReachable(adminUrl: string): Promise<boolean> {
  try {
    await withClient(adminUrl, (client) => client.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * How long this disk takes to make a small write durable, in milliseconds (the median of `times`
 * 4 KiB writes each followed by fdatasync, in `dir`), as SQLite's commit with synchronous=FULL does.
 * The bare save server syncs once per request and the app's write queue once per group, so (a)'s
 * ratio depends on it: it is printed beside (a).
 */
export function syncLatencyMs(dir: string, times = 50): number {
  const file = join(dir, 'sync-probe');
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(4096, 1);
  const took: number[] = [];
  try {
    for (let i = 0; i < times; i += 1) {
      const start = performance.now();
      writeSync(fd, block, 0, block.length, (i % 16) * block.length);
      fdatasyncSync(fd);
      took.push(performance.now() - start);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  return Math.round(median(took) * 1000) / 1000;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
