import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type request from 'supertest';
import { DeepPartial, EntityTarget, ObjectLiteral } from 'typeorm';
import { Activity } from '../../src/activities/entities/activity.entity';
import { Participation } from '../../src/activities/entities/participation.entity';
import { Engagement } from '../../src/activities/activities.enums';
import { localToUtc } from '../../src/common/time/zoned';
import { Contribution } from '../../src/contributions/entities/contribution.entity';
import { rebuildTallies } from '../../src/reports/tally/headline-tally';
import { FamilyMember } from '../../src/families/entities/family-member.entity';
import { ActivityPlan } from '../../src/plans/entities/activity-plan.entity';
import { GoalAttainment } from '../../src/plans/entities/goal-attainment.entity';
import { PlanGoal } from '../../src/plans/entities/plan-goal.entity';
import { PlanReview } from '../../src/plans/entities/plan-review.entity';
import { StaffMember } from '../../src/staff/entities/staff-member.entity';
import { Feedback } from '../../src/voice/entities/feedback.entity';
import { Suggestion } from '../../src/voice/entities/suggestion.entity';
import { WellbeingCheckIn } from '../../src/voice/entities/wellbeing-check-in.entity';
import { Volunteer } from '../../src/volunteers/entities/volunteer.entity';
import { createActivityType } from './activity-factories';
import { createResident } from './resident-factories';
import type { TestApp } from './test-app';

const ZONE = 'Europe/Rome';

/** An instant from a local date and time in Rome, as people in the home write it. */
export function rome(date: string, time: string): Date {
  return localToUtc(date, time, ZONE);
}

/** Inserts a row with defaults and returns it with its id (read back, so SQLite hands the right id). */
async function insert<T extends ObjectLiteral & { id: string }>(t: TestApp, entity: EntityTarget<T>, row: DeepPartial<T>): Promise<T> {
  const repo = t.dataSource.getRepository(entity);
  const created = repo.create(row);
  await repo.insert(created as never);
  return repo.findOneByOrFail({ id: created.id } as never);
}

/**
 * Everything the quarterly report counts, for one home, around 2026-Q3 (1 July - 30 September in
 * Europe/Rome) and the quarter before, with the edge cases of SPEC 5. Each record says in a comment
 * whether and where it counts; the expected figures in the spec are worked out from these by hand.
 */
