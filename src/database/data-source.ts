import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, DataSourceOptions, Migration } from 'typeorm';
import type { Database } from 'better-sqlite3';
import { AppConfig } from '../config/app-config';
import { migrations } from '../../migrations';
import { entities } from './entities';

/** Options for the one DataSource that the app and the CLI share. */
export function buildDataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = { entities, migrations, synchronize: false, migrationsTransactionMode: 'each' as const, logging: ['error' as const] };
  if (config.database.kind === 'postgres') {
    return { ...common, type: 'postgres', url: config.database.url, uuidExtension: 'pgcrypto', extra: { max: 20 } };
  }
  mkdirSync(dirname(config.database.path), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.database.path,
    enableWAL: true,
    // Milliseconds a statement waits for another process's lock before SQLITE_BUSY.
    timeout: 10_000,
    // The one shared connection keeps its prepared statements; the app has a few hundred distinct ones.
    statementCacheSize: 1000,
    prepareDatabase: (db: Database) => {
      // Care records must survive a power cut: FULL syncs the WAL at every commit.
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
    },
  };
}

export function createDataSource(config: AppConfig): DataSource {
  return new DataSource(buildDataSourceOptions(config));
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
