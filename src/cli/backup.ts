import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { COMMANDS } from './cli-options';
import { commandLineOrExit, configForDatabase, fail, usageError } from './cli-support';

const { usage: USAGE } = COMMANDS.backup;
/** Pages per backup step: all of them, so the copy is one consistent read (WAL lets the app keep writing). */
const ALL_PAGES = 0x7fffffff;

/**
 * `npm run backup`: a consistent copy of the SQLite database while the app keeps running, made with
 * SQLite's online backup API (a plain file copy of a live WAL database can miss or tear the last
 * writes), checked with `PRAGMA integrity_check` before it is put at --out. An existing file is
 * replaced only with --force. For PostgreSQL it explains how to use pg_dump instead.
 */
async function main(): Promise<void> {
  const { values } = commandLineOrExit(COMMANDS.backup);
  const { out, database } = values;
  const force = values.force === true;
  if (out === undefined) usageError('--out FILE is required', USAGE);
  const config = configForDatabase(database);

  if (config.database.kind === 'postgres') {
    const url = new URL(config.database.url);
    if (url.password) url.password = '****';
    fail(
      'This is a PostgreSQL database: back it up with PostgreSQL\'s own tool, pg_dump, while the app runs:\n' +
        `  pg_dump --format=custom --file=${out} '${url.toString()}'\n` +
        'and restore it, with the app stopped, with:\n' +
        `  pg_restore --clean --if-exists --no-owner --dbname='${url.toString()}' ${out}`,
    );
  }

  const source = config.database.path;
  const target = resolve(out);
  if (!existsSync(source)) fail(`There is no SQLite database at ${source}`);
  if (target === source) fail('--out must not be the database itself');
  if (existsSync(target) && !force) fail(`${target} already exists: choose another name, or add --force to replace it`);
  if (!existsSync(dirname(target))) fail(`The folder ${dirname(target)} does not exist`);

  // Written beside the target and renamed into place, so --out never names a half-written copy.
  const partial = `${target}.partial-${process.pid}`;
  const started = Date.now();
  const db = new Database(source, { fileMustExist: true, timeout: 10_000 });
  try {
    await db.backup(partial, { progress: () => ALL_PAGES });
  } catch (error) {
    rmSync(partial, { force: true });
    fail(`The backup failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    db.close();
  }

  const copy = new Database(partial, { fileMustExist: true });
  let check: string;
  try {
    // One self-contained file (no -wal beside it); the app switches it back to WAL when it opens it.
    copy.pragma('journal_mode = DELETE');
    check = copy.pragma('integrity_check', { simple: true }) as string;
  } finally {
    copy.close();
  }
  if (check !== 'ok') {
    rmSync(partial, { force: true });
    fail(`The copy failed its integrity check (${check}); nothing was written to ${target}`);
  }
  renameSync(partial, target);
  const megabytes = (statSync(target).size / 2 ** 20).toFixed(1);
  console.log(`Backed up ${source} to ${target} (${megabytes} MB) in ${Date.now() - started} ms; integrity check ok`);
}

void main();
