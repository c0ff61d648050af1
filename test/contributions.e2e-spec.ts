import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { HelpOffer } from '../src/activities/entities/help-offer.entity';
import { Role } from '../src/auth/auth.enums';
import { Contribution } from '../src/contributions/entities/contribution.entity';
import { addDays, todayIn } from '../src/common/time/zoned';
import { HomeView } from '../src/homes/homes.service';
import { createActivity } from './support/activity-factories';
import { createHome, createUser, TestUser } from './support/factories';
import { createFamilyMember } from './support/family-factories';
import { Agent, apiSignIn, csrfFrom, signIn } from './support/http';
import { createStaffMember, createVolunteer } from './support/people-factories';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';

const ROLES: Role[] = ['admin', 'manager', 'coordinator', 'carer', 'volunteer', 'family'];
const PLANNERS: Role[] = ['admin', 'manager', 'coordinator'];
const STAFF: Role[] = ['admin', 'manager', 'coordinator', 'carer'];

describe('Contributions (programme-wide page and activity contributions)', () => {
  let t: TestApp;
  let home: HomeView;
  let otherHome: HomeView;
  let volunteerId: string;
  const agents = {} as Record<Role, Agent>;
  const users = {} as Record<Role, TestUser>;
  const tokens = new Map<Agent, string>();

  async function post(agent: Agent, path: string, body: Record<string, unknown> = {}) {
    if (!tokens.has(agent)) tokens.set(agent, csrfFrom((await agent.get('/account').expect(200)).text));
    return agent.post(path).type('form').send({ _csrf: tokens.get(agent), ...body });
  }

  const contributions = () => t.dataSource.getRepository(Contribution);
  const offers = () => t.dataSource.getRepository(HelpOffer);

  async function offer(activityId: string, person: { volunteerId?: string; familyMemberId?: string }, status: HelpOffer['status'] = 'offered'): Promise<HelpOffer> {
    return offers().save({
      homeId: home.id, activityId, offererType: person.volunteerId ? 'volunteer' : 'family', volunteerId: person.volunteerId ?? null,
      familyMemberId: person.familyMemberId ?? null, kind: 'deliver', status, message: null, respondedBy: null, respondedAt: null, createdBy: null,
    });
  }

  /** Saves a log through the tablet API, marking the activity held. */
  async function complete(activityId: string, residentId: string) {
    const { agent, csrfToken } = await apiSignIn(t, users.carer.email, users.carer.password);
    return agent.put(`/api/activities/${activityId}/participation`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', randomUUID())
      .send({ entries: [{ residentId, engagement: 'active' }], complete: true });
  }

  beforeAll(async () => {
    t = await createTestApp();
    home = await createHome(t, { name: 'Casa Contributi' });
    otherHome = await createHome(t, { name: 'Casa Altrui' });
    volunteerId = (await createVolunteer(t, home.id, { firstName: 'Vittoria', lastName: 'Volenterosa' })).id;
    for (const role of ROLES) {
      users[role] = await createUser(t, {
        role, homeIds: role === 'admin' ? [] : [home.id],
        ...(role === 'volunteer' ? { personKind: 'volunteer' as const, personId: volunteerId } : {}),
      });
      agents[role] = await signIn(t, users[role].email, users[role].password);
    }
  });

  afterAll(async () => {
    await t.close();
  });

  describe('programme-wide contributions', () => {
    it.each(ROLES)('should allow or refuse the page and its forms by role when signed in as %s', async (role) => {
      const agent = agents[role];
      const allowed = PLANNERS.includes(role);
      const resident = await createResident(t, home.id);
      expect((await agent.get('/contributions')).status).toBe(allowed ? 200 : 403);
      const description = `Riunione ospiti ${role}`;
      const recorded = await post(agent, '/contributions', { homeId: home.id, date: todayIn('Europe/Rome'), phase: 'co_commissioning', actorType: 'resident', personId: resident.id, minutes: 45, description });
      expect(recorded.status).toBe(allowed ? 303 : 403);
      expect(await contributions().countBy({ description })).toBe(allowed ? 1 : 0);
      const existing = await contributions().save({
        homeId: home.id, activityId: null, date: todayIn('Europe/Rome'), actorType: 'resident', residentId: resident.id, familyMemberId: null, volunteerId: null,
        staffMemberId: null, phase: 'co_design', minutes: 10, description: null, source: 'manual', sourceId: null, recordedBy: null,
      });
      expect((await post(agent, `/contributions/${existing.id}`, { minutes: 25 })).status).toBe(allowed ? 303 : 403);
      expect((await contributions().findOneByOrFail({ id: existing.id })).minutes).toBe(allowed ? 25 : 10);
    });

    it('should list the current quarter in the home time zone by default, and a chosen period', async () => {
      const resident = await createResident(t, home.id, { firstName: 'Quinta', lastName: 'Trimestre' });
      const today = DateTime.fromISO(todayIn('Europe/Rome'), { zone: 'UTC' });
      const from = today.startOf('quarter').toISODate()!;
      const to = today.endOf('quarter').toISODate()!;
      const before = today.startOf('quarter').minus({ days: 1 }).toISODate()!;
      for (const [date, description] of [[from, 'Primo giorno del trimestre'], [before, 'Trimestre scorso']]) {
        await contributions().save({
          homeId: home.id, activityId: null, date, actorType: 'resident', residentId: resident.id, familyMemberId: null, volunteerId: null,
          staffMemberId: null, phase: 'co_commissioning', minutes: 30, description, source: 'manual', sourceId: null, recordedBy: null,
        });
      }
      const page = await agents.manager.get('/contributions').expect(200);
      expect(page.text).toContain(`name="from" type="date" value="${from}"`);
      expect(page.text).toContain(`name="to" type="date" value="${to}"`);
      expect(page.text).toContain('Primo giorno del trimestre');
      expect(page.text).not.toContain('Trimestre scorso');
      const earlier = await agents.manager.get(`/contributions?homeId=${home.id}&from=${before}&to=${before}`).expect(200);
      expect(earlier.text).toContain('Trimestre scorso');
      expect(earlier.text).not.toContain('Primo giorno del trimestre');
      expect((await agents.manager.get(`/contributions?from=${to}&to=${from}`)).status).toBe(422);
      expect((await agents.manager.get('/contributions?from=2026-02-30')).status).toBe(422);
    });

    it('should record a contribution with its own date and tags, and show it', async () => {
      const relative = await createFamilyMember(t, home.id, { firstName: 'Federica', lastName: 'Figlia' });
      const date = todayIn('Europe/Rome');
      const res = await post(agents.coordinator, '/contributions', {
        homeId: home.id, date, phase: 'co_commissioning', actorType: 'family', personId: relative.id, minutes: 60, description: 'Idea del club di giardinaggio',
      });
      expect(res.status).toBe(303);
      const saved = await contributions().findOneByOrFail({ description: 'Idea del club di giardinaggio' });
      expect(saved).toMatchObject({ homeId: home.id, activityId: null, date, actorType: 'family', familyMemberId: relative.id, phase: 'co_commissioning', minutes: 60, source: 'manual' });
      const page = await agents.coordinator.get(res.headers.location).expect(200);
      expect(page.text).toContain('Federica Figlia');
      expect(page.text).toContain('Idea del club di giardinaggio');
      expect(page.text).toContain('<optgroup label="Family member" data-actor-type="family">');
    });

    it('should keep what was typed and show errors beside the fields when the form is rejected', async () => {
      const foreign = await createResident(t, otherHome.id);
      const res = await post(agents.coordinator, '/contributions', {
        homeId: home.id, date: '2026-05-04', phase: 'co_design', actorType: 'resident', personId: foreign.id, minutes: 20, description: 'Da non perdere',
      });
      expect(res.status).toBe(422);
      expect(res.text).toContain('id="error-personId"');
      expect(res.text).toContain('Da non perdere');
      expect(res.text).toContain('value="2026-05-04"');
      expect(res.text).toMatch(/<option value="co_design" selected>/);
      const bad = await post(agents.coordinator, '/contributions', { homeId: home.id, date: '', phase: 'co_nothing', actorType: 'resident', personId: '', minutes: -5 });
      expect(bad.status).toBe(422);
      for (const field of ['phase', 'personId', 'minutes']) expect(bad.text).toContain(`id="error-${field}"`);
      expect(await contributions().countBy({ description: 'Da non perdere' })).toBe(0);
      const staff = await createStaffMember(t, home.id);
      const mismatch = await post(agents.coordinator, '/contributions', { homeId: home.id, date: '2026-05-04', phase: 'co_design', actorType: 'volunteer', personId: staff.id, minutes: 5 });
      expect(mismatch.status).toBe(422);
      expect(mismatch.text).toContain('id="error-personId"');
    });

    it('should refuse a date ahead of the home\'s today beside the field, keeping what was typed', async () => {
      const volunteer = await createVolunteer(t, home.id);
      const ahead = addDays(todayIn('Europe/Rome'), 1);
      const res = await post(agents.coordinator, '/contributions', { homeId: home.id, date: ahead, phase: 'co_delivery', actorType: 'volunteer', personId: volunteer.id, minutes: 30, description: 'Not yet given' });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="error-date">The date cannot be in the future/);
      expect(res.text).toContain(`value="${ahead}"`);
      expect(await contributions().countBy({ description: 'Not yet given' })).toBe(0);
    });

    it('should show a rejected minutes edit beside its own row', async () => {
      const resident = await createResident(t, home.id);
      const row = await contributions().save({
        homeId: home.id, activityId: null, date: todayIn('Europe/Rome'), actorType: 'resident', residentId: resident.id, familyMemberId: null, volunteerId: null,
        staffMemberId: null, phase: 'co_design', minutes: 15, description: null, source: 'manual', sourceId: null, recordedBy: null,
      });
      const res = await post(agents.manager, `/contributions/${row.id}`, { minutes: 5000 });
      expect(res.status).toBe(422);
      expect(res.text).toContain(`id="error-minutes-${row.id}"`);
      expect(res.text).toMatch(new RegExp(`id="minutes-${row.id}" name="minutes" type="number" min="0" max="1440" value="5000"`));
      expect((await contributions().findOneByOrFail({ id: row.id })).minutes).toBe(15);
    });

    it("should answer 404 for another home's contributions and for a bad id", async () => {
      const theirs = await createResident(t, otherHome.id);
      const row = await contributions().save({
        homeId: otherHome.id, activityId: null, date: '2026-05-04', actorType: 'resident', residentId: theirs.id, familyMemberId: null, volunteerId: null,
        staffMemberId: null, phase: 'co_design', minutes: 15, description: 'Altrui', source: 'manual', sourceId: null, recordedBy: null,
      });
      for (const role of ['manager', 'coordinator'] as const) {
        const agent = agents[role];
        await agent.get(`/contributions?homeId=${otherHome.id}`).expect(404);
        expect((await post(agent, '/contributions', { homeId: otherHome.id, date: '2026-05-04', phase: 'co_design', actorType: 'resident', personId: theirs.id, minutes: 5 })).status).toBe(404);
        expect((await post(agent, `/contributions/${row.id}`, { minutes: 99 })).status).toBe(404);
        expect((await post(agent, '/contributions/not-an-id', { minutes: 99 })).status).toBe(404);
        expect((await agent.get('/contributions?homeId=nope')).status).toBe(422);
      }
      expect(await contributions().countBy({ homeId: otherHome.id })).toBe(1);
      expect((await contributions().findOneByOrFail({ id: row.id })).minutes).toBe(15);
      // An administrator sees every home and chooses one.
      const adminPage = await agents.admin.get(`/contributions?homeId=${otherHome.id}`).expect(200);
      expect(adminPage.text).toContain('Altrui');
      expect(adminPage.text).toContain('id="filter-home"');
    });
  });

  describe('contributions on an activity', () => {
    it.each(ROLES)('should allow or refuse recording and editing on an activity by role when signed in as %s', async (role) => {
      const agent = agents[role];
      const resident = await createResident(t, home.id);
      const activity = await createActivity(t, home.id, { residentIds: [resident.id] });
      const description = `Ha scelto le canzoni (${role})`;
      const res = await post(agent, `/activities/${activity.id}/contributions`, { phase: 'co_design', actorType: 'resident', personId: resident.id, minutes: 15, description });
      expect(res.status).toBe(STAFF.includes(role) ? 303 : 403);
      expect(await contributions().countBy({ activityId: activity.id, description })).toBe(STAFF.includes(role) ? 1 : 0);
      const row = await contributions().save({
        homeId: home.id, activityId: activity.id, date: todayIn('Europe/Rome'), actorType: 'resident', residentId: resident.id, familyMemberId: null, volunteerId: null,
        staffMemberId: null, phase: 'co_delivery', minutes: 60, description: null, source: 'manual', sourceId: null, recordedBy: null,
      });
      expect((await post(agent, `/activities/${activity.id}/contributions/${row.id}`, { minutes: 40 })).status).toBe(PLANNERS.includes(role) ? 303 : 403);
      expect((await contributions().findOneByOrFail({ id: row.id })).minutes).toBe(PLANNERS.includes(role) ? 40 : 60);
    });

    it("should answer 404 for another home's activity, a contribution of another activity and a bad id", async () => {
      const theirs = await createActivity(t, otherHome.id);
      const theirResident = await createResident(t, otherHome.id);
      const ours = await createActivity(t, home.id);
      const elsewhere = await createActivity(t, home.id);
      const resident = await createResident(t, home.id);
      const row = await contributions().save({
        homeId: home.id, activityId: elsewhere.id, date: todayIn('Europe/Rome'), actorType: 'resident', residentId: resident.id, familyMemberId: null, volunteerId: null,
        staffMemberId: null, phase: 'co_delivery', minutes: 60, description: null, source: 'manual', sourceId: null, recordedBy: null,
      });
      for (const role of ['manager', 'carer'] as const) {
        expect((await post(agents[role], `/activities/${theirs.id}/contributions`, { phase: 'co_design', actorType: 'resident', personId: theirResident.id, minutes: 5 })).status).toBe(404);
      }
      expect((await post(agents.manager, `/activities/${ours.id}/contributions/${row.id}`, { minutes: 1 })).status).toBe(404);
      expect((await post(agents.manager, '/activities/nope/contributions', { phase: 'co_design', actorType: 'resident', personId: resident.id, minutes: 5 })).status).toBe(404);
      expect((await post(agents.manager, `/activities/${ours.id}/contributions/nope`, { minutes: 1 })).status).toBe(404);
      expect(await contributions().countBy({ activityId: theirs.id })).toBe(0);
      expect((await contributions().findOneByOrFail({ id: row.id })).minutes).toBe(60);
    });

    it('should keep what was typed beside the fields when an activity contribution is rejected, and refuse a cancelled activity', async () => {
      const resident = await createResident(t, home.id);
      const activity = await createActivity(t, home.id, { durationMinutes: 75 });
      const page = await agents.coordinator.get(`/activities/${activity.id}`).expect(200);
      // The minutes start at the activity's length.
      expect(page.text).toMatch(/id="field-minutes" name="minutes" type="number"\s+value="75"/);
      const res = await post(agents.coordinator, `/activities/${activity.id}/contributions`, { phase: 'co_assessment', actorType: 'resident', personId: resident.id, minutes: 2000, description: 'Ha dato un voto' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('id="error-minutes"');
      expect(res.text).toContain('Ha dato un voto');
      expect(res.text).toMatch(/<option value="co_assessment" selected>/);
      expect(res.text).toMatch(new RegExp(`<option value="${resident.id}" selected>`));
      const cancelled = await createActivity(t, home.id, { status: 'cancelled' });
      const refused = await post(agents.coordinator, `/activities/${cancelled.id}/contributions`, { phase: 'co_design', actorType: 'resident', personId: resident.id, minutes: 5 });
      expect(refused.status).toBe(422);
      expect(await contributions().countBy({ activityId: cancelled.id })).toBe(0);
    });
  });

  describe('the person list follows who contributed', () => {
    /** The person list's groups as the page sends them: each kind's label and the ids of the people under it. */
    function personGroups(html: string): Map<string, { label: string; ids: string[] }> {
      const select = /<select id="field-personId" name="personId"[^>]*>([\s\S]*?)<\/select>/.exec(html);
      expect(select).not.toBeNull();
      const groups = new Map<string, { label: string; ids: string[] }>();
      for (const [, label, kind, options] of select![1].matchAll(/<optgroup label="([^"]*)" data-actor-type="([a-z]+)">([\s\S]*?)<\/optgroup>/g)) {
        groups.set(kind, { label, ids: [...options.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]) });
      }
      return groups;
    }

    let people: Record<'resident' | 'family' | 'volunteer' | 'staff', string>;
    beforeAll(async () => {
      people = {
        resident: (await createResident(t, home.id, { firstName: 'Rosa', lastName: 'Ospite' })).id,
        family: (await createFamilyMember(t, home.id, { firstName: 'Fabio', lastName: 'Parente' })).id,
        volunteer: (await createVolunteer(t, home.id, { firstName: 'Vanda', lastName: 'Aiutante' })).id,
        staff: (await createStaffMember(t, home.id, { firstName: 'Sara', lastName: 'Operatrice' })).id,
      };
    });

    it.each([
      ['the programme-wide form', async () => '/contributions'],
      ["an activity's form", async () => `/activities/${(await createActivity(t, home.id)).id}`],
    ])('should put each person under their own kind, labelled, with the script that offers the chosen kind only, on %s', async (_form, address) => {
      const page = await agents.coordinator.get(await address()).expect(200);
      const groups = personGroups(page.text);
      expect([...groups.keys()]).toEqual(['resident', 'family', 'volunteer', 'staff']);
      expect([...groups.values()].map((g) => g.label)).toEqual(['Resident', 'Family member', 'Volunteer', 'Staff']);
      for (const [kind, id] of Object.entries(people)) {
        expect(groups.get(kind)!.ids).toContain(id);
        for (const [other, group] of groups) if (other !== kind) expect(group.ids).not.toContain(id);
      }
      expect(page.text).toMatch(/<form method="post" action="[^"]*\/contributions" novalidate class="[^"]*" data-contribution-form>/);
      expect(page.text).toContain('<script src="/static/js/contribution-form.js" defer></script>');
      expect(page.text).toContain('data-none-of-kind="Nobody of this kind in this home"');
    });

    it('should not send the script to a volunteer, who has no contribution form', async () => {
      const page = await agents.volunteer.get(`/activities/${(await createActivity(t, home.id)).id}`).expect(200);
      expect(page.text).not.toContain('contribution-form.js');
      expect(page.text).not.toContain('id="field-personId"');
    });

    it.each([
      ['the programme-wide form', async () => ({ path: '/contributions', body: { homeId: home.id, date: todayIn('Europe/Rome') } })],
      ["an activity's form", async () => ({ path: `/activities/${(await createActivity(t, home.id)).id}/contributions`, body: {} })],
    ])('should refuse a person of another kind beside the field, keeping the kind and the person chosen, on %s', async (_form, target) => {
      const { path, body } = await target();
      const description = `Ha portato la chitarra (${path.length})`;
      const res = await post(agents.coordinator, path, { ...body, phase: 'co_delivery', actorType: 'volunteer', personId: people.staff, minutes: 30, description });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/<p class="field-error" id="error-personId">Choose a person of this home of the kind selected.<\/p>\s*<\/div>/);
      expect(res.text).toMatch(/<select id="field-personId" name="personId" [^>]*aria-describedby="hint-personId error-personId" aria-invalid="true">/);
      expect(res.text).toContain('<option value="volunteer" selected>');
      // The person chosen stays chosen, under their own kind, so the mismatch can be seen and put right.
      expect(res.text).toContain(`<option value="${people.staff}" selected>Sara Operatrice</option>`);
      expect(personGroups(res.text).get('staff')!.ids).toContain(people.staff);
      expect(res.text).toContain(description);
      expect(await contributions().countBy({ description })).toBe(0);
    });
  });

  describe('helpers become contributions when the activity is held', () => {
    it('should make one co_delivery contribution per confirmed helper with the activity minutes, and undo it on withdrawal or decline', async () => {
      const resident = await createResident(t, home.id);
      const activity = await createActivity(t, home.id, { residentIds: [resident.id], durationMinutes: 90, title: 'Laboratorio di cucina' });
      // The volunteer offers on the page; the coordinator confirms.
      expect((await post(agents.volunteer, `/activities/${activity.id}/offers`, { kind: 'deliver' })).status).toBe(303);
      const own = await offers().findOneByOrFail({ activityId: activity.id, volunteerId });
      expect((await post(agents.coordinator, `/activities/${activity.id}/offers/${own.id}/respond`, { status: 'confirmed' })).status).toBe(303);
      const relative = await createFamilyMember(t, home.id, { firstName: 'Franca', lastName: 'Famiglia' });
      expect((await post(agents.coordinator, `/activities/${activity.id}/offers/on-behalf`, { familyMemberId: relative.id, kind: 'deliver' })).status).toBe(303);
      const family = await offers().findOneByOrFail({ activityId: activity.id, familyMemberId: relative.id });
      expect((await post(agents.manager, `/activities/${activity.id}/offers/${family.id}/respond`, { status: 'confirmed' })).status).toBe(303);
      const pending = await offer(activity.id, { volunteerId: (await createVolunteer(t, home.id)).id });
      const declined = await offer(activity.id, { volunteerId: (await createVolunteer(t, home.id)).id }, 'declined');
      // Nothing is counted before the activity is held.
      expect(await contributions().countBy({ activityId: activity.id })).toBe(0);

      expect((await complete(activity.id, resident.id)).status).toBe(200);
      let rows = await contributions().find({ where: { activityId: activity.id }, order: { actorType: 'ASC' } });
      expect(rows.map((r) => [r.actorType, r.volunteerId ?? r.familyMemberId, r.phase, r.minutes, r.source, r.sourceId])).toEqual([
        ['family', relative.id, 'co_delivery', 90, 'help_offer', family.id],
        ['volunteer', volunteerId, 'co_delivery', 90, 'help_offer', own.id],
      ]);
      expect(rows.some((r) => r.sourceId === pending.id || r.sourceId === declined.id)).toBe(false);

      // Saving the held activity again adds nothing.
      expect((await complete(activity.id, resident.id)).status).toBe(200);
      expect(await contributions().countBy({ activityId: activity.id })).toBe(2);

      // The page shows them, with their minutes editable by planners.
      const page = await agents.coordinator.get(`/activities/${activity.id}`).expect(200);
      expect(page.text).toContain('Confirmed offer to help');
      const volunteerRow = rows.find((r) => r.actorType === 'volunteer')!;
      expect(page.text).toContain(`action="/activities/${activity.id}/contributions/${volunteerRow.id}"`);
      expect((await post(agents.coordinator, `/activities/${activity.id}/contributions/${volunteerRow.id}`, { minutes: 120 })).status).toBe(303);
      expect((await contributions().findOneByOrFail({ id: volunteerRow.id })).minutes).toBe(120);
      expect((await agents.carer.get(`/activities/${activity.id}`)).text).not.toContain(`action="/activities/${activity.id}/contributions/${volunteerRow.id}"`);

      // The volunteer sees their own contribution, nobody else's.
      const mine = await agents.volunteer.get(`/activities/${activity.id}`).expect(200);
      expect(mine.text).toContain('Your contribution');
      expect(mine.text).toContain('120 min');
      expect(mine.text).not.toContain('Franca Famiglia');

      // Held, the volunteer's hours stand: they cannot withdraw themselves (nor see the button); the coordinator can.
      expect(mine.text).not.toContain(`/offers/${own.id}/withdraw`);
      const refused = await post(agents.volunteer, `/activities/${activity.id}/offers/${own.id}/withdraw`);
      expect(refused.status).toBe(422);
      expect(refused.text).toContain('This activity has been held: to change who helped, ask the coordinator.');
      expect(await contributions().countBy({ activityId: activity.id, sourceId: own.id })).toBe(1);
      // Withdrawing and declining afterwards, by the coordinator, take the contribution away.
      expect((await post(agents.coordinator, `/activities/${activity.id}/offers/${own.id}/withdraw`)).status).toBe(303);
      rows = await contributions().findBy({ activityId: activity.id });
      expect(rows.map((r) => r.sourceId)).toEqual([family.id]);
      expect((await post(agents.coordinator, `/activities/${activity.id}/offers/${family.id}/respond`, { status: 'declined' })).status).toBe(303);
      expect(await contributions().countBy({ activityId: activity.id })).toBe(0);

      // Confirming the relative again on the held activity brings one back, once.
      expect((await post(agents.coordinator, `/activities/${activity.id}/offers/${family.id}/respond`, { status: 'confirmed' })).status).toBe(303);
      expect((await contributions().findBy({ activityId: activity.id })).map((r) => [r.sourceId, r.minutes])).toEqual([[family.id, 90]]);
    });
  });
});
