import { DataSource } from 'typeorm';
import { SYNTHETIC_PASSWORD, seedSynthetic } from '../src/cli/synthetic/seed-synthetic-data';
import { generateHome, homeSlug, rowCounts, SYNTHETIC_TIMEZONE, syntheticEmail } from '../src/cli/synthetic/synthetic-home';
import { currentQuarter } from '../src/common/time/quarter';
import { Home } from '../src/homes/entities/home.entity';
import { ReportService } from '../src/reports/report.service';
import { signIn } from './support/http';
import { createTestApp, TestApp } from './support/test-app';

const SPEC = { homes: 3, residents: 10, days: 20, futureDays: 7, seed: 5 };

/** Tables the generator writes, by its SyntheticHome key, with the history tables beside them. */
const TABLES: Record<string, string> = {
  home: 'home', units: 'unit', staff: 'staff_member', volunteers: 'volunteer', residents: 'resident', families: 'family_member', links: 'family_link',
  users: 'user', memberships: 'membership', types: 'activity_type', activities: 'activity', roster: 'roster_entry', participation: 'participation',
  offers: 'help_offer', plans: 'activity_plan', goals: 'plan_goal', reviews: 'plan_review', attainments: 'goal_attainment', suggestions: 'suggestion',
  feedback: 'feedback', checkIns: 'wellbeing_check_in', contributions: 'contribution',
};
const HISTORIES = ['volunteer_history', 'activity_plan_history', 'suggestion_history'];

function q(dataSource: DataSource, name: string): string {
  return dataSource.driver.escape(name);
}

/** Rows of each table that belong to a home (users through their membership). */
async function countsOf(dataSource: DataSource, homeId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [key, table] of Object.entries(TABLES)) {
    const sql = table === 'home' ? `SELECT COUNT(*) AS n FROM home WHERE id = $1`
      : table === 'user' ? `SELECT COUNT(*) AS n FROM ${q(dataSource, 'user')} u JOIN membership m ON m.${q(dataSource, 'userId')} = u.id WHERE m.${q(dataSource, 'homeId')} = $1`
      : `SELECT COUNT(*) AS n FROM ${q(dataSource, table)} WHERE ${q(dataSource, 'homeId')} = $1`;
    counts[key] = Number(((await dataSource.query(placeholders(dataSource, sql), [homeId])) as { n: number | string }[])[0].n);
  }
  return counts;
}

function placeholders(dataSource: DataSource, sql: string): string {
  return dataSource.options.type === 'postgres' ? sql : sql.replace(/\$\d+/g, '?');
}

/**
 * `seedSynthetic` writes the homes the generator makes: on SQLite each from the generator, on
 * PostgreSQL the first from the generator and the others copied from it on the server. Either way
 * every home has the generator's kinds and counts of rows, its ids are its own, and every key,
 * foreign or held in a list, points at a row of the same home.
 */
