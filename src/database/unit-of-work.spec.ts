import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { sqlRows } from './sql';
import { sqliteConnection, sqliteDataSource } from './sqlite-connections';
import { SLICE_MS, UnitOfWork } from './unit-of-work';

describe('UnitOfWork on SQLite (group commit)', () => {
  let dir: string;
  let dataSource: DataSource;
  let reader: DataSource;
  let unitOfWork: UnitOfWork;
  let commits: number;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'insieme-uow-'));
    dataSource = sqliteDataSource({ type: 'better-sqlite3', database: join(dir, 'db.sqlite'), enableWAL: true });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)');
    reader = await sqliteDataSource({ type: 'better-sqlite3', database: join(dir, 'db.sqlite'), readonly: true }).initialize();
    unitOfWork = new UnitOfWork({ reader, writer: dataSource });
    commits = 0;
    const runner = dataSource.createQueryRunner();
    const commit = runner.commitTransaction.bind(runner);
    jest.spyOn(runner, 'commitTransaction').mockImplementation(async () => {
      commits += 1;
      await commit();
    });
  });

  afterEach(async () => {
    await reader.destroy();
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (text: string) => unitOfWork.transaction((m) => m.query('INSERT INTO note (text) VALUES (?)', [text]).then(() => text));
  const texts = async () => ((await dataSource.query('SELECT text FROM note ORDER BY id')) as { text: string }[]).map((r) => r.text);

  it('commits units that queued together in one transaction, in the order they came, and answers each', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => insert(`n${i}`)));
    expect(answers).toEqual(Array.from({ length: 20 }, (_, i) => `n${i}`));
    expect(await texts()).toEqual(answers);
    // All 20 arrived in one turn of the event loop: one commit (one fsync) for all of them.
    expect(commits).toBe(1);
  });

  it('should run the end-of-unit work inside each unit after its own, and discard what a failed unit asked for', async () => {
    const asked = new Map<object, string[]>();
    unitOfWork.atEndOfUnit({
      settle: async (m) => {
        for (const text of asked.get(m) ?? []) await m.query('INSERT INTO note (text) VALUES (?)', [`${text} settled`]);
        asked.delete(m);
      },
      discard: (m) => void asked.delete(m),
    });
    const unit = (text: string, fail: boolean) => unitOfWork.transaction(async (m) => {
      expect(unitOfWork.isInUnit(m)).toBe(true);
      await m.query('INSERT INTO note (text) VALUES (?)', [text]);
      asked.set(m, [...(asked.get(m) ?? []), text]);
      if (fail) throw new Error(`${text} failed`);
    });
    const results = await Promise.allSettled([unit('a', false), unit('b', true), unit('c', false)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // One group (one commit); b's own row and what it asked for rolled back with its savepoint, not carried into c.
    expect(await texts()).toEqual(['a', 'a settled', 'c', 'c settled']);
    expect(commits).toBe(1);
    expect(unitOfWork.isInUnit(dataSource.manager)).toBe(false);
  });

  it('should let the event loop turn between units when a group runs longer than SLICE_MS, still in one commit', async () => {
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const slow = (text: string) => unitOfWork.transaction(async (m) => {
      busy(SLICE_MS / 2 + 1);
      await m.query('INSERT INTO note (text) VALUES (?)', [text]);
    });
    const order: string[] = [];
    const group = Promise.all(Array.from({ length: 8 }, (_, i) => slow(`s${i}`))).then(() => order.push('group'));
    // A request arriving meanwhile: served before the group has run all its units.
    setImmediate(() => setImmediate(() => order.push('read')));
    await group;
    expect(order).toEqual(['read', 'group']);
    expect(commits).toBe(1);
  });

  it('rolls back a failing unit alone: it rejects, the others in its group are kept', async () => {
    const results = await Promise.allSettled([
      insert('first'),
      insert('kept'),
      unitOfWork.transaction(async (m) => {
        await m.query('INSERT INTO note (text) VALUES (?)', ['half-done']);
        throw new Error('refused');
      }),
      insert('kept'), // unique: fails at the database
      insert('after'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason).toEqual(new Error('refused'));
    expect(await texts()).toEqual(['first', 'kept', 'after']);
  });

  it('rolls back a unit that runs alone and fails, and the next unit starts a fresh transaction', async () => {
    await expect(
      unitOfWork.transaction(async (m) => {
        await m.query('INSERT INTO note (text) VALUES (?)', ['gone']);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await insert('next');
    expect(await texts()).toEqual(['next']);
  });

  it('runs units one after another: each sees what the earlier ones wrote', async () => {
    const counts = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        unitOfWork.transaction(async (m) => {
          await m.query('INSERT INTO note (text) VALUES (?)', [`c${i}`]);
          const [{ n }] = (await m.query('SELECT COUNT(*) AS n FROM note')) as { n: number }[];
          return n;
        }),
      ),
    );
    expect(counts).toEqual([1, 2, 3, 4, 5]);
  });

  it('acknowledges nothing when the shared commit fails, and keeps working afterwards', async () => {
    await insert('before');
    const runner = dataSource.createQueryRunner();
    jest.spyOn(runner, 'commitTransaction').mockRejectedValueOnce(new Error('disk I/O error'));
    const results = await Promise.allSettled([insert('x'), insert('y'), insert('z')]);
    for (const result of results) expect(result).toEqual({ status: 'rejected', reason: new Error('disk I/O error') });
    expect(await texts()).toEqual(['before']);
    await insert('later');
    expect(await texts()).toEqual(['before', 'later']);
  });

  it('acknowledges nothing when SQLite itself ended the transaction at commit, and starts afresh after', async () => {
    const runner = dataSource.createQueryRunner();
    jest.spyOn(runner, 'commitTransaction').mockImplementationOnce(async () => {
      // As after an I/O error: SQLite has rolled back on its own, TypeORM still counts the transaction open.
      sqliteConnection(dataSource).exec('ROLLBACK');
      throw new Error('disk I/O error');
    });
    const results = await Promise.allSettled([insert('x'), insert('y')]);
    for (const result of results) expect(result).toEqual({ status: 'rejected', reason: new Error('disk I/O error') });
    expect(runner.isTransactionActive).toBe(false);
    await insert('later');
    expect(await texts()).toEqual(['later']);
  });

  describe('reads outside a unit of work', () => {
    const seen = async () => ({
      typeorm: ((await unitOfWork.manager.query('SELECT text FROM note ORDER BY id')) as { text: string }[]).map((r) => r.text),
      sql: (await sqlRows<{ text: string }>(unitOfWork.manager, 'SELECT text FROM note ORDER BY id')).map((r) => r.text),
    });

    it('should see none of an open transaction that then rolls back', async () => {
      await insert('committed');
      let written!: () => void;
      let release!: () => void;
      const wrote = new Promise<void>((resolve) => (written = resolve));
      const held = new Promise<void>((resolve) => (release = resolve));
      const unit = unitOfWork.transaction(async (m) => {
        await m.query('INSERT INTO note (text) VALUES (?)', ['uncommitted']);
        written();
        await held;
        throw new Error('refused');
      });
      await wrote;
      expect(sqliteConnection(dataSource).inTransaction).toBe(true);
      expect(await seen()).toEqual({ typeorm: ['committed'], sql: ['committed'] });
      release();
      await expect(unit).rejects.toThrow('refused');
      expect(await seen()).toEqual({ typeorm: ['committed'], sql: ['committed'] });
    });

    it('should see a unit of work as soon as it has answered', async () => {
      await insert('done');
      expect(await seen()).toEqual({ typeorm: ['done'], sql: ['done'] });
    });

    it('should refuse a write that bypasses the queue', async () => {
      await expect(unitOfWork.manager.query('INSERT INTO note (text) VALUES (?)', ['sneaked'])).rejects.toThrow(/readonly/);
      await expect(sqlRows(unitOfWork.manager, 'INSERT INTO note (text) VALUES (?)', ['sneaked'])).rejects.toThrow(/readonly/);
      expect(await texts()).toEqual([]);
    });
  });
});
