import request from 'supertest';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { Invitation } from '../src/auth/entities/invitation.entity';
import { User } from '../src/auth/entities/user.entity';
import { Role } from '../src/auth/auth.enums';
import { HomesService, HomeView, UnitView } from '../src/homes/homes.service';
import { StaffMember } from '../src/staff/entities/staff-member.entity';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, csrfFrom, formToken, signIn } from './support/http';
import { createStaffMember } from './support/people-factories';
import { createTestApp, TestApp } from './support/test-app';

const ROLES: Role[] = ['admin', 'manager', 'coordinator', 'carer', 'volunteer', 'family'];
const READERS: Role[] = ['admin', 'manager', 'coordinator'];
const EDITORS: Role[] = ['admin', 'manager'];
const NEW_PASSWORD = 'a long enough passphrase 42';

/** The one-time link shown after an invitation, as a path. */
function invitationPath(html: string): string {
  const match = /https?:\/\/[^/\s<]+(\/invitations\/[A-Za-z0-9_-]{20,100})/.exec(html);
  if (!match) throw new Error('No invitation link on the page');
  return match[1];
}

describe('Staff', () => {
  let t: TestApp;
  let home: HomeView;
  let otherHome: HomeView;
  let unit: UnitView;
  let otherUnit: UnitView;
  const agents = {} as Record<Role, Agent>;
  const users = {} as Record<Role, TestUser>;

  /** A complete staff form as a browser would send it. */
  const staffForm = (overrides: Record<string, string> = {}): Record<string, string> => ({
    firstName: 'Luca', lastName: 'Ferri', email: `luca.ferri.${Math.random().toString(36).slice(2, 8)}@example.test`, phone: '+39 02 123456',
    jobRole: 'nurse', unitId: unit.id, startedOn: '2024-09-01', status: 'active', ...overrides,
  });

  beforeAll(async () => {
    t = await createTestApp();
    home = await createHome(t, { name: 'Casa Personale' });
    otherHome = await createHome(t, { name: 'Casa Lontana' });
    unit = await t.get(HomesService).addUnit(null, home.id, { unitName: 'Nucleo Girasoli' });
    otherUnit = await t.get(HomesService).addUnit(null, otherHome.id, { unitName: 'Nucleo Altrove' });
    for (const role of ROLES) {
      users[role] = await createUser(t, { role, homeIds: role === 'admin' ? [] : [home.id] });
      agents[role] = await signIn(t, users[role].email, users[role].password);
    }
  });

  afterAll(async () => {
    await t.close();
  });

  const staff = () => t.dataSource.getRepository(StaffMember);

  describe('access by role', () => {
    it.each(ROLES)('should allow or refuse the list and a record by role when signed in as %s', async (role) => {
      const member = await createStaffMember(t, home.id);
      const expected = READERS.includes(role) ? 200 : 403;
      expect((await agents[role].get('/staff')).status).toBe(expected);
      expect((await agents[role].get(`/staff/${member.id}`)).status).toBe(expected);
    });

    it.each(ROLES)('should allow or refuse creating, editing, archiving and inviting by role when signed in as %s', async (role) => {
      const allowed = EDITORS.includes(role);
      const agent = agents[role];
      const member = await createStaffMember(t, home.id);

      expect((await agent.get('/staff/new')).status).toBe(allowed ? 200 : 403);
      expect((await agent.get(`/staff/${member.id}/edit`)).status).toBe(allowed ? 200 : 403);

      let token = await formToken(agent, '/account');
      const lastName = `Creato ${role}`;
      const created = await agent.post('/staff').type('form').send({ _csrf: token, ...staffForm({ lastName }), ...(role === 'admin' ? { homeId: home.id } : {}) });
      expect(created.status).toBe(allowed ? 303 : 403);
      expect(await staff().countBy({ lastName })).toBe(allowed ? 1 : 0);

      token = await formToken(agent, '/account');
      const updated = await agent.post(`/staff/${member.id}`).type('form').send({ _csrf: token, ...staffForm({ firstName: 'Cambiato', email: `cambiato.${role}@example.test` }) });
      expect(updated.status).toBe(allowed ? 303 : 403);
      expect((await staff().findOneByOrFail({ id: member.id })).firstName).toBe(allowed ? 'Cambiato' : 'Sara');

      token = await formToken(agent, '/account');
      const invited = await agent.post(`/staff/${member.id}/invite`).type('form').send({ _csrf: token, role: 'carer' });
      expect(invited.status).toBe(allowed ? 303 : 403);
      expect(await t.dataSource.getRepository(User).countBy({ personKind: 'staff', personId: member.id })).toBe(allowed ? 1 : 0);

      token = await formToken(agent, '/account');
      const archived = await agent.post(`/staff/${member.id}/archive`).type('form').send({ _csrf: token });
      expect(archived.status).toBe(allowed ? 303 : 403);
      expect((await staff().findOneByOrFail({ id: member.id })).status).toBe(allowed ? 'left' : 'active');
    });

    it('should show a coordinator the record without editing, archive or invitation controls', async () => {
      const member = await createStaffMember(t, home.id);
      const page = await agents.coordinator.get(`/staff/${member.id}`).expect(200);
      expect(page.text).toContain(member.lastName);
      expect(page.text).not.toContain(`/staff/${member.id}/edit`);
      expect(page.text).not.toContain(`/staff/${member.id}/archive`);
      expect(page.text).not.toContain(`/staff/${member.id}/invite`);
      expect((await agents.coordinator.get('/staff')).text).not.toContain('href="/staff/new"');
    });

    it.each(['manager', 'coordinator'] as const)("should answer 404 when a %s asks for another home's staff member", async (role) => {
      const theirs = await createStaffMember(t, otherHome.id, { lastName: 'Lontano' });
      const agent = agents[role];
      await agent.get(`/staff/${theirs.id}`).expect(404);
      expect((await agent.get('/staff?status=all')).text).not.toContain(theirs.lastName);
      if (!EDITORS.includes(role)) return;
      await agent.get(`/staff/${theirs.id}/edit`).expect(404);
      for (const [path, body] of [[`/staff/${theirs.id}`, staffForm({ unitId: '' })], [`/staff/${theirs.id}/archive`, {}], [`/staff/${theirs.id}/invite`, { role: 'carer' }]] as const) {
        const token = await formToken(agent, '/account');
        expect({ path, status: (await agent.post(path).type('form').send({ _csrf: token, ...body })).status }).toEqual({ path, status: 404 });
      }
      expect(await staff().findOneByOrFail({ id: theirs.id })).toMatchObject({ firstName: 'Sara', status: 'active' });
    });

    it('should answer 404 when the id does not exist or is not an id', async () => {
      const agent = agents.manager;
      await agent.get('/staff/not-an-id').expect(404);
      await agent.get('/staff/4b3c2d1e-0000-4000-8000-000000000000').expect(404);
      await agent.get('/staff/4b3c2d1e-0000-4000-8000-000000000000/edit').expect(404);
      const token = await formToken(agent, '/account');
      await agent.post('/staff/not-an-id').type('form').send({ _csrf: token, ...staffForm() }).expect(404);
      await agent.post('/staff/not-an-id/archive').type('form').send({ _csrf: token }).expect(404);
      await agent.post('/staff/4b3c2d1e-0000-4000-8000-000000000000/invite').type('form').send({ _csrf: token, role: 'carer' }).expect(404);
    });
  });

  describe('records', () => {
    it('should save the unit and audit every field when a staff member is created from the form', async () => {
      const page = await agents.manager.get('/staff/new').expect(200);
      expect(page.text).toContain('Nucleo Girasoli');
      expect(page.text).not.toContain('Nucleo Altrove');
      expect(page.text).not.toContain('name="homeId"');
      const res = await agents.manager.post('/staff').type('form').send({ _csrf: csrfFrom(page.text), ...staffForm({ lastName: 'Creata' }) });
      expect(res.status).toBe(303);
      const saved = await staff().findOneByOrFail({ lastName: 'Creata' });
      expect(saved).toMatchObject({ homeId: home.id, unitId: unit.id, jobRole: 'nurse', startedOn: '2024-09-01', status: 'active' });
      const detail = await agents.manager.get(res.headers.location).expect(200);
      expect(detail.text).toContain('Luca Creata added to the staff.');
      expect(detail.text).toContain('Nucleo Girasoli');
      expect(detail.text).toContain('Nurse');
      const entry = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ entityType: 'staff_member', entityId: saved.id, action: 'create' });
      expect(entry.changes).toMatchObject({ lastName: { old: null, new: 'Creata' }, unitId: { old: null, new: unit.id }, jobRole: { old: null, new: 'nurse' } });
    });

    it("should refuse beside the field when the unit is another home's", async () => {
      const token = await formToken(agents.manager, '/staff/new');
      const res = await agents.manager.post('/staff').type('form').send({ _csrf: token, ...staffForm({ lastName: 'Reparto', unitId: otherUnit.id }) });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="error-unitId">Choose one of this home&#x27;s open units\.</);
      expect(res.text).toContain('value="Reparto"');
      expect(await staff().countBy({ lastName: 'Reparto' })).toBe(0);
    });

    it('should show the form again with what was typed and each error beside its field when a new staff member is refused', async () => {
      const token = await formToken(agents.manager, '/staff/new');
      const res = await agents.manager.post('/staff').type('form').send({ _csrf: token, ...staffForm({ lastName: '', firstName: 'Anna <i>', jobRole: 'surgeon', startedOn: '01/09/2024', phone: 'abc' }) });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="error-phone">Enter a phone number: digits, spaces and \+ \( \) - only\.</);
      expect(res.text).toContain('value="abc"');
      expect(res.text).toMatch(/id="error-lastName">Fill in this field\.</);
      expect(res.text).toMatch(/id="error-jobRole">Choose one of the options\.</);
      expect(res.text).toMatch(/id="error-startedOn">Enter a date as YYYY-MM-DD\.</);
      expect(res.text).toContain('value="Anna &lt;i&gt;"');
      expect(res.text).toContain('value="01/09/2024"');
      expect(res.text).toContain('Nucleo Girasoli');
    });

    it('should keep what was typed and the unit choices when an edit is refused', async () => {
      const member = await createStaffMember(t, home.id, { lastName: 'Modifica' });
      const token = await formToken(agents.manager, `/staff/${member.id}/edit`);
      const res = await agents.manager.post(`/staff/${member.id}`).type('form').send({ _csrf: token, ...staffForm({ lastName: 'Modifica', phone: '12345', email: 'bad' }) });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="error-email">Enter an email address/);
      expect(res.text).toContain('value="12345"');
      expect(res.text).toMatch(new RegExp(`<option value="${unit.id}" selected>Nucleo Girasoli</option>`));
      expect(res.text).toContain('Edit Sara Modifica');
    });

    it('should audit only the fields that changed when a staff member is edited', async () => {
      const member = await createStaffMember(t, home.id, { lastName: 'Audit', email: 'audit.staff@example.test' });
      const token = await formToken(agents.manager, `/staff/${member.id}/edit`);
      const same = { firstName: 'Sara', lastName: 'Audit', email: 'audit.staff@example.test', phone: '', jobRole: 'care_assistant', unitId: '', startedOn: '', status: 'active' };
      await agents.manager.post(`/staff/${member.id}`).type('form').send({ _csrf: token, ...same, jobRole: 'physiotherapist', unitId: unit.id }).expect(303);
      const entries = await t.dataSource.getRepository(AuditEntry).findBy({ entityType: 'staff_member', entityId: member.id, action: 'update' });
      expect(entries).toHaveLength(1);
      expect(entries[0].changes).toEqual({ jobRole: { old: 'care_assistant', new: 'physiotherapist' }, unitId: { old: null, new: unit.id } });
    });

    it('should mark as left, audit, and keep out of the default list when a staff member is archived', async () => {
      const member = await createStaffMember(t, home.id, { lastName: 'Archiviato' });
      const token = await formToken(agents.manager, `/staff/${member.id}`);
      await agents.manager.post(`/staff/${member.id}/archive`).type('form').send({ _csrf: token }).expect(303);
      expect((await staff().findOneByOrFail({ id: member.id })).status).toBe('left');
      const entry = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ entityType: 'staff_member', entityId: member.id, action: 'archive' });
      expect(entry.changes).toEqual({ status: { old: 'active', new: 'left' } });
      expect((await agents.manager.get('/staff?q=archiviato')).text).not.toContain(`/staff/${member.id}`);
      expect((await agents.manager.get('/staff?q=archiviato&status=left')).text).toContain(`/staff/${member.id}`);
    });

    it('should page by 25 and find by name when the list is long', async () => {
      const listHome = await createHome(t, { name: 'Casa Lunga' });
      const manager = await createUser(t, { role: 'manager', homeIds: [listHome.id] });
      const agent = await signIn(t, manager.email, manager.password);
      for (let i = 0; i < 26; i += 1) await createStaffMember(t, listHome.id, { lastName: `Elenco ${String(i).padStart(2, '0')}` });
      await createStaffMember(t, listHome.id, { firstName: 'Giorgio', lastName: 'Neri' });
      const rows = (html: string) => (html.match(/<a href="\/staff\/[0-9a-f-]{36}">/g) ?? []).length;
      const first = await agent.get('/staff').expect(200);
      expect(rows(first.text)).toBe(25);
      expect(first.text).toContain('Page 1 of 2');
      expect(rows((await agent.get('/staff?page=2')).text)).toBe(2);
      const found = await agent.get('/staff?q=neri%20gio').expect(200);
      expect(rows(found.text)).toBe(1);
      expect(found.text).toContain('Neri Giorgio');
    });

    it('should show Italian job roles when the user reads Italian', async () => {
      const member = await createStaffMember(t, home.id, { jobRole: 'care_assistant', unitId: unit.id });
      const user = await createUser(t, { role: 'manager', homeIds: [home.id], locale: 'it' });
      const agent = await signIn(t, user.email, user.password);
      const page = await agent.get(`/staff/${member.id}`).expect(200);
      expect(page.text).toContain('Operatore/trice socio-sanitario/a (OSS)');
      expect(page.text).toContain('Nucleo');
      expect(page.text).toContain('Invita ad avere un account');
    });
  });

  describe('invitations', () => {
    it('should suggest the account role from the job role when the detail page is shown', async () => {
      const coordinator = await createStaffMember(t, home.id, { jobRole: 'activity_coordinator' });
      const manager = await createStaffMember(t, home.id, { jobRole: 'manager' });
      const nurse = await createStaffMember(t, home.id, { jobRole: 'nurse' });
      const selected = async (id: string) => /<option value="(\w+)" selected>/.exec((await agents.manager.get(`/staff/${id}`)).text)?.[1];
      expect({ coordinator: await selected(coordinator.id), manager: await selected(manager.id), nurse: await selected(nurse.id) })
        .toEqual({ coordinator: 'coordinator', manager: 'manager', nurse: 'carer' });
    });

    it('should work once and sign the staff member in with the chosen role when the invitation link is used', async () => {
      const member = await createStaffMember(t, home.id, { lastName: 'Invitato', email: 'invitato.staff@example.test', jobRole: 'activity_coordinator' });
      const detail = await agents.manager.get(`/staff/${member.id}`).expect(200);
      expect(detail.text).toContain('No account yet.');
      const res = await agents.manager.post(`/staff/${member.id}/invite`).type('form').send({ _csrf: csrfFrom(detail.text), role: 'coordinator' }).expect(303);
      const shown = await agents.manager.get(res.headers.location).expect(200);
      expect(shown.text).toContain('Invitation created for invitato.staff@example.test.');
      expect(shown.text).toContain('Invited; the link works until');
      const path = invitationPath(shown.text);
      expect(await t.dataSource.getRepository(User).findOneByOrFail({ personKind: 'staff', personId: member.id })).toMatchObject({ role: 'coordinator', passwordHash: null });

      const invitee = request.agent(t.server);
      const page = await invitee.get(path).expect(200);
      await invitee.post(path).type('form').send({ _csrf: csrfFrom(page.text), newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }).expect(303);
      await invitee.get('/staff').expect(200);
      await invitee.get('/staff/new').expect(403);

      const again = await request.agent(t.server).get(path);
      expect(again.status).toBe(422);
      expect(again.text).toContain('This invitation link has already been used.');
      expect((await agents.manager.get(`/staff/${member.id}`)).text).toContain('Has an account (invitato.staff@example.test).');
      const audit = await t.dataSource.getRepository(AuditEntry).findBy({ entityType: 'invitation', userId: users.manager.id });
      expect(audit.map((entry) => entry.changes)).toContainEqual({ email: { old: null, new: 'invitato.staff@example.test' }, role: { old: null, new: 'coordinator' } });
    });

    it('should let a manager invite another manager when the job role calls for it', async () => {
      const member = await createStaffMember(t, home.id, { jobRole: 'manager' });
      const token = await formToken(agents.manager, `/staff/${member.id}`);
      await agents.manager.post(`/staff/${member.id}/invite`).type('form').send({ _csrf: token, role: 'manager' }).expect(303);
      expect((await t.dataSource.getRepository(User).findOneByOrFail({ personKind: 'staff', personId: member.id })).role).toBe('manager');
    });

    it('should refuse a role that staff cannot be invited with', async () => {
      const member = await createStaffMember(t, home.id);
      const token = await formToken(agents.manager, `/staff/${member.id}`);
      const res = await agents.manager.post(`/staff/${member.id}/invite`).type('form').send({ _csrf: token, role: 'admin' });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="error-role">Choose one of the options\.</);
      expect(await t.dataSource.getRepository(User).countBy({ personKind: 'staff', personId: member.id })).toBe(0);
    });

    it('should refuse the link when the invitation has expired', async () => {
      const member = await createStaffMember(t, home.id, { lastName: 'Scaduto' });
      const token = await formToken(agents.admin, `/staff/${member.id}`);
      const res = await agents.admin.post(`/staff/${member.id}/invite`).type('form').send({ _csrf: token, role: 'carer' }).expect(303);
      const path = invitationPath((await agents.admin.get(res.headers.location)).text);
      const user = await t.dataSource.getRepository(User).findOneByOrFail({ personKind: 'staff', personId: member.id });
      await t.dataSource.getRepository(Invitation).update({ userId: user.id }, { expiresAt: new Date(Date.now() - 60_000) });
      const page = await request.agent(t.server).get(path);
      expect(page.status).toBe(422);
      expect(page.text).toContain('This invitation link has expired');
    });

    it('should explain why when a staff member without an email is invited', async () => {
      const member = await createStaffMember(t, home.id, { email: null });
      const detail = await agents.manager.get(`/staff/${member.id}`).expect(200);
      const res = await agents.manager.post(`/staff/${member.id}/invite`).type('form').send({ _csrf: csrfFrom(detail.text), role: 'carer' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('Add an email address to this person&#x27;s record before inviting them.');
      expect(await t.dataSource.getRepository(User).countBy({ personKind: 'staff', personId: member.id })).toBe(0);
    });
  });
});
