import 'reflect-metadata';
import { AuditService, describeCheck } from '../audit/audit.service';
import { UnitOfWork } from '../database/unit-of-work';
import { COMMANDS } from './cli-options';
import { commandLineOrExit, fail, openExistingDatabase } from './cli-support';

/**
 * `npm run audit:verify`: walks the audit chain with AUDIT_KEY (AuditService.verifyChain) and checks
 * that the last head written to the heads file is still in it. Prints "ok" with the number of
 * entries and appends the verified head to the heads file, or names the first entry that was
 * changed, removed, inserted or recomputed without the key (or the written head that is gone) and
 * exits 1. Nothing is written to the database and no migration runs.
 */
async function main(): Promise<void> {
  const { values } = commandLineOrExit(COMMANDS.auditVerify);
  const { dataSource, config } = await openExistingDatabase(values.database, 'audit_head', 'This database has no audit chain yet: start the app or run `npm run migrate` first.');
  try {
    const audit = new AuditService(new UnitOfWork({ reader: dataSource, writer: dataSource }), config);
    const { check, head } = await audit.writeHead();
    if (check.ok) {
      console.log(`Audit chain ok: ${check.entries} entries${head ? ` (head entry ${head.seq} written to ${audit.headsFile})` : ''}`);
      return;
    }
    const hint = check.unkeyed ? ' If it was written before AUDIT_KEY was set, `npm run migrate` (or starting the app) verifies and re-keys it.' : '';
    fail(`Audit chain ${describeCheck(check)}.${hint}`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => fail(`The audit chain could not be read: ${error instanceof Error ? error.message : String(error)}`));
