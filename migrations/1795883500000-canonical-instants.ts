import { MigrationInterface, QueryRunner } from 'typeorm';
import { SQLITE_NOW, sqliteCanonical } from '../src/database/instants';

/** A column's default that writes SQLite's now without a fraction. */
const STALE_NOW = /^\(?\s*(CURRENT_TIMESTAMP|datetime\s*\(\s*'now'\s*\))\s*\)?$/i;
/** The same default as it is written in a CREATE TABLE statement. */
const STALE_NOW_IN_SQL = /DEFAULT\s*\(\s*(?:CURRENT_TIMESTAMP|datetime\s*\(\s*'now'\s*\))\s*\)|DEFAULT\s+CURRENT_TIMESTAMP\b/gi;
/** SQLite's declared types for an instant: TypeORM declares "datetime" for every Date column. */
const INSTANT_TYPE = /^(datetime|timestamp)/i;

interface ColumnInfo {
  name: string;
  type: string;
  dflt_value: string | null;
}

export interface InstantColumns {
  table: string;
  /** Every timestamp column of the table. */
  columns: string[];
  /** Those whose default writes now without a fraction. */
  staleDefaults: string[];
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Every timestamp column of every table, read from the schema the migrations made (nothing listed by hand). */
export async function sqliteInstantColumns(queryRunner: QueryRunner): Promise<InstantColumns[]> {
  const tables = (await queryRunner.query(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  )) as { name: string }[];
  const found: InstantColumns[] = [];
  for (const { name } of tables) {
    const info = (await queryRunner.query(`PRAGMA table_info(${quote(name)})`)) as ColumnInfo[];
    const instants = info.filter((c) => INSTANT_TYPE.test(c.type));
    if (instants.length === 0) continue;
    found.push({
      table: name,
      columns: instants.map((c) => c.name),
      staleDefaults: instants.filter((c) => c.dflt_value !== null && STALE_NOW.test(c.dflt_value)).map((c) => c.name),
    });
  }
  return found;
}

/**
 * Rebuilds a SQLite table with its CREATE TABLE statement changed by `change` (SQLite cannot alter a
 * column's default), keeping its rows, indexes and triggers: the rebuild SQLite documents, as TypeORM
 * does it for addColumn, but from the stored statement itself, so nothing else about the table changes.
 * Foreign keys must be off (a DROP TABLE would otherwise delete, or cascade to, the rows that refer to
 * it): runMigrations switches them off before its transaction; a call with them on is refused.
 */
export async function rebuildSqliteTable(queryRunner: QueryRunner, table: string, change: (createSql: string) => string): Promise<void> {
  const [{ foreign_keys: foreignKeys }] = (await queryRunner.query('PRAGMA foreign_keys')) as { foreign_keys: number }[];
  if (foreignKeys !== 0) throw new Error(`Refusing to rebuild ${table} with foreign keys on: its DROP would delete the rows that refer to it`);
  const [created] = (await queryRunner.query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table])) as { sql: string }[];
  const dependents = (await queryRunner.query(
    "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name",
    [table],
  )) as { sql: string }[];
  const columns = ((await queryRunner.query(`PRAGMA table_info(${quote(table)})`)) as ColumnInfo[]).map((c) => quote(c.name)).join(', ');
  const temporary = `temporary_${table}`;
  const header = /^CREATE TABLE\s+(?:"(?:[^"]|"")+"|`[^`]+`|\[[^\]]+\]|[^\s(]+)/i;
  if (!header.test(created.sql)) throw new Error(`Cannot read the CREATE TABLE statement of ${table}`);
  const changed = change(created.sql).replace(header, `CREATE TABLE ${quote(temporary)}`);
  await queryRunner.query(changed);
  await queryRunner.query(`INSERT INTO ${quote(temporary)} (${columns}) SELECT ${columns} FROM ${quote(table)}`);
  await queryRunner.query(`DROP TABLE ${quote(table)}`);
  await queryRunner.query(`ALTER TABLE ${quote(temporary)} RENAME TO ${quote(table)}`);
  for (const { sql } of dependents) await queryRunner.query(sql);
}

/** `DEFAULT (CURRENT_TIMESTAMP)` (or datetime('now')) as `DEFAULT (strftime(...))` in a CREATE TABLE statement. */
export function withCanonicalDefaults(createSql: string): string {
  return createSql.replace(STALE_NOW_IN_SQL, `DEFAULT (${SQLITE_NOW})`);
}

/**
 * Issue 18, item 1: one stored format for every instant on SQLite, "YYYY-MM-DD HH:MM:SS.SSS" in UTC
 * (src/database/instants.ts). Until now a row whose createdAt or updatedAt the database or TypeORM
 * filled in was stored without a fraction ("… 22:00:00"), while the report binds its bounds with one
 * ("… 22:00:00.000"); SQLite compares the two as text, so a record at a quarter's first instant was
 * counted in the quarter before.
 *
 * On SQLite every timestamp column of every table (found in the schema, whatever migration made it)
 * gets SQLITE_NOW as its default where it had CURRENT_TIMESTAMP (each such table is rebuilt), and
 * every stored value that is not canonical is rewritten to it (the same instant: only the spelling
 * changes). Values SQLite cannot read as a date-time are left as they are. PostgreSQL stores
 * timestamptz and compares instants: nothing to do there.
 *
 * down() leaves the format and the defaults as they are: the code before this migration reads and
 * writes them alike, and TypeORM reverts inside a transaction begun before it can switch foreign
 * keys off, where rebuilding the tables again would delete the rows that refer to them.
 */
export class CanonicalInstants1795883500000 implements MigrationInterface {
  name = 'CanonicalInstants1795883500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'better-sqlite3') return;
    for (const { table, columns, staleDefaults } of await sqliteInstantColumns(queryRunner)) {
      if (staleDefaults.length > 0) await rebuildSqliteTable(queryRunner, table, withCanonicalDefaults);
      for (const column of columns) {
        const canonical = sqliteCanonical(quote(column));
        await queryRunner.query(
          `UPDATE ${quote(table)} SET ${quote(column)} = ${canonical} WHERE typeof(${quote(column)}) = 'text' AND ${canonical} IS NOT NULL AND ${quote(column)} <> ${canonical}`,
        );
      }
    }
    const left = (await sqliteInstantColumns(queryRunner)).filter((t) => t.staleDefaults.length > 0);
    if (left.length > 0) throw new Error(`Defaults without a fraction are left in ${left.map((t) => `${t.table} (${t.staleDefaults.join(', ')})`).join(', ')}`);
  }

  async down(): Promise<void> {
    // Nothing to undo: see above.
  }
}
