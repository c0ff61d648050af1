import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, QueryRunner } from 'typeorm';
import { isUniqueViolation } from './unique-violation';

const sut = isUniqueViolation;

/** The error a statement fails with, or undefined when it succeeds. */
async function failureOf(runner: QueryRunner, sql: string, params: unknown[]): Promise<unknown> {
  return runner.query(sql, params).then(() => undefined, (error: unknown) => error);
}

const engines: [string, (dir: string) => DataSource][] = [
  ['SQLite', (dir) => new DataSource({ type: 'better-sqlite3', database: join(dir, 'db.sqlite') })],
];
if (process.env.TEST_DATABASE_URL?.startsWith('postgres')) {
  engines.push(['PostgreSQL', () => new DataSource({ type: 'postgres', url: process.env.TEST_DATABASE_URL })]);
}

describe.each(engines)('isUniqueViolation on %s', (_engine, open) => {
  let dir: string;
  let dataSource: DataSource;
  let runner: QueryRunner;
  const insert = 'INSERT INTO unique_probe (id, code, note) VALUES ($1, $2, $3)';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'insieme-unique-'));
    dataSource = open(dir);
    await dataSource.initialize();
    // One connection, so PostgreSQL's temporary table is there for every statement.
    runner = dataSource.createQueryRunner();
    await runner.query('CREATE TEMPORARY TABLE unique_probe (id VARCHAR(10) PRIMARY KEY, code VARCHAR(10) NOT NULL UNIQUE, note VARCHAR(10))');
    await runner.query(sql(dataSource, insert), ['a', 'A', null]);
  });

  afterAll(async () => {
    await runner.release();
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should be true when a unique index refuses the row', async () => {
    expect(sut(await failureOf(runner, sql(dataSource, insert), ['b', 'A', null]))).toBe(true);
  });

  it('should be true when the primary key refuses the row', async () => {
    expect(sut(await failureOf(runner, sql(dataSource, insert), ['a', 'B', null]))).toBe(true);
  });

  it('should be false when another constraint or a mistake fails the statement', async () => {
    const notNull = await failureOf(runner, sql(dataSource, insert), ['c', null, null]);
    const noTable = await failureOf(runner, 'SELECT nothing FROM nowhere', []);
    expect([notNull, noTable].every((error) => error !== undefined)).toBe(true);
    expect([sut(notNull), sut(noTable)]).toEqual([false, false]);
  });
});

describe('isUniqueViolation on anything else', () => {
  it.each([undefined, null, 'text', new Error('UNIQUE constraint failed'), { code: 23505 }])('should be false when given %p', (value) => {
    expect(sut(value)).toBe(false);
  });
});

/** PostgreSQL numbers its placeholders; SQLite takes "?". */
function sql(dataSource: DataSource, text: string): string {
  return dataSource.options.type === 'postgres' ? text : text.replace(/\$\d+/g, '?');
}
