import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

export type NodeEnv = 'production' | 'development' | 'test';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

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
  @Matches(/^(true|false|\d{1,2}|[0-9a-z.:/, ]+)$/i, {
    message: 'must be a hop count (1) or a list of proxy addresses or subnets (10.0.0.1, 10.0.0.0/8, loopback)',
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
  @IsIn([...LOG_FORMATS], { message: `must be ${LOG_FORMATS.join(' or ')}` })
  LOG_FORMAT?: LogFormat;

  @IsOptional()
  @IsInt({ message: 'must be a whole number of years from 1 to 100' })
  @Min(1, { message: 'must be a whole number of years from 1 to 100' })
  @Max(100, { message: 'must be a whole number of years from 1 to 100' })
  RETENTION_YEARS?: number;

  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'must be smtp://user:password@host:port or smtps://user:password@host:port' })
  SMTP_URL?: string;

  @IsOptional()
  @Matches(/^(?:[^<>\r\n@]*<[^\s<>@]+@[^\s<>@]+\.?[^\s<>@]*>|[^\s<>@]+@[^\s<>@]+)$/, {
    message: 'must be an address, alone or as Name <address>',
  })
  MAIL_FROM?: string;

  @IsOptional()
  @Matches(/^https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?$/, { message: 'must be the address people open the app at, such as https://insieme.example.org' })
  PUBLIC_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  AUDIT_KEY?: string;
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
  trustProxy: false | number | string;
  logLevel: LogLevel;
  /** The request log's lines: JSON for a log collector (production's default), or pretty for a terminal. */
  logFormat: LogFormat;
  /** Where uploaded files (resident photos) are kept, outside anything served statically. */
  uploadsDir: string;
  /**
   * How many years after a resident leaves (or a person is archived) their records are kept before
   * they are listed for review. UK guidance for care home records is commonly 8 years after
   * discharge or death; nothing is deleted automatically.
   */
  retentionYears: number;
  /**
   * Outgoing mail: `smtpUrl` null keeps every mail in the outbox for admins to read (nothing is
   * sent, nothing is dropped); `from` is the sender every mail carries.
   */
  mail: { smtpUrl: string | null; from: string };
  /**
   * Where people open the app (`https://insieme.example.org`, no trailing slash): links in mails are
   * made from it, never from a request's Host header, which a client chooses (a reset link pointing
   * elsewhere). Outside production it defaults to http://localhost:PORT.
   */
  publicUrl: string;
  /** The HMAC key of the audit chain, kept outside the database so whoever can write the table cannot re-chain it. */
  auditKey: string;
  version: string;
}

const DEFAULT_SQLITE_PATH = 'data/insieme.sqlite';
export const DEFAULT_RETENTION_YEARS = 8;
export const DEFAULT_MAIL_FROM = 'Insieme <no-reply@localhost>';

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

  let auditKey = vars.AUDIT_KEY;
  if (!auditKey) {
    if (isProduction) throw new ConfigError('Invalid configuration: AUDIT_KEY is required when NODE_ENV=production (32 or more characters, kept outside the database)');
    auditKey = developmentSessionSecret(resolve(rootDir, 'data/audit-key'));
  }

  const smtpUrl = vars.SMTP_URL ? checkedSmtpUrl(vars.SMTP_URL) : null;
  // Mails that leave the app carry links; in production they must point where people really go.
  if (isProduction && smtpUrl && !vars.PUBLIC_URL) throw new ConfigError('Invalid configuration: PUBLIC_URL is required when NODE_ENV=production and SMTP_URL is set');
  const publicUrl = vars.PUBLIC_URL ? checkedPublicUrl(vars.PUBLIC_URL) : `http://localhost:${vars.PORT ?? 3000}`;

  return {
    port: vars.PORT ?? 3000,
    nodeEnv,
    isProduction,
    database,
    sessionSecret,
    seedDemo: vars.SEED_DEMO !== 'false',
    trustProxy: parseTrustProxy(vars.TRUST_PROXY),
    logLevel: vars.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info'),
    logFormat: vars.LOG_FORMAT ?? (isProduction ? 'json' : 'pretty'),
    uploadsDir: resolve(rootDir, vars.UPLOADS_DIR ?? 'data/uploads'),
    retentionYears: vars.RETENTION_YEARS ?? DEFAULT_RETENTION_YEARS,
    mail: { smtpUrl, from: vars.MAIL_FROM ?? DEFAULT_MAIL_FROM },
    publicUrl,
    auditKey,
    version: readVersion(rootDir),
  };
}

/** Outside production a secret is made once and kept, so sessions (and the audit chain's key) survive a restart. */
function developmentSessionSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/** Variables whose values may hold a password or a secret, and so are never repeated in a message. */
const SECRET_VARIABLES = new Set(['SESSION_SECRET', 'AUDIT_KEY', 'DATABASE_URL', 'SMTP_URL', 'PUBLIC_URL']);

/** A URL nodemailer can use: a host, a port from 1 to 65535 when one is given. The password is never repeated. */
function checkedSmtpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('Invalid configuration: SMTP_URL is not a valid URL (smtp://user:password@host:port)');
  }
  const port = url.port === '' ? 1 : Number(url.port);
  if (!url.hostname || !(port >= 1 && port <= 65535)) {
    throw new ConfigError('Invalid configuration: SMTP_URL must name a host and, if any, a port from 1 to 65535');
  }
  return value;
}

/** An http(s) URL with a host, without the trailing slash, so a link is `publicUrl + '/path'`. */
function checkedPublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('Invalid configuration: PUBLIC_URL is not a valid URL (https://host[:port][/path])');
  }
  if (!url.hostname || url.username || url.password) {
    throw new ConfigError('Invalid configuration: PUBLIC_URL must name a host, without a user or password');
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** The offending value, on one line and never a secret, so the message is safe to log. */
function shownValue(name: string, value: string | undefined): string {
  if (value === undefined || SECRET_VARIABLES.has(name)) return '';
  const oneLine = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return ` (got ${oneLine})`;
}

/** The subnet names Express's "trust proxy" (proxy-addr) knows. */
const PROXY_SUBNET_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Express's "trust proxy": false, a hop count, or a list of proxy addresses and subnets. Never `true`,
 * which believes the left-most X-Forwarded-For address, one any client can write, and so would let
 * it pick the address that throttling counts.
 */
function parseTrustProxy(raw: string | undefined): AppConfig['trustProxy'] {
  const value = raw?.trim().toLowerCase();
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') {
    throw new ConfigError('Invalid configuration: TRUST_PROXY=true believes any X-Forwarded-For a client sends; write the number of proxies in front of the app (TRUST_PROXY=1) or their addresses (TRUST_PROXY=10.0.0.1 or 10.0.0.0/8)');
  }
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  const bad = entries.find((entry) => !PROXY_SUBNET_NAMES.has(entry) && !isAddressOrSubnet(entry));
  if (bad !== undefined) {
    throw new ConfigError(`Invalid configuration: TRUST_PROXY has "${bad}", which is not an IP address, a subnet (10.0.0.0/8) or loopback, linklocal, uniquelocal`);
  }
  return entries.join(', ');
}

function isAddressOrSubnet(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

function readVersion(rootDir: string): string {
  try {
    return JSON.parse(readFileSync(resolve(rootDir, 'package.json'), 'utf8')).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