describe('Synthetic homes', () => {
  let t: TestApp;
  let postgres: boolean;
  let indexesBefore: string[];
  const now = new Date();
  const homes: Home[] = [];

  const indexes = async (): Promise<string[]> =>
    postgres
      ? ((await t.dataSource.query(
        `SELECT indexdef AS d FROM pg_indexes WHERE schemaname = current_schema()
          UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = current_schema()::regnamespace ORDER BY d`,
      )) as { d: string }[]).map((r) => r.d)
      : ((await t.dataSource.query(`SELECT sql FROM sqlite_master WHERE type = 'index' ORDER BY name`)) as { sql: string }[]).map((r) => r.sql);

  beforeAll(async () => {
    t = await createTestApp();
    postgres = t.dataSource.options.type === 'postgres';
    indexesBefore = await indexes();
    await seedSynthetic(t.dataSource, { ...SPEC, now, templates: 1 });
    for (let n = 1; n <= SPEC.homes; n += 1) homes.push(await t.dataSource.manager.findOneByOrFail(Home, { slug: homeSlug(n) }));
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('should give every home the generator\'s counts of rows, table by table', async () => {
    for (const [i, home] of homes.entries()) {
      // On PostgreSQL homes 2 and 3 are copies of home 1; on SQLite each is generated.
      const source = generateHome({ ...SPEC, number: postgres ? 1 : i + 1, now, passwordHash: 'x' });
      expect(await countsOf(t.dataSource, home.id)).toEqual(rowCounts(source));
    }
  });

  it('should give each home ids of its own, and the same kinds of rows as the generator', async () => {
    const ids = new Set<string>();
    let rows = 0;
    for (const table of [...Object.values(TABLES), ...HISTORIES]) {
      if (HISTORIES.includes(table)) continue;
      const found = (await t.dataSource.query(`SELECT id FROM ${q(t.dataSource, table)}`)) as { id: string }[];
      for (const r of found) ids.add(`${table} ${r.id}`);
      rows += found.length;
    }
    expect(ids.size).toBe(rows);
    const source = generateHome({ ...SPEC, number: 1, now, passwordHash: 'x' });
    const kinds = (list: { [key: string]: unknown }[], field: string) => list.map((r) => String(r[field])).sort();
    for (const home of homes) {
      const engagement = (await t.dataSource.query(placeholders(t.dataSource, `SELECT engagement FROM participation WHERE ${q(t.dataSource, 'homeId')} = $1`), [home.id])) as { engagement: string }[];
      const status = (await t.dataSource.query(placeholders(t.dataSource, `SELECT status FROM activity WHERE ${q(t.dataSource, 'homeId')} = $1`), [home.id])) as { status: string }[];
      expect(new Set(kinds(engagement, 'engagement'))).toEqual(new Set(kinds(source.participation, 'engagement')));
      expect(new Set(kinds(status, 'status'))).toEqual(new Set(kinds(source.activities, 'status')));
      if (postgres) {
        expect(kinds(engagement, 'engagement')).toEqual(kinds(source.participation, 'engagement'));
        expect(kinds(status, 'status')).toEqual(kinds(source.activities, 'status'));
      }
    }
    expect(new Set(homes.map((h) => h.name)).size).toBe(SPEC.homes);
  });

  it('should leave no foreign key pointing nowhere, and none to a row of another home', async () => {
    if (!postgres) {
      expect(await t.dataSource.query('PRAGMA foreign_key_check')).toEqual([]);
    }
    const keys = postgres
      ? ((await t.dataSource.query(
        `SELECT c.conrelid::regclass::text AS child, a.attname AS "column", c.confrelid::regclass::text AS parent
           FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
          WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`,
      )) as { child: string; column: string; parent: string }[])
      : [];
    const withHome = new Set([...Object.values(TABLES), ...HISTORIES].filter((table) => table !== 'user' && table !== 'home'));
    for (const key of keys) {
      const child = key.child.replace(/"/g, '');
      const parent = key.parent.replace(/"/g, '');
      const [{ n: orphans }] = (await t.dataSource.query(
        `SELECT COUNT(*)::int AS n FROM ${key.child} c WHERE c."${key.column}" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${key.parent} p WHERE p.id = c."${key.column}")`,
      )) as { n: number }[];
      expect({ ...key, orphans }).toEqual({ ...key, orphans: 0 });
      if (withHome.has(child) && withHome.has(parent)) {
        const [{ n: strangers }] = (await t.dataSource.query(
          `SELECT COUNT(*)::int AS n FROM ${key.child} c JOIN ${key.parent} p ON p.id = c."${key.column}" WHERE p."homeId" <> c."homeId"`,
        )) as { n: number }[];
        expect({ ...key, strangers }).toEqual({ ...key, strangers: 0 });
      }
    }
    // Keys held as lists, and the accounts' people.
    for (const home of homes) {
      const sql = (s: string) => placeholders(t.dataSource, s);
      const own = async (table: string) =>
        new Set(((await t.dataSource.query(sql(`SELECT id FROM ${q(t.dataSource, table)} WHERE ${q(t.dataSource, 'homeId')} = $1`), [home.id])) as { id: string }[]).map((r) => r.id));
      const families = await own('family_member');
      const staff = await own('staff_member');
      const volunteers = await own('volunteer');
      const types = await own('activity_type');
      const reviews = (await t.dataSource.query(sql(`SELECT ${q(t.dataSource, 'familyMemberIds')} AS f, ${q(t.dataSource, 'staffMemberIds')} AS s FROM plan_review WHERE ${q(t.dataSource, 'homeId')} = $1`), [home.id])) as { f: string; s: string }[];
      for (const r of reviews) {
        expect((JSON.parse(r.f) as string[]).every((id) => families.has(id))).toBe(true);
        expect((JSON.parse(r.s) as string[]).every((id) => staff.has(id))).toBe(true);
      }
      const goals = (await t.dataSource.query(sql(`SELECT ${q(t.dataSource, 'activityTypeIds')} AS a FROM plan_goal WHERE ${q(t.dataSource, 'homeId')} = $1`), [home.id])) as { a: string }[];
      expect(goals.every((g) => (JSON.parse(g.a) as string[]).every((id) => types.has(id)))).toBe(true);
      // The summary table's residents reached: the home's own, written as the app writes a list (JSON.stringify).
      const residents = await own('resident');
      const reached = ((await t.dataSource.query(sql(`SELECT reached FROM activity_tally WHERE ${q(t.dataSource, 'homeId')} = $1`), [home.id])) as { reached: string }[]).map((r) => r.reached);
      expect(reached.some((r) => r !== '[]')).toBe(true);
      for (const list of reached) {
        const ids = JSON.parse(list) as string[];
        expect(ids.every((id) => residents.has(id))).toBe(true);
        expect(list).toBe(JSON.stringify(ids));
      }
      const users = (await t.dataSource.query(
        sql(`SELECT u.email, u.${q(t.dataSource, 'personKind')} AS kind, u.${q(t.dataSource, 'personId')} AS person FROM ${q(t.dataSource, 'user')} u
              JOIN membership m ON m.${q(t.dataSource, 'userId')} = u.id WHERE m.${q(t.dataSource, 'homeId')} = $1`),
        [home.id],
      )) as { email: string; kind: string; person: string | null }[];
      const people: Record<string, Set<string>> = { staff, volunteer: volunteers, family: families };
      for (const u of users) {
        expect(u.email.endsWith(`@${home.slug}.synthetic`)).toBe(true);
        if (u.person) expect(people[u.kind].has(u.person)).toBe(true);
      }
    }
  });

  it('should leave the indexes and constraints as the migrations made them', async () => {
    expect(await indexes()).toEqual(indexesBefore);
  });

  it('should give a copy the same quarterly figures as its source, and let its accounts sign in', async () => {
    const quarter = currentQuarter(SYNTHETIC_TIMEZONE, now);
    const reports = t.get(ReportService);
    const [first, ...others] = await Promise.all(homes.map((h) => reports.quarterlyReport(h.id, quarter, { names: false, now })));
    expect(first.current.participation.participationsRecorded).toBeGreaterThan(0);
    if (postgres) for (const other of others) expect(other.figures).toEqual(first.figures);
    // The group view's summary tables were counted for the generated homes and copied with them.
    const zoned = homes.map((h) => ({ id: h.id, timezone: h.timezone }));
    const fromTables = await reports.groupHeadlines(zoned, quarter, now, 'tallies');
    expect(fromTables).toEqual(await reports.groupHeadlines(zoned, quarter, now, 'records'));
    expect(fromTables.get(homes[SPEC.homes - 1].id)!.residentsReached).toBeGreaterThan(0);
    const carer = await signIn(t, syntheticEmail('carer', SPEC.homes), SYNTHETIC_PASSWORD);
    const today = await carer.get('/today');
    expect(today.status).toBe(200);
    const shown = [...today.text.matchAll(/\/activities\/([0-9a-f-]{36})\/log/g)].map((m) => m[1]);
    expect(shown.length).toBeGreaterThan(0);
    const last = homes[SPEC.homes - 1].id;
    const own = (await t.dataSource.query(placeholders(t.dataSource, `SELECT id FROM activity WHERE ${q(t.dataSource, 'homeId')} = $1`), [last])) as { id: string }[];
    expect(shown.every((id) => own.some((a) => a.id === id))).toBe(true);
  });
});
