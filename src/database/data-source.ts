import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
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
