import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { User } from '../src/auth/entities/user.entity';
import { createHome } from './support/factories';
import { csrfFrom, signIn } from './support/http';
import { createTestApp, TestApp } from './support/test-app';
import { buildApp } from './support/build';

const ROOT = join(__dirname, '..');

describe('npm run user:create', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The command runs compiled, as in production.
    buildApp();
    t = await createTestApp({ env: { NODE_ENV: 'production' } });
  }, 120_000);

  afterAll(async () => {
    await t.close();
  });

  const run = (args: string[], password?: string) =>
    spawnSync(process.execPath, [join(ROOT, 'dist/src/cli/user-create.js'), ...args], {
      cwd: ROOT,
      input: password === undefined ? '' : `${password}\n`,
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: t.database.url, SESSION_SECRET: t.config.sessionSecret, AUDIT_KEY: t.config.auditKey },
    });

  it('should create the first account in production from a password on standard input', async () => {
    const home = await createHome(t, { slug: 'villa-prima' });
    const result = run(['--email', 'Direttrice@Villa.example', '--role', 'manager', '--home', 'villa-prima', '--name', 'Anna Neri', '--password-stdin'], 'a long enough password');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Created manager direttrice@villa.example in villa-prima');
    const user = await t.dataSource.getRepository(User).findOneByOrFail({ email: 'direttrice@villa.example' });
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    const agent = await signIn(t, 'DIRETTRICE@villa.example', 'a long enough password');
    // In production a manager enrols MFA first: every page leads there until it is on.
    const first = await agent.get('/');
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/account/mfa');
    const enrolPage = await agent.get('/account/mfa').expect(200);
    const key = /<code class="mfa-secret">([^<]+)<\/code>/.exec(enrolPage.text)![1].replace(/\s/g, '');
    const code = new TOTP({ secret: Secret.fromBase32(key) }).generate();
    await agent.post('/account/mfa/enable').type('form').send({ _csrf: csrfFrom(enrolPage.text), code }).expect(200);
    expect((await agent.get('/')).text).toContain(home.name);
  });

  it('should refuse bad input with a message and create nothing', async () => {
    const before = await t.dataSource.getRepository(User).count();
    expect(run(['--email', 'x@y.example', '--role', 'wizard', '--home', 'villa-prima', '--password-stdin'], 'a long enough password').stderr).toContain('--role must be one of');
    expect(run(['--email', 'x@y.example', '--role', 'carer', '--home', 'nowhere', '--password-stdin'], 'a long enough password').stderr).toContain('There is no home "nowhere"');
    expect(run(['--email', 'x@y.example', '--role', 'carer', '--home', 'villa-prima', '--password-stdin'], 'short').stderr).toContain('at least 10 characters');
    expect(run(['--email', 'x@y.example', '--role', 'carer', '--home', 'villa-prima']).stderr).toContain('--password-stdin');
    const again = run(['--email', 'direttrice@villa.example', '--role', 'carer', '--home', 'villa-prima', '--password-stdin'], 'a long enough password');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(await t.dataSource.getRepository(User).count()).toBe(before);
    await request(t.server).get('/health').expect(200);
  });
});

describe('Strict command lines (issue 18, item 10)', () => {
  let out: string;

  beforeAll(() => {
    buildApp();
    out = mkdtempSync(join(tmpdir(), 'insieme-cli-'));
  }, 120_000);

  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
  });

  // Each is refused before any database is opened: no DATABASE_URL is needed, and none is given.
  const run = (command: string, args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, `dist/src/cli/${command}.js`), ...args], {
      cwd: ROOT, encoding: 'utf8', input: '', env: { PATH: process.env.PATH, NODE_ENV: 'test', DATABASE_URL: `sqlite:${join(out, 'never.sqlite')}` },
    });

  it.each(['report', 'backup', 'user-create', 'seed-synthetic'])('should print the usage of %s for --help, exit 0 and open nothing', (command) => {
    const result = run(command, ['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: /);
    expect(result.stderr).toBe('');
    expect(existsSync(join(out, 'never.sqlite'))).toBe(false);
  });

  it('should refuse a misspelt --without-names with exit code 2 and write no report', () => {
    const pdf = join(out, 'report.pdf');
    const result = run('report', ['--home', 'casa-serena', '--quarter', '2026-Q3', '--out', pdf, '--withou-names']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Unknown option --withou-names');
    expect(result.stderr).toContain('Usage: npm run report -- --home SLUG');
    expect(result.stdout).toBe('');
    expect(existsSync(pdf)).toBe(false);
    expect(existsSync(join(out, 'never.sqlite'))).toBe(false);
  });

  it.each([
    ['report', ['--home', 'casa-serena', '--quarter'], '--quarter needs a value', 'npm run report'],
    ['backup', ['--out', join(tmpdir(), 'x.sqlite'), '--forse'], 'Unknown option --forse', 'npm run backup'],
    ['audit-verify', ['--database'], '--database needs a value', 'npm run audit:verify'],
    ['user-create', ['--email', 'a@b.example', '--role', 'manager', '--home', 'x', '--password'], 'Unknown option --password', 'npm run user:create'],
    ['seed-synthetic', ['--homes', '1', '--residents', '10', '--day', '5'], 'Unknown option --day', 'npm run seed:synthetic'],
    ['crash-test', ['--postgre', 'postgres://x'], 'Unknown option --postgre', 'npm run test:crash'],
    ['bench', ['--seconds', '5'], 'Unknown option --seconds', 'npm run bench'],
    ['migrate', ['up', '--fake'], 'Unknown option --fake', 'node dist/src/cli/migrate.js up|down'],
    ['migrate', ['sideways'], 'Unexpected argument "sideways"', 'node dist/src/cli/migrate.js up|down'],
  ])('%s %j: exit code 2, "%s" and the usage line', (command, args, error, usage) => {
    const result = run(command, args);
    expect(result.stderr).toContain(error);
    expect(result.stderr).toContain(`Usage: ${usage}`);
    expect(result.status).toBe(2);
    expect(existsSync(join(out, 'never.sqlite'))).toBe(false);
  });
});
