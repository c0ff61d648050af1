import { Activity } from '../src/activities/entities/activity.entity';
import { HelpOffer } from '../src/activities/entities/help-offer.entity';
import { HelpOffersService } from '../src/activities/help-offers.service';
import { Notification } from '../src/notifications/entities/notification.entity';
import { Participation } from '../src/activities/entities/participation.entity';
import { Role } from '../src/auth/auth.enums';
import { AuthService } from '../src/auth/auth.service';
import { User } from '../src/auth/entities/user.entity';
import type { SessionUser } from '../src/common/access/session-user';
import { todayIn, utcToLocal } from '../src/common/time/zoned';
import { formatDate } from '../src/common/views/format';
import { Contribution } from '../src/contributions/entities/contribution.entity';
import { HomeView } from '../src/homes/homes.service';
import { ActivityPlan } from '../src/plans/entities/activity-plan.entity';
import { PlanGoal } from '../src/plans/entities/plan-goal.entity';
import { FamilyLink } from '../src/residents/entities/family-link.entity';
import { Resident } from '../src/residents/entities/resident.entity';
import { Feedback } from '../src/voice/entities/feedback.entity';
import { Suggestion } from '../src/voice/entities/suggestion.entity';
import { WellbeingCheckIn } from '../src/voice/entities/wellbeing-check-in.entity';
import { SuggestionsService } from '../src/voice/suggestions.service';
import { createActivity } from './support/activity-factories';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, csrfFrom, signIn } from './support/http';
import { createVolunteer } from './support/people-factories';
import { Volunteer } from '../src/volunteers/entities/volunteer.entity';
import { createRelative, createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** Page text with the entities Handlebars writes turned back into characters. */
function plain(html: string): string {
  return html.replace(/&amp;/g, '&').replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=').replace(/&quot;/g, '"');
}

/** The HTML of one section of a page, from its id to the next section. */
function section(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) throw new Error(`No section #${id} on the page`);
  const end = html.indexOf('<section', start);
  return html.slice(start, end < 0 ? undefined : end);
}

