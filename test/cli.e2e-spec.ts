import { spawnSync } from 'node:child_process';
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
