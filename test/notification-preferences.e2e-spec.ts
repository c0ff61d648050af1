import { DateTime } from 'luxon';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { User } from '../src/auth/entities/user.entity';
import { UnitOfWork } from '../src/database/unit-of-work';
import { MailMessage } from '../src/mail/entities/mail-message.entity';
import { MailWorker } from '../src/mail/mail-worker';
import { DigestService } from '../src/notifications/digest.service';
import { DigestRun } from '../src/notifications/entities/digest-run.entity';
import { NotificationPreference } from '../src/notifications/entities/notification-preference.entity';
import { Notification } from '../src/notifications/entities/notification.entity';
import { NotificationsService, NotifyInput } from '../src/notifications/notifications.service';
import { NotificationMode } from '../src/notifications/notifications.enums';
import { createActivity } from './support/activity-factories';
import { createHome, createUser, TestUser } from './support/factories';
import { createVolunteer } from './support/people-factories';
import { apiSignIn, Agent, formToken, signIn } from './support/http';
import { ReceivedMail, startSmtpServer, TestSmtpServer } from './support/smtp';
import { createTestApp, TestApp } from './support/test-app';

const PUBLIC_URL = 'https://insieme.example.org';
const ENV = { MAIL_FROM: 'Casa Serena <posta@casa-serena.example>', PUBLIC_URL };

/** 07:30 tomorrow in a zone: the morning after anything the test has just written. */
function tomorrowMorning(zone: string, hour = 7, minute = 30): Date {
  return DateTime.now().setZone(zone).plus({ days: 1 }).set({ hour, minute, second: 0, millisecond: 0 }).toJSDate();
}

