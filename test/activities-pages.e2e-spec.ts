import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { randomUUID } from 'node:crypto';
import { Activity } from '../src/activities/entities/activity.entity';
import { ActivityType } from '../src/activities/entities/activity-type.entity';
import { HelpOffer } from '../src/activities/entities/help-offer.entity';
import { Participation } from '../src/activities/entities/participation.entity';
import { RosterEntry } from '../src/activities/entities/roster-entry.entity';
import { Role } from '../src/auth/auth.enums';
import { localToUtc, utcToLocal } from '../src/common/time/zoned';
import { HomesService, HomeView } from '../src/homes/homes.service';
import { createActivity, createActivityType } from './support/activity-factories';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, csrfFrom, signIn } from './support/http';
import { createStaffMember, createVolunteer } from './support/people-factories';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';

const ROLES: Role[] = ['admin', 'manager', 'coordinator', 'carer', 'volunteer', 'family'];
const READERS: Role[] = ['admin', 'manager', 'coordinator', 'carer', 'volunteer'];
const PLANNERS: Role[] = ['admin', 'manager', 'coordinator'];
const ZONE = 'Europe/Rome';

/** Page text with the entities Handlebars writes in attributes turned back into characters. */
function plain(html: string): string {
  return html.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
}

/** The HTML of one day of the calendar (week list item or month cell). */
function dayHtml(html: string, date: string): string {
  const start = html.indexOf(`data-date="${date}"`);
  if (start < 0) throw new Error(`No day ${date} on the page`);
  const next = html.indexOf('data-date="', start + 10);
  return html.slice(start, next < 0 ? undefined : next);
}

