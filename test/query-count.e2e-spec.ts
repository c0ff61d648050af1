import { DataSource } from 'typeorm';
import { Activity } from '../src/activities/entities/activity.entity';
import { HelpOffer } from '../src/activities/entities/help-offer.entity';
import { RosterEntry } from '../src/activities/entities/roster-entry.entity';
import { Role } from '../src/auth/auth.enums';
import { SYNTHETIC_PASSWORD, seedSynthetic } from '../src/cli/synthetic/seed-synthetic-data';
import { homeSlug, SYNTHETIC_TIMEZONE, syntheticEmail } from '../src/cli/synthetic/synthetic-home';
import { addDays, localDayRange, todayIn } from '../src/common/time/zoned';
import { Contribution } from '../src/contributions/entities/contribution.entity';
import { Home } from '../src/homes/entities/home.entity';
import { HomesService } from '../src/homes/homes.service';
import { currentQuarter } from '../src/common/time/quarter';
import { createUser } from './support/factories';
import { Resident } from '../src/residents/entities/resident.entity';
import { Volunteer } from '../src/volunteers/entities/volunteer.entity';
import { Suggestion } from '../src/voice/entities/suggestion.entity';
import { User } from '../src/auth/entities/user.entity';
import { FamilyLink } from '../src/residents/entities/family-link.entity';
import { Agent, signIn } from './support/http';
import { createTestApp, TestApp } from './support/test-app';

/** Residents in the small and the large home; activities, rosters and logs grow with them. */
const SMALL = 5;
const LARGE = 40;

interface HomeFixture {
  number: number;
  residentId: string;
  activityId: string;
  agents: Partial<Record<Role, Agent>>;
}

/**
 * No N+1 queries: the main pages and API reads repeat no SQL statement more for a home of 40
 * residents than for a home of 5 (synthetic homes, with their activities, rosters and logs scaled with them).
 * Each request is made once to warm up (a new session's first page writes its CSRF token) and then
 * counted; every statement TypeORM sends goes through its DataSource's logger, on both engines.
 */
