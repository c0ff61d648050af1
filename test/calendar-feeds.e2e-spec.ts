import ICAL from 'ical.js';
import request from 'supertest';
import { Activity } from '../src/activities/entities/activity.entity';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { User } from '../src/auth/entities/user.entity';
import { Membership } from '../src/auth/entities/membership.entity';
import { CalendarFeed } from '../src/calendar-feeds/entities/calendar-feed.entity';
import { Unit } from '../src/homes/entities/unit.entity';
import { FamilyLink } from '../src/residents/entities/family-link.entity';
import { Resident } from '../src/residents/entities/resident.entity';
import { createActivity } from './support/activity-factories';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, csrfFrom, signIn } from './support/http';
import { createRelative, createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';

const DAY = 24 * 60 * 60 * 1000;
const PUBLIC_URL = 'https://insieme.example.org';

/** A feed as a calendar app reads it, through another library than the one that wrote it. */
function parseFeed(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return {
    name: calendar.getFirstPropertyValue('x-wr-calname') as string,
    events: calendar.getAllSubcomponents('vevent').map((component) => {
      const event = new ICAL.Event(component);
      return {
        uid: event.uid, summary: event.summary, location: event.location, description: event.description as string | null,
        start: event.startDate.toJSDate().toISOString(), end: event.endDate.toJSDate().toISOString(), status: component.getFirstPropertyValue('status') as string,
      };
    }).sort((a, b) => a.start.localeCompare(b.start) || a.summary.localeCompare(b.summary)),
  };
}

/** The event a feed should hold for an activity. */
function expected(a: Activity, more: { location?: string | null; description?: string | null } = {}) {
  return {
    uid: `${a.id}@insieme.example.org`, summary: a.title, location: more.location === undefined ? a.location : more.location,
    start: a.startsAt.toISOString(), end: new Date(a.startsAt.getTime() + a.durationMinutes * 60_000).toISOString(),
    status: a.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED', ...(more.description === undefined ? {} : { description: more.description }),
  };
}

describe('Calendars to subscribe to (issue 19 item 4)', () => {
  let t: TestApp;
  let homeId: string;
  let otherHomeId: string;
  let glicine: Unit;
  let rose: Unit;
  let rosa: Resident;
  let bruno: Resident;
  let coordinator: TestUser;
  let relative: TestUser;
  const activities: Record<string, Activity> = {};

  async function post(agent: Agent, path: string, body: Record<string, string>) {
    const token = csrfFrom((await agent.get('/account/calendars').expect(200)).text);
    return agent.post(path).type('form').send({ _csrf: token, ...body });
  }

  /** Makes a feed through the page; its address, read from the notice shown once. */
  async function makeFeed(agent: Agent, calendar: string): Promise<string> {
    const res = await post(agent, '/account/calendars', { calendar });
    expect(res.status).toBe(303);
    const page = (await agent.get('/account/calendars').expect(200)).text;
    const url = /Calendar address: (https:\/\/insieme\.example\.org\/calendar-feeds\/[A-Za-z0-9_-]{43}\.ics)/.exec(page)?.[1];
    expect(url).toBeDefined();
    // Shown once: the next view of the page no longer has it.
    expect((await agent.get('/account/calendars').expect(200)).text).not.toContain(url);
    return url!;
  }

  const pathOf = (url: string) => url.slice(PUBLIC_URL.length);

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLIC_URL } });
    homeId = (await createHome(t, { name: 'Casa Serena', timezone: 'Europe/Rome' })).id;
    otherHomeId = (await createHome(t, { name: 'Casa Lontana' })).id;
    const units = t.dataSource.getRepository(Unit);
    glicine = units.create({ homeId, name: 'Glicine', active: true });
    rose = units.create({ homeId, name: 'Rose', active: true });
    // One at a time: a multi-row insert may hand the generated ids back in another order.
    await units.insert(glicine);
    await units.insert(rose);
    rosa = await createResident(t, homeId, { firstName: 'Rosa', lastName: 'Esposito', unitId: glicine.id });
    bruno = await createResident(t, homeId, { firstName: 'Bruno', lastName: 'Neri', unitId: rose.id });
    coordinator = await createUser(t, { role: 'coordinator', homeIds: [homeId] });
    relative = (await createRelative(t, rosa)).user;

    const now = Date.now();
    const at = (days: number) => new Date(Math.floor((now + days * DAY) / 60_000) * 60_000);
    activities.wholeHome = await createActivity(t, homeId, { title: 'Coro della domenica', startsAt: at(2), durationMinutes: 75, location: 'Salone', description: 'Canti popolari' });
    activities.glicine = await createActivity(t, homeId, { title: 'Tombola in Glicine', startsAt: at(3), unitId: glicine.id, location: 'Soggiorno' });
    activities.rose = await createActivity(t, homeId, { title: 'Giardinaggio in Rose', startsAt: at(4), unitId: rose.id, residentIds: [bruno.id] });
    activities.roseWithRosa = await createActivity(t, homeId, { title: 'Cucina in Rose', startsAt: at(5), unitId: rose.id, residentIds: [rosa.id, bruno.id] });
    activities.hidden = await createActivity(t, homeId, { title: 'Fisioterapia riservata', startsAt: at(6), visibleToFamilies: false, residentIds: [rosa.id] });
    activities.cancelled = await createActivity(t, homeId, { title: 'Gita annullata', startsAt: at(7), status: 'cancelled', cancelReason: 'Pioggia' });
    activities.past = await createActivity(t, homeId, { title: 'Festa passata', startsAt: at(-10), status: 'completed' });
    activities.tooOld = await createActivity(t, homeId, { title: 'Troppo vecchia', startsAt: at(-40), status: 'completed' });
    activities.tooFar = await createActivity(t, homeId, { title: 'Troppo lontana', startsAt: at(200) });
    activities.otherHome = await createActivity(t, otherHomeId, { title: 'Altrove', startsAt: at(2) });
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  it("a unit's feed holds the unit's and the whole home's activities, cancelled ones marked, and a calendar library reads them back as they are", async () => {
    const agent = await signIn(t, coordinator.email, coordinator.password);
    const page = (await agent.get('/account/calendars').expect(200)).text;
    expect(page).toContain('>Whole home</option>');
    expect(page).toContain(`value="unit:${glicine.id}"`);
    const url = await makeFeed(agent, `unit:${glicine.id}`);

    // No session: the address is the key.
    const res = await request(t.server).get(pathOf(url)).expect(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['x-robots-tag']).toBe('noindex, nofollow');
    const feed = parseFeed(res.text);
    expect(feed.name).toBe('Glicine, Casa Serena — activities');
    const { wholeHome, glicine: inGlicine, hidden, cancelled, past } = activities;
    // The description: the type and where (the unit, or the whole home), how many are invited, the activity's own words.
    const described = (a: Activity, where: string, invited: string, words?: string) =>
      ({ ...expected(a), description: expect.stringMatching(new RegExp(`^Singing [0-9a-f]{6} · ${where}\n${invited}${words ? `\n${words}` : ''}$`)) });
    expect(feed.events).toEqual([
      described(past, 'Whole home', '0 residents invited'),
      described(wholeHome, 'Whole home', '0 residents invited', 'Canti popolari'),
      described(inGlicine, 'Glicine', '0 residents invited'),
      described(hidden, 'Whole home', '1 resident invited'),
      described(cancelled, 'Whole home', '0 residents invited'),
    ]);
    expect(feed.events.map((e) => e.summary)).not.toContain('Giardinaggio in Rose');
    expect(feed.events.find((e) => e.summary === 'Gita annullata')!.status).toBe('CANCELLED');
  });

  it("a home's feed holds every activity of the home in the window, none of another home", async () => {
    const agent = await signIn(t, coordinator.email, coordinator.password);
    const url = await makeFeed(agent, `home:${homeId}`);
    const feed = parseFeed((await request(t.server).get(pathOf(url)).expect(200)).text);
    expect(feed.name).toBe('Casa Serena — activities');
    expect(feed.events.map((e) => e.summary).sort()).toEqual(
      ['Coro della domenica', 'Cucina in Rose', 'Festa passata', 'Fisioterapia riservata', 'Giardinaggio in Rose', 'Gita annullata', 'Tombola in Glicine'].sort(),
    );
  });

  it("a feed of one home, made by staff of several homes, holds that home's activities only", async () => {
    const both = await createUser(t, { role: 'manager', homeIds: [homeId, otherHomeId] });
    const agent = await signIn(t, both.email, both.password);
    for (const calendar of [`home:${homeId}`, `unit:${glicine.id}`]) {
      const feed = parseFeed((await request(t.server).get(pathOf(await makeFeed(agent, calendar))).expect(200)).text);
      expect(feed.events.map((e) => e.summary)).toContain('Coro della domenica');
      expect(feed.events.map((e) => e.summary)).not.toContain('Altrove');
    }
    const other = parseFeed((await request(t.server).get(pathOf(await makeFeed(agent, `home:${otherHomeId}`)))).text);
    expect(other.events.map((e) => e.summary)).toEqual(['Altrove']);
  });

  it("a relative's feed holds only their resident's family-visible activities: whole home, their unit, or invited; no other resident's name", async () => {
    const agent = await signIn(t, relative.email, relative.password);
    const page = (await agent.get('/account/calendars').expect(200)).text;
    expect(page).toContain(`value="resident:${rosa.id}"`);
    expect(page).not.toContain(`value="home:`);
    expect(page).not.toContain(bruno.id);
    const url = await makeFeed(agent, `resident:${rosa.id}`);
    const text = (await request(t.server).get(pathOf(url)).expect(200)).text;
    const feed = parseFeed(text);
    expect(feed.name).toBe('Rosa Esposito — activities at Casa Serena');
    expect(feed.events.map((e) => e.summary)).toEqual(['Festa passata', 'Coro della domenica', 'Tombola in Glicine', 'Cucina in Rose', 'Gita annullata']);
    expect(feed.events.find((e) => e.summary === 'Cucina in Rose')!.description).toContain('Rosa is invited.');
    expect(feed.events.find((e) => e.summary === 'Coro della domenica')!.description).not.toContain('invited');
    expect(text).not.toMatch(/Bruno|Neri|Fisioterapia|Giardinaggio|Altrove/);
  });

  it('a revoked address answers 404, as an unknown or malformed one does; the removal is audited', async () => {
    const agent = await signIn(t, coordinator.email, coordinator.password);
    const url = await makeFeed(agent, `unit:${rose.id}`);
    await request(t.server).get(pathOf(url)).expect(200);
    const feed = (await t.dataSource.getRepository(CalendarFeed).find({ where: { userId: coordinator.id, unitId: rose.id } }))[0];
    const page = (await agent.get('/account/calendars').expect(200)).text;
    expect(page).toContain('Rose, Casa Serena — activities');
    expect(page).toContain('Last read by a calendar app');
    expect((await post(agent, '/account/calendars/revoke', { feedId: feed.id })).status).toBe(303);
    const after = (await agent.get('/account/calendars').expect(200)).text;
    expect(after).toContain('The calendar Rose, Casa Serena — activities was removed: its address no longer works.');
    expect(after).not.toContain(`value="${feed.id}"`);
    await request(t.server).get(pathOf(url)).expect(404);
    await request(t.server).get(`/calendar-feeds/${'A'.repeat(43)}.ics`).expect(404);
    await request(t.server).get('/calendar-feeds/not-a-token').expect(404);
    expect(await t.dataSource.getRepository(AuditEntry).countBy({ entityType: 'calendar_feed', entityId: feed.id, action: 'revoke' })).toBe(1);
    // Someone else's feed cannot be removed, nor learned of: 404, and it keeps working.
    const other = await createUser(t, { role: 'coordinator', homeIds: [homeId] });
    const otherAgent = await signIn(t, other.email, other.password);
    const kept = await makeFeed(agent, `home:${homeId}`);
    const keptRow = (await t.dataSource.getRepository(CalendarFeed).find({ where: { userId: coordinator.id, scope: 'home' }, order: { createdAt: 'DESC' } }))[0];
    expect((await post(otherAgent, '/account/calendars/revoke', { feedId: keptRow.id })).status).toBe(404);
    await request(t.server).get(pathOf(kept)).expect(200);
  });

  it('a feed follows its owner: a disabled account, a home left or a link ended makes it 404', async () => {
    const carer = await createUser(t, { role: 'carer', homeIds: [homeId] });
    const carerUrl = await makeFeed(await signIn(t, carer.email, carer.password), `home:${homeId}`);
    await request(t.server).get(pathOf(carerUrl)).expect(200);
    await t.dataSource.getRepository(Membership).delete({ userId: carer.id });
    await request(t.server).get(pathOf(carerUrl)).expect(404);

    const another = await createUser(t, { role: 'coordinator', homeIds: [homeId] });
    const anotherUrl = await makeFeed(await signIn(t, another.email, another.password), `unit:${glicine.id}`);
    await t.dataSource.getRepository(User).update({ id: another.id }, { disabledAt: new Date() });
    await request(t.server).get(pathOf(anotherUrl)).expect(404);

    const daughter = await createRelative(t, rosa);
    const familyUrl = await makeFeed(await signIn(t, daughter.user.email, daughter.user.password), `resident:${rosa.id}`);
    await request(t.server).get(pathOf(familyUrl)).expect(200);
    await t.dataSource.getRepository(FamilyLink).update({ id: daughter.link.id }, { active: false });
    await request(t.server).get(pathOf(familyUrl)).expect(404);
  });

  it("a choice that is not the user's is a field error beside the select, and nothing is made", async () => {
    const agent = await signIn(t, coordinator.email, coordinator.password);
    const before = await t.dataSource.getRepository(CalendarFeed).count();
    for (const calendar of [`home:${otherHomeId}`, `resident:${rosa.id}`, 'unit:nope', '', 'x'.repeat(81)]) {
      const res = await post(agent, '/account/calendars', { calendar });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="error-calendar"/);
    }
    const relativeAgent = await signIn(t, relative.email, relative.password);
    const res = await post(relativeAgent, '/account/calendars', { calendar: `resident:${bruno.id}` });
    expect(res.status).toBe(422);
    expect(res.text).not.toContain('Bruno');
    expect(await t.dataSource.getRepository(CalendarFeed).count()).toBe(before);
  });

  it('a volunteer has nothing to subscribe to, and the account page links here for staff and relatives only', async () => {
    const volunteer = await createUser(t, { role: 'volunteer', homeIds: [homeId] });
    const agent = await signIn(t, volunteer.email, volunteer.password);
    expect((await agent.get('/account/calendars').expect(200)).text).toContain('There is no calendar to subscribe to for your account.');
    expect((await agent.get('/account').expect(200)).text).not.toContain('/account/calendars');
    expect((await (await signIn(t, coordinator.email, coordinator.password)).get('/account').expect(200)).text).toContain('/account/calendars');
    expect((await post(agent, '/account/calendars', { calendar: `home:${homeId}` })).status).toBe(422);
  });
});
