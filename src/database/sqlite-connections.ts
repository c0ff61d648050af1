import type { Database } from 'better-sqlite3';
import { DataSource, DataSourceOptions } from 'typeorm';

export type SqliteDataSourceOptions = Extract<DataSourceOptions, { type: 'better-sqlite3' }>;

const connections = new WeakMap<DataSource, Database>();

/**
 * A SQLite DataSource whose better-sqlite3 connection src/database holds. TypeORM hands the connection
 * it opens to `prepareDatabase` (its documented hook) and keeps it private otherwise; the write queue
 * (transaction state) and the plain SQL helpers (prepared statements) need it, so it is kept here.
 */
export function sqliteDataSource(options: SqliteDataSourceOptions): DataSource {
  const dataSource: DataSource = new DataSource({
    ...options,
    prepareDatabase: async (db: Database) => {
      await options.prepareDatabase?.(db);
      connections.set(dataSource, db);
    },
  });
  return dataSource;
}

/** The open better-sqlite3 connection behind a DataSource made by sqliteDataSource(). */
export function sqliteConnection(dataSource: DataSource): Database {
  const db = connections.get(dataSource);
  if (!db?.open) throw new Error('SQLite DataSource not opened through sqliteDataSource()');
  return db;
}
