import request from 'supertest';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { Invitation } from '../src/auth/entities/invitation.entity';
import { User } from '../src/auth/entities/user.entity';
import { Role } from '../src/auth/auth.enums';
import { todayIn } from '../src/common/time/zoned';
import { elided } from '../src/common/i18n/i18n';
import { formatDate } from '../src/common/views/format';
import { HomeView } from '../src/homes/homes.service';
import { Volunteer } from '../src/volunteers/entities/volunteer.entity';
import { VolunteersService } from '../src/volunteers/volunteers.service';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, csrfFrom, formToken, signIn } from './support/http';
import { createVolunteer } from './support/people-factories';
import { createTestApp, TestApp } from './support/test-app';

const ROLES: Role[] = ['admin', 'manager', 'coordinator', 'carer', 'volunteer', 'family'];
const READERS: Role[] = ['admin', 'manager', 'coordinator', 'carer'];
const EDITORS: Role[] = ['admin', 'manager', 'coordinator'];
const NEW_PASSWORD = 'a long enough passphrase 42';

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A complete volunteer form as a browser would send it. */
function volunteerForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    // Each form a person of their own: one email address, one record (PersonRecords).
    firstName: 'Giulia', lastName: 'Bianchi', email: `giulia.bianchi.${Math.random().toString(36).slice(2, 8)}@example.test`, phone: '+39 333 1234567',
    association: 'AVO Milano', skills: 'Canto, guida,  canto , Giochi   di carte', availability: 'Martedì pomeriggio',
    backgroundCheckReference: 'CG-2026-001', backgroundCheckOn: '2026-01-10', backgroundCheckExpiresOn: '2027-01-10',
    trainingNotes: 'Corso HACCP', startedOn: '2026-02-01', status: 'active', ...overrides,
  };
}

/** The one-time link shown after an invitation, as a path. */
function invitationPath(html: string): string {
  const match = /https?:\/\/[^/\s<]+(\/invitations\/[A-Za-z0-9_-]{20,100})/.exec(html);
  if (!match) throw new Error('No invitation link on the page');
  return match[1];
}

