import 'reflect-metadata';
import { AuditService } from '../audit/audit.service';
import { createDataSource, runMigrations } from '../database/data-source';
import { UnitOfWork } from '../database/unit-of-work';
import { COMMANDS } from './cli-options';
import { commandLineOrExit, loadConfigOrExit, usageError } from './cli-support';

/** `npm run migrate` applies pending migrations; `npm run migrate:revert` undoes the last one. */
async function main(): Promise<void> {
  const { positionals } = commandLineOrExit(COMMANDS.migrate);
  const [direction, ...rest] = positionals;
  if (rest.length > 0) usageError(`Unexpected argument "${rest[0]}"`, COMMANDS.migrate.usage);
  if (direction !== 'up' && direction !== 'down') usageError(direction === undefined ? 'Say up or down' : `Unexpected argument "${direction}"`, COMMANDS.migrate.usage);
  const config = loadConfigOrExit();
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    if (direction === 'up') {
      const applied = await runMigrations(dataSource);
      console.log(applied.length ? applied.map((m) => `applied ${m.name}`).join('\n') : 'Database is up to date');
      // A chain written before AUDIT_KEY is verified and re-keyed here, as on the app's start.
      const rekey = await new AuditService(new UnitOfWork({ reader: dataSource, writer: dataSource }), config).rekeyLegacyChain();
      if (rekey === 'rekeyed') console.log('Audit chain verified and re-keyed with AUDIT_KEY');
      if (rekey === 'broken' || rekey === 'refused') console.error('AUDIT CHAIN NOT RE-KEYED: it does not verify (see above); it is left as it is');
    } else {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('Reverted the last migration');
    }
  } finally {
    await dataSource.destroy();
  }
}

void main();
