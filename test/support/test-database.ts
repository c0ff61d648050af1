import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../../src/config/app-config';
import { createDataSource, runMigrations } from '../../src/database/data-source';
import { TEMPLATE_RUN, templateNames } from './test-template';

/**
 * A fresh, empty database for one test file: a SQLite file in a temporary folder, or, when
 * TEST_DATABASE_URL names a PostgreSQL server, a new database on it that is dropped afterwards.
 */
export interface TestDatabase {
  url: string;
  kind: 'sqlite' | 'postgres';
  /** A temporary folder for this database's uploaded files. */
  uploadsDir: string;
  drop(): Promise<void>;
}

export function testDatabaseKind(): 'sqlite' | 'postgres' {
  return process.env.TEST_DATABASE_URL?.startsWith('postgres') ? 'postgres' : 'sqlite';
}

/** An empty database; with `template`, a copy of that database (PostgreSQL) or SQLite file. */
export async function createTestDatabase(options: { template?: string } = {}): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  const dir = mkdtempSync(join(tmpdir(), 'insieme-test-'));
  const uploadsDir = join(dir, 'uploads');
  const removeDir = async () => rmSync(dir, { recursive: true, force: true });
  if (adminUrl?.startsWith('postgres')) {
    const name = `insieme_test_${randomBytes(6).toString('hex')}`;
    await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}${options.template ? ` TEMPLATE ${options.template}` : ''}`));
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      kind: 'postgres',
      uploadsDir,
      drop: async () => {
        await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
        await removeDir();
      },
    };
  }
  const file = join(dir, 'insieme.sqlite');
  if (options.template) copyFileSync(options.template, file);
  return { url: `sqlite:${file}`, kind: 'sqlite', uploadsDir, drop: removeDir };
}

/**
 * A fresh database with every migration applied, for a test app: a copy of one migrated template
 * per test run (PostgreSQL's CREATE DATABASE ... TEMPLATE, or a copy of the SQLite file), made the
 * first time one is asked for. Migrating takes 0.1 s on SQLite and 0.5 s on PostgreSQL, and most of
 * the suite's apps start on a new database. The app still runs its migrations at start-up and finds
 * none pending, as a restarted app does. Tests of the migrations themselves use createTestDatabase.
 */
export async function createMigratedTestDatabase(): Promise<TestDatabase> {
  const run = process.env[TEMPLATE_RUN];
  const database = await createTestDatabase(run ? { template: await ensureTemplate(run) } : {});
  if (!run) await migrate(database.url);
  return database;
}

async function migrate(url: string): Promise<void> {
  const dataSource = await createDataSource(loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, SEED_DEMO: 'false', SESSION_SECRET: 'unused-by-migrations-but-long-enough', AUDIT_KEY: 'unused-by-migrations-but-long-enough-too' }), 'writer').initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/** This run's template (a database name, or a SQLite file), made and migrated if it is not there yet. */
async function ensureTemplate(run: string): Promise<string> {
  const names = templateNames(run);
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl?.startsWith('postgres')) {
    const exists = await withClient(adminUrl, async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [names.postgres])).rowCount === 1);
    if (!exists) {
      // Made under another name and renamed when migrated: a template is never seen half made.
      const making = `${names.postgres}_${randomBytes(3).toString('hex')}`;
      await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${making}`));
      const url = new URL(adminUrl);
      url.pathname = `/${making}`;
      await migrate(url.toString());
      await withClient(adminUrl, (client) => client.query(`ALTER DATABASE ${making} RENAME TO ${names.postgres}`));
    }
    return names.postgres;
  }
  const file = join(names.sqliteDir, 'insieme.sqlite');
  if (!existsSync(file)) {
    mkdirSync(names.sqliteDir, { recursive: true });
    const making = mkdtempSync(join(names.sqliteDir, 'making-'));
    // Closing the database checkpoints its write-ahead log into the file, so the file alone is whole.
    await migrate(`sqlite:${join(making, 'insieme.sqlite')}`);
    renameSync(join(making, 'insieme.sqlite'), file);
    rmSync(making, { recursive: true, force: true });
  }
  return file;
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