describe('Volunteers', () => {
  let t: TestApp;
  let home: HomeView;
  let otherHome: HomeView;
  const agents = {} as Record<Role, Agent>;
  const users = {} as Record<Role, TestUser>;

  beforeAll(async () => {
    t = await createTestApp();
    home = await createHome(t, { name: 'Casa Volontari' });
    otherHome = await createHome(t, { name: 'Casa Altrove' });
    for (const role of ROLES) {
      users[role] = await createUser(t, { role, homeIds: role === 'admin' ? [] : [home.id] });
      agents[role] = await signIn(t, users[role].email, users[role].password);
    }
  });

  afterAll(async () => {
    await t.close();
  });

  const volunteers = () => t.dataSource.getRepository(Volunteer);

  describe('access by role', () => {
    it.each(ROLES)('should allow or refuse the list and a record by role when signed in as %s', async (role) => {
      const volunteer = await createVolunteer(t, home.id);
      const expected = READERS.includes(role) ? 200 : 403;
      expect((await agents[role].get('/volunteers')).status).toBe(expected);
      expect((await agents[role].get(`/volunteers/${volunteer.id}`)).status).toBe(expected);
    });

    it.each(ROLES)('should allow or refuse creating, editing and archiving by role when signed in as %s', async (role) => {
      const allowed = EDITORS.includes(role);
      const agent = agents[role];
      const volunteer = await createVolunteer(t, home.id);

      expect((await agent.get('/volunteers/new')).status).toBe(allowed ? 200 : 403);
      expect((await agent.get(`/volunteers/${volunteer.id}/edit`)).status).toBe(allowed ? 200 : 403);

      let token = await formToken(agent, '/account');
      const lastName = `Creato ${role}`;
      const created = await agent.post('/volunteers').type('form').send({ _csrf: token, ...volunteerForm({ lastName }), ...(role === 'admin' ? { homeId: home.id } : {}) });
      expect(created.status).toBe(allowed ? 303 : 403);
      expect(await volunteers().countBy({ lastName })).toBe(allowed ? 1 : 0);

      token = await formToken(agent, '/account');
      const updated = await agent.post(`/volunteers/${volunteer.id}`).type('form').send({ _csrf: token, ...volunteerForm({ firstName: 'Cambiato' }) });
      expect(updated.status).toBe(allowed ? 303 : 403);
      expect((await volunteers().findOneByOrFail({ id: volunteer.id })).firstName).toBe(allowed ? 'Cambiato' : 'Vera');

      token = await formToken(agent, '/account');
      const archived = await agent.post(`/volunteers/${volunteer.id}/archive`).type('form').send({ _csrf: token });
      expect(archived.status).toBe(allowed ? 303 : 403);
      expect((await volunteers().findOneByOrFail({ id: volunteer.id })).status).toBe(allowed ? 'left' : 'active');
    });

    it('should hide the editing, archive and invitation controls when a carer reads a record', async () => {
      const volunteer = await createVolunteer(t, home.id);
      const page = await agents.carer.get(`/volunteers/${volunteer.id}`).expect(200);
      expect(page.text).toContain(volunteer.lastName);
      expect(page.text).not.toContain(`/volunteers/${volunteer.id}/edit`);
      expect(page.text).not.toContain(`/volunteers/${volunteer.id}/archive`);
      expect(page.text).not.toContain(`/volunteers/${volunteer.id}/invite`);
      expect((await agents.carer.get('/volunteers')).text).not.toContain('href="/volunteers/new"');
    });

    it.each(['manager', 'coordinator', 'carer'] as const)("should answer 404 when a %s asks for another home's volunteer", async (role) => {
      const theirs = await createVolunteer(t, otherHome.id, { lastName: 'Altrove' });
      const agent = agents[role];
      await agent.get(`/volunteers/${theirs.id}`).expect(404);
      expect((await agent.get('/volunteers?status=all')).text).not.toContain(theirs.lastName);
      if (!EDITORS.includes(role)) return;
      await agent.get(`/volunteers/${theirs.id}/edit`).expect(404);
      for (const path of [`/volunteers/${theirs.id}`, `/volunteers/${theirs.id}/archive`, `/volunteers/${theirs.id}/invite`]) {
        const token = await formToken(agent, '/account');
        expect({ path, status: (await agent.post(path).type('form').send({ _csrf: token, ...(path.endsWith(theirs.id) ? volunteerForm() : {}) })).status }).toEqual({ path, status: 404 });
      }
      expect(await volunteers().findOneByOrFail({ id: theirs.id })).toMatchObject({ firstName: 'Vera', status: 'active' });
    });

    it('should answer 404 when a volunteer is created in a home the user does not belong to', async () => {
      const token = await formToken(agents.manager, '/account');
      const res = await agents.manager.post('/volunteers').type('form').send({ _csrf: token, ...volunteerForm({ lastName: 'Intruso' }), homeId: otherHome.id });
      expect(res.status).toBe(404);
      expect(await volunteers().countBy({ lastName: 'Intruso' })).toBe(0);
    });

    it('should answer 404 when the id does not exist or is not an id', async () => {
      const agent = agents.manager;
      await agent.get('/volunteers/not-an-id').expect(404);
      await agent.get('/volunteers/4b3c2d1e-0000-4000-8000-000000000000').expect(404);
      await agent.get('/volunteers/not-an-id/edit').expect(404);
      const token = await formToken(agent, '/account');
      await agent.post('/volunteers/not-an-id').type('form').send({ _csrf: token, ...volunteerForm() }).expect(404);
      await agent.post('/volunteers/4b3c2d1e-0000-4000-8000-000000000000/archive').type('form').send({ _csrf: token }).expect(404);
      await agent.post('/volunteers/not-an-id/invite').type('form').send({ _csrf: token }).expect(404);
    });
  });

  describe('records', () => {
    it('should tidy the skills and audit every field when a volunteer is created from the form', async () => {
      const token = await formToken(agents.coordinator, '/volunteers/new');
      const res = await agents.coordinator.post('/volunteers').type('form').send({ _csrf: token, ...volunteerForm({ lastName: 'Creata' }) });
      expect(res.status).toBe(303);
      const saved = await volunteers().findOneByOrFail({ lastName: 'Creata' });
      expect(res.headers.location).toBe(`/volunteers/${saved.id}`);
      expect(saved).toMatchObject({
        homeId: home.id, skills: ['canto', 'guida', 'giochi di carte'], association: 'AVO Milano',
        backgroundCheckOn: '2026-01-10', backgroundCheckExpiresOn: '2027-01-10', status: 'active',
      });
      const page = await agents.coordinator.get(res.headers.location).expect(200);
      expect(page.text).toContain('Giulia Creata added to the volunteers.');
      expect(page.text).toContain('giochi di carte');

      const entry = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ entityType: 'volunteer', entityId: saved.id, action: 'create' });
      expect(entry.homeId).toBe(home.id);
      expect(entry.changes).toMatchObject({ lastName: { old: null, new: 'Creata' }, skills: { old: null, new: ['canto', 'guida', 'giochi di carte'] } });
    });

    it('should store no value, not empty text, when optional fields are left blank', async () => {
      const token = await formToken(agents.manager, '/volunteers/new');
      const blank = volunteerForm({ lastName: 'Vuota', email: '', phone: ' ', association: '', skills: '', availability: '', backgroundCheckReference: '', backgroundCheckOn: '', backgroundCheckExpiresOn: '', trainingNotes: '', startedOn: '' });
      await agents.manager.post('/volunteers').type('form').send({ _csrf: token, ...blank }).expect(303);
      expect(await volunteers().findOneByOrFail({ lastName: 'Vuota' })).toMatchObject({
        email: null, phone: null, association: null, skills: [], availability: null, backgroundCheckOn: null, backgroundCheckExpiresOn: null, startedOn: null,
      });
    });

    it('should show the form again with what was typed and each error beside its field when a new volunteer is refused', async () => {
      const agent = agents.manager;
      let token = await formToken(agent, '/volunteers/new');
      const res = await agent.post('/volunteers').type('form').send({
        _csrf: token, ...volunteerForm({ firstName: '', lastName: 'Rossi <b>', email: 'not-an-email', association: 'Croce Rossa', availability: 'Sabato mattina', backgroundCheckOn: '2026-02-30' }),
      });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="error-firstName">Fill in this field\.</);
      expect(res.text).toMatch(/id="error-email">Enter an email address/);
      expect(res.text).toMatch(/id="error-backgroundCheckOn">There is no such day: check the day and the month\.</);
      expect(res.text).not.toMatch(/id="error-lastName"/);
      expect(res.text).toContain('value="Rossi &lt;b&gt;"');
      expect(res.text).toContain('value="Croce Rossa"');
      expect(res.text).toContain('>Sabato mattina</textarea>');
      expect(await volunteers().countBy({ lastName: 'Rossi <b>' })).toBe(0);

      token = await formToken(agent, '/volunteers/new');
      const dates = await agent.post('/volunteers').type('form').send({ _csrf: token, ...volunteerForm({ lastName: 'Date', backgroundCheckOn: '2026-05-01', backgroundCheckExpiresOn: '2026-04-01' }) });
      expect(dates.status).toBe(422);
      expect(dates.text).toMatch(/id="error-backgroundCheckExpiresOn">The expiry date must be after the date of the check\.</);
      expect(dates.text).toContain('value="2026-04-01"');

      const unknownField = await agent.post('/volunteers').type('form').send({ _csrf: token, ...volunteerForm(), isAdmin: 'true' });
      expect(unknownField.status).toBe(422);
    });

    it('should refuse a second record with the same email address, whatever its case, naming who has it (found by a review)', async () => {
      let token = await formToken(agents.coordinator, '/volunteers/new');
      await agents.coordinator.post('/volunteers').type('form').send({ _csrf: token, ...volunteerForm({ firstName: 'Niccolò', lastName: 'Primo', email: 'niccolo.doppio@example.it' }) }).expect(303);
      token = await formToken(agents.coordinator, '/volunteers/new');
      const again = await agents.coordinator.post('/volunteers').type('form').send({ _csrf: token, ...volunteerForm({ firstName: 'Niccolò', lastName: 'Secondo', email: 'NICCOLO.DOPPIO@example.it' }) });
      expect(again.status).toBe(422);
      expect(again.text).toMatch(/id="error-email">Niccolò Primo already has this email address in the home&#x27;s records/);
      expect(again.text).toContain('value="Secondo"');
      expect(await volunteers().countBy({ lastName: 'Secondo' })).toBe(0);
      // Nor by editing another record to it.
      const other = await createVolunteer(t, home.id, { lastName: 'Terzo' });
      token = await formToken(agents.coordinator, `/volunteers/${other.id}/edit`);
      expect((await agents.coordinator.post(`/volunteers/${other.id}`).type('form').send({ _csrf: token, ...volunteerForm({ lastName: 'Terzo', email: 'niccolo.doppio@example.it' }) })).status).toBe(422);
      // Two records that shared an address before the check still take an edit that keeps it.
      const older = await createVolunteer(t, home.id, { lastName: 'Vecchio', email: 'niccolo.doppio@example.it' });
      token = await formToken(agents.coordinator, `/volunteers/${older.id}/edit`);
      expect((await agents.coordinator.post(`/volunteers/${older.id}`).type('form').send({ _csrf: token, ...volunteerForm({ lastName: 'Vecchio', email: 'Niccolo.Doppio@example.it', phone: '+39 333 7654321' }) })).status).toBe(303);
    });

    it('should keep what was typed when an edit is refused', async () => {
      const volunteer = await createVolunteer(t, home.id, { lastName: 'Modifica' });
      const token = await formToken(agents.manager, `/volunteers/${volunteer.id}/edit`);
      const res = await agents.manager.post(`/volunteers/${volunteer.id}`).type('form').send({ _csrf: token, ...volunteerForm({ lastName: 'Modifica', association: 'Nuova associazione', status: 'retired' }) });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="error-status">Choose one of the options\.</);
      expect(res.text).toContain('value="Nuova associazione"');
      expect(res.text).toContain('Edit Vera Modifica');
      expect((await volunteers().findOneByOrFail({ id: volunteer.id })).association).toBe('AVO');
    });

    it('should ask for the home beside the field when a user of several homes does not choose one', async () => {
      const agent = agents.admin;
      let token = await formToken(agent, '/volunteers/new');
      const page = await agent.get('/volunteers/new').expect(200);
      expect(page.text).toContain('name="homeId"');
      const res = await agent.post('/volunteers').type('form').send({ _csrf: token, ...volunteerForm({ lastName: 'Senza casa' }) });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="error-homeId">Choose a home\.</);
      expect(res.text).toContain('value="Senza casa"');
      token = await formToken(agent, '/volunteers/new');
      await agent.post('/volunteers').type('form').send({ _csrf: token, ...volunteerForm({ lastName: 'Con casa' }), homeId: otherHome.id }).expect(303);
      expect((await volunteers().findOneByOrFail({ lastName: 'Con casa' })).homeId).toBe(otherHome.id);
    });

    it('should audit only the fields that changed when a volunteer is edited', async () => {
      const volunteer = await createVolunteer(t, home.id, { lastName: 'Audit', skills: 'canto', association: 'AVO' });
      const current = { firstName: 'Vera', lastName: 'Audit', email: volunteer.email!, phone: '', association: 'AVO', skills: 'Canto', availability: '', backgroundCheckReference: '', backgroundCheckOn: '', backgroundCheckExpiresOn: '', trainingNotes: '', startedOn: '', status: 'active' };
      const token = await formToken(agents.coordinator, `/volunteers/${volunteer.id}/edit`);
      await agents.coordinator.post(`/volunteers/${volunteer.id}`).type('form').send({ _csrf: token, ...current, association: 'Auser', skills: 'canto, lettura' }).expect(303);
      const entries = await t.dataSource.getRepository(AuditEntry).findBy({ entityType: 'volunteer', entityId: volunteer.id, action: 'update' });
      expect(entries).toHaveLength(1);
      expect(entries[0].changes).toEqual({ association: { old: 'AVO', new: 'Auser' }, skills: { old: ['canto'], new: ['canto', 'lettura'] } });
      expect(entries[0].role).toBe('coordinator');
    });

    it('should mark as left, audit, and keep out of the default list when a volunteer is archived', async () => {
      const volunteer = await createVolunteer(t, home.id, { lastName: 'Archiviata' });
      const token = await formToken(agents.manager, `/volunteers/${volunteer.id}`);
      const res = await agents.manager.post(`/volunteers/${volunteer.id}/archive`).type('form').send({ _csrf: token }).expect(303);
      expect((await agents.manager.get(res.headers.location).expect(200)).text).toContain('is now marked as having left');
      expect((await volunteers().findOneByOrFail({ id: volunteer.id })).status).toBe('left');
      const entry = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ entityType: 'volunteer', entityId: volunteer.id, action: 'archive' });
      expect(entry.changes).toEqual({ status: { old: 'active', new: 'left' } });
      expect((await agents.manager.get('/volunteers?q=Archiviata')).text).not.toContain(`/volunteers/${volunteer.id}`);
      expect((await agents.manager.get('/volunteers?q=Archiviata&status=left')).text).toContain(`/volunteers/${volunteer.id}`);
    });
  });

  describe('list', () => {
    let listHome: HomeView;
    let agent: Agent;

    beforeAll(async () => {
      listHome = await createHome(t, { name: 'Casa Elenco' });
      const manager = await createUser(t, { role: 'manager', homeIds: [listHome.id] });
      agent = await signIn(t, manager.email, manager.password);
      for (let i = 0; i < 27; i += 1) await createVolunteer(t, listHome.id, { firstName: 'Elena', lastName: `Elenco ${String(i).padStart(2, '0')}` });
      await createVolunteer(t, listHome.id, { firstName: 'Maria', lastName: 'Rossi', status: 'paused' });
      await createVolunteer(t, listHome.id, { firstName: 'Mario', lastName: 'Verdi', status: 'left' });
    });

    const rows = (html: string) => (html.match(/<a href="\/volunteers\/[0-9a-f-]{36}">/g) ?? []).length;

    it('should show 25 volunteers and a link to the next page when there are more', async () => {
      const first = await agent.get('/volunteers').expect(200);
      expect(rows(first.text)).toBe(25);
      expect(first.text).toContain('Page 1 of 2');
      expect(first.text).toContain('href="/volunteers?page&#x3D;2"');
      const second = await agent.get('/volunteers?page=2').expect(200);
      expect(rows(second.text)).toBe(3);
      expect(second.text).toContain('Rossi');
    });

    it('should find volunteers when the search matches a first or last name in any case and order', async () => {
      for (const q of ['rossi', 'MARIA', 'rossi mar']) {
        const page = await agent.get(`/volunteers?q=${encodeURIComponent(q)}`).expect(200);
        expect({ q, rows: rows(page.text), found: page.text.includes('Rossi') }).toEqual({ q, rows: 1, found: true });
      }
      expect(rows((await agent.get('/volunteers?q=%25')).text)).toBe(0);
    });

    it('should show only that status when the list is filtered by status', async () => {
      expect(rows((await agent.get('/volunteers?status=paused')).text)).toBe(1);
      expect((await agent.get('/volunteers?status=left')).text).toContain('Verdi');
      expect((await agent.get('/volunteers')).text).not.toContain('Verdi');
      expect(rows((await agent.get('/volunteers?status=all&page=2')).text)).toBe(4);
      await agent.get('/volunteers?status=retired').expect(422);
    });
  });

  describe('background checks', () => {
    it('should warn on the list and the record when a check is about to expire or has expired', async () => {
      const today = todayIn(home.timezone);
      const expiring = await createVolunteer(t, home.id, { lastName: 'Scadenza', backgroundCheckOn: addDays(today, -300), backgroundCheckExpiresOn: addDays(today, 30) });
      const expired = await createVolunteer(t, home.id, { lastName: 'Scaduta', backgroundCheckOn: addDays(today, -400), backgroundCheckExpiresOn: addDays(today, -1) });
      const valid = await createVolunteer(t, home.id, { lastName: 'Valida', backgroundCheckOn: addDays(today, -10), backgroundCheckExpiresOn: addDays(today, 61) });
      const expiringText = `Check expires on ${formatDate(addDays(today, 30), 'en')}`;
      const expiredText = `Check expired on ${formatDate(addDays(today, -1), 'en')} — cannot be assigned to new activities`;

      const list = await agents.carer.get('/volunteers?q=Scad').expect(200);
      expect(list.text).toContain(expiringText);
      expect(list.text).toContain(expiredText);
      expect((await agents.carer.get(`/volunteers/${expiring.id}`)).text).toContain(expiringText);
      expect((await agents.carer.get(`/volunteers/${expired.id}`)).text).toContain(expiredText);
      const fine = await agents.carer.get(`/volunteers/${valid.id}`).expect(200);
      expect(fine.text).not.toMatch(/Check expire/);
      expect(fine.text).toContain('Check valid');
    });

    it('should word the warning in Italian when the user reads Italian', async () => {
      const today = todayIn(home.timezone);
      const expired = await createVolunteer(t, home.id, { lastName: 'Italiana', backgroundCheckExpiresOn: addDays(today, -5) });
      const user = await createUser(t, { role: 'coordinator', homeIds: [home.id], locale: 'it' });
      const agent = await signIn(t, user.email, user.password);
      const page = await agent.get(`/volunteers/${expired.id}`).expect(200);
      // As Italian writes a date after an article: "il 1° dicembre", "l'8 dicembre" (i18n.ts, elided).
      expect(page.text).toContain(elided(`Verifica scaduta il ${formatDate(addDays(today, -5), 'it')}: non assegnabile a nuove attività`, 'it'));
      expect(page.text).toContain('Associazione');
    });

    it('should be assignable only when the volunteer is active and the check has not expired', async () => {
      const sut = t.get(VolunteersService);
      const today = todayIn(home.timezone);
      const valid = await createVolunteer(t, home.id, { backgroundCheckExpiresOn: addDays(today, 100) });
      const expiresToday = await createVolunteer(t, home.id, { backgroundCheckExpiresOn: today });
      const expired = await createVolunteer(t, home.id, { backgroundCheckExpiresOn: addDays(today, -1) });
      const paused = await createVolunteer(t, home.id, { status: 'paused', backgroundCheckExpiresOn: addDays(today, 100) });
      const left = await createVolunteer(t, home.id, { status: 'left', backgroundCheckExpiresOn: addDays(today, 100) });

      expect({
        valid: await sut.assignable(valid.id, home.id),
        expiresToday: await sut.assignable(expiresToday.id, home.id),
        expired: await sut.assignable(expired.id, home.id),
        paused: await sut.assignable(paused.id, home.id),
        left: await sut.assignable(left.id, home.id),
        otherHome: await sut.assignable(valid.id, otherHome.id),
        notAnId: await sut.assignable('not-an-id', home.id),
      }).toEqual({ valid: true, expiresToday: true, expired: false, paused: false, left: false, otherHome: false, notAnId: false });
    });
  });

  describe('invitations', () => {
    it('should work once and sign the volunteer in when the invitation link is used', async () => {
      const volunteer = await createVolunteer(t, home.id, { lastName: 'Invitata', email: 'Invitata.Volontaria@Example.test' });
      const detail = await agents.coordinator.get(`/volunteers/${volunteer.id}`).expect(200);
      expect(detail.text).toContain('No account yet.');
      const res = await agents.coordinator.post(`/volunteers/${volunteer.id}/invite`).type('form').send({ _csrf: csrfFrom(detail.text) });
      expect(res.status).toBe(303);
      const shown = await agents.coordinator.get(res.headers.location).expect(200);
      expect(shown.text).toContain('Invitation created for invitata.volontaria@example.test.');
      expect(shown.text).toMatch(/Invited; the link works until/);
      const path = invitationPath(shown.text);
      // Shown once: the link is not on the page again.
      expect((await agents.coordinator.get(`/volunteers/${volunteer.id}`)).text).not.toContain(path);

      const user = await t.dataSource.getRepository(User).findOneByOrFail({ personKind: 'volunteer', personId: volunteer.id });
      expect(user).toMatchObject({ role: 'volunteer', email: 'invitata.volontaria@example.test', passwordHash: null });

      const invitee = request.agent(t.server);
      const page = await invitee.get(path).expect(200);
      const accepted = await invitee.post(path).type('form').send({ _csrf: csrfFrom(page.text), newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
      expect(accepted.status).toBe(303);
      expect(accepted.headers.location).toBe('/');
      await invitee.get('/').redirects(1).expect(200);
      await invitee.get('/volunteers').expect(403);

      const again = await request.agent(t.server).get(path);
      expect(again.status).toBe(422);
      expect(again.text).toContain('This invitation link has already been used.');
      const secondUse = request.agent(t.server);
      const token = csrfFrom((await secondUse.get('/login')).text);
      const reuse = await secondUse.post(path).type('form').send({ _csrf: token, newPassword: 'another passphrase 43', confirmPassword: 'another passphrase 43' });
      expect(reuse.status).toBe(422);
      expect(reuse.text).toContain('already been used');
      await signIn(t, 'invitata.volontaria@example.test', NEW_PASSWORD);

      expect((await agents.coordinator.get(`/volunteers/${volunteer.id}`)).text).toContain('Has an account (invitata.volontaria@example.test).');
      const audit = await t.dataSource.getRepository(AuditEntry).findBy({ entityType: 'invitation', userId: users.coordinator.id });
      expect(audit.map((entry) => entry.changes)).toContainEqual({ email: { old: null, new: 'invitata.volontaria@example.test' }, role: { old: null, new: 'volunteer' } });
    });

    it('should refuse the link when the invitation has expired', async () => {
      const volunteer = await createVolunteer(t, home.id, { lastName: 'Scaduto' });
      const detail = await agents.manager.get(`/volunteers/${volunteer.id}`).expect(200);
      const res = await agents.manager.post(`/volunteers/${volunteer.id}/invite`).type('form').send({ _csrf: csrfFrom(detail.text) }).expect(303);
      const path = invitationPath((await agents.manager.get(res.headers.location)).text);
      const user = await t.dataSource.getRepository(User).findOneByOrFail({ personKind: 'volunteer', personId: volunteer.id });
      await t.dataSource.getRepository(Invitation).update({ userId: user.id }, { expiresAt: new Date(Date.now() - 60_000) });

      const page = await request.agent(t.server).get(path);
      expect(page.status).toBe(422);
      expect(page.text).toContain('This invitation link has expired');
      expect((await agents.manager.get(`/volunteers/${volunteer.id}`)).text).toContain('No account yet.');
    });

    it('should explain why when a volunteer without an email is invited', async () => {
      const volunteer = await createVolunteer(t, home.id, { lastName: 'Senza email', email: null });
      const detail = await agents.manager.get(`/volunteers/${volunteer.id}`).expect(200);
      expect(detail.text).toContain('Add an email address to invite this volunteer to an account.');
      const res = await agents.manager.post(`/volunteers/${volunteer.id}/invite`).type('form').send({ _csrf: csrfFrom(detail.text) });
      expect(res.status).toBe(422);
      expect(res.text).toContain("Add an email address to this person&#x27;s record before inviting them.");
      expect(res.text).toContain('Senza email');
      expect(await t.dataSource.getRepository(User).countBy({ personKind: 'volunteer', personId: volunteer.id })).toBe(0);
    });

    it('should refuse when a volunteer who has left is invited', async () => {
      const volunteer = await createVolunteer(t, home.id, { lastName: 'Partita', status: 'left' });
      const token = await formToken(agents.manager, `/volunteers/${volunteer.id}`);
      const res = await agents.manager.post(`/volunteers/${volunteer.id}/invite`).type('form').send({ _csrf: token });
      expect(res.status).toBe(422);
      expect(res.text).toContain('This volunteer has left.');
    });
  });
});
