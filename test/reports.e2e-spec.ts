import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { ACTOR_TYPES, ContributionSource, PHASES } from '../src/contributions/contributions.enums';
import type { HomeView } from '../src/homes/homes.service';
import { todayIn } from '../src/common/time/zoned';
import type { FigureRow, QuarterFigures, QuarterlyReport } from '../src/reports/quarterly-report.model';
import { figureCells } from '../src/reports/report-format';
import { ReportService } from '../src/reports/report.service';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, signIn } from './support/http';
import { binary, buildReportScenario, flat, pdfText, ReportScenario } from './support/report-fixtures';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';
import { buildApp } from './support/build';

/** A fixed moment well after 2026-Q3, so "today" never cuts the quarter short. */
const NOW = new Date('2026-11-28T12:00:00Z');
const zero = { active: 0, passive: 0, disengaged: 0, declined: 0, absent: 0 };

/** Figures as key -> [this quarter, previous quarter, change]. */
function figureMap(figures: FigureRow[]): Record<string, [number | null, number | null, number | null]> {
  return Object.fromEntries(figures.map((f) => [f.key, [f.current, f.previous, f.change]]));
}

/**
 * The expected figures, worked out by hand from test/support/report-fixtures.ts (each record there
 * says where it counts). Q3 = 1 Jul - 30 Sep 2026 in Europe/Rome, 92 days; Q2 = 1 Apr - 30 Jun, 91 days.
 */
