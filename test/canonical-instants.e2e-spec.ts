import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { migrations } from '../migrations';
import { rebuildSqliteTable, sqliteInstantColumns } from '../migrations/1795883500000-canonical-instants';
import { Activity } from '../src/activities/entities/activity.entity';
import { Participation } from '../src/activities/entities/participation.entity';
import { AuditService } from '../src/audit/audit.service';
import { User } from '../src/auth/entities/user.entity';
import { loadConfig } from '../src/config/app-config';
import { buildDataSourceOptions, isSqlite } from '../src/database/data-source';
import { CANONICAL_INSTANT, CANONICAL_INSTANT_GLOB, SQLITE_NOW } from '../src/database/instants';
import { UnitOfWork } from '../src/database/unit-of-work';
import { Home } from '../src/homes/entities/home.entity';
import { LeaseService } from '../src/jobs/lease.service';
import { ReportService } from '../src/reports/report.service';
import { Feedback } from '../src/voice/entities/feedback.entity';
import { Suggestion } from '../src/voice/entities/suggestion.entity';
import { createHome, createUser } from './support/factories';
import { createTestApp, TestApp } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

/** This migration's timestamp: the database "before" it ran every migration older than it. */
const CANONICAL_INSTANTS = 1795883500000;
const timestampOf = (migration: (typeof migrations)[number]) => Number(/(\d{13})$/.exec(new migration().name!)![1]);

/** 1 July 2026 00:00 in Europe/Rome: 2026-Q3's first instant. */
const Q3_START = new Date('2026-06-30T22:00:00.000Z');
const NOW = new Date('2026-11-28T12:00:00Z');

/** `?` placeholders on both engines. */
async function raw(ds: DataSource, sql: string, params: unknown[] = []): Promise<unknown[]> {
  let n = 0;
  return (await ds.query(isSqlite(ds) ? sql : sql.replace(/\?/g, () => `$${(n += 1)}`), params)) as unknown[];
}

/** A UTC instant as written before this change: SQLite text without a fraction, or PostgreSQL text with the offset. */
function oldSpelling(ds: DataSource, instant: Date): string {
  const text = instant.toISOString().slice(0, 19).replace('T', ' ');
  return isSqlite(ds) ? text : `${text}+00`;
}

/** Every stored instant that is not canonical, as "table.column: value" (SQLite; none on PostgreSQL, which stores timestamptz). */
async function nonCanonical(ds: DataSource): Promise<string[]> {
  if (!isSqlite(ds)) return [];
  const runner = ds.createQueryRunner();
  try {
    const found: string[] = [];
    for (const { table, columns } of await sqliteInstantColumns(runner)) {
      for (const column of columns) {
        const rows = (await runner.query(`SELECT "${column}" AS v FROM "${table}" WHERE "${column}" IS NOT NULL AND NOT ("${column}" GLOB '${CANONICAL_INSTANT_GLOB}')`)) as { v: unknown }[];
        found.push(...rows.map((r) => `${table}.${column}: ${String(r.v)}`));
      }
    }
    return found;
  } finally {
    await runner.release();
  }
}

