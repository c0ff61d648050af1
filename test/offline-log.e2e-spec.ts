import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { SessionRecord } from '../src/auth/entities/session.entity';
import { Participation } from '../src/activities/entities/participation.entity';
import { translate } from '../src/common/i18n/i18n';
import { createActivity } from './support/activity-factories';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, apiSignIn, csrfFrom, signIn } from './support/http';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Issue 15 items 2 and 3 on the server: the later tap of a resident wins and the other is answered as a
 * conflict, never dropped silently; GET /api/session keeps a tapping carer's session alive; a page asked
 * for after the session ended leads to a sign-in page that says why and returns to the page.
 */
describe('Offline log: conflict rule, session keep-alive, sign-in after expiry', () => {
  let t: TestApp;
  let homeId: string;
  let anna: TestUser;
  let bea: TestUser;
  let residents: string[];

  beforeAll(async () => {
    t = await createTestApp();
    homeId = (await createHome(t)).id;
    anna = await createUser(t, { role: 'carer', homeIds: [homeId], displayName: 'Anna Carer' });
    bea = await createUser(t, { role: 'carer', homeIds: [homeId], displayName: 'Bea Carer' });
    residents = [];
    for (let i = 0; i < 3; i += 1) residents.push((await createResident(t, homeId)).id);
  });

  afterAll(async () => {
    await t.close();
  });

  const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
  const put = (client: { agent: Agent; csrfToken: string }, activityId: string, body: object, key = randomUUID()) =>
    client.agent.put(`/api/activities/${activityId}/participation`).set('X-CSRF-Token', client.csrfToken).set('Idempotency-Key', key).send(body);
  const stored = (activityId: string) => t.dataSource.getRepository(Participation).find({ where: { activityId }, order: { residentId: 'ASC' } });

  it('should keep the later tap and answer the older one as a conflict naming who made the kept tap', async () => {
    const activity = await createActivity(t, homeId, { residentIds: residents });
    const annaClient = await apiSignIn(t, anna.email, anna.password);
    const beaClient = await apiSignIn(t, bea.email, bea.password);
    const beaTap = minutesAgo(2);
    // Bea's tablet reconnects first with her later tap; Anna's, offline longer, sends her earlier one.
    const first = await put(beaClient, activity.id, { entries: [{ residentId: residents[0], engagement: 'passive', tappedAt: beaTap }] }).expect(200);
    expect(first.body.conflicts).toEqual([]);
    const auditBefore = await t.dataSource.getRepository(AuditEntry).countBy({ entityType: 'participation', entityId: activity.id });
    const annaTap = minutesAgo(10);
    const second = await put(annaClient, activity.id, {
      entries: [{ residentId: residents[0], engagement: 'active', tappedAt: annaTap }, { residentId: residents[1], engagement: 'declined', tappedAt: annaTap }],
    }).expect(200);
    expect(second.body.saved).toBe(1);
    expect(second.body.conflicts).toEqual([
      { residentId: residents[0], kept: { engagement: 'passive', tappedAt: beaTap, recordedBy: 'Bea Carer' }, yours: { engagement: 'active', tappedAt: annaTap } },
    ]);
    const rows = await stored(activity.id);
    const byResident = new Map(rows.map((r) => [r.residentId, r]));
    expect(byResident.get(residents[0])).toMatchObject({ engagement: 'passive', recordedBy: bea.id });
    expect(byResident.get(residents[0])!.tappedAt!.toISOString()).toBe(beaTap);
    expect(byResident.get(residents[1])).toMatchObject({ engagement: 'declined', recordedBy: anna.id });
    // One audit entry for the one write, naming only what was written.
    const audits = await t.dataSource.getRepository(AuditEntry).find({ where: { entityType: 'participation', entityId: activity.id }, order: { seq: 'ASC' } });
    expect(audits.length).toBe(auditBefore + 1);
    expect(Object.keys(audits[audits.length - 1].changes ?? {})).toEqual([`${residents[1]}.engagement`]);
  });

  it('should write a newer tap over an older one, and clamp a tap from the future to the server\'s now', async () => {
    const activity = await createActivity(t, homeId, { residentIds: residents });
    const annaClient = await apiSignIn(t, anna.email, anna.password);
    await put(annaClient, activity.id, { entries: [{ residentId: residents[0], engagement: 'active', tappedAt: minutesAgo(10) }] }).expect(200);
    const newer = await put(annaClient, activity.id, { entries: [{ residentId: residents[0], engagement: 'absent', tappedAt: minutesAgo(1) }] }).expect(200);
    expect(newer.body).toMatchObject({ saved: 1, conflicts: [] });
    const before = Date.now();
    const future = await put(annaClient, activity.id, { entries: [{ residentId: residents[0], engagement: 'declined', tappedAt: new Date(Date.now() + 3_600_000).toISOString() }] }).expect(200);
    expect(future.body).toMatchObject({ saved: 1, conflicts: [] });
    const [row] = await stored(activity.id);
    expect(row.engagement).toBe('declined');
    expect(row.tappedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(row.tappedAt!.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('should answer a replayed offline save with the first answer, conflicts included, and write once', async () => {
    const activity = await createActivity(t, homeId, { residentIds: residents });
    const beaClient = await apiSignIn(t, bea.email, bea.password);
    const annaClient = await apiSignIn(t, anna.email, anna.password);
    await put(beaClient, activity.id, { entries: [{ residentId: residents[0], engagement: 'passive', tappedAt: minutesAgo(1) }] }).expect(200);
    const key = randomUUID();
    const body = { entries: [{ residentId: residents[0], engagement: 'active', tappedAt: minutesAgo(5) }, { residentId: residents[2], engagement: 'active', tappedAt: minutesAgo(5) }] };
    const first = await put(annaClient, activity.id, body, key).expect(200);
    expect(first.body.conflicts).toHaveLength(1);
    const auditBefore = await t.dataSource.getRepository(AuditEntry).count();
    const replay = await put(annaClient, activity.id, body, key).expect(200);
    expect(replay.body).toEqual(first.body);
    expect(await t.dataSource.getRepository(AuditEntry).count()).toBe(auditBefore);
    expect((await stored(activity.id)).map((r) => r.engagement).sort()).toEqual(['active', 'passive']);
  });

  it('should let the tablet form (no tap times) write as before: the save\'s time is the tap\'s', async () => {
    const activity = await createActivity(t, homeId, { residentIds: residents.slice(0, 1) });
    const beaClient = await apiSignIn(t, bea.email, bea.password);
    await put(beaClient, activity.id, { entries: [{ residentId: residents[0], engagement: 'passive', tappedAt: minutesAgo(1) }] }).expect(200);
    const agent = await signIn(t, anna.email, anna.password);
    const token = csrfFrom((await agent.get(`/activities/${activity.id}/log`).expect(200)).text);
    await agent.post(`/activities/${activity.id}/log`).type('form')
      .send(`_csrf=${token}&residentId=${residents[0]}&engagement=absent&moodBefore=&moodAfter=&familyNote=&staffNote=`).expect(303);
    const [row] = await stored(activity.id);
    expect(row).toMatchObject({ engagement: 'absent', recordedBy: anna.id });
    expect(row.tappedAt!.getTime()).toBe(row.recordedAt.getTime());
  });

  it('should refuse a tap time that is not an instant, naming the field', async () => {
    const activity = await createActivity(t, homeId, { residentIds: residents.slice(0, 1) });
    const annaClient = await apiSignIn(t, anna.email, anna.password);
    const res = await put(annaClient, activity.id, { entries: [{ residentId: residents[0], engagement: 'active', tappedAt: 'yesterday' }] });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.fields)).toEqual(['entries.0.tappedAt']);
  });

  it('should answer GET /api/session with the user and a CSRF token that works, 401 signed out', async () => {
    await request(t.server).get('/api/session').expect(401);
    const { agent } = await apiSignIn(t, anna.email, anna.password);
    const res = await agent.get('/api/session').expect(200);
    expect(res.body).toEqual({ user: { id: anna.id, displayName: 'Anna Carer', role: 'carer' }, csrfToken: expect.any(String) });
    const activity = await createActivity(t, homeId, { residentIds: residents.slice(0, 1) });
    await put({ agent, csrfToken: res.body.csrfToken }, activity.id, { entries: [{ residentId: residents[0], engagement: 'active' }] }).expect(200);
  });

  it('should move the session\'s idle expiry on when the tablet asks GET /api/session', async () => {
    const { agent } = await apiSignIn(t, bea.email, bea.password);
    const sessions = t.dataSource.getRepository(SessionRecord);
    const [session] = await sessions.find({ where: { userId: bea.id }, order: { expiresAt: 'DESC' }, take: 1 });
    // 25 minutes later, with 5 of the 30 idle minutes left, the carer taps.
    const later = Date.now() + 25 * 60_000;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => later);
    try {
      await agent.get('/api/session').expect(200);
    } finally {
      clock.mockRestore();
    }
    const touched = await sessions.findOneByOrFail({ sid: session.sid });
    expect(touched.expiresAt.getTime()).toBeGreaterThan(session.expiresAt.getTime() + 20 * 60_000);
  });

  it('should send a page asked for after the session ended to a sign-in page that says why, then back to the page', async () => {
    const agent = await signIn(t, anna.email, anna.password);
    const activity = await createActivity(t, homeId, { residentIds: residents.slice(0, 1) });
    await t.dataSource.getRepository(SessionRecord).delete({ userId: anna.id });
    const path = `/activities/${activity.id}/log`;
    const res = await agent.get(path).expect(303);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(path)}&reason=expired`);
    const login = await agent.get(res.headers.location).expect(200);
    expect(login.text).toContain(translate('en', 'auth.sessionEndedExpired').replace(/'/g, '&#x27;'));
    expect(login.text).toContain(`name="next" value="${path}"`);
    const signedIn = await agent.post('/login').type('form').send({ _csrf: csrfFrom(login.text), email: anna.email, password: anna.password, next: path }).expect(303);
    expect(signedIn.headers.location).toBe(path);
    // A first visit, with no session cookie, is not told that a session ended.
    const fresh = await request(t.server).get(path).expect(303);
    expect(fresh.headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);
  });

  it.each(['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)'])('should refuse to return to %s after sign-in, going to the role\'s home instead', async (next) => {
    const agent = request.agent(t.server);
    const login = await agent.get(`/login?next=${encodeURIComponent(next)}`).expect(200);
    expect(login.text).toContain('name="next" value=""');
    const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(login.text), email: anna.email, password: anna.password, next }).expect(303);
    expect(res.headers.location).toBe('/');
  });
});
