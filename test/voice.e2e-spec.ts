import { In, IsNull } from 'typeorm';
import { Activity } from '../src/activities/entities/activity.entity';
import { Role } from '../src/auth/auth.enums';
import type { SessionUser } from '../src/common/access/session-user';
import { NotFoundError, ValidationError } from '../src/common/errors/domain-errors';
import { localToUtc, todayIn, utcToLocal } from '../src/common/time/zoned';
import { Contribution } from '../src/contributions/entities/contribution.entity';
import { UnitOfWork } from '../src/database/unit-of-work';
import { HomeView } from '../src/homes/homes.service';
import { Notification } from '../src/notifications/entities/notification.entity';
import { NotificationsService } from '../src/notifications/notifications.service';
import { Resident } from '../src/residents/entities/resident.entity';
import { CheckInsService } from '../src/voice/check-ins.service';
import { Feedback } from '../src/voice/entities/feedback.entity';
import { Suggestion } from '../src/voice/entities/suggestion.entity';
import { WellbeingCheckIn } from '../src/voice/entities/wellbeing-check-in.entity';
import { FeedbackService } from '../src/voice/feedback.service';
import { currentQuarter, previousQuarter } from '../src/common/time/quarter';
import { SuggestionsService } from '../src/voice/suggestions.service';
import { DEMO_HOME_SLUG, DEMO_PASSWORD } from '../src/demo/demo-accounts';
import { loadDemoData } from '../src/demo/demo-data';
import { seededRandom } from '../src/demo/demo-programme';
import { DemoSeeder } from '../src/demo/demo-seeder';
import { seedDemoVoice } from '../src/demo/demo-voice';
import { FamilyMember } from '../src/families/entities/family-member.entity';
import { Home } from '../src/homes/entities/home.entity';
import { FamilyLink } from '../src/residents/entities/family-link.entity';
import { StaffMember } from '../src/staff/entities/staff-member.entity';
import { Volunteer } from '../src/volunteers/entities/volunteer.entity';
import { Participation } from '../src/activities/entities/participation.entity';
import { createActivity } from './support/activity-factories';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, csrfFrom, signIn } from './support/http';
import { createStaffMember, createVolunteer } from './support/people-factories';
import { createRelative, createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';
import { createHelpOffer, createParticipation, sessionUserOf } from './support/voice-factories';

const ROLES: Role[] = ['admin', 'manager', 'coordinator', 'carer', 'volunteer', 'family'];
const STAFF: Role[] = ['admin', 'manager', 'coordinator', 'carer'];
const ZONE = 'Europe/Rome';

/** Page text with the entities Handlebars writes turned back into characters. */
function plain(html: string): string {
  return html.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=').replace(/&#x27;/g, "'").replace(/&quot;/g, '"');
}

describe('The voice of residents and families: suggestions, feedback, check-ins and notifications', () => {
  let t: TestApp;
  let home: HomeView;
  let otherHome: HomeView;
  let residentA: Resident;
  let residentB: Resident;
  let residentNone: Resident;
  let foreignResident: Resident;
  let relativeA: Awaited<ReturnType<typeof createRelative>>;
  let viewRelative: Awaited<ReturnType<typeof createRelative>>;
  let relativeB: Awaited<ReturnType<typeof createRelative>>;
  let relativeNone: Awaited<ReturnType<typeof createRelative>>;
  let coordinatorStaffId: string;
  let volunteerId: string;
  let otherCoordinator: TestUser;
  const agents = {} as Record<Role, Agent>;
  const users = {} as Record<Role, TestUser>;
  const tokens = new Map<Agent, string>();

  const suggestions = () => t.get(SuggestionsService);
  const feedback = () => t.get(FeedbackService);
  const checkIns = () => t.get(CheckInsService);
  const contributions = () => t.dataSource.getRepository(Contribution);
  const notifications = () => t.dataSource.getRepository(Notification);
  const as = (user: TestUser): Promise<SessionUser> => sessionUserOf(t, user);

  async function post(agent: Agent, path: string, body: Record<string, unknown> = {}) {
    if (!tokens.has(agent)) tokens.set(agent, csrfFrom((await agent.get('/account').expect(200)).text));
    return agent.post(path).type('form').send({ _csrf: tokens.get(agent), ...body });
  }

  /** A held activity yesterday afternoon, with how each resident took part. */
  async function heldActivity(homeId: string, attendance: [string, 'active' | 'passive' | 'disengaged' | 'declined' | 'absent'][], title = 'Coro del martedì'): Promise<Activity> {
    const yesterday = utcToLocal(new Date(Date.now() - 24 * 60 * 60 * 1000), ZONE).date;
    const activity = await createActivity(t, homeId, { title, status: 'completed', startsAt: localToUtc(yesterday, '15:30', ZONE), residentIds: attendance.map(([id]) => id) });
    for (const [residentId, engagement] of attendance) await createParticipation(t, activity, residentId, engagement);
    return activity;
  }

  beforeAll(async () => {
    t = await createTestApp();
    home = await createHome(t, { name: 'Casa Voce' });
    otherHome = await createHome(t, { name: 'Casa Lontana' });
    residentA = await createResident(t, home.id, { firstName: 'Adele', lastName: 'Ferri', preferredName: 'Dele' });
    residentB = await createResident(t, home.id, { firstName: 'Bruno', lastName: 'Galli' });
    residentNone = await createResident(t, home.id, { firstName: 'Nives', lastName: 'Riservata', consentFamilyPortal: 'none' });
    foreignResident = await createResident(t, otherHome.id, { firstName: 'Ettore', lastName: 'Altrove' });
    relativeA = await createRelative(t, residentA);
    viewRelative = await createRelative(t, residentA, { access: 'view', primaryContact: false, relationship: 'son' });
    relativeB = await createRelative(t, residentB);
    relativeNone = await createRelative(t, residentNone);
    coordinatorStaffId = (await createStaffMember(t, home.id, { firstName: 'Chiara', lastName: 'Animatrice', jobRole: 'activity_coordinator' })).id;
    const carerStaffId = (await createStaffMember(t, home.id, { firstName: 'Carla', lastName: 'Operatrice' })).id;
    volunteerId = (await createVolunteer(t, home.id, { firstName: 'Vito', lastName: 'Volenteroso' })).id;
    const people: Partial<Record<Role, { personKind: 'staff' | 'volunteer'; personId: string }>> = {
      coordinator: { personKind: 'staff', personId: coordinatorStaffId }, carer: { personKind: 'staff', personId: carerStaffId },
      volunteer: { personKind: 'volunteer', personId: volunteerId },
    };
    for (const role of ROLES) {
      users[role] = role === 'family'
        ? relativeA.user
        : await createUser(t, { role, homeIds: role === 'admin' ? [] : [home.id], displayName: `Test ${role}`, ...(people[role] ?? {}) });
      agents[role] = await signIn(t, users[role].email, users[role].password);
    }
    otherCoordinator = await createUser(t, { role: 'coordinator', homeIds: [otherHome.id] });
  });

  afterAll(async () => {
    await t.close();
  });

  describe('suggestions from a relative', () => {
    it('should take each kind from a relative with contribute access, about their resident or the whole home', async () => {
      const family = await as(relativeA.user);
      const idea = await suggestions().submit(family, { kind: 'activity_idea', title: 'Gita al lago di Garda', body: 'Una gita in pulmino, con il pranzo in trattoria.' });
      const ideaForHer = await suggestions().submit(family, { residentId: residentA.id, kind: 'activity_idea', title: 'Lezioni di uncinetto', body: 'La mamma potrebbe insegnare ad altri.' });
      const plan = await suggestions().submit(family, { residentId: residentA.id, kind: 'plan_change', title: 'Più passeggiate', body: 'Le piace camminare in giardino al mattino.' });
      const story = await suggestions().submit(family, { residentId: residentA.id, kind: 'life_story', title: 'La sartoria', body: 'Ha lavorato quarant\'anni in una sartoria di via Emilia.' });

      expect(idea).toMatchObject({ residentId: null, residentName: null, kind: 'activity_idea', status: 'new' });
      expect(idea.author).toMatchObject({ type: 'family', relationshipKey: 'families.relationships.daughter', relativeOf: 'Dele Ferri', onBehalf: false });
      expect(ideaForHer).toMatchObject({ residentId: residentA.id, residentName: 'Dele Ferri' });
      expect(plan.kind).toBe('plan_change');
      expect(story.kind).toBe('life_story');
      const stored = await t.dataSource.getRepository(Suggestion).findOneByOrFail({ id: story.id });
      expect(stored).toMatchObject({
        homeId: home.id, authorType: 'family', authorFamilyMemberId: relativeA.familyMember.id, recordedBy: relativeA.user.id, residentId: residentA.id, status: 'new',
      });
      const mine = await suggestions().listMine(family);
      expect(mine.map((s) => s.id)).toEqual(expect.arrayContaining([idea.id, ideaForHer.id, plan.id, story.id]));
      expect(mine[0].createdAt.getTime()).toBeGreaterThanOrEqual(mine[mine.length - 1].createdAt.getTime());
    });

    it('should tell coordinators and managers of the home that a suggestion arrived, and nobody else', async () => {
      const family = await as(relativeA.user);
      const title = 'Cinema del sabato';
      await suggestions().submit(family, { kind: 'activity_idea', title, body: 'Film in bianco e nero con i popcorn.' });
      const to = async (user: TestUser) => (await notifications().findBy({ userId: user.id, messageKey: 'notifications.messages.newSuggestion.activity_idea' }))
        .filter((n) => n.params.title === title).length;
      expect(await to(users.coordinator)).toBe(1);
      expect(await to(users.manager)).toBe(1);
      expect(await to(users.carer)).toBe(0);
      expect(await to(relativeA.user)).toBe(0);
      expect(await to(otherCoordinator)).toBe(0);
    });

    it('should name the field when the input is bad', async () => {
      const family = await as(relativeA.user);
      const cases: [Record<string, unknown>, string][] = [
        [{ kind: 'life_story', title: 'Ricordi', body: 'Senza ospite' }, 'residentId'],
        [{ kind: 'plan_change', residentId: null, title: 'Piano', body: 'Senza ospite' }, 'residentId'],
        [{ kind: 'gossip', residentId: residentA.id, title: 'x', body: 'y' }, 'kind'],
        [{ kind: 'activity_idea', title: '   ', body: 'y' }, 'title'],
        [{ kind: 'activity_idea', title: 'x'.repeat(161), body: 'y' }, 'title'],
        [{ kind: 'activity_idea', title: 'x', body: 'y'.repeat(4001) }, 'body'],
        [{ kind: 'activity_idea', title: 'x', body: 42 }, 'body'],
        [{ kind: 'activity_idea', residentId: 'not-an-id', title: 'x', body: 'y' }, 'residentId'],
      ];
      for (const [input, field] of cases) {
        const error = await suggestions().submit(family, input as never).catch((e: unknown) => e);
        expect({ field, error: error instanceof ValidationError ? Object.keys(error.fields) : error }).toEqual({ field, error: [field] });
      }
    });

    it('should refuse a relative with view access, a relative of another resident and a resident without family consent', async () => {
      const viewer = await as(viewRelative.user);
      const viewOnly = await suggestions().submit(viewer, { residentId: residentA.id, kind: 'plan_change', title: 'x', body: 'y' }).catch((e: unknown) => e);
      expect(viewOnly).toBeInstanceOf(ValidationError);
      expect((viewOnly as ValidationError).fields.residentId.key).toBe('voice.viewOnlyFamily');
      await expect(suggestions().submit(viewer, { kind: 'activity_idea', title: 'x', body: 'y' })).rejects.toMatchObject({ detail: { key: 'voice.viewOnlyFamily' } });
      await expect(feedback().submit(viewer, { rating: 4 })).rejects.toBeInstanceOf(ValidationError);
      await expect(checkIns().submit(viewer, { residentId: residentA.id, doingThings: 3, people: 3, choice: 3 })).rejects.toBeInstanceOf(ValidationError);

      // Family of resident B guessing resident A's id, or a resident of another home.
      const other = await as(relativeB.user);
      await expect(suggestions().submit(other, { residentId: residentA.id, kind: 'life_story', title: 'x', body: 'y' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(suggestions().submit(other, { residentId: foreignResident.id, kind: 'life_story', title: 'x', body: 'y' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(checkIns().submit(other, { residentId: residentA.id, doingThings: 3, people: 3, choice: 3 })).rejects.toBeInstanceOf(NotFoundError);
      await expect(checkIns().listForResident(other, residentA.id)).rejects.toBeInstanceOf(NotFoundError);

      // Consent "none": the resident is not there for the family at all.
      const none = await as(relativeNone.user);
      await expect(suggestions().submit(none, { residentId: residentNone.id, kind: 'plan_change', title: 'x', body: 'y' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(suggestions().submit(none, { kind: 'activity_idea', title: 'x', body: 'y' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(feedback().submit(none, { rating: 3 })).rejects.toBeInstanceOf(NotFoundError);
      expect(await t.dataSource.getRepository(Suggestion).countBy({ authorFamilyMemberId: viewRelative.familyMember.id })).toBe(0);
      expect(await t.dataSource.getRepository(Suggestion).countBy({ authorFamilyMemberId: relativeB.familyMember.id })).toBe(0);
      expect(await t.dataSource.getRepository(Suggestion).countBy({ authorFamilyMemberId: relativeNone.familyMember.id })).toBe(0);
    });

    it('should apply withdrawn consent and an ended link at once', async () => {
      const resident = await createResident(t, home.id, { firstName: 'Olga', lastName: 'Ritirata' });
      const relative = await createRelative(t, resident);
      const family = await as(relative.user);
      const said = await suggestions().submit(family, { residentId: resident.id, kind: 'plan_change', title: 'Meno rumore', body: 'Preferisce la sala piccola.' });
      await t.dataSource.getRepository(Resident).update({ id: resident.id }, { consentFamilyPortal: 'none' });
      await expect(suggestions().submit(family, { residentId: resident.id, kind: 'plan_change', title: 'x', body: 'y' })).rejects.toBeInstanceOf(NotFoundError);
      expect((await suggestions().listMine(family)).map((s) => s.id)).not.toContain(said.id);
      await t.dataSource.getRepository(Resident).update({ id: resident.id }, { consentFamilyPortal: 'summary' });
      expect((await suggestions().listMine(family)).map((s) => s.id)).toContain(said.id);
      await t.dataSource.query(`UPDATE family_link SET active = ${t.database.kind === 'postgres' ? 'false' : '0'} WHERE id = '${relative.link.id}'`);
      await expect(suggestions().submit(family, { residentId: resident.id, kind: 'plan_change', title: 'x', body: 'y' })).rejects.toBeInstanceOf(NotFoundError);
    });

    it('should let a volunteer suggest for the whole home but not about a resident they do not help with', async () => {
      const volunteer = await as(users.volunteer);
      const idea = await suggestions().submit(volunteer, { kind: 'activity_idea', title: 'Scacchi il venerdì', body: 'Porto le scacchiere del circolo.' });
      expect(idea).toMatchObject({ homeId: home.id, residentId: null });
      expect(idea.author).toMatchObject({ type: 'volunteer', name: 'Vito Volenteroso', association: 'AVO' });
      await expect(suggestions().submit(volunteer, { residentId: residentA.id, kind: 'life_story', title: 'x', body: 'y' })).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('feedback', () => {
    it('should make one co_assessment per feedback, and change it when given again on the same activity', async () => {
      const activity = await heldActivity(home.id, [[residentA.id, 'passive'], [residentB.id, 'active']]);
      const family = await as(relativeA.user);
      const first = await feedback().submit(family, { activityId: activity.id, rating: 4, comment: 'Mamma ha cantato tutto il tempo.' });
      expect(first).toMatchObject({ activityId: activity.id, activityTitle: 'Coro del martedì', rating: 4, homeId: home.id });
      const made = await contributions().findBy({ source: 'feedback', sourceId: first.id });
      expect(made).toHaveLength(1);
      expect(made[0]).toMatchObject({
        phase: 'co_assessment', actorType: 'family', familyMemberId: relativeA.familyMember.id, activityId: activity.id, minutes: 0,
        date: utcToLocal(activity.startsAt, ZONE).date,
      });
      const again = await feedback().submit(family, { activityId: activity.id, rating: 5, comment: 'Anche la seconda volta!' });
      expect(again.id).toBe(first.id);
      expect((await t.dataSource.getRepository(Feedback).findOneByOrFail({ id: first.id })).rating).toBe(5);
      expect(await contributions().countBy({ source: 'feedback', familyMemberId: relativeA.familyMember.id, activityId: activity.id })).toBe(1);
      expect(await notifications().countBy({ userId: users.coordinator.id, messageKey: 'notifications.messages.newFeedback' })).toBeGreaterThanOrEqual(1);
      expect((await feedback().listMine(family)).map((f) => f.id)).toContain(first.id);
      expect((await feedback().inbox(await as(users.manager))).map((f) => f.id)).toContain(first.id);
    });

    it('should take feedback only on activities the relative attended, or on the programme', async () => {
      const family = await as(relativeA.user);
      const declined = await heldActivity(home.id, [[residentA.id, 'declined'], [residentB.id, 'active']], 'Tombola');
      await expect(feedback().submit(family, { activityId: declined.id, rating: 3 })).rejects.toMatchObject({ fields: { activityId: { key: 'voice.relativeDidNotAttend' } } });
      const foreign = await heldActivity(otherHome.id, [[foreignResident.id, 'active']]);
      await expect(feedback().submit(family, { activityId: foreign.id, rating: 3 })).rejects.toBeInstanceOf(NotFoundError);
      const programme = await feedback().submit(family, { rating: 5, comment: 'Grazie a tutto il personale.' });
      expect(programme).toMatchObject({ activityId: null, homeId: home.id });
      expect(await contributions().findOneByOrFail({ source: 'feedback', sourceId: programme.id })).toMatchObject({ activityId: null, date: todayIn(ZONE), phase: 'co_assessment' });
      for (const rating of [0, 6, 2.5, 'molto' as never]) {
        await expect(feedback().submit(family, { rating })).rejects.toMatchObject({ fields: { rating: { key: 'voice.scoreRange' } } });
      }
      await expect(feedback().submit(family, { activityId: 'x', rating: 3 })).rejects.toMatchObject({ fields: { activityId: { key: 'validation.isUuid' } } });
      const choices = await feedback().choices(family);
      expect(choices.map((c) => c.id)).not.toContain(declined.id);
    });

    it('should take a volunteer\'s feedback on activities they helped with', async () => {
      const volunteer = await as(users.volunteer);
      const helped = await heldActivity(home.id, [[residentB.id, 'active']], 'Uscita al mercato');
      const notHelped = await heldActivity(home.id, [[residentB.id, 'active']], 'Ginnastica dolce');
      await createHelpOffer(t, helped, { volunteerId });
      const given = await feedback().submit(volunteer, { activityId: helped.id, rating: 5 });
      expect(await contributions().findOneByOrFail({ source: 'feedback', sourceId: given.id })).toMatchObject({ actorType: 'volunteer', volunteerId });
      await expect(feedback().submit(volunteer, { activityId: notHelped.id, rating: 4 })).rejects.toMatchObject({ fields: { activityId: { key: 'voice.notHelped' } } });
      expect((await feedback().choices(volunteer)).map((c) => c.id)).toEqual([helped.id]);
      await expect(feedback().submit(await as(users.coordinator), { rating: 4 })).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('wellbeing check-ins', () => {
    it('should keep one check-in per resident, quarter, perspective and person, and count it once', async () => {
      const family = await as(relativeA.user);
      const first = await checkIns().submit(family, { residentId: residentA.id, doingThings: 2, people: 3, choice: 2, comment: 'Un po\' giù questo mese.' });
      expect(first).toMatchObject({ quarter: currentQuarter(ZONE), perspective: 'family', doingThings: 2, residentId: residentA.id });
      const again = await checkIns().submit(family, { residentId: residentA.id, doingThings: 3, people: 4, choice: 3 });
      expect(again.id).toBe(first.id);
      expect(await t.dataSource.getRepository(WellbeingCheckIn).countBy({ residentId: residentA.id, perspective: 'family', familyMemberId: relativeA.familyMember.id })).toBe(1);
      expect(await t.dataSource.getRepository(WellbeingCheckIn).findOneByOrFail({ id: first.id })).toMatchObject({ doingThings: 3, people: 4, choice: 3, comment: null });
      const made = await contributions().findBy({ source: 'check_in', sourceId: first.id });
      expect(made).toHaveLength(1);
      expect(made[0]).toMatchObject({ phase: 'co_assessment', actorType: 'family', familyMemberId: relativeA.familyMember.id, activityId: null, minutes: 0 });

      const staff = await checkIns().submit(await as(users.coordinator), { residentId: residentA.id, doingThings: 3, people: 3, choice: 4 });
      expect(staff).toMatchObject({ perspective: 'staff', authorName: 'Chiara Animatrice' });
      expect(await contributions().findOneByOrFail({ source: 'check_in', sourceId: staff.id })).toMatchObject({ actorType: 'staff', staffMemberId: coordinatorStaffId });
      // Full consent: the relative sees every perspective.
      expect((await checkIns().listForResident(family, residentA.id)).map((c) => c.perspective)).toEqual(expect.arrayContaining(['family', 'staff']));
      for (const [field, value] of [['doingThings', 0], ['people', 5], ['choice', 'tanto']] as const) {
        await expect(checkIns().submit(family, { residentId: residentA.id, doingThings: 3, people: 3, choice: 3, [field]: value } as never))
          .rejects.toMatchObject({ fields: { [field]: { key: 'voice.scoreRange' } } });
      }
      await expect(checkIns().submit(await as(users.volunteer), { residentId: residentA.id, doingThings: 3, people: 3, choice: 3 })).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('saving twice at once', () => {
    it('should still keep one check-in, one feedback and one contribution each', async () => {
      const resident = await createResident(t, home.id, { firstName: 'Doppia', lastName: 'Spunta' });
      const relative = await createRelative(t, resident);
      const family = await as(relative.user);
      const activity = await heldActivity(home.id, [[resident.id, 'active']], 'Coro a due voci');
      await Promise.all([1, 2, 3, 4].map((n) => checkIns().submit(family, { residentId: resident.id, doingThings: n, people: 3, choice: 3 })));
      await Promise.all([3, 4, 5].map((rating) => feedback().submit(family, { activityId: activity.id, rating })));
      expect(await t.dataSource.getRepository(WellbeingCheckIn).countBy({ residentId: resident.id })).toBe(1);
      expect(await t.dataSource.getRepository(Feedback).countBy({ activityId: activity.id })).toBe(1);
      expect(await contributions().countBy({ familyMemberId: relative.familyMember.id })).toBe(2);
      const idea = await suggestions().submit(family, { kind: 'activity_idea', title: 'Doppio sì', body: 'Due risposte insieme.' });
      const coordinator = await as(users.coordinator);
      await Promise.all([suggestions().respond(coordinator, idea.id, { status: 'accepted' }), suggestions().respond(await as(users.manager), idea.id, { status: 'accepted' })]);
      expect(await contributions().countBy({ source: 'suggestion', sourceId: idea.id })).toBe(1);
    });
  });

  describe("the resident's own voice, recorded by staff", () => {
    it('should record a suggestion, feedback and a check-in in the resident\'s name, marked as recorded on their behalf', async () => {
      const resident = await createResident(t, home.id, { firstName: 'Rosa', lastName: 'Voce' });
      const activity = await heldActivity(home.id, [[resident.id, 'active']], 'Laboratorio di pittura');
      const page = await agents.carer.get(`/residents/${resident.id}/voice`).expect(200);
      expect(plain(page.text)).toContain('Laboratorio di pittura');
      expect(plain(page.text)).toContain('on their behalf');

      const suggested = await post(agents.carer, `/residents/${resident.id}/voice/suggestions`, { kind: 'life_story', title: 'Il mare di Rimini', body: 'Ogni estate andavamo a Rimini in treno.' });
      expect(suggested.status).toBe(303);
      expect(suggested.headers.location).toBe(`/residents/${resident.id}/voice#suggestions`);
      const stored = await t.dataSource.getRepository(Suggestion).findOneByOrFail({ title: 'Il mare di Rimini' });
      expect(stored).toMatchObject({ authorType: 'resident', authorResidentId: resident.id, recordedBy: users.carer.id, residentId: resident.id, homeId: home.id });
      expect((await post(agents.carer, `/residents/${resident.id}/voice/suggestions`, { kind: 'activity_idea', title: 'Balli di gruppo', body: 'Per tutti.', wholeHome: 'on' })).status).toBe(303);
      expect(await t.dataSource.getRepository(Suggestion).findOneByOrFail({ title: 'Balli di gruppo' })).toMatchObject({ residentId: null, authorResidentId: resident.id });

      expect((await post(agents.carer, `/residents/${resident.id}/voice/feedback`, { activityId: activity.id, rating: '5', comment: 'Bellissimo, voglio rifarlo.' })).status).toBe(303);
      const given = await t.dataSource.getRepository(Feedback).findOneByOrFail({ authorResidentId: resident.id });
      expect(given).toMatchObject({ authorType: 'resident', recordedBy: users.carer.id, rating: 5, activityId: activity.id });
      expect(await contributions().findOneByOrFail({ source: 'feedback', sourceId: given.id })).toMatchObject({ actorType: 'resident', residentId: resident.id, phase: 'co_assessment' });

      expect((await post(agents.carer, `/residents/${resident.id}/voice/check-in`, { doingThings: '3', people: '4', choice: '2', comment: 'Contenta.' })).status).toBe(303);
      expect((await post(agents.carer, `/residents/${resident.id}/voice/check-in`, { doingThings: '4', people: '4', choice: '3' })).status).toBe(303);
      const own = await t.dataSource.getRepository(WellbeingCheckIn).findBy({ residentId: resident.id });
      expect(own).toHaveLength(1);
      expect(own[0]).toMatchObject({ perspective: 'resident', doingThings: 4, choice: 3, recordedBy: users.carer.id, quarter: currentQuarter(ZONE) });
      expect(await contributions().countBy({ source: 'check_in', residentId: resident.id })).toBe(1);

      const after = plain((await agents.carer.get(`/residents/${resident.id}/voice`).expect(200)).text);
      expect(after).toContain('Recorded by Test carer on behalf of Rosa Voce');
      expect(after).toContain('Il mare di Rimini');
      expect(after).toContain('id="ci-doingThings-4" name="doingThings" value="4" checked');
    });

    it('should keep what was typed and show errors beside the fields when a form is rejected', async () => {
      const resident = await createResident(t, home.id, { firstName: 'Italo', lastName: 'Errori' });
      const elsewhere = await heldActivity(home.id, [[residentB.id, 'active']], 'Stanza sensoriale');
      const badFeedback = await post(agents.coordinator, `/residents/${resident.id}/voice/feedback`, { activityId: elsewhere.id, rating: '4', comment: 'Da non perdere' });
      expect(badFeedback.status).toBe(422);
      expect(badFeedback.text).toContain('id="error-fb-activityId"');
      expect(badFeedback.text).toContain('Da non perdere');
      const badCheckIn = await post(agents.coordinator, `/residents/${resident.id}/voice/check-in`, { doingThings: '3', choice: '9' });
      expect(badCheckIn.status).toBe(422);
      expect(badCheckIn.text).toContain('id="error-ci-people"');
      expect(badCheckIn.text).toContain('id="error-ci-choice"');
      expect(plain(badCheckIn.text)).toContain('id="ci-doingThings-3" name="doingThings" value="3" checked');
      const badSuggestion = await post(agents.coordinator, `/residents/${resident.id}/voice/suggestions`, { kind: 'life_story', title: '', body: 'Il testo resta' });
      expect(badSuggestion.status).toBe(422);
      expect(badSuggestion.text).toContain('id="error-sg-title"');
      expect(badSuggestion.text).toContain('Il testo resta');
      expect(await t.dataSource.getRepository(Suggestion).countBy({ authorResidentId: resident.id })).toBe(0);
      expect(await t.dataSource.getRepository(WellbeingCheckIn).countBy({ residentId: resident.id })).toBe(0);
    });

    it.each(ROLES)('should allow, refuse or hide the resident voice routes by role when signed in as %s', async (role) => {
      const resident = await createResident(t, home.id);
      const agent = agents[role];
      const staff = STAFF.includes(role);
      expect((await agent.get(`/residents/${resident.id}/voice`)).status).toBe(staff ? 200 : 403);
      expect((await post(agent, `/residents/${resident.id}/voice/suggestions`, { kind: 'plan_change', title: `Da ${role}`, body: 'Testo' })).status).toBe(staff ? 303 : 403);
      expect((await post(agent, `/residents/${resident.id}/voice/feedback`, { rating: '4' })).status).toBe(staff ? 303 : 403);
      expect((await post(agent, `/residents/${resident.id}/voice/check-in`, { doingThings: '3', people: '3', choice: '3' })).status).toBe(staff ? 303 : 403);
      // Another home's resident: not found for staff of this home (an administrator sees every home).
      const foreign = await createResident(t, otherHome.id);
      const expected = role === 'admin' ? 200 : staff ? 404 : 403;
      expect((await agent.get(`/residents/${foreign.id}/voice`)).status).toBe(expected);
      expect((await post(agent, `/residents/${foreign.id}/voice/check-in`, { doingThings: '3', people: '3', choice: '3' })).status).toBe(role === 'admin' ? 303 : staff ? 404 : 403);
      expect((await agent.get('/residents/not-an-id/voice')).status).toBe(staff ? 404 : 403);
    });
  });

  describe('notifications', () => {
    it('should tell the author when their suggestion is answered, and show the unread count in the header', async () => {
      const resident = await createResident(t, home.id, { firstName: 'Nora', lastName: 'Notifica' });
      const relative = await createRelative(t, resident);
      const agent = await signIn(t, relative.user.email, relative.user.password);
      expect(plain((await agent.get('/account').expect(200)).text)).not.toMatch(/Notifications \(\d+\)/);
      const said = await suggestions().submit(await as(relative.user), { residentId: resident.id, kind: 'activity_idea', title: 'Merenda con i nipoti', body: 'La domenica pomeriggio.' });
      await suggestions().respond(await as(users.coordinator), said.id, { status: 'accepted', response: 'Bella idea: la proviamo a dicembre.' });
      const stored = await notifications().findOneByOrFail({ userId: relative.user.id });
      expect(stored).toMatchObject({ messageKey: 'notifications.messages.suggestion.accepted', readAt: null, link: `/portal/residents/${resident.id}#my-suggestions` });

      const header = plain((await agent.get('/account').expect(200)).text);
      expect(header).toContain('Notifications (1)');
      const list = plain((await agent.get('/notifications').expect(200)).text);
      expect(list).toContain('Your suggestion “Merenda con i nipoti” was accepted. Bella idea: la proviamo a dicembre.');
      const token = csrfFrom(list);
      await agent.post('/notifications/read').type('form').send({ _csrf: token }).expect(303);
      expect(plain((await agent.get('/account').expect(200)).text)).not.toMatch(/Notifications \(\d+\)/);
      expect((await notifications().findOneByOrFail({ id: stored.id })).readAt).not.toBeNull();
    });

    it('should open a notification once, mark it read, and hide other users\' notifications', async () => {
      const family = await as(relativeA.user);
      await suggestions().submit(family, { kind: 'activity_idea', title: 'Festa dei nonni', body: 'Con la banda del paese.' });
      const mine = (await notifications().findBy({ userId: users.coordinator.id, messageKey: 'notifications.messages.newSuggestion.activity_idea' }))
        .find((n) => n.params.title === 'Festa dei nonni')!;
      // Its own place in the inbox, which is also how answering it reads it for everyone (below).
      expect(mine.link).toMatch(/^\/inbox#s-[0-9a-f-]{36}$/);
      const opened = await post(agents.coordinator, `/notifications/${mine.id}/open`);
      expect(opened.status).toBe(303);
      expect(opened.headers.location).toBe(mine.link);
      expect((await notifications().findOneByOrFail({ id: mine.id })).readAt).not.toBeNull();
      expect((await post(agents.manager, `/notifications/${mine.id}/open`)).status).toBe(404);
      expect((await post(agents.manager, '/notifications/not-an-id/open')).status).toBe(404);
    });

    it('should read the news of a suggestion for every coordinator and manager once one of them answers it', async () => {
      const family = await as(relativeA.user);
      const idea = await suggestions().submit(family, { kind: 'activity_idea', title: 'Gita al lago', body: 'In primavera.' });
      const about = () => notifications().findBy({ link: `/inbox#s-${idea.id}` });
      const before = await about();
      expect(before.length).toBeGreaterThanOrEqual(2);
      expect(before.every((n) => n.readAt === null)).toBe(true);
      await suggestions().respond(await as(users.coordinator), idea.id, { status: 'accepted' });
      expect((await about()).every((n) => n.readAt !== null)).toBe(true);
    });

    it.each(ROLES)('should show the notifications page and mark all read when signed in as %s', async (role) => {
      expect((await agents[role].get('/notifications')).status).toBe(200);
      expect((await post(agents[role], '/notifications/read')).status).toBe(303);
      expect(await notifications().countBy({ userId: users[role].id, readAt: IsNull() })).toBe(0);
    });

    it('should tell coordinators of a new help offer and the helper of the answer (the hooks for HelpOffersService)', async () => {
      const activity = await createActivity(t, home.id, { title: 'Gita in collina', startsAt: new Date(Date.now() + 3 * 24 * 60 * 60 * 1000) });
      const offer = await createHelpOffer(t, activity, { volunteerId }, 'offered');
      const service = t.get(NotificationsService);
      await t.get(UnitOfWork).transaction((m) => service.helpOfferReceived(m, offer, activity, users.volunteer.id));
      const received = (await notifications().findBy({ userId: users.coordinator.id, messageKey: 'notifications.messages.helpOfferReceived' })).filter((n) => n.params.title === 'Gita in collina');
      expect(received).toHaveLength(1);
      expect(received[0].link).toBe(`/activities/${activity.id}#helpers`);
      expect(await notifications().countBy({ userId: otherCoordinator.id, messageKey: 'notifications.messages.helpOfferReceived' })).toBe(0);
      await t.get(UnitOfWork).transaction((m) => service.helpOfferAnswered(m, offer, activity, 'confirmed', users.coordinator.id));
      const answered = await notifications().findOneByOrFail({ userId: users.volunteer.id, messageKey: 'notifications.messages.helpOfferConfirmed' });
      expect(answered.link).toBe(`/activities/${activity.id}`);
      const text = plain((await agents.volunteer.get('/notifications').expect(200)).text);
      expect(text).toContain('Your offer to help with “Gita in collina”');
      expect(text).not.toContain(utcToLocal(activity.startsAt, ZONE).date);
    });
  });

  describe('demo data', () => {
    it('should give the demo home suggestions in every state, feedback and check-ins, each with its contribution once', async () => {
      await t.get(DemoSeeder).seed(loadDemoData());
      const demo = await t.dataSource.getRepository(Home).findOneByOrFail({ slug: DEMO_HOME_SLUG });
      const idsOf = async (entity: typeof Resident | typeof FamilyMember | typeof Volunteer | typeof StaffMember) =>
        (await t.dataSource.getRepository(entity).find({ select: { id: true }, where: { homeId: demo.id } })).map((r) => r.id);
      const repo = t.dataSource.getRepository(Suggestion);
      // Until the seeder calls it, seed the voice here as the seeder will.
      if ((await repo.countBy({ homeId: demo.id })) === 0) {
        const people = {
          homeId: demo.id, timezone: demo.timezone, residentIds: await idsOf(Resident), familyMemberIds: await idsOf(FamilyMember),
          volunteerIds: await idsOf(Volunteer), staffIds: await idsOf(StaffMember),
        };
        await t.get(UnitOfWork).transaction((m) => seedDemoVoice(m, people, seededRandom(7)));
      }
      const all = await repo.findBy({ homeId: demo.id });
      const statuses = new Set(all.map((s) => s.status));
      expect([...statuses].sort()).toEqual(['accepted', 'declined', 'done', 'new']);
      expect(new Set(all.map((s) => s.authorType))).toEqual(new Set(['family', 'resident', 'volunteer']));
      expect(all.find((s) => s.status === 'declined')!.response).toMatch(/\w{10,}/);
      expect(all.some((s) => s.kind === 'life_story' && s.status === 'accepted' && s.lifeStoryAppliedAt === null)).toBe(true);
      for (const s of all) {
        expect(s.createdAt.getTime()).toBeLessThanOrEqual(Date.now());
        if (s.respondedAt) expect(s.respondedAt.getTime()).toBeGreaterThanOrEqual(s.createdAt.getTime());
      }
      const accepted = all.filter((s) => s.kind === 'activity_idea' && (s.status === 'accepted' || s.status === 'done'));
      expect(accepted.some((s) => s.linkedActivityTypeId !== null)).toBe(true);
      for (const s of accepted) {
        const made = await contributions().findBy({ source: 'suggestion', sourceId: s.id });
        expect(made).toHaveLength(1);
        expect(made[0]).toMatchObject({ phase: 'co_commissioning', minutes: 0, activityId: s.linkedActivityId });
      }
      expect(await contributions().countBy({ homeId: demo.id, source: 'suggestion' })).toBe(accepted.length);

      const given = await t.dataSource.getRepository(Feedback).findBy({ homeId: demo.id });
      expect(given.length).toBeGreaterThan(5);
      for (const f of given.filter((x) => x.authorType === 'family' && x.activityId)) {
        const links = await t.dataSource.getRepository(FamilyLink).findBy({ familyMemberId: f.authorFamilyMemberId!, access: 'contribute', active: true });
        const attended = await t.dataSource.getRepository(Participation).findBy({ activityId: f.activityId!, residentId: In(links.map((l) => l.residentId)), engagement: In(['active', 'passive', 'disengaged']) });
        expect({ feedback: f.id, attended: attended.length > 0 }).toEqual({ feedback: f.id, attended: true });
      }
      expect(await contributions().countBy({ homeId: demo.id, source: 'feedback' })).toBe(given.length);

      const checked = await t.dataSource.getRepository(WellbeingCheckIn).findBy({ homeId: demo.id });
      const quarter = currentQuarter(demo.timezone);
      expect(new Set(checked.map((c) => c.quarter))).toEqual(new Set([quarter, previousQuarter(quarter)]));
      expect(new Set(checked.map((c) => c.perspective))).toEqual(new Set(['resident', 'family', 'staff']));
      expect(new Set(checked.map((c) => c.residentId)).size).toBeGreaterThanOrEqual(6);
      expect(await contributions().countBy({ homeId: demo.id, source: 'check_in' })).toBe(checked.length);

      const coordinator = await signIn(t, 'coordinator@casa-serena.demo', DEMO_PASSWORD);
      const inbox = plain((await coordinator.get('/inbox').expect(200)).text);
      expect(inbox).toContain('Pomeriggio di ballo liscio');
      expect(inbox).toContain('La sartoria di via Emilia');
    });
  });
});

