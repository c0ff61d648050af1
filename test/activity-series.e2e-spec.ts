import { In } from 'typeorm';
import { Activity } from '../src/activities/entities/activity.entity';
import { ActivitySeries } from '../src/activities/entities/activity-series.entity';
import { Participation } from '../src/activities/entities/participation.entity';
import { RosterEntry } from '../src/activities/entities/roster-entry.entity';
import { WaitlistEntry } from '../src/activities/entities/waitlist-entry.entity';
import { SeriesJob } from '../src/activities/series.job';
import { addDays, localToUtc, mondayOf, todayIn, utcToLocal } from '../src/common/time/zoned';
import { HomeView } from '../src/homes/homes.service';
import { createActivity, createActivityType } from './support/activity-factories';
import { createHome, createUser } from './support/factories';
import { Agent, csrfFrom, signIn } from './support/http';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';

const ZONE = 'Europe/Rome';
const DAY_MS = 24 * 60 * 60_000;

/** Recurring series (issue 19 item 1): rules, materialisation 12 weeks ahead, edits by scope, exceptions, the job. */
describe('Activity series', () => {
  let t: TestApp;
  let home: HomeView;
  let typeId: string;
  let coordinator: Agent;
  let token: string;
  const residents: string[] = [];
  const today = () => todayIn(ZONE);
  /** The Monday after this week's, so every date below is in the future. */
  const nextMonday = () => addDays(mondayOf(today()), 7);

  async function post(path: string, body: Record<string, unknown>) {
    return coordinator.post(path).type('form').send({ _csrf: token, ...body });
  }

  function form(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { activityTypeId: typeId, title: 'Serie', date: nextMonday(), time: '10:00', durationMinutes: 60, location: 'Salone', visibleToFamilies: 'on', ...overrides };
  }

  async function createSeries(overrides: Record<string, unknown>): Promise<{ series: ActivitySeries; occurrences: Activity[] }> {
    const res = await post('/activities', form(overrides));
    expect([res.status, res.text.match(/class="field-error"[^>]*>[^<]*/g)]).toEqual([303, null]);
    const id = /\/activities\/([0-9a-f-]{36})/.exec(String(res.headers.location))![1];
    const first = await t.dataSource.getRepository(Activity).findOneByOrFail({ id });
    return { series: await seriesOf(first.seriesId!), occurrences: await occurrencesOf(first.seriesId!) };
  }

  const seriesOf = (id: string) => t.dataSource.getRepository(ActivitySeries).findOneByOrFail({ id });
  const occurrencesOf = (seriesId: string) => t.dataSource.getRepository(Activity).find({ where: { seriesId }, order: { startsAt: 'ASC' } });
  const rosterOf = async (activityId: string) => (await t.dataSource.getRepository(RosterEntry).findBy({ activityId })).map((e) => e.residentId).sort();
  const local = (a: Activity) => utcToLocal(a.startsAt, ZONE);

  async function addToRoster(activityId: string, residentIds: string[]) {
    const res = await post(`/activities/${activityId}/roster`, { residentIds });
    expect(res.status).toBe(303);
  }

  beforeAll(async () => {
    t = await createTestApp();
    home = await createHome(t, { name: 'Casa Serie', timezone: ZONE });
    typeId = (await createActivityType(t, home.id, { name: 'Ginnastica dolce', category: 'physical' })).id;
    for (const firstName of ['Anna', 'Bruno', 'Carla']) residents.push((await createResident(t, home.id, { firstName })).id);
    const user = await createUser(t, { role: 'coordinator', homeIds: [home.id] });
    coordinator = await signIn(t, user.email, user.password);
    token = csrfFrom((await coordinator.get('/account').expect(200)).text);
  });

  afterAll(async () => {
    await t.close();
  });

  it('should create a weekly series by the form, materialised 12 weeks ahead, and show its rule and next dates', async () => {
    const until = addDays(nextMonday(), 7 * 20);
    const { series, occurrences } = await createSeries({ title: 'Ginnastica martedì e giovedì', repeat: 'weekly', byDay: ['TU', 'TH'], interval: '1', ends: 'until', until });
    expect(series).toMatchObject({ startDate: nextMonday(), startTime: '10:00', timezone: ZONE, materialisedUntil: addDays(today(), 84) });
    expect(series.rule).toContain('FREQ=WEEKLY');
    expect(series.rule).toContain('BYDAY=TU,TH');
    // Every Tuesday and Thursday from the start up to 12 weeks from today, each at 10:00 local (winter and summer alike).
    expect(occurrences.length).toBeGreaterThanOrEqual(20);
    expect(occurrences.every((a) => local(a).time === '10:00' && [2, 4].includes(local(a).weekday))).toBe(true);
    expect(local(occurrences[occurrences.length - 1]).date <= addDays(today(), 84)).toBe(true);
    expect(local(occurrences[occurrences.length - 1]).date > addDays(today(), 84 - 7)).toBe(true);

    const page = await coordinator.get(`/activities/${occurrences[0].id}`).expect(200);
    expect(page.text).toContain(`Every week on Tuesday and Thursday, until ${new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${until}T00:00:00Z`))}`);
    expect(page.text).toContain(`href="/activities/${occurrences[1].id}"`);
    expect(page.text).toContain(`action="/activities/${occurrences[0].id}/skip"`);
    const edit = await coordinator.get(`/activities/${occurrences[0].id}/edit`).expect(200);
    expect(edit.text).toContain('name="scope"');
    expect(edit.text).toMatch(/id="field-byDay-TU" name="byDay" value="TU" checked/);
  });

  it('should invite the residents ticked on the form to every date of a new series, 12 weeks ahead', async () => {
    const newPage = await coordinator.get('/activities/new').expect(200);
    expect(newPage.text).toContain(`name="residentIds" value="${residents[0]}"`);
    const { series, occurrences } = await createSeries({ title: 'Merenda insieme', repeat: 'weekly', byDay: ['FR'], ends: 'until', until: addDays(nextMonday(), 7 * 30), residentIds: [residents[0], residents[2]] });
    expect(series.rosterResidentIds.sort()).toEqual([residents[0], residents[2]].sort());
    expect(occurrences.length).toBeGreaterThanOrEqual(11);
    expect(local(occurrences[occurrences.length - 1]).date > addDays(today(), 84 - 7)).toBe(true);
    for (const a of occurrences) expect(await rosterOf(a.id)).toEqual([residents[0], residents[2]].sort());

    const tooMany = await post('/activities', form({ title: 'Troppi', capacity: '1', repeat: 'weekly', byDay: 'FR', ends: 'count', count: '3', residentIds: [residents[0], residents[1]] }));
    expect(tooMany.status).toBe(422);
    expect(tooMany.text).toContain('id="error-residentIds"');
    expect(await t.dataSource.getRepository(Activity).countBy({ title: 'Troppi' })).toBe(0);
  });

  it('should copy the roster to the whole series and to the dates the job adds later, idempotently', async () => {
    const { series, occurrences } = await createSeries({ title: 'Coro', repeat: 'weekly', byDay: ['WE'], ends: 'count', count: '30' });
    await addToRoster(occurrences[0].id, [residents[0], residents[1]]);
    const res = await post(`/activities/${occurrences[0].id}`, form({ title: 'Coro insieme', date: local(occurrences[0]).date, scope: 'series', repeat: 'weekly', byDay: 'WE', ends: 'count', count: '30' }));
    expect(res.status).toBe(303);
    const after = await occurrencesOf(series.id);
    expect(after.map((a) => a.id)).toEqual(occurrences.map((a) => a.id));
    for (const a of after) {
      expect(a.title).toBe('Coro insieme');
      expect(await rosterOf(a.id)).toEqual([residents[0], residents[1]].sort());
    }

    // Four weeks on, the daily job adds the next dates with the roster; a second run adds nothing.
    const job = t.get(SeriesJob);
    const later = new Date(Date.now() + 28 * DAY_MS);
    expect(await job.extend(later)).toBeGreaterThanOrEqual(4);
    const extended = await occurrencesOf(series.id);
    expect(extended.length).toBe(after.length + 4);
    expect(await job.extend(later)).toBe(0);
    // Through its daily lease: this process runs it once (nothing left to add), and not again that day.
    expect(await job.runOnce(later)).toBe(0);
    expect(await job.runOnce(later)).toBeNull();
    expect((await occurrencesOf(series.id)).map((a) => a.id)).toEqual(extended.map((a) => a.id));
    for (const a of extended.slice(after.length)) expect(await rosterOf(a.id)).toEqual([residents[0], residents[1]].sort());
    expect((await seriesOf(series.id)).materialisedUntil).toBe(addDays(todayIn(ZONE, later), 84));
  });

  it('should carry an invitation or a removal "and the following" to the dates the job adds later, the places first and the rest waiting', async () => {
    const { series, occurrences } = await createSeries({ title: 'Cucina', capacity: '2', repeat: 'weekly', byDay: ['TH'], ends: 'count', count: '30' });
    const invite = await post(`/activities/${occurrences[0].id}/roster`, { residentIds: [residents[0], residents[1], residents[2]], occurrences: 'following' });
    expect(invite.status).toBe(303);
    const removal = await post(`/activities/${occurrences[0].id}/roster/${residents[1]}/remove`, { occurrences: 'following' });
    expect(removal.status).toBe(303);
    expect((await seriesOf(series.id)).rosterResidentIds).toEqual([residents[0], residents[2]]);

    await t.get(SeriesJob).extend(new Date(Date.now() + 21 * DAY_MS));
    const added = (await occurrencesOf(series.id)).slice(occurrences.length);
    expect(added.length).toBeGreaterThanOrEqual(3);
    for (const a of added) expect(await rosterOf(a.id)).toEqual([residents[0], residents[2]].sort());

    // Three invited on two places: the third waits on each date the job adds.
    await post(`/activities/${occurrences[0].id}/roster`, { residentIds: [residents[1]], occurrences: 'following' });
    await t.get(SeriesJob).extend(new Date(Date.now() + 35 * DAY_MS));
    const waiting = (await occurrencesOf(series.id)).slice(occurrences.length + added.length);
    expect(waiting.length).toBeGreaterThanOrEqual(1);
    for (const a of waiting) {
      expect(await rosterOf(a.id)).toEqual([residents[0], residents[2]].sort());
      expect((await t.dataSource.getRepository(WaitlistEntry).findBy({ activityId: a.id })).map((e) => [e.residentId, e.position])).toEqual([[residents[1], 1]]);
    }
  });

  it('should split a series in two at "this and the following", each with its own rule, the roster following', async () => {
    const { series, occurrences } = await createSeries({ title: 'Lettura', repeat: 'weekly', byDay: ['MO'], ends: 'count', count: '10' });
    expect(occurrences).toHaveLength(Math.min(10, occurrences.length));
    const fourth = occurrences[3];
    await addToRoster(fourth.id, [residents[2]]);
    const res = await post(`/activities/${fourth.id}`, form({
      title: 'Lettura ad alta voce', date: local(fourth).date, time: '11:00', scope: 'following', repeat: 'weekly', byDay: 'MO', ends: 'until', until: addDays(local(fourth).date, 7 * 6),
    }));
    expect(res.status).toBe(303);

    const old = await seriesOf(series.id);
    expect(old.endsOn).toBe(local(occurrences[2]).date);
    const kept = await occurrencesOf(series.id);
    expect(kept.map((a) => a.id)).toEqual(occurrences.slice(0, 3).map((a) => a.id));
    expect(kept.every((a) => a.title === 'Lettura' && local(a).time === '10:00')).toBe(true);

    const moved = await t.dataSource.getRepository(Activity).findOneByOrFail({ id: fourth.id });
    expect(moved.seriesId).not.toBe(series.id);
    const next = await seriesOf(moved.seriesId!);
    expect(next).toMatchObject({ startDate: local(fourth).date, startTime: '11:00', title: 'Lettura ad alta voce', rosterResidentIds: [residents[2]] });
    const following = await occurrencesOf(next.id);
    expect(following).toHaveLength(7);
    expect(following.every((a) => a.title === 'Lettura ad alta voce' && local(a).time === '11:00')).toBe(true);
    for (const a of following) expect(await rosterOf(a.id)).toEqual([residents[2]]);
    // The other helper's "this and the following" finds them by seriesId: those of the first series are untouched.
    for (const a of kept) expect(await rosterOf(a.id)).toEqual([]);
  });

  it('should change only future planned occurrences with nothing logged when the whole series is edited', async () => {
    const start = addDays(mondayOf(today()), -14);
    const { series, occurrences } = await createSeries({ title: 'Giardinaggio', date: start, repeat: 'weekly', byDay: ['FR'], ends: 'count', count: '8' });
    const now = new Date();
    const past = occurrences.filter((a) => a.startsAt <= now);
    const future = occurrences.filter((a) => a.startsAt > now);
    expect(past.length).toBeGreaterThanOrEqual(2);
    const logged = future[1];
    await t.dataSource.getRepository(Participation).insert({
      homeId: home.id, activityId: logged.id, residentId: residents[0], engagement: 'active', recordedBy: null, recordedAt: new Date(), moodBefore: null, moodAfter: null, staffNote: null, familyNote: null,
    } as Partial<Participation>);

    const res = await post(`/activities/${future[0].id}`, form({ title: 'Orto', date: local(future[0]).date, time: '15:00', scope: 'series', repeat: 'weekly', byDay: 'FR', ends: 'count', count: '8' }));
    expect(res.status).toBe(303);
    const after = new Map((await occurrencesOf(series.id)).map((a) => [a.id, a]));
    for (const a of past) expect(after.get(a.id)).toMatchObject({ title: 'Giardinaggio', startsAt: a.startsAt });
    expect(after.get(logged.id)).toMatchObject({ title: 'Giardinaggio', startsAt: logged.startsAt });
    for (const a of future.filter((f) => f.id !== logged.id)) {
      expect(after.get(a.id)).toMatchObject({ title: 'Orto' });
      expect(local(after.get(a.id)!)).toMatchObject({ date: local(a).date, time: '15:00' });
    }
  });

  it('should skip one date and move another, and keep both through the job and a whole-series edit', async () => {
    const { series, occurrences } = await createSeries({ title: 'Tombola', repeat: 'monthly', monthPosition: '-1', monthDay: 'TH', ends: 'count', count: '3' });
    expect(occurrences).toHaveLength(3);
    expect(occurrences.every((a) => local(a).weekday === 4 && addDays(local(a).date, 7).slice(5, 7) !== local(a).date.slice(5, 7))).toBe(true);
    const [first, second] = occurrences;

    expect((await post(`/activities/${first.id}/skip`, {})).status).toBe(303);
    expect(await t.dataSource.getRepository(Activity).findOneByOrFail({ id: first.id })).toMatchObject({ status: 'cancelled' });
    expect((await seriesOf(series.id)).skippedDates).toEqual([local(first).date]);

    const badMove = await post(`/activities/${second.id}/move`, { date: '2026-02-30', time: '25:00' });
    expect(badMove.status).toBe(422);
    expect(badMove.text).toContain('id="error-date"');
    expect(badMove.text).toContain('id="error-time"');
    expect(badMove.text).toContain('value="2026-02-30"');
    // Not into the past (the date could then never be moved again), nor onto a date and time the series holds.
    const intoThePast = await post(`/activities/${second.id}/move`, { date: addDays(today(), -3), time: '10:00' });
    expect(intoThePast.status).toBe(422);
    expect(intoThePast.text).toMatch(/id="error-date">Choose a date and time still to come\./);
    const ontoAnother = await post(`/activities/${second.id}/move`, { date: local(occurrences[2]).date, time: local(occurrences[2]).time });
    expect(ontoAnother.status).toBe(422);
    expect(ontoAnother.text).toMatch(/id="error-date">The series already has a date at that day and time\./);
    expect(local(await t.dataSource.getRepository(Activity).findOneByOrFail({ id: second.id }))).toEqual(local(second));
    const movedTo = addDays(local(second).date, 1);
    expect((await post(`/activities/${second.id}/move`, { date: movedTo, time: '16:30' })).status).toBe(303);
    const moved = await t.dataSource.getRepository(Activity).findOneByOrFail({ id: second.id });
    expect(local(moved)).toMatchObject({ date: movedTo, time: '16:30' });
    expect((await seriesOf(series.id)).movedOccurrences).toEqual([{ from: local(second).date, activityId: second.id }]);

    // Neither the job nor an edit of the whole series brings back the skipped date or moves the moved one back.
    await t.get(SeriesJob).extend(new Date(Date.now() + 200 * DAY_MS));
    const res = await post(`/activities/${occurrences[2].id}`, form({
      title: 'Tombola di fine mese', date: local(occurrences[2]).date, time: '10:00', scope: 'series', repeat: 'monthly', monthPosition: '-1', monthDay: 'TH', ends: 'count', count: '3',
    }));
    expect(res.status).toBe(303);
    const after = await occurrencesOf(series.id);
    expect(after).toHaveLength(3);
    expect(after.find((a) => a.id === first.id)).toMatchObject({ status: 'cancelled' });
    expect(local(after.find((a) => a.id === second.id)!)).toMatchObject({ date: movedTo, time: '16:30' });
    expect(after.find((a) => a.id === second.id)).toMatchObject({ title: 'Tombola di fine mese' });

    // A date with attendance logged is neither skipped nor moved.
    await t.dataSource.getRepository(Participation).insert({
      homeId: home.id, activityId: occurrences[2].id, residentId: residents[1], engagement: 'active', recordedBy: null, recordedAt: new Date(), moodBefore: null, moodAfter: null, staffNote: null, familyNote: null,
    } as Partial<Participation>);
    const refused = await post(`/activities/${occurrences[2].id}/skip`, {});
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Only a planned date with no attendance logged can be skipped or moved.');
  });

  it('should take a resident who leaves the home off the planned activities after they left: series, one-off dates and waiting lists, keeping what came before', async () => {
    const leaver = (await createResident(t, home.id, { firstName: 'Lea', lastName: 'Partente' })).id;
    const waiting = (await createResident(t, home.id, { firstName: 'Wally', lastName: 'Attesa' })).id;
    const stays = residents[1];
    const { series, occurrences } = await createSeries({ title: 'Coro del mercoledì', repeat: 'weekly', byDay: ['WE'], ends: 'until', until: addDays(nextMonday(), 7 * 30), residentIds: [leaver, stays] });
    const at = (daysFromToday: number) => localToUtc(addDays(today(), daysFromToday), '15:00', ZONE);
    const tomorrow = await createActivity(t, home.id, { title: 'Tombola', startsAt: at(1), capacity: 1, residentIds: [leaver] });
    await addToRoster(tomorrow.id, [waiting]);
    const afterLeaving = await createActivity(t, home.id, { title: 'Dopo la partenza', startsAt: at(-1), residentIds: [leaver] });
    const beforeLeaving = await createActivity(t, home.id, { title: 'Prima della partenza', startsAt: at(-4), residentIds: [leaver] });
    const held = await createActivity(t, home.id, { title: 'Tenuta', startsAt: at(-1), status: 'completed', completedAt: at(-1), residentIds: [leaver] });
    // A date skipped before they left, restored after: they must not come back on it, and the one waiting moves up.
    const skipped = await createActivity(t, home.id, { title: 'Saltata', startsAt: at(3), capacity: 1, residentIds: [leaver] });
    await addToRoster(skipped.id, [waiting]);
    expect((await post(`/activities/${skipped.id}/cancel`, { reason: 'Sala occupata' })).status).toBe(303);

    const leftOn = addDays(today(), -2);
    const res = await post(`/residents/${leaver}/discharge`, { outcome: 'discharged', leftOn });
    expect(res.status).toBe(303);
    const page = await coordinator.get(String(res.headers.location)).expect(200);
    expect(page.text).toContain('Discharge recorded.');
    expect(page.text).toContain(`Their places on ${occurrences.length + 3} planned activities have been freed.`);
    expect((await post(`/activities/${skipped.id}/restore`, {})).status).toBe(303);
    expect(await rosterOf(skipped.id)).toEqual([waiting]);

    for (const a of occurrences) expect(await rosterOf(a.id)).toEqual([stays]);
    expect((await seriesOf(series.id)).rosterResidentIds).toEqual([stays]);
    // The place freed tomorrow goes to the first waiting.
    expect(await rosterOf(tomorrow.id)).toEqual([waiting]);
    expect(await t.dataSource.getRepository(WaitlistEntry).countBy({ activityId: tomorrow.id })).toBe(0);
    expect(await rosterOf(afterLeaving.id)).toEqual([]);
    // Before they left, or already held: their place stays where it was.
    expect(await rosterOf(beforeLeaving.id)).toEqual([leaver]);
    expect(await rosterOf(held.id)).toEqual([leaver]);
    // New dates of the series never invite them again.
    const before = occurrences.length;
    await t.get(SeriesJob).extend(new Date(Date.now() + 21 * DAY_MS));
    const now = await occurrencesOf(series.id);
    expect(now.length).toBeGreaterThan(before);
    for (const a of now) expect(await rosterOf(a.id)).toEqual([stays]);
  });

  describe('bad input answers a field error, and stores nothing', () => {
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      ['no weekday ticked for weekly', { repeat: 'weekly', ends: 'count', count: '4' }, 'byDay', /Tick at least one day/],
      ['every 0 weeks', { repeat: 'weekly', byDay: 'MO', interval: '0', ends: 'count', count: '4' }, 'interval', /Enter 1 or more/],
      ['an end before the start', { repeat: 'weekly', byDay: 'MO', ends: 'until', until: '2020-01-01' }, 'until', /The last date is before the first/],
      ['more than 500 dates', { repeat: 'weekly', byDay: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], ends: 'count', count: '600' }, 'count', /at most 500 dates/],
      ['more than two years', { repeat: 'monthly', monthPosition: '1', monthDay: 'MO', ends: 'count', count: '30' }, 'count', /at most 2 years/],
      ['0 times', { repeat: 'weekly', byDay: 'MO', ends: 'count', count: '0' }, 'count', /Enter 1 or more/],
    ];
    it.each(cases)('should refuse %s', async (_name, rule, field, message) => {
      const title = `Rifiutata ${field} ${Math.random()}`;
      const res = await post('/activities', form({ title, ...rule }));
      expect(res.status).toBe(422);
      expect(res.text).toMatch(new RegExp(`id="error-${field}">[^<]*${message.source}`));
      expect(res.text).toContain(`value="${title}"`);
      expect(await t.dataSource.getRepository(Activity).countBy({ title })).toBe(0);
      expect(await t.dataSource.getRepository(ActivitySeries).countBy({ title })).toBe(0);
    });

    it('should refuse a bad rule on a series edit beside its field, changing nothing', async () => {
      const { series, occurrences } = await createSeries({ title: 'Da non rompere', repeat: 'weekly', byDay: ['TU'], ends: 'count', count: '4' });
      const res = await post(`/activities/${occurrences[0].id}`, form({ title: 'Rotta', date: local(occurrences[0]).date, scope: 'series', repeat: 'weekly', ends: 'count', count: '4' }));
      expect(res.status).toBe(422);
      expect(res.text).toContain('id="error-byDay"');
      expect(await t.dataSource.getRepository(Activity).countBy({ id: In(occurrences.map((a) => a.id)), title: 'Da non rompere' })).toBe(4);
      expect((await seriesOf(series.id)).title).toBe('Da non rompere');
    });
  });
});
