import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entryHash } from '../src/audit/audit-hash';
import { appendHead, lastWrittenHead } from '../src/audit/audit-heads';
import { AuditService, describeCheck, GENESIS_HASH } from '../src/audit/audit.service';
import { AuditHeadJob } from '../src/audit/audit-head.job';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { AuditHead } from '../src/audit/entities/audit-head.entity';
import { ConfigError, loadConfig } from '../src/config/app-config';
import { UnitOfWork } from '../src/database/unit-of-work';
import { LeaseService } from '../src/jobs/lease.service';
import { buildApp } from './support/build';
import { createTestApp, TEST_AUDIT_KEY, TestApp } from './support/test-app';

const ROOT = join(__dirname, '..');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run audit:verify`, compiled, in a process of its own, with the app's key. */
function auditVerify(t: TestApp, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/src/cli/audit-verify.js'), '--database', t.database.url], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', SESSION_SECRET: t.config.sessionSecret, AUDIT_KEY: TEST_AUDIT_KEY, UPLOADS_DIR: t.config.uploadsDir, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * What an attacker with write access to the database (but not the key) does: drops the entries
 * `drop` picks, renumbers the rest and recomputes every hash from the first change on with `key`
 * (null: plain SHA-256, as before AUDIT_KEY), and moves audit_head to the new end.
 */
async function rechain(t: TestApp, drop: (e: AuditEntry) => boolean, key: string | null, fromSeq?: number): Promise<AuditEntry[]> {
  const repo = t.dataSource.getRepository(AuditEntry);
  const all = await repo.find({ order: { seq: 'ASC' } });
  const firstChange = fromSeq ?? all.find(drop)?.seq ?? all.length + 1;
  const kept = all.filter((e) => e.seq < firstChange);
  const rest = all.filter((e) => e.seq >= firstChange && !drop(e));
  await repo.createQueryBuilder().delete().where('seq >= :seq', { seq: firstChange }).execute();
  let prev = kept.length > 0 ? kept[kept.length - 1].hash : GENESIS_HASH;
  let seq = firstChange;
  const written: AuditEntry[] = [];
  for (const entry of rest) {
    const { id, hash: _hash, prevHash: _prev, ...fields } = entry;
    const moved = { ...fields, seq, changes: fields.changes ?? null };
    const hash = entryHash(prev, moved, key);
    const row: AuditEntry = { id, ...moved, prevHash: prev, hash };
    await repo.save(repo.create(row));
    written.push(row);
    prev = hash;
    seq += 1;
  }
  await t.dataSource.getRepository(AuditHead).update({ id: 1 }, { seq: seq - 1, hash: prev });
  return written;
}

/** audit_head.keyed, which only SQL reads and writes (see AuditHead). */
async function setKeyed(t: TestApp, keyed: 0 | 1): Promise<void> {
  await t.dataSource.query(`UPDATE audit_head SET keyed = ${keyed} WHERE id = 1`);
}

async function recordMany(t: TestApp, n: number, action: 'view_sensitive' | 'login_failed' = 'view_sensitive'): Promise<void> {
  const audit = t.get(AuditService);
  for (let i = 0; i < n; i += 1) await audit.recordNow({ action, entityType: 'resident', entityId: `r${i}`, ip: '203.0.113.9' });
}

describe('Keyed audit chain (issue 17, finding 10)', () => {
  let t: TestApp;

  beforeAll(async () => {
    buildApp();
    t = await createTestApp();
  }, 300_000);

  afterAll(async () => {
    await t?.close();
  });

  beforeEach(async () => {
    // Each test starts from an empty, keyed chain and no heads written.
    await t.dataSource.getRepository(AuditEntry).clear();
    await t.dataSource.getRepository(AuditHead).update({ id: 1 }, { seq: 0, hash: GENESIS_HASH });
    await setKeyed(t, 1);
    rmSync(t.get(AuditService).headsFile, { force: true });
  });

  it('ASVS 5.0 V16.4.2: a new chain is HMAC-keyed from its first entry, and stays one line under concurrent writers', async () => {
    const audit = t.get(AuditService);
    await Promise.all(Array.from({ length: 20 }, (_, i) => audit.recordNow({ action: 'view_sensitive', entityType: 'resident', entityId: `r${i}` })));
    const first = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ seq: 1 });
    const { id: _id, hash, prevHash, ...fields } = first;
    expect(prevHash).toBe(GENESIS_HASH);
    expect(hash).toBe(entryHash(GENESIS_HASH, { ...fields, changes: fields.changes ?? null }, TEST_AUDIT_KEY));
    expect(hash).not.toBe(entryHash(GENESIS_HASH, { ...fields, changes: fields.changes ?? null }, null));
    expect(await audit.verifyChain()).toEqual({ ok: true, entries: 20 });
  });

  it('ASVS 5.0 V16.4.2: deleting the failed sign-ins and recomputing the chain without the key fails verification, naming the first recomputed entry', async () => {
    await recordMany(t, 5);
    await recordMany(t, 6, 'login_failed');
    await recordMany(t, 4);
    expect(await t.get(AuditService).verifyChain()).toEqual({ ok: true, entries: 15 });

    // The attack of finding 10: the SHA-256 chain recomputed as it was before the key.
    const recomputed = await rechain(t, (e) => e.action === 'login_failed', null);
    expect(await t.dataSource.getRepository(AuditEntry).countBy({ action: 'login_failed' })).toBe(0);
    const check = await t.get(AuditService).verifyChain();
    expect(check).toEqual({ ok: false, entries: 5, firstBroken: { seq: 6, id: recomputed[0].id, at: recomputed[0].at, action: 'view_sensitive' } });

    // A guessed key does no better.
    await rechain(t, () => false, 'a-guessed-key-that-is-long-enough-to-pass', 6);
    expect(await t.get(AuditService).verifyChain()).toMatchObject({ ok: false, entries: 5, firstBroken: { seq: 6, id: recomputed[0].id } });

    // Nor does recomputing the whole chain from the start without the key.
    await rechain(t, () => false, null, 1);
    const whole = await t.get(AuditService).verifyChain();
    expect(whole).toMatchObject({ ok: false, unkeyed: true, firstBroken: { seq: 1 } });
    expect(describeCheck(whole)).toContain('none of its 9 entries is keyed with AUDIT_KEY');

    const cli = await auditVerify(t);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain('none of its 9 entries is keyed with AUDIT_KEY (first entry 1');
  }, 60_000);

  it('ASVS 5.0 V16.4.2: removing the newest entries and rewinding audit_head fails against the head written outside the database', async () => {
    await recordMany(t, 8);
    const audit = t.get(AuditService);
    const { head } = await audit.writeHead(new Date('2026-12-01T02:00:00Z'));
    expect(head).toMatchObject({ seq: 8 });
    const line = readFileSync(audit.headsFile, 'utf8').trim().split('\n').pop()!;
    const newest = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ seq: 8 });
    expect(line).toBe(`2026-12-01T02:00:00.000Z\t${newest.id}\t${newest.hash}\t8`);
    await recordMany(t, 2);

    // Cut back to entry 6: the rest of the chain still checks, and so does the stored end.
    await rechain(t, (e) => e.seq > 6, null, 7);
    const check = await audit.verifyChain();
    expect(check).toMatchObject({ ok: false, entries: 6, missingHead: { id: newest.id, seq: 8, hash: newest.hash } });
    expect(describeCheck(check)).toContain(`the head written on 2026-12-01T02:00:00.000Z (entry 8, id ${newest.id}) is no longer in the table`);

    const cli = await auditVerify(t);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain(`(entry 8, id ${newest.id}) is no longer in the table`);
    // A failed check writes no head: the last one written still stands.
    expect(lastWrittenHead(audit.headsFile)).toMatchObject({ id: newest.id, seq: 8 });
  }, 60_000);

  it('ASVS 5.0 V16.4.2: audit:verify with the key passes an intact chain and appends its head', async () => {
    await recordMany(t, 3);
    const run = await auditVerify(t);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Audit chain ok: 3 entries (head entry 3 written to');
    const newest = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ seq: 3 });
    expect(lastWrittenHead(t.get(AuditService).headsFile)).toMatchObject({ id: newest.id, hash: newest.hash, seq: 3 });

    // The wrong key: the chain fails from its first entry, and says the key may be why.
    const first = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ seq: 1 });
    const wrong = await auditVerify(t, { AUDIT_KEY: 'another-key-that-is-long-enough-for-the-check' });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain(`Audit chain broken at entry 1 (id ${first.id}`);
    expect(wrong.stderr).toContain('or AUDIT_KEY is not the key the chain was written with');
  }, 60_000);

  it('ASVS 5.0 V16.4.2: a chain written before the key is verified, then sealed by an audited rekey entry whose HMAC covers its last hash', async () => {
    // A database from before the key: entries chained with plain SHA-256, audit_head unkeyed.
    await recordMany(t, 4);
    await rechain(t, () => false, null, 1);
    await setKeyed(t, 0);
    const audit = t.get(AuditService);
    expect(await audit.verifyChain()).toMatchObject({ ok: false, unkeyed: true });
    // Entries written meanwhile continue the unkeyed chain.
    await recordMany(t, 1);
    const lastLegacy = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ seq: 5 });

    expect(await audit.rekeyLegacyChain()).toBe('rekeyed');
    const rekey = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ seq: 6 });
    expect(rekey).toMatchObject({ action: 'rekey', entityType: 'audit_chain', prevHash: lastLegacy.hash, changes: { unkeyedEntries: { old: null, new: 5 } } });
    const { id: _id, hash, prevHash, ...fields } = rekey;
    expect(hash).toBe(entryHash(prevHash, { ...fields, changes: fields.changes ?? null }, TEST_AUDIT_KEY));
    expect(await audit.rekeyLegacyChain()).toBe('keyed');

    await recordMany(t, 2);
    expect(await audit.verifyChain()).toEqual({ ok: true, entries: 8 });

    // The unkeyed part is sealed: changing an entry in it breaks the chain there.
    const second = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ seq: 2 });
    await t.dataSource.getRepository(AuditEntry).update({ id: second.id }, { entityId: 'someone-else' });
    expect(await audit.verifyChain()).toMatchObject({ ok: false, entries: 1, firstBroken: { seq: 2, id: second.id } });
    // Recomputing the unkeyed part does not help: the rekey entry's HMAC covers its last hash.
    await rechain(t, (e) => e.seq === 3, null, 3);
    expect(await audit.verifyChain()).toMatchObject({ ok: false, firstBroken: { seq: 2 } });
    await t.dataSource.getRepository(AuditEntry).update({ id: second.id }, { entityId: second.entityId });
    expect(await audit.verifyChain()).toMatchObject({ ok: false, entries: 4, firstBroken: { seq: 5, action: 'rekey' } });
  });

  it('ASVS 5.0 V16.4.2: a chain written before the key that does not verify is not re-keyed, and neither is one whose heads show it was keyed', async () => {
    await recordMany(t, 4);
    await rechain(t, () => false, null, 1);
    await setKeyed(t, 0);
    const third = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ seq: 3 });
    await t.dataSource.getRepository(AuditEntry).update({ id: third.id }, { entityId: 'someone-else' });

    const audit = t.get(AuditService);
    expect(await audit.rekeyLegacyChain()).toBe('broken');
    expect(await t.dataSource.getRepository(AuditEntry).countBy({ action: 'rekey' })).toBe(0);
    expect(await t.dataSource.query('SELECT keyed FROM audit_head')).toEqual([{ keyed: 0 }]);
    expect(await audit.verifyChain()).toMatchObject({ ok: false, firstBroken: { seq: 3, id: third.id } });
    // A restart does not launder it either.
    await t.get(AuditHeadJob).onApplicationBootstrap();
    expect(await t.dataSource.getRepository(AuditEntry).countBy({ action: 'rekey' })).toBe(0);

    // A chain that verifies as unkeyed, but whose heads file says it was keyed: rewritten without the key.
    await t.dataSource.getRepository(AuditEntry).update({ id: third.id }, { entityId: third.entityId });
    appendHead(audit.headsFile, { at: new Date(), id: third.id, hash: third.hash, seq: 3 });
    expect(await audit.rekeyLegacyChain()).toBe('refused');
    expect(await t.dataSource.getRepository(AuditEntry).countBy({ action: 'rekey' })).toBe(0);
  });

  it('ASVS 5.0 V16.4.2: the daily head job takes a lease, so of two runs at once one writes the head', async () => {
    await recordMany(t, 2);
    const job = t.get(AuditHeadJob).job;
    await t.dataSource.query('DELETE FROM job_lease');
    // Another process: a lease service of its own (its own holder) on the same database.
    const other = new LeaseService(t.get(UnitOfWork));
    const [mine, theirs] = await Promise.all([job.runOnce(), other.acquire('audit-head', 60_000)]);
    expect([mine !== null, theirs].filter(Boolean)).toHaveLength(1);
    const heads = existsSync(t.get(AuditService).headsFile) ? readFileSync(t.get(AuditService).headsFile, 'utf8').trim().split('\n') : [];
    expect(heads).toHaveLength(mine === null ? 0 : 1);
  });
});

describe('AUDIT_KEY configuration', () => {
  const base = { SESSION_SECRET: 's'.repeat(40), DATABASE_URL: 'sqlite:data/x.sqlite' };

  it('ASVS 5.0 V16.4.2: production refuses to start without AUDIT_KEY, or with a short one, in one line that does not repeat it', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow(new ConfigError(
      'Invalid configuration: AUDIT_KEY is required when NODE_ENV=production (32 or more characters, kept outside the database)',
    ));
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', AUDIT_KEY: 'short-secret' })).toThrow(new ConfigError('Invalid configuration: AUDIT_KEY must be at least 32 characters'));
    expect(loadConfig({ ...base, NODE_ENV: 'production', AUDIT_KEY: 'k'.repeat(32) }).auditKey).toBe('k'.repeat(32));
  });

  it('ASVS 5.0 V16.4.2: outside production a key is generated into data/ once and kept', () => {
    const root = mkdtempSync(join(tmpdir(), 'insieme-key-'));
    try {
      const first = loadConfig({ ...base, NODE_ENV: 'development' }, root).auditKey;
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(readFileSync(join(root, 'data/audit-key'), 'utf8').trim()).toBe(first);
      expect(loadConfig({ ...base, NODE_ENV: 'development' }, root).auditKey).toBe(first);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
