import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * A fresh, empty database for one test file: a SQLite file in a temporary folder, or, when
 * TEST_DATABASE_URL names a PostgreSQL server, a new database on it that is dropped afterwards.
 */
export interface TestDatabase {
  url: string;
  kind: 'sqlite' | 'postgres';
  /** A temporary folder for this database's uploaded files. */
  uploadsDir: string;
  drop(): Promise<void>;
}

export function testDatabaseKind(): 'sqlite' | 'postgres' {
  return process.env.TEST_DATABASE_URL?.startsWith('postgres') ? 'postgres' : 'sqlite';
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  const dir = mkdtempSync(join(tmpdir(), 'insieme-test-'));
  const uploadsDir = join(dir, 'uploads');
  const removeDir = async () => rmSync(dir, { recursive: true, force: true });
  if (adminUrl?.startsWith('postgres')) {
    const name = `insieme_test_${randomBytes(6).toString('hex')}`;
    await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      kind: 'postgres',
      uploadsDir,
      drop: async () => {
        await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
        await removeDir();
      },
    };
  }
  return { url: `sqlite:${join(dir, 'insieme.sqlite')}`, kind: 'sqlite', uploadsDir, drop: removeDir };
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
