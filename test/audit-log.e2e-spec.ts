import { AuditService } from '../src/audit/audit.service';
import { AUDIT_PAGE_SIZE } from '../src/data-protection/audit-log.service';
import { UnitOfWork } from '../src/database/unit-of-work';
import { HomeView } from '../src/homes/homes.service';
import { Resident } from '../src/residents/entities/resident.entity';
import request from 'supertest';
import { Participation } from '../src/activities/entities/participation.entity';
import { createActivity } from './support/activity-factories';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, apiSignIn, formToken, signIn } from './support/http';
import { createRelative } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';

/** SPEC 4: the admin's audit log, filtered by person, user and date. */
describe('The audit log', () => {
  let t: TestApp;
  let home: HomeView;
  let admin: Agent;
  let coordinator: TestUser;
  let bruna: Resident;

  /** The rows of the page's table, as text. */
  const rowsOf = (html: string) => [...html.matchAll(/<tr id="entry-(\d+)">([\s\S]*?)<\/tr>/g)].map((m) => ({ seq: Number(m[1]), html: m[2] }));

  beforeAll(async () => {
    t = await createTestApp();
    home = await createHome(t, { name: 'Casa Serena', timezone: 'Europe/Rome' });
    coordinator = await createUser(t, { role: 'coordinator', homeIds: [home.id], displayName: 'Giulia Ferri' });
    const adminUser = await createUser(t, { role: 'admin', displayName: 'Marco Galli' });
    // What a coordinator does, through the app: signs in, admits a resident, changes her room.
    const staff = await signIn(t, coordinator.email, coordinator.password);
    const fields = { firstName: 'Bruna', lastName: 'Messori', dateOfBirth: '1936-02-03', admittedOn: '2025-03-01', weeklyActivityTarget: '4', room: '' };
    await staff.post('/residents').type('form').send({ _csrf: await formToken(staff, '/residents/new'), ...fields }).expect(303);
    bruna = await t.dataSource.getRepository(Resident).findOneByOrFail({ lastName: 'Messori' });
    await staff.post(`/residents/${bruna.id}`).type('form').send({ _csrf: await formToken(staff, `/residents/${bruna.id}/edit`), ...fields, room: '12B' }).expect(303);
    admin = await signIn(t, adminUser.email, adminUser.password);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  it("should show the admin what was done, by whom, to whom, and the fields' old and new values, newest first", async () => {
    const page = await admin.get('/data-protection/audit').expect(200);
    expect(page.text).toContain('<title>Audit log · Insieme</title>');
    const rows = rowsOf(page.text);
    expect(rows.map((r) => r.seq)).toEqual([...rows.map((r) => r.seq)].sort((a, b) => b - a));
    const changed = rows.find((r) => r.html.includes('Changed') && r.html.includes('Messori'))!;
    expect(changed.html).toContain('Giulia Ferri');
    expect(changed.html).toContain('Activity coordinator');
    expect(changed.html).toContain(`Resident: <a href="/residents/${bruna.id}">Bruna Messori</a>`);
    expect(changed.html).toContain('<strong>Room</strong>: — → 12B');
    expect(changed.html).toContain('Casa Serena');
    expect(rows.some((r) => r.html.includes('Created') && r.html.includes('Bruna Messori'))).toBe(true);
    expect(rows.some((r) => r.html.includes('Signed in') && r.html.includes('Giulia Ferri'))).toBe(true);
  });

  it('should filter by the person the entries are about, by who did it, by what and by day', async () => {
    const about = rowsOf((await admin.get('/data-protection/audit').query({ person: 'messori' }).expect(200)).text);
    expect(about.length).toBe(2);
    expect(about.every((r) => r.html.includes('Bruna Messori'))).toBe(true);

    const byHer = rowsOf((await admin.get('/data-protection/audit').query({ user: 'giulia' }).expect(200)).text);
    expect(byHer.length).toBeGreaterThanOrEqual(3);
    expect(byHer.every((r) => r.html.includes('Giulia Ferri'))).toBe(true);
    const sessions = rowsOf((await admin.get('/data-protection/audit').query({ user: 'giulia', action: 'login' }).expect(200)).text);
    expect(sessions.length).toBeGreaterThanOrEqual(1);
    expect(sessions.every((r) => r.html.includes('Signed in'))).toBe(true);

    const nobody = await admin.get('/data-protection/audit').query({ user: 'Nessuno Affatto' }).expect(200);
    expect(rowsOf(nobody.text)).toEqual([]);
    expect(nobody.text).toContain('No account has “Nessuno Affatto” in its name or email.');

    expect(rowsOf((await admin.get('/data-protection/audit').query({ person: 'messori', from: '2020-01-01', to: '2099-12-31' }).expect(200)).text).length).toBe(2);
    expect(rowsOf((await admin.get('/data-protection/audit').query({ person: 'messori', from: '2099-01-01' }).expect(200)).text)).toEqual([]);
    expect(rowsOf((await admin.get('/data-protection/audit').query({ person: 'messori', to: '2020-01-01' }).expect(200)).text)).toEqual([]);
  });

  it('should answer a wrong date beside its field, the filters kept, and never a 500', async () => {
    const wrong = await admin.get('/data-protection/audit').query({ person: 'messori', from: '2026-13-01' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('id="error-from"');
    expect(wrong.text).toContain('value="messori"');
    const reversed = await admin.get('/data-protection/audit').query({ from: '2026-12-05', to: '2026-12-01' });
    expect(reversed.status).toBe(422);
    expect(reversed.text).toContain('The end date must be on or after the start date.');
    const unknown = await admin.get('/data-protection/audit').query({ action: 'delete_everything' });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('action&#x3D;delete_everything: Choose one of the options.');
    // LIKE's own characters are looked for as typed.
    expect(rowsOf((await admin.get('/data-protection/audit').query({ person: '%' }).expect(200)).text)).toEqual([]);
  });

  it('should page through the log, older entries after the newest', async () => {
    const audit = t.get(AuditService);
    await t.get(UnitOfWork).transaction(async (m) => {
      for (let i = 0; i < AUDIT_PAGE_SIZE + 5; i += 1) {
        await audit.record(m, { action: 'update', userId: null, role: null, entityType: 'resident', entityId: bruna.id, homeId: home.id, changes: { room: { old: `${i}`, new: `${i + 1}` } } });
      }
    });
    const first = await admin.get('/data-protection/audit').query({ person: 'Bruna' }).expect(200);
    const firstRows = rowsOf(first.text);
    expect(firstRows.length).toBe(AUDIT_PAGE_SIZE);
    const older = /<a class="button" href="([^"]+)">Older entries<\/a>/.exec(first.text)![1].replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
    expect(older).toContain('person=Bruna');
    const second = rowsOf((await admin.get(older).expect(200)).text);
    expect(second.length).toBe(AUDIT_PAGE_SIZE + 5 + 2 - AUDIT_PAGE_SIZE);
    expect(Math.max(...second.map((r) => r.seq))).toBeLessThan(Math.min(...firstRows.map((r) => r.seq)));
  });

  it("should name the residents of a participation log's fields and the activity it was for", async () => {
    const activity = await createActivity(t, home.id, { title: 'Tombola del martedì', startsAt: new Date(Date.now() - 60 * 60 * 1000), residentIds: [bruna.id] });
    await t.get(UnitOfWork).transaction((m) => t.get(AuditService).record(m, {
      action: 'create', userId: null, role: null, entityType: 'participation', entityId: activity.id, homeId: home.id, changes: { [`${bruna.id}.engagement`]: { old: null, new: 'active' } },
    }));
    const row = rowsOf((await admin.get('/data-protection/audit').query({ action: 'create' }).expect(200)).text).find((r) => r.html.includes('Tombola del martedì'))!;
    expect(row.html).toContain('<strong>Bruna Messori · how they took part</strong>: — → Active');
    expect(row.html).not.toContain(bruna.id);
    // Asked about Bruna, the log finds the participation entries of the activities she was logged on.
    await t.dataSource.getRepository(Participation).insert({
      homeId: home.id, activityId: activity.id, residentId: bruna.id, engagement: 'active', moodBefore: null, moodAfter: null, staffNote: null, familyNote: null, recordedBy: null, recordedAt: new Date(),
    });
    expect(rowsOf((await admin.get('/data-protection/audit').query({ person: 'Messori', action: 'create' }).expect(200)).text).some((r) => r.html.includes('Tombola del martedì'))).toBe(true);
  });

  it('should name what an entry is about and the ids its changes hold, and not blame an account for a sign-in someone tried', async () => {
    const relative = await createRelative(t, bruna, { relationship: 'daughter' });
    await t.get(UnitOfWork).transaction((m) => t.get(AuditService).record(m, {
      action: 'create', userId: null, role: null, entityType: 'family_link', entityId: relative.link.id, homeId: home.id,
      changes: { familyMemberId: { old: null, new: relative.familyMember.id }, residentId: { old: null, new: bruna.id } },
    }));
    const link = rowsOf((await admin.get('/data-protection/audit').query({ person: 'Messori' }).expect(200)).text).find((r) => r.html.includes('Family link'))!;
    const relativeName = `${relative.familyMember.firstName} ${relative.familyMember.lastName}`;
    expect(link.html).toContain(`Family link: ${relativeName} – Bruna Messori`);
    expect(link.html).toContain(`<strong>Relative</strong>: — → ${relativeName}`);
    expect(link.html).toContain('<strong>Resident</strong>: — → Bruna Messori');
    expect(link.html).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);

    const stranger = request.agent(t.server);
    const loginToken = await formToken(stranger);
    expect((await stranger.post('/login').type('form').send({ _csrf: loginToken, email: coordinator.email, password: 'not-her-password' })).status).toBe(422);
    const refused = rowsOf((await admin.get('/data-protection/audit').query({ action: 'login_failed' }).expect(200)).text)[0];
    expect(refused.html).toContain('Someone at this address');
    expect(refused.html).toContain('Account: Giulia Ferri');
    expect(refused.html.split('</td>')[1]).not.toContain('Giulia Ferri');
  });

  it('should answer a date with a time beside its field too, the filters kept', async () => {
    const wrong = await admin.get('/data-protection/audit').query({ person: 'messori', from: '2026-12-05T00:00' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('id="error-from"');
    expect(wrong.text).toContain('value="messori"');
  });

  it("should not show again an erased resident's values recorded before the erasure", async () => {
    const staff = await signIn(t, coordinator.email, coordinator.password);
    const fields = { firstName: 'Ada', lastName: 'Pavarotti', dateOfBirth: '1930-05-06', admittedOn: '2024-01-10', weeklyActivityTarget: '3', aboutMe: 'Sarta a Carpi per quarant’anni.' };
    await staff.post('/residents').type('form').send({ _csrf: await formToken(staff, '/residents/new'), ...fields }).expect(303);
    const ada = await t.dataSource.getRepository(Resident).findOneByOrFail({ lastName: 'Pavarotti' });
    const before = (await admin.get('/data-protection/audit').query({ person: 'Pavarotti' }).expect(200)).text;
    expect(before).toContain('Sarta a Carpi');
    await t.dataSource.getRepository(Resident).update({ id: ada.id }, { status: 'discharged', leftOn: '2025-01-31' });
    const token = await formToken(admin, `/residents/${ada.id}/erase`);
    await admin.post(`/residents/${ada.id}/erase`).type('form').send({ _csrf: token, reason: 'A request received by post', confirm: 'on' }).expect(303);

    const after = (await admin.get('/data-protection/audit').expect(200)).text;
    for (const value of ['Sarta a Carpi', 'Pavarotti', '1930-05-06']) expect(after).not.toContain(value);
    const created = rowsOf(after).find((r) => r.html.includes('Created') && r.html.includes(`/residents/${ada.id}`))!;
    expect(created.html).toContain('<strong>About me</strong>: <span class="muted">value not shown (resident erased)</span>');
    expect(rowsOf(after).some((r) => r.html.includes('Erased') && r.html.includes(`/residents/${ada.id}`))).toBe(true);
  });

  it.each(['manager', 'coordinator', 'carer', 'family', 'volunteer', 'group_manager'] as const)('should not show the log to a %s, nor offer it in the menu', async (role) => {
    const user = await createUser(t, { role, homeIds: role === 'group_manager' ? [] : [home.id] });
    const agent = await signIn(t, user.email, user.password);
    const answer = await agent.get('/data-protection/audit');
    expect([403, 404]).toContain(answer.status);
    expect(answer.text).not.toContain('Messori');
    const menu = await agent.get('/account').expect(200);
    expect(menu.text).not.toContain('href="/data-protection/audit"');
  });

  it('should record a signed-in user refused by role, on a page and on the API, once per address in ten minutes', async () => {
    const carer = await createUser(t, { role: 'carer', homeIds: [home.id], displayName: 'Carla Neri' });
    const agent = await signIn(t, carer.email, carer.password);
    await agent.get('/data-protection/audit').expect(403);
    await agent.get('/data-protection/audit').expect(403);
    await agent.get(`/residents/${bruna.id}/erase`).expect(403);
    const refused = rowsOf((await admin.get('/data-protection/audit').query({ user: 'carla neri', action: 'access_denied' }).expect(200)).text);
    expect(refused.map((r) => /(GET \/[^<]*)/.exec(r.html)?.[1]).sort()).toEqual(['GET /data-protection/audit', `GET /residents/${bruna.id}/erase`]);
    expect(refused.every((r) => r.html.includes('Access refused') && r.html.includes('Carer'))).toBe(true);

    // The API's refusals too: a group manager reads no home's residents one by one.
    const groupManager = await createUser(t, { role: 'group_manager', displayName: 'Gino Gruppo' });
    const { agent: client } = await apiSignIn(t, groupManager.email, groupManager.password);
    await client.get('/api/residents').expect(403);
    const byApi = rowsOf((await admin.get('/data-protection/audit').query({ user: 'gino gruppo', action: 'access_denied' }).expect(200)).text);
    expect(byApi.map((r) => /(GET \/[^<]*)/.exec(r.html)?.[1])).toEqual(['GET /api/residents']);
    // An admin allowed in writes nothing of the kind.
    expect(rowsOf((await admin.get('/data-protection/audit').query({ user: 'marco galli', action: 'access_denied' }).expect(200)).text)).toEqual([]);
  });

  it('should name fields, roles, codes and instants in words, in the reader\'s language', async () => {
    const carer = await createUser(t, { role: 'carer', homeIds: [home.id], displayName: 'Rita Ruoli' });
    const token = await formToken(admin, '/accounts');
    await admin.post(`/accounts/${carer.id}/role`).type('form').send({ _csrf: token, role: 'coordinator' }).expect(303);
    await admin.post(`/accounts/${carer.id}/disable`).type('form').send({ _csrf: token }).expect(303);
    const rows = rowsOf((await admin.get('/data-protection/audit').query({ person: 'rita ruoli' }).expect(200)).text);
    expect(rows.some((r) => r.html.includes('<strong>Role</strong>: Carer → Activity coordinator'))).toBe(true);
    const disabled = rows.find((r) => r.html.includes('<strong>Disabled</strong>'))!;
    // An instant in the reader's time zone, as the page's other times: not 2026-12-05T12:53:12.591Z.
    expect(disabled.html).toMatch(/<strong>Disabled<\/strong>: — → \d{1,2} \w{3} \d{4}, \d{2}:\d{2}/);
    expect(disabled.html).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('should write report downloads and an erasure\'s counts in words: the export, the quarter, the copy (found by a review)', async () => {
    const audit = t.get(AuditService);
    const user = await createUser(t, { role: 'manager', homeIds: [home.id], displayName: 'Marta Scarichi' });
    await audit.recordNow({
      action: 'export', userId: user.id, role: 'manager', entityType: 'issued_report', entityId: null, homeId: home.id,
      changes: { quarter: { old: null, new: '2026-Q3' }, export: { old: null, new: 'csv:participation (issued v2)' }, copy: { old: null, new: 'without_names' } },
    });
    await audit.recordNow({
      action: 'erase', userId: user.id, role: 'manager', entityType: 'resident', entityId: bruna.id, homeId: home.id,
      changes: { records: { old: null, new: { participation: 98, contributions: 9, storedReplies: 0 } } },
    });
    const rows = rowsOf((await admin.get('/data-protection/audit').query({ user: 'marta scarichi' }).expect(200)).text);
    const download = rows.find((r) => r.html.includes('<strong>Export</strong>'))!.html;
    expect(download).toContain('<strong>Export</strong>: — → CSV: participation by resident, issued version 2');
    expect(download).toContain('<strong>Quarter</strong>: — → Q3 2026');
    expect(download).toContain('— → Without names');
    const erasure = rows.find((r) => r.html.includes('Participation (notes removed): 98'))!.html;
    expect(erasure).toContain('Contributions (theirs, and those made from records about them): 9');
    expect(erasure).not.toMatch(/storedReplies|participation:/);
  });

  it("should be in the admin's menu", async () => {
    expect((await admin.get('/account').expect(200)).text).toContain('href="/data-protection/audit"');
  });
});
