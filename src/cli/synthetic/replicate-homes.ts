import { createHash } from 'node:crypto';
import { DataSource, QueryResult, QueryRunner } from 'typeorm';
import { LAST_NAMES } from './synthetic-names';
import { homeSlug } from './synthetic-home';

/** A home written by the generator, whose rows the copies are made of. */
export interface TemplateHome {
  id: string;
  number: number;
}

export interface ReplicaOptions {
  /** The tables the generator writes, parents first (every one has "homeId" but "user"). */
  tables: string[];
  templates: TemplateHome[];
  /** Numbers of the homes to make, each a copy of templates[i % templates.length]. */
  numbers: number[];
  seed: number;
  /** Connections writing copies at once (2: one per core). */
  workers?: number;
  /** Copies one statement writes, per table. */
  batch?: number;
  /** Called after each batch of copies is committed, and once the indexes are built again. */
  onProgress?: (event: { copies: number; total: number; stage: 'copies' | 'indexes' }) => void;
}

export interface ReplicaResult {
  homes: { id: string; number: number; template: string }[];
  /** Rows written (copies only). */
  rows: number;
}

interface Copy {
  number: number;
  template: TemplateHome;
  /** The last group of the copy's ids (12 hex digits), its own. */
  suffix: string;
  homeId: string;
  /** Places the copy's people's surnames move along LAST_NAMES. */
  shift: number;
}

/** Columns of the generator's tables that hold lists of ids as JSON text (simple-json). */
const ID_LISTS: Record<string, string[]> = {
  plan_goal: ['activityTypeIds'],
  plan_review: ['familyMemberIds', 'staffMemberIds'],
  activity_tally: ['reached'],
};
/**
 * In a staged list each id's own last group is replaced by this mark (a list of UUIDs as JSON holds
 * only hex digits, dashes, quotes, commas and brackets), so a copy's list is one replace() of the
 * mark by the copy's suffix: the same text as the template's, with the copy's ids. (Parsing each
 * list as JSON and building it again took a tenth of the copying's time, most of it the summary
 * table's lists of residents reached.)
 */
const ID_END = '~';
/** Columns holding a surname, and the user's display name, whose last word is one. */
const SURNAMES = ['lastName'];

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The copy's id for a template's id: the same first 20 hex digits (version and variant included, so
 * it is still a version-4 UUID) and the copy's own last group. Within a template ids are unique in
 * those 20 digits, so each copy's ids are as unique as the template's, and a foreign key maps to the
 * same copy's row by the same rule; the rebuilt primary keys would refuse a clash.
 */
export function copyId(id: string, suffix: string): string {
  return id.slice(0, 24) + suffix;
}

/**
 * The PostgreSQL fast path for many synthetic homes: the generator writes a few homes (the
 * templates), and the server copies their rows into the other homes with INSERT … SELECT, each id
 * and every reference to one mapped by copyId(), emails moved to the copy's slug, surnames rotated
 * so homes differ. During the load the copied tables' indexes that no foreign key needs are dropped
 * and built again after, and the foreign keys' triggers are off (session_replication_role, when the
 * user may: the rows are consistent by construction and a test checks every key); then ANALYZE.
 */