export async function buildReportScenario(t: TestApp, homeId: string, otherHomeId: string) {
  const type = await createActivityType(t, homeId, { name: 'Canto corale' });
  const otherType = await createActivityType(t, otherHomeId, { name: 'Tombola' });

  // ---- Residents (Q3: R1 R2 R3 R6 R7 = 5; Q2: R1 R3 R5 R7 = 4)
  const r1 = await createResident(t, homeId, { firstName: 'Anna', lastName: 'Alba', admittedOn: '2025-01-10' }); // Q3 92 days, Q2 91
  const r2 = await createResident(t, homeId, { firstName: 'Bruno', lastName: 'Bassi', admittedOn: '2026-08-01' }); // admitted mid-Q3: 61 days
  const r3 = await createResident(t, homeId, { firstName: 'Carla', lastName: 'Conti', admittedOn: '2024-05-05', leftOn: '2026-07-21', status: 'discharged' }); // discharged mid-Q3: 21 days
  const r4 = await createResident(t, homeId, { firstName: 'Dario', lastName: 'Donati', admittedOn: '2026-10-05' }); // admitted after Q3: not counted
  const r5 = await createResident(t, homeId, { firstName: 'Elena', lastName: 'Esposito', admittedOn: '2025-06-01', leftOn: '2026-06-15', status: 'discharged' }); // left before Q3; Q2 76 days
  const r6 = await createResident(t, homeId, { firstName: 'Franco', lastName: 'Ferri', admittedOn: '2026-09-30' }); // admitted on Q3's last day: 1 day
  const r7 = await createResident(t, homeId, { firstName: 'Giulia', lastName: 'Galli', admittedOn: '2025-03-01' }); // never attends
  const otherResident = await createResident(t, otherHomeId, { firstName: 'Olga', lastName: 'Altrove', admittedOn: '2020-01-01' });

  const family = await insert(t, FamilyMember, { homeId, firstName: 'Paola', lastName: 'Alba', email: null, phone: null, archivedAt: null });
  const staff = await insert(t, StaffMember, { homeId, firstName: 'Sara', lastName: 'Operatrice', email: null, phone: null, jobRole: 'activity_coordinator', unitId: null, startedOn: '2020-01-01', status: 'active' });
  const volunteer = (firstName: string, lastName: string, fields: Partial<Volunteer>) =>
    insert(t, Volunteer, {
      homeId, firstName, lastName, email: null, phone: null, association: 'AVO', skills: [], availability: null, backgroundCheckReference: null,
      backgroundCheckOn: null, backgroundCheckExpiresOn: null, trainingNotes: null, startedOn: null, status: 'active', ...fields,
    } as DeepPartial<Volunteer>);
  // Q3 reference 30 Sep, warning until 29 Nov; Q2 reference 30 Jun, warning until 29 Aug.
  const v1 = await volunteer('Vera', 'Verdi', { startedOn: '2025-01-01', backgroundCheckExpiresOn: '2026-10-15' }); // Q3 expiring; Q2 valid
  const v2 = await volunteer('Marco', 'Neri', { startedOn: '2026-02-01', backgroundCheckExpiresOn: '2026-08-20' }); // Q3 expired; Q2 expiring
  const v3 = await volunteer('Lucia', 'Rosa', { startedOn: '2026-01-01', backgroundCheckExpiresOn: '2026-11-29' }); // Q3 expiring on the 60th day
  await volunteer('Paolo', 'Gialli', { startedOn: '2026-08-01', backgroundCheckExpiresOn: '2027-12-31' }); // active in Q3 only
  await volunteer('Sara', 'Blu', { status: 'paused', backgroundCheckExpiresOn: '2026-09-05' }); // paused: never counted
  await volunteer('Ugo', 'Nero', { startedOn: '2026-10-10', backgroundCheckExpiresOn: '2026-10-20' }); // starts after Q3
  const ada = await volunteer('Ada', 'Senza', {}); // active, no check recorded: neither expiring nor expired, but "no check on record"
  await insert(t, Volunteer, { homeId: otherHomeId, firstName: 'Otto', lastName: 'Altrove', email: null, phone: null, association: null, skills: [], availability: null, backgroundCheckReference: null, backgroundCheckOn: null, backgroundCheckExpiresOn: '2026-10-01', trainingNotes: null, startedOn: null, status: 'active' });

  // ---- Activities (Q3 held: A10 A11 A1 A12 A2 A3 A6 = 7; Q2 held: A9 A8 = 2)
  const activity = (startsAt: Date, status: Activity['status'], title: string, home = homeId, durationMinutes = 60) =>
    insert(t, Activity, {
      homeId: home, activityTypeId: home === homeId ? type.id : otherType.id, title, startsAt, durationMinutes, location: null, unitId: null, capacity: null,
      leadStaffId: null, status, description: null, seriesId: null, visibleToFamilies: true, completedAt: status === 'completed' ? startsAt : null, cancelReason: null,
    });
  const a10 = await activity(rome('2026-07-01', '00:15'), 'completed', 'Midnight stars'); // 30 Jun 22:15 UTC: Q3, July
  const a11 = await activity(rome('2026-07-05', '10:00'), 'completed', 'Garden walk');
  const a1 = await activity(rome('2026-07-10', '10:00'), 'completed', 'Choir');
  const a12 = await activity(rome('2026-07-15', '10:00'), 'completed', 'Baking');
  const a2 = await activity(rome('2026-07-20', '15:00'), 'completed', 'Dance afternoon', homeId, 90);
  const a3 = await activity(rome('2026-08-12', '10:00'), 'completed', 'Newspaper club');
  const a4 = await activity(rome('2026-08-15', '10:00'), 'cancelled', 'Ferragosto lunch'); // cancelled: excluded
  const a5 = await activity(rome('2026-09-10', '10:00'), 'planned', 'Never logged'); // planned: excluded
  const a6 = await activity(rome('2026-09-30', '23:30'), 'completed', 'Late concert'); // 21:30 UTC on 30 Sep: Q3, September
  const a7 = await activity(rome('2026-10-01', '00:30'), 'completed', 'After midnight'); // 22:30 UTC on 30 Sep, but 1 Oct locally: Q4
  const a8 = await activity(rome('2026-06-30', '23:30'), 'completed', 'Summer night'); // Q2, June
  const a9 = await activity(rome('2026-05-05', '10:00'), 'completed', 'May fair'); // Q2, May
  const other = await activity(rome('2026-07-10', '10:00'), 'completed', 'Other home', otherHomeId);

  const took = async (a: Activity, residentId: string, engagement: Engagement) =>
    insert(t, Participation, {
      homeId: a.homeId, activityId: a.id, residentId, engagement, moodBefore: null, moodAfter: null, staffNote: null, familyNote: null, recordedBy: null, recordedAt: a.startsAt,
    });
  await took(a10, r1.id, 'active');
  await took(a10, r3.id, 'disengaged');
  await took(a11, r3.id, 'active');
  await took(a1, r1.id, 'active');
  await took(a1, r3.id, 'declined');
  await took(a12, r3.id, 'active');
  await took(a2, r1.id, 'passive');
  await took(a2, r3.id, 'disengaged');
  await took(a3, r1.id, 'active');
  await took(a3, r2.id, 'absent');
  await took(a6, r2.id, 'passive');
  await took(a6, r6.id, 'active');
  await took(a6, r1.id, 'disengaged');
  await took(a4, r1.id, 'active'); // cancelled activity
  await took(a5, r2.id, 'active'); // planned activity
  await took(a7, r2.id, 'active'); // Q4
  await took(a8, r1.id, 'active'); // Q2
  await took(a8, r3.id, 'passive'); // Q2
  await took(a9, r5.id, 'active'); // Q2
  await took(a9, r7.id, 'declined'); // Q2
  await took(other, otherResident.id, 'active'); // other home

  // ---- Contributions (Q3 counted: C1 C2 C3 C4 C5 C6 C11 C12; Q2 counted: C7 C13)
  const contribution = (fields: Partial<Contribution>) =>
    insert(t, Contribution, {
      homeId, activityId: null, residentId: null, familyMemberId: null, volunteerId: null, staffMemberId: null, minutes: 0, description: null,
      source: 'manual', sourceId: null, recordedBy: null, ...fields,
    } as DeepPartial<Contribution>);
  await contribution({ activityId: a1.id, date: '2026-07-10', actorType: 'volunteer', volunteerId: v1.id, phase: 'co_delivery', minutes: 60 }); // C1
  await contribution({ activityId: a1.id, date: '2026-07-10', actorType: 'staff', staffMemberId: staff.id, phase: 'co_delivery', minutes: 60 }); // C2
  await contribution({ activityId: a2.id, date: '2026-07-20', actorType: 'family', familyMemberId: family.id, phase: 'co_delivery', minutes: 90 }); // C3
  await contribution({ activityId: a3.id, date: '2026-08-12', actorType: 'staff', staffMemberId: staff.id, phase: 'co_delivery', minutes: 45 }); // C4: staff only
  await contribution({ activityId: a6.id, date: '2026-09-30', actorType: 'resident', residentId: r6.id, phase: 'co_design', minutes: 0 }); // C5
  await contribution({ date: '2026-08-20', actorType: 'family', familyMemberId: family.id, phase: 'co_commissioning', minutes: 30 }); // C6 programme-wide
  await contribution({ date: '2026-06-30', actorType: 'volunteer', volunteerId: v1.id, phase: 'co_assessment', minutes: 15 }); // C7 programme-wide, Q2
  await contribution({ date: '2026-10-01', actorType: 'resident', residentId: r1.id, phase: 'co_commissioning', minutes: 20 }); // C8 programme-wide, Q4
  await contribution({ activityId: a4.id, date: '2026-08-15', actorType: 'volunteer', volunteerId: v2.id, phase: 'co_delivery', minutes: 60 }); // C9 cancelled
  await contribution({ activityId: a7.id, date: '2026-10-01', actorType: 'family', familyMemberId: family.id, phase: 'co_delivery', minutes: 30 }); // C10 Q4 activity
  await contribution({ activityId: a10.id, date: '2026-07-01', actorType: 'resident', residentId: r1.id, phase: 'co_assessment', minutes: 10 }); // C11
  await contribution({ date: '2026-09-30', actorType: 'staff', staffMemberId: staff.id, phase: 'co_design', minutes: 25 }); // C12 programme-wide, last day
  await contribution({ activityId: a9.id, date: '2026-05-05', actorType: 'volunteer', volunteerId: v2.id, phase: 'co_delivery', minutes: 120 }); // C13 Q2
  await contribution({ homeId: otherHomeId, activityId: other.id, date: '2026-07-10', actorType: 'family', phase: 'co_delivery', minutes: 500 }); // other home

  // ---- Plans (Q3 reference 30 Sep: with plan R1 R2 R3 R7, overdue R2; Q2 reference 30 Jun: with plan R1 R3, overdue R1 R3)
  const plan = (residentId: string, version: number, status: ActivityPlan['status'], agreedOn: string | null, nextReviewOn: string | null) =>
    insert(t, ActivityPlan, { homeId, residentId, version, status, whatMattersToMe: null, agreedOn, nextReviewOn, createdBy: null });
  const goal = (planId: string, description: string) =>
    insert(t, PlanGoal, { homeId, planId, description, categories: [], activityTypeIds: [], targetPerWeek: 2, status: 'active', position: 0 });
  await plan(r1.id, 1, 'archived', '2026-01-15', '2026-06-01'); // in force in Q2, overdue there
  const r1v2 = await plan(r1.id, 2, 'agreed', '2026-07-20', '2027-01-20'); // in force in Q3
  const r2plan = await plan(r2.id, 1, 'agreed', '2026-08-05', '2026-09-15'); // overdue on 30 Sep
  const r3plan = await plan(r3.id, 1, 'agreed', '2025-12-01', '2026-06-01'); // overdue in Q2; in Q3 R3 has left
  await plan(r6.id, 1, 'agreed', '2026-10-10', '2027-04-10'); // agreed after Q3: not in force
  await plan(r7.id, 1, 'agreed', '2026-09-01', '2026-09-30'); // due on the reference day: not overdue yet
  await plan(r4.id, 1, 'agreed', '2026-10-05', '2027-04-05'); // resident not in Q3
  const g1 = await goal(r1v2.id, 'Sing with the choir');
  const g2 = await goal(r1v2.id, 'Walk in the garden');
  const g3 = await goal(r2plan.id, 'Read the paper with others');
  const g4 = await goal(r3plan.id, 'Bake for the family');
  const review = async (planId: string, reviewedOn: string, scores: [PlanGoal, number][]) => {
    const row = await insert(t, PlanReview, { homeId, planId, reviewedOn, residentTookPart: true, familyMemberIds: [], staffMemberIds: [], notes: null, recordedBy: null });
    for (const [g, score] of scores) await insert(t, GoalAttainment, { homeId, reviewId: row.id, goalId: g.id, score });
  };
  await review(r1v2.id, '2026-08-10', [[g1, 0], [g2, -1]]);
  await review(r1v2.id, '2026-09-20', [[g1, 1]]); // G1's latest in Q3: +1
  await review(r2plan.id, '2026-09-25', [[g3, 2]]);
  await review(r3plan.id, '2026-06-20', [[g4, -2]]); // Q2
  await review(r2plan.id, '2026-10-05', [[g3, -2]]); // Q4: not counted

  // ---- Suggestions (Q3: received 5, accepted 2, declined 1, pending 2, median 2.0 days; Q2: 1 accepted in 1.0 day)
  const suggestion = (createdAt: Date, status: Suggestion['status'], respondedAt: Date | null, home = homeId) =>
    insert(t, Suggestion, {
      homeId: home, residentId: null, authorType: 'family', authorResidentId: null, authorFamilyMemberId: null, authorVolunteerId: null, authorStaffMemberId: null,
      recordedBy: null, kind: 'activity_idea', title: 'Idea', body: 'An idea', status, response: status === 'new' ? null : 'Thanks', respondedBy: null, respondedAt,
      linkedActivityTypeId: null, linkedActivityId: null, lifeStoryAppliedAt: null, createdAt,
    });
  await suggestion(new Date('2026-07-02T08:00:00Z'), 'accepted', new Date('2026-07-04T08:00:00Z')); // 2 days
  await suggestion(new Date('2026-08-01T10:00:00Z'), 'declined', new Date('2026-08-06T22:00:00Z')); // 5.5 days
  await suggestion(new Date('2026-09-10T09:00:00Z'), 'new', null); // pending
  await suggestion(new Date('2026-09-29T12:00:00Z'), 'accepted', new Date('2026-10-02T12:00:00Z')); // answered after Q3: pending at its end
  await suggestion(rome('2026-09-30', '23:30'), 'done', rome('2026-09-30', '23:45')); // last evening of Q3, accepted then done
  await suggestion(rome('2026-10-01', '00:30'), 'new', null); // Q4
  await suggestion(new Date('2026-06-15T10:00:00Z'), 'accepted', new Date('2026-06-16T10:00:00Z')); // Q2, 1 day
  await suggestion(new Date('2026-07-15T10:00:00Z'), 'new', null, otherHomeId); // other home

  // ---- Feedback (Q3: 3, mean 11/3 = 3.67; Q2: 1, mean 3)
  const feedback = (createdAt: Date, rating: number, home = homeId) =>
    insert(t, Feedback, {
      homeId: home, activityId: null, rating, comment: null, authorType: 'family', authorResidentId: null, authorFamilyMemberId: null, authorVolunteerId: null,
      authorStaffMemberId: null, recordedBy: null, createdAt,
    });
  await feedback(new Date('2026-07-11T10:00:00Z'), 4);
  await feedback(new Date('2026-08-13T10:00:00Z'), 5);
  await feedback(rome('2026-09-30', '23:50'), 2);
  await feedback(rome('2026-10-01', '00:10'), 1); // Q4
  await feedback(new Date('2026-05-06T10:00:00Z'), 3); // Q2
  await feedback(new Date('2026-07-11T10:00:00Z'), 1, otherHomeId);

  // ---- Wellbeing check-ins
  const checkIn = (residentId: string, quarter: string, perspective: WellbeingCheckIn['perspective'], [doingThings, people, choice]: number[], home = homeId) =>
    insert(t, WellbeingCheckIn, {
      homeId: home, residentId, quarter, perspective, familyMemberId: null, staffMemberId: null, doingThings, people, choice, comment: null, recordedBy: null,
    });
  await checkIn(r1.id, '2026-Q3', 'resident', [3, 2, 4]);
  await checkIn(r2.id, '2026-Q3', 'resident', [4, 3, 3]);
  await checkIn(r3.id, '2026-Q3', 'resident', [3, 2, 2]);
  await checkIn(r1.id, '2026-Q3', 'family', [2, 3, 3]);
  await checkIn(r1.id, '2026-Q2', 'resident', [2, 2, 3]);
  await checkIn(r1.id, '2026-Q2', 'family', [3, 3, 2]);
  await checkIn(r3.id, '2026-Q2', 'family', [2, 4, 3]);
  await checkIn(r3.id, '2026-Q2', 'staff', [1, 1, 1]);
  await checkIn(otherResident.id, '2026-Q3', 'staff', [4, 4, 4], otherHomeId);

  // Written straight to the tables, as an import would: the group view's summary is counted from them.
  await rebuildTallies(t.dataSource.manager, [homeId, otherHomeId]);
  return { residents: { r1, r2, r3, r4, r5, r6, r7 }, volunteers: { v1, v2, v3, ada } };
}

