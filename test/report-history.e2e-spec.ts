import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { migrations } from '../migrations';
import type { SessionUser } from '../src/common/access/session-user';
import { loadConfig } from '../src/config/app-config';
import { buildDataSourceOptions, isSqlite } from '../src/database/data-source';
import { translate } from '../src/common/i18n/i18n';
import { currentQuarter } from '../src/common/time/quarter';
import { addDays, todayIn } from '../src/common/time/zoned';
import { HomeView } from '../src/homes/homes.service';
import { PlanDto } from '../src/plans/dto/plan.dto';
import { ActivityPlanHistory } from '../src/plans/entities/activity-plan-history.entity';
import { ActivityPlan } from '../src/plans/entities/activity-plan.entity';
import { PlanGoal } from '../src/plans/entities/plan-goal.entity';
import { PlanWritesService } from '../src/plans/plan-writes.service';
import { IssuedReport } from '../src/reports/entities/issued-report.entity';
import { IssuedReportsService } from '../src/reports/issued-reports.service';
import type { QuarterlyReport } from '../src/reports/quarterly-report.model';
import { ReportService } from '../src/reports/report.service';
import { SuggestionHistory } from '../src/voice/entities/suggestion-history.entity';
import { Suggestion } from '../src/voice/entities/suggestion.entity';
import { SuggestionsService } from '../src/voice/suggestions.service';
import { VolunteerDto } from '../src/volunteers/dto/volunteer.dto';
import { VolunteerHistory } from '../src/volunteers/entities/volunteer-history.entity';
import { VolunteerDetail, VolunteersService } from '../src/volunteers/volunteers.service';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, formToken, signIn } from './support/http';
import { createVolunteer } from './support/people-factories';
import { sessionUserOf } from './support/plan-factories';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

const ROME = 'Europe/Rome';
/** The migration that makes the history tables. */
const HISTORY_MIGRATION = 1795883800000;
const timestampOf = (migration: (typeof migrations)[number]) => Number(/(\d{13})$/.exec(new migration().name!)![1]);
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/'/g, '&#x27;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const Q3 = '2026-Q3';
/** When the quarter's records are taken to have been written: inside 2026-Q3. */
const DURING_Q3 = new Date('2026-09-15T08:00:00Z');

/**
 * Issue 18 item 2b: a closed quarter recomputed after its plans, volunteers and suggestions changed
 * gives the figures as they stood at its end (their effective-dated history), equal to its issue,
 * while the running quarter shows the records as they are now.
 */
