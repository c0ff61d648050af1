import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { migrations } from '../migrations';
import { allDates } from '../src/activities/series/series-rule';
import { loadConfig } from '../src/config/app-config';
import { buildDataSourceOptions, isSqlite } from '../src/database/data-source';
import { sqliteDateTime } from '../src/database/sql';
import { createTestDatabase, TestDatabase } from './support/test-database';

const ACTIVITY_SERIES = 1795884000000;
const timestampOf = (migration: (typeof migrations)[number]) => Number(/(\d{13})$/.exec(new migration().name!)![1]);

/** `?` placeholders on both engines. */
async function raw(ds: DataSource, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  let n = 0;
  return (await ds.query(isSqlite(ds) ? sql : sql.replace(/\?/g, () => `$${(n += 1)}`), params)) as Record<string, unknown>[];
}

/** Migration 1795884000000: each existing seriesId becomes a series row, so nothing existing breaks. */
describe('Migration: activity series from existing seriesIds', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('should turn a weekly seriesId into FREQ=WEEKLY with the COUNT of its occurrences from its first, in the home zone', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url, SESSION_SECRET: 's'.repeat(40) });
    const older = migrations.filter((m) => timestampOf(m) < ACTIVITY_SERIES);
    const before = new DataSource({ ...buildDataSourceOptions(config), migrations: older });
    await before.initialize();
    const homeId = randomUUID();
    const seriesId = randomUUID();
    try {
      await before.runMigrations({ transaction: 'each' });
      const typeId = randomUUID();
      await raw(before, "INSERT INTO home (id, name, slug, timezone, locale) VALUES (?, 'Villa Serie', 'villa-serie', 'Europe/Rome', 'it')", [homeId]);
      await raw(before, "INSERT INTO activity_type (id, \"homeId\", name, category) VALUES (?, ?, 'Canto', 'social')", [typeId, homeId]);
      // Three Mondays at 10:00 in Rome, across the change to summer time (as "repeat for 3 weeks" made them), and a one-off.
      const instants = ['2026-03-23T09:00:00.000Z', '2026-03-30T08:00:00.000Z', '2026-04-06T08:00:00.000Z'];
      for (const [i, at] of instants.entries()) {
        await raw(
          before,
          "INSERT INTO activity (id, \"homeId\", \"activityTypeId\", title, \"startsAt\", \"durationMinutes\", status, \"seriesId\", location, \"visibleToFamilies\") VALUES (?, ?, ?, 'Coro', ?, 45, ?, ?, 'Salone', ?)",
          [randomUUID(), homeId, typeId, isSqlite(before) ? sqliteDateTime(new Date(at)) : new Date(at), i === 0 ? 'completed' : 'planned', seriesId, isSqlite(before) ? 0 : false],
        );
      }
      await raw(before, "INSERT INTO activity (id, \"homeId\", \"activityTypeId\", title, \"startsAt\", \"durationMinutes\", status) VALUES (?, ?, ?, 'Once', ?, 60, 'planned')", [
        randomUUID(), homeId, typeId, isSqlite(before) ? sqliteDateTime(new Date('2026-05-01T08:00:00Z')) : new Date('2026-05-01T08:00:00Z'),
      ]);
    } finally {
      await before.destroy();
    }

    const after = new DataSource({ ...buildDataSourceOptions(config), migrations });
    await after.initialize();
    try {
      expect(await after.runMigrations({ transaction: 'each' })).toHaveLength(migrations.length - older.length);
      const rows = await raw(after, 'SELECT * FROM activity_series');
      expect(rows).toHaveLength(1);
      const [series] = rows;
      expect(series).toMatchObject({
        id: seriesId, homeId, rule: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=3', startDate: '2026-03-23', startTime: '10:00', timezone: 'Europe/Rome',
        endsOn: '2026-04-06', materialisedUntil: '2026-04-06', title: 'Coro', durationMinutes: 45, location: 'Salone', skippedDates: '[]',
      });
      expect(Boolean(series.visibleToFamilies)).toBe(false);
      // The rule gives back exactly the dates the rows have.
      expect(allDates(String(series.rule), '2026-03-23', '10:00')).toEqual(['2026-03-23', '2026-03-30', '2026-04-06']);
      await after.undoLastMigration({ transaction: 'each' });
      await after.runMigrations({ transaction: 'each' });
      expect(await raw(after, 'SELECT id FROM activity_series')).toEqual([{ id: seriesId }]);
    } finally {
      await after.destroy();
    }
  });
});
