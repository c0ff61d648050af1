import request from 'supertest';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { SessionRecord } from '../src/auth/entities/session.entity';
import { User } from '../src/auth/entities/user.entity';
import { createHome, createUser, TestUser } from './support/factories';
import { createFamilyMember } from './support/family-factories';
import { csrfFrom, formToken, signIn, type Agent } from './support/http';
import { createStaffMember, createVolunteer } from './support/people-factories';
import { createTestApp, TestApp } from './support/test-app';

/** Account management (issue 16, item 6), over HTTP against a migrated database. */
describe('Accounts', () => {
  let t: TestApp;
  let homeA: string;
  let homeB: string;
  let admin: TestUser;
  let manager: TestUser;
  let managerAgent: Agent;
  let managerToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    homeA = (await createHome(t, { name: 'Casa Alfa' })).id;
    homeB = (await createHome(t, { name: 'Casa Beta' })).id;
    admin = await createUser(t, { role: 'admin', displayName: 'Ada Admin' });
    manager = await createUser(t, { role: 'manager', homeIds: [homeA], displayName: 'Marta Manager' });
    managerAgent = await signIn(t, manager.email, manager.password);
    managerToken = await formToken(managerAgent, '/accounts');
  });

  afterAll(async () => {
    await t.close();
  });

  const users = () => t.dataSource.getRepository(User);
  const auditFor = (entityId: string) => t.dataSource.getRepository(AuditEntry).find({ where: { entityType: 'user', entityId }, order: { seq: 'ASC' } });

  async function post(agent: Agent, path: string, body: Record<string, string> = {}) {
    const token = await formToken(agent, '/account');
    return agent.post(path).type('form').send({ _csrf: token, ...body });
  }

  async function signInFails(email: string, password: string): Promise<void> {
    const agent = request.agent(t.server);
    const token = await formToken(agent);
    const res = await agent.post('/login').type('form').send({ _csrf: token, email, password });
    expect(res.status).toBe(422);
  }

  it('should list every account with its role, homes, status and last sign-in for an admin', async () => {
    const carerB = await createUser(t, { role: 'carer', homeIds: [homeB], displayName: 'Bruno Beta' });
    await signIn(t, carerB.email, carerB.password);
    const invited = await createUser(t, { role: 'carer', homeIds: [homeA], displayName: 'Ivo Invited' });
    await users().update({ id: invited.id }, { passwordHash: null });
    const agent = await signIn(t, admin.email, admin.password);
    const page = await agent.get('/accounts').expect(200);
    expect(page.text).toContain('Ada Admin');
    expect(page.text).toContain('Marta Manager');
    const row = (name: string) => new RegExp(`${name}</a></td>\\s*<td>([^<]*)</td>\\s*<td>([^<]*)</td>\\s*<td>([^<]*)</td>\\s*<td><span class="badge">([^<]*)</span></td>\\s*<td>([^<]*)</td>`).exec(page.text);
    const bruno = row('Bruno Beta')!;
    expect(bruno.slice(1, 5)).toEqual([carerB.email, 'Carer', 'Casa Beta', 'Active']);
    expect(bruno[5]).not.toBe('Never');
    const ivo = row('Ivo Invited')!;
    expect(ivo.slice(1, 6)).toEqual([invited.email, 'Carer', 'Casa Alfa', 'Invited, not yet set up', 'Never']);
    const filtered = await agent.get(`/accounts?homeId=${homeB}&role=carer&status=active`).expect(200);
    expect(filtered.text).toContain('Bruno Beta');
    expect(filtered.text).not.toContain('Ivo Invited');
    const searched = await agent.get('/accounts?q=bruno').expect(200);
    expect(searched.text).toContain('Bruno Beta');
    expect(searched.text).not.toContain('Marta Manager');
  });

  it("should show a manager only their home's accounts, never an admin's, and 404 for the others", async () => {
    const carerA = await createUser(t, { role: 'carer', homeIds: [homeA], displayName: 'Carla Alfa' });
    const carerB = await createUser(t, { role: 'carer', homeIds: [homeB], displayName: 'Beppe Beta' });
    const page = await managerAgent.get('/accounts').expect(200);
    expect(page.text).toContain('Carla Alfa');
    expect(page.text).toContain(carerA.email);
    expect(page.text).not.toContain('Beppe Beta');
    expect(page.text).not.toContain(carerB.email);
    expect(page.text).not.toContain(admin.email);
    expect(page.text).not.toContain('Casa Beta');
    // Nor a filter for accounts they never see.
    expect(page.text).toContain('<option value="carer"');
    expect(page.text).not.toContain('<option value="group_manager"');
    expect(page.text).not.toContain('<option value="admin"');
    await managerAgent.get(`/accounts/${carerB.id}`).expect(404);
    await managerAgent.get(`/accounts/${admin.id}`).expect(404);
    await managerAgent.get(`/accounts?homeId=${homeB}`).expect(404);
    await managerAgent.get('/accounts?role=overlord').expect(422);
    expect((await post(managerAgent, `/accounts/${carerB.id}/disable`)).status).toBe(404);
    expect((await post(managerAgent, `/accounts/${admin.id}/reset`)).status).toBe(404);
    expect((await users().findOneByOrFail({ id: carerB.id })).disabledAt).toBeNull();
    const carer = await signIn(t, carerA.email, carerA.password);
    await carer.get('/accounts').expect(403);
  });

  it('should end a live session on its next request when the account is disabled, and let it sign in again once enabled', async () => {
    const carer = await createUser(t, { role: 'carer', homeIds: [homeA] });
    const live = await signIn(t, carer.email, carer.password);
    await live.get('/account').expect(200);
    const res = await managerAgent.post(`/accounts/${carer.id}/disable`).type('form').send({ _csrf: managerToken });
    expect(res.status).toBe(303);
    expect(await t.dataSource.getRepository(SessionRecord).countBy({ userId: carer.id })).toBe(0);
    const next = await live.get('/account');
    expect(next.status).toBe(303);
    expect(next.headers.location).toBe('/login?next=%2Faccount&reason=accountDisabled');
    expect((await live.get(next.headers.location).expect(200)).text).toContain('this account has been disabled');
    await signInFails(carer.email, carer.password);
    const shown = await managerAgent.get(`/accounts/${carer.id}`).expect(200);
    expect(shown.text).toContain('Disabled');
    expect((await managerAgent.post(`/accounts/${carer.id}/enable`).type('form').send({ _csrf: managerToken })).status).toBe(303);
    const again = await signIn(t, carer.email, carer.password);
    await again.get('/account').expect(200);
    const changes = (await auditFor(carer.id)).filter((e) => e.userId === manager.id).map((e) => Object.keys(e.changes ?? {}));
    expect(changes).toEqual([['disabledAt'], ['disabledAt']]);
  });

  it('should refuse a manager disabling themself and an admin disabling the last enabled admin', async () => {
    const self = await post(managerAgent, `/accounts/${manager.id}/disable`);
    expect(self.status).toBe(422);
    expect(self.text).toContain('You cannot do this to your own account.');
    const adminAgent = await signIn(t, admin.email, admin.password);
    const last = await post(adminAgent, `/accounts/${admin.id}/disable`);
    expect(last.status).toBe(422);
    expect(last.text).toContain('last enabled administrator');
    expect((await users().findOneByOrFail({ id: admin.id })).disabledAt).toBeNull();
    const second = await createUser(t, { role: 'admin' });
    expect((await post(adminAgent, `/accounts/${second.id}/disable`)).status).toBe(303);
    expect((await users().findOneByOrFail({ id: second.id })).disabledAt).not.toBeNull();
  });

  it('should change a role with effect on the next request, and refuse roles an account or actor may not have', async () => {
    const carer = await createUser(t, { role: 'carer', homeIds: [homeA] });
    const live = await signIn(t, carer.email, carer.password);
    await live.get('/staff').expect(403);
    expect((await post(managerAgent, `/accounts/${carer.id}/role`, { role: 'coordinator' })).status).toBe(303);
    await live.get('/staff').expect(200);
    expect((await auditFor(carer.id)).at(-1)!.changes).toEqual({ role: { old: 'carer', new: 'coordinator' } });

    const unknown = await post(managerAgent, `/accounts/${carer.id}/role`, { role: 'overlord' });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toMatch(/id="error-role"/);
    const toAdmin = await post(managerAgent, `/accounts/${carer.id}/role`, { role: 'admin' });
    expect(toAdmin.status).toBe(422);
    expect(toAdmin.text).toContain('This account cannot take that role.');
    const relative = await createFamilyMember(t, homeA);
    const family = await createUser(t, { role: 'family', homeIds: [homeA], personKind: 'family', personId: relative.id });
    expect((await post(managerAgent, `/accounts/${family.id}/role`, { role: 'carer' })).status).toBe(422);
    expect((await users().findOneByOrFail({ id: family.id })).role).toBe('family');
    expect((await users().findOneByOrFail({ id: carer.id })).role).toBe('coordinator');

    const adminAgent = await signIn(t, admin.email, admin.password);
    expect((await post(adminAgent, `/accounts/${carer.id}/role`, { role: 'admin' })).status).toBe(303);
    expect((await users().findOneByOrFail({ id: carer.id })).role).toBe('admin');
  });

  it('should refuse the old password and end sessions after a forced reset, and give a set-up link that works', async () => {
    const carer = await createUser(t, { role: 'carer', homeIds: [homeA], displayName: 'Rita Reset' });
    const live = await signIn(t, carer.email, carer.password);
    const res = await post(managerAgent, `/accounts/${carer.id}/reset`);
    expect(res.status).toBe(303);
    const shown = await managerAgent.get(res.headers.location).expect(200);
    const link = /\/invitations\/[A-Za-z0-9_-]{20,}/.exec(shown.text)![0];
    expect(shown.text).toContain('Needs a new password');
    const after = await live.get('/account');
    expect(after.status).toBe(303);
    // The device that comes back is told why, once; the marker it read names nobody.
    expect(after.headers.location).toBe(`/login?next=%2Faccount&reason=passwordReset`);
    expect((await live.get(after.headers.location).expect(200)).text).toContain('password was reset by an administrator or manager');
    expect((await live.get('/account')).headers.location).toBe(`/login?next=%2Faccount&reason=expired`);
    await signInFails(carer.email, carer.password);
    const resets = (await auditFor(carer.id)).filter((e) => e.userId === manager.id && e.action === 'update');
    expect(resets.map((e) => e.changes)).toEqual([{ password: { old: '[redacted]', new: '[reset forced]' } }]);
    const listed = await managerAgent.get('/accounts?status=reset').expect(200);
    expect(listed.text).toContain('Rita Reset');

    const person = request.agent(t.server);
    const form = await person.get(link).expect(200);
    await person.post(link).type('form').send({ _csrf: csrfFrom(form.text), newPassword: 'a brand new password', confirmPassword: 'a brand new password' }).expect(303);
    await signIn(t, carer.email, 'a brand new password');
  });

  /** Invites the person behind `path` and accepts, as they would; returns their signed-in agent and email. */
  async function personWithAccount(path: string, extra: Record<string, string> = {}): Promise<{ person: Agent; email: string }> {
    const action = path.startsWith('/families') ? 'invitation' : 'invite';
    const invited = await post(managerAgent, `${path}/${action}`, extra);
    expect(invited.status).toBe(303);
    const page = await managerAgent.get(invited.headers.location).expect(200);
    const link = /\/invitations\/[A-Za-z0-9_-]{20,}/.exec(page.text)![0];
    const person = request.agent(t.server);
    const form = await person.get(link).expect(200);
    await person.post(link).type('form').send({ _csrf: csrfFrom(form.text), newPassword: 'my own long password', confirmPassword: 'my own long password' }).expect(303);
    await person.get('/account').expect(200);
    const user = await users().findOneByOrFail({ personId: path.split('/')[2] });
    return { person, email: user.email };
  }

  it.each([
    ['staff member', async () => {
      const s = await createStaffMember(t, homeA);
      return { path: `/staff/${s.id}`, form: { firstName: s.firstName, lastName: s.lastName, email: s.email!, jobRole: s.jobRole, status: 'left' }, invite: { role: 'carer' } };
    }],
    ['volunteer', async () => {
      const v = await createVolunteer(t, homeA);
      return { path: `/volunteers/${v.id}`, form: { firstName: v.firstName, lastName: v.lastName, email: v.email!, status: 'left' }, invite: {} };
    }],
  ])('should disable a %s\'s login when the edit form sets "left", and un-archiving enables it again', async (_label, make) => {
    const { path, form, invite } = await make();
    const { person, email } = await personWithAccount(path, invite);
    expect((await post(managerAgent, path, form)).status).toBe(303);
    const user = await users().findOneByOrFail({ personId: path.split('/')[2] });
    expect(user.disabledAt).not.toBeNull();
    expect((await person.get('/account')).status).toBe(303);
    await signInFails(email, 'my own long password');

    const shown = await managerAgent.get(path).expect(200);
    expect(shown.text).toContain(`${path}/unarchive`);
    expect((await post(managerAgent, `${path}/unarchive`)).status).toBe(303);
    expect((await users().findOneByOrFail({ id: user.id })).disabledAt).toBeNull();
    await signIn(t, email, 'my own long password');
    const audited = (await auditFor(user.id)).filter((e) => e.changes?.disabledAt && e.userId === manager.id).map((e) => (e.changes!.disabledAt.new === null ? 'enabled' : 'disabled'));
    expect(audited).toEqual(['disabled', 'enabled']);
  });

  it('should un-archive an archived relative and enable their account again', async () => {
    const relative = await createFamilyMember(t, homeA);
    const path = `/families/${relative.id}`;
    const { person, email } = await personWithAccount(path);
    expect((await post(managerAgent, `${path}/archive`)).status).toBe(303);
    expect((await person.get('/account')).status).toBe(303);
    const shown = await managerAgent.get(path).expect(200);
    expect(shown.text).toContain(`${path}/unarchive`);
    expect((await post(managerAgent, `${path}/unarchive`)).status).toBe(303);
    await signIn(t, email, 'my own long password');
    const entries = await t.dataSource.getRepository(AuditEntry).find({ where: { entityType: 'family_member', entityId: relative.id }, order: { seq: 'ASC' } });
    expect(entries.at(-1)!.changes).toEqual({ archivedAt: { old: expect.any(String), new: null } });
  });

  it("should answer 404 for un-archiving another home's person", async () => {
    const other = await createStaffMember(t, homeB, { status: 'left' });
    expect((await post(managerAgent, `/staff/${other.id}/unarchive`)).status).toBe(404);
  });
});
