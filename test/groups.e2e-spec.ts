import { Home } from '../src/homes/entities/home.entity';
import { seedSynthetic } from '../src/cli/synthetic/seed-synthetic-data';
import { homeSlug } from '../src/cli/synthetic/synthetic-home';
import { HomeGroup } from '../src/homes/entities/home-group.entity';
import { GROUP_FIGURES } from '../src/groups/group-view';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { createGroup, createHome, createUser, TestUser } from './support/factories';
import { Agent, csrfFrom, formToken, signIn } from './support/http';
import { buildReportScenario } from './support/report-fixtures';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';

/*
 * Issue 20 item (e): a group of homes, its group managers and the group view (docs/groups.md).
 * Group G holds three homes: two built by the report's hand-checked scenario (2026-Q3), and a
 * synthetic home moved to Europe/London (another zone, so another grouped pass). Home X is in
 * group H. Each home's figures on the group view must be those of its own quarterly report, taken
 * through the app as the group manager takes it (the report's CSV of figures).
 */

const QUARTER = '2026-Q3';

/** RFC 4180 rows (quoted cells with "" for a quote), a BOM and CRLF as toCsv writes them. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\n') { row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = ''; } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

const value = (cell: string) => (cell === '' ? null : Number(cell));

describe('Groups of homes and the group view (issue 20 e)', () => {
  let t: TestApp;
  const homes: Record<'a' | 'b' | 'c' | 'x', string> = { a: '', b: '', c: '', x: '' };
  let groupG: string;
  let groupH: string;
  const users = {} as Record<'gm' | 'otherGm' | 'manager' | 'admin', TestUser>;
  const agents = {} as Record<'gm' | 'otherGm' | 'manager' | 'admin', Agent>;

  beforeAll(async () => {
    t = await createTestApp();
    homes.a = (await createHome(t, { name: 'Casa Aurora' })).id;
    homes.b = (await createHome(t, { name: 'Villa Bianca' })).id;
    homes.x = (await createHome(t, { name: 'Casa Xenia' })).id;
    await buildReportScenario(t, homes.a, homes.b);
    await buildReportScenario(t, homes.b, homes.a);
    await seedSynthetic(t.dataSource, { homes: 1, residents: 8, days: 40, futureDays: 0, seed: 11, firstHome: 901, now: new Date('2026-09-20T10:00:00Z') });
    const synthetic = await t.dataSource.getRepository(Home).findOneByOrFail({ slug: homeSlug(901) });
    homes.c = synthetic.id;
    await t.dataSource.getRepository(Home).update({ id: homes.c }, { timezone: 'Europe/London', name: '=Casa Cedro' });
    groupG = (await createGroup(t, [homes.a, homes.b, homes.c], { name: 'Gruppo G', reachedThreshold: 50 })).id;
    groupH = (await createGroup(t, [homes.x], { name: 'Gruppo H' })).id;
    users.gm = await createUser(t, { role: 'group_manager', groupIds: [groupG] });
    users.otherGm = await createUser(t, { role: 'group_manager', groupIds: [groupH] });
    users.manager = await createUser(t, { role: 'manager', homeIds: [homes.a] });
    users.admin = await createUser(t, { role: 'admin', homeIds: [] });
    for (const who of ['gm', 'otherGm', 'manager', 'admin'] as const) agents[who] = await signIn(t, users[who].email, users[who].password);
  }, 300_000);

  afterAll(async () => {
    await t?.close();
  });

  async function groupCsv(agent: Agent, query = `quarter=${QUARTER}`): Promise<string[][]> {
    const res = await agent.get(`/groups/${groupG}/homes.csv?${query}`).expect(200);
    expect(res.headers['content-type']).toContain('text/csv');
    return parseCsv(res.text);
  }

  it('should show each home the figures of its own quarterly report, taken through the app', async () => {
    const [header, ...rows] = await groupCsv(agents.gm);
    expect(rows).toHaveLength(4);
    const keys = GROUP_FIGURES as readonly string[];
    expect(header.slice(2, 2 + keys.length)).toHaveLength(keys.length);
    const names = { a: 'Casa Aurora', b: 'Villa Bianca', c: "'=Casa Cedro" } as const;
    for (const which of ['a', 'b', 'c'] as const) {
      const report = parseCsv((await agents.gm.get(`/reports/quarterly.csv?homeId=${homes[which]}&quarter=${QUARTER}&table=figures`).expect(200)).text);
      const fromReport = Object.fromEntries(report.slice(1).map((r) => [r[2], value(r[5])]));
      const row = rows.find((r) => r[0] === names[which]);
      expect(row).toBeDefined();
      const fromGroup = Object.fromEntries(keys.map((key, i) => [key, value(row![2 + i])]));
      expect(fromGroup).toEqual(Object.fromEntries(keys.map((key) => [key, fromReport[key]])));
      // Something to compare: the scenario's homes held activities and reached residents.
      expect(fromGroup.activitiesHeld).toBeGreaterThan(0);
    }
  });

  it('should total counts and recompute percentages and the mean from the summed counts', async () => {
    const [, ...rows] = await groupCsv(agents.gm);
    const keys = GROUP_FIGURES as readonly string[];
    const col = (key: string) => 2 + keys.indexOf(key);
    const homesRows = rows.slice(0, 3);
    const total = rows[3];
    expect(total[0]).toBe('Total: Gruppo G');
    const sum = (key: string) => homesRows.reduce((s, r) => s + Number(r[col(key)]), 0);
    for (const key of ['residentsInQuarter', 'activitiesHeld', 'attended', 'residentsReached', 'coProducedActivities', 'suggestionsReceived', 'feedbackCount']) {
      expect(Number(total[col(key)])).toBe(sum(key));
    }
    expect(Number(total[col('residentsReachedPercent')])).toBe(Math.round((sum('residentsReached') * 1000) / sum('residentsInQuarter')) / 10);
    expect(Number(total[col('coProducedShare')])).toBe(Math.round((sum('coProducedActivities') * 1000) / sum('activitiesHeld')) / 10);
    expect(Math.abs(Number(total[col('totalHours')]) - sum('totalHours'))).toBeLessThan(0.02);
  });

  it('should sort by any column, both ways, on the page and in the CSV, and flag homes below the threshold', async () => {
    const byReached = (await groupCsv(agents.gm, `quarter=${QUARTER}&sort=residentsReachedPercent&dir=desc`)).slice(1, 4);
    const reached = byReached.map((r) => Number(r[2 + GROUP_FIGURES.indexOf('residentsReachedPercent')]));
    expect([...reached].sort((x, y) => y - x)).toEqual(reached);
    const byName = (await groupCsv(agents.gm, `quarter=${QUARTER}&sort=name&dir=desc`)).slice(1, 4).map((r) => r[0]);
    expect(byName).toEqual(['Villa Bianca', 'Casa Aurora', "'=Casa Cedro"]);
    for (const row of byReached) expect(row[row.length - 1]).toBe(Number(row[2 + GROUP_FIGURES.indexOf('residentsReachedPercent')]) < 50 ? '1' : '0');

    const res = await agents.gm.get(`/groups/${groupG}?quarter=${QUARTER}&sort=activitiesHeld&dir=asc`).expect(200);
    const page = res.text.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    expect(page).toContain('aria-sort="ascending"');
    // The column sorted ascending links to its descending order; each home links into its report for the quarter.
    expect(page).toContain(`/groups/${groupG}?quarter=${QUARTER}&sort=activitiesHeld&dir=desc`);
    for (const id of [homes.a, homes.b, homes.c]) expect(page).toContain(`/reports/quarterly?homeId=${id}&quarter=${QUARTER}`);
    expect(page).not.toContain(homes.x);
  });

  it('should refuse a bad quarter or sort naming the field, never with a 500', async () => {
    const next = `${Number(new Date().toISOString().slice(0, 4)) + 1}-Q3`;
    const cases = [[`quarter=${next}`, `quarter=${next}`], ['quarter=2026-Q5', 'quarter=2026-Q5'], ['quarter=1066-Q1', 'quarter=1066-Q1'], ['sort=password', 'sort=password'], ['dir=sideways', 'dir=sideways'], ['quarter[]=x', 'quarter[]=x']] as const;
    for (const path of [`/groups/${groupG}`, `/groups/${groupG}/homes.csv`]) {
      for (const [query, named] of cases) {
        const res = await agents.gm.get(`${path}?${query}`).set('Accept', 'text/html');
        expect([400, 422]).toContain(res.status);
        // The page's list of what to correct names the parameter (with its value) before the reason.
        const summary = (/<ul class="error-summary">([\s\S]*?)<\/ul>/.exec(res.text)?.[1] ?? '').replace(/&#x3D;/g, '=');
        expect(summary).toContain(`<li>${named}: `);
        // A way on: the same page with its usual settings.
        expect(res.text).toContain(`href="${path}">Open this page with its usual settings`);
      }
    }
    // And back to where the reader came from, on this site only.
    const fromList = await agents.gm.get(`/groups/${groupG}?sort=password`).set('Accept', 'text/html').set('Host', 'insieme.test').set('Referer', 'http://insieme.test/reports');
    expect(fromList.text).toContain('href="/reports">Back to the page before');
    const fromAway = await agents.gm.get(`/groups/${groupG}?sort=password`).set('Accept', 'text/html').set('Host', 'insieme.test').set('Referer', 'https://elsewhere.example/reports');
    expect(fromAway.text).not.toContain('Back to the page before');
  });

  it('should let a group manager read their homes\' reports but not another group\'s, nor any resident', async () => {
    const report = (await agents.gm.get(`/reports/quarterly?homeId=${homes.a}&quarter=${QUARTER}`).expect(200)).text;
    // The note on who downloads which copy speaks to the group manager, not of a coordinator.
    expect(report).toContain('manager you read each home');
    expect(report).not.toContain('Activity coordinators preview the report');
    await agents.gm.get(`/reports/quarterly-without-names.pdf?homeId=${homes.b}&quarter=${QUARTER}`).expect(200);
    await agents.gm.get(`/reports/quarterly?homeId=${homes.x}&quarter=${QUARTER}`).expect(404);
    await agents.gm.get(`/groups/${groupH}`).expect(404);
    await agents.otherGm.get(`/groups/${groupG}`).expect(404);
    await agents.gm.get(`/reports/quarterly.pdf?homeId=${homes.a}&quarter=${QUARTER}`).expect(403);
    // Without names: the participation table, residents by name, is the manager's copy alone; it is refused, not sent empty.
    const participation = await agents.gm.get(`/reports/quarterly.csv?homeId=${homes.a}&quarter=${QUARTER}&table=participation`).expect(403);
    expect(participation.text).toContain('This table lists residents by name');
    const resident = await createResident(t, homes.a);
    await agents.gm.get(`/residents/${resident.id}`).expect(403);
    await agents.gm.get('/api/residents').set('Accept', 'application/json').expect(403);
  });

  it('should refuse a group manager\'s writes everywhere but their group\'s settings', async () => {
    const token = await formToken(agents.gm, '/account');
    await agents.gm.post('/reports/issued').type('form').send({ _csrf: token, homeId: homes.a, quarter: QUARTER }).expect(403);
    await agents.gm.post('/residents').type('form').send({ _csrf: token, firstName: 'X' }).expect(403);
    await agents.gm.post('/admin/groups').type('form').send({ _csrf: token, name: 'Mine' }).expect(403);
    await agents.gm.post(`/groups/${groupH}/settings`).type('form').send({ _csrf: token, name: 'Taken over' }).expect(404);
    const res = await agents.gm.post(`/groups/${groupG}/settings`).type('form').send({ _csrf: token, name: 'Gruppo G', reachedThreshold: '101' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('reachedThreshold');
    await agents.gm.post(`/groups/${groupG}/settings`).type('form').send({ _csrf: token, name: 'Gruppo G', reachedThreshold: '40' }).expect(303);
    expect(await t.dataSource.getRepository(HomeGroup).findOneByOrFail({ id: groupG })).toMatchObject({ reachedThreshold: 40 });
    expect(await t.dataSource.getRepository(HomeGroup).findOneByOrFail({ id: groupH })).toMatchObject({ name: 'Gruppo H' });
    const audit = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ entityType: 'home_group', entityId: groupG, userId: users.gm.id });
    expect(audit.changes).toMatchObject({ reachedThreshold: { new: 40 } });
  });

  it('should not show a group manager the ward outbox, which is for those who log activities', async () => {
    expect((await agents.gm.get(`/groups/${groupG}`).expect(200)).text).not.toContain('data-ward-outbox');
    expect((await agents.manager.get('/today').expect(200)).text).toContain('data-ward-outbox');
  });

  it("should list an admin's account as reading all homes and a group manager's by their groups", async () => {
    const page = (await agents.admin.get('/accounts').expect(200)).text;
    const rowOf = (email: string) => new RegExp(`<td>${email.replace(/[.+]/g, '\\$&')}</td>\\s*<td>[^<]*</td>\\s*<td>([^<]*)</td>`).exec(page)?.[1];
    expect(rowOf(users.admin.email)).toBe('All homes');
    expect(rowOf(users.gm.email)).toBe('Gruppo G');
    expect(rowOf(users.manager.email)).toBe('Casa Aurora');
    // The admin's button to the groups' settings says what it does, not the page's own title again.
    expect((await agents.admin.get('/groups').expect(200)).text).toContain('>Manage groups</a>');
  });

  it('should not show a home manager the group view', async () => {
    await agents.manager.get(`/groups/${groupG}`).expect(403);
    await agents.manager.get('/groups').expect(403);
  });

  it('should let an admin make a group manager and put a home in a group from the home\'s page', async () => {
    const token = await formToken(agents.admin, '/accounts');
    const made = await agents.admin.post('/accounts/group-managers').type('form')
      .send({ _csrf: token, displayName: 'Nuova Responsabile', email: 'lead-new@example.test', groupIds: groupH }).expect(303);
    expect(made.headers.location).toMatch(/^\/accounts\//);
    const refused = await agents.admin.post('/accounts/group-managers').type('form').send({ _csrf: token, displayName: 'Nobody', email: 'lead-none@example.test' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('groupIds');
    const page = await agents.admin.get(`/admin/homes/${homes.x}`).expect(200);
    expect(page.text).toContain('name="groupId"');
    // The groups to choose from, the home's own chosen (a page's "groups" once took the partial's place of its optgroups: an empty list).
    const choice = /<select id="field-groupId"[^>]*>([\s\S]*?)<\/select>/.exec(page.text)![1];
    expect(choice).toContain(`<option value="${groupG}">Gruppo G</option>`);
    expect(choice).toContain(`<option value="${groupH}" selected>Gruppo H</option>`);
    expect(choice).not.toContain('<optgroup');
    // Saved as it stands (the address corrected), the home stays in its group.
    const saved = await agents.admin.post(`/admin/homes/${homes.x}`).type('form').send({
      _csrf: csrfFrom(page.text), name: 'Casa Xenia', slug: (await t.dataSource.getRepository(Home).findOneByOrFail({ id: homes.x })).slug,
      timezone: 'Europe/Rome', locale: 'it', country: 'IT', address: 'Via Emilia 1, Modena', groupId: groupH,
    });
    expect(saved.status).toBe(303);
    expect(await t.dataSource.getRepository(Home).findOneByOrFail({ id: homes.x })).toMatchObject({ groupId: groupH, address: 'Via Emilia 1, Modena' });
  });
});
