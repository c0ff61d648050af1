/**
 * One stored format for every instant on SQLite (issue 18, item 1). SQLite has no date-time type: an
 * instant is text, compared as text, so two spellings of the same moment sort apart
 * ("2026-06-30 22:00:00" < "2026-06-30 22:00:00.000") and a record at exactly a quarter's first
 * instant fell into the quarter before. Every timestamp column therefore holds UTC text
 * "YYYY-MM-DD HH:MM:SS.SSS", the format TypeORM writes for a Date (and sqliteDateTime() for plain SQL):
 * - the migrations' default is SQLITE_NOW, not CURRENT_TIMESTAMP (which has no fraction);
 * - TypeORM's create and update dates use it too (sqliteDataSource(), src/database/sqlite-connections.ts);
 * - TypeORM's UPDATE sets `"updatedAt" = CURRENT_TIMESTAMP`, hard-coded: canonicalNow() rewrites it.
 * PostgreSQL stores timestamptz, compared as instants, and needs none of this.
 */

/** SQLite's now in the canonical format (UTC, milliseconds). */
export const SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f','now')";

/** A stored instant in the canonical format. */
export const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;

/** The same test in SQL (GLOB), for checking what a table holds. */
export const CANONICAL_INSTANT_GLOB = '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]';

/** The canonical spelling of a stored instant column or value, in SQLite SQL. */
export function sqliteCanonical(expression: string): string {
  return `strftime('%Y-%m-%d %H:%M:%f', ${expression})`;
}

/** `= CURRENT_TIMESTAMP` as TypeORM's update and soft-delete builders write it (no other form is rewritten). */
const ASSIGNED_NOW = /= CURRENT_TIMESTAMP\b/g;

/**
 * A statement with `= CURRENT_TIMESTAMP` (an assignment in SET, or a comparison) made to use
 * SQLITE_NOW, so the value written or compared is canonical. A column's DEFAULT is left alone: the
 * migrations say what it is, and a test checks it.
 */
export function canonicalNow(sql: string): string {
  return sql.includes('CURRENT_TIMESTAMP') ? sql.replace(ASSIGNED_NOW, `= ${SQLITE_NOW}`) : sql;
}
