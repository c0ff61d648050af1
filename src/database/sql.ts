import { EntityManager } from 'typeorm';
import { DateUtils } from 'typeorm/util/DateUtils';

/**
 * Hand-written SQL for the few statements every request runs (the session, the signed-in user, the
 * tablet's log), where building queries and entities with TypeORM would cost more than the database
 * work. Write `?` for each parameter and quote camelCase columns ("activityId"); the text must be
 * portable SQL that SQLite and PostgreSQL both accept. Runs on the manager given, so inside its
 * transaction when it has one.
 */
export async function sqlRows<T>(manager: EntityManager, text: string, params: readonly unknown[] = []): Promise<T[]> {
  const postgres = manager.connection.options.type === 'postgres';
  return (await manager.query(postgres ? numbered(text) : text, params.map((p) => toParameter(p, postgres)))) as T[];
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

/** A count as read back (PostgreSQL's COUNT is a bigint, which node-postgres gives as text). */
export function asNumber(value: number | string | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** "?, ?, ?" for a list of n values. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

function toParameter(value: unknown, postgres: boolean): unknown {
  if (value instanceof Date) return postgres ? value : DateUtils.mixedDateToUtcDatetimeString(value);
  if (value === undefined) return null;
  return value;
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
