import { join } from 'node:path';
import { AuditService } from '../src/audit/audit.service';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { Running, startBaseline, stop } from '../src/cli/bench/bench-support';
import { Participation } from '../src/activities/entities/participation.entity';
import { createActivity } from './support/activity-factories';
import { BUILT_MAIN, buildApp } from './support/build';
import { createHome, createUser, TestUser } from './support/factories';
import { apiSignIn } from './support/http';
import { createResident } from './support/resident-factories';
import { createTestApp, TEST_AUDIT_KEY, TestApp } from './support/test-app';
import { testDatabaseKind } from './support/test-database';

/**
 * The benchmark's part (a) compares the app's participation save with a bare better-sqlite3 server
 * "doing the same writes" (SPEC 7). This holds the bare server to that: on one database, the same
 * save through each writes the same rows in the same tables, and its audit entry joins the app's
 * chain. The bare server is SQLite only.
 */
const describeOnSqlite = testDatabaseKind() === 'sqlite' ? describe : describe.skip;

describeOnSqlite('the benchmark baseline server', () => {
  let t: TestApp;
  let baseline: Running;
  let carer: TestUser;
  let residentIds: string[];
  let homeId: string;

  beforeAll(async () => {
    buildApp();
    t = await createTestApp();
    const home = await createHome(t);
    homeId = home.id;
    carer = await createUser(t, { role: 'carer', homeIds: [home.id] });
    residentIds = [];
    for (let i = 0; i < 3; i += 1) residentIds.push((await createResident(t, home.id)).id);
    baseline = await startBaseline(t.database.url.replace(/^sqlite:/, ''), join(BUILT_MAIN, '..', 'cli', 'bench', 'baseline-server.js'), TEST_AUDIT_KEY);
  }, 120_000);

  afterAll(async () => {
    if (baseline) await stop(baseline);
    await t?.close();
  });

  async function rowCounts(): Promise<Record<string, number>> {
    const tables = (await t.dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)) as { name: string }[];
    const counts: Record<string, number> = {};
    for (const { name } of tables) counts[name] = Number(((await t.dataSource.query(`SELECT COUNT(*) AS n FROM "${name}"`)) as { n: number }[])[0].n);
    return counts;
  }

  function grown(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
    return Object.fromEntries(Object.keys(after).filter((name) => after[name] !== before[name]).map((name) => [name, after[name] - before[name]]));
  }

  const entries = () => residentIds.map((residentId, i) => ({ residentId, engagement: (['active', 'passive', 'declined'] as const)[i], moodBefore: 3, moodAfter: 4 }));

  function putToBaseline(activityId: string, key: string, body: unknown) {
    return fetch(`http://127.0.0.1:${baseline.port}/api/activities/${activityId}/participation`, {
      method: 'PUT', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body),
    });
  }

  it('should write the same rows as the app for the same save, its audit entry chained after the app\'s', async () => {
    const byApp = await createActivity(t, homeId, { residentIds });
    const byBaseline = await createActivity(t, homeId, { residentIds });
    const { agent, csrfToken } = await apiSignIn(t, carer.email, carer.password);

    const before = await rowCounts();
    await agent.put(`/api/activities/${byApp.id}/participation`).set('x-csrf-token', csrfToken).set('idempotency-key', 'app-save-0001').send({ entries: entries() }).expect(200);
    const afterApp = await rowCounts();
    const res = await putToBaseline(byBaseline.id, 'baseline-save-0001', { entries: entries() });
    expect(res.status).toBe(200);
    const afterBaseline = await rowCounts();

    expect(grown(before, afterApp)).toEqual({ participation: 3, audit_entry: 1, idempotency_key: 1 });
    expect(grown(afterApp, afterBaseline)).toEqual(grown(before, afterApp));
    const logged = async (activityId: string) =>
      (await t.dataSource.getRepository(Participation).findBy({ activityId })).map((p) => [p.residentId, p.engagement, p.moodBefore, p.moodAfter]).sort();
    expect(await logged(byBaseline.id)).toEqual(await logged(byApp.id));
    const [appEntry, baselineEntry] = await t.dataSource.getRepository(AuditEntry).find({ where: { entityType: 'participation' }, order: { seq: 'ASC' } });
    expect(baselineEntry.changes).toEqual(appEntry.changes);
    expect(baselineEntry.prevHash).toBe(appEntry.hash);
    expect(await t.get(AuditService).verifyChain()).toMatchObject({ ok: true });
  });

  it('should answer a replay with its first answer and write nothing', async () => {
    const activity = await createActivity(t, homeId, { residentIds });
    const first = await putToBaseline(activity.id, 'baseline-replay-01', { entries: entries() });
    const before = await rowCounts();
    const replay = await putToBaseline(activity.id, 'baseline-replay-01', { entries: entries() });
    expect(replay.status).toBe(200);
    expect(await replay.text()).toBe(await first.text());
    expect(grown(before, await rowCounts())).toEqual({});
  });
});