export async function replicateHomes(dataSource: DataSource, options: ReplicaOptions): Promise<ReplicaResult> {
  const { tables, templates, numbers, seed } = options;
  const workers = Math.max(1, options.workers ?? 2);
  const batch = Math.max(1, options.batch ?? 10);
  const copies: Copy[] = numbers.map((number, i) => {
    const template = templates[i % templates.length];
    const suffix = createHash('md5').update(`synthetic:${seed}:${number}`).digest('hex').slice(0, 12);
    return { number, template, suffix, homeId: copyId(template.id, suffix), shift: 1 + (parseInt(suffix.slice(0, 6), 16) % (LAST_NAMES.length - 1)) };
  });
  if (new Set(copies.map((c) => c.suffix)).size !== copies.length) throw new Error('Two copies drew the same id suffix; choose another seed');
  const existing: { slug: string }[] = await dataSource.query('SELECT slug FROM home WHERE slug = ANY($1)', [copies.map((c) => homeSlug(c.number))]);
  if (existing.length > 0) throw new Error(`Home ${existing[0].slug} already exists`);

  const columns = await tableColumns(dataSource, tables);
  const superuser = ((await dataSource.query('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')) as { rolsuper: boolean }[])[0]?.rolsuper === true;
  const statements = tables.map((table) => copyStatement(table, columns.get(table)!));
  const indexes = await droppableIndexes(dataSource, tables);
  const result: ReplicaResult = { homes: copies.map((c) => ({ id: c.homeId, number: c.number, template: c.template.id })), rows: 0 };

  const runners: QueryRunner[] = [];
  try {
    for (let w = 0; w < workers; w += 1) {
      const runner = dataSource.createQueryRunner();
      runners.push(runner);
      await runner.connect();
      await stageTemplates(runner, tables, columns, templates);
      if (superuser) await runner.query("SET session_replication_role = 'replica'");
    }
    await dropIndexes(dataSource, indexes);
    let next = 0;
    let done = 0;
    let failed = false;
    // Each connection takes the next batch until none is left; one failing stops the others after their batch.
    const outcomes = await Promise.allSettled(runners.map(async (runner) => {
      while (next < copies.length && !failed) {
        const part = copies.slice(next, next + batch);
        next += part.length;
        try {
          const written = await writeCopies(runner, statements, part);
          result.rows += written;
        } catch (error) {
          failed = true;
          throw error;
        }
        done += part.length;
        options.onProgress?.({ copies: done, total: copies.length, stage: 'copies' });
      }
    }));
    const loadError = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')?.reason as Error | undefined;
    // Built again even after a failed load, so the database is left with its indexes.
    try {
      await buildIndexes(runners, indexes);
    } catch (error) {
      throw loadError ?? error;
    }
    if (loadError) throw loadError;
    options.onProgress?.({ copies: copies.length, total: copies.length, stage: 'indexes' });
    await dataSource.query(`ANALYZE ${tables.map(quote).join(', ')}`);
  } finally {
    for (const runner of runners) await runner.release();
  }
  return result;
}

type Columns = { name: string; type: string; serial: boolean }[];

async function tableColumns(dataSource: DataSource, tables: string[]): Promise<Map<string, Columns>> {
  const rows: { table: string; name: string; type: string; serial: boolean }[] = await dataSource.query(
    `SELECT table_name AS "table", column_name AS name, data_type AS type, coalesce(column_default LIKE 'nextval(%', false) AS serial
       FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ANY($1) ORDER BY table_name, ordinal_position`,
    [tables],
  );
  const map = new Map<string, Columns>(tables.map((t) => [t, []]));
  for (const row of rows) map.get(row.table)!.push(row);
  return map;
}

/**
 * Each template's rows of each table, in a temporary table of the connection with the template's home
 * beside them; an id column holds the id's first 24 characters as text, so that each copy only
 * appends its suffix (turning a UUID into text and back is most of the copying's work), and a list
 * of ids holds them without their last group (ID_END).
 */
async function stageTemplates(runner: QueryRunner, tables: string[], columns: Map<string, Columns>, templates: TemplateHome[]): Promise<void> {
  for (const table of tables) {
    const home = table === 'user' ? 'm."homeId"' : `t.${table === 'home' ? 'id' : '"homeId"'}`;
    const values = columns.get(table)!.map((c) => {
      const value = `t.${quote(c.name)}`;
      if (c.type === 'uuid') return `left(${value}::text, 24) AS ${quote(c.name)}`;
      if (ID_LISTS[table]?.includes(c.name)) return `regexp_replace(${value}, '[0-9a-fA-F]{12}"', '${ID_END}', 'g') AS ${quote(c.name)}`;
      return value;
    });
    const from = table === 'user' ? '"user" t JOIN membership m ON m."userId" = t.id' : `${quote(table)} t`;
    await runner.query(`CREATE TEMPORARY TABLE ${quote(`tpl_${table}`)} AS SELECT ${values.join(', ')}, ${home} AS tpl_home FROM ${from} WHERE ${home} = ANY($1)`, [
      templates.map((t) => t.id),
    ]);
  }
  await runner.query('CREATE TEMPORARY TABLE synthetic_copy (n integer, template uuid, tpl_slug text, home uuid, suffix text, slug text, shift integer)');
}

/** One INSERT … SELECT per table, copying every staged template row into each home of synthetic_copy. */
function copyStatement(table: string, columns: Columns): string {
  const names: string[] = [];
  const values: string[] = [];
  for (const column of columns) {
    if (column.serial) continue;
    names.push(quote(column.name));
    values.push(copyValue(table, column));
  }
  // A history's increasing key is given in the template's order.
  const order = columns.some((c) => c.serial) ? ' ORDER BY c.n, t.id' : '';
  return `INSERT INTO ${quote(table)} (${names.join(', ')}) SELECT ${values.join(', ')} FROM ${quote(`tpl_${table}`)} t JOIN synthetic_copy c ON c.template = t.tpl_home${order}`;
}

