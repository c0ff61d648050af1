import { join } from 'node:path';
import request from 'supertest';
import { AuditService } from '../src/audit/audit.service';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { Running, startBareToday, startBaseline, stop } from '../src/cli/bench/bench-support';
import { HomesService } from '../src/homes/homes.service';
import { Notification } from '../src/notifications/entities/notification.entity';
import { Participation } from '../src/activities/entities/participation.entity';
import { ActivityTally } from '../src/reports/entities/activity-tally.entity';
import { HomeDayTally } from '../src/reports/entities/home-day-tally.entity';
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
 * chain. Part (b) compares the app's Today with a bare Today server doing the same work: both answer
 * the same bytes. The bare servers are SQLite only.
 */
const describeOnSqlite = testDatabaseKind() === 'sqlite' ? describe : describe.skip;

describeOnSqlite('the benchmark baseline server', () => {
  let t: TestApp;
  let baseline: Running;
  let bareToday: Running;
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
    const file = t.database.url.replace(/^sqlite:/, '');
    baseline = await startBaseline(file, join(BUILT_MAIN, '..', 'cli', 'bench', 'baseline-server.js'), TEST_AUDIT_KEY);
    bareToday = await startBareToday(file, t.config.sessionSecret, join(BUILT_MAIN, '..', 'cli', 'bench', 'baseline-today.js'));
  }, 120_000);

  afterAll(async () => {
    if (baseline) await stop(baseline);
    if (bareToday) await stop(bareToday);
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
    // Held, at the same time: the save also brings the group view's summary up to date (docs/groups.md).
    const startsAt = new Date(Date.now() - 3_600_000);
    const byApp = await createActivity(t, homeId, { residentIds, status: 'completed', startsAt });
    const byBaseline = await createActivity(t, homeId, { residentIds, status: 'completed', startsAt });
    const { agent, csrfToken } = await apiSignIn(t, carer.email, carer.password);

    const before = await rowCounts();
    await agent.put(`/api/activities/${byApp.id}/participation`).set('x-csrf-token', csrfToken).set('idempotency-key', 'app-save-0001').send({ entries: entries() }).expect(200);
    const afterApp = await rowCounts();
    const res = await putToBaseline(byBaseline.id, 'baseline-save-0001', { entries: entries() });
    expect(res.status).toBe(200);
    const afterBaseline = await rowCounts();

    expect(grown(before, afterApp)).toEqual({ participation: 3, audit_entry: 1, idempotency_key: 1, activity_tally: 1, home_day_tally: 1, resident_reach: 2 });
    // The day's row and the residents' reach in the quarter were made by the app's save; the baseline's adds to them.
    expect(grown(afterApp, afterBaseline)).toEqual({ participation: 3, audit_entry: 1, idempotency_key: 1, activity_tally: 1 });
    const tally = async (activityId: string) => {
      const { activityId: _id, ...row } = await t.dataSource.getRepository(ActivityTally).findOneByOrFail({ activityId });
      return row;
    };
    expect(await tally(byBaseline.id)).toEqual(await tally(byApp.id));
    expect((await t.dataSource.getRepository(HomeDayTally).findBy({ homeId })).map((d) => [d.held, d.active, d.passive, d.declined])).toEqual([[2, 2, 2, 2]]);
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

  it('should answer a carer\'s Today with the same bytes as the app, from the same session', async () => {
    const homes = t.get(HomesService);
    const ward = await homes.addUnit(null, homeId, { unitName: 'Glicini' });
    const other = await homes.addUnit(null, homeId, { unitName: 'Ortensie' });
    const user = await createUser(t, { role: 'carer', homeIds: [homeId], locale: 'it' });
    const day = '2026-09-09';
    const at = (time: string) => new Date(`${day}T${time}:00Z`);
    const sung = await createActivity(t, homeId, { title: 'Canto <insieme>', unitId: ward.id, startsAt: at('08:30'), residentIds, status: 'completed' });
    await createActivity(t, homeId, { title: 'Tombola', unitId: null, startsAt: at('13:00'), residentIds: residentIds.slice(0, 1), location: null });
    await createActivity(t, homeId, { title: 'Giardinaggio', unitId: ward.id, startsAt: at('15:00') });
    await createActivity(t, homeId, { title: 'Altro nucleo', unitId: other.id, startsAt: at('10:00') });
    await createActivity(t, homeId, { title: 'Annullata', unitId: ward.id, startsAt: at('11:00'), status: 'cancelled' });
    await t.dataSource.getRepository(Notification).insert({ userId: user.id, homeId, kind: 'test', messageKey: 'errors.notFound', params: {}, link: '/', readAt: null });

    const login = await request(t.server).post('/api/auth/login').send({ email: user.email, password: user.password }).expect(200);
    const cookie = login.headers['set-cookie'] as unknown as string[];
    const sid = cookie.map((c) => c.split(';')[0]).join('; ');
    await request(t.server).put(`/api/activities/${sung.id}/participation`).set('cookie', sid).set('x-csrf-token', login.body.csrfToken)
      .set('idempotency-key', 'today-bytes-0001').send({ entries: entries().slice(0, 2) }).expect(200);

    const path = `/today?date=${day}&unitId=${ward.id}`;
    const byApp = await request(t.server).get(path).set('cookie', sid).expect(200);
    const byBare = await fetch(`http://127.0.0.1:${bareToday.port}${path}`, { headers: { cookie: sid } });
    expect(byBare.status).toBe(200);
    const bare = Buffer.from(await byBare.arrayBuffer());

    // The page is the one wanted (so equal bytes are not two equal refusals): the ward's and the
    // whole home's activities, the count logged, the unread notification, the session's CSRF token.
    expect(byApp.text).toContain('Canto &lt;insieme&gt;');
    expect(byApp.text).toContain('Tombola');
    expect(byApp.text).toContain('Giardinaggio');
    expect(byApp.text).not.toContain('Altro nucleo');
    expect(byApp.text).not.toContain('Annullata');
    expect(byApp.text).toContain(`value="${login.body.csrfToken}"`);
    expect(byApp.text).toContain('has-unread');
    // The CSRF token is the session's own (csrf-sync keeps one per session), so both read the same one.
    expect(bare.toString('utf8')).toBe(byApp.text);
    expect(bare.equals(Buffer.from(byApp.text, 'utf8'))).toBe(true);
  });
});

