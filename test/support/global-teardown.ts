import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { TEMPLATE_RUN, templateNames } from './test-template';

/** Jest's global tear-down: drops this run's template database (and one cut short while being made). */
export default async function globalTeardown(): Promise<void> {
  const run = process.env[TEMPLATE_RUN];
  if (!run) return;
  const names = templateNames(run);
  rmSync(names.sqliteDir, { recursive: true, force: true });
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl?.startsWith('postgres')) return;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${names.postgres}%`]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
