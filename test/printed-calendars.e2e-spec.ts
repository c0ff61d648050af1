import { inflateSync } from 'node:zlib';
import { Activity } from '../src/activities/entities/activity.entity';
import { Unit } from '../src/homes/entities/unit.entity';
import { Resident } from '../src/residents/entities/resident.entity';
import { createActivity, createActivityType } from './support/activity-factories';
import { createHome, createUser } from './support/factories';
import { Agent, signIn } from './support/http';
import { binary, flat, pdfText, rome } from './support/report-fixtures';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';

/** Every type size a PDF sets (the `Tf` operators of its content streams, inflated). */
function typeSizes(pdf: Buffer): Set<number> {
  const sizes = new Set<number>();
  const raw = pdf.toString('latin1');
  for (const match of raw.matchAll(/\/FlateDecode[^>]*>>\s*stream\r?\n/g)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue;
    }
    for (const tf of content.matchAll(/\/F\d+ (\d+(?:\.\d+)?) Tf/g)) sizes.add(Number(tf[1]));
  }
  return sizes;
}

/** The page size of a PDF's first page, in points. */
function mediaBox(pdf: Buffer): number[] {
  const box = /\/MediaBox \[([^\]]+)\]/.exec(pdf.toString('latin1'))![1];
  return box.trim().split(/\s+/).map(Number);
}