describe('Queries per request do not grow with the number of residents', () => {
  let t: TestApp;
  const homes = {} as Record<'small' | 'large', HomeFixture>;
  const yesterday = addDays(todayIn(SYNTHETIC_TIMEZONE), -1);

  async function fixture(number: number, residents: number): Promise<HomeFixture> {
    await seedSynthetic(t.dataSource, { homes: 1, residents, days: 21, futureDays: 7, seed: 3, firstHome: number });
    const m = t.dataSource.manager;
    const home = await m.findOneByOrFail(Home, { slug: homeSlug(number) });
    const resident = await m.findOneOrFail(Resident, { where: { homeId: home.id, status: 'active' }, order: { lastName: 'ASC', id: 'ASC' } });
    // Yesterday's held activity with the longest roster: its page and log list everyone on it.
    const { start, end } = localDayRange(yesterday, SYNTHETIC_TIMEZONE);
    const held = await m
      .createQueryBuilder(Activity, 'a')
      .leftJoin(RosterEntry, 'e', 'e.activityId = a.id')
      .select('a.id', 'id')
      .addSelect('COUNT(e.id)', 'n')
      .where('a.homeId = :homeId AND a.status = :completed AND a.startsAt >= :start AND a.startsAt < :end', { homeId: home.id, completed: 'completed', start, end })
      .groupBy('a.id')
      .orderBy('n', 'DESC')
      .addOrderBy('a.id', 'ASC')
      .getRawOne<{ id: string }>();
    await helpersOn(home.id, held!.id, yesterday, residents === LARGE);
    await ideaAdopted(home.id, number, held!.id);
    await ownOffers(home.id, number, residents === LARGE ? 15 : 1);
    const agents: HomeFixture['agents'] = {};
    for (const role of ['coordinator', 'carer', 'family', 'volunteer'] as const) agents[role] = await signIn(t, syntheticEmail(role, number), SYNTHETIC_PASSWORD);
    return { number, residentId: resident.id, activityId: held!.id, agents };
  }

  /**
   * The same kinds of help on both homes' activities, whatever the synthetic day drew: a volunteer's hours,
   * and answered offers, one in the small home and one from each of its volunteers in the large (5), so
   * the page names helpers and checks who may be given work in both, and a check per offer shows as growth.
   */
  async function helpersOn(homeId: string, activityId: string, date: string, large: boolean): Promise<void> {
    const m = t.dataSource.manager;
    const volunteers = await m.find(Volunteer, { where: { homeId }, order: { id: 'ASC' } });
    const offered = new Set((await m.findBy(HelpOffer, { activityId })).map((o) => o.volunteerId));
    for (const v of volunteers.filter((v) => !offered.has(v.id)).slice(0, large ? undefined : 1)) {
      await m.insert(HelpOffer, { homeId, activityId, offererType: 'volunteer', volunteerId: v.id, familyMemberId: null, kind: 'deliver', status: 'declined', message: null });
    }
    if (!(await m.existsBy(Contribution, { activityId, actorType: 'volunteer' }))) {
      await m.insert(Contribution, { homeId, activityId, date, actorType: 'volunteer', volunteerId: volunteers[0].id, phase: 'co_delivery', minutes: 60 });
    }
  }

  /**
   * The relative signing in has had an idea about their relative adopted as this activity, whatever
   * else the synthetic days drew: the portal then names its resident, activity, type and who answered
   * in both homes, and the large home's other suggestions join the same statements.
   */
  async function ideaAdopted(homeId: string, number: number, activityId: string): Promise<void> {
    const m = t.dataSource.manager;
    const relative = await m.findOneByOrFail(User, { email: syntheticEmail('family', number) });
    const coordinator = await m.findOneByOrFail(User, { email: syntheticEmail('coordinator', number) });
    const link = await m.findOneOrFail(FamilyLink, { where: { familyMemberId: relative.personId!, active: true }, order: { id: 'ASC' } });
    const activity = await m.findOneByOrFail(Activity, { id: activityId });
    await m.insert(Suggestion, {
      homeId, residentId: link.residentId, authorType: 'family', authorFamilyMemberId: relative.personId, kind: 'activity_idea', title: 'Un pomeriggio di canto',
      body: 'Le piacerebbe cantare con gli altri.', status: 'accepted', response: 'Grazie, la mettiamo in programma.', respondedBy: coordinator.id,
      respondedAt: new Date(), linkedActivityTypeId: activity.activityTypeId, linkedActivityId: activityId,
    });
  }

  /**
   * "My offers": the relative and the volunteer signing in have each made `count` offers on the home's
   * family-visible activities, past ones too, with messages, answered by the coordinator or withdrawn.
   */
  async function ownOffers(homeId: string, number: number, count: number): Promise<void> {
    const m = t.dataSource.manager;
    const [relative, volunteer, coordinator] = await Promise.all((['family', 'volunteer', 'coordinator'] as const).map((role) => m.findOneByOrFail(User, { email: syntheticEmail(role, number) })));
    const activities = await m.find(Activity, { where: { homeId, visibleToFamilies: true }, order: { startsAt: 'DESC', id: 'ASC' }, take: count });
    // Growth only shows if the pages have the offers to list.
    expect([activities.length, !!relative.personId, !!volunteer.personId]).toEqual([count, true, true]);
    const statuses = ['confirmed', 'declined', 'withdrawn', 'offered'] as const;
    await m.insert(HelpOffer, activities.flatMap((a, i) => [
      { offererType: 'family' as const, familyMemberId: relative.personId, volunteerId: null },
      { offererType: 'volunteer' as const, familyMemberId: null, volunteerId: volunteer.personId },
    ].map((who) => {
      const status = statuses[i % statuses.length];
      const answered = status === 'confirmed' || status === 'declined';
      return { ...who, homeId, activityId: a.id, kind: 'deliver' as const, status, message: `Offerta ${i}`, respondedBy: answered ? coordinator.id : null, respondedAt: answered ? new Date() : null };
    })));
  }

  beforeAll(async () => {
    t = await createTestApp();
    homes.small = await fixture(1, SMALL);
    homes.large = await fixture(2, LARGE);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  const queriesFor = (agent: Agent, path: string) => queriesOf(t, agent, path);

  const pages: [string, Role, (h: HomeFixture) => string][] = [
    ['the residents list', 'coordinator', () => '/residents'],
    ['a resident\'s page', 'coordinator', (h) => `/residents/${h.residentId}`],
    ['Today on the tablet', 'carer', () => `/today?date=${yesterday}`],
    ['the calendar', 'coordinator', () => '/calendar'],
    ['the month calendar', 'coordinator', () => '/calendar?view=month'],
    ['an activity\'s page', 'coordinator', (h) => `/activities/${h.activityId}`],
    ['an activity\'s log', 'carer', (h) => `/activities/${h.activityId}/log`],
    ['the family portal', 'family', () => '/portal'],
    ['a relative\'s offers', 'family', () => '/portal/offers'],
    ['a volunteer\'s offers', 'volunteer', () => '/volunteer/offers'],
    ['the coordinator\'s dashboard', 'coordinator', () => '/'],
    ['the day\'s activities (API)', 'carer', () => `/api/activities?date=${yesterday}`],
    ['one activity with roster and log (API)', 'carer', (h) => `/api/activities/${h.activityId}`],
    ['the residents (API)', 'carer', () => '/api/residents'],
  ];

  it.each(pages)(`should make no more queries for %s with ${LARGE} residents than with ${SMALL}`, async (_name, role, path) => {
    const small = await queriesFor(homes.small.agents[role]!, path(homes.small));
    const large = await queriesFor(homes.large.agents[role]!, path(homes.large));
    expect(small.length).toBeGreaterThan(0);
    // An N+1 repeats one statement per row (12 to 40 times here). A statement that runs only when some
    // list is not empty (the large home's activity has residents left to suggest, the small one's had
    // none) is data, not growth: so each statement may run in the large home at most once more than in
    // the small one.
    const inSmall = countByStatement(small);
    const repeated = [...countByStatement(large)]
      .filter(([statement, n]) => n > (inSmall.get(statement) ?? 0) + 1)
      .map(([statement, n]) => `${n}x with ${LARGE} residents, ${inSmall.get(statement) ?? 0}x with ${SMALL}: ${statement.slice(0, 300)}`);
    expect(repeated).toEqual([]);
    // And the whole request stays within a few statements of the small home's.
    expect(large.length).toBeLessThanOrEqual(small.length + 3);
  });
});

/**
 * The group view (issue 20 e, docs/groups.md) makes one grouped statement per figure family, never
 * one per home: a group of 6 homes costs the same statements as a group of 2.
 */
describe('Queries for the group view do not grow with the number of homes', () => {
  let t: TestApp;
  let admin: Agent;
  let groupId: string;
  const quarter = currentQuarter(SYNTHETIC_TIMEZONE);

  async function seedHomes(first: number, count: number): Promise<void> {
    await seedSynthetic(t.dataSource, { homes: count, residents: 5, days: 21, futureDays: 0, seed: 5, firstHome: first });
    for (let n = first; n < first + count; n += 1) await t.dataSource.getRepository(Home).update({ slug: homeSlug(n) }, { groupId });
  }

  beforeAll(async () => {
    t = await createTestApp();
    groupId = (await t.get(HomesService).createGroup(null, { name: 'Query count group', reachedThreshold: 50 })).id;
    const user = await createUser(t, { role: 'admin', homeIds: [] });
    admin = await signIn(t, user.email, user.password);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('should make the same statements for a group of 6 homes as for a group of 2', async () => {
    await seedHomes(21, 2);
    const two = await queriesOf(t, admin, `/groups/${groupId}?quarter=${quarter}&sort=attended&dir=desc`);
    await seedHomes(23, 4);
    const six = await queriesOf(t, admin, `/groups/${groupId}?quarter=${quarter}&sort=attended&dir=desc`);
    expect(two.length).toBeGreaterThan(0);
    expect([...countByStatement(six)]).toEqual([...countByStatement(two)]);
  });
});

/** The SQL statements one request sends, after a first request to warm up. */
async function queriesOf(t: TestApp, agent: Agent, path: string): Promise<string[]> {
  await agent.get(path).expect(200);
  // On SQLite reads go through the reader's logger, writes through the writer's (one DataSource on PostgreSQL).
  const spies = [...new Set([t.app.get(DataSource).logger, t.dataSource.logger])].map((logger) => jest.spyOn(logger, 'logQuery'));
  try {
    await agent.get(path).expect(200);
    // The session store's touch runs as the response ends.
    await new Promise((resolve) => setImmediate(resolve));
    return spies.flatMap((spy) => spy.mock.calls.map(([sql]) => sql));
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

/** How often each statement ran, lists of placeholders counted as one (`IN (?, ?)` and `IN (?)` are the same statement). */
function countByStatement(statements: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const sql of statements) {
    const shape = sql.replace(/\$\d+/g, '?').replace(/\(\s*\?(\s*,\s*\?)*\s*\)/g, '(?)');
    counts.set(shape, (counts.get(shape) ?? 0) + 1);
  }
  return counts;
}
