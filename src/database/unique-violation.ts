/**
 * A unique index or primary key refused a row: PostgreSQL's 23505, SQLite's SQLITE_CONSTRAINT_UNIQUE
 * or SQLITE_CONSTRAINT_PRIMARYKEY. Callers turn it into a ConflictError, or retry a race they expect.
 * Reads the driver's code (on TypeORM's QueryFailedError, or on the driver's own error), never the
 * message, which differs by engine and language.
 */
export function isUniqueViolation(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: unknown } } | null)?.driverError;
  const code = driverError?.code ?? (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
