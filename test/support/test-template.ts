import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Set by the e2e and browser projects' global set-up: names this test run's migrated template
 * database (test-database.ts). Jest's workers start after the set-up, with its environment.
 */
export const TEMPLATE_RUN = 'INSIEME_TEST_TEMPLATE_RUN';

/** The name of a run's template database on PostgreSQL, and its folder for SQLite. */
export function templateNames(run: string): { postgres: string; sqliteDir: string } {
  return { postgres: `insieme_template_${run}`, sqliteDir: join(tmpdir(), `insieme-test-template-${run}`) };
}
