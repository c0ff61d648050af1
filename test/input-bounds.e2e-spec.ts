import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { HelpOffer } from '../src/activities/entities/help-offer.entity';
import { Participation } from '../src/activities/entities/participation.entity';
import { User } from '../src/auth/entities/user.entity';
import { Contribution } from '../src/contributions/entities/contribution.entity';
import { Activity } from '../src/activities/entities/activity.entity';
import { ActivitySeries } from '../src/activities/entities/activity-series.entity';
import { ActivityPlan } from '../src/plans/entities/activity-plan.entity';
import { Resident } from '../src/residents/entities/resident.entity';
import { createActivityType } from './support/activity-factories';
import { createPlan } from './support/plan-factories';
import { createActivity } from './support/activity-factories';
import { Agent } from './support/http';
import { createHome, createUser, TestUser } from './support/factories';
import { apiSignIn, formToken, sessionCookie, signIn } from './support/http';
import { createVolunteer } from './support/people-factories';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';
import { createHelpOffer } from './support/voice-factories';

/*
 * Issue 17, findings 3, 4, 5, 6 and 8: bodies bounded before parsing, the API's JSON-only rule for
 * every framing, dates bounded to 1900–2200, replays that re-check access, and erased or discharged
 * residents refused in new records. Each test is named by its OWASP ASVS 5.0 requirement.
 */