function expectedQ3(s: ReportScenario): QuarterFigures {
  const { r1, r2, r3, r6, r7 } = s.residents;
  const rows = [
    // exact per week: R7 0 < R2 7/61 < R1 35/92 < R3 28/21 < R6 7/1
    { residentId: r7.id, name: 'Giulia Galli', days: 92, attended: 0, perWeek: 0, counts: { ...zero } },
    { residentId: r2.id, name: 'Bruno Bassi', days: 61, attended: 1, perWeek: 0.11, counts: { ...zero, passive: 1, absent: 1 } },
    { residentId: r1.id, name: 'Anna Alba', days: 92, attended: 5, perWeek: 0.38, counts: { ...zero, active: 3, passive: 1, disengaged: 1 } },
    { residentId: r3.id, name: 'Carla Conti', days: 21, attended: 4, perWeek: 1.33, counts: { ...zero, active: 2, disengaged: 2, declined: 1 } },
    { residentId: r6.id, name: 'Franco Ferri', days: 1, attended: 1, perWeek: 7, counts: { ...zero, active: 1 } },
  ];
  return {
    quarter: '2026-Q3', firstDay: '2026-07-01', lastDay: '2026-09-30', referenceDate: '2026-09-30', countedTo: '2026-09-30', daysCounted: 92, partial: false,
    participation: {
      residentsInQuarter: 5,
      activitiesHeld: 7,
      participationsRecorded: 13,
      attended: 11,
      residentsReached: { count: 4, percent: 80 },
      engagementByMonth: [
        { month: '2026-07', counts: { active: 4, passive: 1, disengaged: 2, declined: 1, absent: 0 }, total: 8 },
        { month: '2026-08', counts: { ...zero, active: 1, absent: 1 }, total: 2 },
        // The 23:30 concert on 30 September counts in September (the 00:30 one on 1 October does not).
        { month: '2026-09', counts: { ...zero, active: 1, passive: 1, disengaged: 1 }, total: 3 },
      ],
      engagementTotals: { active: 6, passive: 2, disengaged: 3, declined: 1, absent: 1 },
    },
    coProduction: {
      coProducedActivities: 4, // A1 volunteer, A2 family, A6 resident, A10 resident (A3 staff only)
      coProducedShare: 57.1, // 4 / 7
      contributions: 8,
      countByActor: { resident: 2, family: 2, volunteer: 1, staff: 3 },
      withoutTime: 1, // C5, a resident's co-design with 0 minutes
      withoutTimeByActor: { resident: 1, family: 0, volunteer: 0, staff: 0 },
      withoutTimeBySource: [
        { source: 'manual', count: 1 }, { source: 'help_offer', count: 0 }, { source: 'plan_review', count: 0 },
        { source: 'suggestion', count: 0 }, { source: 'feedback', count: 0 }, { source: 'check_in', count: 0 },
      ],
      hoursByActor: { resident: 0.17, family: 2, volunteer: 1, staff: 2.17 }, // 10, 120, 60, 130 minutes
      totalHours: 5.33, // 320 minutes
      phaseActor: [
        { phase: 'co_commissioning', actorType: 'resident', count: 0, minutes: 0, hours: 0 },
        { phase: 'co_commissioning', actorType: 'family', count: 1, minutes: 30, hours: 0.5 },
        { phase: 'co_commissioning', actorType: 'volunteer', count: 0, minutes: 0, hours: 0 },
        { phase: 'co_commissioning', actorType: 'staff', count: 0, minutes: 0, hours: 0 },
        { phase: 'co_design', actorType: 'resident', count: 1, minutes: 0, hours: 0 },
        { phase: 'co_design', actorType: 'family', count: 0, minutes: 0, hours: 0 },
        { phase: 'co_design', actorType: 'volunteer', count: 0, minutes: 0, hours: 0 },
        { phase: 'co_design', actorType: 'staff', count: 1, minutes: 25, hours: 0.42 },
        { phase: 'co_delivery', actorType: 'resident', count: 0, minutes: 0, hours: 0 },
        { phase: 'co_delivery', actorType: 'family', count: 1, minutes: 90, hours: 1.5 },
        { phase: 'co_delivery', actorType: 'volunteer', count: 1, minutes: 60, hours: 1 },
        { phase: 'co_delivery', actorType: 'staff', count: 2, minutes: 105, hours: 1.75 },
        { phase: 'co_assessment', actorType: 'resident', count: 1, minutes: 10, hours: 0.17 },
        { phase: 'co_assessment', actorType: 'family', count: 0, minutes: 0, hours: 0 },
        { phase: 'co_assessment', actorType: 'volunteer', count: 0, minutes: 0, hours: 0 },
        { phase: 'co_assessment', actorType: 'staff', count: 0, minutes: 0, hours: 0 },
      ],
    },
    fairShare: {
      residents: 5,
      buckets: [
        { key: 'none', count: 1 }, { key: 'belowOne', count: 2 }, { key: 'oneToTwo', count: 1 },
        { key: 'twoToThree', count: 0 }, { key: 'threeToFive', count: 0 }, { key: 'fivePlus', count: 1 },
      ],
      belowOnePerWeek: 3,
      needingAttentionCount: 3, // all three lived in the home 61 days or more
      medianPerWeek: 0.38,
      rows,
      needingAttention: rows.slice(0, 3),
    },
    plans: {
      residentsWithAgreedPlan: { count: 4, percent: 80 }, // R1 (v2), R2, R3, R7; R6's plan was agreed after the quarter
      reviewsOverdue: 1, // R2; R3 has left, R7's review is due on the day itself
      goalsByScore: [{ score: -2, count: 0 }, { score: -1, count: 1 }, { score: 0, count: 0 }, { score: 1, count: 1 }, { score: 2, count: 1 }],
      goalsScored: 3,
    },
    voice: {
      suggestions: { received: 5, accepted: 2, declined: 1, pending: 2, medianDaysToAnswer: 2 }, // median of 15 min, 2 d, 5.5 d
      feedback: { count: 3, meanRating: 3.67 },
      wellbeing: [
        { perspective: 'resident', count: 3, means: { doingThings: 3.33, people: 2.33, choice: 3 } },
        { perspective: 'family', count: 1, means: { doingThings: 2, people: 3, choice: 3 } },
        { perspective: 'staff', count: 0, means: { doingThings: null, people: null, choice: null } },
      ],
      wellbeingCoverage: { count: 3, percent: 60 }, // R1, R2, R3 of 5
    },
    volunteers: {
      active: 5, // Vera, Marco, Lucia, Paolo (started in August), Ada (no check); not Sara (paused) nor Ugo (starts in October)
      contributing: 1,
      hours: 1,
      checksExpiring: 2, // Vera 15 Oct, Lucia 29 Nov (60th day)
      checksExpired: 1, // Marco 20 Aug
      checksMissing: 1, // Ada
      missingChecks: [{ volunteerId: s.volunteers.ada.id, name: 'Ada Senza' }],
      expiringChecks: [
        { volunteerId: s.volunteers.v2.id, name: 'Marco Neri', expiresOn: '2026-08-20' },
        { volunteerId: s.volunteers.v1.id, name: 'Vera Verdi', expiresOn: '2026-10-15' },
        { volunteerId: s.volunteers.v3.id, name: 'Lucia Rosa', expiresOn: '2026-11-29' },
      ],
    },
  };
}

