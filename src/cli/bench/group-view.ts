import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../../app.module';
import type { SessionUser } from '../../common/access/session-user';
import { loadConfig } from '../../config/app-config';
import { groupPageView } from '../../groups/group-view';
import { GroupViewService } from '../../groups/group-view.service';
import { HomesService } from '../../homes/homes.service';
import { ReportService } from '../../reports/report.service';
import { SYNTHETIC_TIMEZONE } from '../synthetic/synthetic-home';
import { median } from './bench-support';

export interface GroupViewBench {
  homes: number;
  residentsPerHome: number;
  days: number;
  quarter: string;
  /** The group view as kept: the page's model, its held-activity figures summed from the summary tables (docs/groups.md). */
  tallies: { coldMs: number; warmMedianMs: number; runsMs: number[] };
  /** The same figures from the records, by the report's own queries grouped by home (the reference the tables are tested against). */
  records: { coldMs: number; warmMedianMs: number; runsMs: number[] };
  /** Rows of the summary tables for these homes. */
  rows: { activityTally: number; residentReach: number };
}

const WARM_RUNS = 5;
/** Runs of the records' way after its cold one: each takes tens of seconds at 500 homes. */
const RECORDS_RUNS = 2;
const ms = (from: number) => Math.round((performance.now() - from) * 10) / 10;

/**
 * Part (e) of `npm run bench`: the group view of every home in part (d)'s PostgreSQL database (the
 * 500 full-size synthetic homes), both ways on the same data: from the summary tables the writers
 * keep (what the app does), and from the records with the report's grouped queries. The two must give
 * the same figures for every home; the bench stops if they do not.
 */
export async function measureGroupView(
  databaseUrl: string, options: { homes: number; residents: number; days: number; quarter: string; now: Date; log: (message: string) => void },
): Promise<GroupViewBench> {
  options.log(`(e) PostgreSQL: the group view of ${options.homes} homes, from the summary tables`);
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

    options.log('(e) PostgreSQL: the same figures from the records (the report\'s grouped queries)');
    const reports = app.get(ReportService);
    const zoned = (await homes.group(admin, group.id)).homes.map((h) => ({ id: h.id, timezone: h.timezone }));
    const timed = async (source: 'tallies' | 'records') => {
      const started = performance.now();
      const figures = await reports.groupHeadlines(zoned, options.quarter, options.now, source);
      return { figures, ms: ms(started) };
    };
    const fromTables = await timed('tallies');
    const fromRecords = await timed('records');
    const differing = zoned.filter((h) => JSON.stringify(fromTables.figures.get(h.id)) !== JSON.stringify(fromRecords.figures.get(h.id)));
    if (differing.length > 0) {
      throw new Error(`The summary tables and the records disagree for ${differing.length} home(s), e.g. ${JSON.stringify(fromTables.figures.get(differing[0].id))} against ${JSON.stringify(fromRecords.figures.get(differing[0].id))}`);
    }
    const recordRuns: number[] = [];
    for (let i = 0; i < RECORDS_RUNS; i += 1) recordRuns.push((await timed('records')).ms);
    const count = async (table: string) => Number((await dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
    return {
      homes: options.homes, residentsPerHome: options.residents, days: options.days, quarter: options.quarter,
      tallies: { coldMs, warmMedianMs: median(runsMs), runsMs },
      records: { coldMs: fromRecords.ms, warmMedianMs: median(recordRuns), runsMs: recordRuns },
      rows: { activityTally: await count('activity_tally'), residentReach: await count('resident_reach') },
    };
  } finally {
    await app.close();
  }
}

/** Part (e) as `npm run bench` runs it, on part (d)'s database of `homes` homes before it is dropped. */
export async function benchGroupView(
  databaseUrl: string, homes: { homes: number; residents: number; days: number }, quarter: string, now: Date, log: (message: string) => void,
  targets: { name: string; value: number | null; unit: string; target: string; pass: boolean | null }[],
): Promise<GroupViewBench> {
  const result = await measureGroupView(databaseUrl, { ...homes, quarter, now, log });
  targets.push({ name: `(e) group view of ${homes.homes} homes (PostgreSQL), summary tables (kept), warm`, value: Math.round(result.tallies.warmMedianMs), unit: 'ms', target: '<= 2000', pass: result.tallies.warmMedianMs <= 2000 });
  targets.push({ name: '    the same figures from the records, grouped queries', value: Math.round(result.records.warmMedianMs), unit: 'ms', target: 'compare', pass: null });
  return result;
}
