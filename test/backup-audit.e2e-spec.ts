import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { createActivity } from './support/activity-factories';
import { createHome, createUser } from './support/factories';
import { apiSignIn, signIn } from './support/http';
import { createResident } from './support/resident-factories';
import { createTestApp, TEST_AUDIT_KEY, TestApp } from './support/test-app';
import { testDatabaseKind } from './support/test-database';
import { buildApp } from './support/build';

const ROOT = join(__dirname, '..');
const WRITERS = 8;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The commands run compiled, as in production, in a process of their own. */
function command(script: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/src/cli', script), ...args], {
      cwd: ROOT, env: { ...process.env, NODE_ENV: 'test', SESSION_SECRET: 'test-secret-that-is-long-enough-for-the-validator', AUDIT_KEY: TEST_AUDIT_KEY, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('npm run backup and npm run audit:verify', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    buildApp();
    t = await createTestApp();
    dir = mkdtempSync(join(tmpdir(), 'insieme-backup-'));
  }, 120_000);

  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  (testDatabaseKind() === 'sqlite' ? it : it.skip)('should take a consistent, restorable SQLite backup while writers are writing through the app', async () => {
    const homeId = (await createHome(t)).id;
    const resident = await createResident(t, homeId);
    const activity = await createActivity(t, homeId, { residentIds: [resident.id] });
    const carer = await createUser(t, { role: 'carer', homeIds: [homeId] });
    // One after another: a sign-in being checked counts against the throttle until it succeeds, so more
    // than five at once for one account from one address are refused (docs/security.md, throttling).
    const clients: Awaited<ReturnType<typeof apiSignIn>>[] = [];
    for (let i = 0; i < WRITERS; i += 1) clients.push(await apiSignIn(t, carer.email, carer.password));

    // Each writer adds contributions one after another and notes when each was acknowledged.
    const acknowledged: { description: string; at: number }[] = [];
    const sent = new Set<string>();
    const failures: string[] = [];
    let writing = true;
    const writers = clients.map(async ({ agent, csrfToken }, w) => {
      for (let n = 0; writing; n += 1) {
        const description = `writer ${w} write ${n}`;
        sent.add(description);
        const res = await agent.post(`/api/activities/${activity.id}/contributions`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', randomUUID())
          .send({ phase: 'co_delivery', actorType: 'resident', personId: resident.id, minutes: 30, description });
        if (res.status === 201) acknowledged.push({ description, at: Date.now() });
        else failures.push(`${description}: ${res.status}`);
      }
    });
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    await until(() => acknowledged.length >= WRITERS);
    const out = join(dir, 'under-load.sqlite');
    const backupStarted = Date.now();
    const backup = await command('backup.js', ['--out', out, '--database', t.database.url]);
    const backupEnded = Date.now();
    const duringBackup = acknowledged.filter((a) => a.at > backupStarted && a.at < backupEnded).length;
    await until(() => acknowledged.some((a) => a.at > backupEnded));
    writing = false;
    await Promise.all(writers);

    expect(failures).toEqual([]);
    expect(backup.stderr).toBe('');
    expect(backup.status).toBe(0);
    expect(backup.stdout).toContain('integrity check ok');
    expect(duringBackup).toBeGreaterThan(0);
    // One self-contained file: nothing left beside it.
    expect(readdirSync(dir)).toEqual(['under-load.sqlite']);

    const copy = new Database(out, { readonly: true, fileMustExist: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      const migrations = copy.prepare('SELECT name FROM migrations ORDER BY id').pluck().all();
      expect(migrations).toEqual((await t.dataSource.query('SELECT name FROM migrations ORDER BY id')).map((m: { name: string }) => m.name));
      const stored = copy.prepare('SELECT description FROM contribution WHERE activityId = ?').pluck().all(activity.id) as string[];
      const before = acknowledged.filter((a) => a.at < backupStarted).map((a) => a.description);
      expect(before.length).toBeGreaterThan(0);
      const inCopy = new Set(stored);
      expect(inCopy.size).toBe(stored.length);
      expect(before.filter((d) => !inCopy.has(d))).toEqual([]);
      expect(stored.filter((d) => !sent.has(d))).toEqual([]);
      // A snapshot, not the live file: the writes after it are not in it, and every record has its audit entry.
      expect(stored.length).toBeLessThan(acknowledged.length);
      const unaudited = copy.prepare(
        `SELECT COUNT(*) FROM contribution c WHERE c.activityId = ? AND NOT EXISTS (SELECT 1 FROM audit_entry e WHERE e.entityType = 'contribution' AND e.entityId = c.id)`,
      ).pluck().get(activity.id);
      expect(unaudited).toBe(0);
    } finally {
      copy.close();
    }

    const verified = await command('audit-verify.js', ['--database', `sqlite:${out}`]);
    expect(verified.stdout).toMatch(/^Audit chain ok: \d+ entries/);

    // Restoring is putting the file in place: the app starts on it and serves what it holds.
    const restored = await createTestApp({ database: { url: `sqlite:${out}`, kind: 'sqlite', uploadsDir: join(dir, 'uploads'), drop: async () => undefined } });
    try {
      await request(restored.server).get('/health').expect(200);
      const agent = await signIn(restored, carer.email, carer.password);
      const res = await agent.get(`/api/activities/${activity.id}`).expect(200);
      expect(res.body.id).toBe(activity.id);
    } finally {
      await restored.close();
    }
  }, 60_000);

  (testDatabaseKind() === 'sqlite' ? it : it.skip)('should refuse to overwrite a file unless told to, and name what is wrong', async () => {
    const out = join(dir, 'twice.sqlite');
    expect((await command('backup.js', ['--out', out], { DATABASE_URL: t.database.url })).status).toBe(0);
    const first = statSync(out);
    const again = await command('backup.js', ['--out', out], { DATABASE_URL: t.database.url });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(statSync(out).mtimeMs).toBe(first.mtimeMs);
    expect((await command('backup.js', ['--out', out, '--force'], { DATABASE_URL: t.database.url })).status).toBe(0);
    expect((await command('backup.js', [], { DATABASE_URL: t.database.url })).stderr).toContain('--out FILE is required');
    const missing = await command('backup.js', ['--out', join(dir, 'x.sqlite'), '--database', `sqlite:${join(dir, 'no-such.sqlite')}`]);
    expect(missing.stderr).toContain('There is no SQLite database');
    expect(existsSync(join(dir, 'no-such.sqlite'))).toBe(false);
  }, 30_000);

  (testDatabaseKind() === 'postgres' ? it : it.skip)('should explain that pg_dump backs up PostgreSQL, and write nothing', async () => {
    const out = join(dir, 'pg.dump');
    const result = await command('backup.js', ['--out', out, '--database', t.database.url]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('pg_dump --format=custom');
    expect(result.stderr).toContain('pg_restore');
    expect(existsSync(out)).toBe(false);
  }, 30_000);

  it('should pass an intact audit chain and name the first entry changed in the database', async () => {
    const home = await createHome(t);
    await createHome(t);
    const manager = await createUser(t, { role: 'manager', homeIds: [home.id] });
    await signIn(t, manager.email, manager.password);
    const entries = t.dataSource.getRepository(AuditEntry);
    const total = await entries.count();
    expect(total).toBeGreaterThan(3);

    const intact = await command('audit-verify.js', ['--database', t.database.url]);
    expect(intact.stderr).toBe('');
    expect(intact.status).toBe(0);
    // The verified head is written to the heads file too (docs/security.md).
    expect(intact.stdout.trim()).toMatch(new RegExp(`^Audit chain ok: ${total} entries \\(head entry ${total} written to `));

    const victim = await entries.findOneByOrFail({ seq: Math.ceil(total / 2) });
    await entries.update({ id: victim.id }, { homeId: randomUUID() });
    const tampered = await command('audit-verify.js', [], { DATABASE_URL: t.database.url });
    expect(tampered.status).toBe(1);
    expect(tampered.stderr).toContain(`Audit chain broken at entry ${victim.seq} (id ${victim.id}, ${victim.at.toISOString()}, action ${victim.action})`);
    expect(tampered.stderr).toContain(`The ${victim.seq - 1} entries before it are intact`);

    await entries.update({ id: victim.id }, { homeId: victim.homeId });
    expect((await command('audit-verify.js', ['--database', t.database.url])).status).toBe(0);
    const last = await entries.findOneByOrFail({ seq: total });
    await entries.delete({ id: last.id });
    const cut = await command('audit-verify.js', ['--database', t.database.url]);
    expect(cut.status).toBe(1);
    expect(cut.stderr).toContain(`Audit chain broken after entry ${total - 1}`);
  }, 30_000);
});
