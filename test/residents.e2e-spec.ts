import request from 'supertest';
import sharp from 'sharp';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { Resident } from '../src/residents/entities/resident.entity';
import { FamilyLink } from '../src/residents/entities/family-link.entity';
import { HelpOffer } from '../src/activities/entities/help-offer.entity';
import { Participation } from '../src/activities/entities/participation.entity';
import { Contribution } from '../src/contributions/entities/contribution.entity';
import { User } from '../src/auth/entities/user.entity';
import { createActivity } from './support/activity-factories';
import { createHome, createUser, TestUser } from './support/factories';
import { createVolunteer } from './support/people-factories';
import { Agent, apiSignIn, formToken, signIn } from './support/http';
import { createRelative, createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';
import { createParticipation } from './support/voice-factories';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7), Buffer.from([0xff, 0xd9])]);

describe('Residents', () => {
  let t: TestApp;
  let homeId: string;
  let otherHomeId: string;
  const users: Record<string, TestUser> = {};
  const agents: Record<string, Agent> = {};

  beforeAll(async () => {
    t = await createTestApp();
    homeId = (await createHome(t, { name: 'Casa Uno' })).id;
    otherHomeId = (await createHome(t, { name: 'Casa Due' })).id;
    for (const role of ['admin', 'manager', 'coordinator', 'carer', 'volunteer'] as const) {
      users[role] = await createUser(t, { role, homeIds: role === 'admin' ? [] : [homeId] });
      agents[role] = await signIn(t, users[role].email, users[role].password);
    }
  });

  afterAll(async () => {
    await t.close();
  });

  const residentForm = (overrides: Record<string, string> = {}) => ({
    firstName: 'Giovanna', lastName: 'Ferrari', preferredName: 'Nina', dateOfBirth: '1936-02-03', room: '12',
    admittedOn: '2025-03-01', weeklyActivityTarget: '4', aboutMe: 'Sang in the church choir.', interests: 'Canto, carte , canto',
    dislikes: '', communicationTips: 'Speak slowly', mobilityNotes: 'Wheelchair', ...overrides,
  });

  describe('lists and details by role', () => {
    it.each(['admin', 'manager', 'coordinator', 'carer'])('should list and show residents of the home to a %s', async (role) => {
      const resident = await createResident(t, homeId, { lastName: `Visible${role}` });
      const list = await agents[role].get('/residents?status=all').expect(200);
      expect(list.text).toContain(`Visible${role}`);
      const page = await agents[role].get(`/residents/${resident.id}`).expect(200);
      expect(page.text).toContain('Walks with a frame');
      expect(page.text).toContain('Hearing aid in the left ear');
    });

    it('should show a volunteer only residents of activities they are confirmed on, with volunteer consent, in the limited profile', async () => {
      const shown = await createResident(t, homeId, { lastName: 'Shown', preferredName: 'Nonna Lina', consentVolunteerProfile: true });
      const private_ = await createResident(t, homeId, { lastName: 'Private', consentVolunteerProfile: false });
      const elsewhere = await createResident(t, homeId, { lastName: 'NotOnActivity' });
      const volunteerRecord = await createVolunteer(t, homeId, { email: users.volunteer.email });
      await t.dataSource.getRepository(User).update({ id: users.volunteer.id }, { personKind: 'volunteer', personId: volunteerRecord.id });
      const activity = await createActivity(t, homeId, { residentIds: [shown.id, private_.id] });
      await t.dataSource.getRepository(HelpOffer).insert({ homeId, activityId: activity.id, offererType: 'volunteer', volunteerId: volunteerRecord.id, familyMemberId: null, kind: 'deliver', status: 'confirmed', message: null, respondedBy: null, respondedAt: null, createdBy: null });
      const volunteer = await signIn(t, users.volunteer.email, users.volunteer.password);
      const list = await volunteer.get('/residents').expect(200);
      expect(list.text).toContain('Nonna Lina');
      expect(list.text).not.toContain('Shown');
      expect(list.text).not.toContain('Private');
      expect(list.text).not.toContain('NotOnActivity');
      // The preferred name alone: no empty brackets for a full name, no status badge with a raw key.
      expect(list.text).toMatch(/<strong>Nonna Lina<\/strong><\/span>/);
      expect(list.text).not.toContain('residents.statuses');
      const page = await volunteer.get(`/residents/${shown.id}`).expect(200);
      expect(page.text).toMatch(/<h1>Nonna Lina<\/h1>/);
      expect(page.text).toContain('<title>Nonna Lina · Insieme</title>');
      expect(page.text).not.toContain('residents.statuses');
      expect(page.text).toContain('Hearing aid in the left ear');
      expect(page.text).not.toContain('Walks with a frame');
      expect(page.text).not.toContain('Taught primary school');
      await volunteer.get(`/residents/${private_.id}`).expect(404);
      await volunteer.get(`/residents/${elsewhere.id}`).expect(404);
      const api = await apiSignIn(t, users.volunteer.email, users.volunteer.password);
      const json = (await api.agent.get(`/api/residents/${shown.id}`).expect(200)).body;
      expect(json).toMatchObject({ lens: 'volunteer', displayName: 'Nonna Lina' });
      // The volunteer lens: no full name, no notes.
      expect(json.fullName).toBeUndefined();
      expect(json.mobilityNotes).toBeUndefined();
    });

    it("should list a resident's recent logged activities for staff, newest first, with how they took part, mood and notes, and never to a volunteer", async () => {
      const rina = await createResident(t, homeId, { lastName: 'Recenti', consentVolunteerProfile: true });
      const hour = 60 * 60 * 1000;
      const older = await createActivity(t, homeId, { title: 'Tombola del martedì', startsAt: new Date(Date.now() - 50 * hour), status: 'completed', residentIds: [rina.id] });
      const newer = await createActivity(t, homeId, { title: 'Coro del giovedì', startsAt: new Date(Date.now() - 2 * hour), status: 'completed', residentIds: [rina.id] });
      const cancelled = await createActivity(t, homeId, { title: 'Gita annullata', startsAt: new Date(Date.now() - 5 * hour), status: 'cancelled', residentIds: [rina.id] });
      const coming = await createActivity(t, homeId, { title: 'Festa di domani', startsAt: new Date(Date.now() + 20 * hour), residentIds: [rina.id] });
      await createParticipation(t, older, rina.id, 'passive');
      const sang = await createParticipation(t, newer, rina.id, 'active');
      await t.dataSource.getRepository(Participation).update({ id: sang.id }, { moodBefore: 2, moodAfter: 4, staffNote: 'Asked for her favourite song', familyNote: 'Sang every verse' });
      await createParticipation(t, cancelled, rina.id, 'active');
      await createParticipation(t, coming, rina.id, 'active');
      const contributed = { homeId, date: '2026-11-20', actorType: 'resident', residentId: rina.id, familyMemberId: null, volunteerId: null, staffMemberId: null, source: 'manual', sourceId: null, recordedBy: null };
      await t.dataSource.getRepository(Contribution).insert([
        { ...contributed, activityId: newer.id, phase: 'co_design', minutes: 30, description: 'Chose the songs for the choir' } as Contribution,
        { ...contributed, activityId: null, date: '2026-10-02', phase: 'co_assessment', minutes: 15, description: null } as Contribution,
        // Feedback and check-ins carry no time: "no time", not "0".
        { ...contributed, activityId: null, date: '2026-09-30', phase: 'co_assessment', minutes: 0, description: 'Gave feedback' } as Contribution,
      ]);
      for (const role of ['manager', 'coordinator', 'carer']) {
        const html = (await agents[role].get(`/residents/${rina.id}`).expect(200)).text;
        const coProduction = html.slice(html.indexOf('id="co-production"'), html.indexOf('id="consent"'));
        expect(coProduction).toMatch(/Co-design<\/td>\s*<td><a href="\/activities\/[0-9a-f-]{36}">Coro del giovedì<\/a>/);
        expect(coProduction).toContain('Chose the songs for the choir');
        expect(coProduction.indexOf('Co-design')).toBeLessThan(coProduction.indexOf('Co-assessment'));
        expect(coProduction).toContain('The whole programme');
        expect(coProduction).toMatch(/<td class="num"><span class="muted">no time<\/span><\/td>\s*<td class="prose">Gave feedback/);
        expect(coProduction).not.toMatch(/<td class="num">0<\/td>/);
        const recent = html.slice(html.indexOf('id="recent"'), html.indexOf('id="consent"'));
        expect(recent.indexOf('Coro del giovedì')).toBeGreaterThan(-1);
        expect(recent.indexOf('Coro del giovedì')).toBeLessThan(recent.indexOf('Tombola del martedì'));
        expect(recent).toContain(`href="/activities/${newer.id}"`);
        expect(recent).toContain('Took part');
        expect(recent).toContain('Watched, listened');
        expect(recent).toMatch(/Mood 2 → 4/);
        expect(recent).toContain('Asked for her favourite song');
        expect(recent).toContain('Sang every verse');
        expect(recent).not.toContain('Gita annullata');
        // Logged, even ahead of its start (a carer may mark it held early): what was saved is there to check.
        expect(recent).toContain('Festa di domani');
      }
      const volunteerRecord = await createVolunteer(t, homeId, { firstName: 'Vito', lastName: 'Recente' });
      const volunteerUser = await createUser(t, { role: 'volunteer', homeIds: [homeId], personKind: 'volunteer', personId: volunteerRecord.id });
      await t.dataSource.getRepository(HelpOffer).insert({ homeId, activityId: coming.id, offererType: 'volunteer', volunteerId: volunteerRecord.id, familyMemberId: null, kind: 'deliver', status: 'confirmed', message: null, respondedBy: null, respondedAt: null, createdBy: null });
      const volunteer = await signIn(t, volunteerUser.email, volunteerUser.password);
      const seen = (await volunteer.get(`/residents/${rina.id}`).expect(200)).text;
      expect(seen).not.toContain('id="recent"');
      expect(seen).not.toContain('Chose the songs');
      expect(seen).not.toContain('Asked for her favourite song');
    });

    it('should answer 404 for a resident of another home, and for an id that is not one', async () => {
      const elsewhere = await createResident(t, otherHomeId, { lastName: 'Elsewhere' });
      await agents.manager.get(`/residents/${elsewhere.id}`).expect(404);
      await agents.manager.get(`/residents/${elsewhere.id}/edit`).expect(404);
      expect((await agents.manager.get('/residents?status=all').expect(200)).text).not.toContain('Elsewhere');
      await agents.manager.get('/residents/12345').expect(404);
      const token = await formToken(agents.manager, '/residents');
      await agents.manager.post(`/residents/${elsewhere.id}`).type('form').send({ _csrf: token, ...residentForm() }).expect(404);
      await agents.manager.post(`/residents/${elsewhere.id}/discharge`).type('form').send({ _csrf: token, outcome: 'discharged', leftOn: '2026-01-01' }).expect(404);
      expect((await t.dataSource.getRepository(Resident).findOneByOrFail({ id: elsewhere.id })).status).toBe('active');
    });

    it('should search by name and room, filter by status, and page by 25', async () => {
      const home = await createHome(t);
      const manager = await createUser(t, { role: 'manager', homeIds: [home.id] });
      const agent = await signIn(t, manager.email, manager.password);
      for (let i = 0; i < 30; i += 1) await createResident(t, home.id, { lastName: `Paged${String(i).padStart(2, '0')}`, room: `P${i}` });
      await createResident(t, home.id, { lastName: 'Gone', status: 'discharged', leftOn: '2025-01-01' });
      const first = await agent.get('/residents').expect(200);
      expect(first.text).toContain('30 residents');
      expect((first.text.match(/class="resident-row"/g) ?? []).length).toBe(25);
      expect(first.text).not.toContain('Gone');
      const second = await agent.get('/residents?page=2').expect(200);
      expect((second.text.match(/class="resident-row"/g) ?? []).length).toBe(5);
      expect((await agent.get('/residents?q=paged07').expect(200)).text).toContain('Paged07');
      expect((await agent.get('/residents?q=P29').expect(200)).text).toContain('Paged29');
      expect((await agent.get('/residents?status=discharged').expect(200)).text).toContain('Gone');
      expect((await agent.get('/residents?q=%25').expect(200)).text).toContain('No residents match');
      await agent.get('/residents?page=abc').expect(422);
    });
  });

  describe('create, edit and discharge', () => {
    it('should let an editor create a resident, with the changes audited', async () => {
      const token = await formToken(agents.coordinator, '/residents/new');
      const res = await agents.coordinator.post('/residents').type('form').send({ _csrf: token, ...residentForm() });
      expect(res.status).toBe(303);
      const created = await t.dataSource.getRepository(Resident).findOneByOrFail({ lastName: 'Ferrari' });
      expect(created).toMatchObject({ homeId, preferredName: 'Nina', interests: ['canto', 'carte'], weeklyActivityTarget: 4, consentFamilyPortal: 'none' });
      expect(res.headers.location).toBe(`/residents/${created.id}`);
      const audit = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ entityId: created.id, action: 'create' });
      expect(audit.changes).toMatchObject({ lastName: { old: null, new: 'Ferrari' } });
    });

    it('should keep what was typed and show the error beside the field when the form is wrong', async () => {
      const token = await formToken(agents.manager, '/residents/new');
      const res = await agents.manager.post('/residents').type('form').send({ _csrf: token, ...residentForm({ lastName: 'Keepme', dateOfBirth: '2030-01-01', weeklyActivityTarget: 'lots' }) });
      expect(res.status).toBe(422);
      expect(res.text).toContain('value="Keepme"');
      expect(res.text).toContain('Sang in the church choir.');
      expect(res.text).toMatch(/id="error-weeklyActivityTarget">Enter a whole number/);
      const born = await agents.manager.post('/residents').type('form').send({ _csrf: token, ...residentForm({ lastName: 'Keepme', dateOfBirth: '2030-01-01' }) });
      expect(born.status).toBe(422);
      expect(born.text).toMatch(/id="error-dateOfBirth">The date of birth must be before the admission date/);
      expect(await t.dataSource.getRepository(Resident).countBy({ lastName: 'Keepme' })).toBe(0);
    });

    it('should not let a carer, a volunteer or a relative create or edit', async () => {
      const resident = await createResident(t, homeId);
      for (const role of ['carer', 'volunteer']) {
        const token = await formToken(agents[role], '/account');
        await agents[role].post('/residents').type('form').send({ _csrf: token, ...residentForm({ lastName: 'Forbidden' }) }).expect(403);
        await agents[role].post(`/residents/${resident.id}`).type('form').send({ _csrf: token, ...residentForm() }).expect(403);
        await agents[role].get('/residents/new').expect(403);
      }
      const relative = await createRelative(t, resident);
      const family = await signIn(t, relative.user.email, relative.user.password);
      const token = await formToken(family, '/account');
      await family.post(`/residents/${resident.id}`).type('form').send({ _csrf: token, ...residentForm() }).expect(403);
      await family.post(`/residents/${resident.id}/consent`).type('form').send({ _csrf: token, consentFamilyPortal: 'full' }).expect(403);
      expect(await t.dataSource.getRepository(Resident).countBy({ lastName: 'Forbidden' })).toBe(0);
    });

    it('should not let a forged home id place a resident in another home', async () => {
      const token = await formToken(agents.manager, '/residents/new');
      await agents.manager.post('/residents').type('form').send({ _csrf: token, ...residentForm({ lastName: 'Smuggled', homeId: otherHomeId }) }).expect(404);
      expect(await t.dataSource.getRepository(Resident).countBy({ lastName: 'Smuggled' })).toBe(0);
    });

    it('should edit a resident and audit old and new values', async () => {
      const resident = await createResident(t, homeId, { lastName: 'Before' });
      const token = await formToken(agents.manager, `/residents/${resident.id}/edit`);
      await agents.manager.post(`/residents/${resident.id}`).type('form').send({ _csrf: token, ...residentForm({ lastName: 'After', status: 'on_leave' }) }).expect(303);
      expect(await t.dataSource.getRepository(Resident).findOneByOrFail({ id: resident.id })).toMatchObject({ lastName: 'After', status: 'on_leave' });
      const audit = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ entityId: resident.id, action: 'update' });
      expect(audit.changes).toMatchObject({ lastName: { old: 'Before', new: 'After' }, status: { old: 'active', new: 'on_leave' } });
    });

    it('should record a discharge or a death, keep the record and refuse later edits', async () => {
      const resident = await createResident(t, homeId, { lastName: 'Leaving', admittedOn: '2024-05-01' });
      let token = await formToken(agents.manager, `/residents/${resident.id}`);
      const early = await agents.manager.post(`/residents/${resident.id}/discharge`).type('form').send({ _csrf: token, outcome: 'deceased', leftOn: '2024-01-01' });
      expect(early.status).toBe(422);
      expect(early.text).toMatch(/id="error-leftOn">The leaving date is before the admission date/);
      token = await formToken(agents.manager, `/residents/${resident.id}`);
      await agents.manager.post(`/residents/${resident.id}/discharge`).type('form').send({ _csrf: token, outcome: 'deceased', leftOn: '2025-06-01' }).expect(303);
      expect(await t.dataSource.getRepository(Resident).findOneByOrFail({ id: resident.id })).toMatchObject({ status: 'deceased', leftOn: '2025-06-01' });
      expect(await t.dataSource.getRepository(AuditEntry).countBy({ entityId: resident.id, action: 'archive' })).toBe(1);
      const again = await agents.manager.post(`/residents/${resident.id}`).type('form').send({ _csrf: token, ...residentForm() });
      expect(again.status).toBe(422);
      expect((await agents.manager.get('/residents?status=deceased')).text).toContain('Leaving');
    });

    it('should refuse a leaving date before an activity they took part in, naming it, and take that day or a later one', async () => {
      const resident = await createResident(t, homeId, { lastName: 'Late', admittedOn: '2024-05-01' });
      // Rome: 10 June 2025, 15:00. Taking part after leaving would count them reached in a quarter they did not live in.
      const bingo = await createActivity(t, homeId, { title: 'Summer bingo', startsAt: new Date('2025-06-10T13:00:00Z'), status: 'completed', residentIds: [resident.id] });
      await createParticipation(t, bingo, resident.id, 'passive');
      // Marked absent afterwards is no contradiction.
      const walk = await createActivity(t, homeId, { title: 'Evening walk', startsAt: new Date('2025-06-20T16:00:00Z'), status: 'completed', residentIds: [resident.id] });
      await createParticipation(t, walk, resident.id, 'absent');
      let token = await formToken(agents.manager, `/residents/${resident.id}`);
      const early = await agents.manager.post(`/residents/${resident.id}/discharge`).type('form').send({ _csrf: token, outcome: 'discharged', leftOn: '2025-06-09' });
      expect(early.status).toBe(422);
      expect(early.text).toMatch(/id="error-leftOn">They took part in “Summer bingo” on 10 June 2025, after this date/);
      expect(early.text).toContain('value="2025-06-09"');
      expect(await t.dataSource.getRepository(Resident).findOneByOrFail({ id: resident.id })).toMatchObject({ status: 'active', leftOn: null });
      token = await formToken(agents.manager, `/residents/${resident.id}`);
      await agents.manager.post(`/residents/${resident.id}/discharge`).type('form').send({ _csrf: token, outcome: 'discharged', leftOn: '2025-06-10' }).expect(303);
      expect(await t.dataSource.getRepository(Resident).findOneByOrFail({ id: resident.id })).toMatchObject({ status: 'discharged', leftOn: '2025-06-10' });
    });
  });

  describe('family access and consent', () => {
    it('should show a relative their linked resident in full, care notes included, never staff-only fields', async () => {
      const resident = await createResident(t, homeId, { consentFamilyPortal: 'full', consentBestInterestNote: 'Decided with the GP' });
      const { user } = await createRelative(t, resident);
      const family = await signIn(t, user.email, user.password);
      const list = await family.get('/residents').expect(200);
      expect(list.text).toContain(resident.lastName);
      const page = await family.get(`/residents/${resident.id}`).expect(200);
      expect(page.text).toContain('Walks with a frame');
      expect(page.text).not.toContain('Decided with the GP');
      expect(page.text).not.toContain(resident.dateOfBirth!);
    });

    it('should hide care notes with summary consent, and hide the resident entirely with none — at the next request', async () => {
      const resident = await createResident(t, homeId, { consentFamilyPortal: 'full' });
      const { user } = await createRelative(t, resident);
      const family = await signIn(t, user.email, user.password);
      expect((await family.get(`/residents/${resident.id}`).expect(200)).text).toContain('Walks with a frame');

      let token = await formToken(agents.manager, `/residents/${resident.id}`);
      await agents.manager.post(`/residents/${resident.id}/consent`).type('form').send({ _csrf: token, consentPhotos: 'on', consentFamilyPortal: 'summary' }).expect(303);
      const summary = await family.get(`/residents/${resident.id}`).expect(200);
      expect(summary.text).toContain(resident.lastName);
      expect(summary.text).not.toContain('Walks with a frame');
      expect(summary.text).not.toContain('Hearing aid');
      const api = await apiSignIn(t, user.email, user.password);
      const json = (await api.agent.get(`/api/residents/${resident.id}`).expect(200)).body;
      expect(json).toMatchObject({ lens: 'family_summary' });
      expect(json.communicationTips).toBeUndefined();
      expect(json.mobilityNotes).toBeUndefined();

      token = await formToken(agents.manager, `/residents/${resident.id}`);
      await agents.manager.post(`/residents/${resident.id}/consent`).type('form').send({ _csrf: token, consentFamilyPortal: 'none' }).expect(303);
      await family.get(`/residents/${resident.id}`).expect(404);
      expect((await family.get('/residents').expect(200)).text).not.toContain(resident.lastName);
      await api.agent.get(`/api/residents/${resident.id}`).expect(404);

      const staffPage = await agents.manager.get(`/residents/${resident.id}`).expect(200);
      expect(staffPage.text).toContain('Last recorded by Test manager');
      const audit = await t.dataSource.getRepository(AuditEntry).find({ where: { entityId: resident.id, action: 'update' }, order: { seq: 'ASC' } });
      expect(audit.at(-1)!.changes).toMatchObject({ consentFamilyPortal: { old: 'summary', new: 'none' } });
    });

    it('should hide a resident when the link is deactivated, and never show another family\'s relative', async () => {
      const mine = await createResident(t, homeId);
      const theirs = await createResident(t, homeId, { lastName: 'NotMine' });
      const relative = await createRelative(t, mine);
      await createRelative(t, theirs);
      const family = await signIn(t, relative.user.email, relative.user.password);
      await family.get(`/residents/${theirs.id}`).expect(404);
      await family.get(`/residents/${theirs.id}/photo`).expect(404);
      expect((await family.get('/residents').expect(200)).text).not.toContain('NotMine');
      await family.get(`/residents/${mine.id}`).expect(200);
      await t.dataSource.getRepository(FamilyLink).update({ id: relative.link.id }, { active: false });
      await family.get(`/residents/${mine.id}`).expect(404);
    });
  });

  describe('photos', () => {
    const upload = async (agent: Agent, id: string, bytes: Buffer, filename: string, contentType: string) => {
      const token = await formToken(agent, `/residents/${id}`);
      return agent.post(`/residents/${id}/photo`).field('_csrf', token).attach('photo', bytes, { filename, contentType });
    };

    it('should store a JPEG or PNG re-encoded and serve it only to those allowed, with photo consent', async () => {
      const resident = await createResident(t, homeId, { consentPhotos: true });
      const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#aa6633' } }).jpeg().withExif({ IFD0: { Make: 'PhoneMaker' } }).toBuffer();
      expect((await upload(agents.manager, resident.id, jpeg, 'nonna.jpg', 'image/jpeg')).status).toBe(303);
      const photo = await agents.carer.get(`/residents/${resident.id}/photo`).expect(200);
      expect(photo.headers['content-type']).toBe('image/jpeg');
      expect(photo.headers['cache-control']).toBe('no-store');
      // Decoded and encoded again: never the uploaded bytes, nothing of their metadata.
      expect(Buffer.compare(photo.body as Buffer, jpeg)).not.toBe(0);
      const meta = await sharp(photo.body as Buffer).metadata();
      expect({ format: meta.format, width: meta.width, height: meta.height, exif: meta.exif }).toEqual({ format: 'jpeg', width: 40, height: 30, exif: undefined });
      const stored = await t.dataSource.getRepository(Resident).findOneByOrFail({ id: resident.id });
      expect(stored.photoFile).toMatch(/^[0-9a-f-]{36}\.jpg$/);
      const png = await sharp({ create: { width: 20, height: 20, channels: 4, background: '#00000000' } }).png().toBuffer();
      expect((await upload(agents.manager, resident.id, png, 'nonna.png', 'image/png')).status).toBe(303);
      expect((await agents.carer.get(`/residents/${resident.id}/photo`).expect(200)).headers['content-type']).toBe('image/jpeg');

      const { user } = await createRelative(t, resident);
      const family = await signIn(t, user.email, user.password);
      await family.get(`/residents/${resident.id}/photo`).expect(200);
      await t.dataSource.getRepository(Resident).update({ id: resident.id }, { consentPhotos: false });
      await family.get(`/residents/${resident.id}/photo`).expect(404);
      await agents.carer.get(`/residents/${resident.id}/photo`).expect(404);
      await request(t.server).get(`/residents/${resident.id}/photo`).expect(303);
    });

    it('ASVS 5.0 V5.2.1 and V5.2.2: should refuse a non-image, a renamed executable and an oversize file, with the reason beside the field', async () => {
      const resident = await createResident(t, homeId);
      const text = await upload(agents.manager, resident.id, Buffer.from('just some text, not a picture'), 'photo.jpg', 'image/jpeg');
      expect(text.status).toBe(422);
      expect(text.text).toMatch(/id="error-photo">This file is not a photo we can read/);
      const exe = await upload(agents.manager, resident.id, Buffer.concat([Buffer.from('MZ'), Buffer.alloc(500, 0x90)]), 'holiday.jpg', 'image/jpeg');
      expect(exe.status).toBe(422);
      const big = Buffer.concat([JPEG.subarray(0, 4), Buffer.alloc(12 * 1024 * 1024, 1), Buffer.from([0xff, 0xd9])]);
      const oversize = await upload(agents.manager, resident.id, big, 'big.jpg', 'image/jpeg');
      expect(oversize.status).toBe(413);
      expect(oversize.text).toMatch(/id="error-photo">This file is larger than 12 MB/);
      const none = await upload(agents.manager, resident.id, Buffer.alloc(0), 'empty.jpg', 'image/jpeg');
      expect(none.status).toBe(422);
      expect((await t.dataSource.getRepository(Resident).findOneByOrFail({ id: resident.id })).photoFile).toBeNull();
    });

    it('should refuse an upload without the CSRF token', async () => {
      const resident = await createResident(t, homeId);
      await agents.manager.post(`/residents/${resident.id}/photo`).attach('photo', JPEG, { filename: 'a.jpg', contentType: 'image/jpeg' }).expect(403);
    });
  });

  describe('API', () => {
    it('should list and show residents as JSON by the same rules', async () => {
      const resident = await createResident(t, homeId, { lastName: 'Api' });
      const { agent } = await apiSignIn(t, users.carer.email, users.carer.password);
      const list = await agent.get('/api/residents?q=api').expect(200);
      expect(list.body).toMatchObject({ total: expect.any(Number), page: 1 });
      expect(list.body.residents.map((r: { id: string }) => r.id)).toContain(resident.id);
      const one = await agent.get(`/api/residents/${resident.id}`).expect(200);
      expect(one.body).toMatchObject({ id: resident.id, lens: 'staff', mobilityNotes: 'Walks with a frame' });
      await agent.get('/api/residents/not-an-id').expect(404);
      await agent.get('/api/residents?status=everyone').expect(422);
    });
  });
});