export type ReportScenario = Awaited<ReturnType<typeof buildReportScenario>>;

/** supertest's parser for a binary body (a PDF) as a Buffer: `.buffer(true).parse(binary)`. */
export function binary(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

/** Whitespace as single spaces, so text wrapped in a table cell or a column reads as one line. */
export function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/**
 * The text of a PDF and its page count, read with pdf-parse in a child process (pdf.js loads its
 * worker with a dynamic import, which Jest's module sandbox does not allow).
 */
export function pdfText(pdf: Buffer): Promise<{ text: string; pages: number }> {
  const script = `
    const { PDFParse } = require('pdf-parse');
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', async () => {
      const parser = new PDFParse({ data: Buffer.concat(chunks) });
      const result = await parser.getText();
      await parser.destroy();
      process.stdout.write(JSON.stringify({ text: result.text, pages: result.total }));
    });`;
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', script], { cwd: join(__dirname, '../..'), maxBuffer: 20 * 1024 * 1024 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout) as { text: string; pages: number });
    });
    child.stdin!.end(pdf);
  });
}

/**
 * A home in the middle of a quarter, for issue 18 items 3, 4 and 8: 2026-Q4 seen on 28 November
 * 2026 (its days 1..59, to 28 November) is compared with days 1..59 of 2026-Q3 (to 28 August).
 * Each record says where it counts; the expected figures in reports-figures.e2e-spec.ts follow.
 */
