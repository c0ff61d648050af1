import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { ConfigError, loadConfig } from './app-config';

const sut = loadConfig;

const GOOD_SECRET = 's'.repeat(32);

describe('loadConfig', () => {
  let rootDir: string;

  beforeEach(() => {
    rootDir = mkdtempSync(join(tmpdir(), 'insieme-config-'));
    writeFileSync(join(rootDir, 'package.json'), JSON.stringify({ name: 'insieme', version: '9.8.7' }));
  });

  afterEach(() => {
    rmSync(rootDir, { recursive: true, force: true });
  });

  /** The ConfigError thrown for an environment, so several facts about it can be checked. */
  function configErrorFor(env: NodeJS.ProcessEnv): ConfigError {
    try {
      sut(env, rootDir);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return error as ConfigError;
    }
    throw new Error(`expected loadConfig to throw for ${JSON.stringify(env)}`);
  }

  describe('defaults', () => {
    it('should use the documented defaults when the environment is empty', () => {
      const config = sut({}, rootDir);

      expect(config).toMatchObject({
        port: 3000,
        nodeEnv: 'development',
        isProduction: false,
        database: { kind: 'sqlite', path: join(rootDir, 'data', 'insieme.sqlite') },
        seedDemo: true,
        trustProxy: false,
        logLevel: 'info',
        retentionYears: 8,
        version: '9.8.7',
      });
    });

    it('should read the retention period in years when RETENTION_YEARS is set', () => {
      expect(sut({ RETENTION_YEARS: '10' }, rootDir).retentionYears).toBe(10);
    });

    it('should log warnings only when NODE_ENV is test and LOG_LEVEL is unset', () => {
      expect(sut({ NODE_ENV: 'test' }, rootDir).logLevel).toBe('warn');
    });

    it('should treat an empty PORT as unset when PORT is the empty string', () => {
      expect(sut({ PORT: '' }, rootDir).port).toBe(3000);
    });

    it('should report version 0.0.0 when the root has no package.json', () => {
      rmSync(join(rootDir, 'package.json'));

      expect(sut({}, rootDir).version).toBe('0.0.0');
    });
  });

  describe('valid values', () => {
    it('should read every variable when all are valid', () => {
      const config = sut(
        { PORT: '8080', NODE_ENV: 'production', SESSION_SECRET: GOOD_SECRET, SEED_DEMO: 'false', LOG_LEVEL: 'debug' },
        rootDir,
      );

      expect(config).toMatchObject({
        port: 8080,
        nodeEnv: 'production',
        isProduction: true,
        sessionSecret: GOOD_SECRET,
        seedDemo: false,
        logLevel: 'debug',
      });
    });

    it('should resolve the path against rootDir when DATABASE_URL is a relative sqlite path', () => {
      const config = sut({ DATABASE_URL: 'sqlite:var/db.sqlite' }, rootDir);

      expect(config.database).toEqual({ kind: 'sqlite', path: join(rootDir, 'var', 'db.sqlite') });
    });

    it('should keep the path when DATABASE_URL is an absolute sqlite path', () => {
      const absolute = join(rootDir, 'elsewhere', 'db.sqlite');

      expect(sut({ DATABASE_URL: `sqlite:${absolute}` }, rootDir).database).toEqual({ kind: 'sqlite', path: absolute });
    });

    it.each(['postgres://insieme@db:5432/insieme', 'postgresql://insieme:pw@localhost/insieme'])(
      'should select postgres when DATABASE_URL is %s',
      (url) => {
        expect(sut({ DATABASE_URL: url }, rootDir).database).toEqual({ kind: 'postgres', url });
      },
    );
  });

  describe('invalid values', () => {
    it.each([
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['PORT', '0'],
      ['PORT', '80.5'],
      ['DATABASE_URL', 'mysql://x'],
      ['DATABASE_URL', 'sqlite:'],
      ['NODE_ENV', 'staging'],
      ['SEED_DEMO', 'maybe'],
      ['LOG_LEVEL', 'loud'],
      ['SESSION_SECRET', 'too-short'],
      ['TRUST_PROXY', 'everyone!'],
      ['RETENTION_YEARS', '0'],
      ['RETENTION_YEARS', 'eight'],
      ['RETENTION_YEARS', '7.5'],
      ['RETENTION_YEARS', '101'],
    ])('should throw a one-line ConfigError naming %s when it is "%s"', (variable, value) => {
      const error = configErrorFor({ [variable]: value });

      expect(error.message).toContain(variable);
      expect(error.message).not.toMatch(/[\r\n]/);
    });

    it('should name the variable that is wrong when the other variables are valid', () => {
      const error = configErrorFor({ PORT: '8080', NODE_ENV: 'development', LOG_LEVEL: 'loud' });

      expect(error.message).toMatch(/^Invalid configuration: LOG_LEVEL /);
    });

    it('should keep the message on one line when the bad value contains a line break', () => {
      const error = configErrorFor({ DATABASE_URL: 'sqlite:data/a\nb.sqlite' });

      expect(error.message).toContain('DATABASE_URL');
      expect(error.message).not.toMatch(/[\r\n]/);
    });

    it('should not repeat the secret in the message when SESSION_SECRET is too short', () => {
      const error = configErrorFor({ SESSION_SECRET: 'hunter2-but-short' });

      expect(error.message).not.toContain('hunter2-but-short');
    });
  });

  describe('session secret', () => {
    it('should throw naming SESSION_SECRET when NODE_ENV is production and no secret is set', () => {
      const error = configErrorFor({ NODE_ENV: 'production' });

      expect(error.message).toContain('SESSION_SECRET');
      expect(error.message).not.toMatch(/[\r\n]/);
    });

    it('should not write a secret file when NODE_ENV is production and the secret is missing', () => {
      configErrorFor({ NODE_ENV: 'production' });

      expect(existsSync(join(rootDir, 'data', 'session-secret'))).toBe(false);
    });

    it('should generate a secret into data/session-secret when none is set outside production', () => {
      const config = sut({}, rootDir);

      const file = join(rootDir, 'data', 'session-secret');
      expect(readFileSync(file, 'utf8').trim()).toBe(config.sessionSecret);
      expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32);
    });

    it('should reuse the generated secret when called again', () => {
      const first = sut({}, rootDir).sessionSecret;

      const second = sut({ NODE_ENV: 'test' }, rootDir).sessionSecret;

      expect(second).toBe(first);
    });

    it('should use SESSION_SECRET and write no file when it is set outside production', () => {
      const config = sut({ SESSION_SECRET: GOOD_SECRET }, rootDir);

      expect(config.sessionSecret).toBe(GOOD_SECRET);
      expect(existsSync(join(rootDir, 'data', 'session-secret'))).toBe(false);
    });
  });

  describe('TRUST_PROXY', () => {
    it.each<{ value: string; expected: boolean | number | string }>([
      { value: 'true', expected: true },
      { value: 'false', expected: false },
      { value: '1', expected: 1 },
      { value: 'loopback', expected: 'loopback' },
      { value: '10.0.0.1, 10.0.0.2', expected: '10.0.0.1, 10.0.0.2' },
    ])('should give trustProxy $expected when TRUST_PROXY is "$value"', ({ value, expected }) => {
      expect(sut({ TRUST_PROXY: value }, rootDir).trustProxy).toEqual(expected);
    });

    // Validation accepts any letter case, so whatever it lets through must also be usable by Express
    // (which throws a TypeError for a name it does not know); refusing it with a ConfigError is fine too.
    it.each(['FALSE', 'True', 'LOOPBACK'])('should not hand Express an unusable value when TRUST_PROXY is "%s"', (value) => {
      const start = () => express().set('trust proxy', sut({ TRUST_PROXY: value }, rootDir).trustProxy);

      expect(start).not.toThrow(TypeError);
    });
  });
});
