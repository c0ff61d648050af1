import type { INestApplicationContext } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { AppConfig, ConfigError, loadConfig } from '../config/app-config';
import type { CommandSpec, ParseArgsOptionsConfig } from './cli-options';

/** The app's own modules without the HTTP server; the demo is never seeded from a command. */
export async function createCliContext(): Promise<{ app: INestApplicationContext; config: AppConfig }> {
  const config = { ...loadConfigOrExit(), seedDemo: false };
  // Loaded here rather than at the top, so commands that need only the database start in a fraction of the time.
  const [{ NestFactory }, { AppModule }] = await Promise.all([import('@nestjs/core'), import('../app.module')]);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error', 'warn'] });
  return { app, config };
}

export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

/** The configuration for the database that `--database URL` names, else the one DATABASE_URL names. */
export function configForDatabase(database: string | undefined): AppConfig {
  return loadConfigOrExit(database === undefined ? process.env : { ...process.env, DATABASE_URL: database });
}

/**
 * The database `--database URL` (else DATABASE_URL) names, opened as it is: no migration runs. Exits
 * with a message when a SQLite file is not there, or when `table` is missing (`unmigrated` says what
 * to do). The caller destroys the DataSource.
 */
export async function openExistingDatabase(database: string | undefined, table: string, unmigrated: string): Promise<{ dataSource: DataSource; config: AppConfig }> {
  const config = configForDatabase(database);
  if (config.database.kind === 'sqlite' && !existsSync(config.database.path)) fail(`There is no SQLite database at ${config.database.path}`);
  // Loaded here, as createCliContext loads the app: a usage error answers before any of it is read.
  const { createDataSource } = await import('../database/data-source');
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  const migrated = await runner.hasTable(table).finally(() => runner.release());
  if (!migrated) {
    await dataSource.destroy();
    fail(unmigrated);
  }
  return { dataSource, config };
}

/** What a command line holds: the declared options given, and the words that are not options. */
export interface CommandLine<O extends ParseArgsOptionsConfig> {
  values: { [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : string };
  positionals: string[];
}

/**
 * The command line read strictly against the command's declared options (`node:util` parseArgs):
 * an unknown option, an option without its value, a value given to a flag or a stray word is an
 * error naming it. Returns the error's sentence instead of throwing, so it can be tested.
 */
export function readCommandLine<O extends ParseArgsOptionsConfig>(
  argv: string[], spec: CommandSpec<O>,
): { ok: true; line: CommandLine<O> } | { ok: false; error: string } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: spec.options, strict: true, allowPositionals: spec.positionals ?? false });
    return { ok: true, line: { values: { ...values } as CommandLine<O>['values'], positionals } };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (!code?.startsWith('ERR_PARSE_ARGS_')) throw error;
    return { ok: false, error: describeParseError(error as Error) };
  }
}

/** Node's sentence for a command-line error, in the commands' own words. */
function describeParseError(error: Error): string {
  const message = error.message;
  const named = /'(-[^' ]*)/.exec(message)?.[1];
  if (/^Unknown option/.test(message)) return `Unknown option ${named}`;
  if (/argument missing|argument is ambiguous/.test(message)) return `${named} needs a value${/ambiguous/.test(message) ? ` (one that starts with "-" is written ${named}=-VALUE)` : ''}`;
  if (/does not take an argument/.test(message)) return `${named} takes no value`;
  const word = /^Unexpected argument '([^']*)'/.exec(message)?.[1];
  if (word !== undefined) return `Unexpected argument "${word}"`;
  return message.split('\n')[0];
}

/** The command line, or the error and the usage line on standard error and exit code 2. */
export function commandLineOrExit<O extends ParseArgsOptionsConfig>(spec: CommandSpec<O>, argv: string[] = process.argv.slice(2)): CommandLine<O> {
  // --help (or -h) alone asks for the usage line: standard output, exit 0, nothing opened.
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
    console.log(spec.usage);
    process.exit(0);
  }
  const read = readCommandLine(argv, spec);
  if (!read.ok) usageError(read.error, spec.usage);
  return read.line;
}

/** A command line that is wrong (exit code 2, as command-line tools do), with the usage line. */
export function usageError(message: string, usage: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

export function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => (data += chunk));
    process.stdin.on('end', () => resolve(data));
    process.stdin.on('error', reject);
  });
}

export function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