export async function buildRunningQuarterScenario(t: TestApp, homeId: string) {
  const type = await createActivityType(t, homeId, { name: 'Laboratorio' });

  // ---- Residents (Q4 so far: Lina, Tino, Quinto, Rita, Sara = 5; Q3 days 1..59: Lina, Rita = 2; the whole Q3: Lina, Rita, Sara = 3)
  const lina = await createResident(t, homeId, { firstName: 'Lina', lastName: 'Lunga', admittedOn: '2025-01-01' }); // 59 days, nothing attended: needs attention
  const tino = await createResident(t, homeId, { firstName: 'Tino', lastName: 'Tredici', admittedOn: '2026-11-16' }); // 13 days: below one a week, not listed
  const quinto = await createResident(t, homeId, { firstName: 'Quinto', lastName: 'Quattordici', admittedOn: '2026-11-15' }); // 14 days: listed
  const rita = await createResident(t, homeId, { firstName: 'Rita', lastName: 'Regolare', admittedOn: '2025-01-01' }); // 9 in 59 days: 1.07 a week
  const sara = await createResident(t, homeId, { firstName: 'Sara', lastName: 'Settembre', admittedOn: '2026-09-01' }); // after Q3's day 59
  const dora = await createResident(t, homeId, { firstName: 'Dora', lastName: 'Dopo', admittedOn: '2026-12-10' }); // admitted after today: not yet in Q4

  const activity = (startsAt: Date, title: string, status: Activity['status'] = 'completed') =>
    insert(t, Activity, {
      homeId, activityTypeId: type.id, title, startsAt, durationMinutes: 60, location: null, unitId: null, capacity: null, leadStaffId: null, status,
      description: null, seriesId: null, visibleToFamilies: true, completedAt: status === 'completed' ? startsAt : null, cancelReason: null,
    });
  const took = (a: Activity, residentId: string) =>
    insert(t, Participation, {
      homeId, activityId: a.id, residentId, engagement: 'active', moodBefore: null, moodAfter: null, staffNote: null, familyNote: null, recordedBy: null, recordedAt: a.startsAt,
    });

  // ---- Activities (Q4 so far: 9 held, Rita at each; Q3 days 1..59: 1 held (10 Aug); the whole Q3: 2)
  const q4Days = ['2026-10-02', '2026-10-09', '2026-10-16', '2026-10-23', '2026-10-30', '2026-11-06', '2026-11-13', '2026-11-20', '2026-11-28'];
  const q4: Activity[] = [];
  for (const [i, day] of q4Days.entries()) {
    const a = await activity(rome(day, i === q4Days.length - 1 ? '23:30' : '10:00'), `Laboratorio ${i + 1}`); // the last: 23:30 today, still today
    await took(a, rita.id);
    q4.push(a);
  }
  await activity(rome('2026-12-05', '10:00'), 'Next week', 'planned'); // planned: never held
  const august = await activity(rome('2026-08-10', '10:00'), 'August walk'); // Q3 day 41: in both Q3 counts
  await took(august, rita.id);
  const september = await activity(rome('2026-09-10', '10:00'), 'September fair'); // Q3 day 72: only in the whole Q3
  await took(september, rita.id);
  await took(september, lina.id);

  // ---- People
  const family = await insert(t, FamilyMember, { homeId, firstName: 'Franca', lastName: 'Regolare', email: null, phone: null, archivedAt: null });
  const staff = await insert(t, StaffMember, { homeId, firstName: 'Elio', lastName: 'Educatore', email: null, phone: null, jobRole: 'activity_coordinator', unitId: null, startedOn: '2020-01-01', status: 'active' });
  const volunteer = (firstName: string, lastName: string, fields: Partial<Volunteer>) =>
    insert(t, Volunteer, {
      homeId, firstName, lastName, email: null, phone: null, association: 'AVO', skills: [], availability: null, backgroundCheckReference: null,
      backgroundCheckOn: null, backgroundCheckExpiresOn: null, trainingNotes: null, startedOn: null, status: 'active', ...fields,
    } as DeepPartial<Volunteer>);
  // Volunteers with no check on record: Q4 so far Nadia and Sergio (2), Q3 days 1..59 Nadia (1), the whole Q3 Nadia and Sergio (2).
  const nadia = await volunteer('Nadia', 'Nessuno', { startedOn: '2026-01-01' });
  const sergio = await volunteer('Sergio', 'Senzacontrollo', { startedOn: '2026-09-05' });
  await volunteer('Fulvio', 'Futuro', { startedOn: '2026-12-01' }); // starts after today: not active yet
  await volunteer('Paola', 'Pausa', { status: 'paused' }); // paused: never counted
  const vito = await volunteer('Vito', 'Valido', { startedOn: '2025-01-01', backgroundCheckOn: '2025-12-01', backgroundCheckExpiresOn: '2028-12-01' });

  // ---- Contributions (Q4 so far: 6 counted, 4 with no time; Q3 days 1..59: 1; the whole Q3: 2)
  const contribution = (fields: Partial<Contribution>) =>
    insert(t, Contribution, {
      homeId, activityId: null, residentId: null, familyMemberId: null, volunteerId: null, staffMemberId: null, minutes: 0, description: null,
      source: 'manual', sourceId: null, recordedBy: null, ...fields,
    } as DeepPartial<Contribution>);
  await contribution({ activityId: q4[0].id, date: '2026-10-02', actorType: 'volunteer', volunteerId: vito.id, phase: 'co_delivery', minutes: 60, source: 'help_offer' });
  await contribution({ activityId: q4[1].id, date: '2026-10-09', actorType: 'staff', staffMemberId: staff.id, phase: 'co_design', minutes: 30 });
  await contribution({ date: '2026-10-15', actorType: 'family', familyMemberId: family.id, phase: 'co_design', source: 'plan_review' }); // 0 minutes
  await contribution({ date: '2026-10-20', actorType: 'resident', residentId: rita.id, phase: 'co_assessment', source: 'check_in' }); // 0 minutes
  await contribution({ date: '2026-11-02', actorType: 'family', familyMemberId: family.id, phase: 'co_assessment', source: 'feedback' }); // 0 minutes
  await contribution({ date: '2026-11-05', actorType: 'family', familyMemberId: family.id, phase: 'co_commissioning', source: 'suggestion' }); // 0 minutes
  await contribution({ date: '2026-11-29', actorType: 'staff', staffMemberId: staff.id, phase: 'co_design', minutes: 45 }); // tomorrow: not yet counted
  await contribution({ activityId: august.id, date: '2026-08-10', actorType: 'volunteer', volunteerId: vito.id, phase: 'co_delivery', minutes: 30, source: 'help_offer' });
  await contribution({ date: '2026-09-15', actorType: 'family', familyMemberId: family.id, phase: 'co_assessment', source: 'feedback' }); // Q3 day 77

  // ---- Wellbeing check-ins (Q4 so far: Lina, Rita of 5 = 40%; Q3 days 1..59: Lina of 2 = 50%; the whole Q3: Lina, Rita of 3)
  const checkIn = (residentId: string, quarter: string, perspective: WellbeingCheckIn['perspective'], createdAt: Date) =>
    insert(t, WellbeingCheckIn, {
      homeId, residentId, quarter, perspective, familyMemberId: perspective === 'family' ? family.id : null, staffMemberId: null,
      doingThings: 3, people: 3, choice: 3, comment: null, recordedBy: null, createdAt,
    });
  await checkIn(lina.id, '2026-Q4', 'resident', rome('2026-10-10', '11:00'));
  await checkIn(rita.id, '2026-Q4', 'family', rome('2026-11-20', '16:00'));
  await checkIn(rita.id, '2026-Q4', 'resident', rome('2026-11-21', '16:00')); // a second one for Rita: she counts once
  await checkIn(lina.id, '2026-Q3', 'resident', rome('2026-08-01', '11:00'));
  await checkIn(rita.id, '2026-Q3', 'family', rome('2026-09-20', '16:00')); // Q3 day 82: only in the whole Q3

  await rebuildTallies(t.dataSource.manager, [homeId]);
  return { residents: { lina, tino, quinto, rita, sara, dora }, volunteers: { nadia, sergio, vito } };
}

export type RunningQuarterScenario = Awaited<ReturnType<typeof buildRunningQuarterScenario>>;
