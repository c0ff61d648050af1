import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ActivitiesService } from '../src/activities/activities.service';
import { Activity } from '../src/activities/entities/activity.entity';
import { AuthService } from '../src/auth/auth.service';
import type { SessionUser } from '../src/common/access/session-user';
import { currentQuarter, previousQuarter } from '../src/common/time/quarter';
import { utcToLocal } from '../src/common/time/zoned';
import { ContributionsService } from '../src/contributions/contributions.service';
import { Contribution } from '../src/contributions/entities/contribution.entity';
import { HomesService } from '../src/homes/homes.service';
import { ActivityTally } from '../src/reports/entities/activity-tally.entity';
import { HomeDayTally } from '../src/reports/entities/home-day-tally.entity';
import { ResidentReach } from '../src/reports/entities/resident-reach.entity';
import { ReportService } from '../src/reports/report.service';
import { rebuildTallies } from '../src/reports/tally/headline-tally';
import { createActivity, createActivityType } from './support/activity-factories';
import { buildApp } from './support/build';
import { createHome, createUser } from './support/factories';
import { Agent, apiSignIn } from './support/http';
import { createVolunteer } from './support/people-factories';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';
import { createHelpOffer } from './support/voice-factories';

/*
 * Issue 20 item (e): the group view reads summary tables (activity_tally, resident_reach) that every
 * writer keeps in its own transaction (docs/groups.md, "Summary tables"). After each kind of write,
 * made as users make it, the figures from the tables must equal the report's own queries over the
 * records, and the tables must equal what a rebuild from the records gives.
 */