describe('Activity types, calendar and activity pages', () => {
  let t: TestApp;
  let home: HomeView;
  let otherHome: HomeView;
  let typeId: string;
  let volunteerId: string;
  const agents = {} as Record<Role, Agent>;
  const users = {} as Record<Role, TestUser>;
  const tokens = new Map<Agent, string>();

  /** A form post as the browser sends it, with the session's CSRF token. */
  async function post(agent: Agent, path: string, body: Record<string, unknown> | string = {}) {
    if (!tokens.has(agent)) tokens.set(agent, csrfFrom((await agent.get('/account').expect(200)).text));
    const token = tokens.get(agent)!;
    const payload = typeof body === 'string' ? `_csrf=${encodeURIComponent(token)}&${body}` : { _csrf: token, ...body };
    return agent.post(path).type('form').send(payload);
  }

  const activities = () => t.dataSource.getRepository(Activity);
  const roster = () => t.dataSource.getRepository(RosterEntry);

  function activityForm(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { activityTypeId: typeId, title: 'Coro del giovedì', date: '2026-06-04', time: '15:30', durationMinutes: 60, location: 'Salone', visibleToFamilies: 'on', ...overrides };
  }

  beforeAll(async () => {
    t = await createTestApp();
    home = await createHome(t, { name: 'Casa Calendario', timezone: ZONE });
    otherHome = await createHome(t, { name: 'Casa Lontana', timezone: ZONE });
    typeId = (await createActivityType(t, home.id, { name: 'Canto corale', category: 'creative' })).id;
    volunteerId = (await createVolunteer(t, home.id, { firstName: 'Valeria', lastName: 'Aiuto' })).id;
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

  describe('access by role', () => {
    it.each(ROLES)('should allow or refuse each page by role when signed in as %s', async (role) => {
      const agent = agents[role];
      const activity = await createActivity(t, home.id, { activityTypeId: typeId });
      const pages: [string, Role[]][] = [
        ['/calendar', READERS],
        ['/calendar?view=month', READERS],
        [`/activities/${activity.id}`, READERS],
        ['/activities/new', PLANNERS],
        [`/activities/${activity.id}/edit`, PLANNERS],
        ['/activity-types', PLANNERS],
        ['/activity-types/new', PLANNERS],
        [`/activity-types/${typeId}/edit`, PLANNERS],
      ];
      for (const [path, allowed] of pages) {
        const res = await agent.get(path);
        expect({ path, status: res.status }).toEqual({ path, status: allowed.includes(role) ? 200 : 403 });
      }
    });

    it.each(ROLES)('should allow or refuse each form by role when signed in as %s', async (role) => {
      const agent = agents[role];
      const allowedFor = (roles: Role[]) => (roles.includes(role) ? 303 : 403);
      const resident = await createResident(t, home.id);
      const activity = await createActivity(t, home.id, { activityTypeId: typeId, residentIds: [resident.id] });
      const type = await createActivityType(t, home.id);
      const expectStatus = async (path: string, body: Record<string, unknown>, expected: number) => {
        const res = await post(agent, path, body);
        expect({ path, status: res.status }).toEqual({ path, status: expected });
      };

      await expectStatus('/activity-types', { name: `Tipo ${role} ${randomUUID().slice(0, 6)}`, category: 'social', defaultDurationMinutes: 45, ...(role === 'admin' ? { homeId: home.id } : {}) }, allowedFor(PLANNERS));
      await expectStatus(`/activity-types/${type.id}`, { name: `${type.name} bis`, category: 'sensory', defaultDurationMinutes: 30 }, allowedFor(PLANNERS));
      await expectStatus(`/activity-types/${type.id}/deactivate`, {}, allowedFor(PLANNERS));
      await expectStatus(`/activity-types/${type.id}/reactivate`, {}, allowedFor(PLANNERS));
      expect((await t.dataSource.getRepository(ActivityType).findOneByOrFail({ id: type.id })).name).toBe(PLANNERS.includes(role) ? `${type.name} bis` : type.name);

      await expectStatus('/activities', activityForm({ title: `Creata da ${role}` }), allowedFor(PLANNERS));
      expect(await activities().countBy({ title: `Creata da ${role}` })).toBe(PLANNERS.includes(role) ? 1 : 0);
      await expectStatus(`/activities/${activity.id}`, activityForm({ title: `Cambiata da ${role}` }), allowedFor(PLANNERS));

      const other = await createResident(t, home.id);
      await expectStatus(`/activities/${activity.id}/roster`, { residentIds: other.id }, allowedFor(PLANNERS));
      await expectStatus(`/activities/${activity.id}/roster/${resident.id}/remove`, {}, allowedFor(PLANNERS));
      expect((await roster().findBy({ activityId: activity.id })).map((e) => e.residentId)).toEqual([PLANNERS.includes(role) ? other.id : resident.id]);

      await expectStatus(`/activities/${activity.id}/offers`, { kind: 'deliver', message: 'Porto la chitarra' }, allowedFor(['volunteer']));
      const byPhone = await createVolunteer(t, home.id);
      await expectStatus(`/activities/${activity.id}/offers/on-behalf`, { volunteerId: byPhone.id, kind: 'join' }, allowedFor(PLANNERS));
      const offer = await t.dataSource.getRepository(HelpOffer).save({
        homeId: home.id, activityId: activity.id, offererType: 'volunteer', volunteerId: (await createVolunteer(t, home.id)).id, familyMemberId: null,
        kind: 'deliver', status: 'offered', message: null, respondedBy: null, respondedAt: null, createdBy: null,
      });
      await expectStatus(`/activities/${activity.id}/offers/${offer.id}/respond`, { status: 'confirmed' }, allowedFor(PLANNERS));
      await expectStatus(`/activities/${activity.id}/offers/${offer.id}/withdraw`, {}, PLANNERS.includes(role) ? 303 : role === 'volunteer' ? 404 : 403);

      await expectStatus(`/activities/${activity.id}/cancel`, { reason: 'Pioggia' }, allowedFor(PLANNERS));
      expect((await activities().findOneByOrFail({ id: activity.id })).status).toBe(PLANNERS.includes(role) ? 'cancelled' : 'planned');
    });

    it.each(['manager', 'coordinator', 'carer', 'volunteer'] as const)("should answer 404 when a %s asks for another home's records", async (role) => {
      const agent = agents[role];
      const theirs = await createActivity(t, otherHome.id);
      const theirType = await createActivityType(t, otherHome.id);
      await agent.get(`/activities/${theirs.id}`).expect(404);
      expect((await agent.get(`/calendar?date=${utcToLocal(theirs.startsAt, ZONE).date}`)).text).not.toContain(`/activities/${theirs.id}`);
      if (!PLANNERS.includes(role)) return;
      await agent.get(`/activities/${theirs.id}/edit`).expect(404);
      await agent.get(`/activity-types/${theirType.id}/edit`).expect(404);
      const resident = await createResident(t, otherHome.id);
      for (const [path, body] of [
        [`/activities/${theirs.id}`, activityForm()],
        [`/activities/${theirs.id}/cancel`, {}],
        [`/activities/${theirs.id}/roster`, { residentIds: resident.id }],
        [`/activities/${theirs.id}/roster/${resident.id}/remove`, {}],
        [`/activity-types/${theirType.id}`, { name: 'Preso', category: 'social', defaultDurationMinutes: 30 }],
        [`/activity-types/${theirType.id}/deactivate`, {}],
      ] as [string, Record<string, unknown>][]) {
        expect({ path, status: (await post(agent, path, body)).status }).toEqual({ path, status: 404 });
      }
      expect(await activities().findOneByOrFail({ id: theirs.id })).toMatchObject({ status: 'planned', title: 'Afternoon singing' });
      expect(await roster().countBy({ activityId: theirs.id })).toBe(0);
      expect((await t.dataSource.getRepository(ActivityType).findOneByOrFail({ id: theirType.id })).active).toBe(true);
    });

    it('should answer 404 for an id that is not one', async () => {
      const agent = agents.coordinator;
      for (const path of ['/activities/not-an-id', '/activities/123/edit', '/activity-types/nope/edit', `/activities/${randomUUID()}`, `/activity-types/${randomUUID()}/edit`]) {
        expect({ path, status: (await agent.get(path)).status }).toEqual({ path, status: 404 });
      }
      for (const path of ['/activities/nope', '/activities/nope/cancel', '/activities/nope/roster', `/activities/${randomUUID()}/cancel`, '/activity-types/nope/deactivate', '/activity-types/nope']) {
        expect({ path, status: (await post(agent, path, {})).status }).toEqual({ path, status: 404 });
      }
    });

    it('should keep family members out of the calendar and activity pages', async () => {
      const activity = await createActivity(t, home.id, { visibleToFamilies: true });
      await agents.family.get('/calendar').expect(403);
      await agents.family.get(`/activities/${activity.id}`).expect(403);
      expect((await post(agents.family, `/activities/${activity.id}/offers`, { kind: 'join' })).status).toBe(403);
      expect(await t.dataSource.getRepository(HelpOffer).countBy({ activityId: activity.id })).toBe(0);
    });
  });

  describe('activity types', () => {
    it('should list inactive types apart, and deactivate and reactivate one', async () => {
      const type = await createActivityType(t, home.id, { name: 'Ginnastica dolce', category: 'physical' });
      const inactiveSection = (html: string) => (html.includes('No longer in use') ? html.slice(html.indexOf('No longer in use')) : '');
      let page = await agents.coordinator.get('/activity-types').expect(200);
      expect(page.text).toContain('Ginnastica dolce');
      expect(page.text).toContain('Physical');
      expect(inactiveSection(page.text)).not.toContain('Ginnastica dolce');
      await post(agents.coordinator, `/activity-types/${type.id}/deactivate`).then((res) => expect(res.status).toBe(303));
      page = await agents.coordinator.get('/activity-types').expect(200);
      expect(inactiveSection(page.text)).toContain('Ginnastica dolce');
      expect((await agents.coordinator.get('/activities/new')).text).not.toContain('Ginnastica dolce');
      await post(agents.coordinator, `/activity-types/${type.id}/reactivate`).then((res) => expect(res.status).toBe(303));
      expect((await t.dataSource.getRepository(ActivityType).findOneByOrFail({ id: type.id })).active).toBe(true);
    });

    it('should show category labels in Italian for an Italian user', async () => {
      const italian = await createUser(t, { role: 'coordinator', homeIds: [home.id], locale: 'it' });
      const agent = await signIn(t, italian.email, italian.password);
      const page = await agent.get('/activity-types/new').expect(200);
      expect(page.text).toContain('Intergenerazionale');
      expect(page.text).toContain('Vita quotidiana');
      expect((await agent.get('/calendar')).text).toContain('Settimana');
    });

    it('should keep what was typed and show the error beside the field when a name is taken', async () => {
      await createActivityType(t, home.id, { name: 'Tombola' });
      const res = await post(agents.manager, '/activity-types', { name: 'Tombola', category: 'cognitive', defaultDurationMinutes: 50, description: 'Con premi' });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="error-name"[^>]*>[^<]*already has an activity type/);
      expect(res.text).toContain('Con premi');
      expect(res.text).toContain('value="50"');
      expect(res.text).toMatch(/<option value="cognitive" selected>/);
      const bad = await post(agents.manager, '/activity-types', { name: '', category: 'dance', defaultDurationMinutes: 1 });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('id="error-name"');
      expect(bad.text).toContain('id="error-category"');
    });
  });

  describe('creating, editing and cancelling activities', () => {
    it('should create a weekly series with the same local time across the change to summer time', async () => {
      const res = await post(agents.coordinator, '/activities', activityForm({ title: 'Serie primavera', date: '2026-03-23', time: '10:00', repeat: 'weekly', byDay: 'MO', ends: 'count', count: '3', capacity: '', leadStaffId: '', unitId: '' }));
      expect(res.status).toBe(303);
      const created = await activities().find({ where: { title: 'Serie primavera' }, order: { startsAt: 'ASC' } });
      expect(created).toHaveLength(3);
      expect(created.map((a) => utcToLocal(a.startsAt, ZONE))).toEqual([
        { date: '2026-03-23', time: '10:00', weekday: 1 },
        { date: '2026-03-30', time: '10:00', weekday: 1 },
        { date: '2026-04-06', time: '10:00', weekday: 1 },
      ]);
      // Before and after the clock change the UTC hour differs; the local one does not.
      expect(created.map((a) => a.startsAt.toISOString())).toEqual(['2026-03-23T09:00:00.000Z', '2026-03-30T08:00:00.000Z', '2026-04-06T08:00:00.000Z']);
      expect(new Set(created.map((a) => a.seriesId)).size).toBe(1);
      expect(created[0].seriesId).not.toBeNull();
      expect(res.headers.location).toBe(`/activities/${created[0].id}`);
    });

    it('should create a one-off activity by default and show it on its detail page', async () => {
      const staff = await createStaffMember(t, home.id, { firstName: 'Giada', lastName: 'Guida' });
      const res = await post(agents.manager, '/activities', activityForm({ title: 'Una volta sola', leadStaffId: staff.id, capacity: '8', repeat: 'never' }));
      expect([res.status, res.text.match(/class="field-error"[^>]*>[^<]*/g)]).toEqual([303, null]);
      const [created] = await activities().findBy({ title: 'Una volta sola' });
      expect(created).toMatchObject({ seriesId: null, capacity: 8, leadStaffId: staff.id, visibleToFamilies: true });
      const page = await agents.manager.get(res.headers.location).expect(200);
      expect(page.text).toContain('Una volta sola');
      expect(page.text).toContain('Giada Guida');
      expect(page.text).toContain('15:30–16:30');
    });

    it('should keep what was typed and show errors beside the fields when the activity form is rejected', async () => {
      // A blank title is the type's (issue 19): a title too long is refused.
      const res = await post(agents.coordinator, '/activities', activityForm({ title: 'x'.repeat(161), location: 'Giardino', durationMinutes: 3 }));
      expect(res.status).toBe(422);
      expect(res.text).toContain('id="error-title"');
      expect(res.text).toContain('id="error-durationMinutes"');
      expect(res.text).toContain('value="Giardino"');
      expect(res.text).toContain('value="2026-06-04"');
      expect(res.text).toContain('value="15:30"');
      expect(res.text).toMatch(new RegExp(`<option value="${typeId}"[^>]* selected>`));
      const foreignType = await createActivityType(t, otherHome.id);
      const forged = await post(agents.coordinator, '/activities', activityForm({ title: 'Rubata', activityTypeId: foreignType.id }));
      expect(forged.status).toBe(422);
      expect(forged.text).toContain('id="error-activityTypeId"');
      expect(await activities().countBy({ title: 'Rubata' })).toBe(0);
    });

    it('should edit an activity in the home time, and show the stored values on the edit page', async () => {
      const activity = await createActivity(t, home.id, { activityTypeId: typeId, startsAt: localToUtc('2026-07-01', '09:15', ZONE), title: 'Da spostare' });
      const edit = await agents.coordinator.get(`/activities/${activity.id}/edit`).expect(200);
      expect(edit.text).toContain('value="2026-07-01"');
      expect(edit.text).toContain('value="09:15"');
      expect(edit.text).not.toContain('name="repeat"');
      const res = await post(agents.coordinator, `/activities/${activity.id}`, activityForm({ title: 'Spostata', date: '2026-07-02', time: '16:45', visibleToFamilies: undefined }));
      expect(res.status).toBe(303);
      const saved = await activities().findOneByOrFail({ id: activity.id });
      expect(utcToLocal(saved.startsAt, ZONE)).toMatchObject({ date: '2026-07-02', time: '16:45' });
      expect(saved).toMatchObject({ title: 'Spostata', visibleToFamilies: false });
      const rejected = await post(agents.coordinator, `/activities/${activity.id}`, activityForm({ title: 'Tenuta', time: '25:00' }));
      expect(rejected.status).toBe(422);
      expect(rejected.text).toContain('id="error-time"');
      expect(rejected.text).toContain('value="Tenuta"');
      // Left blank, a date and a time are asked for, not said to be in the wrong format.
      const blank = await post(agents.coordinator, `/activities/${activity.id}`, activityForm({ title: 'Tenuta', date: '', time: '' }));
      expect(blank.status).toBe(422);
      expect(blank.text).toMatch(/id="error-date"[^>]*>Fill in this field\./);
      expect(blank.text).toMatch(/id="error-time"[^>]*>Fill in this field\./);
    });

    it("should keep a page's message for the page the user opens, not one the ward app's worker fetches ahead", async () => {
      const activity = await createActivity(t, home.id, { activityTypeId: typeId, startsAt: localToUtc('2026-08-13', '10:00', ZONE), title: 'Tombola' });
      expect((await post(agents.coordinator, `/activities/${activity.id}/cancel`, { reason: 'Sala occupata' })).status).toBe(303);
      // The worker warming the activity's page for offline use, between the post and the redirect's page.
      const warmed = await agents.coordinator.get(`/activities/${activity.id}`).set('X-Insieme-Warm', '1').expect(200);
      expect(warmed.text).toContain('Sala occupata');
      expect(warmed.text).not.toContain('Activity cancelled.');
      expect(warmed.headers['x-insieme-flash']).toBeUndefined();
      // The page that shows the message says so, and the worker keeps no copy of it (ward-sw.js).
      const seen = await agents.coordinator.get(`/activities/${activity.id}`).expect(200);
      expect(seen.text).toContain('Activity cancelled.');
      expect(seen.headers['x-insieme-flash']).toBe('1');
      const next = await agents.coordinator.get(`/activities/${activity.id}`).expect(200);
      expect(next.text).not.toContain('Activity cancelled.');
      expect(next.headers['x-insieme-flash']).toBeUndefined();
    });

    it('should cancel with a reason, show it struck through, and refuse to cancel twice or edit afterwards', async () => {
      const activity = await createActivity(t, home.id, { activityTypeId: typeId, startsAt: localToUtc('2026-08-12', '10:00', ZONE), title: 'Gita al lago' });
      const page = await agents.coordinator.get(`/activities/${activity.id}`).expect(200);
      expect(page.text).toContain(`action="/activities/${activity.id}/cancel"`);
      expect((await post(agents.coordinator, `/activities/${activity.id}/cancel`, { reason: 'Previsto temporale' })).status).toBe(303);
      expect(await activities().findOneByOrFail({ id: activity.id })).toMatchObject({ status: 'cancelled', cancelReason: 'Previsto temporale' });
      const after = await agents.coordinator.get(`/activities/${activity.id}`).expect(200);
      expect(after.text).toContain('Previsto temporale');
      expect(after.text).not.toContain(`action="/activities/${activity.id}/cancel"`);
      const week = await agents.coordinator.get('/calendar?date=2026-08-12').expect(200);
      expect(dayHtml(week.text, '2026-08-12')).toMatch(/class="cal-item is-cancelled"[^>]*>[\s\S]*Gita al lago[\s\S]*Cancelled/);
      const again = await post(agents.coordinator, `/activities/${activity.id}/cancel`, { reason: 'Di nuovo' });
      expect(again.status).toBe(422);
      expect(again.text).toContain('Only a planned activity can be cancelled');
      expect((await agents.coordinator.get(`/activities/${activity.id}/edit`)).status).toBe(422);
    });

    it('should restore a cancelled activity from its page, planned again, and refuse to restore one that is not cancelled', async () => {
      const activity = await createActivity(t, home.id, { activityTypeId: typeId, startsAt: localToUtc('2026-08-14', '10:00', ZONE), title: 'Merenda in giardino' });
      expect((await post(agents.coordinator, `/activities/${activity.id}/cancel`, { reason: 'Per sbaglio' })).status).toBe(303);
      const cancelled = await agents.coordinator.get(`/activities/${activity.id}`).expect(200);
      expect(cancelled.text).toContain(`action="/activities/${activity.id}/restore"`);
      // Carers do not plan: no button for them, and the route refuses them.
      expect((await agents.carer.get(`/activities/${activity.id}`).expect(200)).text).not.toContain(`action="/activities/${activity.id}/restore"`);
      expect((await post(agents.carer, `/activities/${activity.id}/restore`, {})).status).toBe(403);
      const restored = await post(agents.coordinator, `/activities/${activity.id}/restore`, {});
      expect(restored.status).toBe(303);
      expect(await activities().findOneByOrFail({ id: activity.id })).toMatchObject({ status: 'planned', cancelReason: null });
      const page = await agents.coordinator.get(`/activities/${activity.id}`).expect(200);
      expect(page.text).toContain('Activity restored: it is planned again.');
      expect(page.text).toContain(`action="/activities/${activity.id}/cancel"`);
      expect(page.text).not.toContain('Per sbaglio');
      const entry = await t.dataSource.getRepository(AuditEntry).findOneOrFail({ where: { entityType: 'activity', entityId: activity.id, action: 'update' }, order: { seq: 'DESC' } });
      expect(entry.changes).toEqual({ status: { old: 'cancelled', new: 'planned' }, cancelReason: { old: 'Per sbaglio', new: null } });
      const again = await post(agents.coordinator, `/activities/${activity.id}/restore`, {});
      expect(again.status).toBe(422);
      expect(again.text).toContain('Only a cancelled activity can be restored.');
    });
  });

  describe('calendar', () => {
    it('should place activities on their local day in week and month views, with a cancelled one struck through', async () => {
      const late = await createActivity(t, home.id, { activityTypeId: typeId, title: 'Film di mezzanotte', startsAt: localToUtc('2026-05-12', '23:30', ZONE) });
      const early = await createActivity(t, home.id, { activityTypeId: typeId, title: 'Alba sul terrazzo', startsAt: localToUtc('2026-05-13', '00:30', ZONE) });
      // 00:30 in Rome on 13 May is still 12 May in UTC.
      expect(early.startsAt.toISOString().slice(0, 10)).toBe('2026-05-12');
      const week = await agents.carer.get('/calendar?view=week&date=2026-05-14').expect(200);
      const days = [...week.text.matchAll(/class="cal-day[^"]*" data-date="([\d-]+)"/g)].map((m) => m[1]);
      expect(days).toEqual(['2026-05-11', '2026-05-12', '2026-05-13', '2026-05-14', '2026-05-15', '2026-05-16', '2026-05-17']);
      expect(dayHtml(week.text, '2026-05-12')).toContain('Film di mezzanotte');
      expect(dayHtml(week.text, '2026-05-12')).toContain('23:30');
      expect(dayHtml(week.text, '2026-05-12')).not.toContain('Alba sul terrazzo');
      expect(dayHtml(week.text, '2026-05-13')).toContain('Alba sul terrazzo');
      expect(dayHtml(week.text, '2026-05-13')).toContain(`/activities/${early.id}`);
      expect(plain(week.text)).toContain('href="/calendar?view=week&date=2026-05-04"');
      expect(plain(week.text)).toContain('href="/calendar?view=week&date=2026-05-18"');

      const month = await agents.carer.get('/calendar?view=month&date=2026-05-20').expect(200);
      const cells = [...month.text.matchAll(/class="cal-cell[^"]*" data-date="([\d-]+)"/g)].map((m) => m[1]);
      // May 2026 starts on a Friday and ends on a Sunday: five whole weeks from 27 April.
      expect(cells[0]).toBe('2026-04-27');
      expect(cells[cells.length - 1]).toBe('2026-05-31');
      expect(cells).toHaveLength(35);
      expect(dayHtml(month.text, '2026-05-12')).toContain('Film di mezzanotte');
      expect(dayHtml(month.text, '2026-05-13')).toContain('Alba sul terrazzo');
      expect(month.text).toContain('May 2026');
      expect(plain(month.text)).toContain('href="/calendar?view=month&date=2026-04-01"');
      expect(plain(month.text)).toContain('href="/calendar?view=month&date=2026-06-01"');
      expect(late.id).toBeDefined();
    });

    it('should filter by unit and still show whole-home activities', async () => {
      const unitA = await t.get(HomesService).addUnit(null, home.id, { unitName: `Nucleo A ${randomUUID().slice(0, 4)}` });
      const unitB = await t.get(HomesService).addUnit(null, home.id, { unitName: `Nucleo B ${randomUUID().slice(0, 4)}` });
      const at = localToUtc('2026-09-09', '11:00', ZONE);
      await createActivity(t, home.id, { activityTypeId: typeId, title: 'Solo nucleo A', unitId: unitA.id, startsAt: at });
      await createActivity(t, home.id, { activityTypeId: typeId, title: 'Solo nucleo B', unitId: unitB.id, startsAt: at });
      await createActivity(t, home.id, { activityTypeId: typeId, title: 'Per tutti', unitId: null, startsAt: at });
      const page = await agents.coordinator.get(`/calendar?date=2026-09-09&unitId=${unitA.id}`).expect(200);
      expect(page.text).toContain('Solo nucleo A');
      expect(page.text).toContain('Per tutti');
      expect(page.text).not.toContain('Solo nucleo B');
      const all = await agents.coordinator.get('/calendar?date=2026-09-09').expect(200);
      expect(all.text).toContain('Solo nucleo B');
      const foreignUnit = await t.get(HomesService).addUnit(null, otherHome.id, { unitName: 'Altrove' });
      await agents.coordinator.get(`/calendar?unitId=${foreignUnit.id}`).expect(404);
      expect((await agents.coordinator.get('/calendar?view=year')).status).toBe(422);
      expect((await agents.coordinator.get('/calendar?date=2026-02-30')).status).toBe(422);
    });

    it('should show planners the links to plan and not show them to carers and volunteers', async () => {
      expect((await agents.coordinator.get('/calendar')).text).toContain('href="/activities/new?date=');
      expect((await agents.carer.get('/calendar')).text).not.toContain('href="/activities/new');
      expect((await agents.volunteer.get('/calendar')).text).not.toContain('href="/activities/new');
    });
  });

  describe('roster', () => {
    it('should suggest residents below target or with matching interests first, add them, and remove one not yet logged', async () => {
      const type = await createActivityType(t, home.id, { name: 'Laboratorio di pittura', category: 'creative' });
      const painter = await createResident(t, home.id, { interests: ['pittura'], weeklyActivityTarget: 0, firstName: 'Pia', lastName: 'Pennello' });
      const below = await createResident(t, home.id, { interests: [], weeklyActivityTarget: 3, firstName: 'Bruno', lastName: 'Basso' });
      const content = await createResident(t, home.id, { interests: [], weeklyActivityTarget: 0, firstName: 'Carla', lastName: 'Contenta' });
      const activity = await createActivity(t, home.id, { activityTypeId: type.id, title: 'Pittura', startsAt: localToUtc('2026-10-01', '15:00', ZONE) });
      const page = await agents.coordinator.get(`/activities/${activity.id}`).expect(200);
      const suggested = page.text.slice(page.text.indexOf('Suggested'), page.text.indexOf('Other residents'));
      expect(suggested).toContain('Bruno Basso');
      expect(suggested).toContain('Below weekly target (0 of 3 in the last 7 days)');
      expect(suggested).toContain('Pia Pennello');
      expect(suggested).toContain('Interests: pittura');
      expect(suggested).not.toContain('Carla Contenta');
      expect(page.text.slice(page.text.indexOf('Other residents'))).toContain('Carla Contenta');

      const added = await post(agents.coordinator, `/activities/${activity.id}/roster`, `residentIds=${painter.id}&residentIds=${below.id}&residentIds=${content.id}`);
      expect(added.status).toBe(303);
      expect((await roster().findBy({ activityId: activity.id })).map((e) => e.residentId).sort()).toEqual([painter.id, below.id, content.id].sort());
      expect((await post(agents.coordinator, `/activities/${activity.id}/roster/${content.id}/remove`)).status).toBe(303);
      expect(await roster().countBy({ activityId: activity.id })).toBe(2);
      const none = await post(agents.coordinator, `/activities/${activity.id}/roster`, {});
      expect(none.status).toBe(422);
      expect(none.text).toContain('Choose at least one resident.');
    });

    it('should not remove a resident whose participation is logged', async () => {
      const resident = await createResident(t, home.id);
      const activity = await createActivity(t, home.id, { activityTypeId: typeId, residentIds: [resident.id] });
      await t.dataSource.getRepository(Participation).insert({ homeId: home.id, activityId: activity.id, residentId: resident.id, engagement: 'active', recordedAt: new Date(), recordedBy: null });
      const page = await agents.coordinator.get(`/activities/${activity.id}`).expect(200);
      expect(page.text).not.toContain(`/roster/${resident.id}/remove`);
      expect(page.text).toContain('Took part: 1');
      const res = await post(agents.coordinator, `/activities/${activity.id}/roster/${resident.id}/remove`);
      expect(res.status).toBe(422);
      expect(res.text).toContain('participation is logged');
      expect(await roster().countBy({ activityId: activity.id, residentId: resident.id })).toBe(1);
    });

    it("should refuse a forged id of another home's resident and store nothing", async () => {
      const ours = await createResident(t, home.id);
      const theirs = await createResident(t, otherHome.id);
      const activity = await createActivity(t, home.id, { activityTypeId: typeId });
      const res = await post(agents.manager, `/activities/${activity.id}/roster`, `residentIds=${ours.id}&residentIds=${theirs.id}`);
      expect(res.status).toBe(422);
      expect(res.text).toContain('id="error-residentIds"');
      // What was ticked stays ticked.
      expect(res.text).toMatch(new RegExp(`value="${ours.id}" checked`));
      expect(await roster().countBy({ activityId: activity.id })).toBe(0);
    });

    it('should show a volunteer the roster count only, and preferred names once they are a confirmed helper', async () => {
      const resident = await createResident(t, home.id, { firstName: 'Giuseppina', lastName: 'Riservata', preferredName: 'Pina' });
      const activity = await createActivity(t, home.id, { activityTypeId: typeId, residentIds: [resident.id], title: 'Canti popolari' });
      let page = await agents.volunteer.get(`/activities/${activity.id}`).expect(200);
      expect(page.text).toContain('Canti popolari');
      expect(page.text).toContain('1 resident invited.');
      expect(page.text).not.toContain('Pina');
      expect(page.text).not.toContain('Riservata');
      expect(page.text).not.toContain(`/activities/${activity.id}/log`);
      await t.dataSource.getRepository(HelpOffer).insert({
        homeId: home.id, activityId: activity.id, offererType: 'volunteer', volunteerId, familyMemberId: null, kind: 'deliver', status: 'confirmed',
        message: null, respondedBy: null, respondedAt: null, createdBy: null,
      });
      page = await agents.volunteer.get(`/activities/${activity.id}`).expect(200);
      expect(page.text).toContain('Pina');
      expect(page.text).not.toContain('Riservata');
      expect(page.text).toContain(`/activities/${activity.id}/log`);
      expect(page.text).not.toContain('action="/activities/' + activity.id + '/roster"');
    });
  });

  describe('help offers', () => {
    it('should let a volunteer offer and withdraw, and a planner confirm an offer', async () => {
      const activity = await createActivity(t, home.id, { activityTypeId: typeId, title: 'Tombola solidale', startsAt: localToUtc('2026-11-05', '15:00', ZONE) });
      let page = await agents.volunteer.get(`/activities/${activity.id}`).expect(200);
      expect(page.text).toContain(`action="/activities/${activity.id}/offers"`);
      // In the offerer's own words, as on their portal.
      expect(page.text).toContain('How would you like to take part?');
      expect(page.text).toContain('I can help run it');
      const offered = await post(agents.volunteer, `/activities/${activity.id}/offers`, { kind: 'deliver', message: 'Porto i premi' });
      expect(offered.status).toBe(303);
      const offer = await t.dataSource.getRepository(HelpOffer).findOneByOrFail({ activityId: activity.id, volunteerId });
      expect(offer).toMatchObject({ status: 'offered', kind: 'deliver', message: 'Porto i premi' });
      page = await agents.volunteer.get(`/activities/${activity.id}`).expect(200);
      expect(page.text).not.toContain(`action="/activities/${activity.id}/offers"`);
      expect(page.text).toContain(`/offers/${offer.id}/withdraw`);
      expect(page.text).not.toContain(`/offers/${offer.id}/respond`);

      const planner = await agents.coordinator.get(`/activities/${activity.id}`).expect(200);
      expect(planner.text).toContain('Valeria Aiuto');
      expect(planner.text).toContain(`/offers/${offer.id}/respond`);
      expect((await post(agents.coordinator, `/activities/${activity.id}/offers/${offer.id}/respond`, { status: 'confirmed' })).status).toBe(303);
      expect((await t.dataSource.getRepository(HelpOffer).findOneByOrFail({ id: offer.id })).status).toBe('confirmed');

      expect((await post(agents.volunteer, `/activities/${activity.id}/offers/${offer.id}/withdraw`)).status).toBe(303);
      expect((await t.dataSource.getRepository(HelpOffer).findOneByOrFail({ id: offer.id })).status).toBe('withdrawn');
      // A confirmed helper who steps back leaves the activity short: the coordinator is told.
      const notices = (await agents.coordinator.get('/notifications').expect(200)).text;
      expect(notices).toContain('Valeria Aiuto can no longer help with “Tombola solidale”');

      // An offer taken back before its answer: the coordinator is told there is nothing left to answer.
      const again = await post(agents.volunteer, `/activities/${activity.id}/offers`, { kind: 'join', message: '' });
      expect(again.status).toBe(303);
      const second = await t.dataSource.getRepository(HelpOffer).findOneByOrFail({ activityId: activity.id, volunteerId, status: 'offered' });
      expect((await post(agents.volunteer, `/activities/${activity.id}/offers/${second.id}/withdraw`)).status).toBe(303);
      expect((await agents.coordinator.get('/notifications').expect(200)).text).toContain('Valeria Aiuto withdrew their offer for “Tombola solidale”');
    });

    it("should refuse a volunteer another volunteer's offer and an offer through another activity's address", async () => {
      const activity = await createActivity(t, home.id, { activityTypeId: typeId });
      const elsewhere = await createActivity(t, home.id, { activityTypeId: typeId });
      const someoneElse = await createVolunteer(t, home.id);
      const offer = await t.dataSource.getRepository(HelpOffer).save({
        homeId: home.id, activityId: activity.id, offererType: 'volunteer', volunteerId: someoneElse.id, familyMemberId: null, kind: 'join', status: 'offered',
        message: null, respondedBy: null, respondedAt: null, createdBy: null,
      });
      expect((await post(agents.volunteer, `/activities/${activity.id}/offers/${offer.id}/withdraw`)).status).toBe(404);
      expect((await post(agents.coordinator, `/activities/${elsewhere.id}/offers/${offer.id}/respond`, { status: 'confirmed' })).status).toBe(404);
      expect((await t.dataSource.getRepository(HelpOffer).findOneByOrFail({ id: offer.id })).status).toBe('offered');
    });

    it('should not confirm a volunteer whose background check has expired, and say why', async () => {
      const expired = await createVolunteer(t, home.id, { firstName: 'Ettore', lastName: 'Scaduto', backgroundCheckOn: '2020-01-01', backgroundCheckExpiresOn: '2021-01-01' });
      const activity = await createActivity(t, home.id, { activityTypeId: typeId, startsAt: localToUtc('2026-12-01', '10:00', ZONE) });
      // An offer the volunteer made for themselves (staff cannot record one for them: see below).
      const offer = await t.dataSource.getRepository(HelpOffer).save({
        homeId: home.id, activityId: activity.id, offererType: 'volunteer', volunteerId: expired.id, familyMemberId: null, kind: 'deliver', status: 'offered',
        message: 'Al telefono', respondedBy: null, respondedAt: null, createdBy: null,
      });
      const page = await agents.coordinator.get(`/activities/${activity.id}`).expect(200);
      expect(page.text).toContain(`id="blocked-${offer.id}"`);
      expect(page.text).toMatch(new RegExp(`<button type="button" class="button" disabled aria-describedby="blocked-${offer.id}">`));
      expect(page.text).toContain('background check has expired');
      const res = await post(agents.coordinator, `/activities/${activity.id}/offers/${offer.id}/respond`, { status: 'confirmed' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('cannot be confirmed');
      expect((await t.dataSource.getRepository(HelpOffer).findOneByOrFail({ id: offer.id })).status).toBe('offered');
      // Declining stays possible.
      expect((await post(agents.coordinator, `/activities/${activity.id}/offers/${offer.id}/respond`, { status: 'declined' })).status).toBe(303);
    });

    describe('volunteers who could not be confirmed, in the on-behalf form', () => {
      /** The on-behalf form's volunteer list as sent. */
      function volunteerSelect(html: string): string {
        const select = /<select id="field-volunteerId" name="volunteerId"[^>]*>[\s\S]*?<\/select>/.exec(html);
        expect(select).not.toBeNull();
        return select![0];
      }

      let people: Record<'valid' | 'expired' | 'paused' | 'left' | 'noCheck', string>;
      beforeAll(async () => {
        const today = utcToLocal(new Date(), ZONE).date;
        people = {
          // A check that runs out today still holds today.
          valid: (await createVolunteer(t, home.id, { firstName: 'Vito', lastName: 'Valido', backgroundCheckOn: '2024-01-01', backgroundCheckExpiresOn: today })).id,
          expired: (await createVolunteer(t, home.id, { firstName: 'Elsa', lastName: 'Scaduta', backgroundCheckOn: '2023-03-03', backgroundCheckExpiresOn: '2026-03-03' })).id,
          paused: (await createVolunteer(t, home.id, { firstName: 'Paola', lastName: 'Ferma', status: 'paused' })).id,
          left: (await createVolunteer(t, home.id, { firstName: 'Lino', lastName: 'Partito', status: 'left' })).id,
          noCheck: (await createVolunteer(t, home.id, { firstName: 'Nico', lastName: 'Nuovo' })).id,
        };
      });

      it('should offer volunteers who can be confirmed, and show the others disabled with the reason in words', async () => {
        const activity = await createActivity(t, home.id, { activityTypeId: typeId });
        const select = volunteerSelect((await agents.coordinator.get(`/activities/${activity.id}`).expect(200)).text);
        expect(select).toContain(`<option value="${people.valid}">Vito Valido</option>`);
        expect(select).toContain(`<option value="${people.noCheck}">Nico Nuovo</option>`);
        const [enabled, apart] = select.split('<optgroup label="Cannot be confirmed for now">');
        expect(enabled).not.toContain('disabled');
        expect(apart).toContain(`<option value="${people.expired}" disabled>Elsa Scaduta — check expired on 3 March 2026</option>`);
        expect(apart).toContain(`<option value="${people.paused}" disabled>Paola Ferma — paused</option>`);
        expect(select).not.toContain(people.left);
        expect(enabled).not.toContain(people.expired);
        expect(enabled).not.toContain(people.paused);
      });

      it('should say the reason in Italian, the first of the month as Italian writes it', async () => {
        const coordinator = await createUser(t, { role: 'coordinator', homeIds: [home.id], locale: 'it' });
        const agent = await signIn(t, coordinator.email, coordinator.password);
        const soon = await createVolunteer(t, home.id, { firstName: 'Ugo', lastName: 'Primo', backgroundCheckOn: '2022-09-01', backgroundCheckExpiresOn: '2025-09-01' });
        const activity = await createActivity(t, home.id, { activityTypeId: typeId });
        const select = volunteerSelect((await agent.get(`/activities/${activity.id}`).expect(200)).text);
        expect(select).toContain('<optgroup label="Non confermabili per ora">');
        expect(select).toContain(`<option value="${soon.id}" disabled>Ugo Primo — verifica scaduta il 1° settembre 2025</option>`);
        expect(select).toContain(`<option value="${people.paused}" disabled>Paola Ferma — in pausa</option>`);
      });

      it('should refuse recording an offer for them beside the field, with the reason, keeping what was typed', async () => {
        const activity = await createActivity(t, home.id, { activityTypeId: typeId });
        const expired = await post(agents.coordinator, `/activities/${activity.id}/offers/on-behalf`, { volunteerId: people.expired, kind: 'join', message: 'Ha chiamato stamattina' });
        expect(expired.status).toBe(422);
        expect(expired.text).toContain(
          '<p class="field-error" id="error-volunteerId">This volunteer&#x27;s background check expired on 3 March 2026, so they cannot be confirmed. Record their renewed check on their page first.</p>',
        );
        expect(expired.text).toMatch(/<select id="field-volunteerId" name="volunteerId" aria-invalid="true" aria-describedby="error-volunteerId">/);
        expect(expired.text).toContain(`<option value="${people.expired}" disabled selected>`);
        expect(expired.text).toContain('Ha chiamato stamattina');
        expect(expired.text).toMatch(/id="behalf-kind-join" name="kind" value="join" checked/);
        const paused = await post(agents.coordinator, `/activities/${activity.id}/offers/on-behalf`, { volunteerId: people.paused, kind: 'deliver' });
        expect(paused.status).toBe(422);
        expect(paused.text).toContain('<p class="field-error" id="error-volunteerId">This volunteer is paused, so they cannot be confirmed. Make them active on their page first.</p>');
        expect(await t.dataSource.getRepository(HelpOffer).countBy({ activityId: activity.id })).toBe(0);
        // Those who can be confirmed are recorded as before.
        expect((await post(agents.coordinator, `/activities/${activity.id}/offers/on-behalf`, { volunteerId: people.valid, kind: 'deliver' })).status).toBe(303);
        expect((await post(agents.coordinator, `/activities/${activity.id}/offers/on-behalf`, { volunteerId: people.noCheck, kind: 'deliver' })).status).toBe(303);
        expect(await t.dataSource.getRepository(HelpOffer).countBy({ activityId: activity.id, status: 'offered' })).toBe(2);
      });
    });

    it('should show the on-behalf form again with the error beside the field when nobody is chosen', async () => {
      const activity = await createActivity(t, home.id, { activityTypeId: typeId });
      const res = await post(agents.manager, `/activities/${activity.id}/offers/on-behalf`, { volunteerId: '', familyMemberId: '', kind: 'join', message: 'Chiamata di ieri' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('id="error-volunteerId"');
      expect(res.text).toContain('Chiamata di ieri');
      expect(res.text).toMatch(/id="behalf-kind-join" name="kind" value="join" checked/);
      expect(await t.dataSource.getRepository(HelpOffer).countBy({ activityId: activity.id })).toBe(0);
    });
  });

  it('should serve the week for the planner of several homes with both homes in it', async () => {
    const theirs = await createActivity(t, otherHome.id, { title: 'Altra casa', startsAt: localToUtc('2027-01-13', '10:00', ZONE) });
    const ours = await createActivity(t, home.id, { activityTypeId: typeId, title: 'Nostra casa', startsAt: localToUtc('2027-01-14', '10:00', ZONE) });
    const page = await agents.admin.get('/calendar?date=2027-01-13').expect(200);
    expect(dayHtml(page.text, '2027-01-13')).toContain('Altra casa');
    expect(dayHtml(page.text, '2027-01-14')).toContain('Nostra casa');
    const form = await agents.admin.get('/activities/new').expect(200);
    // Each home's types under its name (issue 19).
    expect(form.text).toMatch(/<optgroup label="Casa Calendario">\s*<option value="[^"]+"[^>]*>Canto corale</);
    expect(page.text).toContain(`/activities/${theirs.id}`);
    expect(page.text).toContain(`/activities/${ours.id}`);
  });
});