const EXPECTED_Q2: QuarterFigures = {
  quarter: '2026-Q2', firstDay: '2026-04-01', lastDay: '2026-06-30', referenceDate: '2026-06-30', countedTo: '2026-06-30', daysCounted: 91, partial: false,
  participation: {
    residentsInQuarter: 4, // R1, R3, R5 (left 15 Jun), R7
    activitiesHeld: 2, // A9, and A8 at 23:30 on 30 June
    participationsRecorded: 4,
    attended: 3,
    residentsReached: { count: 3, percent: 75 },
    engagementByMonth: [
      { month: '2026-04', counts: { ...zero }, total: 0 },
      { month: '2026-05', counts: { ...zero, active: 1, declined: 1 }, total: 2 },
      { month: '2026-06', counts: { ...zero, active: 1, passive: 1 }, total: 2 },
    ],
    engagementTotals: { active: 2, passive: 1, disengaged: 0, declined: 1, absent: 0 },
  },
  coProduction: {
    coProducedActivities: 1,
    coProducedShare: 50,
    contributions: 2,
    countByActor: { resident: 0, family: 0, volunteer: 2, staff: 0 },
    withoutTime: 0,
    withoutTimeByActor: { resident: 0, family: 0, volunteer: 0, staff: 0 },
    withoutTimeBySource: ['manual', 'help_offer', 'plan_review', 'suggestion', 'feedback', 'check_in'].map((source) => ({ source: source as ContributionSource, count: 0 })),
    hoursByActor: { resident: 0, family: 0, volunteer: 2.25, staff: 0 },
    totalHours: 2.25,
    // C13 (a volunteer delivering the May fair) and C7 (a volunteer's programme-wide assessment on 30 June); every other cell is 0.
    phaseActor: PHASES.flatMap((phase) => ACTOR_TYPES.map((actorType) => {
      const cell = { phase, actorType, count: 0, minutes: 0, hours: 0 };
      if (actorType === 'volunteer' && phase === 'co_delivery') return { ...cell, count: 1, minutes: 120, hours: 2 };
      if (actorType === 'volunteer' && phase === 'co_assessment') return { ...cell, count: 1, minutes: 15, hours: 0.25 };
      return cell;
    })),
  },
  fairShare: {
    residents: 4,
    buckets: [
      { key: 'none', count: 1 }, { key: 'belowOne', count: 3 }, { key: 'oneToTwo', count: 0 },
      { key: 'twoToThree', count: 0 }, { key: 'threeToFive', count: 0 }, { key: 'fivePlus', count: 0 },
    ],
    belowOnePerWeek: 4,
    needingAttentionCount: 4,
    medianPerWeek: 0.08, // (7/91 + 7/91) / 2
    rows: null,
    needingAttention: null,
  },
  plans: {
    residentsWithAgreedPlan: { count: 2, percent: 50 }, // R1 (v1, since archived), R3
    reviewsOverdue: 2, // both were due on 1 June
    goalsByScore: [{ score: -2, count: 1 }, { score: -1, count: 0 }, { score: 0, count: 0 }, { score: 1, count: 0 }, { score: 2, count: 0 }],
    goalsScored: 1,
  },
  voice: {
    suggestions: { received: 1, accepted: 1, declined: 0, pending: 0, medianDaysToAnswer: 1 },
    feedback: { count: 1, meanRating: 3 },
    wellbeing: [
      { perspective: 'resident', count: 1, means: { doingThings: 2, people: 2, choice: 3 } },
      { perspective: 'family', count: 2, means: { doingThings: 2.5, people: 3.5, choice: 2.5 } },
      { perspective: 'staff', count: 1, means: { doingThings: 1, people: 1, choice: 1 } },
    ],
    wellbeingCoverage: { count: 2, percent: 50 }, // R1, R3 of 4
  },
  volunteers: { active: 4, contributing: 2, hours: 2.25, checksExpiring: 1, checksExpired: 0, checksMissing: 1, expiringChecks: null, missingChecks: null },
};