/** A raw request with a chunked body (no Content-Length), as supertest cannot send one. */
function sendChunked(
  t: TestApp, method: string, path: string, headers: Record<string, string>, chunks: string[],
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const server = t.server as http.Server;
    const listening = server.listening ? Promise.resolve() : new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    void listening.then(() => {
      const { port } = server.address() as AddressInfo;
      const req = http.request({ host: '127.0.0.1', port, method, path, headers: { ...headers, 'Transfer-Encoding': 'chunked' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      // A refusal may come, and the socket close, before every chunk is written.
      req.on('error', reject);
      for (const chunk of chunks) req.write(chunk);
      req.end();
    }, reject);
  });
}

/** The residents a log page offers a tile for. */
function tilesOf(html: string): string[] {
  return [...html.replace(/<template[\s\S]*?<\/template>/g, '').matchAll(/<li class="log-tile"[^>]*>\s*<input type="hidden" name="residentId" value="([^"]+)">/g)].map((m) => m[1]);
}

const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('Input bounds (issue 17)', () => {
  let t: TestApp;
  let homeId: string;
  let carer: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    homeId = (await createHome(t)).id;
    carer = await createUser(t, { role: 'carer', homeIds: [homeId] });
  });

  afterAll(async () => {
    if (t.server.listening) await new Promise((ok) => t.server.close(ok));
    await t.close();
  });

  describe('bodies, before parsing', () => {
    it('ASVS 5.0 V2.2.1: a JSON body nested 40,000 deep to sign-in is refused with 400 naming the nesting, not 500', async () => {
      const res = await request(t.server).post('/api/auth/login').set('Content-Type', 'application/json').send(`{"email":${deep(40_000)},"password":"x"}`);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/nest/i);
      expect(sessionCookie(res.headers['set-cookie'])).toBeUndefined();
    });

    it('ASVS 5.0 V2.2.1: deep JSON to the participation API is refused with 400, the activity unchanged', async () => {
      const resident = await createResident(t, homeId);
      const activity = await createActivity(t, homeId, { residentIds: [resident.id] });
      const { agent, csrfToken } = await apiSignIn(t, carer.email, carer.password);
      const body = `{"entries":[{"residentId":"${resident.id}","engagement":"active","staffNote":${deep(33)}}]}`;
      const res = await agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', `deep-${Date.now()}`)
        .set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/32/);
      const log = await agent.get(`/api/activities/${activity.id}`).expect(200);
      expect(log.body.participation ?? []).toEqual([]);
    });

    it('ASVS 5.0 V2.2.1: nesting inside strings does not count, and 32 levels are accepted', async () => {
      const res = await request(t.server).post('/api/auth/login').set('Content-Type', 'application/json')
        .send(`{"email":"${'[{'.repeat(500)}\\"[","password":"x"}`);
      expect(res.status).not.toBe(400);
      expect(res.status).toBeLessThan(500);
      const ok = await request(t.server).post('/api/auth/login').set('Content-Type', 'application/json').send(`{"email":${deep(31)},"password":"x"}`);
      // 32 levels with the outer object: parsed, then refused by the DTO as not an e-mail address.
      expect(ok.status).toBe(422);
      expect(ok.body.fields).toHaveProperty('email');
    });

    it('ASVS 5.0 V2.2.1: a chunked deep JSON body is refused with 400 as well', async () => {
      const res = await sendChunked(t, 'POST', '/api/auth/login', { 'Content-Type': 'application/json' }, ['{"email":', '['.repeat(20_000), '['.repeat(20_000), ']'.repeat(40_000), ',"password":"x"}']);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).message).toMatch(/nest/i);
    });

    it('ASVS 5.0 V2.2.1: an oversize chunked body is refused with 413, whatever the framing', async () => {
      const res = await sendChunked(t, 'POST', '/api/auth/login', { 'Content-Type': 'application/json' }, ['{"email":"', ...Array.from({ length: 30 }, () => 'a'.repeat(10_000)), '"}']);
      expect(res.status).toBe(413);
    });

    it('ASVS 5.0 V3.5.1: a chunked form body to the API sign-in is refused with 415 and starts no session', async () => {
      const res = await sendChunked(t, 'POST', '/api/auth/login', { 'Content-Type': 'application/x-www-form-urlencoded' }, [`email=${encodeURIComponent(carer.email)}&`, `password=${encodeURIComponent(carer.password)}`]);
      expect(res.status).toBe(415);
      expect(sessionCookie(res.headers['set-cookie'])).toBeUndefined();
    });

    it('ASVS 5.0 V3.5.1: a chunked body with no Content-Type to the API is refused with 415', async () => {
      const res = await sendChunked(t, 'POST', '/api/auth/login', {}, [`{"email":"${carer.email}","password":"${carer.password}"}`]);
      expect(res.status).toBe(415);
      expect(sessionCookie(res.headers['set-cookie'])).toBeUndefined();
    });
  });

  describe('replays re-check access', () => {
    it('ASVS 5.0 V8.2.2: a volunteer whose offer was declined replays their Idempotency-Key and gets the same 404 as a fresh request, no rows', async () => {
      const residents = await Promise.all(Array.from({ length: 11 }, () => createResident(t, homeId, { consentVolunteerProfile: true })));
      const volunteer = await createVolunteer(t, homeId);
      const user = await createUser(t, { role: 'volunteer', homeIds: [homeId], personKind: 'volunteer', personId: volunteer.id });
      const activity = await createActivity(t, homeId, { residentIds: residents.map((r) => r.id) });
      const offer = await createHelpOffer(t, activity, { volunteerId: volunteer.id });
      const { agent, csrfToken } = await apiSignIn(t, user.email, user.password);
      const key = randomUUID();
      const body = { entries: residents.map((r) => ({ residentId: r.id, engagement: 'active' })) };
      const put = (idempotencyKey: string) => agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', idempotencyKey).send(body);
      const first = await put(key).expect(200);
      expect(first.body.participation).toHaveLength(11);
      expect((await put(key).expect(200)).body).toEqual(first.body);

      await t.dataSource.getRepository(HelpOffer).update({ id: offer.id }, { status: 'declined' });
      const fresh = await put(randomUUID());
      const replay = await put(key);
      expect((await agent.get(`/api/activities/${activity.id}`)).status).toBe(404);
      expect(fresh.status).toBe(404);
      expect(replay.status).toBe(fresh.status);
      expect(replay.body).toEqual(fresh.body);
      expect(replay.body).not.toHaveProperty('participation');
      expect(JSON.stringify(replay.body)).not.toContain(residents[0].id);
    });

    it('ASVS 5.0 V8.2.2: a replayed contribution is refused once the user may no longer record contributions', async () => {
      const resident = await createResident(t, homeId);
      const activity = await createActivity(t, homeId, { residentIds: [resident.id] });
      const user = await createUser(t, { role: 'carer', homeIds: [homeId] });
      const { agent, csrfToken } = await apiSignIn(t, user.email, user.password);
      const key = randomUUID();
      const body = { phase: 'co_delivery', actorType: 'resident', personId: resident.id, minutes: 30 };
      const post = () => agent.post(`/api/activities/${activity.id}/contributions`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', key).send(body);
      const first = await post().expect(201);
      expect(first.body.personId).toBe(resident.id);

      await t.dataSource.getRepository(User).update({ id: user.id }, { role: 'volunteer' });
      const fresh = await agent.post(`/api/activities/${activity.id}/contributions`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', randomUUID()).send(body);
      const replay = await post();
      expect(replay.status).toBe(fresh.status);
      expect([403, 404]).toContain(replay.status);
      expect(replay.body).not.toHaveProperty('personId');
    });
  });

  describe('erased and discharged residents', () => {
    let manager: TestUser;

    beforeAll(async () => {
      manager = await createUser(t, { role: 'manager', homeIds: [homeId] });
    });

    const closedResidents = async () => {
      const current = await createResident(t, homeId);
      const discharged = await createResident(t, homeId, { status: 'discharged', leftOn: '2026-01-10', preferredName: 'Nonna Pina' });
      const erased = await createResident(t, homeId, { status: 'deceased', leftOn: '2025-06-01', erasedAt: new Date(), firstName: 'Erased' });
      return { current, discharged, erased };
    };

    it('ASVS 5.0 V2.2.3: participation for an erased or a discharged resident is refused with 422 naming the entry and the reason; earlier rows stay readable', async () => {
      const { current, discharged, erased } = await closedResidents();
      const activity = await createActivity(t, homeId, { residentIds: [current.id, discharged.id, erased.id] });
      await t.dataSource.getRepository(Participation).insert({
        homeId, activityId: activity.id, residentId: discharged.id, engagement: 'active', moodBefore: null, moodAfter: null, staffNote: 'Sang along', familyNote: null, recordedBy: null, recordedAt: new Date(),
      });
      const { agent, csrfToken } = await apiSignIn(t, carer.email, carer.password);
      const put = (entries: object[]) => agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', randomUUID()).send({ entries });

      const dischargedRes = await put([{ residentId: current.id, engagement: 'active' }, { residentId: discharged.id, engagement: 'passive', staffNote: 'A new note' }]);
      expect(dischargedRes.status).toBe(422);
      expect(dischargedRes.body.fields['entries.1.residentId']).toMatch(/Nonna Pina has been discharged/);
      const erasedRes = await put([{ residentId: erased.id, engagement: 'active' }]);
      expect(erasedRes.status).toBe(422);
      expect(erasedRes.body.fields['entries.0.residentId']).toMatch(/erased/);

      const rows = await t.dataSource.getRepository(Participation).findBy({ activityId: activity.id });
      expect(rows.map((r) => [r.residentId, r.staffNote])).toEqual([[discharged.id, 'Sang along']]);
      const log = await agent.get(`/api/activities/${activity.id}`).expect(200);
      expect(log.body.participation.map((p: { residentId: string }) => p.residentId)).toEqual([discharged.id]);
      await put([{ residentId: current.id, engagement: 'active' }]).expect(200);
    });

    it('ASVS 5.0 V2.2.3: the log page offers no tile for them, and its form refuses them beside the field', async () => {
      const { current, discharged, erased } = await closedResidents();
      const activity = await createActivity(t, homeId, { residentIds: [current.id, discharged.id, erased.id] });
      const agent = await signIn(t, carer.email, carer.password);
      const page = await agent.get(`/activities/${activity.id}/log`).expect(200);
      expect(tilesOf(page.text)).toEqual([current.id]);
      const token = await formToken(agent, `/activities/${activity.id}/log`);
      const res = await agent.post(`/activities/${activity.id}/log`).type('form').send(`_csrf=${token}&residentId=${discharged.id}&engagement=active`);
      expect(res.status).toBe(422);
      expect(res.text).toContain('has been discharged');
      expect(await t.dataSource.getRepository(Participation).countBy({ activityId: activity.id })).toBe(0);
    });

    it('ASVS 5.0 V2.2.3: contributions naming an erased or a discharged resident are refused with 422 on personId', async () => {
      const { current, discharged, erased } = await closedResidents();
      const activity = await createActivity(t, homeId, { residentIds: [current.id] });
      const { agent, csrfToken } = await apiSignIn(t, manager.email, manager.password);
      const post = (personId: string) => agent.post(`/api/activities/${activity.id}/contributions`).set('X-CSRF-Token', csrfToken)
        .send({ phase: 'co_delivery', actorType: 'resident', personId, minutes: 20 });
      const a = await post(discharged.id);
      expect(a.status).toBe(422);
      expect(a.body.fields.personId).toMatch(/discharged/);
      const b = await post(erased.id);
      expect(b.status).toBe(422);
      expect(b.body.fields.personId).toMatch(/erased/);
      expect(await t.dataSource.getRepository(Contribution).countBy({ activityId: activity.id })).toBe(0);
      await post(current.id).expect(201);
    });
  });

  describe('dates between 1900 and 2200', () => {
    let manager: TestUser;
    let agent: Agent;
    const BAD = ['1899-12-31', '2201-01-01', '9999-12-27'];
    const RANGE = /between 1 January 1900 and 31 December 2200/;

    beforeAll(async () => {
      manager = await createUser(t, { role: 'manager', homeIds: [homeId] });
      agent = await signIn(t, manager.email, manager.password);
    });

    const post = async (page: string, url: string, body: Record<string, unknown>) => {
      const token = await formToken(agent, page);
      return agent.post(url).type('form').send({ _csrf: token, ...body });
    };

    it.each(BAD)('ASVS 5.0 V2.2.1: the calendar page, its PDF and the tablet API refuse %s with 422 naming the date, never 500', async (date) => {
      for (const path of [`/calendar?view=week&date=${date}`, `/calendar?view=month&date=${date}`, `/calendar.pdf?view=week&date=${date}`, `/calendar.pdf?view=month&date=${date}`]) {
        const res = await agent.get(path);
        expect({ path, status: res.status }).toEqual({ path, status: 422 });
        expect(res.text).toMatch(RANGE);
      }
      const { agent: api } = await apiSignIn(t, manager.email, manager.password);
      const res = await api.get(`/api/activities?date=${date}`);
      expect(res.status).toBe(422);
      expect(res.body.fields.date).toMatch(RANGE);
    });

    it('ASVS 5.0 V2.2.1: the calendar takes the first and last days within the bounds', async () => {
      await agent.get('/calendar?view=week&date=1900-01-01').expect(200);
      await agent.get('/calendar?view=month&date=2200-12-31').expect(200);
      const pdf = await agent.get('/calendar.pdf?view=month&date=2200-12-31');
      expect(pdf.status).toBe(200);
    });

    it.each(['1899-Q4', '2201-Q1', '9999-Q4'])('ASVS 5.0 V2.2.1: the quarterly report refuses quarter %s with 422 naming the quarter', async (quarter) => {
      for (const path of [`/reports/quarterly?homeId=${homeId}&quarter=${quarter}`, `/reports/quarterly.pdf?homeId=${homeId}&quarter=${quarter}`, `/reports/quarterly.csv?homeId=${homeId}&quarter=${quarter}&table=figures`]) {
        const res = await agent.get(path);
        expect({ path, status: res.status }).toEqual({ path, status: 422 });
        expect(res.text).toMatch(RANGE);
      }
    });

    it.each(BAD)('ASVS 5.0 V2.2.1: an activity dated %s is refused, the form shown again with the error beside the date', async (date) => {
      const typeId = (await createActivityType(t, homeId)).id;
      const title = `Out of bounds ${date}`;
      const res = await post('/activities/new', '/activities', { activityTypeId: typeId, title, date, time: '10:00', durationMinutes: 60, location: 'Salone' });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(new RegExp(`id="error-date">Enter a date between 1 January 1900 and 31 December 2200`));
      expect(res.text).toContain(`value="${title}"`);
      expect(await t.dataSource.getRepository(Activity).countBy({ title })).toBe(0);
    });

    it('ASVS 5.0 V2.2.1: a weekly series from 2199-12-31 stores nothing past 2200; one that would run past it is refused', async () => {
      const typeId = (await createActivityType(t, homeId)).id;
      const long = await post('/activities/new', '/activities', { activityTypeId: typeId, title: 'Series too long', date: '2200-06-01', time: '10:00', durationMinutes: 60, location: 'Salone', repeat: 'weekly', byDay: 'TU', ends: 'count', count: 52 });
      expect(long.status).toBe(422);
      expect(long.text).toMatch(/id="error-count">The series would run past 31 December 2200/);
      expect(await t.dataSource.getRepository(Activity).countBy({ title: 'Series too long' })).toBe(0);
      const fits = await post('/activities/new', '/activities', { activityTypeId: typeId, title: 'Series that fits', date: '2199-12-31', time: '10:00', durationMinutes: 60, location: 'Salone', repeat: 'weekly', byDay: 'TU', ends: 'count', count: 52 });
      expect(fits.status).toBe(303);
      // Occurrences are materialised 12 weeks ahead of today (at least the first): the rest come later, by the daily job.
      const stored = await t.dataSource.getRepository(Activity).findBy({ title: 'Series that fits' });
      expect(stored.length).toBeGreaterThanOrEqual(1);
      const [series] = await t.dataSource.getRepository(ActivitySeries).findBy({ id: stored[0].seriesId! });
      expect(series.endsOn <= '2200-12-31').toBe(true);
      expect(Math.max(...stored.map((a) => a.startsAt.getTime()))).toBeLessThan(Date.UTC(2201, 0, 1));
      expect(Math.min(...stored.map((a) => a.startsAt.getUTCFullYear()))).toBe(2199);
    });

    it('ASVS 5.0 V2.2.1: a birth date in 1899 is refused beside the field; 1900 is accepted', async () => {
      const form = { firstName: 'Bounded', lastName: 'Birth1899', admittedOn: '2025-03-01', weeklyActivityTarget: '4' };
      const old = await post('/residents/new', '/residents', { ...form, dateOfBirth: '1899-12-31' });
      expect(old.status).toBe(422);
      expect(old.text).toMatch(/id="error-dateOfBirth">Enter a date between 1 January 1900 and 31 December 2200/);
      const far = await post('/residents/new', '/residents', { ...form, admittedOn: '9999-12-31' });
      expect(far.status).toBe(422);
      expect(far.text).toMatch(/id="error-admittedOn">Enter a date between/);
      expect(await t.dataSource.getRepository(Resident).countBy({ lastName: 'Birth1899' })).toBe(0);
      expect((await post('/residents/new', '/residents', { ...form, lastName: 'Birth1900', dateOfBirth: '1900-01-01' })).status).toBe(303);
    });

    it('ASVS 5.0 V2.2.1: a plan review dated or due past the bounds is refused naming the field, nothing stored', async () => {
      const resident = await createResident(t, homeId);
      const { plan } = await createPlan(t, resident);
      const base = `/residents/${resident.id}/plan`;
      const review = (body: Record<string, unknown>) => post(`${base}/${plan.id}/review`, `${base}/${plan.id}/review`, { residentTookPart: 'on', minutes: '30', notes: 'ok', ...body });
      const due = await review({ reviewedOn: '2026-02-01', nextReviewOn: '2201-01-01' });
      expect(due.status).toBe(422);
      expect(due.text).toMatch(/id="error-nextReviewOn">Enter a date between/);
      const held = await review({ reviewedOn: '1899-06-01', nextReviewOn: '' });
      expect(held.status).toBe(422);
      expect(held.text).toMatch(/id="error-reviewedOn">Enter a date between/);
      expect((await t.dataSource.getRepository(ActivityPlan).findOneByOrFail({ id: plan.id })).nextReviewOn).toBe('2099-07-15');
    });

    it.each(BAD)('ASVS 5.0 V2.2.1: a programme-wide contribution dated %s is refused with the error beside the date', async (date) => {
      const resident = await createResident(t, homeId);
      const res = await post('/contributions', '/contributions', { homeId, date, phase: 'co_delivery', actorType: 'resident', personId: resident.id, minutes: '20' });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(RANGE);
      expect(await t.dataSource.getRepository(Contribution).countBy({ residentId: resident.id })).toBe(0);
      expect((await agent.get(`/contributions?homeId=${homeId}&from=${date}&to=2200-12-31`)).status).toBe(422);
    });

    it('ASVS 5.0 V2.2.1: a tablet tap time in 9999 is refused naming the entry field', async () => {
      const resident = await createResident(t, homeId);
      const activity = await createActivity(t, homeId, { residentIds: [resident.id] });
      const { agent: api, csrfToken } = await apiSignIn(t, manager.email, manager.password);
      const res = await api.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', randomUUID())
        .send({ entries: [{ residentId: resident.id, engagement: 'active', tappedAt: '9999-12-31T10:00:00Z' }] });
      expect(res.status).toBe(422);
      expect(res.body.fields['entries.0.tappedAt']).toMatch(RANGE);
    });
  });
});
