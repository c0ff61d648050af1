import { apiSignIn, enrolMfa, Running, startApp } from '../src/cli/bench/bench-support';
import { MailMessage } from '../src/mail/entities/mail-message.entity';
import { BUILT_MAIN, buildApp } from './support/build';
import { createUser } from './support/factories';
import { startSmtpServer, TestSmtpServer } from './support/smtp';
import { createTestApp, TestApp } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

/**
 * The built app, killed with SIGKILL while the SMTP server has a mail of its outbox in hand, then
 * started again: once the dead process's lease has run out every mail arrives, each once.
 */
describe('Mail outbox across a SIGKILL mid-send', () => {
  let smtp: TestSmtpServer;
  let database: TestDatabase;
  let t: TestApp;
  let app: Running | null = null;

  beforeAll(async () => {
    buildApp();
    smtp = await startSmtpServer();
    database = await createTestDatabase();
    t = await createTestApp({ database });
  }, 180_000);

  afterAll(async () => {
    if (app && app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
    await t.close();
    await database.drop();
    await smtp.close();
  });

  function start(): Promise<Running> {
    return startApp(database.url, { main: BUILT_MAIN, env: { SMTP_URL: smtp.url, PUBLIC_URL: 'http://127.0.0.1:3000', SEED_DEMO: 'false', UPLOADS_DIR: database.uploadsDir } });
  }

  async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('should send every mail once after a restart when the process died while the server held one', async () => {
    const admin = await createUser(t, { role: 'admin' });
    smtp.holdNext = 1;
    app = await start();
    const signedIn = await apiSignIn(app.port, admin.email, admin.password);
    // The built app runs in production, where an admin enrols MFA before anything else.
    const { cookie } = await enrolMfa(app.port, signedIn);
    const { csrfToken } = signedIn;
    const addresses = Array.from({ length: 5 }, (_, i) => `relative-${i}@example.org`);
    for (const to of addresses) {
      const res = await fetch(`http://127.0.0.1:${app.port}/admin/mail/test`, {
        method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrfToken, to }).toString(),
      });
      expect(res.status).toBe(303);
    }

    await until(() => smtp.held === 1, 'the worker to hand the server a mail');
    const exited = new Promise((resolve) => app!.child.once('exit', resolve));
    app.child.kill('SIGKILL');
    await exited;
    expect(smtp.received).toHaveLength(0);

    const outbox = t.dataSource.getRepository(MailMessage);
    const claimed = await outbox.findBy({ status: 'sending' });
    expect(claimed).toHaveLength(5);
    // Five minutes pass: the dead process's lease runs out.
    await outbox.update({ status: 'sending' }, { claimedUntil: new Date(Date.now() - 1000) });

    app = await start();
    await smtp.waitFor(5, 30_000);
    await until(async () => (await outbox.countBy({ status: 'sent' })) === 5, 'every mail marked sent');
    // Another pass of the worker finds nothing more to send.
    await new Promise((resolve) => setTimeout(resolve, 6000));

    expect(smtp.received.map((mail) => mail.to).sort()).toEqual(addresses);
    expect(smtp.held).toBe(1);
  }, 120_000);
});
