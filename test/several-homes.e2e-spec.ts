import { Unit } from '../src/homes/entities/unit.entity';
import { createActivity } from './support/activity-factories';
import { createHome, createUser } from './support/factories';
import { Agent, signIn } from './support/http';
import { binary, flat, pdfText, rome } from './support/report-fixtures';
import { createTestApp, TestApp } from './support/test-app';

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
  const date = '2026-11-18';

  beforeAll(async () => {
    t = await createTestApp();
    const serena = await createHome(t, { name: 'Casa Serena' });
    const tigli = await createHome(t, { name: 'Villa dei Tigli' });
    for (const homeId of [serena.id, tigli.id]) {
      // A unit each, so Today offers its picker.
      await t.dataSource.getRepository(Unit).insert({ homeId, name: 'Glicine', active: true });
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
    expect(page).toContain('<option value="">All homes</option>');

    const single = (await one.get(`/today?date=${date}`).expect(200)).text;
    expect(single.match(/<h2>Santa Messa<\/h2>/g)).toHaveLength(1);
    expect(single).not.toContain('<strong>Casa Serena</strong>');
    expect(single).not.toContain('All homes');
    expect(single).toContain('<option value="">Whole home</option>');
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
});