const EXPECTED_FIGURES: Record<string, [number | null, number | null, number | null]> = {
  residentsInQuarter: [5, 4, 1], activitiesHeld: [7, 2, 5], participationsRecorded: [13, 4, 9], attended: [11, 3, 8],
  residentsReached: [4, 3, 1], residentsReachedPercent: [80, 75, 5],
  'engagement.active': [6, 2, 4], 'engagement.passive': [2, 1, 1], 'engagement.disengaged': [3, 0, 3], 'engagement.declined': [1, 1, 0], 'engagement.absent': [1, 0, 1],
  coProducedActivities: [4, 1, 3], coProducedShare: [57.1, 50, 7.1], contributions: [8, 2, 6], totalHours: [5.33, 2.25, 3.08],
  'contributionCount.resident': [2, 0, 2], 'contributionCount.family': [2, 0, 2], 'contributionCount.volunteer': [1, 2, -1], 'contributionCount.staff': [3, 0, 3],
  contributionsWithoutTime: [1, 0, 1], needingAttention: [3, 4, -1], wellbeingCoverage: [3, 2, 1], wellbeingCoveragePercent: [60, 50, 10], checksMissing: [1, 1, 0],
  'hours.resident': [0.17, 0, 0.17], 'hours.family': [2, 0, 2], 'hours.volunteer': [1, 2.25, -1.25], 'hours.staff': [2.17, 0, 2.17],
  belowOnePerWeek: [3, 4, -1], medianPerWeek: [0.38, 0.08, 0.3],
  'fairShare.none': [1, 1, 0], 'fairShare.belowOne': [2, 3, -1], 'fairShare.oneToTwo': [1, 0, 1], 'fairShare.twoToThree': [0, 0, 0],
  'fairShare.threeToFive': [0, 0, 0], 'fairShare.fivePlus': [1, 0, 1],
  residentsWithAgreedPlan: [4, 2, 2], residentsWithAgreedPlanPercent: [80, 50, 30], reviewsOverdue: [1, 2, -1], goalsScored: [3, 1, 2],
  'goals.-2': [0, 1, -1], 'goals.-1': [1, 0, 1], 'goals.0': [0, 0, 0], 'goals.1': [1, 0, 1], 'goals.2': [1, 0, 1],
  suggestionsReceived: [5, 1, 4], suggestionsAccepted: [2, 1, 1], suggestionsDeclined: [1, 0, 1], suggestionsPending: [2, 0, 2],
  medianDaysToAnswer: [2, 1, 1], feedbackCount: [3, 1, 2], feedbackMeanRating: [3.67, 3, 0.67],
  'wellbeing.resident.count': [3, 1, 2], 'wellbeing.resident.doingThings': [3.33, 2, 1.33], 'wellbeing.resident.people': [2.33, 2, 0.33], 'wellbeing.resident.choice': [3, 3, 0],
  'wellbeing.family.count': [1, 2, -1], 'wellbeing.family.doingThings': [2, 2.5, -0.5], 'wellbeing.family.people': [3, 3.5, -0.5], 'wellbeing.family.choice': [3, 2.5, 0.5],
  'wellbeing.staff.count': [0, 1, -1], 'wellbeing.staff.doingThings': [null, 1, null], 'wellbeing.staff.people': [null, 1, null], 'wellbeing.staff.choice': [null, 1, null],
  volunteersActive: [5, 4, 1], volunteersContributing: [1, 2, -1], volunteerHours: [1, 2.25, -1.25], checksExpiring: [2, 1, 1], checksExpired: [1, 0, 1],
};