describe('Calendars that print well (issue 19 item 5)', () => {
  let t: TestApp;
  let homeId: string;
  let manager: Agent;
  let carer: Agent;
  let volunteer: Agent;
  let rosa: Resident;
  let bruno: Resident;

  async function pdf(agent: Agent, path: string) {
    const res = await agent.get(path).buffer(true).parse(binary).expect(200);
    const body = res.body as Buffer;
    const { text, pages } = await pdfText(body);
    return { body, text: flat(text), pages };
  }

  beforeAll(async () => {
    t = await createTestApp();
    homeId = (await createHome(t, { name: 'Casa Serena', timezone: 'Europe/Rome' })).id;
    const unit = t.dataSource.getRepository(Unit).create({ homeId, name: 'Glicine', active: true });
    await t.dataSource.getRepository(Unit).insert(unit);
    rosa = await createResident(t, homeId, { firstName: 'Rosa', lastName: 'Esposito', preferredName: 'Nonna Rosa', room: '12', unitId: unit.id });
    bruno = await createResident(t, homeId, { firstName: 'Bruno', lastName: 'Neri' });
    const user = (role: 'manager' | 'carer' | 'volunteer') => createUser(t, { role, homeIds: [homeId] });
    const [m, c, v] = await Promise.all([user('manager'), user('carer'), user('volunteer')]);
    manager = await signIn(t, m.email, m.password);
    carer = await signIn(t, c.email, c.password);
    volunteer = await signIn(t, v.email, v.password);

    // June 2026 (five weeks, Monday 1 June to Sunday 5 July) with six activities every day, more
    // than a month's cell holds; August 2026 runs over six weeks (27 July to 6 September).
    const music = await createActivityType(t, homeId, { name: 'Musica', category: 'creative' });
    const rows: Partial<Activity>[] = [];
    for (let day = 1; day <= 30; day += 1) {
      const date = `2026-06-${String(day).padStart(2, '0')}`;
      for (const [i, time] of ['09:30', '10:30', '11:30', '15:00', '16:00', '17:00'].entries()) {
        rows.push({ title: ['Tombola', 'Coro', 'Cucito', 'Lettura', 'Musica', 'Carte'][i], startsAt: rome(date, time), location: 'Salone' });
      }
    }
    for (const row of rows) await createActivity(t, homeId, { ...row, activityTypeId: music.id, durationMinutes: 60 });
    await createActivity(t, homeId, { title: 'Festa di fine estate', startsAt: rome('2026-08-31', '16:00'), activityTypeId: music.id, location: 'Giardino' });

    // The week of 7 December 2026: what Rosa is invited to, and what she is not.
    const walk = await createActivityType(t, homeId, { name: 'Passeggiata', category: 'outing' });
    await createActivity(t, homeId, { title: 'Coro della domenica', startsAt: rome('2026-12-13', '10:30'), activityTypeId: music.id, location: 'Cappella', residentIds: [rosa.id, bruno.id] });
    await createActivity(t, homeId, { title: 'Passeggiata al parco', startsAt: rome('2026-12-08', '15:00'), activityTypeId: walk.id, location: 'Parco Sempione', residentIds: [rosa.id] });
    await createActivity(t, homeId, { title: 'Tombola di Bruno', startsAt: rome('2026-12-09', '15:00'), activityTypeId: music.id, residentIds: [bruno.id] });
    await createActivity(t, homeId, { title: 'Gita annullata', startsAt: rome('2026-12-10', '15:00'), activityTypeId: walk.id, residentIds: [rosa.id], status: 'cancelled' });
    await createActivity(t, homeId, { title: 'Settimana dopo', startsAt: rome('2026-12-14', '10:00'), activityTypeId: walk.id, residentIds: [rosa.id] });
  }, 180_000);

  afterAll(async () => {
    await t.close();
  });

  it('prints a busy five-week month on one A4 page across, in type of 14 points or more, saying what did not fit', async () => {
    const { body, text, pages } = await pdf(manager, '/calendar.pdf?view=month&date=2026-06-10');
    expect(pages).toBe(1);
    expect(mediaBox(body)).toEqual([0, 0, 841.89, 595.28]);
    expect(text).toContain('June 2026');
    // Each day lists what its cell holds and counts the rest.
    expect(text).toMatch(/ 1 09:30 Tombola (10:30 Coro )?\+[45] more 2 09:30 Tombola/);
    expect(text).toMatch(/\+\d more/);
    // Only the footer's two lines (9 and 8) and the band's small capitals (9) are under 14 points.
    expect([...typeSizes(body)].filter((size) => size < 14).sort()).toEqual([8, 9]);
  });

  it('prints a six-week month on one page too, and on A3 when asked', async () => {
    const a4 = await pdf(manager, '/calendar.pdf?view=month&date=2026-08-10');
    expect(a4.pages).toBe(1);
    expect(a4.text).toContain('31 16:00 Festa di fine estate');
    const a3 = await pdf(manager, '/calendar.pdf?view=month&date=2026-06-10&paper=a3');
    expect(a3.pages).toBe(1);
    expect(mediaBox(a3.body)).toEqual([0, 0, 1190.55, 841.89]);
    // The larger sheet holds more of the busy days than A4 does.
    const more = (text: string) => [...text.matchAll(/\+(\d) more/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(more(a3.text)).toBeLessThan(more((await pdf(manager, '/calendar.pdf?view=month&date=2026-06-10')).text));
    expect((await manager.get('/calendar.pdf?view=month&paper=a5')).status).toBe(422);
    const page = (await manager.get('/calendar?view=month&date=2026-06-10').expect(200)).text.replace(/&amp;/g, '&');
    expect(page).toContain('href="/calendar.pdf?view=month&date=2026-06-10&paper=a3"');
  });

  it('says where each activity is on a busy week too', async () => {
    const { text } = await pdf(manager, '/calendar.pdf?view=week&date=2026-06-10');
    expect(text.match(/Salone/g)!.length).toBe(42);
  });

  it("prints a resident's week for their room: only what they are invited to, in large print", async () => {
    const { body, text, pages } = await pdf(carer, `/residents/${rosa.id}/week.pdf?date=2026-12-09`);
    expect(pages).toBe(1);
    expect(mediaBox(body)).toEqual([0, 0, 595.28, 841.89]);
    expect(text).toContain("Nonna Rosa's week");
    expect(text).toContain('Casa Serena · Room 12'.toUpperCase());
    expect(text).toContain('Monday 7 December – Sunday 13 December');
    expect(text).toContain('Tuesday 8 December 15:00 Passeggiata al parco Parco Sempione');
    expect(text).toContain('Sunday 13 December 10:30 Coro della domenica Cappella');
    expect(text).toContain('Wednesday 9 December Nothing planned');
    expect(text).not.toMatch(/Tombola di Bruno|Gita annullata|Settimana dopo/);
    // Large print: nothing of the week under 16 points, only the footer (8) and the band's small capitals (9).
    expect([...typeSizes(body)].filter((size) => size < 16).sort()).toEqual([8, 9]);
  });

  it("is the home staff's to print, in Italian for an Italian reader; anyone else is refused", async () => {
    const italian = await createUser(t, { role: 'coordinator', homeIds: [homeId], locale: 'it' });
    const { text } = await pdf(await signIn(t, italian.email, italian.password), `/residents/${rosa.id}/week.pdf?date=2026-12-09`);
    expect(text).toContain('La settimana di Nonna Rosa');
    expect(text).toContain('Martedì 8 dicembre 15:00 Passeggiata al parco');
    expect((await volunteer.get(`/residents/${rosa.id}/week.pdf`)).status).toBe(403);
    const otherHome = await createUser(t, { role: 'manager', homeIds: [(await createHome(t)).id] });
    expect((await (await signIn(t, otherHome.email, otherHome.password)).get(`/residents/${rosa.id}/week.pdf`)).status).toBe(404);
    expect((await manager.get(`/residents/${rosa.id}/week.pdf?date=2026-13-01`)).status).toBe(422);
    expect((await manager.get(`/residents/${rosa.id}`).expect(200)).text).toContain(`href="/residents/${rosa.id}/week.pdf"`);
  });
});