describe('Notification preferences, mail for each notification and the daily digest', () => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let homeId: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ env: { ...ENV, SMTP_URL: smtp.url } });
    homeId = (await createHome(t, { timezone: 'Europe/Rome' })).id;
  });

  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  beforeEach(() => {
    smtp.received.length = 0;
  });

  function notify(app: TestApp, input: Partial<NotifyInput> & { userIds: string[] }): Promise<number> {
    return app.get(UnitOfWork).transaction((m) => app.get(NotificationsService).notify(m, {
      homeId, kind: 'help_offer', messageKey: 'notifications.messages.helpOfferConfirmed', params: { title: 'Coro del giovedì', date: '2026-07-02' },
      link: '/portal', ...input,
    }));
  }

  async function choose(agent: Agent, mode: string) {
    const token = await formToken(agent, '/account/notifications');
    return agent.post('/account/notifications').type('form').send({ _csrf: token, mode });
  }

  /** Sends what is due and waits for the mail to one address. */
  async function deliveredTo(to: string): Promise<ReceivedMail> {
    await t.get(MailWorker).processDue();
    const until = Date.now() + 10_000;
    for (;;) {
      const mail = smtp.received.find((m) => m.to === to);
      if (mail) return mail;
      if (Date.now() > until) throw new Error(`no mail to ${to} arrived`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  function mailsTo(app: TestApp, to: string): Promise<MailMessage[]> {
    return app.dataSource.getRepository(MailMessage).find({ where: { toAddress: to }, order: { createdAt: 'ASC' } });
  }

  async function userWithMode(role: TestUser['role'], mode: NotificationMode | null, locale = 'en', app = t): Promise<TestUser> {
    const user = await createUser(app, { role, homeIds: [homeId], locale });
    if (mode) await app.dataSource.getRepository(NotificationPreference).insert({ userId: user.id, mode });
    return user;
  }

  describe('the settings page', () => {
    it('should show each role its own address with the role default chosen: a digest for relatives, the app only for staff', async () => {
      const family = await createUser(t, { role: 'family', homeIds: [homeId] });
      const carer = await createUser(t, { role: 'carer', homeIds: [homeId] });
      const familyPage = await (await signIn(t, family.email, family.password)).get('/account/notifications').expect(200);
      const carerPage = await (await signIn(t, carer.email, carer.password)).get('/account/notifications').expect(200);

      expect(familyPage.text).toContain(`sent by email to ${family.email}`);
      expect(familyPage.text).not.toContain(carer.email);
      expect(familyPage.text).toMatch(/id="mode-digest" name="mode" value="digest" checked/);
      expect(familyPage.text).toContain('the usual setting for your role');
      expect(carerPage.text).toContain(carer.email);
      expect(carerPage.text).not.toContain(family.email);
      expect(carerPage.text).toMatch(/id="mode-app" name="mode" value="app" checked/);
      expect(carerPage.text).not.toMatch(/value="digest" checked/);
    });

    it('should save a choice, show it afterwards, audit the change and leave other users as they were', async () => {
      const volunteer = await createUser(t, { role: 'volunteer', homeIds: [homeId] });
      const other = await createUser(t, { role: 'volunteer', homeIds: [homeId] });
      const agent = await signIn(t, volunteer.email, volunteer.password);

      const res = await choose(agent, 'each');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/account/notifications');
      const page = await agent.get('/account/notifications').expect(200);
      expect(page.text).toContain('Saved: you will get an email for each notification.');
      expect(page.text).toMatch(/value="each" checked/);
      expect(page.text).not.toContain('the usual setting for your role');
      expect((await agent.get('/notifications')).text).toContain('Email: one for each notification.');

      await choose(agent, 'digest');
      const audit = await t.dataSource.getRepository(AuditEntry).find({ where: { entityType: 'notification_preference', userId: volunteer.id }, order: { seq: 'ASC' } });
      expect(audit.map((a) => [a.action, a.changes])).toEqual([
        ['create', { mode: { old: 'app', new: 'each' } }],
        ['update', { mode: { old: 'each', new: 'digest' } }],
      ]);
      expect(await t.dataSource.getRepository(NotificationPreference).findOneBy({ userId: other.id })).toBeNull();
      const otherPage = await (await signIn(t, other.email, other.password)).get('/account/notifications');
      expect(otherPage.text).toMatch(/value="app" checked/);
    });

    it('should show the form again with the error beside the field and store nothing when the choice is not one of the three', async () => {
      const manager = await createUser(t, { role: 'manager', homeIds: [homeId] });
      const agent = await signIn(t, manager.email, manager.password);

      for (const mode of ['weekly', '', '<b>each</b>']) {
        const res = await choose(agent, mode);
        expect(res.status).toBe(422);
        expect(res.text).toMatch(/<p class="field-error" id="error-mode">Choose one of the options\.<\/p>/);
        expect(res.text).toContain('name="mode" value="app"');
        expect(res.text).toContain(`sent by email to ${manager.email}`);
        expect(res.text).not.toMatch(/name="mode" value="\w+" checked/);
      }
      const missing = await agent.post('/account/notifications').type('form').send({ _csrf: await formToken(agent, '/account/notifications') });
      expect(missing.status).toBe(422);
      expect(missing.text).toContain('id="error-mode"');
      expect(await t.dataSource.getRepository(NotificationPreference).countBy({ userId: manager.id })).toBe(0);
    });

    it('should speak Italian to an Italian user', async () => {
      const family = await createUser(t, { role: 'family', homeIds: [homeId], locale: 'it' });
      const page = await (await signIn(t, family.email, family.password)).get('/account/notifications').expect(200);
      expect(page.text).toContain('Come ricevi le notifiche');
      expect(page.text).toContain('Un riepilogo al giorno');
    });

    it('should answer the JSON API with the own choice and name the field when it is refused', async () => {
      const coordinator = await createUser(t, { role: 'coordinator', homeIds: [homeId] });
      const { agent, csrfToken } = await apiSignIn(t, coordinator.email, coordinator.password);

      expect((await agent.get('/api/account/notifications').expect(200)).body).toEqual({ mode: 'app', chosen: false, modes: ['app', 'each', 'digest'] });
      const bad = await agent.put('/api/account/notifications').set('X-CSRF-Token', csrfToken).send({ mode: 'hourly' });
      expect(bad.status).toBe(422);
      expect(bad.body.fields).toHaveProperty('mode');
      const unknown = await agent.put('/api/account/notifications').set('X-CSRF-Token', csrfToken).send({ mode: 'each', userId: 'someone-else' });
      expect(unknown.status).toBe(422);
      expect(unknown.body.fields).toHaveProperty('userId');
      const ok = await agent.put('/api/account/notifications').set('X-CSRF-Token', csrfToken).send({ mode: 'each' }).expect(200);
      expect(ok.body).toMatchObject({ mode: 'each', chosen: true });
      expect((await agent.get('/api/account/notifications')).body).toMatchObject({ mode: 'each', chosen: true });
    });
  });

  describe('a mail for each notification', () => {
    it('should send each chooser one mail in their own language with an absolute link, and nobody else any', async () => {
      const english = await userWithMode('volunteer', 'each', 'en');
      const italian = await userWithMode('family', 'each', 'it');
      const appOnly = await userWithMode('volunteer', 'app');
      const disabled = await userWithMode('volunteer', 'each');
      await t.dataSource.getRepository(User).update({ id: disabled.id }, { disabledAt: new Date() });

      expect(await notify(t, { userIds: [english.id, italian.id, appOnly.id, disabled.id], link: '/activities/42#helpers' })).toBe(3);
      expect(await mailsTo(t, appOnly.email)).toEqual([]);
      expect(await mailsTo(t, disabled.email)).toEqual([]);

      const en = await deliveredTo(english.email);
      const it = await deliveredTo(italian.email);
      expect(en.subject).toBe('Insieme: Your offer to help with “Coro del giovedì” on 2 July 2026 was confirmed. Thank you!');
      expect(en.text).toContain(`Open it in Insieme:\n${PUBLIC_URL}/activities/42#helpers`);
      expect(en.text).toContain(`${PUBLIC_URL}/account/notifications`);
      expect(en.html).toContain(`href="${PUBLIC_URL}/activities/42#helpers"`);
      expect(it.subject).toBe('Insieme: La tua offerta di aiuto per «Coro del giovedì» il 2 luglio 2026 è stata confermata. Grazie!');
      expect(it.text).toContain('Buongiorno,');
      expect(it.html).toContain('<html lang="it">');
      expect(smtp.received.filter((mail) => [english.email, italian.email, appOnly.email, disabled.email].includes(mail.to))).toHaveLength(2);
      // A notification still shows in the app whatever the mail.
      expect(await t.dataSource.getRepository(Notification).countBy({ userId: english.id })).toBe(1);
    });

    it('should mail the coordinator who chose it when a volunteer offers help through the portal, and not the manager nor the volunteer', async () => {
      const home = (await createHome(t, { timezone: 'Europe/Rome' })).id;
      const coordinator = await createUser(t, { role: 'coordinator', homeIds: [home], locale: 'it' });
      const manager = await createUser(t, { role: 'manager', homeIds: [home] });
      const record = await createVolunteer(t, home, { firstName: 'Vera', lastName: 'Verdi' });
      const volunteer = await createUser(t, { role: 'volunteer', homeIds: [home], personKind: 'volunteer', personId: record.id });
      await t.dataSource.getRepository(NotificationPreference).insert({ userId: volunteer.id, mode: 'each' });
      const activity = await createActivity(t, home, { title: 'Coro della domenica', startsAt: new Date(Date.now() + 2 * 24 * 60 * 60_000) });
      expect((await choose(await signIn(t, coordinator.email, coordinator.password), 'each')).status).toBe(303);

      const agent = await signIn(t, volunteer.email, volunteer.password);
      const offered = await agent.post('/volunteer/offers').type('form').send({ _csrf: await formToken(agent, '/volunteer'), activityId: activity.id, kind: 'deliver' });
      expect(offered.status).toBe(303);

      const mail = await deliveredTo(coordinator.email);
      expect(mail.subject).toMatch(/^Insieme: Vera Verdi ha offerto il suo aiuto in «Coro della domenica» (il |l')\d+ \w+ \d{4}\.$/);
      expect(mail.text).toContain(`${PUBLIC_URL}/activities/${activity.id}#helpers`);
      expect(await mailsTo(t, manager.email)).toEqual([]);
      expect(await mailsTo(t, volunteer.email)).toEqual([]);
      // The manager still finds it on the notifications page.
      const page = await (await signIn(t, manager.email, manager.password)).get('/notifications').expect(200);
      expect(page.text).toContain('Vera Verdi offered to help with “Coro della domenica”');
      expect(page.text).toContain('Email: none, in the app only.');
    });

    it('should escape what users wrote in the HTML and keep it as typed in the text', async () => {
      const user = await userWithMode('manager', 'each');
      await notify(t, { userIds: [user.id], messageKey: 'notifications.messages.newFeedback', params: { name: 'Ada <b>{x}</b>', title: 'Tombola', rating: 5 }, link: null });

      const [mail] = await mailsTo(t, user.email);
      expect(mail.textBody).toContain('Ada <b>{x}</b> rated “Tombola” 5 out of 5.');
      expect(mail.htmlBody).toContain('Ada &lt;b&gt;{x}&lt;/b&gt; rated');
      // Without a link of its own the mail points at the notifications page.
      expect(mail.textBody).toContain(`${PUBLIC_URL}/notifications`);
    });

    it('should queue no mail for a change that was rolled back', async () => {
      const user = await userWithMode('volunteer', 'each');
      await expect(t.get(UnitOfWork).transaction(async (m) => {
        await t.get(NotificationsService).notify(m, { userIds: [user.id], homeId, kind: 'help_offer', messageKey: 'notifications.messages.helpOfferDeclined', params: { title: 'Gita', date: '2026-07-03' } });
        throw new Error('the feature failed after notifying');
      })).rejects.toThrow('the feature failed');
      expect(await mailsTo(t, user.email)).toEqual([]);
      expect(await t.dataSource.getRepository(Notification).countBy({ userId: user.id })).toBe(0);
    });
  });

  describe('the daily digest', () => {
    it('should send nothing at once, one digest of the unread notifications at the morning run in the user language, and never a second', async () => {
      const family = await userWithMode('family', null, 'it');
      const read = await userWithMode('family', null, 'it');
      await notify(t, { userIds: [family.id, read.id] });
      await notify(t, { userIds: [family.id], messageKey: 'notifications.messages.helpOfferDeclined', params: { title: 'Gita al lago', date: '2026-07-03' } });
      await t.dataSource.getRepository(Notification).update({ userId: read.id }, { readAt: new Date() });
      expect(await mailsTo(t, family.email)).toEqual([]);

      const digest = t.get(DigestService);
      const morning = tomorrowMorning('Europe/Rome');
      // Before seven, nothing is due.
      expect((await digest.runDue(tomorrowMorning('Europe/Rome', 6, 55))).sent).toBe(0);
      expect(await mailsTo(t, family.email)).toEqual([]);

      const first = await digest.runDue(morning);
      expect(first.sent).toBeGreaterThanOrEqual(1);
      expect(await mailsTo(t, family.email)).toHaveLength(1);
      expect(await mailsTo(t, read.email)).toEqual([]);
      // Later the same day, and the next morning (nothing new since), no second digest.
      await digest.runDue(new Date(morning.getTime() + 3 * 60 * 60_000));
      await digest.runDue(new Date(morning.getTime() + 24 * 60 * 60_000));
      expect(await mailsTo(t, family.email)).toHaveLength(1);

      const mail = await deliveredTo(family.email);
      const localDate = DateTime.fromJSDate(morning).setZone('Europe/Rome').setLocale('it').toFormat('d MMMM yyyy');
      expect(mail.to).toBe(family.email);
      expect(mail.subject).toBe(`Insieme: il tuo riepilogo del ${localDate}`);
      expect(mail.text).toContain('Notifiche che non hai ancora letto: 2.');
      expect(mail.text).toContain('• La tua offerta di aiuto per «Coro del giovedì» il 2 luglio 2026 è stata confermata. Grazie!');
      expect(mail.text).toContain('«Gita al lago»');
      expect(mail.text).toContain(`${PUBLIC_URL}/notifications`);
      expect(mail.html).toContain('«Gita al lago»');
      expect(smtp.received.filter((m) => m.to === family.email)).toHaveLength(1);
      const runs = await t.dataSource.getRepository(DigestRun).findBy({ userId: family.id });
      expect(runs).toHaveLength(1);
      // Runs are technical records: a pass deletes those over 30 days old.
      await t.dataSource.getRepository(DigestRun).insert({ userId: read.id, localDate: '2026-01-01', upTo: new Date(morning.getTime() - 40 * 24 * 60 * 60_000), items: 1, mailId: null });
      expect((await digest.runDue(morning)).pruned).toBe(1);
      expect(await t.dataSource.getRepository(DigestRun).countBy({ userId: read.id })).toBe(0);
      expect(await t.dataSource.getRepository(DigestRun).countBy({ userId: family.id })).toBe(1);
      expect(runs[0]).toMatchObject({ items: 2, localDate: DateTime.fromJSDate(morning).setZone('Europe/Rome').toISODate() });
    });

    it('should follow the home time zone and leave out users who chose the app, or a mail each, and disabled accounts', async () => {
      const sydneyHome = (await createHome(t, { timezone: 'Australia/Sydney' })).id;
      const sydney = await createUser(t, { role: 'family', homeIds: [sydneyHome] });
      const appOnly = await userWithMode('family', 'app');
      const disabled = await userWithMode('family', 'digest');
      await notify(t, { userIds: [appOnly.id, disabled.id] });
      await notify(t, { userIds: [sydney.id], homeId: sydneyHome });
      // About a home they are not a member of: not shown in the app, so not in the digest either.
      await notify(t, { userIds: [sydney.id], messageKey: 'notifications.messages.helpOfferDeclined', params: { title: 'Gita altrove', date: '2026-07-03' } });
      await t.dataSource.getRepository(User).update({ id: disabled.id }, { disabledAt: new Date() });

      // 06:55 in Sydney tomorrow: not yet; 07:05: due.
      await t.get(DigestService).runDue(tomorrowMorning('Australia/Sydney', 6, 55));
      expect(await mailsTo(t, sydney.email)).toEqual([]);
      await t.get(DigestService).runDue(tomorrowMorning('Australia/Sydney', 7, 5));
      const [digest] = await mailsTo(t, sydney.email);
      expect(digest.textBody).toContain('Notifications you have not read yet: 1.');
      expect(digest.textBody).toContain('“Coro del giovedì”');
      expect(digest.textBody).not.toContain('Gita altrove');
      expect(await mailsTo(t, sydney.email)).toHaveLength(1);
      await t.get(DigestService).runDue(tomorrowMorning('Europe/Rome'));
      expect(await mailsTo(t, appOnly.email)).toEqual([]);
      expect(await mailsTo(t, disabled.email)).toEqual([]);
    });

    it('should run on a timer once started and stop with the app', async () => {
      const registry = t.get(SchedulerRegistry);
      // Off in tests until a test starts it.
      expect(registry.getIntervals()).not.toContain('notification-digest');
      t.get(DigestService).start(60_000);
      expect(registry.getIntervals()).toContain('notification-digest');
      await t.get(DigestService).stop();
      expect(registry.getIntervals()).not.toContain('notification-digest');
    });
  });

  describe('two app processes on one database', () => {
    it('should queue and deliver each digest once when both run the job at the same moment', async () => {
      const second = await createTestApp({ database: t.database, env: { ...ENV, SMTP_URL: smtp.url } });
      try {
        const users: TestUser[] = [];
        for (let i = 0; i < 6; i++) users.push(await userWithMode('family', 'digest', i % 2 ? 'it' : 'en'));
        for (const user of users) await notify(t, { userIds: [user.id] });
        const morning = tomorrowMorning('Europe/Rome');

        const passes = await Promise.all([t.get(DigestService).runDue(morning), second.get(DigestService).runDue(morning), t.get(DigestService).runDue(morning)]);
        const runs = await t.dataSource.getRepository(DigestRun).find({ where: users.map((u) => ({ userId: u.id })) });
        expect(runs).toHaveLength(users.length);
        for (const user of users) expect(await mailsTo(t, user.email)).toHaveLength(1);
        expect(passes[0].sent + passes[1].sent).toBe(users.length);
        expect(passes[0]).toBe(passes[2]);

        await Promise.all([t.get(MailWorker).processDue(), second.get(MailWorker).processDue()]);
        await smtp.waitFor(users.length);
        await Promise.all([t.get(MailWorker).processDue(new Date(Date.now() + 60 * 60_000)), second.get(MailWorker).processDue(new Date(Date.now() + 60 * 60_000))]);
        for (const user of users) expect(smtp.received.filter((mail) => mail.to === user.email)).toHaveLength(1);
      } finally {
        await second.close();
      }
    });
  });
});
