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

    it('should keep mail in the outbox and send from no-reply@localhost when SMTP_URL and MAIL_FROM are unset', () => {
      expect(sut({}, rootDir).mail).toEqual({ smtpUrl: null, from: 'Insieme <no-reply@localhost>' });
    });

    it('should make mail links to http://localhost:3000 when PUBLIC_URL is unset', () => {
      expect(sut({}, rootDir).publicUrl).toBe('http://localhost:3000');
    });

    it.each([
      ['https://insieme.example.org/', 'https://insieme.example.org'],
      ['https://example.org:8443/casa-serena/', 'https://example.org:8443/casa-serena'],
      ['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
    ])('should read PUBLIC_URL %s as %s', (value, expected) => {
      expect(sut({ PUBLIC_URL: value }, rootDir).publicUrl).toBe(expected);
    });

    it.each(['smtp://user:pass@mail.example.org:587', 'smtps://mail.example.org', 'smtp://127.0.0.1:2525'])(
      'should read SMTP_URL when it is %s',
      (url) => {
        expect(sut({ SMTP_URL: url, MAIL_FROM: 'Casa Serena <news@example.org>' }, rootDir).mail).toEqual({ smtpUrl: url, from: 'Casa Serena <news@example.org>' });
      },
    );

    it('should make mail links from http://localhost:PORT when PUBLIC_URL is unset outside production', () => {
      expect(sut({ PORT: '8080' }, rootDir).publicUrl).toBe('http://localhost:8080');
    });

    it('should require PUBLIC_URL when NODE_ENV is production and SMTP_URL is set', () => {
      const error = configErrorFor({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), AUDIT_KEY: 'y'.repeat(64), SMTP_URL: 'smtp://mail.example.org' });
      expect(error.message).toContain('PUBLIC_URL');
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
        { PORT: '8080', NODE_ENV: 'production', SESSION_SECRET: GOOD_SECRET, AUDIT_KEY: `audit-${GOOD_SECRET}`, SEED_DEMO: 'false', LOG_LEVEL: 'debug' },
        rootDir,
      );

      expect(config).toMatchObject({
        port: 8080,
        nodeEnv: 'production',
        isProduction: true,
        sessionSecret: GOOD_SECRET,
        auditKey: `audit-${GOOD_SECRET}`,
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
      ['SMTP_URL', 'http://mail.example.org'],
      ['SMTP_URL', 'mail.example.org:25'],
      ['SMTP_URL', 'smtp://'],
      ['SMTP_URL', 'smtp://user:pw@mail.example.org:99999'],
      ['SMTP_URL', 'smtp://mail.example.org:25\nX-Injected: yes'],
      ['PUBLIC_URL', 'insieme.example.org'],
      ['PUBLIC_URL', 'ftp://insieme.example.org'],
      ['PUBLIC_URL', 'https://insieme.example.org/?next=1'],
      ['PUBLIC_URL', 'https://user:secret@insieme.example.org'],
      ['MAIL_FROM', 'not an address'],
      ['PUBLIC_URL', 'https://insieme.example.org/?next=x'],
      ['PUBLIC_URL', 'https://insieme.example.org\nX: y'],
      ['MAIL_FROM', 'Insieme <no-reply@example.org>\r\nBcc: everyone@example.org'],
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

    it('should not repeat the password in the message when SMTP_URL is invalid', () => {
      const error = configErrorFor({ SMTP_URL: 'smtp://user:s3cret-pass@mail.example.org:99999' });

      expect(error.message).toMatch(/^Invalid configuration: SMTP_URL /);
      expect(error.message).not.toContain('s3cret-pass');
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
    it.each<{ value: string; expected: false | number | string }>([
      { value: 'false', expected: false },
      { value: '0', expected: false },
      { value: '1', expected: 1 },
      { value: '2', expected: 2 },
      { value: 'loopback', expected: 'loopback' },
      { value: 'LOOPBACK', expected: 'loopback' },
      { value: '10.0.0.1, 10.0.0.2', expected: '10.0.0.1, 10.0.0.2' },
      { value: '10.0.0.0/8,fd00::/8, loopback', expected: '10.0.0.0/8, fd00::/8, loopback' },
    ])('should give trustProxy $expected when TRUST_PROXY is "$value"', ({ value, expected }) => {
      expect(sut({ TRUST_PROXY: value }, rootDir).trustProxy).toEqual(expected);
    });

    it.each(['true', 'True', ' TRUE '])('should refuse to start, saying what to write instead, when TRUST_PROXY is "%s"', (value) => {
      const start = () => sut({ TRUST_PROXY: value }, rootDir);

      expect(start).toThrow(ConfigError);
      expect(start).toThrow(/^Invalid configuration: TRUST_PROXY=true .*TRUST_PROXY=1.*10\.0\.0\.1/);
    });

    it.each(['10.0.0.300', '10.0.0.0/33', 'fd00::/129', '10.0.0.1/8/8', 'localhost', '10.0.0.1,,10.0.0.2'])(
      'should refuse to start, naming the entry, when TRUST_PROXY has "%s"',
      (value) => {
        const start = () => sut({ TRUST_PROXY: value }, rootDir);

        expect(start).toThrow(ConfigError);
        expect(start).toThrow(/^Invalid configuration: TRUST_PROXY /);
      },
    );

    // Whatever validation lets through must also be usable by Express (which throws a TypeError for a
    // name or address it does not know).
    it.each(['FALSE', '1', 'LOOPBACK', '10.0.0.0/8, ::1'])('should not hand Express an unusable value when TRUST_PROXY is "%s"', (value) => {
      const start = () => express().set('trust proxy', sut({ TRUST_PROXY: value }, rootDir).trustProxy);

      expect(start).not.toThrow();
    });
  });
});
