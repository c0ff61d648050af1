import type { INestApplicationContext } from '@nestjs/common';
import { AppConfig, ConfigError, loadConfig } from '../config/app-config';

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
export function configForDatabase(args: Map<string, string | true>, usage: string): AppConfig {
  const database = args.get('database');
  if (database === true) fail(`--database needs a URL (sqlite:PATH or postgres://…)\n${usage}`);
  return loadConfigOrExit(database === undefined ? process.env : { ...process.env, DATABASE_URL: database });
}

/** `--name value` pairs from the command line. */
export function parseArgs(argv: string[]): Map<string, string | true> {
  const args = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (!arg.startsWith('--')) fail(`Unexpected argument "${arg}"`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) args.set(arg.slice(2), true);
    else {
      args.set(arg.slice(2), next);
      i += 1;
    }
  }
  return args;
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
