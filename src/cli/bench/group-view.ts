import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../../app.module';
import type { SessionUser } from '../../common/access/session-user';
import { quarterBounds } from '../../common/time/quarter';
import { loadConfig } from '../../config/app-config';
import { groupPageView } from '../../groups/group-view';
import { GroupViewService } from '../../groups/group-view.service';
import { HomesService } from '../../homes/homes.service';
import { SYNTHETIC_TIMEZONE } from '../synthetic/synthetic-home';
import { median } from './bench-support';

export interface GroupViewBench {
  homes: number;
  residentsPerHome: number;
  days: number;
  quarter: string;
  /** The group view as kept: one grouped statement per figure family, over the report's own tables. */
  grouped: { coldMs: number; warmMedianMs: number; runsMs: number[] };
  /**
   * The alternative tried and not kept (docs/groups.md): per home and local day counts in a summary
   * table, summed over the quarter's days; distinct residents reached still need the grouped query
   * (a distinct count does not add up over days). buildMs is a full rebuild of the table.
   */
  summary: { buildMs: number; warmMedianMs: number; runsMs: number[]; rows: number };
}

const WARM_RUNS = 5;
const ms = (from: number) => Math.round((performance.now() - from) * 10) / 10;

/**
 * Part (e) of `npm run bench`: the group view of every home in part (d)'s PostgreSQL database (the
 * 500 full-size synthetic homes), both ways: the grouped queries the app uses, and a summary table
 * of per-home daily counts, on the same data.
 */
export async function measureGroupView(
  databaseUrl: string, options: { homes: number; residents: number; days: number; quarter: string; now: Date; log: (message: string) => void },
): Promise<GroupViewBench> {
  options.log(`(e) PostgreSQL: the group view of ${options.homes} homes`);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ ...loadConfig({ ...process.env, DATABASE_URL: databaseUrl }), seedDemo: false }), { logger: ['error'] });
  try {
    const homes = app.get(HomesService);
    const dataSource = app.get(DataSource);
    const group = await homes.createGroup(null, { name: 'Bench group', reachedThreshold: 50 });
    await dataSource.query('UPDATE home SET "groupId" = $1', [group.id]);
    await dataSource.query('ANALYZE');
    const admin: SessionUser = {
      id: randomUUID(), email: 'bench@example.test', displayName: 'Bench', role: 'admin', locale: 'en', personKind: null, personId: null,
      homeIds: await homes.allHomeIds(), timezone: SYNTHETIC_TIMEZONE,
    };
    const view = app.get(GroupViewService);
    const once = async () => {
      const started = performance.now();
      const model = await view.view(admin, group.id, options.quarter, 'residentsReachedPercent', 'desc', options.now);
      groupPageView({ ...model, sort: 'residentsReachedPercent', dir: 'desc', canEditSettings: true }, 'en');
      return ms(started);
    };
    const coldMs = await once();
    const runsMs: number[] = [];
    for (let i = 0; i < WARM_RUNS; i += 1) runsMs.push(await once());

    options.log('(e) PostgreSQL: the same figures from a summary table of daily counts');
    const summary = await summaryTable(dataSource, options.quarter);
    return {
      homes: options.homes, residentsPerHome: options.residents, days: options.days, quarter: options.quarter,
      grouped: { coldMs, warmMedianMs: median(runsMs), runsMs }, summary,
    };
  } finally {
    await app.close();
  }
}

/** Builds per home and local day counts (what a write-time summary would hold) and times reading a quarter from them. */
async function summaryTable(dataSource: DataSource, quarter: string): Promise<GroupViewBench['summary']> {
  const zone = SYNTHETIC_TIMEZONE;
  const built = performance.now();
  await dataSource.query(`
    CREATE TABLE bench_home_day AS
    SELECT a."homeId", (a."startsAt" AT TIME ZONE '${zone}')::date AS day,
           COUNT(DISTINCT a.id) AS held,
           COUNT(p.id) FILTER (WHERE p.engagement IN ('active', 'passive', 'disengaged')) AS attended
    FROM activity a LEFT JOIN participation p ON p."activityId" = a.id
    WHERE a.status = 'completed'
    GROUP BY a."homeId", day`);
  await dataSource.query(`
    CREATE TABLE bench_home_day_contrib AS
    SELECT c."homeId", COALESCE((a."startsAt" AT TIME ZONE '${zone}')::date, c.date::date) AS day,
           SUM(c.minutes) AS minutes, COUNT(DISTINCT c."activityId") FILTER (WHERE c."actorType" <> 'staff' AND a.id IS NOT NULL) AS coproduced
    FROM contribution c LEFT JOIN activity a ON a.id = c."activityId" AND a.status = 'completed'
    WHERE c."activityId" IS NULL OR a.id IS NOT NULL
    GROUP BY c."homeId", day`);
  await dataSource.query('CREATE INDEX bench_home_day_i ON bench_home_day ("homeId", day)');
  await dataSource.query('CREATE INDEX bench_home_day_contrib_i ON bench_home_day_contrib ("homeId", day)');
  await dataSource.query('ANALYZE bench_home_day; ANALYZE bench_home_day_contrib');
  const buildMs = ms(built);
  const q = quarterBounds(quarter, zone);
  const runsMs: number[] = [];
  for (let i = 0; i < WARM_RUNS + 1; i += 1) {
    const started = performance.now();
    await dataSource.query('SELECT "homeId", SUM(held) AS held, SUM(attended) AS attended FROM bench_home_day WHERE day BETWEEN $1 AND $2 GROUP BY "homeId"', [q.firstDay, q.lastDay]);
    await dataSource.query('SELECT "homeId", SUM(minutes) AS minutes, SUM(coproduced) AS coproduced FROM bench_home_day_contrib WHERE day BETWEEN $1 AND $2 GROUP BY "homeId"', [q.firstDay, q.lastDay]);
    // Residents reached are distinct over the quarter: no daily count adds up to them.
    await dataSource.query(
      `SELECT a."homeId", COUNT(DISTINCT p."residentId") AS n FROM participation p JOIN activity a ON a.id = p."activityId"
       WHERE a.status = 'completed' AND a."startsAt" >= $1 AND a."startsAt" < $2 AND p.engagement IN ('active', 'passive') GROUP BY a."homeId"`,
      [q.start, q.end],
    );
    if (i > 0) runsMs.push(ms(started));
  }
  const rows = Number((await dataSource.query('SELECT COUNT(*) AS n FROM bench_home_day'))[0].n);
  return { buildMs, warmMedianMs: median(runsMs), runsMs, rows };
}

/** Part (e) as `npm run bench` runs it, on part (d)'s database of `homes` homes before it is dropped. */
export async function benchGroupView(
  databaseUrl: string, homes: { homes: number; residents: number; days: number }, quarter: string, now: Date, log: (message: string) => void,
  targets: { name: string; value: number | null; unit: string; target: string; pass: boolean | null }[],
): Promise<GroupViewBench> {
  const result = await measureGroupView(databaseUrl, { ...homes, quarter, now, log });
  targets.push({ name: `(e) group view of ${homes.homes} homes (PostgreSQL), warm`, value: result.grouped.warmMedianMs, unit: 'ms', target: '<= 2000', pass: result.grouped.warmMedianMs <= 2000 });
  targets.push({ name: '    the same from a summary table (not kept)', value: result.summary.warmMedianMs, unit: 'ms', target: 'compare', pass: null });
  return result;
}
