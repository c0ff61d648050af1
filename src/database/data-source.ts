import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, DataSourceOptions, Migration } from 'typeorm';
import type { Database } from 'better-sqlite3';
import { AppConfig } from '../config/app-config';
import { migrations } from '../../migrations';
import { entities } from './entities';
import { sqliteConnection, SqliteDataSourceOptions, sqliteDataSource } from './sqlite-connections';

/**
 * Who uses a DataSource. On SQLite the writer is the one read-write connection, used by the write queue
 * (UnitOfWork), migrations and the CLI; the reader is a read-only connection for everything else, which
 * in WAL mode sees the last committed state and never a transaction still open on the writer.
 * PostgreSQL has one pool for both.
 */
export type DataSourceRole = 'writer' | 'reader';

/** Options for the app's and the CLI's DataSources. */
export function buildDataSourceOptions(config: AppConfig, role: DataSourceRole = 'writer'): DataSourceOptions {
  const common = { entities, migrations, synchronize: false, migrationsTransactionMode: 'each' as const, logging: ['error' as const] };
  if (config.database.kind === 'postgres') {
    // No parallel query: every statement of the app reads one home's rows, and once other homes make
    // a table big PostgreSQL splits such a join over workers whose start-up costs more than the join
    // (a home's report among 50 homes took 1.6x its time alone, issue 20 d), and takes cores from
    // concurrent requests. Serial, the plan is the one-home plan at any number of homes.
    return {
      ...common, type: 'postgres', url: config.database.url, uuidExtension: 'pgcrypto',
      extra: { max: 20, options: '-c max_parallel_workers_per_gather=0' },
    };
  }
  return { ...common, ...sqliteOptions(config.database.path, role) };
}

function sqliteOptions(path: string, role: DataSourceRole): SqliteDataSourceOptions {
  const shared = {
    type: 'better-sqlite3' as const,
    database: path,
    // Milliseconds a statement waits for another process's lock before SQLITE_BUSY.
    timeout: 10_000,
    // Each connection keeps its prepared statements; the app has a few hundred distinct ones.
    statementCacheSize: 1000,
  };
  if (role === 'reader') {
    // Opened after the writer has created and migrated the file; a write through it fails (SQLITE_READONLY).
    return { ...shared, readonly: true, fileMustExist: true };
  }
  mkdirSync(dirname(path), { recursive: true });
  return {
    ...shared,
    enableWAL: true,
    prepareDatabase: (db: Database) => {
      // Care records must survive a power cut: FULL syncs the WAL at every commit.
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
    },
  };
}

/** A DataSource, not yet initialised. */
export function createDataSource(config: AppConfig, role: DataSourceRole = 'writer'): DataSource {
  const options = buildDataSourceOptions(config, role);
  return options.type === 'better-sqlite3' ? sqliteDataSource(options) : new DataSource(options);
}

/** Nest token of the app's AppDataSources: the writer is UnitOfWork's (and tests write fixtures through it). */
export const DATA_SOURCES = 'DATA_SOURCES';

/** The app's DataSources; the same one twice on PostgreSQL. */
export interface AppDataSources {
  reader: DataSource;
  writer: DataSource;
}

/** Opens the writer, applies pending migrations, then opens the reader. */
export async function openDataSources(config: AppConfig): Promise<AppDataSources> {
  const writer = await createDataSource(config, 'writer').initialize();
  try {
    await runMigrations(writer);
    if (!isSqlite(writer)) return { reader: writer, writer };
    // The write queue runs each unit of work in a savepoint, and a statement writing several rows
    // keeps a statement journal: both journals copy every page they touch and go to a temporary file
    // past 64 KiB, which a 20-resident log passes. In memory, that save's upsert takes 148 instead of
    // 231 us, and bench (a) saves 6% more a second (docs/architecture.md). Set once the migrations
    // have run, whose statements may rewrite whole tables, and on the app's writer only: the CLI's
    // batch jobs and the reader's sorts for reports stay free to spill to disk.
    sqliteConnection(writer).pragma('temp_store = MEMORY');
    return { reader: await createDataSource(config, 'reader').initialize(), writer };
  } catch (error) {
    await writer.destroy();
    throw error;
  }
}

export async function closeDataSources({ reader, writer }: AppDataSources): Promise<void> {
  if (reader !== writer && reader.isInitialized) await reader.destroy();
  if (writer.isInitialized) await writer.destroy();
}

export function isSqlite(dataSource: DataSource): boolean {
  return dataSource.options.type === 'better-sqlite3';
}

/** Any fixed number: the PostgreSQL advisory lock that lets one process at a time migrate. */
const MIGRATION_LOCK_KEY = 7_316_405_201;

/**
 * Applies pending migrations. Several app processes may start at once on one PostgreSQL database;
 * TypeORM takes no lock of its own, so without one they would run the same migration side by side
 * (a failed start at best, a data migration applied twice at worst). The others wait, then find
 * nothing left to do.
 */
export async function runMigrations(dataSource: DataSource): Promise<Migration[]> {
  if (dataSource.options.type !== 'postgres') return dataSource.runMigrations({ transaction: 'each' });
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await lock.release();
  }
}