describe('The group view\'s summary tables follow every write (issue 20 e)', () => {
  let t: TestApp;
  let homeId: string;
  let homeSlug: string;
  let typeId: string;
  let residents: string[];
  let carer: { agent: Agent; csrfToken: string };
  let manager: SessionUser;
  let admin: SessionUser;
  let volunteerId: string;
  const HOUR = 3_600_000;

  beforeAll(async () => {
    t = await createTestApp();
    const home = await createHome(t);
    homeId = home.id;
    homeSlug = home.slug;
    typeId = (await createActivityType(t, homeId)).id;
    residents = [];
    for (let i = 0; i < 4; i += 1) residents.push((await createResident(t, homeId, { admittedOn: '2020-01-01' })).id);
    volunteerId = (await createVolunteer(t, homeId)).id;
    const carerUser = await createUser(t, { role: 'carer', homeIds: [homeId] });
    carer = await apiSignIn(t, carerUser.email, carerUser.password);
    manager = (await t.get(AuthService).findSessionUser((await createUser(t, { role: 'manager', homeIds: [homeId] })).id))!;
    admin = (await t.get(AuthService).findSessionUser((await createUser(t, { role: 'admin' })).id))!;
  });

  afterAll(async () => {
    await t.close();
  });

  const timezone = () => t.get(HomesService).timezoneOf(homeId);

  /** The home's headlines for the quarters around now, from the tables and from the records; and the tables against a rebuild. */
  async function expectTalliesRight(): Promise<Record<string, unknown>> {
    const zone = await timezone();
    const now = new Date();
    const quarters = [currentQuarter(zone, now)];
    for (let i = 0; i < 2; i += 1) quarters.push(previousQuarter(quarters[quarters.length - 1]));
    const seen: Record<string, unknown> = {};
    for (const quarter of quarters) {
      const home = [{ id: homeId, timezone: zone }];
      const fromTables = (await t.get(ReportService).groupHeadlines(home, quarter, now, 'tallies')).get(homeId);
      const fromRecords = (await t.get(ReportService).groupHeadlines(home, quarter, now, 'records')).get(homeId);
      expect({ quarter, ...fromTables }).toEqual({ quarter, ...fromRecords });
      seen[quarter] = fromTables;
    }
    const tables = async () => ({
      tallies: (await t.dataSource.getRepository(ActivityTally).find({ where: { homeId }, order: { activityId: 'ASC' } }))
        .map((row) => ({ ...row, startsAt: new Date(row.startsAt).toISOString() })),
      days: (await t.dataSource.getRepository(HomeDayTally).find({ where: { homeId }, order: { day: 'ASC' } })),
      reach: (await t.dataSource.getRepository(ResidentReach).find({ where: { homeId }, order: { residentId: 'ASC', quarter: 'ASC' } }))
        .map((row) => ({ ...row, firstReachedAt: new Date(row.firstReachedAt).toISOString() })),
    });
    const kept = await tables();
    await rebuildTallies(t.dataSource.manager, [homeId]);
    expect(kept).toEqual(await tables());
    return seen;
  }

  const log = (activityId: string, entries: { residentId: string; engagement: string }[], complete: boolean) =>
    carer.agent.put(`/api/activities/${activityId}/participation`).set('X-CSRF-Token', carer.csrfToken).set('Idempotency-Key', randomUUID())
      .send({ entries, complete }).expect(200);

  const figures = async (activityStartsAt: Date) => {
    const zone = await timezone();
    const quarter = (await expectTalliesRight())[currentQuarterOf(activityStartsAt, zone)] as { activitiesHeld: number; residentsReached: number; attended: number; coProducedActivities: number; contributionMinutes: number };
    return quarter;
  };

  const currentQuarterOf = (instant: Date, zone: string) => {
    const { date } = utcToLocal(instant, zone);
    return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
  };

  it('should count an activity once it is held, and follow its log as it changes', async () => {
    const startsAt = new Date(Date.now() - 2 * HOUR);
    const activity = await createActivity(t, homeId, { activityTypeId: typeId, startsAt, residentIds: residents.slice(0, 3) });
    const before = await figures(startsAt);

    await log(activity.id, [{ residentId: residents[0], engagement: 'active' }, { residentId: residents[1], engagement: 'passive' }], false);
    expect(await figures(startsAt)).toMatchObject({ activitiesHeld: before.activitiesHeld, residentsReached: before.residentsReached });

    await log(activity.id, [{ residentId: residents[0], engagement: 'active' }, { residentId: residents[1], engagement: 'passive' }, { residentId: residents[2], engagement: 'absent' }], true);
    expect(await figures(startsAt)).toMatchObject({ activitiesHeld: before.activitiesHeld + 1, residentsReached: before.residentsReached + 2, attended: before.attended + 2 });

    // No longer reached there: the resident's reach for the quarter is recounted (none left).
    await log(activity.id, [{ residentId: residents[0], engagement: 'declined' }], false);
    expect(await figures(startsAt)).toMatchObject({ residentsReached: before.residentsReached + 1, attended: before.attended + 1 });
  });

  it('should keep a resident reached by an earlier activity when a later one no longer reaches them', async () => {
    const earlier = new Date(Date.now() - 5 * HOUR);
    const later = new Date(Date.now() - 3 * HOUR);
    const first = await createActivity(t, homeId, { activityTypeId: typeId, startsAt: earlier, residentIds: [residents[3]] });
    const second = await createActivity(t, homeId, { activityTypeId: typeId, startsAt: later, residentIds: [residents[3]] });
    await log(first.id, [{ residentId: residents[3], engagement: 'passive' }], true);
    await log(second.id, [{ residentId: residents[3], engagement: 'active' }], true);
    const reached = (await figures(later)).residentsReached;
    // The first reach is the earlier activity; taking it away recounts from the later one.
    await log(first.id, [{ residentId: residents[3], engagement: 'disengaged' }], false);
    expect((await figures(later)).residentsReached).toBe(reached);
    const row = await t.dataSource.getRepository(ResidentReach).findOneByOrFail({ residentId: residents[3], quarter: currentQuarterOf(later, await timezone()) });
    expect(new Date(row.firstReachedAt).toISOString()).toBe(later.toISOString());
  });

  it('should follow contributions recorded, edited and made by confirmed helpers on held activities', async () => {
    const startsAt = new Date(Date.now() - 6 * HOUR);
    const activity = await createActivity(t, homeId, { activityTypeId: typeId, startsAt, residentIds: [residents[1]] });
    await createHelpOffer(t, activity, { volunteerId });
    const before = await figures(startsAt);
    // Completing it makes the confirmed helper's contribution (its duration, 60 minutes): co-produced.
    await log(activity.id, [{ residentId: residents[1], engagement: 'active' }], true);
    expect(await figures(startsAt)).toMatchObject({ activitiesHeld: before.activitiesHeld + 1, coProducedActivities: before.coProducedActivities + 1, contributionMinutes: before.contributionMinutes + 60 });

    const recorded = await carer.agent.post(`/api/activities/${activity.id}/contributions`).set('X-CSRF-Token', carer.csrfToken)
      .send({ phase: 'co_delivery', actorType: 'volunteer', personId: volunteerId, minutes: 30 });
    expect(recorded.status).toBeLessThan(300);
    expect(await figures(startsAt)).toMatchObject({ contributionMinutes: before.contributionMinutes + 90 });

    const id = (await t.dataSource.getRepository(Contribution).findOneByOrFail({ activityId: activity.id, source: 'manual' })).id;
    await t.get(ContributionsService).update(manager, id, { minutes: 45 });
    expect(await figures(startsAt)).toMatchObject({ contributionMinutes: before.contributionMinutes + 105, coProducedActivities: before.coProducedActivities + 1 });
  });

  it('should move a held activity\'s counts with its time, into another quarter and back', async () => {
    const zone = await timezone();
    const startsAt = new Date(Date.now() - 4 * HOUR);
    const activity = await createActivity(t, homeId, { activityTypeId: typeId, startsAt, residentIds: [residents[2]] });
    await log(activity.id, [{ residentId: residents[2], engagement: 'active' }], true);
    const now = await figures(startsAt);
    const earlier = new Date(startsAt.getTime() - 100 * 24 * HOUR);
    const earlierBefore = await figures(earlier);
    const move = (to: Date) => {
      const local = utcToLocal(to, zone);
      return t.get(ActivitiesService).update(manager, activity.id, { activityTypeId: typeId, date: local.date, time: local.time, title: activity.title, durationMinutes: 60 });
    };
    await move(earlier);
    expect((await t.dataSource.getRepository(Activity).findOneByOrFail({ id: activity.id })).startsAt.getTime()).toBe(Math.floor(earlier.getTime() / 60_000) * 60_000);
    expect(await figures(startsAt)).toMatchObject({ activitiesHeld: now.activitiesHeld - 1 });
    expect(await figures(earlier)).toMatchObject({ activitiesHeld: earlierBefore.activitiesHeld + 1, residentsReached: earlierBefore.residentsReached + 1 });
    await move(startsAt);
    expect(await figures(startsAt)).toMatchObject({ activitiesHeld: now.activitiesHeld, residentsReached: now.residentsReached });
  });

  it('should count the tables again from the records with npm run tallies:rebuild', async () => {
    buildApp();
    const right = await expectTalliesRight();
    // Rows written around the app (an import straight into the tables) leave the summary behind.
    await t.dataSource.getRepository(ActivityTally).update({ homeId }, { active: 99, contributionMinutes: 0 });
    await t.dataSource.getRepository(HomeDayTally).update({ homeId }, { held: 0 });
    await t.dataSource.getRepository(ResidentReach).delete({ homeId });
    const run = spawnSync(process.execPath, [join(__dirname, '../dist/src/cli/tallies-rebuild.js'), '--home', homeSlug, '--database', t.database.url], {
      cwd: join(__dirname, '..'), encoding: 'utf8', env: { ...process.env, NODE_ENV: 'test', SESSION_SECRET: t.config.sessionSecret },
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/Summary tables rebuilt: 1 home\(s\), \d+ held activities/);
    expect(await expectTalliesRight()).toEqual(right);
    const unknown = spawnSync(process.execPath, [join(__dirname, '../dist/src/cli/tallies-rebuild.js'), '--home', 'no-such-home', '--database', t.database.url], {
      cwd: join(__dirname, '..'), encoding: 'utf8', env: { ...process.env, NODE_ENV: 'test', SESSION_SECRET: t.config.sessionSecret },
    });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('There is no home with the slug no-such-home');
  });

  it('should count the quarters again in the home\'s new time zone', async () => {
    const home = (await t.get(HomesService).listForUser(admin)).find((h) => h.id === homeId)!;
    await t.get(HomesService).update(admin, homeId, { name: home.name, slug: home.slug, timezone: 'Pacific/Auckland', locale: home.locale });
    expect(await timezone()).toBe('Pacific/Auckland');
    await expectTalliesRight();
  });
});