describe('Canonical instants (issue 18, item 1)', () => {
  describe('records at a quarter\'s first instant, stored before the migration and through TypeORM after it', () => {
    let database: TestDatabase;
    let t: TestApp;
    let homeId: string;
    let defaultBefore: string;

    beforeAll(async () => {
      database = await createTestDatabase();
      const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url, SESSION_SECRET: 's'.repeat(40) });
      const older = migrations.filter((m) => timestampOf(m) < CANONICAL_INSTANTS);
      expect(older.length).toBe(migrations.findIndex((m) => timestampOf(m) === CANONICAL_INSTANTS));
      const ds = new DataSource({ ...buildDataSourceOptions(config), migrations: older });
      await ds.initialize();
      try {
        await ds.runMigrations({ transaction: 'each' });
        if (isSqlite(ds)) {
          // As every installation migrated before this change has them: CURRENT_TIMESTAMP defaults
          // (the column builders now write the new default for tables made from scratch).
          await ds.query('PRAGMA foreign_keys = OFF');
          const runner = ds.createQueryRunner();
          try {
            for (const { table } of await sqliteInstantColumns(runner)) {
              await rebuildSqliteTable(runner, table, (sql) => sql.split(`DEFAULT (${SQLITE_NOW})`).join('DEFAULT (CURRENT_TIMESTAMP)'));
            }
            expect((await sqliteInstantColumns(runner)).filter((c) => c.staleDefaults.length === 0).map((c) => c.table)).toEqual(
              // Tables with no default on any instant column.
              expect.arrayContaining(['audit_entry', 'job_lease', 'session']),
            );
          } finally {
            await runner.release();
          }
          await ds.query('PRAGMA foreign_keys = ON');
        }

        // Written as before: plain SQL, instants without a fraction, createdAt and updatedAt left to the default.
        homeId = randomUUID();
        const typeId = randomUUID();
        const residentId = randomUUID();
        await raw(ds, "INSERT INTO home (id, name, slug, timezone, locale) VALUES (?, 'Villa Confine', 'villa-confine', 'Europe/Rome', 'it')", [homeId]);
        defaultBefore = String(((await raw(ds, 'SELECT "createdAt" AS v FROM home WHERE id = ?', [homeId])) as { v: unknown }[])[0].v);
        await raw(ds, "INSERT INTO activity_type (id, \"homeId\", name, category) VALUES (?, ?, 'Canto', 'social')", [typeId, homeId]);
        await raw(ds, "INSERT INTO resident (id, \"homeId\", \"firstName\", \"lastName\", \"admittedOn\", interests) VALUES (?, ?, 'Anna', 'Alba', '2025-01-10', '')", [residentId, homeId]);
        const oldRows: [Date, string][] = [
          [Q3_START, 'at Q3'],
          // One second before: the nearest instant the old spelling can write.
          [new Date(Q3_START.getTime() - 1000), 'before Q3'],
        ];
        for (const [instant, label] of oldRows) {
          const at = oldSpelling(ds, instant);
          const activityId = randomUUID();
          await raw(
            ds,
            "INSERT INTO activity (id, \"homeId\", \"activityTypeId\", title, \"startsAt\", \"durationMinutes\", status) VALUES (?, ?, ?, ?, ?, 60, 'completed')",
            [activityId, homeId, typeId, `Old ${label}`, at],
          );
          await raw(ds, "INSERT INTO participation (id, \"homeId\", \"activityId\", \"residentId\", engagement, \"recordedAt\") VALUES (?, ?, ?, ?, 'active', ?)", [
            randomUUID(), homeId, activityId, residentId, at,
          ]);
          await raw(
            ds,
            "INSERT INTO suggestion (id, \"createdAt\", \"updatedAt\", \"homeId\", \"authorType\", kind, title, body) VALUES (?, ?, ?, ?, 'family', 'activity_idea', ?, 'Old')",
            [randomUUID(), at, at, homeId, `Old ${label}`],
          );
          await raw(ds, "INSERT INTO feedback (id, \"createdAt\", \"updatedAt\", \"homeId\", \"authorType\", rating) VALUES (?, ?, ?, ?, 'family', 4)", [
            randomUUID(), at, at, homeId,
          ]);
        }
      } finally {
        await ds.destroy();
      }

      // The app runs the pending migrations (this one among them) as it starts.
      t = await createTestApp({ database });
      const w = t.dataSource;
      const typeId = (await w.query('SELECT id FROM activity_type LIMIT 1'))[0].id as string;
      const residentId = (await w.query('SELECT id FROM resident LIMIT 1'))[0].id as string;
      // Written now, through TypeORM: at Q3's first instant and one millisecond before it.
      for (const [instant, label] of [[Q3_START, 'at Q3'], [new Date(Q3_START.getTime() - 1), 'before Q3']] as const) {
        const activity = await w.getRepository(Activity).save({
          homeId, activityTypeId: typeId, title: `New ${label}`, startsAt: instant, durationMinutes: 60, location: null, unitId: null, capacity: null,
          leadStaffId: null, status: 'completed', description: null, seriesId: null, visibleToFamilies: true, completedAt: null, cancelReason: null,
        });
        await w.getRepository(Participation).save({
          homeId, activityId: activity.id, residentId, engagement: 'active', moodBefore: null, moodAfter: null, staffNote: null, familyNote: null,
          recordedBy: null, recordedAt: instant,
        });
        await w.getRepository(Suggestion).save({
          homeId, residentId: null, authorType: 'family', authorResidentId: null, authorFamilyMemberId: null, authorVolunteerId: null, authorStaffMemberId: null,
          recordedBy: null, kind: 'activity_idea', title: `New ${label}`, body: 'New', status: 'new', response: null, respondedBy: null, respondedAt: null,
          linkedActivityTypeId: null, linkedActivityId: null, lifeStoryAppliedAt: null, createdAt: instant, updatedAt: instant,
        });
        await w.getRepository(Feedback).save({
          homeId, activityId: null, authorType: 'family', authorResidentId: null, authorFamilyMemberId: null, authorVolunteerId: null, authorStaffMemberId: null,
          recordedBy: null, rating: 4, comment: null, createdAt: instant, updatedAt: instant,
        });
      }
    }, 120_000);

    afterAll(async () => {
      await t?.close();
      await database?.drop();
    });

    it('should have written the old spelling before the migration (the case it fixes)', () => {
      if (t.database.kind === 'sqlite') expect(defaultBefore).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    });

    it('should count each record in its own quarter: at the first instant in Q3, a moment before in Q2', async () => {
      const report = await t.get(ReportService).quarterlyReport(homeId, '2026-Q3', { names: false, now: NOW });
      for (const figures of [report.current, report.previous]) {
        // Two activities (one stored each way), each with one participation; two suggestions; two pieces of feedback.
        expect(figures.participation.activitiesHeld).toBe(2);
        expect(figures.participation.participationsRecorded).toBe(2);
        expect(figures.voice.suggestions.received).toBe(2);
        expect(figures.voice.feedback.count).toBe(2);
      }
      expect(report.current.participation.engagementByMonth.find((m) => m.month.endsWith('-07'))?.total).toBe(2);
      expect(report.previous.participation.engagementByMonth.find((m) => m.month.endsWith('-06'))?.total).toBe(2);
    });

    it('should have rewritten every stored instant to the canonical format (same instants)', async () => {
      expect(await nonCanonical(t.dataSource)).toEqual([]);
      if (t.database.kind === 'sqlite') {
        const [home] = (await t.dataSource.query('SELECT "createdAt" FROM home WHERE id = ?', [homeId])) as { createdAt: string }[];
        expect(home.createdAt).toBe(`${defaultBefore}.000`);
        const starts = ((await t.dataSource.query('SELECT "startsAt" FROM activity ORDER BY "startsAt"')) as { startsAt: string }[]).map((a) => a.startsAt);
        expect(starts).toEqual(['2026-06-30 21:59:59.000', '2026-06-30 21:59:59.999', '2026-06-30 22:00:00.000', '2026-06-30 22:00:00.000']);
      }
    });
  });

  describe('every write path', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp();
    }, 60_000);

    afterAll(async () => {
      await t.close();
    });

    it('should store createdAt and updatedAt canonical through TypeORM (insert, save, update), plain SQL and the write queue', async () => {
      // TypeORM insert, its create and update dates left to it (through the write queue: the homes service).
      const home = await createHome(t);
      const user = await createUser(t, { role: 'manager', homeIds: [home.id] });
      // TypeORM save of a loaded entity: UPDATE … "updatedAt" = now.
      const homes = t.dataSource.getRepository(Home);
      const loaded = await homes.findOneByOrFail({ id: home.id });
      loaded.address = 'Via Roma 1';
      await homes.save(loaded);
      // EntityManager.update inside a unit of work (the write queue).
      await t.get(UnitOfWork).transaction((m) => m.update(User, { id: user.id }, { locale: 'it' }));
      // Plain SQL with a Date bound (the lease, the audit log).
      expect(await t.get(LeaseService).acquire('canonical-test', 60_000)).toBe(true);
      await t.get(AuditService).recordNow({ action: 'update', userId: user.id, role: 'manager', entityType: 'home', entityId: home.id, homeId: home.id, changes: null });

      expect(await nonCanonical(t.dataSource)).toEqual([]);
      if (t.database.kind === 'sqlite') {
        const [row] = (await t.dataSource.query('SELECT "createdAt", "updatedAt" FROM home WHERE id = ?', [home.id])) as { createdAt: string; updatedAt: string }[];
        expect(row.createdAt).toMatch(CANONICAL_INSTANT);
        expect(row.updatedAt).toMatch(CANONICAL_INSTANT);
        const [account] = (await t.dataSource.query('SELECT "updatedAt" FROM "user" WHERE id = ?', [user.id])) as { updatedAt: string }[];
        expect(account.updatedAt).toMatch(CANONICAL_INSTANT);
      }
    });
  });

  describe('the schema after every migration', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp();
    }, 60_000);

    afterAll(async () => {
      await t.close();
    });

    it('should give every timestamp column the canonical default on SQLite, and timestamptz on PostgreSQL', async () => {
      const ds = t.dataSource;
      // The entities' instant columns, as TypeORM maps them for this database.
      const entityInstants = ds.entityMetadatas.flatMap((e) =>
        e.columns.filter((c) => /^(datetime|timestamp)/.test(ds.driver.normalizeType(c))).map((c) => `${e.tableName}.${c.databaseName}`),
      );
      expect(entityInstants.length).toBeGreaterThan(50);
      if (isSqlite(ds)) {
        const runner = ds.createQueryRunner();
        try {
          const found = await sqliteInstantColumns(runner);
          // A future migration that writes CURRENT_TIMESTAMP (no fraction) as a default fails here.
          expect(found.filter((c) => c.staleDefaults.length > 0)).toEqual([]);
          const tables = (await runner.query("SELECT name, sql FROM sqlite_master WHERE type = 'table'")) as { name: string; sql: string }[];
          expect(tables.filter((tb) => /CURRENT_TIMESTAMP|datetime\s*\(\s*'now'/i.test(tb.sql)).map((tb) => tb.name)).toEqual([]);
          const columns = found.flatMap((c) => c.columns.map((column) => `${c.table}.${column}`));
          expect(columns).toEqual(expect.arrayContaining(entityInstants));
          for (const { table, columns: names } of found) {
            const info = (await runner.query(`PRAGMA table_info("${table}")`)) as { name: string; dflt_value: string | null }[];
            for (const c of info.filter((i) => names.includes(i.name))) expect([null, SQLITE_NOW]).toContain(c.dflt_value);
          }
        } finally {
          await runner.release();
        }
      } else {
        const rows = (await ds.query(
          "SELECT table_name || '.' || column_name AS name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND data_type LIKE 'timestamp%'",
        )) as { name: string; data_type: string }[];
        expect(rows.filter((r) => r.data_type !== 'timestamp with time zone')).toEqual([]);
        expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(entityInstants));
      }
    });
  });
});