describe('Quarterly co-production report', () => {
  let t: TestApp;
  let home: HomeView;
  let otherHome: HomeView;
  let scenario: ReportScenario;
  const users: Record<string, TestUser> = {};
  const agents: Record<string, Agent> = {};
  const query = () => `homeId=${home.id}&quarter=2026-Q3`;

  beforeAll(async () => {
    t = await createTestApp();
    home = await createHome(t, { name: 'Casa Prova', slug: 'casa-prova' });
    // A home whose name a spreadsheet would take for a formula.
    otherHome = await createHome(t, { name: '=HYPERLINK("http://evil.example")', slug: 'casa-formula' });
    scenario = await buildReportScenario(t, home.id, otherHome.id);
    await createResident(t, otherHome.id, { firstName: '@SUM(A1:A9)', lastName: 'Formula', admittedOn: '2025-01-01' });
    for (const role of ['manager', 'coordinator', 'carer', 'family', 'volunteer'] as const) {
      users[role] = await createUser(t, { role, homeIds: [home.id], displayName: `Test ${role}` });
    }
    users.admin = await createUser(t, { role: 'admin', displayName: 'Ada Admin' });
    users.otherManager = await createUser(t, { role: 'manager', homeIds: [otherHome.id], displayName: 'Other Manager' });
    for (const [name, user] of Object.entries(users)) agents[name] = await signIn(t, user.email, user.password);
  }, 120_000);

  afterAll(async () => {
    await t.close();
  });

  describe('the model', () => {
    let report: QuarterlyReport;

    beforeAll(async () => {
      report = await t.get(ReportService).quarterlyReport(home.id, '2026-Q3', { names: true, generatedBy: 'Laura Bertolini', now: NOW });
    });

    it('should say which home, quarter and copy it is when generated', () => {
      expect(report.meta).toEqual({
        homeId: home.id, homeName: 'Casa Prova', homeSlug: 'casa-prova', timezone: 'Europe/Rome', country: 'IT', quarter: '2026-Q3', previousQuarter: '2026-Q2',
        generatedAt: '2026-11-28T12:00:00.000Z', generatedBy: 'Laura Bertolini', withNames: true, inProgress: false,
      });
    });

    it('should compute every SPEC 5 figure for the quarter when built from hand-checked records', () => {
      expect(report.current).toEqual(expectedQ3(scenario));
    });

    it('should compute the previous quarter with the same definitions when changes are shown', () => {
      expect(report.previous).toEqual(EXPECTED_Q2);
    });

    it('should list every figure with its change from the previous quarter when flattened', () => {
      expect(figureMap(report.figures)).toEqual(EXPECTED_FIGURES);
      expect(report.figures.filter((f) => f.headline).map((f) => f.key)).toEqual([
        'residentsInQuarter', 'activitiesHeld', 'attended', 'residentsReachedPercent', 'coProducedShare', 'totalHours', 'belowOnePerWeek',
        'residentsWithAgreedPlanPercent', 'reviewsOverdue', 'suggestionsReceived', 'feedbackMeanRating', 'volunteersActive',
      ]);
    });

    it('should leave every name out when the copy is without names', async () => {
      const preview = await t.get(ReportService).quarterlyReport(home.id, '2026-Q3', { names: false, now: NOW });
      expect(preview.current.fairShare).toEqual({ ...expectedQ3(scenario).fairShare, rows: null, needingAttention: null });
      expect(preview.current.volunteers.expiringChecks).toBeNull();
      expect(preview.current.volunteers.missingChecks).toBeNull();
      expect(JSON.stringify(preview)).not.toMatch(/Galli|Bassi|Alba|Neri|Verdi|Senza/);
      expect(figureMap(preview.figures)).toEqual(EXPECTED_FIGURES);
    });

    it('should take plans and checks as at today when the quarter is still running', async () => {
      const running = await t.get(ReportService).quarterlyReport(home.id, '2026-Q3', { names: false, now: new Date('2026-09-10T10:00:00Z') });
      expect(running.current.referenceDate).toBe('2026-09-10');
      // R2's review (15 Sep) is not due yet on 10 September; Marco's check (20 Aug) has run out.
      expect(running.current.plans.reviewsOverdue).toBe(0);
      expect(running.current.volunteers.checksExpired).toBe(1);
    });

    it('should refuse a quarter that is not written like 2026-Q3', async () => {
      await expect(t.get(ReportService).quarterlyReport(home.id, '2026-Q5', { names: false })).rejects.toMatchObject({ status: 422 });
    });
  });

  describe('who may see it', () => {
    const cases: [string, string, Record<string, number>][] = [
      ['GET /reports', '/reports', { manager: 200, admin: 200, coordinator: 200, carer: 403, family: 403, volunteer: 403 }],
      ['GET /reports/quarterly', `/reports/quarterly?$Q`, { manager: 200, admin: 200, coordinator: 200, carer: 403, family: 403, volunteer: 403, otherManager: 404 }],
      ['GET /reports/quarterly.pdf', `/reports/quarterly.pdf?$Q`, { manager: 200, admin: 200, coordinator: 403, carer: 403, family: 403, volunteer: 403, otherManager: 404 }],
      ['GET /reports/quarterly.csv', `/reports/quarterly.csv?$Q&table=figures`, { manager: 200, admin: 200, coordinator: 403, carer: 403, family: 403, volunteer: 403, otherManager: 404 }],
    ];

    it.each(cases)('should answer %s by role and home', async (_label, path, expected) => {
      const url = path.replace('$Q', query());
      const actual: Record<string, number> = {};
      for (const role of Object.keys(expected)) actual[role] = (await agents[role].get(url).buffer(true).parse(binary)).status;
      expect(actual).toEqual(expected);
    });

    it('should send signed-out visitors to sign in', async () => {
      const res = await request(t.server).get(`/reports/quarterly.pdf?${query()}`);
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/login/);
    });

    it('should refuse a malformed quarter, table or language with 422', async () => {
      expect((await agents.manager.get(`/reports/quarterly?homeId=${home.id}&quarter=2026-Q5`)).status).toBe(422);
      // Without its query (a bookmark; "usual settings" from the error page) the preview opens on the
      // picker's defaults: the reader's home and the last closed quarter.
      const bad = await agents.manager.get(`/reports/quarterly?homeId=${home.id}&quarter=2026-Q9`).set('Accept', 'text/html');
      expect(bad.text).toContain('href="/reports/quarterly">Open this page with its usual settings');
      const bare = await agents.manager.get('/reports/quarterly').set('Accept', 'text/html');
      expect(bare.status).toBe(200);
      expect(bare.text).toContain(home.name);
      // A quarter to come has no figures: no report of zeros compared with the quarter before.
      const next = `${Number(todayIn('Europe/Rome').slice(0, 4)) + 1}-Q1`;
      for (const path of ['/reports/quarterly', '/reports/quarterly.pdf', '/reports/quarterly-without-names.pdf']) {
        const res = await agents.manager.get(`${path}?homeId=${home.id}&quarter=${next}`).set('Accept', 'text/html');
        expect(res.status).toBe(422);
        expect(res.text).toContain('This quarter has not started yet');
      }
      expect((await agents.manager.get(`/reports/quarterly.csv?${query()}&table=secrets`)).status).toBe(422);
      expect((await agents.manager.get(`/reports/quarterly.pdf?${query()}&locale=de`)).status).toBe(422);
    });

    it('should show the menu entry to managers and coordinators only', async () => {
      expect((await agents.manager.get('/')).text).toContain('href="/reports"');
      expect((await agents.coordinator.get('/')).text).toContain('href="/reports"');
      expect((await agents.family.get('/portal')).text).not.toContain('href="/reports"');
    });
  });

  describe('the HTML preview', () => {
    it('should show the manager the same numbers as the model, with names and downloads', async () => {
      const res = await agents.manager.get(`/reports/quarterly?${query()}`).expect(200);
      const text = flat(res.text.replace(/<[^>]+>/g, ' '));
      expect(text).toContain('Activities held 7 2 +5');
      expect(text).toContain('Co-produced share of activities held 57.1% 50.0% +7.1 pts');
      expect(text).toContain('Involvement hours 5.33 h 2.25 h +3.08 h');
      expect(text).toContain('Mean feedback rating (1 to 5) 3.67 3.00 +0.67');
      expect(text).toContain('Giulia Galli 92 0 0.00');
      expect(text).toContain('Marco Neri');
      const html = res.text.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
      expect(html).toContain(`href="/reports/quarterly.pdf?homeId=${home.id}&quarter=2026-Q3&locale=it"`);
      expect(html).toContain(`href="/reports/quarterly.csv?homeId=${home.id}&quarter=2026-Q3&table=participation"`);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it("should show the coordinator the figures without names, and no download but the copy without names", async () => {
      const res = await agents.coordinator.get(`/reports/quarterly?${query()}`).expect(200);
      const text = flat(res.text.replace(/<[^>]+>/g, ' '));
      expect(text).toContain('Activities held 7 2 +5');
      expect(text).toContain('3 residents attended fewer than one activity a week.');
      expect(text).not.toMatch(/Galli|Bassi|Marco Neri|Ada Senza/);
      expect(res.text).not.toContain('/reports/quarterly.pdf');
      expect(res.text).not.toContain('/reports/quarterly.csv');
      expect(res.text).toContain('/reports/quarterly-without-names.pdf');
    });
  });

  describe('the PDF', () => {
    let report: QuarterlyReport;
    let text: string;
    let pages: number;
    let response: request.Response;

    beforeAll(async () => {
      response = await agents.manager.get(`/reports/quarterly.pdf?${query()}&locale=en`).buffer(true).parse(binary);
      ({ text, pages } = await pdfText(response.body as Buffer));
      text = flat(text);
      report = await t.get(ReportService).quarterlyReport(home.id, '2026-Q3', { names: true, now: NOW });
    });

    it('should download as a PDF named after the home and quarter', () => {
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.headers['content-disposition']).toBe('attachment; filename="insieme-casa-prova-quarterly-report-2026-q3.pdf"');
      expect((response.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    });

    it('should number every page and name the home, quarter, time and author on each', () => {
      expect(pages).toBeGreaterThanOrEqual(5);
      // DejaVu Sans (every name prints) is wider than Helvetica, and the report gained figures: 10 pages.
      expect(pages).toBeLessThanOrEqual(10);
      for (let page = 1; page <= pages; page += 1) expect(text).toContain(`Page ${page} of ${pages}`);
      expect(text.match(/Casa Prova · July – September 2026/g)).toHaveLength(pages);
      expect(text.match(/Generated \d{1,2} \w{3} \d{4}, \d{2}:\d{2} by Test manager/g)).toHaveLength(pages);
    });

    it('should contain every figure of its tables with the same numbers as the model', () => {
      const shown = report.figures.filter((f) => !/^(engagement|fairShare|goals|wellbeing)\./.test(f.key));
      for (const f of shown) {
        const row = figureRowText(f);
        expect({ key: f.key, found: text.includes(row) ? row : text }).toEqual({ key: f.key, found: row });
      }
      expect(text).toContain('Activities held 7 2 +5');
      expect(text).toContain('Residents reached (% of residents) 80.0% 75.0% +5.0 pts');
      expect(text).toContain('Involvement hours: staff 2.17 h 0 h +2.17 h');
    });

    it('should draw the charts with their numbers as text', () => {
      expect(text).toContain('Engagement by month');
      expect(text).toMatch(/July 2026 4 1 2 1 0 8/);
      expect(text).toMatch(/Total 6 2 3 1 1 13/);
      expect(text).toContain('Co-delivery 0 · 0 h 1 · 1.5 h 1 · 1 h 2 · 1.75 h');
    });

    it('should name the residents needing attention and the checks to renew in the manager\'s copy', () => {
      expect(text).toContain('Giulia Galli 92 0 0.00');
      expect(text).toContain('Bruno Bassi 61 1 0.11');
      expect(text).toContain('Anna Alba 92 5 0.38');
      expect(text).not.toContain('Carla Conti 21');
      expect(text).toContain('Marco Neri 20 August 2026');
      expect(text).toContain('Ada Senza No check on record');
    });

    it("should map figures to the Italian framework in the annex when the home is in Italy (GB's NICE and CQC: standards-by-country)", () => {
      const annex = text.slice(text.indexOf('Annex A. How the figures evidence the standards', text.indexOf('Contents') + 200));
      expect(annex).toContain('LEA, DPCM 12 January 2017, art. 30');
      expect(annex).toContain('PAI, the individual care plan (DPCM 12 January 2017, art. 21)');
      expect(annex).toContain('Regional accreditation requirements for RSA');
      expect(annex).not.toContain('NICE');
      expect(annex).toContain('Co-produced share of activities held 57.1%');
      expect(annex).toContain('Residents with an agreed plan (%) 80.0%');
    });

    it('should record each download in the audit log as an export', async () => {
      const entries = await t.dataSource.getRepository(AuditEntry).find({ where: { action: 'export', homeId: home.id } });
      expect(entries.some((e) => e.entityType === 'quarterly_report' && e.changes?.export?.new === 'pdf' && e.changes?.quarter?.new === '2026-Q3')).toBe(true);
    });

    it('should write the Italian copy in Italian with Italian numbers', async () => {
      const res = await agents.manager.get(`/reports/quarterly.pdf?${query()}&locale=it`).buffer(true).parse(binary);
      const italian = flat((await pdfText(res.body as Buffer)).text);
      expect(italian).toContain('Report trimestrale di co-produzione');
      expect(italian).toContain('Attività svolte 7 2 +5');
      expect(italian).toContain('Quota di attività co-prodotte 57,1% 50,0% +7,1 punti');
      expect(italian).toMatch(/Pagina 1 di \d+/);
    });
  });

  describe('the CSV exports', () => {
    it('should export every figure as numbers a spreadsheet reads', async () => {
      const res = await agents.manager.get(`/reports/quarterly.csv?${query()}&table=figures`).expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      const lines = res.text.replace(/^\uFEFF/, '').split('\r\n');
      expect(lines[0]).toBe('Home,Section (code),Figure (code),Figure,Unit (code),Q3 2026,Q2 2026,Change');
      expect(lines).toContain('Casa Prova,coProduction,coProducedShare,Co-produced share of activities held,percent,57.1,50,7.1');
      expect(lines).toContain('Casa Prova,volunteers,volunteerHours,Volunteer hours,hours,1,2.25,-1.25');
      expect(lines).toContain('Casa Prova,voice,wellbeing.staff.choice,Staff view: choice and control,score,,1,');
      expect(lines.filter((l) => l !== '')).toHaveLength(1 + Object.keys(EXPECTED_FIGURES).length);
    });

    it('should export participation per resident and contributions by phase and actor', async () => {
      const participation = (await agents.manager.get(`/reports/quarterly.csv?${query()}&table=participation`).expect(200)).text.split('\r\n');
      expect(participation).toContain('Carla Conti,21,4,1.33,2,0,2,1,0,0');
      expect(participation).toContain('Giulia Galli,92,0,0,0,0,0,0,0,1');
      const contributions = (await agents.admin.get(`/reports/quarterly.csv?${query()}&table=contributions`).expect(200)).text.split('\r\n');
      expect(contributions).toContain('Co-delivery,Staff,co_delivery,staff,2,105,1.75');
    });

    it('ASVS 5.0 V1.2.10: should neutralise cells a spreadsheet would run as a formula', async () => {
      const admin = agents.admin;
      const figures = (await admin.get(`/reports/quarterly.csv?homeId=${otherHome.id}&quarter=2026-Q3&table=figures`).expect(200)).text;
      expect(figures).toContain(`"'=HYPERLINK(""http://evil.example"")",participation,residentsInQuarter`);
      expect(figures).not.toMatch(/(^|\n)=HYPERLINK/);
      const participation = (await admin.get(`/reports/quarterly.csv?homeId=${otherHome.id}&quarter=2026-Q3&table=participation`).expect(200)).text;
      expect(participation).toContain(`'@SUM(A1:A9) Formula,92,0,0`);
    });
  });

  describe('npm run report', () => {
    const root = join(__dirname, '..');
    let dir: string;

    beforeAll(() => {
      // The command runs compiled, as in production.
      buildApp();
      dir = mkdtempSync(join(tmpdir(), 'insieme-report-'));
    }, 120_000);

    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const run = (args: string[]) =>
      spawnSync(process.execPath, [join(root, 'dist/src/cli/report.js'), ...args], {
        cwd: root, encoding: 'utf8', env: { ...process.env, DATABASE_URL: t.database.url, SESSION_SECRET: t.config.sessionSecret },
      });

    it('should write the quarterly PDF of a home to a file when given its slug', async () => {
      const out = join(dir, 'q3.pdf');
      const result = run(['--home', 'casa-prova', '--quarter', '2026-Q3', '--out', out, '--locale', 'en']);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain(`Wrote ${out}: Casa Prova, 2026-Q3`);
      const { text, pages } = await pdfText(readFileSync(out));
      expect(flat(text)).toContain('Activities held 7 2 +5');
      expect(flat(text)).toContain('Giulia Galli 92 0 0.00');
      expect(flat(text)).toContain(`Page ${pages} of ${pages}`);
    }, 60_000);

    it('should refuse bad arguments with a message', () => {
      expect(run(['--home', 'casa-prova', '--quarter', '2026-Q7', '--out', join(dir, 'x.pdf')]).stderr).toContain('--quarter must be written like 2026-Q3');
      expect(run(['--home', 'nowhere', '--quarter', '2026-Q3', '--out', join(dir, 'x.pdf')]).stderr).toContain('There is no home "nowhere"');
      expect(run(['--home', 'casa-prova']).stderr).toContain('Usage: npm run report');
    }, 60_000);
  });
});

/** A figure table row as the PDF's text layer reads it (the model tests above pin the numbers themselves). */
function figureRowText(f: FigureRow): string {
  return figureCells(f, 'en').join(' ');
}
