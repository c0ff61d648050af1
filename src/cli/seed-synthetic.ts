import 'reflect-metadata';
import { loadConfig } from '../config/app-config';
import { createDataSource } from '../database/data-source';
import { fail, loadConfigOrExit, parseArgs } from './cli-support';
import { SYNTHETIC_PASSWORD, seedSynthetic } from './synthetic/seed-synthetic-data';
import { rowCounts, SYNTHETIC_ROLES, syntheticEmail } from './synthetic/synthetic-home';

const USAGE = 'Usage: npm run seed:synthetic -- --homes H --residents N --days D [--seed S] [--first-home K] [--database URL]';

function positive(args: Map<string, string | true>, name: string, fallback?: number): number {
  const raw = args.get(name);
  if (raw === undefined && fallback !== undefined) return fallback;
  const value = typeof raw === 'string' ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < 1) fail(`--${name} must be a whole number of at least 1\n${USAGE}`);
  return value;
}

/**
 * Fills a database with synthetic homes for benchmarks: `--homes` homes of `--residents` beds each,
 * with `--days` days of history and a week of planned programme. The same seed gives the same data
 * on the same day. Migrations run first, so an empty database (or a new SQLite file) is enough.
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const homes = positive(args, 'homes');
  const residents = positive(args, 'residents');
  const days = positive(args, 'days');
  const seed = positive(args, 'seed', 1);
  const firstHome = positive(args, 'first-home', 1);
  const database = args.get('database');
  if (database === true) fail(`--database needs a URL (sqlite:PATH or postgres://…)\n${USAGE}`);
  const config = database === undefined ? loadConfigOrExit() : loadConfig({ ...process.env, DATABASE_URL: database });

  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    const result = await seedSynthetic(dataSource, {
      homes, residents, days, seed, firstHome,
      onHome: (home, index, ms) => {
        const counts = rowCounts(home);
        console.log(
          `${home.home.slug}: ${counts.residents} residents, ${counts.activities} activities, ${counts.participation} participation, ` +
            `${counts.contributions} contributions (${(ms / 1000).toFixed(1)} s, ${index + 1}/${homes})`,
        );
      },
    });
    console.log(`Wrote ${result.homes.length} homes, ${result.rows} rows in ${(result.ms / 1000).toFixed(1)} s`);
    console.log(`Accounts (password "${SYNTHETIC_PASSWORD}"): ${SYNTHETIC_ROLES.map((role) => syntheticEmail(role, firstHome)).join(', ')}, … for each home`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
