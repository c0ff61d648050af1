import request from 'supertest';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { AuthService } from '../src/auth/auth.service';
import { Invitation } from '../src/auth/entities/invitation.entity';
import { User } from '../src/auth/entities/user.entity';
import type { SessionUser } from '../src/common/access/session-user';
import { FamilyMember } from '../src/families/entities/family-member.entity';
import { FamilyLink } from '../src/residents/entities/family-link.entity';
import { FamilyLinksService } from '../src/residents/family-links.service';
import { createHome, createUser, TestUser } from './support/factories';
import { createFamilyLink, createFamilyMember } from './support/family-factories';
import { Agent, formToken, signIn } from './support/http';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';

const EDITORS = ['admin', 'manager', 'coordinator'] as const;
const READERS = [...EDITORS, 'carer'] as const;
const OUTSIDERS = ['volunteer', 'family'] as const;
const ROLES = [...READERS, ...OUTSIDERS] as const;
type TestRole = (typeof ROLES)[number];

const INVITATION_LINK = /\/invitations\/([A-Za-z0-9_-]{20,100})/;

describe('Family members and their links to residents', () => {
  let t: TestApp;
  let homeId: string;
  let otherHomeId: string;
  const users = {} as Record<TestRole, TestUser>;
  const agents = {} as Record<TestRole, Agent>;

  beforeAll(async () => {
    t = await createTestApp();
    homeId = (await createHome(t, { name: 'Casa Uno' })).id;
    otherHomeId = (await createHome(t, { name: 'Casa Due' })).id;
    for (const role of ROLES) {
      users[role] = await createUser(t, { role, homeIds: role === 'admin' ? [] : [homeId] });
      agents[role] = await signIn(t, users[role].email, users[role].password);
    }
  });

  afterAll(async () => {
    await t.close();
  });

  const members = () => t.dataSource.getRepository(FamilyMember);
  const links = () => t.dataSource.getRepository(FamilyLink);
  const sessionUser = async (role: TestRole): Promise<SessionUser> => (await t.get(AuthService).findSessionUser(users[role].id))!;

  async function post(role: TestRole, page: string, path: string, form: Record<string, string> = {}) {
    const token = await formToken(agents[role], page);
    return agents[role].post(path).type('form').send({ _csrf: token, ...form });
  }

  describe('access by role', () => {
    it.each(READERS)('should list and show family members of the home to a %s', async (role) => {
      const member = await createFamilyMember(t, homeId, { lastName: `Listed${role}` });
      const list = await agents[role].get('/families').expect(200);
      expect(list.text).toContain(`Listed${role}`);
      const page = await agents[role].get(`/families/${member.id}`).expect(200);
      expect(page.text).toContain(member.email);
    });

    it.each(OUTSIDERS)('should refuse every family page to a %s', async (role) => {
      const member = await createFamilyMember(t, homeId);
      await agents[role].get('/families').expect(403);
      await agents[role].get('/families/new').expect(403);
      await agents[role].get(`/families/${member.id}`).expect(403);
      await agents[role].get(`/families/${member.id}/edit`).expect(403);
      const token = await formToken(agents[role], '/account');
      await agents[role].post('/families').type('form').send({ _csrf: token, firstName: 'Sneaky', lastName: 'Person' }).expect(403);
      await agents[role].post(`/families/${member.id}`).type('form').send({ _csrf: token, firstName: 'Changed', lastName: 'Name' }).expect(403);
      await agents[role].post(`/families/${member.id}/archive`).type('form').send({ _csrf: token }).expect(403);
      await agents[role].post(`/families/${member.id}/invitation`).type('form').send({ _csrf: token }).expect(403);
      expect(await members().countBy({ firstName: 'Sneaky' })).toBe(0);
      expect(await members().findOneByOrFail({ id: member.id })).toMatchObject({ firstName: member.firstName, archivedAt: null });
    });

    it('should show a carer the record without any form that changes it, and refuse the changes', async () => {
      const member = await createFamilyMember(t, homeId);
      const resident = await createResident(t, homeId);
      const link = await createFamilyLink(t, member, resident.id);
      const page = await agents.carer.get(`/families/${member.id}`).expect(200);
      expect(page.text).toContain(resident.lastName);
      expect(page.text).not.toContain(`action="/families/${member.id}/links"`);
      expect(page.text).not.toContain(`action="/families/${member.id}/invitation"`);
      expect(page.text).not.toContain(`href="/families/${member.id}/edit"`);
      expect((await agents.carer.get('/families')).text).not.toContain('href="/families/new"');

      await agents.carer.get('/families/new').expect(403);
      await agents.carer.get(`/families/${member.id}/edit`).expect(403);
      await agents.carer.get(`/families/${member.id}/archive`).expect(403);
      const token = await formToken(agents.carer, `/families/${member.id}`);
      await agents.carer.post('/families').type('form').send({ _csrf: token, firstName: 'Carer', lastName: 'Made' }).expect(403);
      await agents.carer.post(`/families/${member.id}`).type('form').send({ _csrf: token, firstName: 'Changed', lastName: 'Name' }).expect(403);
      await agents.carer.post(`/families/${member.id}/archive`).type('form').send({ _csrf: token }).expect(403);
      await agents.carer.post(`/families/${member.id}/invitation`).type('form').send({ _csrf: token }).expect(403);
      const other = await createResident(t, homeId);
      await agents.carer.post(`/families/${member.id}/links`).type('form').send({ _csrf: token, residentId: other.id, relationship: 'son', access: 'view' }).expect(403);
      await agents.carer
        .post(`/families/${member.id}/links/${link.id}`).type('form')
        .send({ _csrf: token, linkRelationship: 'son', linkAccess: 'contribute', linkActive: 'on' })
        .expect(403);

      expect(await members().countBy({ firstName: 'Carer' })).toBe(0);
      expect(await members().findOneByOrFail({ id: member.id })).toMatchObject({ firstName: member.firstName, archivedAt: null });
      expect(await links().countBy({ familyMemberId: member.id })).toBe(1);
      expect(await links().findOneByOrFail({ id: link.id })).toMatchObject({ relationship: 'daughter', access: 'view' });
    });

    it.each(['manager', 'coordinator', 'carer'] as const)('should answer 404 to a %s for every page of a family member of another home', async (role) => {
      const member = await createFamilyMember(t, otherHomeId, { lastName: `Elsewhere${role}` });
      const resident = await createResident(t, otherHomeId);
      const link = await createFamilyLink(t, member, resident.id);
      expect((await agents[role].get('/families')).text).not.toContain(member.id);
      expect((await agents[role].get(`/families?q=Elsewhere${role}&archived=1`)).text).toContain('No family members match this search.');
      await agents[role].get(`/families/${member.id}`).expect(404);
      if (role === 'carer') return;
      await agents[role].get(`/families/${member.id}/edit`).expect(404);
      await agents[role].get(`/families/${member.id}/archive`).expect(404);
      const token = await formToken(agents[role], '/families');
      await agents[role].post(`/families/${member.id}`).type('form').send({ _csrf: token, firstName: 'Changed', lastName: 'Name' }).expect(404);
      await agents[role].post(`/families/${member.id}/archive`).type('form').send({ _csrf: token }).expect(404);
      await agents[role].post(`/families/${member.id}/invitation`).type('form').send({ _csrf: token }).expect(404);
      await agents[role].post(`/families/${member.id}/links`).type('form').send({ _csrf: token, residentId: resident.id, relationship: 'son', access: 'view' }).expect(404);
      await agents[role]
        .post(`/families/${member.id}/links/${link.id}`).type('form')
        .send({ _csrf: token, linkRelationship: 'son', linkAccess: 'contribute', linkActive: 'on' })
        .expect(404);

      expect(await members().findOneByOrFail({ id: member.id })).toMatchObject({ firstName: member.firstName, archivedAt: null });
      expect(await links().findOneByOrFail({ id: link.id })).toMatchObject({ relationship: 'daughter', access: 'view' });
      expect(await t.dataSource.getRepository(User).countBy({ personId: member.id })).toBe(0);
    });

    it('should answer 404 for an id that does not exist or is not an id', async () => {
      await agents.admin.get('/families/4b3c2d1e-0000-4000-8000-000000000000').expect(404);
      await agents.manager.get('/families/not-an-id').expect(404);
      await agents.manager.get('/families/4b3c2d1e-0000-4000-8000-000000000000/edit').expect(404);
    });
  });

  describe('create, edit, archive', () => {
    it.each(['manager', 'coordinator'] as const)('should let a %s create a family member in their home', async (role) => {
      const res = await post(role, '/families/new', '/families', { firstName: ' Anna ', lastName: `Created${role}`, email: `anna.${role}@example.test`, phone: '' });
      expect(res.status).toBe(303);
      const member = await members().findOneByOrFail({ lastName: `Created${role}` });
      expect(member).toMatchObject({ homeId, firstName: 'Anna', email: `anna.${role}@example.test`, phone: null, archivedAt: null });
      expect(res.headers.location).toBe(`/families/${member.id}`);
      const page = await agents[role].get(res.headers.location).expect(200);
      expect(page.text).toContain(`Family member &quot;Anna Created${role}&quot; added.`);
    });

    it('should ask an admin, who sees every home, which home the family member belongs to', async () => {
      const form = await agents.admin.get('/families/new').expect(200);
      expect(form.text).toContain('name="homeId"');
      const missing = await post('admin', '/families/new', '/families', { firstName: 'Ada', lastName: 'Homeless', email: '', phone: '' });
      expect(missing.status).toBe(422);
      expect(missing.text).toMatch(/id="error-homeId">Choose a home\./);
      expect(missing.text).toContain('value="Homeless"');
      expect(await members().countBy({ lastName: 'Homeless' })).toBe(0);

      const res = await post('admin', '/families/new', '/families', { homeId: otherHomeId, firstName: 'Ada', lastName: 'Placed', email: '', phone: '' });
      expect(res.status).toBe(303);
      expect(await members().findOneByOrFail({ lastName: 'Placed' })).toMatchObject({ homeId: otherHomeId, email: null });
    });

    it('should refuse a manager who names another home for the new family member', async () => {
      const res = await post('manager', '/families/new', '/families', { homeId: otherHomeId, firstName: 'Ada', lastName: 'WrongHome' });
      expect(res.status).toBe(404);
      expect(await members().countBy({ lastName: 'WrongHome' })).toBe(0);
    });

    it('should show the form again with what was typed and each error beside its field', async () => {
      const res = await post('coordinator', '/families/new', '/families', { firstName: 'Giulia <b>', lastName: '', email: 'not-an-email', phone: '+39 333 1234567' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('value="Giulia &lt;b&gt;"');
      expect(res.text).toContain('value="not-an-email"');
      expect(res.text).toContain('value="+39 333 1234567"');
      expect(res.text).toMatch(/id="error-lastName">Fill in this field\./);
      expect(res.text).toMatch(/id="error-email">Enter an email address/);
      expect(res.text).not.toMatch(/id="error-firstName"/);
      expect(res.text).not.toMatch(/id="error-phone"/);
      expect(await members().countBy({ email: 'not-an-email' })).toBe(0);

      const unknownField = await post('coordinator', '/families/new', '/families', { firstName: 'X', lastName: 'Y', homeId: '', isAdmin: 'true' });
      expect(unknownField.status).toBe(422);
    });

    it('should edit a family member, keep what was typed on a refused edit, and audit the change old -> new', async () => {
      const member = await createFamilyMember(t, homeId, { firstName: 'Marco', lastName: 'Verdi', phone: '+39 02 111', email: 'marco@example.test' });
      const bad = await post('manager', `/families/${member.id}/edit`, `/families/${member.id}`, { firstName: 'Marco', lastName: 'Verdini', email: 'marco@', phone: 'call me' });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('value="Verdini"');
      expect(bad.text).toMatch(/id="error-email">Enter an email address/);
      expect(bad.text).toMatch(/id="error-phone">This does not have the expected form\./);
      expect(await members().findOneByOrFail({ id: member.id })).toMatchObject({ lastName: 'Verdi' });

      const res = await post('manager', `/families/${member.id}/edit`, `/families/${member.id}`, { firstName: 'Marco', lastName: 'Verdi', email: '', phone: '+39 02 222' });
      expect(res.status).toBe(303);
      expect(await members().findOneByOrFail({ id: member.id })).toMatchObject({ email: null, phone: '+39 02 222' });
      const entry = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ entityType: 'family_member', entityId: member.id, action: 'update' });
      expect(entry).toMatchObject({ userId: users.manager.id, role: 'manager', homeId });
      expect(entry.changes).toEqual({ email: { old: 'marco@example.test', new: null }, phone: { old: '+39 02 111', new: '+39 02 222' } });
    });

    it('should archive after confirmation, hide the archived from the list unless asked, and keep them read-only', async () => {
      const member = await createFamilyMember(t, homeId, { lastName: 'Archivable' });
      const confirm = await agents.coordinator.get(`/families/${member.id}/archive`).expect(200);
      expect(confirm.text).toContain('Archive Lucia');
      const res = await post('coordinator', `/families/${member.id}/archive`, `/families/${member.id}/archive`);
      expect(res.status).toBe(303);
      const stored = await members().findOneByOrFail({ id: member.id });
      expect(stored.archivedAt).toBeInstanceOf(Date);
      const entry = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ entityType: 'family_member', entityId: member.id, action: 'archive' });
      expect(entry.changes?.archivedAt).toMatchObject({ old: null });

      expect((await agents.coordinator.get('/families?q=Archivable')).text).not.toContain(`/families/${member.id}`);
      const withArchived = await agents.coordinator.get('/families?q=Archivable&archived=1').expect(200);
      expect(withArchived.text).toContain(`/families/${member.id}`);
      expect(withArchived.text).toContain('Archived');
      const page = await agents.coordinator.get(`/families/${member.id}`).expect(200);
      expect(page.text).toContain('This record can no longer be changed.');
      expect(page.text).not.toContain(`action="/families/${member.id}/links"`);

      const edit = await post('coordinator', `/families/${member.id}/edit`, `/families/${member.id}`, { firstName: 'Late', lastName: 'Change' });
      expect(edit.status).toBe(422);
      expect(edit.text).toContain('This family member is archived');
      expect(await members().findOneByOrFail({ id: member.id })).toMatchObject({ lastName: 'Archivable' });
    });

    it('should search by name and email and page the list by 25', async () => {
      const tag = 'Pagetest';
      for (let i = 0; i < 27; i += 1) await createFamilyMember(t, homeId, { lastName: `${tag}${String(i).padStart(2, '0')}` });
      await createFamilyMember(t, homeId, { lastName: 'Findme', email: 'unique.address@example.test' });

      const first = await agents.manager.get(`/families?q=${tag}`).expect(200);
      expect(first.text).toContain('Family members found: 27');
      expect(first.text).toContain(`${tag}00`);
      expect(first.text).toContain(`${tag}24`);
      expect(first.text).not.toContain(`${tag}25`);
      expect(first.text).toContain('Page 1 of 2');
      const second = await agents.manager.get(`/families?q=${tag}&page=2`).expect(200);
      expect(second.text).toContain(`${tag}26`);
      expect(second.text).not.toContain(`${tag}24`);

      const byEmail = await agents.manager.get('/families?q=UNIQUE.address').expect(200);
      expect(byEmail.text).toContain('Findme');
      expect(byEmail.text).not.toContain(tag);
      const byFullName = await agents.manager.get(`/families?q=${encodeURIComponent('lucia')}`).expect(200);
      expect(byFullName.text).toContain('Findme');
      const wildcard = await agents.manager.get('/families?q=%25').expect(200);
      expect(wildcard.text).toContain('No family members match this search.');
    });
  });

  describe('in Italian', () => {
    it('should show the family member\'s page with Italian labels for relationship, access and primary contact', async () => {
      const coordinator = await createUser(t, { role: 'coordinator', homeIds: [homeId], locale: 'it' });
      const agent = await signIn(t, coordinator.email, coordinator.password);
      const member = await createFamilyMember(t, homeId);
      await createFamilyLink(t, member, (await createResident(t, homeId)).id, { relationship: 'niece_nephew', primaryContact: true, access: 'contribute' });
      await createFamilyLink(t, member, (await createResident(t, homeId)).id, { relationship: 'figlia', active: false });
      const page = await agent.get(`/families/${member.id}`).expect(200);
      expect(page.text).toContain('Parentela');
      expect(page.text).toContain('Referente principale');
      expect(page.text).toContain('Può contribuire');
      expect(page.text).toContain('Solo visione');
      expect(page.text).toContain('Collegamento attivo');
      expect(page.text).toContain('Nipote (figlio/a di un fratello o una sorella)');
      // A relationship written before the fixed list is shown as it was written.
      expect(page.text).toContain('— figlia');
      expect((await agent.get('/families')).text).toContain('<h1>Familiari</h1>');
    });
  });

  describe('links to residents', () => {
    it('should add a link and show it on the family member\'s page and in the list', async () => {
      const member = await createFamilyMember(t, homeId);
      const resident = await createResident(t, homeId, { firstName: 'Giuseppina', preferredName: 'Pina', lastName: 'Esposito' });
      const page = await agents.manager.get(`/families/${member.id}`).expect(200);
      expect(page.text).toContain(`<option value="${resident.id}"`);
      const res = await post('manager', `/families/${member.id}`, `/families/${member.id}/links`, { residentId: resident.id, relationship: 'daughter', access: 'contribute' });
      expect(res.status).toBe(303);
      expect(await links().findOneByOrFail({ familyMemberId: member.id })).toMatchObject({
        homeId, residentId: resident.id, relationship: 'daughter', access: 'contribute', primaryContact: false, active: true,
      });
      const after = await agents.manager.get(`/families/${member.id}`).expect(200);
      expect(after.text).toContain('Linked to Pina Esposito.');
      expect(after.text).toContain('Pina Esposito</strong></a>');
      expect(after.text).toContain('Can contribute');
      expect((await agents.manager.get(`/families?q=${member.lastName}`)).text).toContain('Pina Esposito');
      const entry = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ entityType: 'family_link', action: 'create', entityId: (await links().findOneByOrFail({ familyMemberId: member.id })).id });
      expect(entry.changes).toMatchObject({ residentId: { old: null, new: resident.id }, access: { old: null, new: 'contribute' }, relationship: { old: null, new: 'daughter' } });
    });

    it('should refuse a link to a resident of another home by a forged id, and store nothing', async () => {
      const member = await createFamilyMember(t, homeId);
      const elsewhere = await createResident(t, otherHomeId, { lastName: 'Forged' });
      for (const role of EDITORS) {
        const res = await post(role, `/families/${member.id}`, `/families/${member.id}/links`, { residentId: elsewhere.id, relationship: 'son', access: 'contribute' });
        expect(res.status).toBe(404);
        expect(res.text).not.toContain('Forged');
      }
      expect(await links().countBy({ residentId: elsewhere.id })).toBe(0);
      expect(await t.dataSource.getRepository(AuditEntry).countBy({ entityType: 'family_link', entityId: elsewhere.id })).toBe(0);
    });

    it('should refuse a link to a resident who has left the home', async () => {
      const member = await createFamilyMember(t, homeId);
      const discharged = await createResident(t, homeId, { status: 'discharged', leftOn: '2025-01-01' });
      expect((await agents.manager.get(`/families/${member.id}`)).text).not.toContain(discharged.id);
      const res = await post('manager', `/families/${member.id}`, `/families/${member.id}/links`, { residentId: discharged.id, relationship: 'son', access: 'view' });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="error-residentId">This resident no longer lives in the home\./);
      expect(await links().countBy({ residentId: discharged.id })).toBe(0);
    });

    it('should refuse a second link between the same two people, beside the resident field', async () => {
      const member = await createFamilyMember(t, homeId);
      const resident = await createResident(t, homeId);
      await createFamilyLink(t, member, resident.id);
      expect((await agents.coordinator.get(`/families/${member.id}`)).text).not.toContain(`<option value="${resident.id}"`);
      const res = await post('coordinator', `/families/${member.id}`, `/families/${member.id}/links`, { residentId: resident.id, relationship: 'son', access: 'view' });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="error-residentId">This person is already linked to this resident/);
      expect(await links().countBy({ familyMemberId: member.id })).toBe(1);
    });

    it('should keep what was typed in the add-link form when it is refused, and the rest of the page', async () => {
      const member = await createFamilyMember(t, homeId);
      const linked = await createResident(t, homeId, { lastName: 'Alreadylinked' });
      await createFamilyLink(t, member, linked.id);
      const resident = await createResident(t, homeId);
      const res = await post('manager', `/families/${member.id}`, `/families/${member.id}/links`, { residentId: resident.id, relationship: '', access: 'contribute', primaryContact: 'on' });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(new RegExp(`<option value="${resident.id}" selected>`));
      expect(res.text).toMatch(/id="error-relationship">Choose one of the options\./);
      expect(res.text).toContain('id="field-access-contribute" name="access" value="contribute" checked');
      expect(res.text).toContain('name="primaryContact" value="on" checked');
      expect(res.text).toContain('Alreadylinked');
      expect(res.text).toContain(member.email);
      expect(await links().countBy({ residentId: resident.id })).toBe(0);
    });

    it('should keep one primary contact per resident when a new link or an edit makes someone primary', async () => {
      const resident = await createResident(t, homeId);
      const first = await createFamilyMember(t, homeId);
      const second = await createFamilyMember(t, homeId);
      const firstLink = await createFamilyLink(t, first, resident.id, { primaryContact: true });

      await post('manager', `/families/${second.id}`, `/families/${second.id}/links`, { residentId: resident.id, relationship: 'son', access: 'view', primaryContact: 'on' }).then((r) => expect(r.status).toBe(303));
      const secondLink = await links().findOneByOrFail({ familyMemberId: second.id });
      expect(secondLink.primaryContact).toBe(true);
      expect((await links().findOneByOrFail({ id: firstLink.id })).primaryContact).toBe(false);
      expect(await links().countBy({ residentId: resident.id, primaryContact: true })).toBe(1);
      const cleared = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ entityType: 'family_link', entityId: firstLink.id, action: 'update' });
      expect(cleared.changes).toEqual({ primaryContact: { old: true, new: false } });

      const res = await post('coordinator', `/families/${first.id}`, `/families/${first.id}/links/${firstLink.id}`, {
        linkRelationship: 'daughter', linkAccess: 'view', linkPrimaryContact: 'on', linkActive: 'on',
      });
      expect(res.status).toBe(303);
      expect((await links().findOneByOrFail({ id: firstLink.id })).primaryContact).toBe(true);
      expect((await links().findOneByOrFail({ id: secondLink.id })).primaryContact).toBe(false);
      expect(await links().countBy({ residentId: resident.id, primaryContact: true })).toBe(1);
      // Said, not done silently (found by a review): who stopped being the main contact.
      const notice = (await agents.coordinator.get(res.headers.location).expect(200)).text;
      expect(notice).toContain(`${second.firstName} ${second.lastName} is no longer`);
      expect(notice).toContain('main contact: a resident has one.');
    });

    it('should edit a link, end it by unticking active, and audit each change old -> new', async () => {
      const member = await createFamilyMember(t, homeId);
      const resident = await createResident(t, homeId);
      const link = await createFamilyLink(t, member, resident.id, { relationship: 'daughter', access: 'view' });

      let res = await post('manager', `/families/${member.id}`, `/families/${member.id}/links/${link.id}`, { linkRelationship: 'daughter_in_law', linkAccess: 'contribute', linkActive: 'on' });
      expect(res.status).toBe(303);
      expect(await links().findOneByOrFail({ id: link.id })).toMatchObject({ relationship: 'daughter_in_law', access: 'contribute', active: true, primaryContact: false });
      const update = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ entityType: 'family_link', entityId: link.id, action: 'update' });
      expect(update.changes).toEqual({ relationship: { old: 'daughter', new: 'daughter_in_law' }, access: { old: 'view', new: 'contribute' } });

      // No linkActive: the checkbox was unticked.
      res = await post('manager', `/families/${member.id}`, `/families/${member.id}/links/${link.id}`, { linkRelationship: 'daughter_in_law', linkAccess: 'contribute' });
      expect(res.status).toBe(303);
      expect(await links().findOneByOrFail({ id: link.id })).toMatchObject({ active: false });
      const ended = await t.dataSource.getRepository(AuditEntry).find({ where: { entityType: 'family_link', entityId: link.id, action: 'update' }, order: { seq: 'DESC' } });
      expect(ended[0].changes).toEqual({ active: { old: true, new: false } });
      expect((await agents.manager.get(`/families/${member.id}`)).text).toContain('Link ended');
      expect(await links().countBy({ id: link.id })).toBe(1);
    });

    it('should show a refused link edit beside that link only, with what was typed', async () => {
      const member = await createFamilyMember(t, homeId);
      const one = await createFamilyLink(t, member, (await createResident(t, homeId)).id, { relationship: 'son' });
      const two = await createFamilyLink(t, member, (await createResident(t, homeId)).id, { relationship: 'friend' });
      const res = await post('manager', `/families/${member.id}`, `/families/${member.id}/links/${two.id}`, { linkRelationship: 'stranger', linkAccess: 'contribute', linkActive: 'on' });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(new RegExp(`id="error-link-${two.id}-relationship">Choose one of the options\\.`));
      expect(res.text).not.toContain(`id="error-link-${one.id}-relationship"`);
      // The refused form shows the access that was typed; the other link keeps what is stored.
      const twoForm = res.text.slice(res.text.indexOf(`/links/${two.id}"`));
      expect(twoForm.slice(0, twoForm.indexOf('</form>'))).toContain('<option value="contribute" selected>');
      const oneForm = res.text.slice(res.text.indexOf(`/links/${one.id}"`));
      expect(oneForm.slice(0, oneForm.indexOf('</form>'))).toContain('<option value="son" selected>');
      expect(await links().findOneByOrFail({ id: two.id })).toMatchObject({ relationship: 'friend', access: 'view' });
    });

    it('should refuse to change, through one family member\'s page, a link of another family member', async () => {
      const member = await createFamilyMember(t, homeId);
      const someoneElse = await createFamilyMember(t, homeId);
      const link = await createFamilyLink(t, someoneElse, (await createResident(t, homeId)).id);
      const res = await post('manager', `/families/${member.id}`, `/families/${member.id}/links/${link.id}`, { linkRelationship: 'son', linkAccess: 'contribute', linkActive: 'on' });
      expect(res.status).toBe(404);
      expect(await links().findOneByOrFail({ id: link.id })).toMatchObject({ relationship: 'daughter', access: 'view' });
    });
  });

  describe('the link service that resident access relies on', () => {
    it('should give the residents of active links only, and none once the family member is archived', async () => {
      const sut = t.get(FamilyLinksService);
      const member = await createFamilyMember(t, homeId);
      const current = await createResident(t, homeId);
      const ended = await createResident(t, homeId);
      await createFamilyLink(t, member, current.id, { access: 'contribute' });
      await createFamilyLink(t, member, ended.id, { active: false });

      expect(await sut.activeLinkedResidentIds(member.id)).toEqual([current.id]);
      expect(await sut.linkFor(member.id, current.id)).toEqual({ access: 'contribute', active: true });
      expect(await sut.linkFor(member.id, ended.id)).toEqual({ access: 'view', active: false });
      expect(await sut.linkFor(member.id, (await createResident(t, homeId)).id)).toBeNull();

      await members().update({ id: member.id }, { archivedAt: new Date() });
      expect(await sut.activeLinkedResidentIds(member.id)).toEqual([]);
      expect(await sut.linkFor(member.id, current.id)).toEqual({ access: 'contribute', active: false });
    });

    it('should list a resident\'s family without archived members, primary contact first, and not a resident of another home', async () => {
      const sut = t.get(FamilyLinksService);
      const resident = await createResident(t, homeId);
      const primary = await createFamilyMember(t, homeId, { firstName: 'Zeno', lastName: 'Primo' });
      const other = await createFamilyMember(t, homeId, { firstName: 'Anna', lastName: 'Altra' });
      const archived = await createFamilyMember(t, homeId, { archivedAt: new Date() });
      await createFamilyLink(t, other, resident.id);
      await createFamilyLink(t, primary, resident.id, { primaryContact: true, relationship: 'son' });
      await createFamilyLink(t, archived, resident.id);

      const result = await sut.linksForResident(await sessionUser('carer'), resident.id);
      expect(result.map((link) => link.familyMemberName)).toEqual(['Zeno Primo', 'Anna Altra']);
      expect(result[0]).toMatchObject({ familyMemberId: primary.id, email: primary.email, phone: '+39 02 555 0100', phoneHref: 'tel:+39025550100', relationship: 'son', primaryContact: true, access: 'view', active: true });

      const elsewhere = await createResident(t, otherHomeId);
      await expect(sut.linksForResident(await sessionUser('manager'), elsewhere.id)).rejects.toMatchObject({ status: 404 });
      await expect(sut.residentOptions(await sessionUser('manager'), otherHomeId)).rejects.toMatchObject({ status: 404 });
    });
  });

  describe('invitation to an account', () => {
    async function invite(memberId: string) {
      const res = await post('manager', `/families/${memberId}`, `/families/${memberId}/invitation`);
      expect(res.status).toBe(303);
      const page = await agents.manager.get(res.headers.location).expect(200);
      const match = INVITATION_LINK.exec(page.text);
      if (!match) throw new Error('No invitation link on the page');
      return { page, path: match[0], token: match[1] };
    }

    it('should show the link once, let it be used once, and sign the person in as family', async () => {
      const member = await createFamilyMember(t, homeId, { firstName: 'Elena', lastName: 'Invitata', email: 'Elena.Invitata@Example.test' });
      const { page, path } = await invite(member.id);
      expect(page.text).toContain('Invitation created for elena.invitata@example.test.');
      expect(page.text).toContain('Invited; the link works until');
      expect((await agents.manager.get(`/families/${member.id}`)).text).not.toMatch(INVITATION_LINK);
      expect(await t.dataSource.getRepository(AuditEntry).countBy({ entityType: 'invitation', action: 'create' })).toBeGreaterThan(0);

      const invitee = request.agent(t.server);
      const form = await invitee.get(path).expect(200);
      expect(form.text).toContain('elena.invitata@example.test');
      const token = await formToken(invitee, path);
      const accepted = await invitee.post(path).type('form').send({ _csrf: token, newPassword: 'a long family password', confirmPassword: 'a long family password' });
      expect(accepted.status).toBe(303);
      const home = await invitee.get('/').redirects(1).expect(200);
      // A new account starts in its home's language (Italian here), as its invitation mail was written.
      expect(home.text).toContain('<span class="role">Familiare</span>');
      await invitee.get('/families').expect(403);
      const user = await t.dataSource.getRepository(User).findOneByOrFail({ email: 'elena.invitata@example.test' });
      expect(user).toMatchObject({ role: 'family', personKind: 'family', personId: member.id });
      expect((await agents.manager.get(`/families/${member.id}`)).text).toContain('Has an account (elena.invitata@example.test).');

      const again = await request.agent(t.server).get(path);
      expect(again.status).toBe(422);
      expect(again.text).toContain('This invitation link has already been used.');
      await signIn(t, 'elena.invitata@example.test', 'a long family password');
    });

    it('should refuse an expired link with a clear message', async () => {
      const member = await createFamilyMember(t, homeId);
      const { path } = await invite(member.id);
      const user = await t.dataSource.getRepository(User).findOneByOrFail({ personId: member.id });
      await t.dataSource.getRepository(Invitation).update({ userId: user.id }, { expiresAt: new Date(Date.now() - 60_000) });
      const res = await request.agent(t.server).get(path);
      expect(res.status).toBe(422);
      expect(res.text).toContain('This invitation link has expired');
      expect((await agents.manager.get(`/families/${member.id}`)).text).toContain('No account yet.');
    });

    it('should make the old link stop working when a new invitation is made', async () => {
      const member = await createFamilyMember(t, homeId);
      const first = await invite(member.id);
      const second = await invite(member.id);
      expect(second.token).not.toBe(first.token);
      const old = await request.agent(t.server).get(first.path);
      expect(old.status).toBe(422);
      expect(old.text).toContain('This invitation link has expired');
      await request.agent(t.server).get(second.path).expect(200);
    });

    it('should explain that a family member without an email cannot be invited', async () => {
      const member = await createFamilyMember(t, homeId, { email: null });
      const res = await post('coordinator', `/families/${member.id}`, `/families/${member.id}/invitation`);
      expect(res.status).toBe(422);
      expect(res.text).toContain('Add an email address to this person&#x27;s record before inviting them.');
      expect(res.text).toContain(member.lastName);
      expect(await t.dataSource.getRepository(User).countBy({ personId: member.id })).toBe(0);
    });
  });
});
