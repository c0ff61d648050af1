import 'reflect-metadata';
import { sqlRows } from '../database/sql';
import { rebuildTallies } from '../reports/tally/headline-tally';
import { COMMANDS } from './cli-options';
import { commandLineOrExit, fail, openExistingDatabase } from './cli-support';

/**
 * `npm run tallies:rebuild`: counts the group view's summary tables (activity_tally, resident_reach;
 * docs/groups.md) again from the records, for one home (`--home SLUG`) or every home, in one
 * transaction. The writers keep them current; this is for data written around the app (an import
 * straight into the tables) or a check after an incident. No migration runs.
 */
async function main(): Promise<void> {
  const { values } = commandLineOrExit(COMMANDS.talliesRebuild);
  const { dataSource } = await openExistingDatabase(values.database, 'activity_tally', 'This database has no summary tables yet: start the app or run `npm run migrate` first.');
  try {
    let homeIds: string[] | null = null;
    if (values.home !== undefined) {
      const home = (await sqlRows<{ id: string }>(dataSource.manager, 'SELECT id FROM home WHERE slug = ?', [values.home]))[0];
      if (!home) fail(`There is no home with the slug ${values.home}`);
      homeIds = [home.id];
    }
    const started = Date.now();
    const counted = await dataSource.transaction((m) => rebuildTallies(m, homeIds));
    console.log(`Summary tables rebuilt: ${counted.homes} home(s), ${counted.activities} held activities, ${counted.reach} residents reached by quarter, in ${Date.now() - started} ms`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => fail(`The summary tables could not be rebuilt: ${error instanceof Error ? error.message : String(error)}`));