function copyValue(table: string, column: Columns[number]): string {
  const t = `t.${quote(column.name)}`;
  // $1 is LAST_NAMES: a surname moves `shift` places along it; others stay.
  const surname = (word: string) => `coalesce(($1::text[])[1 + (array_position($1::text[], ${word}) - 1 + c.shift) % cardinality($1::text[])], ${word})`;
  if (column.type === 'uuid') return column.name === 'homeId' || (table === 'home' && column.name === 'id') ? 'c.home' : `(${t} || c.suffix)::uuid`;
  if (ID_LISTS[table]?.includes(column.name)) return `replace(${t}, '${ID_END}', c.suffix || '"')`;
  if (column.name === 'email') return `replace(${t}, '@' || c.tpl_slug || '.', '@' || c.slug || '.')`;
  if (table === 'home' && column.name === 'slug') return 'c.slug';
  if (table === 'home' && column.name === 'name') return `regexp_replace(${t}, '\\d+$', c.n::text)`;
  if (SURNAMES.includes(column.name)) return surname(t);
  if (table === 'user' && column.name === 'displayName') return `regexp_replace(${t}, '\\S+$', ${surname(`substring(${t} from '\\S+$')`)})`;
  return t;
}

async function writeCopies(runner: QueryRunner, statements: string[], part: Copy[]): Promise<number> {
  let rows = 0;
  await runner.startTransaction();
  try {
    await runner.query('TRUNCATE synthetic_copy');
    await runner.query(
      `INSERT INTO synthetic_copy SELECT * FROM unnest($1::integer[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::integer[])`,
      [
        part.map((c) => c.number), part.map((c) => c.template.id), part.map((c) => homeSlug(c.template.number)), part.map((c) => c.homeId),
        part.map((c) => c.suffix), part.map((c) => homeSlug(c.number)), part.map((c) => c.shift),
      ],
    );
    await runner.query('ANALYZE synthetic_copy');
    for (const sql of statements) {
      const usesNames = sql.includes('$1');
      const written = (await runner.query(sql, usesNames ? [LAST_NAMES] : [], true)) as QueryResult;
      rows += written.affected ?? 0;
    }
    await runner.commitTransaction();
  } catch (error) {
    await runner.rollbackTransaction();
    throw error;
  }
  return rows;
}

interface DroppableIndex {
  table: string;
  name: string;
  definition: string;
  /** PRIMARY KEY or UNIQUE when the index backs a constraint. */
  constraint: string | null;
  bytes: number;
}

/** The tables' indexes that no foreign key relies on (a primary key that nothing references, unique and plain indexes). */
async function droppableIndexes(dataSource: DataSource, tables: string[]): Promise<DroppableIndex[]> {
  return dataSource.query(
    `SELECT c.relname AS "table", ic.relname AS name, pg_get_indexdef(i.indexrelid) AS definition,
            CASE con.contype WHEN 'p' THEN 'PRIMARY KEY' WHEN 'u' THEN 'UNIQUE' END AS constraint, pg_relation_size(i.indrelid) AS bytes
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_class ic ON ic.oid = i.indexrelid
       LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u')
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid)`,
    [tables],
  );
}

async function dropIndexes(dataSource: DataSource, indexes: DroppableIndex[]): Promise<void> {
  await dataSource.transaction(async (m) => {
    for (const index of indexes) {
      await m.query(index.constraint ? `ALTER TABLE ${quote(index.table)} DROP CONSTRAINT ${quote(index.name)}` : `DROP INDEX ${quote(index.name)}`);
    }
  });
}

/**
 * Builds the indexes again, the biggest tables' first, on every connection at once; then each
 * constraint takes its index back (ALTER TABLE locks the table, so it waits for all the builds).
 */
async function buildIndexes(runners: QueryRunner[], indexes: DroppableIndex[]): Promise<void> {
  const queue = [...indexes].sort((a, b) => Number(b.bytes) - Number(a.bytes));
  await Promise.all(runners.map(async (runner) => {
    await runner.query("SET maintenance_work_mem = '1GB'");
    for (let index = queue.shift(); index; index = queue.shift()) await runner.query(index.definition);
  }));
  for (const index of indexes.filter((i) => i.constraint)) {
    await runners[0].query(`ALTER TABLE ${quote(index.table)} ADD CONSTRAINT ${quote(index.name)} ${index.constraint} USING INDEX ${quote(index.name)}`);
  }
}
