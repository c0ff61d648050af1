import { randomUUID } from 'node:crypto';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { Activity } from '../src/activities/entities/activity.entity';
import { Participation } from '../src/activities/entities/participation.entity';
import { translate } from '../src/common/i18n/i18n';
import { Contribution } from '../src/contributions/entities/contribution.entity';
import { createActivity } from './support/activity-factories';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, apiSignIn, formToken, signIn } from './support/http';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';

describe('Logging participation (tablet page and API)', () => {
  let t: TestApp;
  let homeId: string;
  let carer: TestUser;
  let carerAgent: Agent;
  let residents: string[];

  beforeAll(async () => {
    t = await createTestApp();
    homeId = (await createHome(t)).id;
    carer = await createUser(t, { role: 'carer', homeIds: [homeId] });
    carerAgent = await signIn(t, carer.email, carer.password);
    residents = [];
    for (let i = 0; i < 20; i += 1) residents.push((await createResident(t, homeId)).id);
  });

  afterAll(async () => {
    await t.close();
  });

  it('should list today\'s activities and log them from the form, one row per resident', async () => {
    const activity = await createActivity(t, homeId, { residentIds: residents.slice(0, 3), title: 'Tombola' });
    const today = await carerAgent.get('/today').expect(200);
    expect(today.text).toContain('Tombola');
    const page = await carerAgent.get(`/activities/${activity.id}/log`).expect(200);
    expect((page.text.match(/class="log-tile"/g) ?? []).length).toBe(3);
    const token = await formToken(carerAgent, `/activities/${activity.id}/log`);
    const res = await carerAgent.post(`/activities/${activity.id}/log`).type('form').send(
      `_csrf=${token}&residentId=${residents[0]}&engagement=active&moodBefore=3&moodAfter=5&familyNote=Sang+every+song&staffNote=&` +
        `residentId=${residents[1]}&engagement=passive&moodBefore=&moodAfter=&familyNote=&staffNote=Tired&` +
        `residentId=${residents[2]}&engagement=&moodBefore=&moodAfter=&familyNote=&staffNote=&complete=1`,
    );
    expect(res.status).toBe(303);
    const rows = await t.dataSource.getRepository(Participation).find({ where: { activityId: activity.id }, order: { engagement: 'ASC' } });
    expect(rows.map((r) => [r.residentId, r.engagement, r.moodBefore, r.moodAfter, r.familyNote, r.staffNote])).toEqual([
      [residents[0], 'active', 3, 5, 'Sang every song', null],
      [residents[1], 'passive', null, null, null, 'Tired'],
    ]);
    expect((await t.dataSource.getRepository(Activity).findOneByOrFail({ id: activity.id })).status).toBe('completed');
  });

  it('should show a log with nobody invited as a thing to do, with no Save and no "everyone took part"', async () => {
    const activity = await createActivity(t, homeId, { title: 'Nobody yet' });
    const page = await carerAgent.get(`/activities/${activity.id}/log`).expect(200);
    expect(page.text).toContain(translate('en', 'activities.emptyRoster'));
    expect(page.text).not.toContain('class="toolbar log-actions"');
    expect(page.text).not.toContain('data-everyone');
    // Residents can still be added from the page.
    expect(page.text).toContain(`action="/activities/${activity.id}/log/residents"`);
  });

  it('should audit a later edit with old and new values', async () => {
    const activity = await createActivity(t, homeId, { residentIds: residents.slice(0, 1) });
    const { agent, csrfToken } = await apiSignIn(t, carer.email, carer.password);
    const put = (engagement: string) =>
      agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', randomUUID())
        .send({ entries: [{ residentId: residents[0], engagement }] });
    await put('active').expect(200);
    await put('declined').expect(200);
    const entries = await t.dataSource.getRepository(AuditEntry).find({ where: { entityType: 'participation', entityId: activity.id }, order: { seq: 'ASC' } });
    expect(entries.map((e) => e.action)).toEqual(['create', 'update']);
    expect(entries[1].changes).toEqual({ [`${residents[0]}.engagement`]: { old: 'active', new: 'declined' } });
  });

  it('should answer a replayed save with the first answer and write nothing twice; refuse the key with another body', async () => {
    const activity = await createActivity(t, homeId, { residentIds: residents.slice(0, 2) });
    const { agent, csrfToken } = await apiSignIn(t, carer.email, carer.password);
    const key = randomUUID();
    const body = { entries: [{ residentId: residents[0], engagement: 'active', moodAfter: 4 }, { residentId: residents[1], engagement: 'absent' }], complete: true };
    const first = await agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', key).send(body).expect(200);
    expect(first.body).toMatchObject({ status: 'completed', saved: 2 });
    const auditBefore = await t.dataSource.getRepository(AuditEntry).count();
    const replay = await agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', key).send(body).expect(200);
    expect(replay.body).toEqual(first.body);
    expect(await t.dataSource.getRepository(AuditEntry).count()).toBe(auditBefore);
    const other = await agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', key)
      .send({ entries: [{ residentId: residents[0], engagement: 'declined' }] });
    expect(other.status).toBe(422);
    expect(other.body.fields).toHaveProperty('Idempotency-Key');
    const missing = await agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', csrfToken).send(body);
    expect(missing.status).toBe(422);
    expect(await t.dataSource.getRepository(Participation).countBy({ activityId: activity.id })).toBe(2);
  });

  it('should take 32 concurrent saves of one activity with no error and one row per resident', async () => {
    const activity = await createActivity(t, homeId, { residentIds: residents });
    const clients = await Promise.all(Array.from({ length: 4 }, () => apiSignIn(t, carer.email, carer.password)));
    const engagements = ['active', 'passive', 'disengaged', 'declined', 'absent'];
    const responses = await Promise.all(
      Array.from({ length: 32 }, (_, i) => {
        const { agent, csrfToken } = clients[i % clients.length];
        return agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', randomUUID())
          .send({ entries: residents.map((residentId, r) => ({ residentId, engagement: engagements[(i + r) % 5] })) });
      }),
    );
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
    expect(await t.dataSource.getRepository(Participation).countBy({ activityId: activity.id })).toBe(20);
  });

  it('should refuse bad entries with the field at fault and store nothing', async () => {
    const activity = await createActivity(t, homeId, { residentIds: residents.slice(0, 1) });
    const elsewhere = await createResident(t, (await createHome(t)).id);
    const { agent, csrfToken } = await apiSignIn(t, carer.email, carer.password);
    const send = (body: unknown) => agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', randomUUID()).send(body as object);
    expect((await send({ entries: [{ residentId: residents[0], engagement: 'ecstatic' }] })).body.fields).toHaveProperty(['entries.0.engagement']);
    expect((await send({ entries: [{ residentId: residents[0], engagement: 'active', moodBefore: 9 }] })).status).toBe(422);
    expect((await send({ entries: [] })).status).toBe(422);
    expect((await send({ entries: [{ residentId: elsewhere.id, engagement: 'active' }] })).status).toBe(422);
    expect(await t.dataSource.getRepository(Participation).countBy({ activityId: activity.id })).toBe(0);
  });

  it('should let a family member log nothing, and a volunteer only activities they are confirmed to help with', async () => {
    const activity = await createActivity(t, homeId, { residentIds: residents.slice(0, 1) });
    const volunteer = await createUser(t, { role: 'volunteer', homeIds: [homeId] });
    const { agent, csrfToken } = await apiSignIn(t, volunteer.email, volunteer.password);
    await agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', randomUUID())
      .send({ entries: [{ residentId: residents[0], engagement: 'active' }] }).expect(404);
    const family = await createUser(t, { role: 'family', homeIds: [homeId] });
    const fam = await apiSignIn(t, family.email, family.password);
    await fam.agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', fam.csrfToken).set('Idempotency-Key', randomUUID())
      .send({ entries: [{ residentId: residents[0], engagement: 'active' }] }).expect(404);
    expect(await t.dataSource.getRepository(Contribution).count()).toBe(0);
  });
});
