import { Activity } from '../src/activities/entities/activity.entity';
import { ActivityType } from '../src/activities/entities/activity-type.entity';
import { HomesService, HomeView } from '../src/homes/homes.service';
import { createActivity, createActivityType } from './support/activity-factories';
import { createHome, createUser } from './support/factories';
import { Agent, csrfFrom, signIn } from './support/http';
import { createVolunteer } from './support/people-factories';
import { createTestApp, TestApp } from './support/test-app';
import { createHelpOffer } from './support/voice-factories';

/** Issue 19, items 3 and 6: a type's defaults, field names in the error summary, offers per activity, units by home. */
describe('Activity form: type defaults, named errors, offers per activity, units by home', () => {
  let t: TestApp;
  let home: HomeView;
  let otherHome: HomeView;
  let tombola: ActivityType;
  let coordinator: Agent;
  let coordinatorIt: Agent;
  let manager: Agent;
  const tokens = new Map<Agent, string>();

  async function post(agent: Agent, path: string, body: Record<string, unknown> | string) {
    if (!tokens.has(agent)) tokens.set(agent, csrfFrom((await agent.get('/account').expect(200)).text));
    const token = tokens.get(agent)!;
    const payload = typeof body === 'string' ? `_csrf=${encodeURIComponent(token)}&${body}` : { _csrf: token, ...body };
    return agent.post(path).type('form').send(payload);
  }

  /** The error summary at the top of a refused form, as text lines. */
  function summary(html: string): string[] {
    const list = /<ul class="error-summary">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
    return [...list.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1].replace(/<[^>]*>/g, '').replace(/&#x27;/g, "'").trim());
  }

  function optgroups(html: string, selectId: string): string[] {
    const select = new RegExp(`<select id="${selectId}"[\\s\\S]*?</select>`).exec(html)?.[0] ?? '';
    return [...select.matchAll(/<optgroup label="([^"]*)">/g)].map((m) => m[1]);
  }

  beforeAll(async () => {
    t = await createTestApp();
    home = await createHome(t, { name: 'Casa Aurora' });
    otherHome = await createHome(t, { name: 'Villa Serena' });
    tombola = await createActivityType(t, home.id, {
      name: 'Tombola', category: 'social', defaultDurationMinutes: 75, defaultLocation: 'Salone', defaultCapacity: 12, usualPhases: ['co_design', 'co_delivery'],
    });
    const [c, ci, m] = await Promise.all([
      createUser(t, { role: 'coordinator', homeIds: [home.id] }),
      createUser(t, { role: 'coordinator', homeIds: [home.id], locale: 'it' }),
      createUser(t, { role: 'manager', homeIds: [home.id, otherHome.id] }),
    ]);
    coordinator = await signIn(t, c.email, c.password);
    coordinatorIt = await signIn(t, ci.email, ci.password);
    manager = await signIn(t, m.email, m.password);
  });

  afterAll(async () => {
    await t.close();
  });

  describe('type defaults', () => {
    it('should fill title, length, place, capacity and phases from the type when the form leaves them blank (no script)', async () => {
      const res = await post(coordinator, '/activities', {
        activityTypeId: tombola.id, title: '', date: '2026-06-04', time: '15:00', durationMinutes: '', location: '', capacity: '', repeat: 'never',
      });
      expect(res.status).toBe(303);
      const id = /\/activities\/([0-9a-f-]{36})/.exec(String(res.headers.location))![1];
      const saved = await t.dataSource.getRepository(Activity).findOneByOrFail({ id });
      expect(saved).toMatchObject({ title: 'Tombola', durationMinutes: 75, location: 'Salone', capacity: 12, phases: ['co_design', 'co_delivery'] });
      const page = await coordinator.get(`/activities/${id}`).expect(200);
      expect(page.text).toContain('Co-production phases');
      expect(page.text).toMatch(/Co-design, Co-delivery/);
    });

    it('should keep what the form gave over the type\'s defaults when it is filled in', async () => {
      const res = await post(coordinator, '/activities', `activityTypeId=${tombola.id}&title=Tombola+di+Natale&date=2026-06-05&time=15:00&durationMinutes=90&location=Giardino&capacity=20&phases=co_assessment`);
      expect(res.status).toBe(303);
      const id = /\/activities\/([0-9a-f-]{36})/.exec(String(res.headers.location))![1];
      const saved = await t.dataSource.getRepository(Activity).findOneByOrFail({ id });
      expect(saved).toMatchObject({ title: 'Tombola di Natale', durationMinutes: 90, location: 'Giardino', capacity: 20, phases: ['co_assessment'] });
    });

    it('should offer each type\'s defaults to the form\'s script and leave the length blank on a new activity', async () => {
      const res = await coordinator.get('/activities/new').expect(200);
      const option = new RegExp(`<option value="${tombola.id}"([^>]*)>`).exec(res.text)![1];
      expect(option).toContain('data-title="Tombola"');
      expect(option).toContain('data-duration="75"');
      expect(option).toContain('data-location="Salone"');
      expect(option).toContain('data-capacity="12"');
      expect(option).toContain('data-phases="co_design co_delivery"');
      expect(res.text).toMatch(/<input id="field-durationMinutes" name="durationMinutes" type="number"\s+value=""/);
      expect(res.text).toContain('/static/js/activity-form.js');
    });

    it('should edit a type\'s usual place, capacity and phases on its form', async () => {
      const type = await createActivityType(t, home.id, { name: 'Ginnastica dolce', defaultDurationMinutes: 45 });
      const res = await post(coordinator, `/activity-types/${type.id}`, 'name=Ginnastica+dolce&category=physical&defaultDurationMinutes=45&defaultLocation=Palestra&defaultCapacity=8&usualPhases=co_delivery&usualPhases=co_assessment');
      expect(res.status).toBe(303);
      expect(await t.dataSource.getRepository(ActivityType).findOneByOrFail({ id: type.id })).toMatchObject({
        defaultLocation: 'Palestra', defaultCapacity: 8, usualPhases: ['co_delivery', 'co_assessment'],
      });
      const form = await coordinator.get(`/activity-types/${type.id}/edit`).expect(200);
      expect(form.text).toContain('value="Palestra"');
      expect(form.text).toMatch(/id="field-usualPhases-co_delivery" name="usualPhases" value="co_delivery" checked/);
      expect(form.text).not.toMatch(/id="field-usualPhases-co_design" name="usualPhases" value="co_design" checked/);
    });
  });

  describe('error summary', () => {
    it('should name the field of a missing type in the summary and beside the field (English)', async () => {
      const res = await post(coordinator, '/activities', { activityTypeId: '', title: '', date: '2026-06-04', time: '15:00' });
      expect(res.status).toBe(422);
      expect(summary(res.text)).toEqual(['Activity type: Choose one from the list.']);
      expect(res.text).toContain('<a href="#field-activityTypeId">');
      expect(res.text).toContain('<p class="field-error" id="error-activityTypeId">Choose one from the list.</p>');
      expect(res.text).not.toContain('Not a valid reference');
    });

    it('should name the field of a missing type in the summary in Italian', async () => {
      const res = await post(coordinatorIt, '/activities', { activityTypeId: '', date: '2026-06-04', time: '15:00' });
      expect(res.status).toBe(422);
      expect(summary(res.text)).toEqual(["Tipo di attività: Scegli una voce dell'elenco."]);
    });

    it('should name every field in the summary of another form, a group of checkboxes by its legend', async () => {
      const res = await post(coordinator, '/activity-types', 'name=&category=social&defaultDurationMinutes=2&usualPhases=nowhere');
      expect(res.status).toBe(422);
      const lines = summary(res.text);
      expect(lines).toContain('Name: Fill in this field.');
      expect(lines.some((line) => line.startsWith('Usual length'))).toBe(true);
      expect(lines).toContain('Usual co-production phases: Choose one of the options.');
    });
  });

  describe('offers waiting', () => {
    it('should list an activity with several offers once, with its count, on the home page and in the inbox', async () => {
      const activity = await createActivity(t, home.id, { activityTypeId: tombola.id, title: 'Tombola del venerdì', startsAt: new Date(Date.now() + 3 * 24 * 3600_000) });
      for (const name of ['Anna', 'Bruno', 'Carla']) {
        const volunteer = await createVolunteer(t, home.id, { firstName: name });
        await createHelpOffer(t, activity, { volunteerId: volunteer.id }, 'offered');
      }
      const dashboard = await coordinator.get('/').expect(200);
      expect(dashboard.text.split('>Tombola del venerdì<').length - 1).toBe(1);
      expect(dashboard.text).toContain('3 offers');
      const inbox = await coordinator.get('/inbox').expect(200);
      expect(inbox.text.split('>Tombola del venerdì<').length - 1).toBe(1);
      expect(inbox.text).toContain('3 offers');
      const italian = await coordinatorIt.get('/').expect(200);
      expect(italian.text).toContain('3 offerte');
    });
  });

  describe('units by home', () => {
    beforeAll(async () => {
      const homes = t.get(HomesService);
      await homes.addUnit(null, home.id, { unitName: 'Glicini' });
      await homes.addUnit(null, otherHome.id, { unitName: 'Mimose' });
    });

    it('should group the unit choices of a new staff member under each home\'s name', async () => {
      const res = await manager.get('/staff/new').expect(200);
      expect(optgroups(res.text, 'field-unitId')).toEqual(['Casa Aurora', 'Villa Serena']);
    });

    it('should group units, types and staff by home on the activity form and the calendar of a user of several homes', async () => {
      const form = await manager.get('/activities/new').expect(200);
      expect(optgroups(form.text, 'field-unitId')).toEqual(['Casa Aurora', 'Villa Serena']);
      expect(form.text).not.toContain('Casa Aurora · Glicini');
      const calendar = await manager.get('/calendar').expect(200);
      expect(optgroups(calendar.text, 'calendar-unit')).toEqual(['Casa Aurora', 'Villa Serena']);
      const residents = await manager.get('/residents').expect(200);
      expect(optgroups(residents.text, 'filter-unit')).toEqual(['Casa Aurora', 'Villa Serena']);
    });

    it('should list one home\'s units without groups', async () => {
      const form = await coordinator.get('/activities/new').expect(200);
      expect(optgroups(form.text, 'field-unitId')).toEqual([]);
      expect(form.text).toMatch(/<option value="[0-9a-f-]{36}"\s*>Glicini<\/option>/);
    });
  });

  describe('activity types found by a review (a coordinator)', () => {
    async function postType(body: Record<string, string>, path = '/activity-types') {
      const token = csrfFrom((await coordinator.get('/activity-types/new').expect(200)).text);
      return coordinator.post(path).type('form').send({ _csrf: token, category: 'social', defaultDurationMinutes: '60', ...body });
    }

    it('should refuse a type named like another whatever the case of its letters, beside the field, on adding and on renaming', async () => {
      const added = await postType({ name: 'tombola ' });
      expect(added.status).toBe(422);
      expect(added.text).toContain('id="error-name"');
      expect(added.text).toContain('value="tombola');
      const other = await createActivityType(t, home.id, { name: 'Bocce' });
      expect((await postType({ name: 'TOMBOLA' }, `/activity-types/${other.id}`)).status).toBe(422);
      expect(await t.dataSource.getRepository(ActivityType).countBy({ homeId: home.id, name: 'tombola' })).toBe(0);
      // Its own name in other letters is not a clash.
      expect((await postType({ name: 'BOCCE' }, `/activity-types/${other.id}`)).status).toBe(303);
    });

    it('should list types as people read them, whatever the case of their first letter', async () => {
      await createActivityType(t, home.id, { name: 'arte terapia' });
      const page = (await coordinator.get('/activity-types').expect(200)).text;
      const at = (name: string) => page.indexOf(`>${name}<`);
      expect(at('arte terapia')).toBeGreaterThan(-1);
      expect(at('arte terapia')).toBeLessThan(at('BOCCE'));
      expect(at('BOCCE')).toBeLessThan(at('Tombola'));
    });
  });
});
