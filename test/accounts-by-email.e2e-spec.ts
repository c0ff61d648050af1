import request from 'supertest';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { PasswordReset } from '../src/auth/entities/password-reset.entity';
import { SessionRecord } from '../src/auth/entities/session.entity';
import { User } from '../src/auth/entities/user.entity';
import { UnitOfWork } from '../src/database/unit-of-work';
import { FamilyMember } from '../src/families/entities/family-member.entity';
import { MailMessage } from '../src/mail/entities/mail-message.entity';
import { MailService } from '../src/mail/mail.service';
import { MailWorker } from '../src/mail/mail-worker';
import { StaffMember } from '../src/staff/entities/staff-member.entity';
import { createHome, createUser, TestUser } from './support/factories';
import { createFamilyMember } from './support/family-factories';
import { Agent, csrfFrom, formToken, signIn } from './support/http';
import { createStaffMember } from './support/people-factories';
import { createRelative, createResident } from './support/resident-factories';
import { ReceivedMail, startSmtpServer, TestSmtpServer } from './support/smtp';
import { createTestApp, TestApp } from './support/test-app';

const PUBLIC_URL = 'https://insieme.casa-serena.example';
const NEW_PASSWORD = 'a brand new sentence for me';

/** Accounts by email (issue 16, item 2): every mail goes through a real SMTP server and its link is followed. */
describe('Accounts by email', () => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let homeIt: string;
  let admin: TestUser;
  let manager: TestUser;
  let managerAgent: Agent;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Casa Serena <posta@casa-serena.example>', PUBLIC_URL } });
    homeIt = (await createHome(t, { name: 'Casa Serena', locale: 'it' })).id;
    admin = await createUser(t, { role: 'admin', displayName: 'Ada Admin' });
    manager = await createUser(t, { role: 'manager', homeIds: [homeIt], displayName: 'Marta Manager' });
    managerAgent = await signIn(t, manager.email, manager.password);
  });

  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  beforeEach(() => {
    smtp.received.length = 0;
  });

  const users = () => t.dataSource.getRepository(User);

  /** Sends what is due and returns the mails that arrived. */
  async function deliver(count: number): Promise<ReceivedMail[]> {
    await t.get(MailWorker).processDue();
    return smtp.waitFor(count);
  }

  function linkIn(mail: ReceivedMail): string {
    const match = new RegExp(`${PUBLIC_URL.replace(/\./g, '\\.')}(/[\\w/-]+)`).exec(mail.text);
    if (!match) throw new Error(`no link in: ${mail.text}`);
    // Both parts carry the same link.
    expect(mail.html).toContain(`href="${PUBLIC_URL}${match[1]}"`);
    return match[1];
  }

  async function post(agent: Agent, path: string, body: Record<string, string> = {}, tokenPage = '/account') {
    const token = await formToken(agent, tokenPage);
    return agent.post(path).type('form').send({ _csrf: token, ...body });
  }

  async function anonymousPost(path: string, body: Record<string, string>) {
    const agent = request.agent(t.server);
    const token = csrfFrom((await agent.get(path.startsWith('/password/forgot') ? '/password/forgot' : '/login').expect(200)).text);
    return { agent, res: await agent.post(path).type('form').send({ _csrf: token, ...body }) };
  }

  async function signInStatus(email: string, password: string): Promise<number> {
    const agent = request.agent(t.server);
    const token = await formToken(agent);
    return (await agent.post('/login').type('form').send({ _csrf: token, email, password })).status;
  }

  describe('invitations', () => {
    it('should mail the invitation in the home language with a link that sets up the account, and say so instead of showing the link', async () => {
      const member = await createFamilyMember(t, homeIt, { firstName: 'Giulia', lastName: 'Neri', email: 'giulia.neri@example.test' });
      const res = await post(managerAgent, `/families/${member.id}/invitation`, {}, `/families/${member.id}`);
      expect(res.status).toBe(303);
      const page = await managerAgent.get(res.headers.location).expect(200);
      expect(page.text).toContain('Invitation on its way to giulia.neri@example.test by email');
      expect(page.text).not.toContain('/invitations/');

      const [mail] = await deliver(1);
      expect(mail).toMatchObject({ to: 'giulia.neri@example.test', subject: 'Il tuo invito a Insieme' });
      expect(mail.text).toContain('Gentile Giulia Neri,');
      expect(mail.text).toContain('Marta Manager ti invita a usare Insieme, dove Casa Serena');
      const path = linkIn(mail);
      const setup = await request(t.server).get(path).expect(200);
      expect(setup.text).toContain('giulia.neri@example.test');

      const agent = request.agent(t.server);
      const token = csrfFrom((await agent.get(path).expect(200)).text);
      await agent.post(path).type('form').send({ _csrf: token, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }).expect(303);
      expect(await signInStatus('giulia.neri@example.test', NEW_PASSWORD)).toBe(303);
    });

    it('should make the old link stop working on resend, and the new one stop working on revoke while the account stays', async () => {
      const staff = await createStaffMember(t, homeIt, { firstName: 'Sara', lastName: 'Verdi', email: 'sara.verdi@example.test' });
      await post(managerAgent, `/staff/${staff.id}/invite`, { role: 'carer' }, `/staff/${staff.id}`).then((res) => expect(res.status).toBe(303));
      const first = linkIn((await deliver(1))[0]);
      const account = await users().findOneByOrFail({ email: 'sara.verdi@example.test' });
      expect(account.locale).toBe('it');

      const detail = await managerAgent.get(`/accounts/${account.id}`).expect(200);
      expect(detail.text).toMatch(/set-up link valid until \d/);
      const resend = await post(managerAgent, `/accounts/${account.id}/setup-link`, {}, `/accounts/${account.id}`);
      expect(resend.status).toBe(303);
      smtp.received.length = 0;
      const [second] = await deliver(1);
      expect(second.to).toBe('sara.verdi@example.test');
      const secondPath = linkIn(second);
      expect(secondPath).not.toBe(first);
      const old = await request(t.server).get(first);
      expect(old.status).toBe(422);
      expect(old.text).toContain('This invitation link has expired');
      await request(t.server).get(secondPath).expect(200);

      const revoked = await post(managerAgent, `/accounts/${account.id}/revoke-link`, {}, `/accounts/${account.id}`);
      expect(revoked.status).toBe(303);
      expect((await managerAgent.get(revoked.headers.location)).text).toContain('The invitation link no longer works');
      expect((await request(t.server).get(secondPath)).status).toBe(422);
      expect(await users().findOneByOrFail({ id: account.id })).toMatchObject({ passwordHash: null, disabledAt: null });
      const again = await post(managerAgent, `/accounts/${account.id}/revoke-link`, {}, `/accounts/${account.id}`);
      expect(again.status).toBe(422);
      expect(again.text).toContain('There is no invitation link waiting to be used.');
    });

    it('should mail a set-up link when an admin forces a password reset', async () => {
      const carer = await createUser(t, { role: 'carer', homeIds: [homeIt], displayName: 'Carlo Carer', locale: 'en' });
      await signIn(t, carer.email, carer.password);
      const adminAgent = await signIn(t, admin.email, admin.password);
      const res = await post(adminAgent, `/accounts/${carer.id}/reset`, {}, `/accounts/${carer.id}`);
      expect(res.status).toBe(303);
      expect((await adminAgent.get(res.headers.location)).text).toContain(`Invitation on its way to ${carer.email} by email`);
      const [mail] = await deliver(1);
      expect(mail).toMatchObject({ to: carer.email, subject: 'Choose a new password for Insieme' });
      expect(mail.text).toContain('Hello Carlo Carer,');
      expect(mail.text).toContain('Ada Admin has reset the password of your Insieme account at Casa Serena');
      expect(await signInStatus(carer.email, carer.password)).toBe(422);
      await request(t.server).get(linkIn(mail)).expect(200);
    });
  });

  describe('password reset', () => {
    it('should give the same answer for a known and an unknown address and mail a link only to the account', async () => {
      const user = await createUser(t, { role: 'coordinator', homeIds: [homeIt], displayName: 'Cora Coord', locale: 'it' });
      const known = await anonymousPost('/password/forgot', { email: user.email.toUpperCase() });
      const unknown = await anonymousPost('/password/forgot', { email: 'nobody-here@example.test' });
      expect(known.res.status).toBe(303);
      expect(unknown.res.status).toBe(303);
      expect(known.res.headers.location).toBe(unknown.res.headers.location);
      const knownPage = await known.agent.get(known.res.headers.location).expect(200);
      const unknownPage = await unknown.agent.get(unknown.res.headers.location).expect(200);
      expect(knownPage.text).toContain('If an account with a password exists for that address');
      expect(unknownPage.text).toContain('If an account with a password exists for that address');

      const [mail] = await deliver(1);
      await t.get(MailWorker).processDue();
      expect(smtp.received).toHaveLength(1);
      expect(mail).toMatchObject({ to: user.email, subject: 'Reimposta la password di Insieme' });
      expect(mail.text).toContain('per 30 minuti');
      expect(linkIn(mail)).toMatch(/^\/password\/reset\/[\w-]{40,}$/);
      const stored = await t.dataSource.getRepository(PasswordReset).findOneByOrFail({ userId: user.id });
      expect(mail.text).not.toContain(stored.tokenHash);
      expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBeGreaterThan(29 * 60_000);
      expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBeLessThanOrEqual(30 * 60_000 + 1000);
    });

    it('should set the new password once, end every session, and refuse the link a second time with nothing changed', async () => {
      const user = await createUser(t, { role: 'carer', homeIds: [homeIt], displayName: 'Rita Reset' });
      const signedIn = await signIn(t, user.email, user.password);
      await anonymousPost('/password/forgot', { email: user.email });
      const path = linkIn((await deliver(1))[0]);

      const agent = request.agent(t.server);
      const form = await agent.get(path).expect(200);
      expect(form.text).toContain(user.email);
      const short = await agent.post(path).type('form').send({ _csrf: csrfFrom(form.text), newPassword: 'short', confirmPassword: 'short' });
      expect(short.status).toBe(422);
      expect(short.text).toMatch(/id="error-newPassword">[^<]*at least 10/);

      const done = await agent.post(path).type('form').send({ _csrf: csrfFrom(form.text), newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/login?reset=1');
      expect((await agent.get(done.headers.location)).text).toContain('Your password has been changed');
      expect(await t.dataSource.getRepository(SessionRecord).countBy({ userId: user.id })).toBe(0);
      expect((await signedIn.get('/account')).headers.location).toBe('/login?next=%2Faccount&reason=passwordChanged');
      expect(await signInStatus(user.email, user.password)).toBe(422);
      expect(await signInStatus(user.email, NEW_PASSWORD)).toBe(303);
      const audit = await t.dataSource.getRepository(AuditEntry).findBy({ entityType: 'user', entityId: user.id, action: 'update' });
      expect(audit.map((entry) => entry.changes)).toContainEqual({ password: { old: '[redacted]', new: '[reset by email]' } });

      const hashBefore = (await users().findOneByOrFail({ id: user.id })).passwordHash;
      const again = request.agent(t.server);
      const used = await again.get(path);
      expect(used.status).toBe(422);
      expect(used.text).toContain('This password reset link has already been used, so nothing was changed.');
      const token = csrfFrom((await again.get('/login')).text);
      const reuse = await again.post(path).type('form').send({ _csrf: token, newPassword: 'another long sentence', confirmPassword: 'another long sentence' });
      expect(reuse.status).toBe(422);
      expect(reuse.text).toContain('already been used');
      expect((await users().findOneByOrFail({ id: user.id })).passwordHash).toBe(hashBefore);
    });

    it('should show a clear page for an expired link and change nothing', async () => {
      const user = await createUser(t, { role: 'carer', homeIds: [homeIt] });
      await anonymousPost('/password/forgot', { email: user.email });
      const path = linkIn((await deliver(1))[0]);
      await t.dataSource.getRepository(PasswordReset).update({ userId: user.id }, { expiresAt: new Date(Date.now() - 1000) });
      const agent = request.agent(t.server);
      const page = await agent.get(path);
      expect(page.status).toBe(422);
      expect(page.text).toContain('This password reset link has expired (links work for 30 minutes), so nothing was changed.');
      const token = csrfFrom((await agent.get('/login')).text);
      expect((await agent.post(path).type('form').send({ _csrf: token, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })).status).toBe(422);
      expect(await signInStatus(user.email, user.password)).toBe(303);
      const nonsense = await request(t.server).get('/password/reset/not-a-token');
      expect(nonsense.status).toBe(404);
      expect(nonsense.text).toContain('This password reset link is not valid.');
    });

    it('should throttle requests per address, known or not, with a clear message and no mail', async () => {
      const user = await createUser(t, { role: 'carer', homeIds: [homeIt] });
      for (const email of [user.email, 'ghost@example.test']) {
        for (let i = 0; i < 3; i++) expect((await anonymousPost('/password/forgot', { email })).res.status).toBe(303);
        const fourth = await anonymousPost('/password/forgot', { email });
        expect(fourth.res.status).toBe(429);
        expect(fourth.res.text).toContain('Too many requests for a new password.');
        expect(fourth.res.text).toContain(`value="${email}"`);
      }
      await deliver(3);
      await t.get(MailWorker).processDue();
      expect(smtp.received.filter((mail) => mail.to === user.email)).toHaveLength(3);
      expect(smtp.received).toHaveLength(3);
    });

    it('should refuse a malformed address beside the field', async () => {
      const { res } = await anonymousPost('/password/forgot', { email: 'not an address' });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="error-email">/);
      expect(res.text).toContain('value="not an address"');
    });
  });

  describe('email change', () => {
    it('should change a user’s own address only when the new address confirms it, and tell the old address', async () => {
      const user = await createUser(t, { role: 'coordinator', homeIds: [homeIt], displayName: 'Elsa Email', locale: 'en' });
      const agent = await signIn(t, user.email, user.password);
      const taken = await post(agent, '/account/email', { newEmail: manager.email });
      expect(taken.status).toBe(422);
      expect(taken.text).toMatch(/id="error-newEmail">An account with this email already exists\./);
      expect(taken.text).toContain(`value="${manager.email}"`);

      const res = await post(agent, '/account/email', { newEmail: 'Elsa.New@Example.test' });
      expect(res.status).toBe(303);
      const page = await agent.get('/account');
      expect(page.text).toContain('We have mailed a confirmation link to elsa.new@example.test');
      expect(page.text).toContain('Waiting for confirmation: elsa.new@example.test');
      const [mail] = await deliver(1);
      expect(mail).toMatchObject({ to: 'elsa.new@example.test', subject: 'Confirm your new email address for Insieme' });
      expect((await users().findOneByOrFail({ id: user.id })).email).toBe(user.email);
      expect(await signInStatus(user.email, user.password)).toBe(303);

      const path = linkIn(mail);
      const confirmPage = await agent.get(path).expect(200);
      // Opening the link changes nothing: a mail scanner may follow it.
      expect((await users().findOneByOrFail({ id: user.id })).email).toBe(user.email);
      expect(confirmPage.text).toContain('elsa.new@example.test');
      const confirmed = await agent.post(path).type('form').send({ _csrf: csrfFrom(confirmPage.text) });
      expect(confirmed.status).toBe(200);
      expect(confirmed.text).toContain('The email address is now elsa.new@example.test');
      expect((await users().findOneByOrFail({ id: user.id })).email).toBe('elsa.new@example.test');
      expect(await signInStatus('elsa.new@example.test', user.password)).toBe(303);
      smtp.received.length = 0;
      const [notice] = await deliver(1);
      expect(notice).toMatchObject({ to: user.email, subject: 'Your Insieme email address has changed' });
      expect(notice.text).toContain('now signs in with elsa.new@example.test');
      const twice = await request(t.server).get(path);
      expect(twice.status).toBe(422);
      expect(twice.text).toContain('already been used');
    });

    it('should keep a relative’s record and account in step when staff change the address on the record', async () => {
      const resident = await createResident(t, homeIt);
      const { familyMember, user } = await createRelative(t, resident);
      const edit = await post(managerAgent, `/families/${familyMember.id}`, {
        firstName: familyMember.firstName, lastName: familyMember.lastName, email: 'paola.nuova@example.test', phone: '',
      }, `/families/${familyMember.id}/edit`);
      expect(edit.status).toBe(303);
      expect((await t.dataSource.getRepository(FamilyMember).findOneByOrFail({ id: familyMember.id })).email).toBe(familyMember.email);
      expect((await managerAgent.get(`/families/${familyMember.id}`)).text).toContain('paola.nuova@example.test waits for confirmation');
      const [mail] = await deliver(1);
      expect(mail).toMatchObject({ to: 'paola.nuova@example.test' });

      const agent = request.agent(t.server);
      const page = await agent.get(linkIn(mail)).expect(200);
      await agent.post(linkIn(mail)).type('form').send({ _csrf: csrfFrom(page.text) }).expect(200);
      expect((await t.dataSource.getRepository(FamilyMember).findOneByOrFail({ id: familyMember.id })).email).toBe('paola.nuova@example.test');
      expect((await users().findOneByOrFail({ id: user.id })).email).toBe('paola.nuova@example.test');
      const recordAudit = await t.dataSource.getRepository(AuditEntry).findBy({ entityType: 'family_member', entityId: familyMember.id });
      expect(recordAudit.map((entry) => entry.changes)).toContainEqual({ email: { old: familyMember.email, new: 'paola.nuova@example.test' } });
    });

    it('should refuse a staff record’s new address that another account has, beside the field, and change nothing', async () => {
      const staff = await createStaffMember(t, homeIt, { email: 'teresa@example.test' });
      await createUser(t, { role: 'carer', homeIds: [homeIt], email: 'teresa@example.test', personKind: 'staff', personId: staff.id });
      const res = await post(managerAgent, `/staff/${staff.id}`, {
        firstName: 'Teresa', lastName: 'Rossa', email: manager.email, jobRole: 'care_assistant', status: 'active', startedOn: '',
      }, `/staff/${staff.id}/edit`);
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="error-email">An account with this email already exists\./);
      expect((await t.dataSource.getRepository(StaffMember).findOneByOrFail({ id: staff.id })).lastName).toBe(staff.lastName);
      expect(await t.dataSource.getRepository(MailMessage).countBy({ toAddress: manager.email, template: 'email_change' })).toBe(0);
    });
  });

  describe('account management gaps', () => {
    it('should let a manager neither disable, reset nor change the role of another manager, while an admin can', async () => {
      const other = await createUser(t, { role: 'manager', homeIds: [homeIt], displayName: 'Otto Other' });
      const page = await managerAgent.get(`/accounts/${other.id}`).expect(200);
      expect(page.text).toContain('Only an administrator can do this');
      expect(page.text).not.toContain(`/accounts/${other.id}/disable`);
      for (const [path, body] of [['disable', {}], ['reset', {}], ['role', { role: 'carer' }]] as const) {
        const res = await post(managerAgent, `/accounts/${other.id}/${path}`, body, `/accounts/${other.id}`);
        expect(res.status).toBe(422);
        expect(res.text).toContain('Only an administrator can do this');
      }
      expect(await users().findOneByOrFail({ id: other.id })).toMatchObject({ role: 'manager', disabledAt: null });
      expect(await signInStatus(other.email, other.password)).toBe(303);

      const adminAgent = await signIn(t, admin.email, admin.password);
      expect((await post(adminAgent, `/accounts/${other.id}/role`, { role: 'coordinator' }, `/accounts/${other.id}`)).status).toBe(303);
      expect((await post(adminAgent, `/accounts/${other.id}/disable`, {}, `/accounts/${other.id}`)).status).toBe(303);
      expect(await users().findOneByOrFail({ id: other.id })).toMatchObject({ role: 'coordinator', disabledReason: 'admin' });
    });

    it('should not re-enable on un-archiving an account disabled on its own, but re-enable one the archive disabled', async () => {
      const kept = await createStaffMember(t, homeIt);
      const keptUser = await createUser(t, { role: 'carer', homeIds: [homeIt], personKind: 'staff', personId: kept.id });
      expect((await post(managerAgent, `/accounts/${keptUser.id}/disable`, {}, `/accounts/${keptUser.id}`)).status).toBe(303);
      expect((await post(managerAgent, `/staff/${kept.id}/archive`, {}, `/staff/${kept.id}`)).status).toBe(303);
      expect((await post(managerAgent, `/staff/${kept.id}/unarchive`, {}, `/staff/${kept.id}`)).status).toBe(303);
      expect((await users().findOneByOrFail({ id: keptUser.id })).disabledAt).not.toBeNull();
      expect(await signInStatus(keptUser.email, keptUser.password)).toBe(422);

      const back = await createStaffMember(t, homeIt);
      const backUser = await createUser(t, { role: 'carer', homeIds: [homeIt], personKind: 'staff', personId: back.id });
      expect((await post(managerAgent, `/staff/${back.id}/archive`, {}, `/staff/${back.id}`)).status).toBe(303);
      expect(await users().findOneByOrFail({ id: backUser.id })).toMatchObject({ disabledReason: 'archive' });
      expect((await post(managerAgent, `/staff/${back.id}/unarchive`, {}, `/staff/${back.id}`)).status).toBe(303);
      expect(await users().findOneByOrFail({ id: backUser.id })).toMatchObject({ disabledAt: null, disabledReason: null });
      expect(await signInStatus(backUser.email, backUser.password)).toBe(303);
    });
  });

  describe('data protection', () => {
    it('should list the mails naming a resident in the export and scrub them on erasure', async () => {
      const resident = await createResident(t, homeIt, { firstName: 'Ornella', lastName: 'Vanoni', status: 'discharged', leftOn: '2026-07-01' });
      const other = await t.get(UnitOfWork).transaction((m) => t.get(MailService).enqueue(m, {
        to: 'figlia@example.test', template: 'test', locale: 'en', homeId: homeIt, params: { sender: 'Ornella Vanoni & <co>' },
      }));
      const unrelated = await t.get(UnitOfWork).transaction((m) => t.get(MailService).enqueue(m, {
        to: 'figlia@example.test', template: 'test', locale: 'en', homeId: homeIt, params: { sender: 'Someone Else' },
      }));
      const exported = await managerAgent.get(`/residents/${resident.id}/data-export.json`).expect(200);
      const mails = (exported.body as { mails: { text: string; subject: string }[] }).mails;
      expect(mails).toHaveLength(1);
      expect(mails[0].text).toContain('sent by Ornella Vanoni & <co>');
      expect(JSON.stringify(mails)).not.toContain('figlia@example.test');

      const form = await managerAgent.get(`/residents/${resident.id}/erase`).expect(200);
      const erased = await managerAgent.post(`/residents/${resident.id}/erase`).type('form').send({ _csrf: csrfFrom(form.text), reason: 'A request received by post', confirm: 'on' });
      expect(erased.status).toBe(303);
      const scrubbed = await t.dataSource.getRepository(MailMessage).findOneByOrFail({ id: other.id });
      expect(scrubbed.textBody).not.toContain('Vanoni');
      expect(scrubbed.htmlBody).not.toContain('Vanoni');
      expect(scrubbed.textBody).toContain('& <co>');
      expect((await t.dataSource.getRepository(MailMessage).findOneByOrFail({ id: unrelated.id })).textBody).toContain('Someone Else');
    });
  });
});
