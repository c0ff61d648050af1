import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { translate } from '../src/common/i18n/i18n';
import { UnitOfWork } from '../src/database/unit-of-work';
import { MailMessage } from '../src/mail/entities/mail-message.entity';
import { renderMail } from '../src/mail/mail-renderer';
import { MAX_ATTEMPTS } from '../src/mail/mail-retry';
import { EnqueueMail, MailService } from '../src/mail/mail.service';
import { MailWorker } from '../src/mail/mail-worker';
import { createUser, TestUser } from './support/factories';
import { Agent, formToken, signIn } from './support/http';
import { startSmtpServer, TestSmtpServer } from './support/smtp';
import { createTestApp, TestApp } from './support/test-app';

const HOUR = 60 * 60 * 1000;
const FROM = 'Casa Serena <posta@casa-serena.example>';

describe('Mail through a real SMTP server', () => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let admin: TestUser;
  let agent: Agent;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: FROM } });
    admin = await createUser(t, { role: 'admin', displayName: 'Anna Bianchi' });
    agent = await signIn(t, admin.email, admin.password);
  });

  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  beforeEach(() => {
    smtp.received.length = 0;
    smtp.recipientTries = 0;
    smtp.refuseWith = null;
  });

  function enqueue(app: TestApp, input: Partial<EnqueueMail> & { to: string }): Promise<MailMessage> {
    return app.get(UnitOfWork).transaction((m) =>
      app.get(MailService).enqueue(m, { template: 'test', locale: 'en', params: { sender: 'Anna Bianchi' }, ...input }),
    );
  }

  function outboxRow(id: string): Promise<MailMessage> {
    return t.dataSource.getRepository(MailMessage).findOneByOrFail({ id });
  }

  it('should deliver a queued mail once, in the recipient language, with text and HTML', async () => {
    const queued = await enqueue(t, { to: 'figlia@example.org', locale: 'it', params: { sender: 'Anna <Bianchi>' } });
    expect(queued.status).toBe('waiting');
    // Nothing leaves in the request (or the unit of work): the worker sends it.
    expect(smtp.received).toHaveLength(0);

    await t.get(MailWorker).processDue();
    const [mail] = await smtp.waitFor(1);
    await t.get(MailWorker).processDue(new Date(Date.now() + 24 * HOUR));

    expect(smtp.received).toHaveLength(1);
    expect(mail).toMatchObject({ to: 'figlia@example.org', from: '"Casa Serena" <posta@casa-serena.example>', subject: 'Email di prova di Insieme' });
    expect(mail.text).toContain('inviata da Anna <Bianchi>');
    expect(mail.html).toContain('inviata da Anna &lt;Bianchi&gt;');
    expect(mail.html).toContain('<html lang="it">');
    expect(mail.messageId).toBe(`<${queued.id}@casa-serena.example>`);
    expect(await outboxRow(queued.id)).toMatchObject({ status: 'sent', attempts: 1, claimToken: null, lastError: null });
    const audit = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ entityType: 'mail', entityId: queued.id });
    expect(audit.action).toBe('create');
    expect(JSON.stringify(audit)).not.toContain('inviata da');
  });

  it('should queue a test mail from the admin page and send it in the admin language', async () => {
    const token = await formToken(agent, '/admin/mail');
    const res = await agent.post('/admin/mail/test').type('form').send({ _csrf: token, to: 'check@example.org' });
    expect(res.status).toBe(303);
    const page = await agent.get(res.headers.location).expect(200);
    expect(page.text).toContain('A test mail to check@example.org is waiting to be sent.');
    expect(page.text).toMatch(/check@example\.org<\/td>\s*<td><a href="\/admin\/mail\/[0-9a-f-]+">Insieme test mail<\/a>/);

    await t.get(MailWorker).processDue();
    const [mail] = await smtp.waitFor(1);
    expect(mail).toMatchObject({ to: 'check@example.org', subject: 'Insieme test mail' });
    expect(mail.text).toContain('sent by Anna Bianchi');
    expect((await agent.get('/admin/mail')).text).toMatch(/check@example\.org[\s\S]*?Sent/);
  });

  it('should show the test form again with the address typed and the error beside the field when it is not an address', async () => {
    const token = await formToken(agent, '/admin/mail');
    const res = await agent.post('/admin/mail/test').type('form').send({ _csrf: token, to: 'not <an> address' });

    expect(res.status).toBe(422);
    expect(res.text).toContain('value="not &lt;an&gt; address"');
    expect(res.text).toMatch(/id="error-to">/);
    expect(await t.dataSource.getRepository(MailMessage).countBy({ toAddress: 'not <an> address' })).toBe(0);
  });

  it('should keep a refused mail waiting, retry it with backoff, mark it failed after the last try and send it again on request', async () => {
    smtp.refuseWith = { code: 450, message: 'Mailbox busy, try later' };
    const queued = await enqueue(t, { to: 'refused@example.org' });

    const first = await t.get(MailWorker).processDue();
    expect(first).toMatchObject({ claimed: 1, retried: 1, sent: 0 });
    const waiting = await outboxRow(queued.id);
    expect(waiting).toMatchObject({ status: 'waiting', attempts: 1 });
    expect(waiting.lastError).toContain('Mailbox busy');
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 50_000);
    // Not due yet: a pass now leaves it alone.
    expect(await t.get(MailWorker).processDue()).toMatchObject({ claimed: 0 });
    const page = await agent.get('/admin/mail');
    expect(page.text).toMatch(/refused@example\.org[\s\S]*?Waiting[\s\S]*?Next try[\s\S]*?Mailbox busy/);

    let row = waiting;
    for (let pass = 1; pass < 20 && row.status !== 'failed'; pass++) {
      await t.get(MailWorker).processDue(new Date(Date.now() + pass * 7 * HOUR));
      row = await outboxRow(queued.id);
    }
    expect(row).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    expect(smtp.recipientTries).toBe(MAX_ATTEMPTS);
    expect(smtp.received).toHaveLength(0);

    const list = await agent.get('/admin/mail');
    expect(list.text).toMatch(/refused@example\.org[\s\S]*?Failed[\s\S]*?Last error: [^<]*Mailbox busy/);
    const shown = await agent.get(`/admin/mail/${queued.id}`).expect(200);
    expect(shown.text).toContain('sent by Anna Bianchi');
    expect(shown.text).toContain('Send again');

    smtp.refuseWith = null;
    const token = await formToken(agent, `/admin/mail/${queued.id}`);
    const resend = await agent.post(`/admin/mail/${queued.id}/resend`).type('form').send({ _csrf: token });
    expect(resend.status).toBe(303);
    expect(await outboxRow(queued.id)).toMatchObject({ status: 'waiting', attempts: 0, lastError: null });
    const resendAudit = await t.dataSource.getRepository(AuditEntry).findBy({ entityType: 'mail', entityId: queued.id, action: 'update' });
    expect(resendAudit).toHaveLength(1);
    expect(resendAudit[0].userId).toBe(admin.id);

    await t.get(MailWorker).processDue();
    await smtp.waitFor(1);
    expect(await outboxRow(queued.id)).toMatchObject({ status: 'sent', attempts: 1 });
    // A sent mail cannot be sent again by hand.
    const again = await agent.post(`/admin/mail/${queued.id}/resend`).type('form').send({ _csrf: token });
    expect((await agent.get(again.headers.location)).text).toContain('Only a failed mail');
    expect(await outboxRow(queued.id)).toMatchObject({ status: 'sent' });
  });

  it('should send again a mail whose sender died mid-send once its lease has run out, and not before', async () => {
    const queued = await enqueue(t, { to: 'crashed@example.org' });
    // As a process killed between claiming and marking leaves it.
    const claimedUntil = new Date(Date.now() + 5 * 60_000);
    await t.dataSource.getRepository(MailMessage).update({ id: queued.id }, { status: 'sending', claimToken: 'a-dead-worker', claimedUntil, attempts: 1 });

    expect(await t.get(MailWorker).processDue()).toMatchObject({ claimed: 0 });
    expect(await t.get(MailWorker).processDue(new Date(claimedUntil.getTime() + 1000))).toMatchObject({ claimed: 1, sent: 1 });
    await smtp.waitFor(1);
    expect(await outboxRow(queued.id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('should send each mail once when two app processes work the same outbox', async () => {
    const second = await createTestApp({ database: t.database, env: { SMTP_URL: smtp.url, MAIL_FROM: FROM } });
    try {
      const queued: MailMessage[] = [];
      for (let i = 0; i < 30; i++) queued.push(await enqueue(i % 2 ? t : second, { to: `relative-${i}@example.org` }));
      const workers = [t.get(MailWorker), second.get(MailWorker)];
      const sentBy = [0, 0];
      for (let round = 0; round < 10; round++) {
        const runs = await Promise.all(workers.map((worker) => worker.processDue()));
        runs.forEach((run, i) => (sentBy[i] += run.sent));
        if (runs.every((run) => run.claimed === 0)) break;
      }
      await smtp.waitFor(30);

      expect(smtp.received).toHaveLength(30);
      expect(new Set(smtp.received.map((mail) => mail.messageId)).size).toBe(30);
      expect(new Set(smtp.received.map((mail) => mail.to)).size).toBe(30);
      // Each app's own 5-second timer may have sent some of them between the rounds above (CI saw it
      // once): the mails counted here are at most all 30, and what proves "once" is the 30 distinct
      // receipts above and every row sent at its first attempt below.
      expect(sentBy[0] + sentBy[1]).toBeLessThanOrEqual(30);
      // A mail an app's own timer sent is received by the SMTP server a moment before that app marks
      // its row sent (CI on PostgreSQL under load read one row still being sent): wait for the rows.
      const rowsOf = () => t.dataSource.getRepository(MailMessage).findBy(queued.map((mail) => ({ id: mail.id })));
      let rows = await rowsOf();
      for (let wait = 0; wait < 50 && rows.some((row) => row.status !== 'sent'); wait++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        rows = await rowsOf();
      }
      expect(rows.every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('should refuse to start, naming SMTP_URL on one line, when SMTP_URL is not a usable URL', async () => {
    await expect(createTestApp({ database: t.database, env: { SMTP_URL: 'smtp://user:pw@mail.example.org:99999' } })).rejects.toThrow(/^Invalid configuration: SMTP_URL [^\n]*$/);
  });

  it('should refuse the outbox to everyone but admins', async () => {
    for (const role of ['manager', 'coordinator', 'carer', 'family', 'volunteer'] as const) {
      const user = await createUser(t, { role });
      const other = await signIn(t, user.email, user.password);
      expect((await other.get('/admin/mail')).status).toBe(403);
    }
    const signedOut = await (await import('supertest')).default(t.server).get('/admin/mail');
    expect(signedOut.status).toBe(303);
  });
});

describe('Mail without an SMTP server', () => {
  let t: TestApp;
  let agent: Agent;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await createUser(t, { role: 'admin' });
    agent = await signIn(t, admin.email, admin.password);
  });

  afterAll(async () => {
    await t.close();
  });

  it('should keep every mail in the outbox, never send or drop it, and list it for admins', async () => {
    const kept = await t.get(UnitOfWork).transaction((m) =>
      t.get(MailService).enqueue(m, { to: 'nonna@example.org', template: 'test', locale: 'it', params: { sender: 'Luca' } }),
    );
    expect(kept.status).toBe('kept');
    expect(await t.get(MailWorker).processDue(new Date(Date.now() + 24 * HOUR))).toMatchObject({ claimed: 0 });

    const page = await agent.get('/admin/mail').expect(200);
    expect(page.text).toContain('No SMTP server is configured (SMTP_URL)');
    expect(page.text).toMatch(/nonna@example\.org[\s\S]*?Email di prova di Insieme[\s\S]*?Kept/);
    const shown = await agent.get(`/admin/mail/${kept.id}`).expect(200);
    expect(shown.text).toContain('inviata da Luca');
    expect(shown.text).not.toContain('Send again');
    expect(await t.dataSource.getRepository(MailMessage).findOneByOrFail({ id: kept.id })).toMatchObject({ status: 'kept', attempts: 0 });
  });

  it('should tell the admin a test mail is kept when no server is configured', async () => {
    const token = await formToken(agent, '/admin/mail');
    const res = await agent.post('/admin/mail/test').type('form').send({ _csrf: token, to: 'check@example.org' });
    expect((await agent.get(res.headers.location)).text).toContain('A test mail to check@example.org is kept in the outbox');
  });
});

describe('The words of the mails people read', () => {
  const link = 'https://insieme.example.org/residents/0e7c5d2a-3b1f-4c6e-9a8d-1f2e3d4c5b6a/messages';
  const settings = 'https://insieme.example.org/account/notifications';
  /** The words of each link of an HTML mail. */
  const linkTexts = (html: string) => [...html.matchAll(/<a [^>]*>([^<]*)<\/a>/g)].map((m) => m[1]);

  it.each([
    ['en', 'Open in Insieme', 'Open it in Insieme:'],
    ['it', 'Apri in Insieme', 'Aprila in Insieme:'],
  ])('should give the notification mail\'s link words of its own, without the text version\'s colon, in %s', (locale, words, label) => {
    // Review, 5 December: the HTML link read "Aprila in Insieme:", the label the text version puts before the address.
    const mail = renderMail('notification', locale, { text: 'Giulia wrote a message about Teresina Bonfiglioli.', link, settings });
    expect(mail.html).toContain(`<a href="${link}">${words}</a>`);
    for (const text of linkTexts(mail.html)) expect(text).not.toMatch(/:\s*$/);
    expect(mail.text).toContain(`${label}\n${link}`);
  });

  it.each(['en', 'it'])('should end no link of the daily digest with a colon in %s', (locale) => {
    const mail = renderMail('digest', locale, { date: '2026-12-05', count: 2, items: '• One\n• Two', link: 'https://insieme.example.org/notifications', settings });
    expect(linkTexts(mail.html).length).toBeGreaterThan(1);
    for (const text of linkTexts(mail.html)) expect(text).not.toMatch(/:\s*$/);
  });

  it('should invite in Italian with the app\'s word for residents and words that fit a woman as well as a man', () => {
    const mail = renderMail('invitation', 'it', { name: 'Carla Verdi', sender: 'Chiara Fabbri', home: 'Casa Serena', link, expires: '12 dicembre 2026, 10:00' });
    for (const body of [mail.text, mail.html]) {
      expect(body).toContain('Chiara Fabbri ti invita a usare Insieme, dove Casa Serena programma e registra le attività insieme a ospiti, famiglie e volontari.');
      expect(body).not.toMatch(/residenti|invitato|invitata/);
    }
    expect(translate('it', 'invitations.lead', { name: 'Carla Verdi' })).not.toContain('/a');
    expect(translate('it', 'invitations.welcome')).not.toContain('/a');
    expect(translate('it', 'invitations.stateInvited', { expires: '12/12/2026' })).not.toMatch(/Invitat[oa]/);
  });
});
