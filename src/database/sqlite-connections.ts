import type { Database } from 'better-sqlite3';
import { DataSource, DataSourceOptions } from 'typeorm';
import { canonicalNow, SQLITE_NOW } from './instants';

export type SqliteDataSourceOptions = Extract<DataSourceOptions, { type: 'better-sqlite3' }>;

const connections = new WeakMap<DataSource, Database>();

/**
 * A SQLite DataSource whose better-sqlite3 connection src/database holds. TypeORM hands the connection
 * it opens to `prepareDatabase` (its documented hook) and keeps it private otherwise; the write queue
 * (transaction state) and the plain SQL helpers (prepared statements) need it, so it is kept here.
 *
 * Every instant it writes is in the one canonical format (src/database/instants.ts): TypeORM's create
 * and update dates default to SQLITE_NOW instead of `datetime('now')` (no fraction), and every
 * statement prepared on the connection (TypeORM's and ours; each text once, statements are cached)
 * has TypeORM's hard-coded `"updatedAt" = CURRENT_TIMESTAMP` made canonical.
 */
export function sqliteDataSource(options: SqliteDataSourceOptions): DataSource {
  const dataSource: DataSource = new DataSource({
    ...options,
    prepareDatabase: async (db: Database) => {
      await options.prepareDatabase?.(db);
      const prepare = db.prepare.bind(db) as (source: string) => ReturnType<Database['prepare']>;
      db.prepare = ((source: string) => prepare(canonicalNow(source))) as Database['prepare'];
      connections.set(dataSource, db);
    },
  });
  // Read when TypeORM builds its entity metadata (at initialize()), after this.
  dataSource.driver.mappedDataTypes.createDateDefault = SQLITE_NOW;
  dataSource.driver.mappedDataTypes.updateDateDefault = SQLITE_NOW;
  return dataSource;
}

/** Whether the DataSource was made by sqliteDataSource() and is open. */
export function hasSqliteConnection(dataSource: DataSource): boolean {
  return connections.get(dataSource)?.open === true;
}

/** The open better-sqlite3 connection behind a DataSource made by sqliteDataSource(). */
export function sqliteConnection(dataSource: DataSource): Database {
  const db = connections.get(dataSource);
  if (!db?.open) throw new Error('SQLite DataSource not opened through sqliteDataSource()');
  return db;
}
