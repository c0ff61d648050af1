import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, QueryFailedError } from 'typeorm';
import { asDate, asNumber, placeholders, sqliteDateTime, sqlRow, sqlRows, sqlRun } from './sql';
import { sqliteDataSource } from './sqlite-connections';

describe('plain SQL helpers', () => {
  it('reads date-times back from both engines', () => {
    const instant = new Date('2026-09-30T21:30:00.123Z');
    expect(asDate(instant)).toBe(instant);
    expect(asDate('2026-09-30 21:30:00.123')).toEqual(instant);
    expect(asDate('2026-09-30T21:30:00.123Z')).toEqual(instant);
    expect(asDate('2026-09-30T23:30:00.123+02:00')).toEqual(instant);
  });

  it('reads counts as numbers (PostgreSQL gives bigint as text)', () => {
    expect([asNumber('12'), asNumber(3), asNumber(null), asNumber(undefined)]).toEqual([12, 3, 0, 0]);
    expect(placeholders(3)).toBe('?, ?, ?');
  });

  it('formats date-times for SQLite as UTC with milliseconds, padded', () => {
    expect(sqliteDateTime(new Date('2026-03-29T01:02:03.004Z'))).toBe('2026-03-29 01:02:03.004');
    expect(sqliteDateTime(new Date('0987-12-31T23:59:59.999+00:00'))).toBe('0987-12-31 23:59:59.999');
    expect(sqliteDateTime(new Date('2026-09-30T23:30:00.120+02:00'))).toBe('2026-09-30 21:30:00.120');
  });

  describe('on SQLite', () => {
    let dir: string;
    let dataSource: DataSource;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'insieme-sql-'));
      dataSource = sqliteDataSource({ type: 'better-sqlite3', database: join(dir, 'db.sqlite') });
      await dataSource.initialize();
      await dataSource.query('CREATE TABLE t (id TEXT PRIMARY KEY, "at" DATETIME, n INTEGER, flag BOOLEAN)');
    });

    afterAll(async () => {
      await dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    });

    it('writes dates as TypeORM does, so both read the same rows', async () => {
      const at = new Date('2026-03-29T01:00:00.000Z');
      await sqlRun(dataSource.manager, 'INSERT INTO t (id, "at", n, flag) VALUES (?, ?, ?, ?)', ['a', at, undefined, true]);
      const row = await sqlRow<{ at: string; n: number | null; flag: number }>(dataSource.manager, 'SELECT "at", n, flag FROM t WHERE id = ?', ['a']);
      expect(row).toEqual({ at: '2026-03-29 01:00:00.000', n: null, flag: 1 });
      expect(asDate(row!.at)).toEqual(at);
      // A range bound written by sqlRows compares as TypeORM's own parameters do.
      expect(await sqlRows(dataSource.manager, 'SELECT id FROM t WHERE "at" >= ? AND "at" < ?', [at, new Date(at.getTime() + 1)])).toEqual([{ id: 'a' }]);
      expect(await sqlRow(dataSource.manager, 'SELECT id FROM t WHERE id = ?', ['none'])).toBeUndefined();
    });

    it('writes exactly the text TypeORM writes for a date-time', async () => {
      const at = new Date('2026-11-28T09:30:05.007Z');
      await dataSource.createQueryBuilder().insert().into('t').values({ id: 'orm', at }).execute();
      await sqlRun(dataSource.manager, 'INSERT INTO t (id, "at") VALUES (?, ?)', ['ours', at]);
      const rows = await sqlRows<{ id: string; at: string }>(dataSource.manager, 'SELECT id, "at" FROM t WHERE id IN (?, ?) ORDER BY id', ['orm', 'ours']);
      expect(rows).toEqual([{ id: 'orm', at: '2026-11-28 09:30:05.007' }, { id: 'ours', at: '2026-11-28 09:30:05.007' }]);
    });

    it('gives rows as objects named by their columns, and booleans bound as 1 and 0', async () => {
      await sqlRun(dataSource.manager, 'INSERT INTO t (id, n, flag) VALUES (?, ?, ?), (?, ?, ?)', ['b1', 1, false, 'b2', 2, true]);
      const select = 'SELECT id AS "rowId", n * 10 AS "tenTimes", flag FROM t WHERE id IN (?, ?) AND flag = ? ORDER BY id';
      expect(await sqlRows(dataSource.manager, select, ['b1', 'b2', true])).toEqual([{ rowId: 'b2', tenTimes: 20, flag: 1 }]);
      // The same text again uses the statement prepared the first time, with its own parameters.
      expect(await sqlRows(dataSource.manager, select, ['b1', 'b2', false])).toEqual([{ rowId: 'b1', tenTimes: 10, flag: 0 }]);
      expect(await sqlRows(dataSource.manager, 'UPDATE t SET n = n + 1 WHERE id = ?', ['b1'])).toEqual([]);
      expect(await sqlRows(dataSource.manager, 'UPDATE t SET n = n + 1 WHERE id = ? RETURNING n', ['b1'])).toEqual([{ n: 3 }]);
    });

    it("runs inside a transaction's manager: its rows are seen there and go with a rollback", async () => {
      await expect(
        dataSource.transaction(async (manager) => {
          await sqlRun(manager, 'INSERT INTO t (id) VALUES (?)', ['tx']);
          expect(await sqlRow(manager, 'SELECT id FROM t WHERE id = ?', ['tx'])).toEqual({ id: 'tx' });
          throw new Error('undo');
        }),
      ).rejects.toThrow('undo');
      expect(await sqlRow(dataSource.manager, 'SELECT id FROM t WHERE id = ?', ['tx'])).toBeUndefined();
    });

    it("fails with TypeORM's QueryFailedError, carrying the driver's code", async () => {
      await sqlRun(dataSource.manager, 'INSERT INTO t (id) VALUES (?)', ['dup']);
      const failure = await sqlRun(dataSource.manager, 'INSERT INTO t (id) VALUES (?)', ['dup']).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(QueryFailedError);
      expect((failure as QueryFailedError).message).toMatch(/UNIQUE/);
      expect((failure as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
      await expect(sqlRows(dataSource.manager, 'SELECT nothing FROM nowhere')).rejects.toBeInstanceOf(QueryFailedError);
    });
  });
});
