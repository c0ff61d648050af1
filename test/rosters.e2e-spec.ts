import { Activity } from '../src/activities/entities/activity.entity';
import { Participation } from '../src/activities/entities/participation.entity';
import { RosterEntry } from '../src/activities/entities/roster-entry.entity';
import { WaitlistEntry } from '../src/activities/entities/waitlist-entry.entity';
import { ActivitiesService } from '../src/activities/activities.service';
import { Role } from '../src/auth/auth.enums';
import { addDays, localToUtc, todayIn } from '../src/common/time/zoned';
import { Unit } from '../src/homes/entities/unit.entity';
import { HomeView } from '../src/homes/homes.service';
import { createActivity, createActivityType } from './support/activity-factories';
import { createHome, createUser } from './support/factories';
import { Agent, apiSignIn, csrfFrom, signIn } from './support/http';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';

const ZONE = 'Europe/Rome';

/** Issue 19 item 2: rosters in bulk, capacity and a waiting list, a series' roster carried forward. */
describe('Rosters in bulk and the waiting list', () => {
  let t: TestApp;
  let home: HomeView;
  let otherHome: HomeView;
  const agents = {} as Record<Role, Agent>;
  const tokens = new Map<Agent, string>();
  const passwords = {} as Record<Role, { email: string; password: string }>;

  async function post(agent: Agent, path: string, body: string = '') {
    if (!tokens.has(agent)) tokens.set(agent, csrfFrom((await agent.get('/account').expect(200)).text));
    return agent.post(path).type('form').send(`_csrf=${encodeURIComponent(tokens.get(agent)!)}${body ? `&${body}` : ''}`);
  }

  /** The page a redirect leads to, with its flash messages. */
  async function follow(agent: Agent, res: { status: number; headers: Record<string, string> }): Promise<string> {
    expect(res.status).toBe(303);
    return (await agent.get(res.headers.location).expect(200)).text;
  }

  const rosterOf = async (activityId: string) => (await t.dataSource.getRepository(RosterEntry).findBy({ activityId })).map((e) => e.residentId).sort();
  const waitingOf = async (activityId: string) =>
    (await t.dataSource.getRepository(WaitlistEntry).find({ where: { activityId }, order: { position: 'ASC' } })).map((e) => e.residentId);

  async function unit(homeId: string, name: string): Promise<Unit> {
    const row = t.dataSource.getRepository(Unit).create({ homeId, name, active: true });
    await t.dataSource.getRepository(Unit).insert(row);
    return row;
  }

  /** A planned activity tomorrow afternoon. */
  function tomorrow(): Date {
    return localToUtc(addDays(todayIn(ZONE), 1), '15:00', ZONE);
  }

  beforeAll(async () => {
    t = await createTestApp();
    home = await createHome(t, { name: 'Casa Inviti', timezone: ZONE });
    otherHome = await createHome(t, { name: 'Casa Altrove', timezone: ZONE });
    for (const role of ['coordinator', 'carer', 'volunteer'] as Role[]) {
      const user = await createUser(t, { role, homeIds: [home.id] });
      passwords[role] = user;
      agents[role] = await signIn(t, user.email, user.password);
    }
  });

  afterAll(async () => {
    await t.close();
  });

  describe('inviting in bulk', () => {
    it('should invite a whole unit\'s current residents in one submit, never one who left, and say how many', async () => {
      const garden = await unit(home.id, 'Giardino');
      const other = await unit(home.id, 'Terrazza');
      const anna = await createResident(t, home.id, { unitId: garden.id, firstName: 'Anna', lastName: 'Aiuola' });
      const bice = await createResident(t, home.id, { unitId: garden.id, firstName: 'Bice', lastName: 'Bosco' });
      await createResident(t, home.id, { unitId: garden.id, firstName: 'Dora', lastName: 'Dimessa', status: 'discharged' });
      await createResident(t, home.id, { unitId: other.id, firstName: 'Elsa', lastName: 'Est' });
      const activity = await createActivity(t, home.id, { startsAt: tomorrow() });

      const page = await agents.coordinator.get(`/activities/${activity.id}`).expect(200);
      expect(page.text).toContain('Giardino (2)');
      const text = await follow(agents.coordinator, await post(agents.coordinator, `/activities/${activity.id}/roster`, `mode=unit&unitId=${garden.id}`));
      expect(text).toContain('2 residents invited, nobody on the waiting list.');
      expect(await rosterOf(activity.id)).toEqual([anna.id, bice.id].sort());
    });

    it('should invite the residents whose interests match the activity', async () => {
      const type = await createActivityType(t, home.id, { name: 'Laboratorio di ceramica', category: 'creative' });
      const potter = await createResident(t, home.id, { interests: ['ceramica'], firstName: 'Piero', lastName: 'Vasaio' });
      const crafty = await createResident(t, home.id, { interests: ['creative'], firstName: 'Carla', lastName: 'Creativa' });
      const reader = await createResident(t, home.id, { interests: ['lettura'], firstName: 'Lia', lastName: 'Lettrice' });
      const activity = await createActivity(t, home.id, { activityTypeId: type.id, title: 'Ceramica', startsAt: tomorrow() });

      const page = await agents.coordinator.get(`/activities/${activity.id}`).expect(200);
      expect(page.text).toContain('2 residents whose interests match this activity');
      const text = await follow(agents.coordinator, await post(agents.coordinator, `/activities/${activity.id}/roster`, 'mode=likes'));
      expect(text).toContain('2 residents invited');
      const roster = await rosterOf(activity.id);
      expect(roster).toEqual(expect.arrayContaining([potter.id, crafty.id]));
      expect(roster).not.toContain(reader.id);
    });

    it('should invite the residents below their weekly target, counted as the badge counts them', async () => {
      const own = await createHome(t, { name: 'Casa Obiettivi', timezone: ZONE });
      const coordinator = await createUser(t, { role: 'coordinator', homeIds: [own.id] });
      const agent = await signIn(t, coordinator.email, coordinator.password);
      const below = await createResident(t, own.id, { weeklyActivityTarget: 3, firstName: 'Bruno', lastName: 'Basso' });
      const met = await createResident(t, own.id, { weeklyActivityTarget: 1, firstName: 'Mario', lastName: 'Raggiunto' });
      const none = await createResident(t, own.id, { weeklyActivityTarget: 0, firstName: 'Nina', lastName: 'Nessuno' });
      const held = await createActivity(t, own.id, { startsAt: new Date(Date.now() - 2 * 24 * 3600_000), status: 'completed', residentIds: [met.id] });
      await t.dataSource.getRepository(Participation).insert({ homeId: own.id, activityId: held.id, residentId: met.id, engagement: 'active', recordedAt: new Date(), recordedBy: null });
      const activity = await createActivity(t, own.id, { startsAt: tomorrow() });

      const token = csrfFrom((await agent.get('/account').expect(200)).text);
      const res = await agent.post(`/activities/${activity.id}/roster`).type('form').send(`_csrf=${encodeURIComponent(token)}&mode=belowTarget`);
      expect(await follow(agent, res)).toContain('1 resident invited');
      expect(await rosterOf(activity.id)).toEqual([below.id]);
      expect(await rosterOf(activity.id)).not.toContain(none.id);
    });

    it('should invite the residents ticked, and not offer again those invited or waiting', async () => {
      const [a, b] = [await createResident(t, home.id, { firstName: 'Ugo', lastName: 'Uno' }), await createResident(t, home.id, { firstName: 'Dino', lastName: 'Due' })];
      const activity = await createActivity(t, home.id, { startsAt: tomorrow(), capacity: 1 });
      const text = await follow(agents.coordinator, await post(agents.coordinator, `/activities/${activity.id}/roster`, `mode=selected&residentIds=${a.id}&residentIds=${b.id}`));
      expect(text).toContain('1 resident invited, 1 on the waiting list.');
      expect(text).not.toContain(`id="invite-${a.id}"`);
      expect(text).not.toContain(`id="invite-${b.id}"`);
    });
  });

  describe('capacity and the waiting list', () => {
    it('should put residents beyond capacity on the waiting list in order, move the first up on a removal and more when capacity is raised', async () => {
      const type = await createActivityType(t, home.id, { name: 'Tombola', category: 'social' });
      const people = [];
      for (const name of ['Primo', 'Secondo', 'Terzo', 'Quarto', 'Quinto']) people.push(await createResident(t, home.id, { firstName: name, lastName: 'Fila' }));
      const [p1, p2, p3, p4, p5] = people;
      const activity = await createActivity(t, home.id, { activityTypeId: type.id, title: 'Tombola', startsAt: tomorrow(), capacity: 2 });

      const body = people.map((p) => `residentIds=${p.id}`).join('&');
      const text = await follow(agents.coordinator, await post(agents.coordinator, `/activities/${activity.id}/roster`, body));
      expect(text).toContain('2 residents invited, 3 on the waiting list.');
      expect(await rosterOf(activity.id)).toEqual([p1.id, p2.id].sort());
      expect(await waitingOf(activity.id)).toEqual([p3.id, p4.id, p5.id]);
      const list = text.slice(text.indexOf('Waiting list'));
      expect(list.indexOf('No. 1')).toBeLessThan(list.indexOf('Terzo Fila'));
      expect(list.indexOf('Terzo Fila')).toBeLessThan(list.indexOf('No. 2'));
      expect(list.indexOf('No. 2')).toBeLessThan(list.indexOf('Quarto Fila'));

      const removed = await follow(agents.coordinator, await post(agents.coordinator, `/activities/${activity.id}/roster/${p1.id}/remove`));
      expect(removed).toContain('Moved up from the waiting list: Terzo Fila.');
      expect(await rosterOf(activity.id)).toEqual([p2.id, p3.id].sort());
      expect(await waitingOf(activity.id)).toEqual([p4.id, p5.id]);

      // Someone waiting who leaves the home is never invited: the next one moves up instead.
      await t.dataSource.query(`UPDATE resident SET status = 'discharged' WHERE id = '${p4.id}'`);
      const date = addDays(todayIn(ZONE), 1);
      const form = `activityTypeId=${type.id}&title=Tombola&date=${date}&time=15:00&durationMinutes=60&capacity=3&visibleToFamilies=on`;
      const saved = await follow(agents.coordinator, await post(agents.coordinator, `/activities/${activity.id}`, form));
      expect(saved).toContain('Moved up from the waiting list: Quinto Fila.');
      expect(await rosterOf(activity.id)).toEqual([p2.id, p3.id, p5.id].sort());
      expect(await waitingOf(activity.id)).toEqual([]);
    });

    it('should take someone off the waiting list without moving anybody up', async () => {
      const [a, b, c] = [await createResident(t, home.id), await createResident(t, home.id), await createResident(t, home.id)];
      const activity = await createActivity(t, home.id, { startsAt: tomorrow(), capacity: 1, residentIds: [a.id] });
      await post(agents.coordinator, `/activities/${activity.id}/roster`, `residentIds=${b.id}&residentIds=${c.id}`);
      expect(await waitingOf(activity.id)).toEqual([b.id, c.id]);
      await follow(agents.coordinator, await post(agents.coordinator, `/activities/${activity.id}/roster/${b.id}/remove`));
      expect(await rosterOf(activity.id)).toEqual([a.id]);
      expect(await waitingOf(activity.id)).toEqual([c.id]);
    });

    it('should not count residents waiting as invited: no tile on the log, not in the ward data, the day\'s counts, the page\'s or the portal\'s invited', async () => {
      const invited = await createResident(t, home.id, { firstName: 'Irma', lastName: 'Invitata' });
      const waiting = await createResident(t, home.id, { firstName: 'Wanda', lastName: 'Attesa' });
      const activity = await createActivity(t, home.id, { capacity: 1 });
      await post(agents.coordinator, `/activities/${activity.id}/roster`, `residentIds=${invited.id}&residentIds=${waiting.id}`);
      expect(await waitingOf(activity.id)).toEqual([waiting.id]);

      const log = (await agents.carer.get(`/activities/${activity.id}/log`).expect(200)).text;
      expect(log).toContain(`<input type="hidden" name="residentId" value="${invited.id}">`);
      expect(log).not.toContain(`<input type="hidden" name="residentId" value="${waiting.id}">`);

      const { agent } = await apiSignIn(t, passwords.carer.email, passwords.carer.password);
      const one = (await agent.get(`/api/activities/${activity.id}`).expect(200)).body as { roster: { id: string }[]; rosterCount: number };
      expect(one.roster.map((r) => r.id)).toEqual([invited.id]);
      expect(one.rosterCount).toBe(1);
      const day = (await agent.get(`/api/activities?date=${todayIn(ZONE)}`).expect(200)).body as { activities: { id: string; rosterCount: number }[] };
      expect(day.activities.find((a) => a.id === activity.id)?.rosterCount).toBe(1);

      const pairs = await t.get(ActivitiesService).rosterPairs([invited.id, waiting.id], [activity.id]);
      expect(pairs.map((p) => p.residentId)).toEqual([invited.id]);
      const page = (await agents.coordinator.get(`/activities/${activity.id}`).expect(200)).text;
      expect(page).toContain('Invited <span class="muted">(1)</span>');
      // Logged after all (someone waiting who came): invited, off the waiting list.
      const token = csrfFrom(log);
      await agents.carer.post(`/activities/${activity.id}/log`).type('form')
        .send(`_csrf=${encodeURIComponent(token)}&residentId=${invited.id}&engagement=active&residentId=${waiting.id}&engagement=passive`);
      expect(await rosterOf(activity.id)).toEqual([invited.id, waiting.id].sort());
      expect(await waitingOf(activity.id)).toEqual([]);
    });

    it('should put those the tablet log adds beyond capacity on the waiting list and say so', async () => {
      const [a, b] = [await createResident(t, home.id, { firstName: 'Olga', lastName: 'Ora' }), await createResident(t, home.id, { firstName: 'Pia', lastName: 'Poi' })];
      const activity = await createActivity(t, home.id, { capacity: 1 });
      const text = await follow(agents.carer, await post(agents.carer, `/activities/${activity.id}/log/residents`, `residentId=${a.id}&residentId=${b.id}`));
      expect(text).toContain('Added to the log: 1.');
      expect(text).toContain('1 resident on the waiting list: the activity is full.');
      expect(text).toContain(`<input type="hidden" name="residentId" value="${a.id}">`);
      expect(text).not.toContain(`<input type="hidden" name="residentId" value="${b.id}">`);
      expect(await waitingOf(activity.id)).toEqual([b.id]);
    });
  });

  describe('a series', () => {
    it('should carry an invitation and a removal to the following planned occurrences with nothing logged, each with its own places', async () => {
      const seriesId = '7d0e7c1e-2c39-4f7a-9d7e-3a8a4d6b1c01';
      const first = todayIn(ZONE);
      const week = (n: number) => localToUtc(addDays(first, 7 * n + 1), '10:00', ZONE);
      const type = await createActivityType(t, home.id, { name: 'Ginnastica dolce', category: 'physical' });
      const occurrences: Activity[] = [];
      for (let n = 0; n < 4; n += 1) occurrences.push(await createActivity(t, home.id, { activityTypeId: type.id, title: 'Ginnastica', startsAt: week(n), capacity: 1, seriesId }));
      const [before, current, logged, later] = occurrences;
      const elsewhere = await createActivity(t, home.id, { activityTypeId: type.id, title: 'Ginnastica', startsAt: week(3), capacity: 1 });
      const loggedResident = await createResident(t, home.id);
      await t.dataSource.getRepository(Participation).insert({ homeId: home.id, activityId: logged.id, residentId: loggedResident.id, engagement: 'active', recordedAt: new Date(), recordedBy: null });
      const a = await createResident(t, home.id, { firstName: 'Alba', lastName: 'Serie' });
      const b = await createResident(t, home.id, { firstName: 'Bea', lastName: 'Serie' });

      const page = (await agents.coordinator.get(`/activities/${current.id}`).expect(200)).text;
      expect(page).toContain('This and the following occurrences');
      const text = await follow(agents.coordinator, await post(agents.coordinator, `/activities/${current.id}/roster`, `residentIds=${a.id}&residentIds=${b.id}&occurrences=following`));
      expect(text).toContain('1 resident invited, 1 on the waiting list.');
      expect(text).toContain('Also done on 1 later occurrence of the series.');
      expect(await rosterOf(current.id)).toEqual([a.id]);
      expect(await waitingOf(current.id)).toEqual([b.id]);
      expect(await rosterOf(later.id)).toEqual([a.id]);
      expect(await waitingOf(later.id)).toEqual([b.id]);
      expect(await rosterOf(before.id)).toEqual([]);
      expect(await rosterOf(logged.id)).toEqual([]);
      expect(await rosterOf(elsewhere.id)).toEqual([]);

      const removed = await follow(agents.coordinator, await post(agents.coordinator, `/activities/${current.id}/roster/${a.id}/remove`, 'occurrences=following'));
      expect(removed).toContain('Moved up from the waiting list: Bea Serie.');
      expect(await rosterOf(current.id)).toEqual([b.id]);
      expect(await rosterOf(later.id)).toEqual([b.id]);
      expect(await waitingOf(later.id)).toEqual([]);

      // "This occurrence only" leaves the others as they are.
      await post(agents.coordinator, `/activities/${current.id}/roster/${b.id}/remove`, 'occurrences=this');
      expect(await rosterOf(current.id)).toEqual([]);
      expect(await rosterOf(later.id)).toEqual([b.id]);
    });
  });

  describe('access and bad input', () => {
    it.each(['carer', 'volunteer'] as Role[])('should refuse a %s, who may not edit rosters, and store nothing', async (role) => {
      const resident = await createResident(t, home.id);
      const garden = await unit(home.id, `Reparto ${role}`);
      const activity = await createActivity(t, home.id, { startsAt: tomorrow() });
      const page = (await agents[role].get(`/activities/${activity.id}`).expect(200)).text;
      expect(page).not.toContain('name="mode"');
      for (const body of [`residentIds=${resident.id}`, `mode=unit&unitId=${garden.id}`]) {
        expect((await post(agents[role], `/activities/${activity.id}/roster`, body)).status).toBe(403);
      }
      expect(await rosterOf(activity.id)).toEqual([]);
    });

    it('should answer a field error naming the field for each bad input, keep what was chosen and store nothing', async () => {
      const ours = await createResident(t, home.id);
      const left = await createResident(t, home.id, { status: 'discharged' });
      const theirs = await createResident(t, otherHome.id);
      const theirUnit = await unit(otherHome.id, 'Altro reparto');
      await unit(home.id, 'Piano terra');
      // A type nobody's interests name, so "those who like it" finds nobody.
      const type = await createActivityType(t, home.id, { name: 'Xilografia', category: 'sensory' });
      const activity = await createActivity(t, home.id, { activityTypeId: type.id, title: 'Xilografia', startsAt: tomorrow() });
      const series = await createActivity(t, home.id, { activityTypeId: type.id, title: 'Xilografia', startsAt: tomorrow(), seriesId: '7d0e7c1e-2c39-4f7a-9d7e-3a8a4d6b1c02' });
      const cases: [string, string, string, string?][] = [
        ['mode=unit', 'unitId', 'Choose a unit.'],
        ['mode=unit&unitId=not-an-id', 'unitId', ''],
        [`mode=unit&unitId=${theirUnit.id}`, 'unitId', 'Choose one of the options.'],
        ['mode=everyone', 'mode', ''],
        ['mode=selected', 'residentIds', 'Choose at least one resident.'],
        [`residentIds=${ours.id}&residentIds=${theirs.id}`, 'residentIds', 'Choose residents of this home who live there now.'],
        [`residentIds=${left.id}`, 'residentIds', 'Choose residents of this home who live there now.'],
        [`residentIds=${ours.id}&occurrences=all`, 'occurrences', '', series.id],
        ['mode=likes', 'mode', 'Nobody is left to invite this way'],
      ];
      for (const [body, field, message, on = activity.id] of cases) {
        const res = await post(agents.coordinator, `/activities/${on}/roster`, body);
        expect({ body, status: res.status }).toEqual({ body, status: 422 });
        expect({ body, field: res.text.includes(`id="error-${field}"`) }).toEqual({ body, field: true });
        if (message) expect(res.text).toContain(message);
        expect(res.text).not.toContain('Altro reparto');
      }
      const kept = await post(agents.coordinator, `/activities/${activity.id}/roster`, `mode=unit&residentIds=${ours.id}`);
      expect(kept.text).toMatch(/id="invite-mode-unit" name="mode" value="unit" checked/);
      expect(kept.text).toMatch(new RegExp(`value="${ours.id}" checked`));
      expect(await rosterOf(activity.id)).toEqual([]);
      expect(await waitingOf(activity.id)).toEqual([]);
      expect(await rosterOf(series.id)).toEqual([]);
    });
  });
});
