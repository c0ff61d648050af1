import 'reflect-metadata';
import { loadConfig } from '../config/app-config';
import { createDataSource } from '../database/data-source';
import { COMMANDS } from './cli-options';
import { commandLineOrExit, fail, loadConfigOrExit, usageError } from './cli-support';
import { SYNTHETIC_PASSWORD, seedSynthetic } from './synthetic/seed-synthetic-data';
import { rowCounts, SYNTHETIC_ROLES, syntheticEmail } from './synthetic/synthetic-home';

const { usage: USAGE } = COMMANDS.seedSynthetic;
type Values = ReturnType<typeof commandLineOrExit<typeof COMMANDS.seedSynthetic.options>>['values'];

function positive(values: Values, name: Exclude<keyof Values, 'database'>, fallback?: number): number {
  const raw = values[name];
  if (raw === undefined && fallback !== undefined) return fallback;
  const value = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isInteger(value) || value < 1) usageError(`--${name} must be a whole number of at least 1`, USAGE);
  return value;
}

/**
 * Fills a database with synthetic homes for benchmarks: `--homes` homes of `--residents` beds each,
 * with `--days` days of history and a week of planned programme. The same seed gives the same data
 * on the same day. Migrations run first, so an empty database (or a new SQLite file) is enough.
 */
async function main(): Promise<void> {
  const { values } = commandLineOrExit(COMMANDS.seedSynthetic);
  const homes = positive(values, 'homes');
  const residents = positive(values, 'residents');
  const days = positive(values, 'days');
  const seed = positive(values, 'seed', 1);
  const firstHome = positive(values, 'first-home', 1);
  const { database } = values;
  const config = database === undefined ? loadConfigOrExit() : loadConfig({ ...process.env, DATABASE_URL: database });

  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    const started = Date.now();
    const result = await seedSynthetic(dataSource, {
      homes, residents, days, seed, firstHome,
      onHome: (home, index, ms) => {
        const counts = rowCounts(home);
        console.log(
          `${home.home.slug}: ${counts.residents} residents, ${counts.activities} activities, ${counts.participation} participation, ` +
            `${counts.contributions} contributions (${(ms / 1000).toFixed(1)} s, ${index + 1}/${homes})`,
        );
      },
      onCopies: ({ copies, total, stage }) => {
        const elapsed = `${((Date.now() - started) / 1000).toFixed(0)} s`;
        console.log(stage === 'copies' ? `copied into ${copies}/${total} more homes (${elapsed})` : `indexes built again (${elapsed})`);
      },
    });
    console.log(`Wrote ${result.homes.length} homes, ${result.rows} rows in ${(result.ms / 1000).toFixed(1)} s`);
    console.log(`Accounts (password "${SYNTHETIC_PASSWORD}"): ${SYNTHETIC_ROLES.map((role) => syntheticEmail(role, firstHome)).join(', ')}, … for each home`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
