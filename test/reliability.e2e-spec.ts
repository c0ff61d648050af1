import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { Participation } from '../src/activities/entities/participation.entity';
import { RosterEntry } from '../src/activities/entities/roster-entry.entity';
import { AuditService } from '../src/audit/audit.service';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { IdempotencyKey } from '../src/common/idempotency/idempotency-key.entity';
import { Contribution } from '../src/contributions/entities/contribution.entity';
import { createActivity } from './support/activity-factories';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, apiSignIn } from './support/http';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';

const WRITERS = 64;
const ACTIVITIES = 16;
/** Each writer logs its own residents of a shared activity: four writers per activity, 20 residents each. */
const RESIDENTS_EACH = 5;
const RESIDENTS = (WRITERS / ACTIVITIES) * RESIDENTS_EACH;
const ENGAGEMENTS = ['active', 'passive', 'disengaged', 'declined', 'absent'] as const;

interface Writer {
  index: number;
  user: TestUser;
  agent: Agent;
  csrfToken: string;
  activityId: string;
  residentIds: string[];
  /** Every fourth writer uses the tablet's HTML form instead of the JSON API. */
  viaForm: boolean;
}

/** SPEC 7: 64 concurrent writers, each with a session of its own, through the app's real write paths. */
describe('Reliability under 64 concurrent writers', () => {
  let t: TestApp;
  let writers: Writer[];
  let activityIds: string[];
  let residentIds: string[];

  beforeAll(async () => {
    t = await createTestApp();
    const homeId = (await createHome(t)).id;
    residentIds = [];
    for (let i = 0; i < RESIDENTS; i += 1) residentIds.push((await createResident(t, homeId)).id);
    activityIds = [];
    // Half the activities start with an empty roster, so concurrent saves also add residents to it.
    for (let a = 0; a < ACTIVITIES; a += 1) activityIds.push((await createActivity(t, homeId, { residentIds: a % 2 === 0 ? residentIds : [] })).id);
    const users = await Promise.all(Array.from({ length: WRITERS }, () => createUser(t, { role: 'carer', homeIds: [homeId] })));
    // Signed in one after another: checks in progress count against the per-address throttle until they
    // succeed, and 64 at once from one address would pass its limit of 30 (docs/security.md).
    const sessions: Awaited<ReturnType<typeof apiSignIn>>[] = [];
    for (const user of users) sessions.push(await apiSignIn(t, user.email, user.password));
    writers = await Promise.all(
      users.map(async (user, index) => {
        const { agent, csrfToken } = sessions[index];
        const slot = Math.floor(index / ACTIVITIES);
        return {
          index, user, agent, csrfToken, activityId: activityIds[index % ACTIVITIES],
          residentIds: residentIds.slice(slot * RESIDENTS_EACH, (slot + 1) * RESIDENTS_EACH), viaForm: index % 4 === 3,
        };
      }),
    );
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  const entriesOf = (w: Writer) =>
    w.residentIds.map((residentId, r) => ({ residentId, engagement: ENGAGEMENTS[(w.index + r) % 5], moodAfter: 1 + (w.index % 5), familyNote: `writer ${w.index} resident ${r}` }));

  /** The participation save: the JSON API with an Idempotency-Key, sent twice at once, or the HTML form once. */
  function saveParticipation(w: Writer): Promise<{ status: number; body: unknown }>[] {
    if (w.viaForm) {
      const form = new URLSearchParams({ _csrf: w.csrfToken });
      for (const e of entriesOf(w)) {
        for (const [name, value] of Object.entries({ residentId: e.residentId, engagement: e.engagement, moodBefore: '', moodAfter: String(e.moodAfter), familyNote: e.familyNote, staffNote: '' })) {
          form.append(name, value);
        }
      }
      return [w.agent.post(`/activities/${w.activityId}/log`).type('form').send(form.toString()).then((r) => ({ status: r.status, body: null }))];
    }
    const key = randomUUID();
    const send = () =>
      w.agent.put(`/api/activities/${w.activityId}/participation`).set('X-CSRF-Token', w.csrfToken).set('Idempotency-Key', key)
        .send({ entries: entriesOf(w) }).then((r) => ({ status: r.status, body: r.body as unknown }));
    return [send(), send()];
  }

  /** A contribution through the API, sent twice at once with one Idempotency-Key. */
  function addContribution(w: Writer): Promise<{ status: number; body: unknown }>[] {
    const key = randomUUID();
    const send = () =>
      w.agent.post(`/api/activities/${w.activityId}/contributions`).set('X-CSRF-Token', w.csrfToken).set('Idempotency-Key', key)
        .send({ phase: 'co_delivery', actorType: 'resident', personId: w.residentIds[0], minutes: w.index + 1, description: `writer ${w.index}` })
        .then((r) => ({ status: r.status, body: r.body as unknown }));
    return [send(), send()];
  }

  it('should answer every write without error, store every row once, and replay duplicates with the first answer', async () => {
    const results = await Promise.all(writers.map(async (w) => ({ w, saves: await Promise.all(saveParticipation(w)), contributions: await Promise.all(addContribution(w)) })));

    const failures = results.flatMap(({ w, saves, contributions }) =>
      [...saves.map((r) => ({ r, expected: w.viaForm ? 303 : 200 })), ...contributions.map((r) => ({ r, expected: 201 }))]
        .filter(({ r, expected }) => r.status !== expected)
        .map(({ r }) => `writer ${w.index}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`),
    );
    expect(failures).toEqual([]);
    for (const { w, saves, contributions } of results) {
      if (!w.viaForm) expect(saves[1].body).toEqual(saves[0].body);
      expect(contributions[1].body).toEqual(contributions[0].body);
    }

    // Row by row: each writer's residents carry exactly what that writer sent, once.
    const rows = await t.dataSource.getRepository(Participation).findBy({ activityId: In(activityIds) });
    expect(rows).toHaveLength(WRITERS * RESIDENTS_EACH);
    const stored = new Map(rows.map((p) => [`${p.activityId}/${p.residentId}`, p]));
    expect(stored.size).toBe(rows.length);
    for (const w of writers) {
      for (const e of entriesOf(w)) {
        const row = stored.get(`${w.activityId}/${e.residentId}`);
        expect(row && [row.engagement, row.moodAfter, row.familyNote, row.recordedBy]).toEqual([e.engagement, e.moodAfter, e.familyNote, w.user.id]);
      }
    }
    const roster = await t.dataSource.getRepository(RosterEntry).findBy({ activityId: In(activityIds) });
    expect(new Set(roster.map((e) => `${e.activityId}/${e.residentId}`)).size).toBe(ACTIVITIES * RESIDENTS);
    expect(roster).toHaveLength(ACTIVITIES * RESIDENTS);

    const contributions = await t.dataSource.getRepository(Contribution).findBy({ activityId: In(activityIds) });
    expect(contributions.map((c) => c.description).sort()).toEqual(writers.map((w) => `writer ${w.index}`).sort());
    const byDescription = new Map(contributions.map((c) => [c.description, c]));
    for (const w of writers) {
      const c = byDescription.get(`writer ${w.index}`)!;
      expect([c.activityId, c.residentId, c.minutes, c.recordedBy]).toEqual([w.activityId, w.residentIds[0], w.index + 1, w.user.id]);
    }

    // One audit entry per write (none for the replays), one idempotency key per API write, one unbroken chain.
    const audit = t.dataSource.getRepository(AuditEntry);
    const saveEntries = await audit.findBy({ entityType: 'participation', entityId: In(activityIds) });
    expect(saveEntries.map((e) => `${e.entityId}/${e.userId}/${e.action}`).sort()).toEqual(writers.map((w) => `${w.activityId}/${w.user.id}/create`).sort());
    const contributionEntries = await audit.findBy({ entityType: 'contribution', entityId: In(contributions.map((c) => c.id)) });
    expect(contributionEntries.map((e) => e.entityId).sort()).toEqual(contributions.map((c) => c.id).sort());
    const apiWrites = writers.filter((w) => !w.viaForm).length + WRITERS;
    expect(await t.dataSource.getRepository(IdempotencyKey).countBy({ userId: In(writers.map((w) => w.user.id)) })).toBe(apiWrites);
    expect(await t.get(AuditService).verifyChain()).toEqual({ ok: true, entries: await audit.count() });
  }, 60_000);
});
