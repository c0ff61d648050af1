import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { AuditService } from '../audit/audit.service';
import { createDataSource } from '../database/data-source';
import { UnitOfWork } from '../database/unit-of-work';
import { configForDatabase, fail, parseArgs } from './cli-support';

const USAGE = 'Usage: npm run audit:verify [-- --database URL]';

/**
 * `npm run audit:verify`: walks the audit hash chain (AuditService.verifyChain) and prints "ok" with
 * the number of entries, or names the first entry that was changed, removed or inserted, and exits 1.
 * It only reads: no migration runs and nothing is written.
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  for (const name of args.keys()) if (name !== 'database') fail(`Unknown option --${name}\n${USAGE}`);
  const config = configForDatabase(args, USAGE);
  if (config.database.kind === 'sqlite' && !existsSync(config.database.path)) fail(`There is no SQLite database at ${config.database.path}`);
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    const runner = dataSource.createQueryRunner();
    const migrated = await runner.hasTable('audit_head').finally(() => runner.release());
    if (!migrated) fail('This database has no audit chain yet: start the app or run `npm run migrate` first.');
    const check = await new AuditService(new UnitOfWork({ reader: dataSource, writer: dataSource })).verifyChain();
    if (check.ok) {
      console.log(`Audit chain ok: ${check.entries} entries`);
      return;
    }
    const broken = check.firstBroken!;
    if (broken.id === 'head') {
      fail(`Audit chain broken after entry ${check.entries}: the recorded end of the chain does not match its last entry (entries removed from the end?)`);
    }
    fail(
      `Audit chain broken at entry ${broken.seq} (id ${broken.id}, ${broken.at ? broken.at.toISOString() : 'unreadable time'}, action ${broken.action}): ` +
        `it was changed, or an entry before it was removed or inserted. The ${check.entries} entries before it are intact.`,
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => fail(`The audit chain could not be read: ${error instanceof Error ? error.message : String(error)}`));
