import type { ParseArgsConfig } from 'node:util';

/** The options part of node:util parseArgs's configuration. */
export type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** A command's usage line and the options it declares; anything else on its command line is an error. */
export interface CommandSpec<O extends ParseArgsOptionsConfig = ParseArgsOptionsConfig> {
  usage: string;
  options: O;
  /** Words that are not options (`migrate up`); none unless said. */
  positionals?: boolean;
}

const text = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;

/** Every command's declared options (`node:util` parseArgs, strict), in one place so they can be tested. */
export const COMMANDS = {
  report: {
    usage: 'Usage: npm run report -- --home SLUG --quarter 2026-Q3 --out FILE.pdf [--locale it|en] [--without-names]',
    options: { home: text, quarter: text, out: text, locale: text, 'without-names': flag },
  },
  backup: {
    usage: 'Usage: npm run backup -- --out FILE [--database URL] [--force]',
    options: { out: text, database: text, force: flag },
  },
  auditVerify: {
    usage: 'Usage: npm run audit:verify [-- --database URL]',
    options: { database: text },
  },
  talliesRebuild: {
    usage: 'Usage: npm run tallies:rebuild [-- --home SLUG] [--database URL]',
    options: { home: text, database: text },
  },
  userCreate: {
    usage: 'Usage: npm run user:create -- --email E --role R --home SLUG [--name "Full Name"] --password-stdin',
    options: { email: text, role: text, home: text, name: text, 'password-stdin': flag },
  },
  seedSynthetic: {
    usage: 'Usage: npm run seed:synthetic -- --homes H --residents N --days D [--seed S] [--first-home K] [--database URL]',
    options: { homes: text, residents: text, days: text, seed: text, 'first-home': text, database: text },
  },
  crashTest: {
    usage: 'Usage: npm run test:crash [-- --postgres postgres://user@host:port/db]',
    options: { postgres: text },
  },
  bench: {
    usage: 'Usage: npm run bench (settings from the environment: BENCH_SECONDS, BENCH_POSTGRES_URL, BENCH_PG_HOMES)',
    options: {},
  },
  migrate: {
    usage: 'Usage: node dist/src/cli/migrate.js up|down (npm run migrate, npm run migrate:revert)',
    options: {},
    positionals: true,
  },
} as const satisfies Record<string, CommandSpec>;
