import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

export type DatabaseKind = 'sqlite' | 'postgres';
export type NodeEnv = 'production' | 'development' | 'test';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The environment as the operator writes it; every variable is checked before anything starts. */
class EnvironmentVariables {
  @IsOptional()
  @IsInt({ message: 'must be a whole number from 1 to 65535' })
  @Min(1, { message: 'must be a whole number from 1 to 65535' })
  @Max(65535, { message: 'must be a whole number from 1 to 65535' })
  PORT?: number;

  @IsOptional()
  @IsString()
  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, {
    message: 'must be sqlite:PATH or postgres://user@host:port/database',
  })
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  SESSION_SECRET?: string;

  @IsOptional()
  @IsIn(['production', 'development', 'test'], { message: 'must be production, development or test' })
  NODE_ENV?: NodeEnv;

  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  SEED_DEMO?: string;

  @IsOptional()
  @Matches(/^(true|false|\d{1,2}|loopback|[0-9a-f.:/, ]+)$/i, {
    message: 'must be true, false, a hop count, loopback or a list of proxy addresses',
  })
  TRUST_PROXY?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  UPLOADS_DIR?: string;

  @IsOptional()
  @IsIn([...LOG_LEVELS], { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: LogLevel;

  @IsOptional()
  @IsInt({ message: 'must be a whole number of years from 1 to 100' })
  @Min(1, { message: 'must be a whole number of years from 1 to 100' })
  @Max(100, { message: 'must be a whole number of years from 1 to 100' })
  RETENTION_YEARS?: number;
}

export class ConfigError extends Error {}

export interface AppConfig {
  port: number;
  nodeEnv: NodeEnv;
  isProduction: boolean;
  database: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };
  sessionSecret: string;
  seedDemo: boolean;
  /** Value handed to Express's "trust proxy"; false when the app is reached directly. */
  trustProxy: boolean | number | string;
  logLevel: LogLevel;
  /** Where uploaded files (resident photos) are kept, outside anything served statically. */
  uploadsDir: string;
  /**
   * How many years after a resident leaves (or a person is archived) their records are kept before
   * they are listed for review. UK guidance for care home records is commonly 8 years after
   * discharge or death; nothing is deleted automatically.
   */
  retentionYears: number;
  version: string;
}

const DEFAULT_SQLITE_PATH = 'data/insieme.sqlite';
export const DEFAULT_RETENTION_YEARS = 8;

/** Only plain digits count as a number; "0x50" or "1e3" are refused rather than reinterpreted. */
function wholeNumber(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  return /^\d+$/.test(value) ? Number(value) : Number.NaN;
}

/**
 * Reads and validates the environment. Throws a ConfigError whose message is one line naming the
 * variable, so start-up stops with something the operator can act on.
 */
export function loadConfig(env: NodeJS.ProcessEnv, rootDir = process.cwd()): AppConfig {
  const raw = {
    ...env,
    PORT: wholeNumber(env.PORT),
    RETENTION_YEARS: wholeNumber(env.RETENTION_YEARS),
  };
  const vars = plainToInstance(EnvironmentVariables, raw, { excludeExtraneousValues: false });
  const errors = validateSync(vars, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const first = errors[0];
    const reason = Object.values(first.constraints ?? {})[0] ?? 'is not valid';
    throw new ConfigError(`Invalid configuration: ${first.property} ${reason}${shownValue(first.property, env[first.property])}`);
  }

  const nodeEnv: NodeEnv = vars.NODE_ENV ?? 'development';
  const isProduction = nodeEnv === 'production';

  const databaseUrl = vars.DATABASE_URL;
  const database: AppConfig['database'] =
    databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)
      ? { kind: 'postgres', url: databaseUrl }
      : { kind: 'sqlite', path: resolve(rootDir, databaseUrl ? databaseUrl.slice('sqlite:'.length) : DEFAULT_SQLITE_PATH) };

  let sessionSecret = vars.SESSION_SECRET;
  if (!sessionSecret) {
    if (isProduction) throw new ConfigError('Invalid configuration: SESSION_SECRET is required when NODE_ENV=production');
    sessionSecret = developmentSessionSecret(resolve(rootDir, 'data/session-secret'));
  }

  return {
    port: vars.PORT ?? 3000,
    nodeEnv,
    isProduction,
    database,
    sessionSecret,
    seedDemo: vars.SEED_DEMO !== 'false',
    trustProxy: parseTrustProxy(vars.TRUST_PROXY),
    logLevel: vars.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info'),
    uploadsDir: resolve(rootDir, vars.UPLOADS_DIR ?? 'data/uploads'),
    retentionYears: vars.RETENTION_YEARS ?? DEFAULT_RETENTION_YEARS,
    version: readVersion(rootDir),
  };
}

/** Outside production a secret is made once and kept, so sessions survive a restart. */
function developmentSessionSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/** Variables whose values may hold a password or a secret, and so are never repeated in a message. */
const SECRET_VARIABLES = new Set(['SESSION_SECRET', 'DATABASE_URL']);

/** The offending value, on one line and never a secret, so the message is safe to log. */
function shownValue(name: string, value: string | undefined): string {
  if (value === undefined || SECRET_VARIABLES.has(name)) return '';
  const oneLine = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return ` (got ${oneLine})`;
}

function parseTrustProxy(raw: string | undefined): AppConfig['trustProxy'] {
  const value = raw?.trim().toLowerCase();
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

function readVersion(rootDir: string): string {
  try {
    return JSON.parse(readFileSync(resolve(rootDir, 'package.json'), 'utf8')).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
