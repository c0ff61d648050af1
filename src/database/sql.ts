import type { Database, Statement } from 'better-sqlite3';
import { EntityManager, QueryFailedError } from 'typeorm';
import { hasSqliteConnection, sqliteConnection } from './sqlite-connections';

/**
 * Hand-written SQL for the few statements every request runs (the session, the signed-in user, the
 * tablet's log), where building queries and entities with TypeORM would cost more than the database
 * work. Write `?` for each parameter and quote camelCase columns ("activityId"); the text must be
 * portable SQL that SQLite and PostgreSQL both accept. Runs on the manager given: inside its
 * transaction when it has one; a manager outside a unit of work reads (on SQLite, the read-only
 * connection, which sees committed rows only).
 */
export async function sqlRows<T>(manager: EntityManager, text: string, params: readonly unknown[] = []): Promise<T[]> {
  if (manager.connection.options.type === 'postgres') {
    return (await manager.query(numbered(text), params.map((p) => toParameter(p, true)))) as T[];
  }
  // A DataSource made without sqliteDataSource() (a migration run by another tool): through TypeORM.
  if (!hasSqliteConnection(manager.connection)) return (await manager.query(text, sqliteParameters(params))) as T[];
  return sqliteRows<T>(manager, text, sqliteParameters(params));
}

/** The first row, or undefined. */
export async function sqlRow<T>(manager: EntityManager, text: string, params: readonly unknown[] = []): Promise<T | undefined> {
  return (await sqlRows<T>(manager, text, params))[0];
}

/** A statement whose result is not needed (INSERT, UPDATE, DELETE). */
export async function sqlRun(manager: EntityManager, text: string, params: readonly unknown[] = []): Promise<void> {
  await sqlRows(manager, text, params);
}

/**
 * A date-time column as read back: PostgreSQL gives a Date, SQLite the UTC text TypeORM wrote
 * ("2026-11-28 09:30:00.000").
 */
export function asDate(value: Date | string): Date {
  if (value instanceof Date) return value;
  return new Date(`${value.replace(' ', 'T')}${/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? '' : 'Z'}`);
}

/** A date-time as TypeORM writes it to SQLite: UTC, "2026-11-28 09:30:00.000", so both compare alike. */
export function sqliteDateTime(value: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return (
    `${pad(value.getUTCFullYear(), 4)}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())} ` +
    `${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}.${pad(value.getUTCMilliseconds(), 3)}`
  );
}

/** A count as read back (PostgreSQL's COUNT is a bigint, which node-postgres gives as text). */
export function asNumber(value: number | string | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** Text matched literally by LIKE … ESCAPE '\\': its %, _ and \\ escaped. */
export function likeEscaped(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** "?, ?, ?" for a list of n values. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** Parameters as better-sqlite3 binds them: dates as TypeORM writes them, booleans as 1 and 0. */
export function sqliteParameters(params: readonly unknown[]): unknown[] {
  return params.map((p) => toParameter(p, false));
}

function toParameter(value: unknown, postgres: boolean): unknown {
  if (value instanceof Date) return postgres ? value : sqliteDateTime(value);
  if (value === undefined) return null;
  // better-sqlite3 binds no booleans; TypeORM writes them as 1 and 0.
  if (typeof value === 'boolean' && !postgres) return value ? 1 : 0;
  return value;
}

interface Prepared {
  statement: Statement;
  /** Column names of a statement that returns rows, or null for one that does not. */
  columns: string[] | null;
}

const prepared = new WeakMap<Database, Map<string, Prepared>>();

/**
 * The statement runs on the manager's DataSource's own connection (the writer for a transaction's
 * manager, the reader otherwise) directly, prepared once, its rows read as arrays and made into objects here, which costs less
 * than better-sqlite3 building each row and TypeORM's query runner around every call. Statements and
 * failures go to the DataSource's logger, and failures are TypeORM's QueryFailedError, as through TypeORM.
 */
function sqliteRows<T>(manager: EntityManager, text: string, params: unknown[]): T[] {
  const { logger } = manager.connection;
  const db = sqliteConnection(manager.connection);
  // Through the DataSource's logger as TypeORM's own statements are (it prints only what is asked for).
  logger.logQuery(text, params);
  let statements = prepared.get(db);
  if (!statements) prepared.set(db, (statements = new Map()));
  try {
    let entry = statements.get(text);
    if (!entry) {
      const statement = db.prepare(text);
      entry = statement.reader ? { statement: statement.raw(true), columns: statement.columns().map((c) => c.name) } : { statement, columns: null };
      // Texts differ only by the length of IN lists: a bound that is never reached in practice.
      if (statements.size >= 2_000) statements.clear();
      statements.set(text, entry);
    }
    if (!entry.columns) {
      entry.statement.run(...params);
      return [];
    }
    const columns = entry.columns;
    return (entry.statement.all(...params) as unknown[][]).map((values) => {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i += 1) row[columns[i]] = values[i];
      return row as T;
    });
  } catch (error) {
    logger.logQueryError(error as Error, text, params);
    throw new QueryFailedError(text, params, error as Error);
  }
}

const numberedCache = new Map<string, string>();

/** `?` placeholders as PostgreSQL's `$1, $2, …` (our statements hold no literal question marks). */
function numbered(text: string): string {
  let converted = numberedCache.get(text);
  if (converted === undefined) {
    let n = 0;
    converted = text.replace(/\?/g, () => `$${(n += 1)}`);
    if (numberedCache.size < 5_000) numberedCache.set(text, converted);
  }
  return converted;
}
