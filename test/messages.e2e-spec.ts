import { DateTime } from 'luxon';
import { IsNull } from 'typeorm';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { HomeView } from '../src/homes/homes.service';
import { MailMessage } from '../src/mail/entities/mail-message.entity';
import { Message } from '../src/messages/entities/message.entity';
import { MessageRead } from '../src/messages/entities/message-read.entity';
import { MessageThread } from '../src/messages/entities/message-thread.entity';
import { DigestService } from '../src/notifications/digest.service';
import { Notification } from '../src/notifications/entities/notification.entity';
import { FamilyLink } from '../src/residents/entities/family-link.entity';
import { Resident } from '../src/residents/entities/resident.entity';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, apiSignIn, csrfFrom, signIn } from './support/http';
import { createVolunteer } from './support/people-factories';
import { createRelative, createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';

/** Page text with the entities Handlebars writes turned back into characters. */
function plain(html: string): string {
  return html.replace(/&amp;/g, '&').replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=').replace(/&quot;/g, '"');
}

/** The text of the site menu's "Messages" entry. */
function menuEntry(html: string, href: string): string {
  const match = new RegExp(`<a href="${href}"[^>]*>([^<]*)</a>`).exec(html);
  if (!match) throw new Error(`No menu entry ${href}`);
  return match[1];
}

describe('Messages between a home and relatives', () => {
  let t: TestApp;
  let home: HomeView;
  let otherHome: HomeView;
  let rosa: Resident;
  let bruno: Resident;
  let dario: Resident;
  let hidden: Resident;
  type Person = { user: TestUser; agent: Agent; familyMemberId?: string };
  let ada: Person;
  let viewer: Person;
  let ben: Person;
  let hiddenRelative: Person;
  let coordinator: Person;
  let manager: Person;
  let carer: Person;
  let volunteer: Person;
  let otherCoordinator: Person;
  let admin: Person;
  const tokens = new Map<Agent, string>();

  async function post(agent: Agent, path: string, body: Record<string, unknown> = {}) {
    if (!tokens.has(agent)) tokens.set(agent, csrfFrom((await agent.get('/account').expect(200)).text));
    return agent.post(path).type('form').send({ _csrf: tokens.get(agent), ...body });
  }
  async function person(user: TestUser): Promise<Person> {
    return { user, agent: await signIn(t, user.email, user.password) };
  }
  async function relativeOf(resident: Resident, link: Partial<FamilyLink> = {}): Promise<Person> {
    const created = await createRelative(t, resident, link);
    return { ...(await person(created.user)), familyMemberId: created.familyMember.id };
  }
  const threadOf = (resident: Resident) => t.dataSource.getRepository(MessageThread).findOneBy({ residentId: resident.id });
  const messageCount = () => t.dataSource.getRepository(Message).count();
  const notificationsOf = (user: TestUser) => t.dataSource.getRepository(Notification).findBy({ userId: user.id, kind: 'message' });

  beforeAll(async () => {
    t = await createTestApp();
    home = await createHome(t, { name: 'Casa Serena' });
    otherHome = await createHome(t, { name: 'Casa Lontana' });
    rosa = await createResident(t, home.id, { firstName: 'Rosa', lastName: 'Esposito', preferredName: 'Nonna Rosa' });
    bruno = await createResident(t, home.id, { firstName: 'Bruno', lastName: 'Neri' });
    hidden = await createResident(t, home.id, { firstName: 'Ida', lastName: 'Nascosta', consentFamilyPortal: 'none' });
    dario = await createResident(t, otherHome.id, { firstName: 'Dario', lastName: 'Lontano' });
    ada = await relativeOf(rosa);
    viewer = await relativeOf(rosa, { access: 'view', primaryContact: false });
    ben = await relativeOf(bruno);
    hiddenRelative = await relativeOf(hidden);
    await relativeOf(dario);
    coordinator = await person(await createUser(t, { role: 'coordinator', homeIds: [home.id], displayName: 'Giulia Coordinatrice' }));
    manager = await person(await createUser(t, { role: 'manager', homeIds: [home.id], displayName: 'Marco Direttore' }));
    carer = await person(await createUser(t, { role: 'carer', homeIds: [home.id] }));
    const vera = await createVolunteer(t, home.id, { firstName: 'Vera', lastName: 'Aiuto' });
    volunteer = await person(await createUser(t, { role: 'volunteer', homeIds: [home.id], personKind: 'volunteer', personId: vera.id }));
    otherCoordinator = await person(await createUser(t, { role: 'coordinator', homeIds: [otherHome.id] }));
    admin = await person(await createUser(t, { role: 'admin' }));
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  describe('a relative writes, the home reads and answers', () => {
    it('should store a relative\'s message in their resident\'s thread and tell the home\'s coordinators and managers only', async () => {
      const page = plain((await ada.agent.get(`/portal/residents/${rosa.id}/messages`).expect(200)).text);
      expect(page).toContain('Messages about Nonna Rosa Esposito');
      expect(page).toContain('No messages yet.');
      expect(page).toContain(`action="/portal/residents/${rosa.id}/messages"`);

      const res = await post(ada.agent, `/portal/residents/${rosa.id}/messages`, { body: '  Could Mum join the choir on Sunday?  ' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/portal/residents/${rosa.id}/messages#write`);
      const thread = await threadOf(rosa);
      expect(thread).toMatchObject({ homeId: home.id, lastSide: 'family', lastHomeAt: null, homeReadAt: null });
      const [message] = await t.dataSource.getRepository(Message).findBy({ threadId: thread!.id });
      expect(message).toMatchObject({ side: 'family', authorUserId: ada.user.id, authorRole: 'family', body: 'Could Mum join the choir on Sunday?' });

      const after = plain((await ada.agent.get(`/portal/residents/${rosa.id}/messages`).expect(200)).text);
      expect(after).toContain('Could Mum join the choir on Sunday?');
      for (const staff of [coordinator, manager]) {
        const [notice] = await notificationsOf(staff.user);
        expect(notice).toMatchObject({ messageKey: 'notifications.messages.messageFromFamily', link: `/residents/${rosa.id}/messages`, homeId: home.id });
        expect(notice.params).toMatchObject({ resident: 'Nonna Rosa Esposito' });
      }
      for (const nobody of [ada, viewer, ben, carer, volunteer, otherCoordinator, admin]) expect(await notificationsOf(nobody.user)).toEqual([]);
    });

    it('should show the unanswered thread on the coordinator\'s and the manager\'s home page and mark it unread in the home\'s list', async () => {
      for (const staff of [coordinator, manager]) {
        const dashboard = plain((await staff.agent.get('/').expect(200)).text);
        expect(dashboard).toContain('Unanswered messages');
        expect(dashboard).toContain(`<a href="/residents/${rosa.id}/messages">Nonna Rosa Esposito</a>`);
        expect(menuEntry(dashboard, '/messages')).toBe('Messages (1)');
        const list = plain((await staff.agent.get('/messages').expect(200)).text);
        const row = list.slice(list.indexOf(`/residents/${rosa.id}/messages`));
        expect(row.slice(0, row.indexOf('</li>'))).toMatch(/Unread[\s\S]*Unanswered[\s\S]*Last from the family/);
      }
      expect((await otherCoordinator.agent.get('/').expect(200)).text).not.toContain(rosa.id);
      expect((await otherCoordinator.agent.get('/messages').expect(200)).text).not.toContain(rosa.id);
    });

    it('should mark the thread read for the whole home when one coordinator marks it read, and not on a mere GET', async () => {
      const page = plain((await coordinator.agent.get(`/residents/${rosa.id}/messages`).expect(200)).text);
      expect(page).toContain('Could Mum join the choir on Sunday?');
      expect(page).toContain('New messages: 1');
      expect(page).toContain(`action="/residents/${rosa.id}/messages/read"`);
      expect((await threadOf(rosa))!.homeReadAt).toBeNull();
      const res = await post(coordinator.agent, `/residents/${rosa.id}/messages/read`);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/residents/${rosa.id}/messages`);
      expect((await threadOf(rosa))!.homeReadAt).not.toBeNull();
      // The manager did not read it, yet the home has; it stays unanswered.
      const dashboard = plain((await manager.agent.get('/').expect(200)).text);
      expect(menuEntry(dashboard, '/messages')).toBe('Messages');
      expect(dashboard).toContain(`<a href="/residents/${rosa.id}/messages">Nonna Rosa Esposito</a>`);
      const again = plain((await manager.agent.get(`/residents/${rosa.id}/messages`).expect(200)).text);
      expect(again).not.toContain('New messages');
      expect(again).not.toContain(`/residents/${rosa.id}/messages/read`);
    });

    it('should send the home\'s answer to each linked relative with an account, and keep each relative\'s read state', async () => {
      const res = await post(coordinator.agent, `/residents/${rosa.id}/messages`, { body: 'Of course: the choir starts at 10.' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/residents/${rosa.id}/messages#write`);
      expect(await threadOf(rosa)).toMatchObject({ lastSide: 'home' });
      for (const relative of [ada, viewer]) {
        const [notice] = await notificationsOf(relative.user);
        expect(notice).toMatchObject({ messageKey: 'notifications.messages.messageFromHome', link: `/portal/residents/${rosa.id}/messages` });
        expect(notice.params).toMatchObject({ name: 'Giulia Coordinatrice', resident: 'Nonna Rosa Esposito' });
      }
      expect(await notificationsOf(ben.user)).toEqual([]);
      expect(await notificationsOf(coordinator.user)).toHaveLength(1);
      // Answered: off the dashboard, no longer marked in the list.
      const dashboard = plain((await manager.agent.get('/').expect(200)).text);
      expect(dashboard).not.toContain(`<a href="/residents/${rosa.id}/messages">`);
      expect(dashboard).toContain('Every relative has had an answer.');

      expect(menuEntry((await ada.agent.get('/portal').expect(200)).text, '/portal/messages')).toBe('Messages (1)');
      const adaPage = plain((await ada.agent.get(`/portal/residents/${rosa.id}/messages`).expect(200)).text);
      expect(adaPage).toContain('Of course: the choir starts at 10.');
      expect(adaPage).toContain('New messages: 1');
      expect((await post(ada.agent, `/portal/residents/${rosa.id}/messages/read`)).headers.location).toBe(`/portal/residents/${rosa.id}/messages`);
      expect(adaPage).toContain('<strong>Giulia Coordinatrice</strong> · Activity coordinator ·');
      // Newest at the bottom.
      expect(adaPage.indexOf('Could Mum join the choir')).toBeLessThan(adaPage.indexOf('Of course: the choir starts at 10.'));
      expect(menuEntry((await ada.agent.get('/portal').expect(200)).text, '/portal/messages')).toBe('Messages');
      expect(await t.dataSource.getRepository(MessageRead).countBy({ userId: ada.user.id })).toBe(1);
      // The other relative has not read it yet.
      expect(menuEntry((await viewer.agent.get('/portal').expect(200)).text, '/portal/messages')).toBe('Messages (1)');
      const list = plain((await viewer.agent.get('/portal/messages').expect(200)).text);
      expect(list).toContain('Unread: 1');
      expect(list).not.toContain('Bruno');
    });

    it('should audit each message and the thread without their text', async () => {
      const thread = (await threadOf(rosa))!;
      const messages = await t.dataSource.getRepository(Message).findBy({ threadId: thread.id });
      const entries = await t.dataSource.getRepository(AuditEntry).findBy({ entityType: 'message' });
      expect(entries.map((e) => e.entityId).sort()).toEqual(messages.map((m) => m.id).sort());
      for (const entry of entries) expect(JSON.stringify(entry.changes)).not.toMatch(/choir/);
      expect(await t.dataSource.getRepository(AuditEntry).countBy({ entityType: 'message_thread', entityId: thread.id })).toBe(1);
    });
  });

  describe('who reaches which thread', () => {
    it('should answer 404 for another resident\'s thread, another home\'s and a resident whose consent hides them, and write nothing', async () => {
      const before = await messageCount();
      for (const resident of [bruno, dario, hidden]) {
        await ada.agent.get(`/portal/residents/${resident.id}/messages`).expect(404);
        expect((await post(ada.agent, `/portal/residents/${resident.id}/messages`, { body: 'Forged' })).status).toBe(404);
      }
      await hiddenRelative.agent.get(`/portal/residents/${hidden.id}/messages`).expect(404);
      await otherCoordinator.agent.get(`/residents/${rosa.id}/messages`).expect(404);
      expect((await post(otherCoordinator.agent, `/residents/${rosa.id}/messages`, { body: 'Forged' })).status).toBe(404);
      expect(await messageCount()).toBe(before);
    });

    it('should refuse volunteers, carers and admins on both sides (their roles take no part)', async () => {
      for (const outsider of [volunteer, carer, admin]) {
        await outsider.agent.get(`/portal/residents/${rosa.id}/messages`).expect(403);
        await outsider.agent.get(`/residents/${rosa.id}/messages`).expect(403);
        await outsider.agent.get('/messages').expect(403);
      }
      for (const staff of [coordinator, manager]) await staff.agent.get(`/portal/residents/${rosa.id}/messages`).expect(403);
      for (const relative of [ada, ben]) await relative.agent.get(`/residents/${rosa.id}/messages`).expect(403);
    });

    it('should let a view-only relative read but not write', async () => {
      const page = plain((await viewer.agent.get(`/portal/residents/${rosa.id}/messages`).expect(200)).text);
      expect(page).toContain('Of course: the choir starts at 10.');
      expect(page).toContain('lets you read the messages but not write them');
      expect(page).not.toContain(`action="/portal/residents/${rosa.id}/messages"`);
      const before = await messageCount();
      expect((await post(viewer.agent, `/portal/residents/${rosa.id}/messages`, { body: 'Let me in' })).status).toBe(403);
      expect(await messageCount()).toBe(before);
    });

    it('should stop showing the thread when the link ends or consent is withdrawn', async () => {
      await t.dataSource.getRepository(Resident).update({ id: rosa.id }, { consentFamilyPortal: 'none' });
      await ada.agent.get(`/portal/residents/${rosa.id}/messages`).expect(404);
      expect(plain((await ada.agent.get('/portal/messages').expect(200)).text)).not.toContain('Nonna Rosa');
      await t.dataSource.getRepository(Resident).update({ id: rosa.id }, { consentFamilyPortal: 'full' });
      await ada.agent.get(`/portal/residents/${rosa.id}/messages`).expect(200);
      const links = t.dataSource.getRepository(FamilyLink);
      await links.update({ residentId: rosa.id, familyMemberId: ada.familyMemberId }, { active: false });
      await ada.agent.get(`/portal/residents/${rosa.id}/messages`).expect(404);
      expect((await post(ada.agent, `/portal/residents/${rosa.id}/messages`, { body: 'Still here?' })).status).toBe(404);
      await links.update({ residentId: rosa.id, familyMemberId: ada.familyMemberId }, { active: true });
      await ada.agent.get(`/portal/residents/${rosa.id}/messages`).expect(200);
    });
  });

  describe('bad input', () => {
    it('should show the form again with the error beside the field for an empty message', async () => {
      const before = await messageCount();
      const res = await post(ada.agent, `/portal/residents/${rosa.id}/messages`, { body: '   ' });
      expect(res.status).toBe(422);
      const page = plain(res.text);
      expect(page).toMatch(/<p class="field-error" id="error-body">Fill in this field.<\/p>/);
      expect(page).toContain('Of course: the choir starts at 10.');
      // Said once, at the top with the summary; beside the form the field's own error says it.
      expect(page.match(/Some fields need attention\./g)).toHaveLength(1);
      expect(await messageCount()).toBe(before);
    });

    it('should keep what was typed when a message is too long', async () => {
      const long = `Dear all, ${'a'.repeat(4000)}`;
      for (const [agent, path] of [[ada.agent, `/portal/residents/${rosa.id}/messages`], [coordinator.agent, `/residents/${rosa.id}/messages`]] as const) {
        const res = await post(agent, path, { body: long });
        expect(res.status).toBe(422);
        const page = plain(res.text);
        // ICU's # writes the number as the language does: 4,000 in English, 4.000 in Italian.
        expect(page).toContain('Use at most 4,000 characters.');
        expect(page).toContain(`>${long}</textarea>`);
      }
      expect(await t.dataSource.getRepository(Message).countBy({ body: long })).toBe(0);
    });

    it('should not cut a long message short in the browser: no maxlength, a counter to the limit, and the server refusing 5,000 characters with the text kept', async () => {
      // A textarea's maxlength dropped whatever was pasted past 4,000 characters, and the message went out cut mid-word.
      const pasted = `${'Una lunga lettera. '.repeat(263)}Fine.`;
      expect(pasted.length).toBeGreaterThanOrEqual(5000);
      for (const [agent, path] of [[ada.agent, `/portal/residents/${rosa.id}/messages`], [coordinator.agent, `/residents/${rosa.id}/messages`]] as const) {
        const page = (await agent.get(path).expect(200)).text;
        const textarea = /<textarea id="field-body"[^>]*>/.exec(page)![0];
        expect(textarea).not.toContain('maxlength');
        expect(textarea).toContain('data-char-limit="4000"');
        expect(textarea).toMatch(/data-chars-left="\{n, plural, one \{# character left\} other \{# characters left\}\}"/);
        expect(textarea).toMatch(/data-chars-over="\{n, plural, one \{# character too many\} other \{# characters too many\}\}"/);

        const before = await messageCount();
        const res = await post(agent, path, { body: pasted });
        expect(res.status).toBe(422);
        const again = plain(res.text);
        expect(again).toContain('Message: Use at most 4,000 characters.');
        expect(again).toContain(`>${pasted}</textarea>`);
        expect(/<textarea id="field-body"[^>]*>/.exec(again)![0]).not.toContain('maxlength');
        expect(await messageCount()).toBe(before);
      }
    });
  });

  describe('JSON API', () => {
    it('should give each side the thread with the same fields and no account ids', async () => {
      const family = await apiSignIn(t, ada.user.email, ada.user.password);
      const res = await family.agent.get(`/api/residents/${rosa.id}/messages`).expect(200);
      expect(res.body.side).toBe('family');
      expect(res.body.canWrite).toBe(true);
      expect(res.body.unread).toBe(0);
      expect(res.body.messages.map((m: { body: string }) => m.body)).toEqual(['Could Mum join the choir on Sunday?', 'Of course: the choir starts at 10.']);
      for (const message of res.body.messages) expect(Object.keys(message).sort()).toEqual(['authorName', 'authorRole', 'body', 'id', 'mine', 'new', 'sentAt', 'side']);
      expect(res.body.messages.map((m: { mine: boolean }) => m.mine)).toEqual([true, false]);
      await family.agent.get(`/api/residents/${bruno.id}/messages`).expect(404);
      await family.agent.get(`/api/residents/${dario.id}/messages`).expect(404);
      const list = await family.agent.get('/api/messages').expect(200);
      expect(list.body.relatives).toEqual([{ resident: { id: rosa.id, displayName: 'Nonna Rosa Esposito' }, lastMessageAt: expect.any(String), unread: 0 }]);

      const staff = await apiSignIn(t, manager.user.email, manager.user.password);
      const threads = await staff.agent.get('/api/messages').expect(200);
      expect(threads.body.threads).toEqual([expect.objectContaining({ resident: { id: rosa.id, displayName: 'Nonna Rosa Esposito' }, unanswered: false, lastSide: 'home' })]);
      // The viewer has not read the home's answer: the API says so, and marks it read on request only.
      const other = await apiSignIn(t, viewer.user.email, viewer.user.password);
      expect((await other.agent.get(`/api/residents/${rosa.id}/messages`).expect(200)).body.unread).toBe(1);
      expect((await other.agent.get(`/api/residents/${rosa.id}/messages`).expect(200)).body.unread).toBe(1);
      expect((await other.agent.post(`/api/residents/${rosa.id}/messages/read`).set('X-CSRF-Token', other.csrfToken).expect(201)).body).toEqual({ marked: true });
      expect((await other.agent.get(`/api/residents/${rosa.id}/messages`).expect(200)).body.unread).toBe(0);
      const vol = await apiSignIn(t, volunteer.user.email, volunteer.user.password);
      await vol.agent.get(`/api/residents/${rosa.id}/messages`).expect(403);
    });

    it('should answer 400/422 naming the field for bad input and 201 for a message', async () => {
      const family = await apiSignIn(t, ada.user.email, ada.user.password);
      const before = await messageCount();
      for (const body of [{}, { body: '' }, { body: 42 }, { body: 'x'.repeat(4001) }]) {
        const res = await family.agent.post(`/api/residents/${rosa.id}/messages`).set('X-CSRF-Token', family.csrfToken).send(body);
        expect(res.status).toBe(422);
        expect(Object.keys(res.body.fields)).toEqual(['body']);
      }
      expect(await messageCount()).toBe(before);
      const res = await family.agent.post(`/api/residents/${rosa.id}/messages`).set('X-CSRF-Token', family.csrfToken).send({ body: 'Thank you!' }).expect(201);
      expect(res.body).toMatchObject({ side: 'family', body: 'Thank you!', mine: true });
      expect(res.body.authorUserId).toBeUndefined();
      await family.agent.post(`/api/residents/${bruno.id}/messages`).set('X-CSRF-Token', family.csrfToken).send({ body: 'Forged' }).expect(404);
      expect(await messageCount()).toBe(before + 1);
    });
  });

  describe('data protection', () => {
    it('should export the resident\'s thread only, with who wrote each message for which side', async () => {
      await post(ben.agent, `/portal/residents/${bruno.id}/messages`, { body: 'BRUNO-ONLY message' });
      const res = await manager.agent.get(`/residents/${rosa.id}/data-export.json`).expect(200);
      const data = JSON.parse(res.text) as { messages: { side: string; authorRole: string; author: string; body: string }[]; audit: { entityType: string }[] };
      expect(data.messages.map((m) => m.body)).toEqual(['Could Mum join the choir on Sunday?', 'Of course: the choir starts at 10.', 'Thank you!']);
      expect(data.messages[1]).toMatchObject({ side: 'home', authorRole: 'coordinator', author: 'Giulia Coordinatrice' });
      expect(data.messages[0]).toMatchObject({ side: 'family', authorRole: 'family' });
      expect(res.text).not.toContain('BRUNO-ONLY');
      expect(data.audit.filter((e) => e.entityType === 'message')).toHaveLength(3);
      await manager.agent.get(`/residents/${rosa.id}/data-export.pdf`).expect(200);
    });

    it('should delete the thread and its messages when the resident is erased, and audit only their number', async () => {
      await t.dataSource.getRepository(Resident).update({ id: bruno.id }, { status: 'discharged', leftOn: '2026-11-30' });
      const thread = (await threadOf(bruno))!;
      const token = csrfFrom((await manager.agent.get(`/residents/${bruno.id}/erase`).expect(200)).text);
      await manager.agent.post(`/residents/${bruno.id}/erase`).type('form').send({ _csrf: token, reason: 'A request received by post', confirm: 'on' }).expect(303);
      expect(await threadOf(bruno)).toBeNull();
      expect(await t.dataSource.getRepository(Message).countBy({ threadId: thread.id })).toBe(0);
      expect(await t.dataSource.getRepository(Message).countBy({ body: 'BRUNO-ONLY message' })).toBe(0);
      const erasure = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ action: 'erase', entityId: bruno.id });
      expect((erasure.changes!.records.new as Record<string, number>).messages).toBe(1);
      expect(JSON.stringify(erasure.changes)).not.toContain('BRUNO-ONLY');
      // Rosa's thread is untouched.
      expect(await t.dataSource.getRepository(Message).countBy({ threadId: (await threadOf(rosa))!.id })).toBe(3);
    });
  });
  describe('notifications follow the conversation', () => {
    // Review, 5 December: "Notifiche (6)" for one conversation already read, "Notifiche (8)" for the
    // manager after the coordinator had answered, and a digest about replies the relative had read.
    let teresa: Resident;
    let mino: Resident;
    let carla: Person;
    let sara: Person;
    let nino: Person;
    const homeLink = (r: Resident) => `/residents/${r.id}/messages`;
    const familyLink = (r: Resident) => `/portal/residents/${r.id}/messages`;
    const unreadAbout = (who: Person, link: string) => t.dataSource.getRepository(Notification).countBy({ userId: who.user.id, kind: 'message', link, readAt: IsNull() });
    const allAbout = (who: Person, link: string) => t.dataSource.getRepository(Notification).countBy({ userId: who.user.id, kind: 'message', link });
    /** The header's "Notifications (n)". */
    const header = async (who: Person) => /<a class="notifications-link[^"]*" href="\/notifications"[^>]*>([^<]*)<\/a>/.exec((await who.agent.get('/account').expect(200)).text)![1];

    beforeAll(async () => {
      teresa = await createResident(t, home.id, { firstName: 'Teresa', lastName: 'Bassi', preferredName: 'Teresina' });
      mino = await createResident(t, home.id, { firstName: 'Mino', lastName: 'Rossi' });
      carla = await relativeOf(teresa);
      sara = await relativeOf(teresa, { primaryContact: false });
      nino = await relativeOf(mino);
      // What earlier tests left unread is not what these count.
      await t.dataSource.getRepository(Notification).update({ readAt: IsNull() }, { readAt: new Date() });
    });

    it('should count one conversation once in the header, however many messages the family writes', async () => {
      for (const body of ['Good morning.', 'Mum has a cold.', 'Could someone call me?']) expect((await post(carla.agent, familyLink(teresa), { body })).status).toBe(303);
      expect((await post(nino.agent, familyLink(mino), { body: 'Dad says hello.' })).status).toBe(303);
      for (const staff of [coordinator, manager]) {
        expect(await allAbout(staff, homeLink(teresa))).toBe(3);
        expect(await unreadAbout(staff, homeLink(teresa))).toBe(1);
        expect(await header(staff)).toBe('Notifications (2)');
      }
    });

    it('should mark every coordinator\'s and manager\'s notifications about a thread read when one of them answers, and no other thread\'s', async () => {
      expect((await post(coordinator.agent, homeLink(teresa), { body: 'We will call you at noon.' })).status).toBe(303);
      for (const staff of [coordinator, manager]) {
        expect(await unreadAbout(staff, homeLink(teresa))).toBe(0);
        expect(await unreadAbout(staff, homeLink(mino))).toBe(1);
        expect(await header(staff)).toBe('Notifications (1)');
      }
      expect((await post(coordinator.agent, homeLink(teresa), { body: 'She is resting now.' })).status).toBe(303);
      for (const relative of [carla, sara]) {
        expect(await allAbout(relative, familyLink(teresa))).toBe(2);
        expect(await unreadAbout(relative, familyLink(teresa))).toBe(1);
      }
    });

    it('should mark a relative\'s notifications read when she marks the thread read, and not the other relative\'s', async () => {
      const res = await post(carla.agent, `${familyLink(teresa)}/read`);
      expect(res.status).toBe(303);
      expect(await unreadAbout(carla, familyLink(teresa))).toBe(0);
      expect(await header(carla)).toBe('Notifications');
      expect(await unreadAbout(sara, familyLink(teresa))).toBe(1);
    });

    it('should mark a relative\'s notifications read when she answers, and send no digest about what she has read', async () => {
      expect((await post(coordinator.agent, homeLink(teresa), { body: 'She ate well at lunch.' })).status).toBe(303);
      expect(await unreadAbout(carla, familyLink(teresa))).toBe(1);
      expect((await post(sara.agent, familyLink(teresa), { body: 'Thank you, I will come on Sunday.' })).status).toBe(303);
      expect(await unreadAbout(sara, familyLink(teresa))).toBe(0);
      expect(await unreadAbout(carla, familyLink(teresa))).toBe(1);
      for (const staff of [coordinator, manager]) expect(await unreadAbout(staff, homeLink(teresa))).toBe(1);

      // Relatives hear by a daily digest by default: Carla has one line waiting, Sara nothing.
      await t.get(DigestService).runDue(DateTime.now().setZone('Europe/Rome').plus({ days: 1 }).set({ hour: 7, minute: 30 }).toJSDate());
      const mails = t.dataSource.getRepository(MailMessage);
      expect(await mails.countBy({ toAddress: carla.user.email })).toBe(1);
      expect(await mails.countBy({ toAddress: sara.user.email })).toBe(0);
    });

    it('should mark every coordinator\'s and manager\'s notifications about a thread read when one of them marks it read', async () => {
      expect((await post(manager.agent, `${homeLink(teresa)}/read`)).status).toBe(303);
      for (const staff of [coordinator, manager]) {
        expect(await unreadAbout(staff, homeLink(teresa))).toBe(0);
        expect(await unreadAbout(staff, homeLink(mino))).toBe(1);
      }
    });

    it('should hand the mark-read form to the page\'s script to send once the thread is seen, keep the button, and store nothing on the GET', async () => {
      const form = (path: string) => new RegExp(`<form method="post" action="${path}/read" class="notice message-unread" data-read-on-view>[\\s\\S]*?<button type="submit" class="button">Mark as read</button>`);
      expect((await coordinator.agent.get(homeLink(mino)).expect(200)).text).toMatch(form(homeLink(mino)));
      expect((await threadOf(mino))!.homeReadAt).toBeNull();
      expect(await unreadAbout(coordinator, homeLink(mino))).toBe(1);

      expect((await post(coordinator.agent, homeLink(mino), { body: 'He is fine.' })).status).toBe(303);
      const readMark = async () => (await t.dataSource.getRepository(MessageRead).findOneByOrFail({ userId: nino.user.id })).readAt.getTime();
      const before = await readMark();
      expect((await nino.agent.get(familyLink(mino)).expect(200)).text).toMatch(form(familyLink(mino)));
      expect(await readMark()).toBe(before);
      expect(await unreadAbout(nino, familyLink(mino))).toBe(1);
      expect((await post(nino.agent, `${familyLink(mino)}/read`)).status).toBe(303);
      expect(await unreadAbout(nino, familyLink(mino))).toBe(0);
    });

    it('should mark "Messages" current on both sides\' thread pages and name the resident alike in the breadcrumb and the heading', async () => {
      const staffPage = plain((await coordinator.agent.get(homeLink(teresa)).expect(200)).text);
      expect(staffPage).toContain('<a href="/messages" aria-current="page">');
      expect(staffPage).not.toContain('<a href="/residents" aria-current="page">');
      expect(staffPage).toContain(`<a href="/residents/${teresa.id}">Teresina Bassi</a>`);
      expect(staffPage).toContain('<h1>Messages about Teresina Bassi</h1>');
      expect(staffPage).toContain('<title>Messages about Teresina Bassi · Insieme</title>');
      const familyPage = plain((await carla.agent.get(familyLink(teresa)).expect(200)).text);
      expect(familyPage).toContain('<a href="/portal/messages" aria-current="page">');
      expect(familyPage).not.toContain('<a href="/portal" aria-current="page">');
    });

    it('should count a line break as one character, as the counter in the browser does', async () => {
      // A browser sends each line break of a textarea as CR LF; the counter counts it once, so 4,000 characters on two lines fit.
      const res = await post(sara.agent, familyLink(teresa), { body: `${'a'.repeat(2000)}\r\n${'b'.repeat(1999)}` });
      expect(res.status).toBe(303);
      expect(await t.dataSource.getRepository(Message).countBy({ body: `${'a'.repeat(2000)}\n${'b'.repeat(1999)}` })).toBe(1);
    });
  });

  describe('addresses in messages', () => {
    const link = (href: string) => `<a href="${href}" rel="noopener noreferrer nofollow" target="_blank">${href}</a>`;

    it('ASVS 5.0 V1.2.2: should show an http(s) address as a link on both sides, the rest of the message escaped, and no other scheme as a link', async () => {
      const body = [
        'The choir sings (https://example.org/coro?anno=2026&mese=12). Also http://casa.example.it/menu!',
        'javascript:alert(1) and JavaScript:alert(2)',
        'https://evil.example/"><script>alert(3)</script>',
        "https://evil.example/a'onmouseover='alert(4)",
      ].join('\n');
      const lina = await createResident(t, home.id, { firstName: 'Lina', lastName: 'Collegata' });
      const writer = await relativeOf(lina);
      expect((await post(writer.agent, `/portal/residents/${lina.id}/messages`, { body })).status).toBe(303);
      for (const [reader, path] of [[writer, `/portal/residents/${lina.id}/messages`], [coordinator, `/residents/${lina.id}/messages`]] as const) {
        const html = (await reader.agent.get(path).expect(200)).text;
        const thread = html.slice(html.indexOf('<ol class="message-thread">'), html.indexOf('</ol>'));
        expect(thread).toContain(`(${link('https://example.org/coro?anno&#x3D;2026&amp;mese&#x3D;12')}). Also ${link('http://casa.example.it/menu')}!`);
        expect(thread).toContain(`${link('https://evil.example/')}&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;`);
        expect(thread).toContain(link('https://evil.example/a&#x27;onmouseover&#x3D;&#x27;alert(4)'));
        expect(thread).toContain('javascript:alert(1) and JavaScript:alert(2)');
        expect(thread).not.toMatch(/<script|href="javascript:|href="JavaScript:/);
        // Only the four addresses became links.
        expect(thread.match(/<a /g)).toHaveLength(4);
      }
    });
  });
});
