import 'reflect-metadata';
import { createDataSource, runMigrations } from '../database/data-source';
import { fail, loadConfigOrExit } from './cli-support';

/** `npm run migrate` applies pending migrations; `npm run migrate:revert` undoes the last one. */
async function main(): Promise<void> {
  const direction = process.argv[2];
  if (direction !== 'up' && direction !== 'down') fail('Usage: migrate up|down');
  const dataSource = createDataSource(loadConfigOrExit());
  await dataSource.initialize();
  try {
    if (direction === 'up') {
      const applied = await runMigrations(dataSource);
      console.log(applied.length ? applied.map((m) => `applied ${m.name}`).join('\n') : 'Database is up to date');
    } else {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('Reverted the last migration');
    }
  } finally {
    await dataSource.destroy();
  }
}

void main();