describe('Family and volunteer portals', () => {
  let t: TestApp;
  let home: HomeView;
  let otherHome: HomeView;
  let rosa: Resident;
  let bruno: Resident;
  let carla: Resident;
  let dario: Resident;
  let ada: { user: TestUser; familyMemberId: string; agent: Agent };
  let ben: { user: TestUser; familyMemberId: string; agent: Agent };
  let viewer: { user: TestUser; agent: Agent };
  let summaryRelative: { user: TestUser; agent: Agent };
  let coordinator: TestUser;
  let vera: { user: TestUser; volunteerId: string; agent: Agent };
  let otherVolunteerId: string;
  let upcoming: Activity;
  let hiddenUpcoming: Activity;
  let otherHomeActivity: Activity;
  let heldForRosa: Activity;
  let heldForBruno: Activity;
  let hiddenHeld: Activity;
  let veraConfirmed: Activity;
  let otherConfirmed: Activity;
  let veraHelped: Activity;
  const tokens = new Map<Agent, string>();

  /** A form post as the browser sends it, with the session's CSRF token. */
  async function post(agent: Agent, path: string, body: Record<string, unknown> = {}) {
    if (!tokens.has(agent)) tokens.set(agent, csrfFrom((await agent.get('/account').expect(200)).text));
    return agent.post(path).type('form').send({ _csrf: tokens.get(agent), ...body });
  }

  async function relative(resident: Resident, link: Partial<FamilyLink> = {}) {
    const created = await createRelative(t, resident, link);
    return { user: created.user, familyMemberId: created.familyMember.id, agent: await signIn(t, created.user.email, created.user.password) };
  }

  const count = (entity: typeof Suggestion | typeof HelpOffer | typeof Feedback | typeof WellbeingCheckIn) => t.dataSource.getRepository(entity).count();
  const counts = async () => ({
    suggestions: await count(Suggestion), offers: await count(HelpOffer), feedback: await count(Feedback), checkIns: await count(WellbeingCheckIn),
  });
  const sessionUser = async (user: TestUser): Promise<SessionUser> => (await t.get(AuthService).findSessionUser(user.id))!;
  const setConsent = (resident: Resident, consentFamilyPortal: Resident['consentFamilyPortal']) =>
    t.dataSource.getRepository(Resident).update({ id: resident.id }, { consentFamilyPortal });

  beforeAll(async () => {
    t = await createTestApp();
    home = await createHome(t, { name: 'Casa Serena' });
    otherHome = await createHome(t, { name: 'Casa Lontana' });
    rosa = await createResident(t, home.id, { firstName: 'Rosa', lastName: 'Esposito', preferredName: 'Nonna Rosa', aboutMe: 'Sang in the church choir.' });
    bruno = await createResident(t, home.id, { firstName: 'Bruno', lastName: 'Neri' });
    carla = await createResident(t, home.id, { firstName: 'Carla', lastName: 'Sommario', consentFamilyPortal: 'summary' });
    dario = await createResident(t, otherHome.id, { firstName: 'Dario', lastName: 'Lontano' });
    ada = await relative(rosa);
    ben = await relative(bruno);
    viewer = await relative(rosa, { access: 'view', primaryContact: false });
    summaryRelative = await relative(carla);
    await relative(dario);
    coordinator = await createUser(t, { role: 'coordinator', homeIds: [home.id] });

    const now = Date.now();
    upcoming = await createActivity(t, home.id, { title: 'Coro della domenica', startsAt: new Date(now + 2 * DAY), visibleToFamilies: true });
    hiddenUpcoming = await createActivity(t, home.id, { title: 'Fisioterapia riservata', startsAt: new Date(now + 2 * DAY), visibleToFamilies: false });
    otherHomeActivity = await createActivity(t, otherHome.id, { title: 'Gita lontana', startsAt: new Date(now + 3 * DAY) });
    heldForRosa = await createActivity(t, home.id, { title: 'Tombola del martedì', startsAt: new Date(now - 3 * DAY), status: 'completed', residentIds: [rosa.id, carla.id] });
    heldForBruno = await createActivity(t, home.id, { title: 'Giardinaggio', startsAt: new Date(now - 4 * DAY), status: 'completed', residentIds: [bruno.id] });
    hiddenHeld = await createActivity(t, home.id, { title: 'Colloquio privato', startsAt: new Date(now - 5 * DAY), status: 'completed', visibleToFamilies: false, residentIds: [rosa.id] });
    const participation = t.dataSource.getRepository(Participation);
    const logged = { moodBefore: null, moodAfter: null, recordedBy: null, recordedAt: new Date() };
    await participation.insert([
      { ...logged, homeId: home.id, activityId: heldForRosa.id, residentId: rosa.id, engagement: 'active', staffNote: 'STAFF-ONLY-ROSA', familyNote: 'Rosa sang every verse' },
      { ...logged, homeId: home.id, activityId: heldForRosa.id, residentId: carla.id, engagement: 'passive', staffNote: 'STAFF-ONLY-CARLA', familyNote: 'FAMILY-NOTE-CARLA' },
      { ...logged, homeId: home.id, activityId: heldForBruno.id, residentId: bruno.id, engagement: 'active', staffNote: null, familyNote: 'Bruno planted tomatoes' },
      { ...logged, homeId: home.id, activityId: hiddenHeld.id, residentId: rosa.id, engagement: 'active', staffNote: 'STAFF-HIDDEN', familyNote: 'HIDDEN-ACTIVITY-NOTE' },
    ]);
    for (const [resident, secret] of [[rosa, 'ROSA'], [carla, 'CARLA']] as const) {
      const plan = t.dataSource.getRepository(ActivityPlan).create({
        homeId: home.id, residentId: resident.id, version: 1, status: 'agreed', whatMattersToMe: `MATTERS-${secret}`, agreedOn: '2026-01-15', nextReviewOn: '2026-07-15', createdBy: null,
      });
      await t.dataSource.getRepository(ActivityPlan).insert(plan);
      await t.dataSource.getRepository(PlanGoal).insert({
        homeId: home.id, planId: plan.id, description: `Sing with others (${secret})`, categories: ['creative'], activityTypeIds: [], targetPerWeek: 2, status: 'active', position: 0,
      });
    }

    const veraRecord = await createVolunteer(t, home.id, { firstName: 'Vera', lastName: 'Aiuto' });
    otherVolunteerId = (await createVolunteer(t, home.id, { firstName: 'Otto', lastName: 'Altro' })).id;
    const veraUser = await createUser(t, { role: 'volunteer', homeIds: [home.id], personKind: 'volunteer', personId: veraRecord.id });
    vera = { user: veraUser, volunteerId: veraRecord.id, agent: await signIn(t, veraUser.email, veraUser.password) };
    veraConfirmed = await createActivity(t, home.id, { title: 'Lettura del giornale', startsAt: new Date(now + DAY), visibleToFamilies: false });
    otherConfirmed = await createActivity(t, home.id, { title: 'Passeggiata in giardino', startsAt: new Date(now + DAY) });
    veraHelped = await createActivity(t, home.id, { title: 'Laboratorio di pittura', startsAt: new Date(now - HOUR), status: 'completed' });
    const offer = (activityId: string, volunteerId: string) => ({
      homeId: home.id, activityId, offererType: 'volunteer' as const, volunteerId, familyMemberId: null, kind: 'deliver' as const, status: 'confirmed' as const,
      message: null, respondedBy: null, respondedAt: null, createdBy: null,
    });
    await t.dataSource.getRepository(HelpOffer).insert([offer(veraConfirmed.id, vera.volunteerId), offer(otherConfirmed.id, otherVolunteerId), offer(veraHelped.id, vera.volunteerId)]);
    const today = todayIn('Europe/Rome');
    const contribution = (volunteerId: string, minutes: number, activityId: string | null) => ({
      homeId: home.id, activityId, date: today, actorType: 'volunteer' as const, residentId: null, familyMemberId: null, volunteerId, staffMemberId: null,
      phase: 'co_delivery' as const, minutes, description: null, source: 'manual' as const, sourceId: null, recordedBy: null,
    });
    await t.dataSource.getRepository(Contribution).insert([contribution(vera.volunteerId, 90, veraHelped.id), contribution(otherVolunteerId, 600, otherConfirmed.id)]);
   }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  describe('access by role', () => {
    it.each<Role>(['admin', 'manager', 'coordinator', 'carer', 'volunteer'])('should refuse the family portal to %s', async (role) => {
      const user = await createUser(t, { role, homeIds: role === 'admin' ? [] : [home.id] });
      const agent = await signIn(t, user.email, user.password);
      await agent.get('/portal').expect(403);
      await agent.get(`/portal/residents/${rosa.id}`).expect(403);
      expect((await post(agent, `/portal/residents/${rosa.id}/suggestions`, { kind: 'activity_idea', title: 'x', body: 'y' })).status).toBe(403);
    });

    it.each<Role>(['admin', 'manager', 'coordinator', 'carer', 'family'])('should refuse the volunteer portal to %s', async (role) => {
      const user = role === 'family' ? null : await createUser(t, { role, homeIds: role === 'admin' ? [] : [home.id] });
      const agent = user ? await signIn(t, user.email, user.password) : ada.agent;
      await agent.get('/volunteer').expect(403);
      expect((await post(agent, '/volunteer/offers', { activityId: upcoming.id, kind: 'deliver' })).status).toBe(403);
    });

    it('should show an empty portal to a family account not tied to a relative\'s record', async () => {
      const orphan = await createUser(t, { role: 'family', homeIds: [home.id] });
      const agent = await signIn(t, orphan.email, orphan.password);
      expect(plain((await agent.get('/portal').expect(200)).text)).toContain('There is nobody to show yet.');
      await agent.get(`/portal/residents/${rosa.id}`).expect(404);
    });

    it('should show the portal entry in the menu for a relative and a volunteer', async () => {
      expect((await ada.agent.get('/portal').expect(200)).text).toContain('href="/portal" aria-current="page"');
      expect((await vera.agent.get('/volunteer').expect(200)).text).toContain('href="/volunteer" aria-current="page"');
    });
  });

  describe('family portal pages', () => {
    it('should show a card for each own relative only, with the next family-visible activity', async () => {
      const html = plain((await ada.agent.get('/portal').expect(200)).text);
      expect(html).toContain('My family at Casa Serena');
      expect(html).toContain('Nonna Rosa');
      expect(html).toContain(`/portal/residents/${rosa.id}`);
      // The soonest family-visible activity; the hidden one the same day is never shown.
      expect(html).toContain('Passeggiata in giardino');
      for (const other of ['Bruno', 'Carla', 'Dario', 'Fisioterapia riservata', 'Lettura del giornale']) expect(html).not.toContain(other);
    });

    it('should show the relative\'s page with family-visible activities, history with the family note only, plan and life story', async () => {
      const html = plain((await ada.agent.get(`/portal/residents/${rosa.id}`).expect(200)).text);
      expect(section(html, 'coming')).toContain('Coro della domenica');
      expect(html).not.toContain('Fisioterapia riservata');
      expect(html).not.toContain('Lettura del giornale');
      const history = section(html, 'history');
      expect(history).toContain('Tombola del martedì');
      expect(history).toContain('Took part');
      expect(history).toContain('Rosa sang every verse');
      expect(html).not.toContain('STAFF-ONLY');
      expect(html).not.toContain('Colloquio privato');
      expect(html).not.toContain('HIDDEN-ACTIVITY-NOTE');
      expect(section(html, 'plan')).toContain('MATTERS-ROSA');
      expect(section(html, 'plan')).toContain('Sing with others (ROSA)');
      expect(html).toContain('Sang in the church choir.');
      // The quarter as people name it ("October – December 2026"), not as the database keys it.
      expect(html).not.toMatch(/\d{4}-Q[1-4]/);
      expect(section(html, 'check-in')).toMatch(/Once a quarter \([A-Z][a-z]+ – [A-Z][a-z]+ \d{4}\)/);
      for (const form of ['suggestions', 'feedback', 'check-in', 'offers']) expect(html).toContain(`action="/portal/residents/${rosa.id}/${form}"`);
      // "How did it go?" lists only what Rosa attended in the last 30 days.
      const feedback = section(html, 'how-did-it-go');
      expect(feedback).toContain(`value="${heldForRosa.id}"`);
      expect(feedback).not.toContain(heldForBruno.id);
    });

    it('should show the next seven days of coming activities and fold the week after under "Later"', async () => {
      const later = await createActivity(t, home.id, { title: 'Concerto di Natale', startsAt: new Date(Date.now() + 10 * DAY), visibleToFamilies: true });
      const coming = section(plain((await ada.agent.get(`/portal/residents/${rosa.id}`).expect(200)).text), 'coming');
      const [soon, folded] = coming.split('<details class="portal-details portal-coming-later"');
      expect(soon).toContain('Coro della domenica');
      expect(soon).not.toContain('Concerto di Natale');
      expect(folded).toMatch(/<summary>Later: 1 activity in the week after<\/summary>/);
      expect(folded).toContain('Concerto di Natale');
      // Still offered help on, folded or not.
      expect(folded).toContain(`id="activity-${later.id}"`);
      await t.dataSource.getRepository(Activity).delete({ id: later.id });
    });

    it("should fold what is older than two weeks of the relative's history under \"Earlier\", still within the 60 days", async () => {
      const older = await createActivity(t, home.id, { title: 'Gita al mercato', startsAt: new Date(Date.now() - 30 * DAY), status: 'completed', residentIds: [rosa.id] });
      const tooOld = await createActivity(t, home.id, { title: 'Festa di primavera', startsAt: new Date(Date.now() - 70 * DAY), status: 'completed', residentIds: [rosa.id] });
      const logged = { homeId: home.id, residentId: rosa.id, engagement: 'active' as const, moodBefore: null, moodAfter: null, recordedBy: null, recordedAt: new Date(), staffNote: null };
      await t.dataSource.getRepository(Participation).insert([
        { ...logged, activityId: older.id, familyNote: 'Rosa chose the pears' },
        { ...logged, activityId: tooOld.id, familyNote: null },
      ]);
      const history = section(plain((await ada.agent.get(`/portal/residents/${rosa.id}`).expect(200)).text), 'history');
      const [recent, earlier] = history.split('<details');
      expect(recent).toContain('Tombola del martedì');
      expect(recent).not.toContain('Gita al mercato');
      expect(earlier).toMatch(/<summary>Earlier: 1 activity from the last 60 days<\/summary>/);
      expect(earlier).toContain('Gita al mercato');
      expect(earlier).toContain('Rosa chose the pears');
      expect(history).not.toContain('Festa di primavera');
    });

    it('should hide notes and plan detail with summary consent, and never show staff notes', async () => {
      const html = plain((await summaryRelative.agent.get(`/portal/residents/${carla.id}`).expect(200)).text);
      const history = section(html, 'history');
      expect(history).toContain('Tombola del martedì');
      expect(history).toContain('Watched, listened');
      expect(html).not.toContain('FAMILY-NOTE-CARLA');
      expect(html).not.toContain('STAFF-ONLY-CARLA');
      expect(html).not.toContain('MATTERS-CARLA');
      expect(section(html, 'plan')).toContain('Sing with others (CARLA)');
      expect(html).not.toContain('Hearing aid in the left ear');
      expect(html).not.toContain('Walks with a frame');
    });

    it('should show a relative with full consent how their relative gets about, as their PDF does (found by a review)', async () => {
      const html = plain((await ada.agent.get(`/portal/residents/${rosa.id}`).expect(200)).text);
      expect(section(html, 'about')).toContain('Walks with a frame');
    });

    it.each([
      ['another family\'s relative', () => bruno.id],
      ['a resident of another home', () => dario.id],
      ['an id that does not exist', () => '00000000-0000-4000-8000-000000000000'],
      ['something that is not an id', () => 'not-an-id'],
    ])('should answer 404 for %s', async (_label, id) => {
      await ada.agent.get(`/portal/residents/${id()}`).expect(404);
    });
  });

  describe('family isolation on every form', () => {
    it.each([
      ['a suggestion on another family\'s relative\'s page', () => [`/portal/residents/${bruno.id}/suggestions`, { kind: 'activity_idea', title: 'Forged', body: 'Forged' }]],
      ['a suggestion about another family\'s relative', () => [`/portal/residents/${rosa.id}/suggestions`, { residentId: bruno.id, kind: 'life_story', title: 'Forged', body: 'Forged' }]],
      ['a suggestion about a resident of another home', () => [`/portal/residents/${rosa.id}/suggestions`, { residentId: dario.id, kind: 'plan_change', title: 'Forged', body: 'Forged' }]],
      ['an offer on an activity hidden from families', () => [`/portal/residents/${rosa.id}/offers`, { activityId: hiddenUpcoming.id, kind: 'join' }]],
      ['an offer on another home\'s activity', () => [`/portal/residents/${rosa.id}/offers`, { activityId: otherHomeActivity.id, kind: 'join' }]],
      ['an offer through another family\'s relative', () => [`/portal/residents/${bruno.id}/offers`, { activityId: upcoming.id, kind: 'join' }]],
      ['feedback on an activity the relative did not attend', () => [`/portal/residents/${rosa.id}/feedback`, { activityId: heldForBruno.id, rating: 5 }]],
      ['feedback on a hidden activity', () => [`/portal/residents/${rosa.id}/feedback`, { activityId: hiddenHeld.id, rating: 5 }]],
      ['feedback through another family\'s relative', () => [`/portal/residents/${bruno.id}/feedback`, { activityId: heldForBruno.id, rating: 5 }]],
      ['a check-in about another family\'s relative', () => [`/portal/residents/${bruno.id}/check-in`, { doingThings: 4, people: 4, choice: 4 }]],
      ['a check-in about a resident of another home', () => [`/portal/residents/${dario.id}/check-in`, { doingThings: 4, people: 4, choice: 4 }]],
    ] as [string, () => [string, Record<string, unknown>]][])('should answer 404 and store nothing for %s', async (_label, request) => {
      const before = await counts();
      const [path, body] = request();
      const res = await post(ada.agent, path, body);
      expect(res.status).toBe(404);
      expect(await counts()).toEqual(before);
    });

    it('should not let a relative withdraw another family\'s offer', async () => {
      const offer = t.dataSource.getRepository(HelpOffer).create({
        homeId: home.id, activityId: upcoming.id, offererType: 'family', familyMemberId: ben.familyMemberId, volunteerId: null, kind: 'join', status: 'offered',
        message: null, respondedBy: null, respondedAt: null, createdBy: null,
      });
      await t.dataSource.getRepository(HelpOffer).insert(offer);
      expect((await post(ada.agent, `/portal/residents/${rosa.id}/offers/${offer.id}/withdraw`)).status).toBe(404);
      expect((await post(ada.agent, `/portal/residents/${bruno.id}/offers/${offer.id}/withdraw`)).status).toBe(404);
      expect((await t.dataSource.getRepository(HelpOffer).findOneByOrFail({ id: offer.id })).status).toBe('offered');
      await t.dataSource.getRepository(HelpOffer).delete({ id: offer.id });
    });

    it("should open the suggestion form on 'life story' from the page's 'Add to their life story' link", async () => {
      const html = (await ada.agent.get(`/portal/residents/${rosa.id}`).expect(200)).text;
      const link = new RegExp(`<a href="(/portal/residents/${rosa.id}\\?kind=life_story#suggest)">`).exec(html)![1];
      const opened = (await ada.agent.get(link.split('#')[0]).expect(200)).text;
      expect(opened).toMatch(/id="suggestion-kind-life_story" name="kind" value="life_story" checked/);
      expect(opened).not.toMatch(/id="suggestion-kind-activity_idea" name="kind" value="activity_idea" checked/);
      expect(html).toMatch(/id="suggestion-kind-activity_idea" name="kind" value="activity_idea" checked/);
      await ada.agent.get(`/portal/residents/${rosa.id}?kind=anything`).expect(200);
    });

    it('should refuse badly filled forms with the field named and store nothing', async () => {
      const before = await counts();
      const res = await post(ada.agent, `/portal/residents/${rosa.id}/feedback`, { activityId: heldForRosa.id, rating: 9 });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/<p class="field-error"[^>]*>[^<]+<\/p>/);
      // No star chosen: told to choose one, not to enter a whole number.
      const noRating = await post(ada.agent, `/portal/residents/${rosa.id}/feedback`, { activityId: heldForRosa.id, comment: 'Kept' });
      expect(noRating.status).toBe(422);
      expect(noRating.text).toMatch(/id="error-rating"[^>]*>Choose one of the options\./);
      // The summary names the field, as it does every other.
      expect(noRating.text).toMatch(/<a href="#field-rating">[^<]*Choose one of the options/);
      expect(noRating.text).toContain('Kept');
      // Neither an activity nor a rating: both named at once, not one after the other.
      const neither = await post(ada.agent, `/portal/residents/${rosa.id}/feedback`, { activityId: '', comment: 'Kept again' });
      expect(neither.status).toBe(422);
      expect(neither.text).toContain('id="error-activityId"');
      expect(neither.text).toContain('id="error-rating"');
      expect(neither.text).toContain('Kept again');
      const checkIn = await post(ada.agent, `/portal/residents/${rosa.id}/check-in`, { doingThings: 0, people: 2, choice: 'x' });
      expect(checkIn.status).toBe(422);
      const idea = await post(ada.agent, `/portal/residents/${rosa.id}/suggestions`, { kind: 'plan_change', residentId: '', title: 'A', body: 'B' });
      expect(idea.status).toBe(422);
      // What was typed is kept.
      expect(plain(idea.text)).toContain('value="A"');
      expect(await counts()).toEqual(before);
    });
  });

  describe('family contributions', () => {
    it('should take a suggestion about the whole home and show it with its answer once the home replies', async () => {
      const res = await post(ada.agent, `/portal/residents/${rosa.id}/suggestions`, { kind: 'activity_idea', residentId: '', title: 'Neapolitan songs', body: 'Rosa loves them.' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/portal/residents/${rosa.id}#my-suggestions`);
      expect(plain((await ada.agent.get(`/portal/residents/${rosa.id}`).expect(200)).text)).toContain('Thank you! Your suggestion has been sent.');
      const stored = await t.dataSource.getRepository(Suggestion).findOneByOrFail({ title: 'Neapolitan songs' });
      expect({ residentId: stored.residentId, authorFamilyMemberId: stored.authorFamilyMemberId, status: stored.status }).toEqual({ residentId: null, authorFamilyMemberId: ada.familyMemberId, status: 'new' });

      await t.get(SuggestionsService).respond(await sessionUser(coordinator), stored.id, { status: 'accepted', response: 'Yes! Every second Sunday.', linkedActivityId: upcoming.id });
      const portal = plain((await ada.agent.get('/portal').expect(200)).text);
      const mine = section(portal, 'my-suggestions');
      expect(mine).toContain('Neapolitan songs');
      expect(mine).toContain('Accepted');
      expect(mine).toContain('Yes! Every second Sunday.');
      expect(mine).toContain('Coro della domenica');
      // The button that opens the notifications says so (it said "Messages", which are elsewhere).
      expect(portal).toMatch(/Notifications: \d+ new/);
      expect(portal).not.toMatch(/Messages: \d+ new/);
      // Another family sees nothing of it.
      expect((await ben.agent.get('/portal').expect(200)).text).not.toContain('Neapolitan songs');
    });

    it('should take a life-story addition about the relative', async () => {
      const res = await post(ada.agent, `/portal/residents/${rosa.id}/suggestions`, { kind: 'life_story', residentId: rosa.id, title: 'Her first job', body: 'A seamstress in Naples.' });
      expect(res.status).toBe(303);
      expect((await t.dataSource.getRepository(Suggestion).findOneByOrFail({ title: 'Her first job' })).residentId).toBe(rosa.id);
    });

    it('should take an offer to join, show it, and let the relative withdraw it', async () => {
      expect((await post(ada.agent, `/portal/residents/${rosa.id}/offers`, { activityId: upcoming.id, kind: 'join', message: 'I can bring the guitar' })).status).toBe(303);
      const offer = await t.dataSource.getRepository(HelpOffer).findOneByOrFail({ activityId: upcoming.id, familyMemberId: ada.familyMemberId });
      expect({ kind: offer.kind, status: offer.status }).toEqual({ kind: 'join', status: 'offered' });
      const coming = section(plain((await ada.agent.get(`/portal/residents/${rosa.id}`).expect(200)).text), 'coming');
      expect(coming).toContain('You offered to join in.');
      expect(coming).toContain('Waiting for an answer');
      // Confirmed, the relative hears of it with a link to the activities of the relative they offered through.
      await t.get(HelpOffersService).respond(await sessionUser(coordinator), offer.id, 'confirmed');
      const told = await t.dataSource.getRepository(Notification).findOneByOrFail({ userId: ada.user.id, messageKey: 'notifications.messages.helpOfferConfirmed' });
      expect(told.link).toBe(`/portal/residents/${rosa.id}#coming`);
      expect((await post(ada.agent, `/portal/residents/${rosa.id}/offers/${offer.id}/withdraw`)).status).toBe(303);
      expect((await t.dataSource.getRepository(HelpOffer).findOneByOrFail({ id: offer.id })).status).toBe('withdrawn');
    });

    it('should take feedback on an attended activity and a check-in for this quarter', async () => {
      expect((await post(ada.agent, `/portal/residents/${rosa.id}/feedback`, { activityId: heldForRosa.id, rating: 5, comment: 'She loved it' })).status).toBe(303);
      const feedback = await t.dataSource.getRepository(Feedback).findOneByOrFail({ activityId: heldForRosa.id, authorFamilyMemberId: ada.familyMemberId });
      expect(feedback.rating).toBe(5);
      expect((await post(ada.agent, `/portal/residents/${rosa.id}/check-in`, { doingThings: 3, people: 4, choice: 2, comment: 'Happier lately' })).status).toBe(303);
      const checkIn = await t.dataSource.getRepository(WellbeingCheckIn).findOneByOrFail({ residentId: rosa.id, familyMemberId: ada.familyMemberId });
      expect({ perspective: checkIn.perspective, doingThings: checkIn.doingThings, people: checkIn.people, choice: checkIn.choice }).toEqual({ perspective: 'family', doingThings: 3, people: 4, choice: 2 });
      const html = plain((await ada.agent.get(`/portal/residents/${rosa.id}`).expect(200)).text);
      expect(section(html, 'check-in')).toContain('You have sent your check-in');
      expect(section(html, 'how-did-it-go')).toContain('5 out of 5');
      const portal = plain((await ada.agent.get('/portal').expect(200)).text);
      expect(section(portal, 'contributed-heading')).toMatch(/<strong class="portal-figure">1<\/strong> Answers to "How did it go\?"/);
    });

    it('should say so when a relative tells again of the same activity, with the answer it replaces (found by a review)', async () => {
      const again = await post(ada.agent, `/portal/residents/${rosa.id}/feedback`, { activityId: heldForRosa.id, rating: 2, comment: '' });
      expect(again.status).toBe(303);
      const page = plain((await ada.agent.get(again.headers.location).expect(200)).text);
      expect(page).toContain('You had already told us about');
      expect(page).toContain('(5 of 5, “She loved it”): this answer takes its place.');
      expect(await t.dataSource.getRepository(Feedback).countBy({ activityId: heldForRosa.id, authorFamilyMemberId: ada.familyMemberId })).toBe(1);
    });

    it('should let a view-only relative see the page without forms and refuse every post', async () => {
      const html = plain((await viewer.agent.get(`/portal/residents/${rosa.id}`).expect(200)).text);
      expect(html).toContain('id="view-only"');
      expect(html).toContain('Coro della domenica');
      expect(html).not.toContain(`action="/portal/residents/${rosa.id}/suggestions"`);
      expect(html).not.toContain(`action="/portal/residents/${rosa.id}/offers"`);
      const before = await counts();
      for (const [path, body] of [
        ['suggestions', { kind: 'activity_idea', residentId: '', title: 'View only', body: 'Should not be stored' }],
        ['offers', { activityId: upcoming.id, kind: 'join' }],
        ['feedback', { activityId: heldForRosa.id, rating: 4 }],
        ['check-in', { doingThings: 2, people: 2, choice: 2 }],
      ] as const) {
        expect((await post(viewer.agent, `/portal/residents/${rosa.id}/${path}`, body)).status).toBe(403);
      }
      expect(await counts()).toEqual(before);
    });

    it('should apply withdrawn consent and an ended link at the next request', async () => {
      await setConsent(rosa, 'none');
      try {
        await ada.agent.get(`/portal/residents/${rosa.id}`).expect(404);
        expect((await ada.agent.get('/portal').expect(200)).text).not.toContain('Nonna Rosa');
        const before = await counts();
        expect((await post(ada.agent, `/portal/residents/${rosa.id}/suggestions`, { kind: 'activity_idea', residentId: '', title: 'After consent', body: 'x' })).status).toBe(404);
        expect((await post(ada.agent, `/portal/residents/${rosa.id}/check-in`, { doingThings: 2, people: 2, choice: 2 })).status).toBe(404);
        expect(await counts()).toEqual(before);
        // Suggestions about her are hidden too.
        expect((await ada.agent.get('/portal').expect(200)).text).not.toContain('Her first job');
      } finally {
        await setConsent(rosa, 'full');
      }
      await ada.agent.get(`/portal/residents/${rosa.id}`).expect(200);

      await t.dataSource.getRepository(FamilyLink).update({ familyMemberId: ben.familyMemberId, residentId: bruno.id }, { active: false });
      try {
        await ben.agent.get(`/portal/residents/${bruno.id}`).expect(404);
      } finally {
        await t.dataSource.getRepository(FamilyLink).update({ familyMemberId: ben.familyMemberId, residentId: bruno.id }, { active: true });
      }
    });
  });

  describe('what a relative wrote, read back (found by a review as a relative)', () => {
    const link = (href: string) => `<a href="${href}" rel="noopener noreferrer nofollow" target="_blank">${href}</a>`;

    it('should show the sender the full text of their offer and idea with the home\'s answer, and another family none of it', async () => {
      const tea = await createActivity(t, home.id, { title: 'Merenda in terrazza', startsAt: new Date(Date.now() + 3 * DAY), visibleToFamilies: true });
      // A second relative of Rosa who contributes too, reading in Italian: a family of her own on the same page.
      const cousin = await relative(rosa, { primaryContact: false });
      await t.dataSource.getRepository(User).update({ id: cousin.user.id }, { locale: 'it' });

      expect((await post(ada.agent, `/portal/residents/${rosa.id}/offers`, { activityId: tea.id, kind: 'deliver', message: 'OFFERTEXT-ADA: I can bake a cake <b>too</b>, see https://example.org/torta.' })).status).toBe(303);
      expect((await post(cousin.agent, `/portal/residents/${rosa.id}/offers`, { activityId: tea.id, kind: 'join', message: 'OFFERTEXT-CUGINA: porto le tazze' })).status).toBe(303);
      expect((await post(ada.agent, `/portal/residents/${rosa.id}/suggestions`, {
        kind: 'activity_idea', residentId: rosa.id, title: 'Tea on Thursdays', body: 'IDEATEXT-ADA: tea with biscotti every Thursday,\nin the garden when it is warm.',
      })).status).toBe(303);
      const idea = await t.dataSource.getRepository(Suggestion).findOneByOrFail({ title: 'Tea on Thursdays' });
      await t.get(SuggestionsService).respond(await sessionUser(coordinator), idea.id, { status: 'accepted', response: 'ANSWERTEXT: from next week (https://example.org/menu).' });
      const adaOffer = await t.dataSource.getRepository(HelpOffer).findOneByOrFail({ activityId: tea.id, familyMemberId: ada.familyMemberId });
      await t.get(HelpOffersService).respond(await sessionUser(coordinator), adaOffer.id, 'declined');

      // The sender reads her words and the answer on her relative's page, in English.
      const page = (await ada.agent.get(`/portal/residents/${rosa.id}`).expect(200)).text;
      const myOffer = section(page, 'coming').split('id="activity-').find((part) => part.startsWith(tea.id))!;
      expect(myOffer).toContain('Not this time');
      expect(myOffer).toContain('Your message to the staff');
      expect(myOffer).toContain(`OFFERTEXT-ADA: I can bake a cake &lt;b&gt;too&lt;/b&gt;, see ${link('https://example.org/torta')}.`);
      expect(myOffer).not.toContain('OFFERTEXT-CUGINA');
      const mine = section(page, 'my-suggestions');
      expect(mine).toContain('What you wrote');
      expect(mine).toContain('IDEATEXT-ADA: tea with biscotti every Thursday,\nin the garden when it is warm.');
      expect(mine).toContain(`ANSWERTEXT: from next week (${link('https://example.org/menu')}).`);
      // And on the family home page, where her suggestions are listed too.
      const onHomePage = section((await ada.agent.get('/portal').expect(200)).text, 'my-suggestions');
      expect(onHomePage).toContain('IDEATEXT-ADA');
      expect(onHomePage).toContain('ANSWERTEXT');

      // The other relative of Rosa reads her own offer, in Italian, and nothing Ada wrote.
      const cousinPage = (await cousin.agent.get(`/portal/residents/${rosa.id}`).expect(200)).text;
      const theirOffer = section(cousinPage, 'coming').split('id="activity-').find((part) => part.startsWith(tea.id))!;
      expect(theirOffer).toContain('Il tuo messaggio al personale');
      expect(theirOffer).toContain('OFFERTEXT-CUGINA: porto le tazze');
      expect(section((await cousin.agent.get(`/portal/residents/${rosa.id}`).expect(200)).text, 'my-suggestions')).toContain('Non hai ancora inviato proposte.');
      // No other family reads any of it: Rosa's other relatives, another resident's, on every portal page.
      for (const [other, paths] of [
        [cousin, ['/portal', `/portal/residents/${rosa.id}`]],
        [viewer, ['/portal', `/portal/residents/${rosa.id}`]],
        [ben, ['/portal', `/portal/residents/${bruno.id}`]],
      ] as const) {
        for (const path of paths) {
          const html = (await other.agent.get(path).expect(200)).text;
          for (const words of ['OFFERTEXT-ADA', 'IDEATEXT-ADA', 'ANSWERTEXT', 'Tea on Thursdays']) expect(html).not.toContain(words);
        }
      }
      // Staff read both offers' messages on the activity, as before.
      const staff = await signIn(t, coordinator.email, coordinator.password);
      const activityPage = (await staff.get(`/activities/${tea.id}`).expect(200)).text;
      expect(activityPage).toContain('OFFERTEXT-ADA');
      expect(activityPage).toContain('OFFERTEXT-CUGINA');
    });
  });

  describe('volunteer portal', () => {
    it('should show only my own confirmed activities and my own hours this quarter', async () => {
      const html = plain((await vera.agent.get('/volunteer').expect(200)).text);
      // Each part of the long page is one tap away from its top, and each link leads somewhere.
      const jumps = [...html.slice(html.indexOf('class="portal-jump"'), html.indexOf('</nav>', html.indexOf('class="portal-jump"'))).matchAll(/href="#([a-z-]+)"/g)].map((m) => m[1]);
      expect(jumps).toEqual(expect.arrayContaining(['hours', 'mine', 'help-wanted', 'how-did-it-go']));
      for (const id of jumps) expect(html).toContain(`id="${id}"`);
      const mine = section(html, 'mine');
      expect(mine).toContain('Lettura del giornale');
      expect(mine).toContain(`href="/activities/${veraConfirmed.id}"`);
      expect(mine).not.toContain('Passeggiata in giardino');
      const hours = section(html, 'hours');
      expect(hours).toContain('<strong class="portal-figure">1.5</strong>');
      expect(hours).toContain('Laboratorio di pittura');
      expect(hours).not.toContain('Passeggiata in giardino');
      // The home's other activities are there to offer help with.
      expect(section(html, 'help-wanted')).toContain('Coro della domenica');
      expect(section(html, 'how-did-it-go')).toContain(`value="${veraHelped.id}"`);
    });

    it('should tell the volunteer where their own background check stands, as staff read it (found by a review as a volunteer)', async () => {
      const volunteers = t.dataSource.getRepository(Volunteer);
      const say = async () => section((await vera.agent.get('/volunteer').expect(200)).text, 'check');
      expect(await say()).toContain('The home has no background check recorded for you');
      const soon = new Date(Date.now() + 20 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
      await volunteers.update({ id: vera.volunteerId }, { backgroundCheckOn: '2024-01-10', backgroundCheckExpiresOn: soon });
      expect(await say()).toMatch(/notice-warning">Your background check runs out on \d{1,2} [A-Z][a-z]+ \d{4}\./);
      await volunteers.update({ id: vera.volunteerId }, { backgroundCheckExpiresOn: '2026-03-03' });
      expect(await say()).toContain('Your background check ran out on 3 March 2026. Until it is renewed the home cannot confirm you');
      await volunteers.update({ id: vera.volunteerId }, { backgroundCheckExpiresOn: '2099-05-01', status: 'paused' });
      const paused = await say();
      expect(paused).toContain('Your background check is valid until 1 May 2099.');
      expect(paused).toContain('You are on a break');
      await volunteers.update({ id: vera.volunteerId }, { backgroundCheckOn: null, backgroundCheckExpiresOn: null, status: 'active' });
    });

    it('should link today\'s confirmed activity to its log page', async () => {
      // Earlier today in the home's zone (the factory's default): "in five minutes" is tomorrow from 23:55 in Rome.
      const today = await createActivity(t, home.id, { title: 'Canto di oggi' });
      await t.dataSource.getRepository(HelpOffer).insert({
        homeId: home.id, activityId: today.id, offererType: 'volunteer', volunteerId: vera.volunteerId, familyMemberId: null, kind: 'deliver', status: 'confirmed',
        message: null, respondedBy: null, respondedAt: null, createdBy: null,
      });
      const mine = section((await vera.agent.get('/volunteer').expect(200)).text, 'mine');
      expect(mine).toContain(`href="/activities/${today.id}/log"`);
      expect(mine).not.toContain(`href="/activities/${veraConfirmed.id}/log"`);
    });

    it('should take an offer of help, refuse one on another home\'s activity, and withdraw only my own', async () => {
      expect((await post(vera.agent, '/volunteer/offers', { activityId: upcoming.id, kind: 'deliver', message: 'I play the accordion' })).status).toBe(303);
      const offer = await t.dataSource.getRepository(HelpOffer).findOneByOrFail({ activityId: upcoming.id, volunteerId: vera.volunteerId });
      expect(offer.status).toBe('offered');
      expect(section(plain((await vera.agent.get('/volunteer').expect(200)).text), 'waiting')).toContain('Coro della domenica');

      const before = await counts();
      expect((await post(vera.agent, '/volunteer/offers', { activityId: otherHomeActivity.id, kind: 'deliver' })).status).toBe(404);
      const others = await t.dataSource.getRepository(HelpOffer).findOneByOrFail({ activityId: otherConfirmed.id, volunteerId: otherVolunteerId });
      expect((await post(vera.agent, `/volunteer/offers/${others.id}/withdraw`)).status).toBe(404);
      expect((await t.dataSource.getRepository(HelpOffer).findOneByOrFail({ id: others.id })).status).toBe('confirmed');
      expect(await counts()).toEqual(before);

      expect((await post(vera.agent, `/volunteer/offers/${offer.id}/withdraw`)).status).toBe(303);
      expect((await t.dataSource.getRepository(HelpOffer).findOneByOrFail({ id: offer.id })).status).toBe('withdrawn');
    });

    it('should take feedback on an activity I helped with or on the programme, and refuse others', async () => {
      const before = await count(Feedback);
      expect((await post(vera.agent, '/volunteer/feedback', { activityId: heldForBruno.id, rating: 4 })).status).toBe(404);
      expect(await count(Feedback)).toBe(before);
      expect((await post(vera.agent, '/volunteer/feedback', { activityId: veraHelped.id, rating: 4, comment: 'Lovely colours' })).status).toBe(303);
      expect((await post(vera.agent, '/volunteer/feedback', { activityId: '', rating: 3 })).status).toBe(303);
      const mine = await t.dataSource.getRepository(Feedback).findBy({ authorVolunteerId: vera.volunteerId });
      expect(mine.map((f) => f.activityId).sort()).toEqual([null, veraHelped.id].sort());
    });
  });

  describe('"My offers": what one offered, read back once the activity is over (found by a review of the family portal on a phone)', () => {
    const offers = () => t.dataSource.getRepository(HelpOffer);
    /** An offer as it stands after its story (answered, withdrawn), made `daysAgo` days ago. */
    const offerRow = (activity: Activity, who: { familyMemberId: string } | { volunteerId: string }, status: HelpOffer['status'], message: string | null, daysAgo = 1) => ({
      homeId: activity.homeId, activityId: activity.id, offererType: 'familyMemberId' in who ? 'family' as const : 'volunteer' as const,
      familyMemberId: 'familyMemberId' in who ? who.familyMemberId : null, volunteerId: 'volunteerId' in who ? who.volunteerId : null,
      kind: 'deliver' as const, status, message, respondedBy: null, respondedAt: null, createdBy: null, createdAt: new Date(Date.now() - daysAgo * DAY),
    });
    /** The date an activity shows with on the page, as an English reader reads it. */
    const shownDate = (activity: Activity) => formatDate(utcToLocal(activity.startsAt, 'Europe/Rome').date, 'en');

    it('should show a relative her own offers, past and answered ones too, with what she wrote and the answer, and nobody else\'s', async () => {
      const answerer = await createUser(t, { role: 'coordinator', homeIds: [home.id], displayName: 'Marta Risposta' });
      const cousin = await relative(rosa, { primaryContact: false });
      await t.dataSource.getRepository(User).update({ id: cousin.user.id }, { locale: 'it' });
      const held = await createActivity(t, home.id, { title: 'Castagnata in cortile', startsAt: new Date(Date.now() - 20 * DAY), status: 'completed' });
      const stepBack = await createActivity(t, home.id, { title: 'Cinema del venerdì', startsAt: new Date(Date.now() - 10 * DAY), status: 'completed' });
      const refused = await createActivity(t, home.id, { title: 'Gita al lago', startsAt: new Date(Date.now() + 5 * DAY) });
      const rained = await createActivity(t, home.id, { title: 'Picnic nel parco', startsAt: new Date(Date.now() - 6 * DAY), status: 'cancelled', cancelReason: 'CANCELREASON: pioggia' });
      const staffOnly = await createActivity(t, home.id, { title: 'Riunione riservata', startsAt: new Date(Date.now() - 2 * DAY), status: 'completed', visibleToFamilies: false });
      const lastYear = await createActivity(t, home.id, { title: 'Festa di fine anno', startsAt: new Date(Date.now() - 380 * DAY), status: 'completed' });
      await offers().insert([
        offerRow(held, ada, 'offered', 'MYOFFER-HELD: I will roast the chestnuts, see https://example.org/castagne', 30),
        offerRow(stepBack, ada, 'withdrawn', 'MYOFFER-WITHDRAWN: I can bring popcorn', 15),
        offerRow(refused, ada, 'offered', 'MYOFFER-DECLINED: I could drive two people', 3),
        offerRow(rained, ada, 'confirmed', null, 12),
        offerRow(staffOnly, ada, 'confirmed', 'MYOFFER-HIDDEN: on an activity families do not see', 4),
        offerRow(lastYear, ada, 'declined', 'MYOFFER-LASTYEAR: for an activity over a year ago', 385),
        offerRow(held, cousin, 'confirmed', 'THEIROFFER-CUGINA: porto le caldarroste', 25),
      ]);
      const answered = async (activity: Activity, status: 'confirmed' | 'declined') =>
        t.get(HelpOffersService).respond(await sessionUser(answerer), (await offers().findOneByOrFail({ activityId: activity.id, familyMemberId: ada.familyMemberId })).id, status);
      // Answered by the home before the chestnuts were roasted; the lake trip's offer not needed.
      await answered(held, 'confirmed');
      await answered(refused, 'declined');

      // From the family home page and the relative's page, one tap away.
      expect((await ada.agent.get('/portal').expect(200)).text).toContain('href="/portal/offers"');
      expect(section((await ada.agent.get(`/portal/residents/${rosa.id}`).expect(200)).text, 'coming')).toContain('href="/portal/offers"');

      const page = plain((await ada.agent.get('/portal/offers').expect(200)).text);
      const entry = (activity: Activity) => page.split('id="offer-').find((part) => part.includes(`>${activity.title}<`)) ?? '';
      const past = entry(held);
      expect(past).toContain(shownDate(held));
      expect(past).toContain('Confirmed');
      expect(past).toContain('Your message to the staff');
      expect(past).toContain('MYOFFER-HELD: I will roast the chestnuts, see <a href="https://example.org/castagne" rel="noopener noreferrer nofollow" target="_blank">');
      expect(past).toContain("The home's answer</strong> — Marta Risposta");
      expect(past).toContain('Confirmed on ');
      expect(entry(stepBack)).toContain('Withdrawn');
      expect(entry(stepBack)).toContain('MYOFFER-WITHDRAWN: I can bring popcorn');
      expect(entry(stepBack)).not.toContain("The home's answer");
      expect(entry(refused)).toContain('Not this time');
      expect(entry(refused)).toContain('Not needed this time (answered on ');
      expect(entry(refused)).toContain('MYOFFER-DECLINED: I could drive two people');
      // A cancelled activity says so; why is written for staff and helpers, not for families.
      expect(entry(rained)).toContain('This activity was cancelled.');
      expect(entry(rained)).toContain('You did not write a message.');
      expect(page).not.toContain('CANCELREASON');
      // The latest activity first: the lake trip (in 5 days), the picnic (6 days ago), the cinema (10), the chestnuts (20).
      const order = ['Gita al lago', 'Picnic nel parco', 'Cinema del venerdì', 'Castagnata in cortile'].map((title) => page.indexOf(title));
      expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]))).toBe(true);
      // Not an activity families do not see, nor one over a year ago, nor another relative's offer.
      for (const words of ['MYOFFER-HIDDEN', 'Riunione riservata', 'MYOFFER-LASTYEAR', 'Festa di fine anno', 'THEIROFFER-CUGINA']) expect(page).not.toContain(words);

      // Rosa's other relative reads her own offer, in Italian, and nothing Ada wrote; nor do Rosa's view-only relative and Bruno's.
      const cousinPage = plain((await cousin.agent.get('/portal/offers').expect(200)).text);
      expect(cousinPage).toContain('Le mie offerte');
      expect(cousinPage).toContain('THEIROFFER-CUGINA: porto le caldarroste');
      expect(cousinPage).toContain('Confermata');
      for (const other of [cousin, viewer, ben]) {
        const html = (await other.agent.get('/portal/offers').expect(200)).text;
        for (const words of ['MYOFFER-', 'Marta Risposta']) expect(html).not.toContain(words);
      }
      expect(plain((await ben.agent.get('/portal/offers').expect(200)).text)).toContain('You have not offered to help or to join an activity of the last 12 months or one to come.');
      // Nor any volunteer, whose portal this is not.
      await vera.agent.get('/portal/offers').expect(403);
    });

    it('should show a relative twenty offers a page, latest first, with a link to the older ones', async () => {
      const keen = await relative(bruno, { primaryContact: false });
      const weekly = await createActivity(t, home.id, { title: 'Merenda settimanale', startsAt: new Date(Date.now() - 2 * DAY), status: 'completed' });
      await offers().insert(Array.from({ length: 22 }, (_, i) => offerRow(weekly, keen, 'withdrawn', `PAGED-${String(i + 1).padStart(2, '0')}.`, 22 - i)));

      const first = plain((await keen.agent.get('/portal/offers').expect(200)).text);
      expect([...first.matchAll(/PAGED-(\d\d)\./g)].map((m) => m[1])).toEqual(Array.from({ length: 20 }, (_, i) => String(22 - i).padStart(2, '0')));
      expect(first).toContain('href="/portal/offers?page=2" rel="next">Older offers</a>');
      const second = plain((await keen.agent.get('/portal/offers?page=2').expect(200)).text);
      expect([...second.matchAll(/PAGED-(\d\d)\./g)].map((m) => m[1])).toEqual(['02', '01']);
      expect(second).toContain('href="/portal/offers?page=1" rel="prev">Newer offers</a>');
      expect(second).not.toContain('Older offers');
      expect(plain((await keen.agent.get('/portal/offers?page=3').expect(200)).text)).toContain('There are no older offers.');
    });

    it('should show a volunteer their own offers and messages, a cancelled activity\'s reason, and another volunteer none of them', async () => {
      const answerer = await createUser(t, { role: 'coordinator', homeIds: [home.id], displayName: 'Sara Conferma' });
      const otto = await createUser(t, { role: 'volunteer', homeIds: [home.id], personKind: 'volunteer', personId: otherVolunteerId });
      const ottoAgent = await signIn(t, otto.email, otto.password);
      const lunch = await createActivity(t, home.id, { title: 'Pranzo di Natale', startsAt: new Date(Date.now() - 8 * DAY), status: 'completed' });
      const storm = await createActivity(t, home.id, { title: 'Mercatino in piazza', startsAt: new Date(Date.now() - 4 * DAY), status: 'cancelled', cancelReason: 'CANCELREASON: temporale' });
      const soon = await createActivity(t, home.id, { title: 'Tombolata di dicembre', startsAt: new Date(Date.now() + 4 * DAY) });
      await offers().insert([
        offerRow(lunch, vera, 'offered', 'VERAOFFER-LUNCH: I can serve at the tables', 12),
        offerRow(storm, vera, 'declined', 'VERAOFFER-STORM: I bring the stall', 6),
        offerRow(soon, vera, 'offered', 'VERAOFFER-WAITING: I can call the numbers', 1),
        offerRow(lunch, { volunteerId: otherVolunteerId }, 'confirmed', 'OTTOOFFER: porto i panettoni', 11),
      ]);
      const lunchOffer = await offers().findOneByOrFail({ activityId: lunch.id, volunteerId: vera.volunteerId });
      await t.get(HelpOffersService).respond(await sessionUser(answerer), lunchOffer.id, 'confirmed');

      const home_ = plain((await vera.agent.get('/volunteer').expect(200)).text);
      expect(home_).toContain('href="/volunteer/offers"');
      // The offer waiting for an answer shows what the volunteer wrote, as a relative's does.
      expect(section(home_, 'waiting')).toContain('VERAOFFER-WAITING: I can call the numbers');

      const page = plain((await vera.agent.get('/volunteer/offers').expect(200)).text);
      const entry = (activity: Activity) => page.split('id="offer-').find((part) => part.includes(`>${activity.title}<`)) ?? '';
      expect(entry(lunch)).toContain(`href="/activities/${lunch.id}"`);
      expect(entry(lunch)).toContain(shownDate(lunch));
      expect(entry(lunch)).toContain('Confirmed');
      expect(entry(lunch)).toContain('VERAOFFER-LUNCH: I can serve at the tables');
      expect(entry(lunch)).toContain("The home's answer</strong> — Sara Conferma");
      expect(entry(storm)).toContain('Not this time');
      expect(entry(storm)).toContain('VERAOFFER-STORM: I bring the stall');
      expect(entry(storm)).toContain('This activity was cancelled: CANCELREASON: temporale');
      expect(entry(soon)).toContain('Waiting for an answer');
      expect(page).not.toContain('OTTOOFFER');

      const ottoPage = plain((await ottoAgent.get('/volunteer/offers').expect(200)).text);
      expect(ottoPage).toContain('OTTOOFFER: porto i panettoni');
      for (const words of ['VERAOFFER-', 'Sara Conferma']) expect(ottoPage).not.toContain(words);
      // Nor any relative, whose portal this is not.
      await ada.agent.get('/volunteer/offers').expect(403);
    });
  });
});
