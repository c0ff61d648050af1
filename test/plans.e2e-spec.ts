import { randomUUID } from 'node:crypto';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { User } from '../src/auth/entities/user.entity';
import { NotFoundError } from '../src/common/errors/domain-errors';
import { addDays, todayIn } from '../src/common/time/zoned';
import { ContributionsService } from '../src/contributions/contributions.service';
import { Contribution } from '../src/contributions/entities/contribution.entity';
import { UnitOfWork } from '../src/database/unit-of-work';
import { seedDemoPlans } from '../src/demo/demo-plans';
import { seededRandom } from '../src/demo/demo-programme';
import { loadDemoData } from '../src/demo/demo-data';
import { DemoSeeder } from '../src/demo/demo-seeder';
import { Home } from '../src/homes/entities/home.entity';
import { ActivityPlan } from '../src/plans/entities/activity-plan.entity';
import { GoalAttainment } from '../src/plans/entities/goal-attainment.entity';
import { PlanGoal } from '../src/plans/entities/plan-goal.entity';
import { PlanReview } from '../src/plans/entities/plan-review.entity';
import { addMonths } from '../src/plans/plan-form';
import { PlansService } from '../src/plans/plans.service';
import { Resident } from '../src/residents/entities/resident.entity';
import { StaffMember } from '../src/staff/entities/staff-member.entity';
import { createHome, createUser, TestUser } from './support/factories';
import { createFamilyMember } from './support/family-factories';
import { Agent, formToken, signIn } from './support/http';
import { createStaffMember, createVolunteer } from './support/people-factories';
import { createAttendance, createPlan, sessionUserOf } from './support/plan-factories';
import { createRelative, createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';

const ROME = 'Europe/Rome';

describe('Activity plans', () => {
  let t: TestApp;
  let homeId: string;
  let otherHomeId: string;
  const users: Record<string, TestUser> = {};
  const agents: Record<string, Agent> = {};

  beforeAll(async () => {
    t = await createTestApp();
    homeId = (await createHome(t, { name: 'Casa Uno' })).id;
    otherHomeId = (await createHome(t, { name: 'Casa Due' })).id;
    for (const role of ['admin', 'manager', 'coordinator', 'carer', 'volunteer'] as const) {
      users[role] = await createUser(t, { role, homeIds: role === 'admin' ? [] : [homeId] });
      agents[role] = await signIn(t, users[role].email, users[role].password);
    }
    // The volunteer has a person record, as a real volunteer account does.
    const volunteer = await createVolunteer(t, homeId, { email: users.volunteer.email });
    await t.dataSource.getRepository(User).update({ id: users.volunteer.id }, { personKind: 'volunteer', personId: volunteer.id });
  });

  afterAll(async () => {
    await t.close();
  });

  const today = () => todayIn(ROME);
  const plans = () => t.dataSource.getRepository(ActivityPlan);

  /** Two goal rows and a blank one, as the form sends them. */
  const planForm = (overrides: Record<string, string | string[]> = {}) => ({
    whatMattersToMe: 'Singing the songs of the rice fields.',
    goalDescription: ['Sing with the choir', 'Walk in the garden', ''],
    goalTarget: ['2', '3', '1'],
    goalStatus: ['active', 'active', 'active'],
    goalCategories: ['0:creative', '1:physical', '1:outing'],
    ...overrides,
  });

  async function post(agent: Agent, page: string, url: string, body: Record<string, unknown>) {
    const token = await formToken(agent, page);
    return agent.post(url).type('form').send({ _csrf: token, ...body });
  }

  describe('draft, agreement and versions', () => {
    it('should take a plan from draft to agreed, review six months on by default, and keep an earlier version viewable when a new one is agreed', async () => {
      const resident = await createResident(t, homeId, { lastName: 'Versioned' });
      const base = `/residents/${resident.id}/plan`;
      expect((await agents.coordinator.get(base).expect(200)).text).toContain('No agreed plan yet');

      const created = await post(agents.coordinator, `${base}/new`, `${base}/new`, planForm());
      expect(created.status).toBe(303);
      expect(created.headers.location).toBe(`${base}#draft`);
      const draft = await plans().findOneByOrFail({ residentId: resident.id });
      expect(draft).toMatchObject({ version: 1, status: 'draft', whatMattersToMe: 'Singing the songs of the rice fields.', agreedOn: null });
      const goals = await t.dataSource.getRepository(PlanGoal).find({ where: { planId: draft.id }, order: { position: 'ASC' } });
      expect(goals.map((g) => [g.description, g.categories, g.targetPerWeek, g.status])).toEqual([
        ['Sing with the choir', ['creative'], 2, 'active'],
        ['Walk in the garden', ['physical', 'outing'], 3, 'active'],
      ]);

      // A draft can be edited; its goals are replaced.
      await post(agents.coordinator, `${base}/${draft.id}/edit`, `${base}/${draft.id}/edit`, planForm({
        goalDescription: ['Sing with the choir every week', ''], goalTarget: ['2', '1'], goalStatus: ['active', 'active'], goalCategories: ['0:creative'],
      })).then((res) => expect(res.status).toBe(303));
      expect(await t.dataSource.getRepository(PlanGoal).countBy({ planId: draft.id })).toBe(1);

      // Agreed today (home time) with the next review six months on, as nothing else was given.
      await post(agents.coordinator, base, `${base}/${draft.id}/agree`, { agreedOn: '', nextReviewOn: '' }).then((res) => expect(res.status).toBe(303));
      expect(await plans().findOneByOrFail({ id: draft.id })).toMatchObject({ status: 'agreed', agreedOn: today(), nextReviewOn: addMonths(today(), 6) });
      const page = (await agents.coordinator.get(base).expect(200)).text;
      expect(page).toContain('Agreed plan (version 1)');
      expect(page).toContain('Sing with the choir every week');

      // An agreed plan is not edited: a new version starts from a copy of it.
      const refused = await post(agents.coordinator, base, `${base}/${draft.id}/edit`, planForm());
      expect(refused.status).toBe(409);
      const copy = (await agents.coordinator.get(`${base}/new`).expect(200)).text;
      expect(copy).toContain('Sing with the choir every week');
      expect(copy).toContain('New version of plan 1');
      await post(agents.coordinator, `${base}/new`, `${base}/new`, planForm({
        whatMattersToMe: 'Singing, and seeing my grandchildren.', goalDescription: ['Sing with the choir twice a week', ''], goalTarget: ['2', '1'],
        goalStatus: ['active', 'active'], goalCategories: ['0:creative'],
      })).then((res) => expect(res.status).toBe(303));
      const second = await plans().findOneByOrFail({ residentId: resident.id, version: 2 });
      expect(second.status).toBe('draft');
      expect((await agents.coordinator.get(base).expect(200)).text).toContain('Continue the draft');
      // One draft at a time.
      const twice = await post(agents.coordinator, `${base}/new`, `${base}/new`, planForm());
      expect(twice.status).toBe(409);
      expect(twice.text).toContain('A draft is already in progress');
      expect(twice.text).toContain('Singing the songs of the rice fields.');

      await post(agents.coordinator, base, `${base}/${second.id}/agree`, { agreedOn: today(), nextReviewOn: addDays(today(), 90) }).then((res) => expect(res.status).toBe(303));
      expect(await plans().findOneByOrFail({ id: second.id })).toMatchObject({ status: 'agreed', nextReviewOn: addDays(today(), 90) });
      expect(await plans().findOneByOrFail({ id: draft.id })).toMatchObject({ status: 'archived', agreedOn: today() });
      expect(await t.dataSource.getRepository(AuditEntry).countBy({ entityId: draft.id, action: 'archive' })).toBe(1);

      const current = (await agents.carer.get(base).expect(200)).text;
      expect(current).toContain('Agreed plan (version 2)');
      expect(current).toContain('Earlier version');
      const earlier = (await agents.carer.get(`${base}/versions/${draft.id}`).expect(200)).text;
      expect(earlier).toContain('Sing with the choir every week');
      expect(earlier).toContain('Singing the songs of the rice fields.');
      expect(earlier).not.toContain('twice a week');
      // Agreeing the same draft again changes nothing.
      expect((await post(agents.coordinator, base, `${base}/${second.id}/agree`, { agreedOn: today() })).status).toBe(409);
    });

    it('should start one draft when a new plan is sent twice at once, and agree it once', async () => {
      const resident = await createResident(t, homeId);
      const base = `/residents/${resident.id}/plan`;
      const token = await formToken(agents.coordinator, `${base}/new`);
      const created = await Promise.all([0, 1, 2].map(() => agents.coordinator.post(`${base}/new`).type('form').send({ _csrf: token, ...planForm() })));
      expect(created.map((res) => res.status).sort()).toEqual([303, 409, 409]);
      const draft = await plans().findOneByOrFail({ residentId: resident.id });
      const agreed = await Promise.all([0, 1].map(() => agents.coordinator.post(`${base}/${draft.id}/agree`).type('form').send({ _csrf: token, agreedOn: today() })));
      expect(agreed.map((res) => res.status).sort()).toEqual([303, 409]);
      expect(await t.dataSource.getRepository(AuditEntry).countBy({ entityId: draft.id, action: 'update' })).toBe(1);
    });

    it('should refuse an agreement dated in the future, with the error beside the field', async () => {
      const resident = await createResident(t, homeId);
      const { plan } = await createPlan(t, resident, { status: 'draft', agreedOn: null, nextReviewOn: null });
      const base = `/residents/${resident.id}/plan`;
      const res = await post(agents.manager, base, `${base}/${plan.id}/agree`, { agreedOn: addDays(today(), 3), nextReviewOn: '' });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="error-agreedOn">The agreement date cannot be in the future/);
      expect(res.text).toContain(`value="${addDays(today(), 3)}"`);
      expect((await plans().findOneByOrFail({ id: plan.id })).status).toBe('draft');
    });

    it('should keep what was typed and show each goal row\'s errors beside it when the plan form is wrong', async () => {
      const resident = await createResident(t, homeId);
      const base = `/residents/${resident.id}/plan`;
      const res = await post(agents.coordinator, `${base}/new`, `${base}/new`, {
        whatMattersToMe: 'Keep me: the garden at dawn.',
        goalDescription: ['Tend the tomatoes', '', 'Play cards'],
        goalTarget: ['2', '1', 'often'],
        goalStatus: ['active', 'active', 'active'],
        goalCategories: ['1:social', '2:social'],
      });
      expect(res.status).toBe(422);
      expect(res.text).toContain('Keep me: the garden at dawn.');
      expect(res.text).toContain('>Tend the tomatoes</textarea>');
      expect(res.text).toMatch(/id="error-goal-0-categories">Choose at least one category or activity type/);
      expect(res.text).toMatch(/id="error-goal-1-description">Describe the goal/);
      expect(res.text).toMatch(/id="error-goal-2-target">Enter a whole number/);
      expect(res.text).toMatch(/value="often"/);
      expect(res.text).toMatch(/name="goalCategories" value="2:social" checked/);
      expect(await plans().countBy({ residentId: resident.id })).toBe(0);
    });

    it('should refuse an activity type of another home named in a goal, storing nothing', async () => {
      const resident = await createResident(t, homeId);
      const base = `/residents/${resident.id}/plan`;
      const foreign = await createAttendance(t, await createResident(t, otherHomeId), 'social');
      const res = await post(agents.coordinator, `${base}/new`, `${base}/new`, planForm({ goalTypes: [`0:${foreign.activityTypeId}`] }));
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="error-goal-0-categories">Choose one of the options/);
      expect(await plans().countBy({ residentId: resident.id })).toBe(0);
    });
  });

  describe('weekly progress', () => {
    it('should count attended activities of the last 7 days that match a goal by category or type', async () => {
      const resident = await createResident(t, homeId, { lastName: 'Progress' });
      const choir = await createAttendance(t, resident, 'creative', { hoursAgo: 3 });
      await createAttendance(t, resident, 'creative', { hoursAgo: 30 });
      await createAttendance(t, resident, 'creative', { hoursAgo: 9 * 24 });
      await createAttendance(t, resident, 'creative', { hoursAgo: 5, engagement: 'declined' });
      await createAttendance(t, resident, 'physical', { hoursAgo: 4 });
      await createPlan(t, resident, {
        goals: [
          { description: 'Creative things', categories: ['creative'], targetPerWeek: 3 },
          { description: 'The choir itself', categories: [], activityTypeIds: [choir.activityTypeId], targetPerWeek: 1 },
          { description: 'Outings', categories: ['outing'], targetPerWeek: 1 },
        ],
      });
      const page = (await agents.carer.get(`/residents/${resident.id}/plan`).expect(200)).text;
      expect(page).toContain('This week: 2 of 3');
      expect(page).toContain('This week: 1 of 1');
      expect(page).toContain('This week: 0 of 1');
    });
  });

  describe('reviews', () => {
    async function reviewSetup() {
      const resident = await createResident(t, homeId, { lastName: 'Reviewed' });
      const relative = await createRelative(t, resident);
      const nurse = await createStaffMember(t, homeId, { firstName: 'Nora', jobRole: 'nurse' });
      const coordinator = await createStaffMember(t, homeId, { firstName: 'Cora', jobRole: 'activity_coordinator' });
      const { plan, goals } = await createPlan(t, resident, {
        agreedOn: addDays(today(), -120), nextReviewOn: addDays(today(), 60),
        goals: [
          { description: 'Sing with the choir', categories: ['creative'] },
          { description: 'Walk in the garden', categories: ['physical'] },
          { description: 'Knit a scarf', categories: ['life_skills'], status: 'achieved' },
        ],
      });
      return { resident, relative, nurse, coordinator, plan, goals, base: `/residents/${resident.id}/plan` };
    }

    it('should record GAS scores and one co_design contribution per participant, once, and set the next review six months on', async () => {
      const { resident, relative, nurse, plan, goals, base } = await reviewSetup();
      const form = (await agents.coordinator.get(`${base}/${plan.id}/review`).expect(200)).text;
      expect(form).toContain('Goal Attainment Scale (GAS)');
      expect(form).toContain('+1 — somewhat more than expected');
      expect(form).not.toContain('Knit a scarf');
      const body = {
        reviewedOn: addDays(today(), -1), residentTookPart: 'on', familyMemberIds: relative.familyMember.id, staffMemberIds: [nurse.id],
        minutes: '30', notes: 'More singing, please.', nextReviewOn: '', scores: [`${goals[0].id}:1`, `${goals[1].id}:-1`],
      };
      const res = await post(agents.coordinator, `${base}/${plan.id}/review`, `${base}/${plan.id}/review`, body);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${base}#reviews`);

      const review = await t.dataSource.getRepository(PlanReview).findOneByOrFail({ planId: plan.id });
      expect(review).toMatchObject({ reviewedOn: addDays(today(), -1), residentTookPart: true, familyMemberIds: [relative.familyMember.id], staffMemberIds: [nurse.id], notes: 'More singing, please.' });
      const scores = await t.dataSource.getRepository(GoalAttainment).findBy({ reviewId: review.id });
      expect(Object.fromEntries(scores.map((s) => [s.goalId, s.score]))).toEqual({ [goals[0].id]: 1, [goals[1].id]: -1 });
      const made = await t.dataSource.getRepository(Contribution).findBy({ source: 'plan_review', sourceId: review.id });
      expect(made.map((c) => [c.actorType, c.residentId ?? c.familyMemberId ?? c.staffMemberId]).sort()).toEqual([
        ['family', relative.familyMember.id], ['resident', resident.id], ['staff', nurse.id],
      ].sort());
      for (const c of made) expect(c).toMatchObject({ phase: 'co_design', minutes: 30, activityId: null, date: addDays(today(), -1), homeId });
      expect((await plans().findOneByOrFail({ id: plan.id })).nextReviewOn).toBe(addMonths(addDays(today(), -1), 6));

      // The same review sent again is refused and nothing is written twice.
      const again = await post(agents.coordinator, `${base}/${plan.id}/review`, `${base}/${plan.id}/review`, body);
      expect(again.status).toBe(422);
      expect(again.text).toMatch(/id="error-reviewedOn">A review of this plan is already recorded for this date/);
      expect(await t.dataSource.getRepository(PlanReview).countBy({ planId: plan.id })).toBe(1);
      expect(await t.dataSource.getRepository(Contribution).countBy({ source: 'plan_review', sourceId: review.id })).toBe(3);
      // Making the review's contributions again (a re-save) adds none.
      const entries = made.map((c) => ({ actorType: c.actorType, personId: (c.residentId ?? c.familyMemberId ?? c.staffMemberId)!, phase: c.phase, minutes: 30 }));
      const added = await t.get(UnitOfWork).transaction((m) =>
        t.get(ContributionsService).syncFromSource(m, 'plan_review', review.id, { homeId, activityId: null, date: review.reviewedOn, recordedBy: null }, entries));
      expect(added).toBe(0);

      const page = (await agents.carer.get(base).expect(200)).text;
      expect(page).toContain('More singing, please.');
      expect(page).toMatch(/<span class="gas-score">\+1<\/span> somewhat more than expected/);
      expect(page).toMatch(/<span class="gas-score">-1<\/span> somewhat less than expected/);
      expect(page).toContain(`${relative.familyMember.firstName} Bianchi — family`);
    });

    it('should keep what was typed and name the goal without a score when the review form is incomplete, with the other errors in one round', async () => {
      const { nurse, plan, goals, base } = await reviewSetup();
      const res = await post(agents.manager, `${base}/${plan.id}/review`, `${base}/${plan.id}/review`, {
        reviewedOn: today(), minutes: 'lots', notes: 'Typed notes survive.', scores: ['', `${goals[1].id}:2`],
      });
      expect(res.status).toBe(422);
      expect(res.text).toContain('Typed notes survive.');
      expect(res.text).toMatch(/id="error-minutes">Enter a whole number/);
      // What the service would refuse next is marked now too: the goal left unscored, and nobody taking part.
      expect(res.text).toContain(`id="error-score-${goals[0].id}">Choose a score for this goal`);
      expect(res.text).not.toContain(`id="error-score-${goals[1].id}"`);
      expect(res.text).toMatch(/id="error-participants">/);
      const fixed = await post(agents.manager, `${base}/${plan.id}/review`, `${base}/${plan.id}/review`, {
        reviewedOn: today(), staffMemberIds: nurse.id, minutes: '20', notes: 'Typed notes survive.', scores: ['', `${goals[1].id}:2`],
      });
      expect(fixed.status).toBe(422);
      expect(fixed.text).toContain(`id="error-score-${goals[0].id}">Choose a score for this goal`);
      expect(fixed.text).toMatch(new RegExp(`value="${goals[1].id}:2" selected`));
      expect(fixed.text).toMatch(new RegExp(`id="staff-${nurse.id}" name="staffMemberIds" value="${nurse.id}" checked`));
      expect(fixed.text).not.toMatch(/id="field-residentTookPart" name="residentTookPart" value="on" checked/);
      expect(await t.dataSource.getRepository(PlanReview).countBy({ planId: plan.id })).toBe(0);
    });

    it('should refuse family members and staff of another home, or not linked to the resident, storing nothing', async () => {
      const { plan, goals, base } = await reviewSetup();
      const strangerFamily = await createFamilyMember(t, otherHomeId);
      const unlinkedFamily = await createFamilyMember(t, homeId);
      const strangerStaff = await createStaffMember(t, otherHomeId);
      const scores = goals.slice(0, 2).map((g) => `${g.id}:0`);
      const url = `${base}/${plan.id}/review`;
      const attempts: [Record<string, unknown>, string][] = [
        [{ familyMemberIds: strangerFamily.id }, 'familyMemberIds'],
        [{ familyMemberIds: unlinkedFamily.id }, 'familyMemberIds'],
        [{ staffMemberIds: strangerStaff.id }, 'staffMemberIds'],
        [{ staffMemberIds: 'not-an-id' }, 'staffMemberIds'],
        [{ residentTookPart: 'on', scores: [...scores, `${randomUUID()}:1`] }, 'scores'],
      ];
      for (const [fields, field] of attempts) {
        const res = await post(agents.coordinator, url, url, { reviewedOn: today(), scores, ...fields });
        expect({ field, status: res.status }).toEqual({ field, status: 422 });
        if (field !== 'scores') expect(res.text).toContain(`id="error-${field}"`);
      }
      const nobody = await post(agents.coordinator, url, url, { reviewedOn: today(), scores });
      expect(nobody.status).toBe(422);
      expect(nobody.text).toMatch(/id="error-participants">Tick at least one person who took part/);
      expect(await t.dataSource.getRepository(PlanReview).countBy({ planId: plan.id })).toBe(0);
      expect(await t.dataSource.getRepository(Contribution).countBy({ familyMemberId: strangerFamily.id })).toBe(0);
      expect(await t.dataSource.getRepository(Contribution).countBy({ staffMemberId: strangerStaff.id })).toBe(0);
    });

    it('should record one review when the same form is sent twice at once', async () => {
      const { nurse, plan, goals, base } = await reviewSetup();
      const url = `${base}/${plan.id}/review`;
      const token = await formToken(agents.coordinator, url);
      const body = { _csrf: token, reviewedOn: today(), staffMemberIds: nurse.id, residentTookPart: 'on', scores: goals.slice(0, 2).map((g) => `${g.id}:0`) };
      const answers = await Promise.all([0, 1, 2].map(() => agents.coordinator.post(url).type('form').send(body)));
      expect(answers.map((res) => res.status).sort()).toEqual([303, 422, 422]);
      const reviews = await t.dataSource.getRepository(PlanReview).findBy({ planId: plan.id });
      expect(reviews).toHaveLength(1);
      expect(await t.dataSource.getRepository(Contribution).countBy({ source: 'plan_review', sourceId: reviews[0].id })).toBe(2);
    });

    it('should review only the agreed plan', async () => {
      const resident = await createResident(t, homeId);
      const { plan: draft } = await createPlan(t, resident, { status: 'draft', agreedOn: null, nextReviewOn: null });
      await agents.coordinator.get(`/residents/${resident.id}/plan/${draft.id}/review`).expect(409);
    });
  });

  describe('overdue reviews', () => {
    it('should list residents whose review is past due and residents without an agreed plan, to coordinators, managers and admins', async () => {
      const home = await createHome(t);
      const coordinator = await createUser(t, { role: 'coordinator', homeIds: [home.id] });
      const agent = await signIn(t, coordinator.email, coordinator.password);
      const late = await createResident(t, home.id, { lastName: 'LateReview' });
      await createPlan(t, late, { agreedOn: addDays(today(), -200), nextReviewOn: addDays(today(), -3) });
      const onTime = await createResident(t, home.id, { lastName: 'OnTime' });
      await createPlan(t, onTime, { agreedOn: addDays(today(), -20), nextReviewOn: addDays(today(), 160) });
      const dueToday = await createResident(t, home.id, { lastName: 'DueToday' });
      await createPlan(t, dueToday, { agreedOn: addDays(today(), -180), nextReviewOn: today() });
      await createResident(t, home.id, { lastName: 'NoPlanYet' });
      const drafting = await createResident(t, home.id, { lastName: 'Drafting' });
      await createPlan(t, drafting, { status: 'draft', agreedOn: null, nextReviewOn: null });
      await createResident(t, home.id, { lastName: 'GoneAway', status: 'discharged', leftOn: '2025-01-01' });

      const page = (await agent.get('/plans/overdue').expect(200)).text;
      expect(page).toContain('LateReview');
      expect(page).toContain('3 days');
      expect(page).toContain('NoPlanYet');
      expect(page).toMatch(/Drafting\d*<\/a>[\s\S]*?Draft in progress/);
      expect(page).not.toContain('OnTime');
      expect(page).not.toContain('DueToday');
      expect(page).not.toContain('GoneAway');
      expect(await t.get(PlansService).overdueCount(await sessionUserOf(t, coordinator.id))).toBe(3);
      expect(await t.get(PlansService).overdueCount(await sessionUserOf(t, users.carer.id))).toBe(0);

      for (const role of ['admin', 'manager']) await agents[role].get('/plans/overdue').expect(200);
      await agents.carer.get('/plans/overdue').expect(403);
      await agents.volunteer.get('/plans/overdue').expect(403);
      // Another home's residents are not listed.
      expect((await agents.manager.get('/plans/overdue').expect(200)).text).not.toContain('LateReview');
    });
  });

  describe('access by role and home', () => {
    it('should let editors write, carers read, and refuse relatives and volunteers on every route', async () => {
      const resident = await createResident(t, homeId);
      const { user: relativeUser } = await createRelative(t, resident);
      const relative = await signIn(t, relativeUser.email, relativeUser.password);
      const { plan } = await createPlan(t, resident);
      const { plan: draft } = await createPlan(t, resident, { status: 'draft', agreedOn: null, nextReviewOn: null });
      const base = `/residents/${resident.id}/plan`;
      const reads = [base, `${base}/versions/${plan.id}`];
      const editorPages = [`${base}/new`, `${base}/${draft.id}/edit`, `${base}/${plan.id}/review`];
      const writes = [`${base}/new`, `${base}/${draft.id}/edit`, `${base}/${draft.id}/agree`, `${base}/${plan.id}/review`];

      for (const role of ['admin', 'manager', 'coordinator']) {
        for (const url of [...reads, ...editorPages]) expect({ role, url, status: (await agents[role].get(url)).status }).toEqual({ role, url, status: 200 });
      }
      for (const url of reads) await agents.carer.get(url).expect(200);
      expect((await agents.carer.get(base)).text).not.toContain('Record a review');
      for (const url of editorPages) await agents.carer.get(url).expect(403);
      const carerToken = await formToken(agents.carer, base);
      for (const url of writes) await agents.carer.post(url).type('form').send({ _csrf: carerToken, ...planForm() }).expect(403);

      for (const [who, agent] of [['family', relative], ['volunteer', agents.volunteer]] as const) {
        const token = await formToken(agent, '/account');
        for (const url of [...reads, ...editorPages]) expect({ who, url, status: (await agent.get(url)).status }).toEqual({ who, url, status: 403 });
        for (const url of writes) expect({ who, url, status: (await agent.post(url).type('form').send({ _csrf: token, ...planForm() })).status }).toEqual({ who, url, status: 403 });
      }
      expect(await plans().countBy({ residentId: resident.id })).toBe(2);
      expect((await plans().findOneByOrFail({ id: draft.id })).status).toBe('draft');
    });

    it('should answer 404 for another home\'s resident, and for a plan of another resident', async () => {
      const elsewhere = await createResident(t, otherHomeId);
      const { plan: foreignPlan } = await createPlan(t, elsewhere);
      const mine = await createResident(t, homeId);
      const { plan: myPlan } = await createPlan(t, mine);
      const other = `/residents/${elsewhere.id}/plan`;
      for (const url of [other, `${other}/new`, `${other}/versions/${foreignPlan.id}`, `${other}/${foreignPlan.id}/review`]) await agents.manager.get(url).expect(404);
      const token = await formToken(agents.manager, `/residents/${mine.id}/plan`);
      await agents.manager.post(`${other}/new`).type('form').send({ _csrf: token, ...planForm() }).expect(404);
      await agents.manager.post(`${other}/${foreignPlan.id}/review`).type('form').send({ _csrf: token, reviewedOn: today(), residentTookPart: 'on' }).expect(404);
      // A plan id of another resident, under this resident's address.
      await agents.manager.get(`/residents/${mine.id}/plan/versions/${foreignPlan.id}`).expect(404);
      const neighbour = await createResident(t, homeId);
      await agents.manager.get(`/residents/${neighbour.id}/plan/versions/${myPlan.id}`).expect(404);
      await agents.manager.get(`/residents/${mine.id}/plan/versions/not-an-id`).expect(404);
      expect(await plans().countBy({ residentId: elsewhere.id })).toBe(1);
    });

    it('should not let a plan be written for a resident who has left', async () => {
      const gone = await createResident(t, homeId, { status: 'discharged', leftOn: '2025-02-01' });
      await agents.coordinator.get(`/residents/${gone.id}/plan`).expect(200);
      const res = await post(agents.coordinator, `/residents/${gone.id}/plan`, `/residents/${gone.id}/plan/new`, planForm());
      expect(res.status).toBe(422);
      expect(await plans().countBy({ residentId: gone.id })).toBe(0);
    });
  });

  describe('the plan as families see it', () => {
    it('should give the plan in full with full consent, a summary with summary consent, and nothing without consent', async () => {
      const resident = await createResident(t, homeId, { consentFamilyPortal: 'full' });
      const relative = await createRelative(t, resident);
      const family = await sessionUserOf(t, relative.user.id);
      const sut = t.get(PlansService);
      expect(await sut.familyPlan(family, resident.id)).toBeNull();

      await createAttendance(t, resident, 'creative', { hoursAgo: 6 });
      const { plan, goals } = await createPlan(t, resident, {
        agreedOn: addDays(today(), -100), nextReviewOn: addDays(today(), 80), whatMattersToMe: 'My garden and my grandchildren.',
        goals: [
          { description: 'Sing with the choir', categories: ['creative'], targetPerWeek: 2 },
          { description: 'Dropped goal', categories: ['social'], status: 'dropped' },
        ],
      });
      await createPlan(t, resident, { status: 'draft', agreedOn: null, nextReviewOn: null, whatMattersToMe: 'Draft text, not agreed yet.' });
      const reviewId = randomUUID();
      await t.dataSource.getRepository(PlanReview).insert({ id: reviewId, homeId, planId: plan.id, reviewedOn: addDays(today(), -10), residentTookPart: true, familyMemberIds: [], staffMemberIds: [], notes: 'Staff only note', recordedBy: null });
      await t.dataSource.getRepository(GoalAttainment).insert({ homeId, reviewId, goalId: goals[0].id, score: 1 });

      expect(await sut.familyPlan(family, resident.id)).toEqual({
        detail: 'full',
        agreedOn: addDays(today(), -100),
        nextReviewOn: addDays(today(), 80),
        whatMattersToMe: 'My garden and my grandchildren.',
        goals: [{ description: 'Sing with the choir', targetPerWeek: 2, attendedThisWeek: 1, categories: ['creative'] }],
        lastReview: { reviewedOn: addDays(today(), -10), scores: [{ goal: 'Sing with the choir', score: 1 }] },
      });

      await t.dataSource.getRepository(Resident).update({ id: resident.id }, { consentFamilyPortal: 'summary' });
      expect(await sut.familyPlan(family, resident.id)).toEqual({
        detail: 'summary', agreedOn: addDays(today(), -100), nextReviewOn: addDays(today(), 80), goals: [{ description: 'Sing with the choir' }],
      });

      await t.dataSource.getRepository(Resident).update({ id: resident.id }, { consentFamilyPortal: 'none' });
      await expect(sut.familyPlan(family, resident.id)).rejects.toBeInstanceOf(NotFoundError);

      // Another family's relative, and a volunteer, are not told anything.
      const stranger = await createRelative(t, await createResident(t, homeId));
      await t.dataSource.getRepository(Resident).update({ id: resident.id }, { consentFamilyPortal: 'full' });
      await expect(sut.familyPlan(await sessionUserOf(t, stranger.user.id), resident.id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(sut.familyPlan(await sessionUserOf(t, users.volunteer.id), resident.id)).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('demo data', () => {
    it('should give most demo residents an agreed plan, with earlier versions, reviews, overdue reviews and drafts', async () => {
      await t.get(DemoSeeder).seed(loadDemoData());
      const home = await t.dataSource.getRepository(Home).findOneByOrFail({ slug: 'casa-serena' });
      // The lead's seeder may already call seedDemoPlans; call it here only if it has not.
      if ((await plans().countBy({ homeId: home.id })) === 0) {
        const residents = await t.dataSource.getRepository(Resident).find({ where: { homeId: home.id } });
        const staff = await t.dataSource.getRepository(StaffMember).find({ where: { homeId: home.id } });
        await t.get(UnitOfWork).transaction((m) =>
          seedDemoPlans(m, { homeId: home.id, timezone: home.timezone, residentIds: residents.map((r) => r.id), staffIds: staff.map((s) => s.id) }, seededRandom(7)));
      }
      const all = await plans().findBy({ homeId: home.id });
      const agreed = all.filter((p) => p.status === 'agreed');
      expect(agreed.length).toBeGreaterThanOrEqual(18);
      expect(all.filter((p) => p.status === 'archived').length).toBeGreaterThanOrEqual(3);
      expect(all.filter((p) => p.status === 'draft').length).toBeGreaterThanOrEqual(2);
      const overdue = agreed.filter((p) => p.nextReviewOn! < today());
      expect(overdue.length).toBeGreaterThanOrEqual(2);
      expect(overdue.length).toBeLessThanOrEqual(3);
      const reviews = await t.dataSource.getRepository(PlanReview).findBy({ homeId: home.id });
      expect(reviews.length).toBeGreaterThan(5);
      expect(await t.dataSource.getRepository(GoalAttainment).countBy({ homeId: home.id })).toBeGreaterThan(10);
      const made = await t.dataSource.getRepository(Contribution).findBy({ homeId: home.id, source: 'plan_review' });
      expect(new Set(made.map((c) => c.actorType))).toEqual(new Set(['resident', 'family', 'staff']));
      expect(made.every((c) => c.phase === 'co_design' && c.activityId === null)).toBe(true);
      for (const plan of agreed) expect(plan.agreedOn! <= today()).toBe(true);

      const coordinator = await createUser(t, { role: 'coordinator', homeIds: [home.id] });
      const agent = await signIn(t, coordinator.email, coordinator.password);
      const overduePage = (await agent.get('/plans/overdue').expect(200)).text;
      expect(overduePage).toContain('Reviews overdue');
      const withHistory = all.find((p) => p.status === 'archived')!;
      const page = (await agent.get(`/residents/${withHistory.residentId}/plan`).expect(200)).text;
      expect(page).toContain('Version 1');
      expect(page).toContain('Goal Attainment Scale');
    });
  });
});
