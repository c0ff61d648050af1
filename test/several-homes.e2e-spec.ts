import { addDays, mondayOf, todayIn } from '../src/common/time/zoned';
import { Unit } from '../src/homes/entities/unit.entity';
import { Resident } from '../src/residents/entities/resident.entity';
import { Volunteer } from '../src/volunteers/entities/volunteer.entity';
import { createActivity } from './support/activity-factories';
import { createHome, createUser } from './support/factories';
import { Agent, formToken, signIn } from './support/http';
import { binary, flat, pdfText, rome } from './support/report-fixtures';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';
import { createHelpOffer, createSuggestion } from './support/voice-factories';

/**
 * Someone who works across several homes (a coordinator of two, an admin) sees the same activity
 * at the same hour in each: Today, the calendar and its printed sheet name each activity's home, and
 * Today's picker offers all the homes rather than "the whole home". Someone with one home sees none
 * of it.
 */
describe('Pages of someone with several homes name each activity\'s home', () => {
  let t: TestApp;
  let both: Agent;
  let one: Agent;
  let serenaId: string;
  let tigliId: string;
  const units = new Map<string, string>();
  const date = '2026-11-18';

  beforeAll(async () => {
    t = await createTestApp();
    const serena = await createHome(t, { name: 'Casa Serena' });
    const tigli = await createHome(t, { name: 'Villa dei Tigli' });
    [serenaId, tigliId] = [serena.id, tigli.id];
    for (const homeId of [serena.id, tigli.id]) {
      // A unit each, so Today offers its picker.
      const unit = t.dataSource.getRepository(Unit).create({ homeId, name: homeId === serena.id ? 'Glicine' : 'Secchia', active: true });
      await t.dataSource.getRepository(Unit).insert(unit);
      units.set(homeId, unit.id);
      await createActivity(t, homeId, { title: 'Santa Messa', startsAt: rome(date, '10:00'), location: 'Salone' });
    }
    const [a, b] = await Promise.all([
      createUser(t, { role: 'coordinator', homeIds: [serena.id, tigli.id] }),
      createUser(t, { role: 'coordinator', homeIds: [serena.id] }),
    ]);
    both = await signIn(t, a.email, a.password);
    one = await signIn(t, b.email, b.password);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  it('names the home of each activity on Today, and offers all the homes', async () => {
    const page = (await both.get(`/today?date=${date}`).expect(200)).text;
    expect(page.match(/<h2>Santa Messa<\/h2>/g)).toHaveLength(2);
    expect(page).toContain('<strong>Casa Serena</strong> · ');
    expect(page).toContain('<strong>Villa dei Tigli</strong> · ');
    expect(page).toContain('<option value="" selected>All homes</option>');

    const single = (await one.get(`/today?date=${date}`).expect(200)).text;
    expect(single.match(/<h2>Santa Messa<\/h2>/g)).toHaveLength(1);
    expect(single).not.toContain('<strong>Casa Serena</strong>');
    expect(single).not.toContain('All homes');
    expect(single).toContain('<option value="" selected>Whole home</option>');
  });

  it('names the home of each activity on the calendar, by week and by month', async () => {
    const week = (await both.get(`/calendar?date=${date}`).expect(200)).text;
    expect(week).toContain('<span class="cal-meta">Casa Serena · Salone</span>');
    expect(week).toContain('<span class="cal-meta">Villa dei Tigli · Salone</span>');
    const month = (await both.get(`/calendar?view=month&date=${date}`).expect(200)).text;
    expect(month).toContain('<span class="cal-home">· Casa Serena</span>');
    expect(month).toContain('<span class="cal-home">· Villa dei Tigli</span>');

    const single = (await one.get(`/calendar?date=${date}`).expect(200)).text;
    expect(single).toContain('<span class="cal-meta">Whole home · Salone</span>');
    expect(single).not.toContain('cal-home');
  });

  it('names the home of each activity on the printed calendar', async () => {
    const printed = async (agent: Agent) => {
      const res = await agent.get(`/calendar.pdf?date=${date}`).buffer(true).parse(binary).expect(200);
      return flat((await pdfText(res.body as Buffer)).text);
    };
    const text = await printed(both);
    expect(text).toContain('Casa Serena · Salone');
    expect(text).toContain('Villa dei Tigli · Salone');
    expect(await printed(one)).not.toContain('Casa Serena · Salone');
  });

  it('shows the home page one home at a time, chosen at the top, never sums of homes', async () => {
    // This week: one activity planned at Casa Serena, two at Villa dei Tigli.
    const monday = mondayOf(todayIn('Europe/Rome'));
    const at = (day: number, time: string) => rome(addDays(monday, day), time);
    await createActivity(t, serenaId, { title: 'Tombola', startsAt: at(6, '20:00'), status: 'planned' });
    await createActivity(t, tigliId, { title: 'Tombola', startsAt: at(6, '20:00'), status: 'planned' });
    await createActivity(t, tigliId, { title: 'Coro', startsAt: at(6, '21:00'), status: 'planned' });
    const planned = (page: string) => Number(/<strong>(\d+)<\/strong> planned/.exec(page)?.[1]);

    const first = (await both.get('/').expect(200)).text;
    expect(first).toContain('id="dashboard-home"');
    expect(first).toContain('The figures below are those of Casa Serena');
    expect(planned(first)).toBe(1);
    const other = (await both.get(`/?home=${tigliId}`).expect(200)).text;
    expect(other).toContain('The figures below are those of Villa dei Tigli');
    expect(other).toMatch(new RegExp(`<option value="${tigliId}" selected>Villa dei Tigli</option>`));
    expect(planned(other)).toBe(2);

    const single = (await one.get('/').expect(200)).text;
    expect(single).not.toContain('id="dashboard-home"');
    expect(planned(single)).toBe(1);
    // A home that is not theirs is not found.
    expect((await one.get(`/?home=${tigliId}`)).status).toBe(404);
  });

  it('names the home of each resident on the list and their page, and of each activity on its page', async () => {
    const gemma = await createResident(t, tigliId, { firstName: 'Gemma', lastName: 'Zanoli', unitId: units.get(tigliId)! });
    await createResident(t, serenaId, { firstName: 'Adele', lastName: 'Benassi', unitId: units.get(serenaId)! });
    const list = (await both.get('/residents').expect(200)).text;
    expect(list).toMatch(/Gemma[\s\S]*?<span class="resident-home">Villa dei Tigli<\/span>/);
    expect(list).toMatch(/Adele[\s\S]*?<span class="resident-home">Casa Serena<\/span>/);
    expect((await one.get('/residents').expect(200)).text).not.toContain('resident-home');
    expect((await both.get(`/residents/${gemma.id}`).expect(200)).text).toContain('Villa dei Tigli · ');

    const activity = await createActivity(t, tigliId, { title: 'Ballo liscio', startsAt: rome(date, '15:00') });
    expect((await both.get(`/activities/${activity.id}`).expect(200)).text).toMatch(/<dt>Home<\/dt><dd>Villa dei Tigli<\/dd>/);
    const serenaActivity = await createActivity(t, serenaId, { title: 'Ballo liscio', startsAt: rome(date, '15:00') });
    expect((await one.get(`/activities/${serenaActivity.id}`).expect(200)).text).not.toContain('<dt>Home</dt>');
  });

  it("offers every home's units on a new resident's form, and refuses a unit of another home beside the field", async () => {
    const form = (await both.get('/residents/new').expect(200)).text;
    expect(form).toMatch(new RegExp(`<optgroup label="Casa Serena">\\s*<option value="${units.get(serenaId)}"`));
    expect(form).toMatch(new RegExp(`<optgroup label="Villa dei Tigli">\\s*<option value="${units.get(tigliId)}"`));
    const token = await formToken(both, '/residents/new');
    const fields = { firstName: 'Bruna', lastName: 'Messori', dateOfBirth: '1936-02-03', admittedOn: '2025-03-01', weeklyActivityTarget: '4', aboutMe: 'Sarta a Carpi.' };
    const wrong = await both.post('/residents').type('form').send({ _csrf: token, ...fields, homeId: serenaId, unitId: units.get(tigliId) });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('id="error-unitId"');
    expect(wrong.text).toContain('Choose one of the units of Casa Serena.');
    expect(wrong.text).toContain('value="Messori"');
    expect(wrong.text).toContain('<optgroup label="Villa dei Tigli">');
    const right = await both.post('/residents').type('form').send({ _csrf: token, ...fields, homeId: tigliId, unitId: units.get(tigliId) });
    expect(right.status).toBe(303);
    expect(await t.dataSource.getRepository(Resident).findOneByOrFail({ lastName: 'Messori' })).toMatchObject({ homeId: tigliId, unitId: units.get(tigliId) });
  });

  it("names the home of each resident whose plan needs attention, and of each offer and suggestion in the inbox", async () => {
    const plans = (await both.get('/plans/overdue').expect(200)).text;
    expect(plans).toContain('Villa dei Tigli · Secchia');
    expect(plans).toContain('Casa Serena · Glicine');
    expect((await one.get('/plans/overdue').expect(200)).text).not.toContain('Casa Serena · Glicine');

    const upcoming = await createActivity(t, tigliId, { title: 'Gita al mercato', startsAt: new Date(Date.now() + 3 * 86_400_000) });
    const volunteer = await t.dataSource.getRepository(Volunteer).save({ homeId: tigliId, firstName: 'Ivo', lastName: 'Barbieri', skills: [], status: 'active' });
    await createHelpOffer(t, upcoming, { volunteerId: volunteer.id }, 'offered');
    await createSuggestion(t, tigliId, { title: 'Tortellini insieme' });
    const inbox = (await both.get('/inbox').expect(200)).text;
    expect(inbox).toMatch(/Gita al mercato<\/a> <span class="muted">Villa dei Tigli · /);
    expect(inbox).toMatch(/Tortellini insieme[\s\S]*?<dt>Home<\/dt><dd>Villa dei Tigli<\/dd>/);
    // The idea's choice of an activity it became names the date as the reader writes it, not in ISO.
    expect(inbox).toMatch(/>Gita al mercato · \d{1,2} [A-Z][a-z]+ \d{4} \d\d:\d\d</);
    expect(inbox).not.toMatch(/Gita al mercato · \d{4}-\d\d-\d\d/);
  });
});
