import { Role } from '../src/auth/auth.enums';
import { todayIn } from '../src/common/time/zoned';
import { Contribution } from '../src/contributions/entities/contribution.entity';
import { HomeView } from '../src/homes/homes.service';
import { Notification } from '../src/notifications/entities/notification.entity';
import { Resident } from '../src/residents/entities/resident.entity';
import { Suggestion } from '../src/voice/entities/suggestion.entity';
import { FeedbackService } from '../src/voice/feedback.service';
import { SuggestionsService } from '../src/voice/suggestions.service';
import { createActivity, createActivityType } from './support/activity-factories';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, csrfFrom, signIn } from './support/http';
import { createVolunteer } from './support/people-factories';
import { createRelative, createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';
import { createHelpOffer, createParticipation, createSuggestion, sessionUserOf } from './support/voice-factories';

const ROLES: Role[] = ['admin', 'manager', 'coordinator', 'carer', 'volunteer', 'family'];
const INBOX: Role[] = ['admin', 'manager', 'coordinator'];
const ZONE = 'Europe/Rome';

/** Page text with the entities Handlebars writes turned back into characters. */
function plain(html: string): string {
  return html.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=').replace(/&#x27;/g, "'").replace(/&quot;/g, '"');
}

describe("The coordinators' inbox", () => {
  let t: TestApp;
  let home: HomeView;
  let otherHome: HomeView;
  let resident: Resident;
  let relative: Awaited<ReturnType<typeof createRelative>>;
  const agents = {} as Record<Role, Agent>;
  const users = {} as Record<Role, TestUser>;
  const tokens = new Map<Agent, string>();

  const suggestions = () => t.dataSource.getRepository(Suggestion);
  const contributions = () => t.dataSource.getRepository(Contribution);
  const notifications = () => t.dataSource.getRepository(Notification);

  async function post(agent: Agent, path: string, body: Record<string, unknown> = {}) {
    if (!tokens.has(agent)) tokens.set(agent, csrfFrom((await agent.get('/account').expect(200)).text));
    return agent.post(path).type('form').send({ _csrf: tokens.get(agent), ...body });
  }

  /** A suggestion from the relative, sent through the service as the family portal does. */
  async function fromRelative(input: { kind: Suggestion['kind']; title: string; body?: string; aboutResident?: boolean }): Promise<string> {
    const view = await t.get(SuggestionsService).submit(await sessionUserOf(t, relative.user), {
      kind: input.kind, title: input.title, body: input.body ?? 'Ne abbiamo parlato a pranzo la domenica.', residentId: input.aboutResident === false ? null : resident.id,
    });
    return view.id;
  }

  beforeAll(async () => {
    t = await createTestApp();
    home = await createHome(t, { name: 'Casa Posta' });
    otherHome = await createHome(t, { name: 'Casa Altra' });
    resident = await createResident(t, home.id, { firstName: 'Teresa', lastName: 'Bassi', aboutMe: 'Maestra elementare a Modena.' });
    relative = await createRelative(t, resident);
    const volunteerId = (await createVolunteer(t, home.id)).id;
    for (const role of ROLES) {
      users[role] = role === 'family'
        ? relative.user
        : await createUser(t, {
          role, homeIds: role === 'admin' ? [] : [home.id], displayName: `Test ${role}`,
          ...(role === 'volunteer' ? { personKind: 'volunteer' as const, personId: volunteerId } : {}),
        });
      agents[role] = await signIn(t, users[role].email, users[role].password);
    }
  });

  afterAll(async () => {
    await t.close();
  });

  it.each(ROLES)('should allow or refuse the inbox and its forms by role when signed in as %s', async (role) => {
    const agent = agents[role];
    const allowed = INBOX.includes(role);
    expect((await agent.get('/inbox')).status).toBe(allowed ? 200 : 403);
    expect((await agent.get('/inbox?status=all')).status).toBe(allowed ? 200 : 403);
    const id = await fromRelative({ kind: 'plan_change', title: `Piano (${role})` });
    const answered = await post(agent, `/inbox/suggestions/${id}`, { status: 'accepted', response: 'Va bene.' });
    expect(answered.status).toBe(allowed ? 303 : 403);
    expect((await suggestions().findOneByOrFail({ id })).status).toBe(allowed ? 'accepted' : 'new');
    const story = await fromRelative({ kind: 'life_story', title: `Storia (${role})` });
    await suggestions().update({ id: story }, { status: 'accepted' });
    expect((await post(agent, `/inbox/suggestions/${story}/apply-life-story`)).status).toBe(allowed ? 303 : 403);
    expect((await suggestions().findOneByOrFail({ id: story })).lifeStoryAppliedAt === null).toBe(!allowed);
  });

  it("should answer 404 for another home's suggestion and for a bad id", async () => {
    const foreign = await createSuggestion(t, otherHome.id, { title: 'Altrove' });
    for (const role of ['manager', 'coordinator'] as const) {
      expect((await post(agents[role], `/inbox/suggestions/${foreign.id}`, { status: 'accepted' })).status).toBe(404);
      expect((await post(agents[role], `/inbox/suggestions/${foreign.id}/apply-life-story`)).status).toBe(404);
      expect((await post(agents[role], '/inbox/suggestions/not-an-id', { status: 'accepted' })).status).toBe(404);
      expect(plain((await agents[role].get('/inbox?status=all')).text)).not.toContain('Altrove');
    }
    expect((await suggestions().findOneByOrFail({ id: foreign.id })).status).toBe('new');
    expect((await agents.manager.get('/inbox?status=maybe')).status).toBe(422);
    // An administrator sees every home.
    expect(plain((await agents.admin.get('/inbox?status=all')).text)).toContain('Altrove');
  });

  it('should list new suggestions with the resident or the whole home, the author and how they relate', async () => {
    await fromRelative({ kind: 'activity_idea', title: 'Coro con i nipoti', aboutResident: false });
    await fromRelative({ kind: 'plan_change', title: 'Riposo dopo pranzo' });
    const page = plain((await agents.coordinator.get('/inbox').expect(200)).text);
    expect(page).toContain('Coro con i nipoti');
    expect(page).toContain('The whole home');
    expect(page).toContain('Riposo dopo pranzo');
    expect(page).toContain('Teresa Bassi');
    expect(page).toContain(`${relative.familyMember.firstName} Bianchi`);
    expect(page).toContain('Daughter of Teresa Bassi');
    expect(page).toContain('href="/activities/new"');
  });

  it('should make exactly one co_commissioning contribution when an idea is accepted, move it with the link and remove it on reopening', async () => {
    const id = await fromRelative({ kind: 'activity_idea', title: 'Orto sul terrazzo', aboutResident: false });
    const type = await createActivityType(t, home.id, { name: 'Orto in terrazza' });
    const res = await post(agents.coordinator, `/inbox/suggestions/${id}`, { status: 'accepted', response: 'Partiamo a marzo.', linkedActivityTypeId: type.id });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/inbox#suggestions');
    const made = await contributions().findBy({ source: 'suggestion', sourceId: id });
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({
      phase: 'co_commissioning', actorType: 'family', familyMemberId: relative.familyMember.id, minutes: 0, activityId: null, date: todayIn(ZONE), homeId: home.id,
    });
    expect(await suggestions().findOneByOrFail({ id })).toMatchObject({ status: 'accepted', linkedActivityTypeId: type.id, respondedBy: users.coordinator.id });

    // Accepting again, then linking the activity it became and marking it done, still counts once.
    await post(agents.coordinator, `/inbox/suggestions/${id}`, { status: 'accepted', response: 'Partiamo a marzo.', linkedActivityTypeId: type.id }).then((r) => expect(r.status).toBe(303));
    const activity = await createActivity(t, home.id, { activityTypeId: type.id, title: 'Orto: si semina', startsAt: new Date(Date.now() + 5 * 24 * 60 * 60 * 1000) });
    const accepted = plain((await agents.coordinator.get('/inbox?status=accepted').expect(200)).text);
    expect(accepted).toContain(`<option value="${activity.id}"`);
    expect((await post(agents.coordinator, `/inbox/suggestions/${id}`, { status: 'done', linkedActivityId: activity.id, tab: 'accepted' })).headers.location).toBe('/inbox?status=accepted#suggestions');
    const moved = await contributions().findBy({ source: 'suggestion', sourceId: id });
    expect(moved).toHaveLength(1);
    expect(moved[0]).toMatchObject({ activityId: activity.id, date: made[0].date });
    expect(await suggestions().findOneByOrFail({ id })).toMatchObject({ status: 'done', linkedActivityId: activity.id, response: 'Partiamo a marzo.' });
    const done = plain((await agents.coordinator.get('/inbox?status=done').expect(200)).text);
    expect(done).toContain('Orto: si semina');

    expect((await post(agents.coordinator, `/inbox/suggestions/${id}`, { status: 'new' })).status).toBe(303);
    expect(await contributions().countBy({ source: 'suggestion', sourceId: id })).toBe(0);
    expect(await suggestions().findOneByOrFail({ id })).toMatchObject({ status: 'new', respondedAt: null, linkedActivityId: null });
  });

  it('should require a reason to decline, keep what was typed and show the error beside the field', async () => {
    const id = await fromRelative({ kind: 'activity_idea', title: 'Gita in montagna', aboutResident: false });
    const type = await createActivityType(t, home.id, { name: 'Uscite' });
    const refused = await post(agents.coordinator, `/inbox/suggestions/${id}`, { status: 'declined', response: '   ', linkedActivityTypeId: type.id });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(`id="error-response-${id}"`);
    expect(plain(refused.text)).toMatch(new RegExp(`<option value="${type.id}" selected>`));
    expect(plain(refused.text)).toContain('Give a reason');
    expect((await suggestions().findOneByOrFail({ id })).status).toBe('new');

    await post(agents.coordinator, `/inbox/suggestions/${id}`, { status: 'accepted' });
    expect(await contributions().countBy({ source: 'suggestion', sourceId: id })).toBe(1);
    const yes = await notifications().findBy({ userId: relative.user.id, messageKey: 'notifications.messages.suggestion.accepted' });
    expect(yes.filter((n) => n.params.title === 'Gita in montagna')).toHaveLength(1);
    const declined = await post(agents.coordinator, `/inbox/suggestions/${id}`, { status: 'declined', response: 'Il pulmino non sale in quota; proviamo il lago in primavera.' });
    expect(declined.status).toBe(303);
    expect(await suggestions().findOneByOrFail({ id })).toMatchObject({ status: 'declined', response: 'Il pulmino non sale in quota; proviamo il lago in primavera.' });
    expect(await contributions().countBy({ source: 'suggestion', sourceId: id })).toBe(0);
    const told = await notifications().findBy({ userId: relative.user.id, messageKey: 'notifications.messages.suggestion.declined' });
    expect(told.some((n) => n.params.title === 'Gita in montagna' && String(n.params.response).includes('pulmino'))).toBe(true);
    // A link on anything but an activity idea, or to another home's type, names the field.
    const plan = await fromRelative({ kind: 'plan_change', title: 'Meno televisione' });
    const wrong = await post(agents.coordinator, `/inbox/suggestions/${plan}`, { status: 'accepted', linkedActivityTypeId: type.id });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain(`id="error-linkedActivityTypeId-${plan}"`);
    const foreignType = await createActivityType(t, otherHome.id);
    const idea = await fromRelative({ kind: 'activity_idea', title: 'Idea qualsiasi', aboutResident: false });
    expect((await post(agents.coordinator, `/inbox/suggestions/${idea}`, { status: 'accepted', linkedActivityTypeId: foreignType.id })).status).toBe(422);
    expect((await post(agents.coordinator, `/inbox/suggestions/${idea}`, { status: 'maybe' })).status).toBe(422);
  });

  it('should change "About me" only when an accepted life-story addition is approved', async () => {
    const id = await fromRelative({ kind: 'life_story', title: 'Il primo giorno di scuola', body: 'Nel 1958 ha iniziato a insegnare a Carpi, in una pluriclasse.' });
    const residents = t.dataSource.getRepository(Resident);
    expect((await post(agents.manager, `/inbox/suggestions/${id}/apply-life-story`)).status).toBe(422);
    await post(agents.manager, `/inbox/suggestions/${id}`, { status: 'accepted', response: 'Grazie, che bel ricordo.' }).then((r) => expect(r.status).toBe(303));
    expect((await residents.findOneByOrFail({ id: resident.id })).aboutMe).not.toContain('pluriclasse');
    const waiting = plain((await agents.manager.get('/inbox').expect(200)).text);
    expect(waiting).toContain('Il primo giorno di scuola');
    expect(waiting).toContain(`action="/inbox/suggestions/${id}/apply-life-story"`);

    const applied = await post(agents.manager, `/inbox/suggestions/${id}/apply-life-story`);
    expect(applied.status).toBe(303);
    const aboutMe = (await residents.findOneByOrFail({ id: resident.id })).aboutMe!;
    expect(aboutMe.startsWith('Maestra elementare a Modena.')).toBe(true);
    expect(aboutMe).toContain('Nel 1958 ha iniziato a insegnare a Carpi, in una pluriclasse.');
    expect((await suggestions().findOneByOrFail({ id })).lifeStoryAppliedAt).not.toBeNull();
    const told = await notifications().findBy({ userId: relative.user.id, messageKey: 'notifications.messages.lifeStoryApplied' });
    expect(told.filter((n) => n.params.title === 'Il primo giorno di scuola')).toHaveLength(1);
    // Once is enough; and an applied addition cannot be declined or reopened.
    expect((await post(agents.manager, `/inbox/suggestions/${id}/apply-life-story`)).status).toBe(422);
    expect((await post(agents.manager, `/inbox/suggestions/${id}`, { status: 'new' })).status).toBe(422);
    expect((await residents.findOneByOrFail({ id: resident.id })).aboutMe).toBe(aboutMe);
  });

  it('should show help offers waiting, linking to where they are answered, and recent feedback', async () => {
    const upcoming = await createActivity(t, home.id, { title: 'Castagnata in giardino', startsAt: new Date(Date.now() + 2 * 24 * 60 * 60 * 1000) });
    await createHelpOffer(t, upcoming, { familyMemberId: relative.familyMember.id }, 'offered');
    const held = await createActivity(t, home.id, { title: 'Tombola di Natale', status: 'completed', startsAt: new Date(Date.now() - 2 * 60 * 60 * 1000), residentIds: [resident.id] });
    await createParticipation(t, held, resident.id, 'active');
    await t.get(FeedbackService).submit(await sessionUserOf(t, relative.user), { activityId: held.id, rating: 4, comment: 'Ha vinto una cinquina!' });
    const page = plain((await agents.coordinator.get('/inbox').expect(200)).text);
    expect(page).toContain(`href="/activities/${upcoming.id}#helpers"`);
    expect(page).toContain('Castagnata in giardino');
    expect(page).toContain('Tombola di Natale');
    expect(page).toContain('4 out of 5');
    expect(page).toContain('Ha vinto una cinquina!');
    // In Italian, for an Italian-speaking coordinator.
    const italian = await createUser(t, { role: 'coordinator', homeIds: [home.id], locale: 'it' });
    const it = plain((await (await signIn(t, italian.email, italian.password)).get('/inbox').expect(200)).text);
    expect(it).toContain('Proposte');
    expect(it).toContain('4 su 5');
  });
});