describe('Report history (issue 18 item 2b)', () => {
  let t: TestApp;
  let home: HomeView;
  let managerUser: TestUser;
  let manager: SessionUser;
  let agent: Agent;
  let running: string;
  let today: string;
  const volunteers: Record<'renewed' | 'paused' | 'removed' | 'none' | 'late', VolunteerDetail> = {} as never;
  const suggestionIds: Record<'pending' | 'declined' | 'accepted', string> = {} as never;
  let plan: ActivityPlan;
  let residentId: string;
  let issuedModel: QuarterlyReport;
  let runningBefore: QuarterlyReport;
  let statementsBefore: string[];

  /** The SQL statements `work` sends, through the reader's and the writer's loggers (one DataSource on PostgreSQL). */
  async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
    const spies = [...new Set([t.app.get(DataSource).logger, t.dataSource.logger])].map((logger) => jest.spyOn(logger, 'logQuery'));
    try {
      await work();
      return spies.flatMap((spy) => spy.mock.calls.map(([sql]) => sql));
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  }

  const reports = () => t.get(ReportService);
  // The copy without names names nobody, not even who issued it.
  const q3Now = (names = true) => reports().quarterlyReport(home.id, Q3, { names, generatedBy: names ? issuedModel.meta.generatedBy : null });
  /** The model as stored (JSON), with the generation instant of the issue. */
  const asIssued = (report: QuarterlyReport) => JSON.parse(JSON.stringify({ ...report, meta: { ...report.meta, generatedAt: issuedModel.meta.generatedAt } })) as QuarterlyReport;

  function volunteerForm(v: VolunteerDetail, changes: Partial<VolunteerDto>): VolunteerDto {
    return {
      firstName: v.firstName, lastName: v.lastName, email: v.email ?? undefined, phone: v.phone ?? undefined, association: v.association ?? undefined,
      skills: v.skills.join(', '), availability: v.availability ?? undefined, backgroundCheckReference: v.backgroundCheckReference ?? undefined,
      backgroundCheckOn: v.backgroundCheckOn ?? undefined, backgroundCheckExpiresOn: v.backgroundCheckExpiresOn ?? undefined,
      trainingNotes: v.trainingNotes ?? undefined, startedOn: v.startedOn ?? undefined, status: v.status, ...changes,
    } as VolunteerDto;
  }

  beforeAll(async () => {
    t = await createTestApp();
    today = todayIn(ROME);
    running = currentQuarter(ROME);
    home = await createHome(t, { name: 'Casa Storia', timezone: ROME });
    managerUser = await createUser(t, { role: 'manager', homeIds: [home.id] });
    manager = await sessionUserOf(t, managerUser.id);
    agent = await signIn(t, managerUser.email, managerUser.password);

    // ---- Recorded during 2026-Q3 (their history rows are moved into the quarter below).
    residentId = (await createResident(t, home.id, { firstName: 'Ada', lastName: 'Storici', admittedOn: '2026-01-10' })).id;
    const writes = t.get(PlanWritesService);
    const draft = await writes.createDraft(manager, residentId, {
      whatMattersToMe: 'Music', goalDescription: ['Sing with the choir'], goalTarget: ['2'], goalStatus: ['active'], goalCategories: ['0:creative'],
    } as PlanDto);
    // Due for review on 1 September: overdue at the quarter's end.
    await writes.agree(manager, residentId, draft.id, { agreedOn: '2026-03-02', nextReviewOn: '2026-09-01' });
    plan = await t.dataSource.getRepository(ActivityPlan).findOneByOrFail({ id: draft.id });

    volunteers.renewed = await createVolunteer(t, home.id, { startedOn: '2026-01-01', backgroundCheckOn: '2025-10-20', backgroundCheckExpiresOn: '2026-10-20' }); // expiring at Q3's end
    volunteers.paused = await createVolunteer(t, home.id, { startedOn: '2026-02-01', backgroundCheckOn: '2025-01-01', backgroundCheckExpiresOn: '2028-01-01' }); // valid
    volunteers.removed = await createVolunteer(t, home.id, { startedOn: '2026-01-15', backgroundCheckOn: '2023-09-01', backgroundCheckExpiresOn: '2026-09-01' }); // expired
    volunteers.none = await createVolunteer(t, home.id, { startedOn: '2026-03-01' }); // no check on record

    const suggestions = t.get(SuggestionsService);
    const idea = (title: string) => suggestions.submitForResident(manager, residentId, { kind: 'activity_idea', title, body: 'An idea', wholeHome: true });
    suggestionIds.pending = (await idea('Gardening club')).id;
    suggestionIds.declined = (await idea('Karaoke night')).id;
    suggestionIds.accepted = (await idea('Tango lessons')).id;
    await suggestions.respond(manager, suggestionIds.accepted, { status: 'accepted', response: 'Yes' });

    // As if written then: received on 10, 11 and 12 September, the tango answered on the 14th.
    const received: Record<string, Date> = {
      [suggestionIds.pending]: new Date('2026-09-10T08:00:00Z'), [suggestionIds.declined]: new Date('2026-09-11T08:00:00Z'), [suggestionIds.accepted]: new Date('2026-09-12T08:00:00Z'),
    };
    const answered = new Date('2026-09-14T08:00:00Z');
    for (const [id, at] of Object.entries(received)) await t.dataSource.getRepository(Suggestion).update({ id }, { createdAt: at, ...(id === suggestionIds.accepted ? { respondedAt: answered } : {}) });
    for (const row of await t.dataSource.getRepository(SuggestionHistory).findBy({ homeId: home.id })) {
      await t.dataSource.getRepository(SuggestionHistory).update({ id: row.id }, { validFrom: row.status === 'new' ? received[row.suggestionId] : answered, respondedAt: row.respondedAt ? answered : null });
    }
    await t.dataSource.getRepository(VolunteerHistory).update({ homeId: home.id }, { validFrom: DURING_Q3 });
    await t.dataSource.getRepository(ActivityPlanHistory).update({ homeId: home.id }, { validFrom: DURING_Q3 });

    // ---- Entered after the quarter, with a start date in it: counted as first recorded.
    volunteers.late = await createVolunteer(t, home.id, { startedOn: '2026-08-01' });

    runningBefore = await reports().quarterlyReport(home.id, running, { names: true });
    statementsBefore = await statementsOf(() => reports().quarterlyReport(home.id, Q3, { names: true }));
    const res = await agent.post('/reports/issued').type('form').send({ _csrf: await formToken(agent, '/account'), homeId: home.id, quarter: Q3, locale: 'en' });
    expect(res.status).toBe(303);
    const [row] = await t.dataSource.getRepository(IssuedReport).findBy({ homeId: home.id, quarter: Q3 });
    issuedModel = JSON.parse(row.model) as QuarterlyReport;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('should issue the quarter with the figures as recorded during it', () => {
    expect(issuedModel.current.plans.reviewsOverdue).toBe(1);
    expect(issuedModel.current.volunteers).toMatchObject({ active: 5, checksExpiring: 1, checksExpired: 1, checksMissing: 2 });
    expect(issuedModel.current.volunteers.expiringChecks!.map((c) => c.volunteerId)).toEqual([volunteers.removed.id, volunteers.renewed.id]);
    expect(issuedModel.current.voice.suggestions).toEqual({ received: 3, accepted: 1, declined: 0, pending: 2, medianDaysToAnswer: 2 });
  });

  describe('after the plan, volunteers and suggestions changed', () => {
    beforeAll(async () => {
      // A review today moves the next review date six months on.
      const goals = await t.dataSource.getRepository(PlanGoal).findBy({ planId: plan.id });
      await t.get(PlanWritesService).recordReview(manager, residentId, plan.id, { reviewedOn: today, residentTookPart: true, scores: goals.map((g) => `${g.id}:1`) });
      const people = t.get(VolunteersService);
      await people.update(manager, volunteers.renewed.id, volunteerForm(volunteers.renewed, { backgroundCheckOn: today, backgroundCheckExpiresOn: addDays(today, 1000) }));
      await people.update(manager, volunteers.paused.id, volunteerForm(volunteers.paused, { status: 'paused' }));
      await people.update(manager, volunteers.removed.id, volunteerForm(volunteers.removed, { backgroundCheckOn: undefined, backgroundCheckExpiresOn: undefined, backgroundCheckReference: undefined }));
      await people.archive(manager, volunteers.late.id);
      const suggestions = t.get(SuggestionsService);
      await suggestions.respond(manager, suggestionIds.pending, { status: 'accepted', response: 'Spring it is' });
      await suggestions.respond(manager, suggestionIds.declined, { status: 'declined', response: 'No room for it' });
      await suggestions.respond(manager, suggestionIds.accepted, { status: 'done' });
    }, 60_000);

    it('should have changed the records themselves and written a history row for each change', async () => {
      expect((await t.dataSource.getRepository(ActivityPlan).findOneByOrFail({ id: plan.id })).nextReviewOn).not.toBe('2026-09-01');
      expect(await t.dataSource.getRepository(ActivityPlanHistory).find({ where: { planId: plan.id }, order: { id: 'ASC' } })).toEqual([
        expect.objectContaining({ status: 'agreed', agreedOn: '2026-03-02', nextReviewOn: '2026-09-01', validFrom: DURING_Q3 }),
        expect.objectContaining({ status: 'agreed', agreedOn: '2026-03-02', nextReviewOn: expect.not.stringMatching('2026-09-01') }),
      ]);
      const history = await t.dataSource.getRepository(VolunteerHistory).find({ where: { homeId: home.id }, order: { id: 'ASC' } });
      expect(history.filter((h) => h.volunteerId === volunteers.paused.id).map((h) => h.status)).toEqual(['active', 'paused']);
      expect(history.filter((h) => h.volunteerId === volunteers.removed.id).map((h) => h.backgroundCheckExpiresOn)).toEqual(['2026-09-01', null]);
      expect(history.filter((h) => h.volunteerId === volunteers.late.id).map((h) => h.status)).toEqual(['active', 'left']);
      const statuses = async (id: string) => (await t.dataSource.getRepository(SuggestionHistory).find({ where: { suggestionId: id }, order: { id: 'ASC' } })).map((h) => h.status);
      expect(await statuses(suggestionIds.pending)).toEqual(['new', 'accepted']);
      expect(await statuses(suggestionIds.declined)).toEqual(['new', 'declined']);
      expect(await statuses(suggestionIds.accepted)).toEqual(['new', 'accepted', 'done']);
    });

    it('should recompute the closed quarter equal to its issue, with and without names', async () => {
      expect(asIssued(await q3Now())).toEqual(issuedModel);
      const [row] = await t.dataSource.getRepository(IssuedReport).findBy({ homeId: home.id, quarter: Q3 });
      const withoutNames = JSON.parse(row.modelWithoutNames) as QuarterlyReport;
      expect(asIssued(await q3Now(false))).toEqual(withoutNames);
    });

    it('should make the same queries for the quarter however many changes the history holds', async () => {
      const people = t.get(VolunteersService);
      // Three more volunteers, each made, renewed and archived (starting after the quarter, so its figures stay).
      for (let i = 0; i < 3; i += 1) {
        const v = await createVolunteer(t, home.id, { startedOn: '2026-11-01', backgroundCheckOn: '2025-04-01', backgroundCheckExpiresOn: '2026-09-20' });
        await people.update(manager, v.id, volunteerForm(v, { backgroundCheckExpiresOn: addDays(today, 500) }));
        await people.archive(manager, v.id);
      }
      const after = await statementsOf(() => reports().quarterlyReport(home.id, Q3, { names: true }));
      expect(after.length).toBe(statementsBefore.length);
      expect(after.sort()).toEqual([...statementsBefore].sort());
    });

    it('should list no difference on the issued quarter\'s preview', async () => {
      const view = await t.get(IssuedReportsService).quarter(manager, home.id, Q3);
      expect(view.differences).toEqual({ figures: [], details: [] });
      const res = await agent.get(`/reports/quarterly?homeId=${home.id}&quarter=${Q3}`).expect(200);
      expect(res.text).toContain(`<p class="report-differences">${escapeHtml(translate('en', 'reports.issued.noDifferences'))}</p>`);
    });

    it('should show the running quarter as the records are now', async () => {
      const after = await reports().quarterlyReport(home.id, running, { names: true });
      expect(runningBefore.current.plans.reviewsOverdue).toBe(1);
      expect(after.current.plans.reviewsOverdue).toBe(0);
      // Paused and left: two fewer active; the renewed check no longer listed; the removed one now "no check on record".
      expect(after.current.volunteers.active).toBe(runningBefore.current.volunteers.active - 2);
      const listed = (report: QuarterlyReport) => report.current.volunteers.expiringChecks!.map((c) => c.volunteerId);
      const missing = (report: QuarterlyReport) => report.current.volunteers.missingChecks!.map((c) => c.volunteerId);
      expect(listed(runningBefore)).toEqual(expect.arrayContaining([volunteers.renewed.id, volunteers.removed.id]));
      expect(listed(after)).toEqual([]);
      expect(missing(runningBefore).sort()).toEqual([volunteers.none.id, volunteers.late.id].sort());
      expect(missing(after).sort()).toEqual([volunteers.none.id, volunteers.removed.id].sort());
      // The closed quarter's suggestions stand as answered now, though the quarter counts them as they were.
      const now = await t.dataSource.getRepository(Suggestion).findBy({ homeId: home.id });
      expect(Object.fromEntries(now.map((s) => [s.id, s.status]))).toEqual({
        [suggestionIds.pending]: 'accepted', [suggestionIds.declined]: 'declined', [suggestionIds.accepted]: 'done',
      });
    });

    it('should count a suggestion of the running quarter as it is answered', async () => {
      const suggestions = t.get(SuggestionsService);
      const { id } = await suggestions.submitForResident(manager, residentId, { kind: 'activity_idea', title: 'Chess', body: 'A chess club', wholeHome: true });
      const before = (await reports().quarterlyReport(home.id, running, { names: false })).current.voice.suggestions;
      expect(before).toMatchObject({ received: 1, accepted: 0, pending: 1 });
      await suggestions.respond(manager, id, { status: 'accepted', response: 'Yes' });
      expect((await reports().quarterlyReport(home.id, running, { names: false })).current.voice.suggestions).toMatchObject({ received: 1, accepted: 1, pending: 0 });
    });
  });

  it('should keep no names or free text in the history tables: ids, statuses, dates and instants only', () => {
    const allowed = new Set(['id', 'homeId', 'planId', 'volunteerId', 'suggestionId', 'status', 'agreedOn', 'nextReviewOn', 'startedOn', 'backgroundCheckExpiresOn', 'respondedAt', 'validFrom']);
    for (const entity of [ActivityPlanHistory, VolunteerHistory, SuggestionHistory]) {
      expect(t.dataSource.getMetadata(entity).columns.map((c) => c.propertyName).filter((name) => !allowed.has(name))).toEqual([]);
    }
  });
});

describe('Report history: migration 1795883800000 on existing records', () => {
  let t: TestApp;
  const ids = { home: randomUUID(), resident: randomUUID(), volunteer: randomUUID(), agreed: randomUUID(), archived: randomUUID(), draft: randomUUID(), suggestion: randomUUID() };
  const created = new Date('2026-02-03T10:00:00.000Z');
  const answered = new Date('2026-02-05T10:00:00.000Z');

  let database: TestDatabase | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url, SESSION_SECRET: 's'.repeat(40) });
    const older = migrations.filter((m) => timestampOf(m) < HISTORY_MIGRATION);
    expect(older.length).toBeLessThan(migrations.length);
    const ds = new DataSource({ ...buildDataSourceOptions(config), migrations: older });
    await ds.initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
      const raw = (sql: string, params: unknown[]) => {
        let n = 0;
        return ds.query(isSqlite(ds) ? sql : sql.replace(/\?/g, () => `$${(n += 1)}`), params);
      };
      const at = (d: Date) => (isSqlite(ds) ? d.toISOString().slice(0, 23).replace('T', ' ') : d.toISOString());
      await raw("INSERT INTO home (id, name, slug, timezone, locale) VALUES (?, 'Villa Prima', 'villa-prima', 'Europe/Rome', 'it')", [ids.home]);
      await raw('INSERT INTO resident (id, "homeId", "firstName", "lastName", "admittedOn", interests) VALUES (?, ?, \'Anna\', \'Alba\', \'2025-01-10\', \'\')', [ids.resident, ids.home]);
      await raw(
        'INSERT INTO volunteer (id, "createdAt", "updatedAt", "homeId", "firstName", "lastName", skills, "startedOn", "backgroundCheckExpiresOn", status) ' +
          'VALUES (?, ?, ?, ?, \'Vera\', \'Verdi\', \'[]\', \'2025-05-01\', \'2026-10-20\', \'paused\')',
        [ids.volunteer, at(created), at(created), ids.home],
      );
      for (const [id, version, status, agreedOn, nextReviewOn] of [
        [ids.archived, 1, 'archived', '2025-02-01', '2025-08-01'], [ids.agreed, 2, 'agreed', '2025-09-01', '2026-03-01'], [ids.draft, 3, 'draft', null, null],
      ] as const) {
        await raw(
          'INSERT INTO activity_plan (id, "createdAt", "updatedAt", "homeId", "residentId", version, status, "agreedOn", "nextReviewOn") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [id, at(created), at(created), ids.home, ids.resident, version, status, agreedOn, nextReviewOn],
        );
      }
      await raw(
        'INSERT INTO suggestion (id, "createdAt", "updatedAt", "homeId", "authorType", kind, title, body, status, "respondedAt") ' +
          'VALUES (?, ?, ?, ?, \'family\', \'activity_idea\', \'Idea\', \'An idea\', \'declined\', ?)',
        [ids.suggestion, at(created), at(answered), ids.home, at(answered)],
      );
    } finally {
      await ds.destroy();
    }
    // The app runs the pending migration as it starts.
    t = await createTestApp({ database });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    // An app given its database leaves it; the PostgreSQL one would outlive the run.
    await database?.drop();
  });

  it('should write one row per existing record from its current values, valid from its createdAt (plans once agreed)', async () => {
    expect(await t.dataSource.getRepository(VolunteerHistory).findBy({ homeId: ids.home })).toEqual([
      expect.objectContaining({ volunteerId: ids.volunteer, status: 'paused', startedOn: '2025-05-01', backgroundCheckExpiresOn: '2026-10-20', validFrom: created }),
    ]);
    const plans = await t.dataSource.getRepository(ActivityPlanHistory).findBy({ homeId: ids.home });
    expect(plans.map((p) => [p.planId, p.status, p.agreedOn, p.nextReviewOn, p.validFrom]).sort()).toEqual([
      [ids.agreed, 'agreed', '2025-09-01', '2026-03-01', created], [ids.archived, 'archived', '2025-02-01', '2025-08-01', created],
    ].sort());
    expect(await t.dataSource.getRepository(SuggestionHistory).findBy({ homeId: ids.home })).toEqual([
      expect.objectContaining({ suggestionId: ids.suggestion, status: 'declined', respondedAt: answered, validFrom: created }),
    ]);
  });

  it('should count the migrated records as they are in a quarter before the migration', async () => {
    const report = await t.get(ReportService).quarterlyReport(ids.home, '2026-Q1', { names: true, now: new Date('2026-12-03T10:00:00Z') });
    expect(report.current.volunteers.active).toBe(0);
    expect(report.current.plans).toMatchObject({ residentsWithAgreedPlan: { count: 1 }, reviewsOverdue: 1 });
    expect(report.current.voice.suggestions).toMatchObject({ received: 1, declined: 1, pending: 0 });
  });
});
