import request from 'supertest';
import { Activity } from '../src/activities/entities/activity.entity';
import { Participation } from '../src/activities/entities/participation.entity';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { todayIn, utcToLocal } from '../src/common/time/zoned';
import { Contribution } from '../src/contributions/entities/contribution.entity';
import { HomesService, HomeView, UnitView } from '../src/homes/homes.service';
import { Resident } from '../src/residents/entities/resident.entity';
import { Feedback } from '../src/voice/entities/feedback.entity';
import { WellbeingCheckIn } from '../src/voice/entities/wellbeing-check-in.entity';
import { currentQuarter } from '../src/common/time/quarter';
import { createActivity, createActivityType } from './support/activity-factories';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, signIn } from './support/http';
import { createVolunteer } from './support/people-factories';
import { createPlan } from './support/plan-factories';
import { binary, flat, pdfText, rome } from './support/report-fixtures';
import { createRelative, createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';
import { createHelpOffer } from './support/voice-factories';

const DAY = 24 * 60 * 60 * 1000;

describe('Printable PDFs: resident summary and activity calendar', () => {
  let t: TestApp;
  let home: HomeView;
  let otherHome: HomeView;
  let glicine: UnitView;
  let rosa: UnitView;
  let anna: Resident;
  let bruno: Resident;
  let carla: Resident;
  let stranger: Resident;
  const users: Record<string, TestUser> = {};
  const agents: Record<string, Agent> = {};

  async function pdf(agent: Agent, path: string): Promise<{ status: number; text: string; pages: number; response: request.Response }> {
    const response = await agent.get(path).buffer(true).parse(binary);
    if (response.status !== 200) return { status: response.status, text: '', pages: 0, response };
    const { text, pages } = await pdfText(response.body as Buffer);
    return { status: response.status, text: flat(text), pages, response };
  }

  async function participation(activity: Activity, residentId: string, fields: Partial<Participation>): Promise<void> {
    await t.dataSource.getRepository(Participation).insert({
      homeId: activity.homeId, activityId: activity.id, residentId, engagement: 'active', moodBefore: null, moodAfter: null,
      staffNote: null, familyNote: null, recordedBy: null, recordedAt: new Date(), ...fields,
    });
  }

  async function contribution(activity: Activity | null, fields: Partial<Contribution>): Promise<void> {
    await t.dataSource.getRepository(Contribution).insert({
      homeId: home.id, activityId: activity?.id ?? null, date: activity ? utcToLocal(activity.startsAt, 'Europe/Rome').date : todayIn('Europe/Rome'),
      residentId: null, familyMemberId: null, volunteerId: null, staffMemberId: null, phase: 'co_delivery', minutes: 0, description: null,
      source: 'manual', sourceId: null, recordedBy: null, ...fields,
    } as Contribution);
  }

  beforeAll(async () => {
    t = await createTestApp();
    home = await createHome(t, { name: 'Casa Girasole', slug: 'casa-girasole' });
    otherHome = await createHome(t, { name: 'Villa Altrove', slug: 'villa-altrove' });
    glicine = await t.get(HomesService).addUnit(null, home.id, { unitName: 'Nucleo Glicine' });
    rosa = await t.get(HomesService).addUnit(null, home.id, { unitName: 'Nucleo Rosa' });

    anna = await createResident(t, home.id, {
      firstName: 'Anna', lastName: 'Alberti', preferredName: 'Annetta', unitId: glicine.id, consentFamilyPortal: 'full',
      mobilityNotes: 'Walks with a frame; rests after ten minutes', communicationTips: 'Speak on her right side', dislikes: 'Cold rooms',
    });
    bruno = await createResident(t, home.id, {
      firstName: 'Bruno', lastName: 'Bellini', consentFamilyPortal: 'summary',
      mobilityNotes: 'Wheelchair for long distances', communicationTips: 'Likes short questions',
    });
    carla = await createResident(t, home.id, { firstName: 'Carla', lastName: 'Conti', consentFamilyPortal: 'none' });
    stranger = await createResident(t, otherHome.id, { firstName: 'Ettore', lastName: 'Estranei' });

    await createPlan(t, anna, {
      whatMattersToMe: 'Singing with my granddaughter on Sundays',
      goals: [{ description: 'Sing with the choir', categories: ['creative'], targetPerWeek: 3 }, { description: 'Walk in the garden', categories: ['physical'], targetPerWeek: 2 }],
    });
    await createPlan(t, bruno, {
      whatMattersToMe: 'Being outdoors whenever the weather allows',
      goals: [{ description: 'Tend the tomato plants', categories: ['life_skills'], targetPerWeek: 4 }],
    });

    // Anna's last 90 days: a choir with notes, an activity families do not see, and one from long ago.
    const now = Date.now();
    const choir = await createActivity(t, home.id, { title: 'Choir of the Sunflowers', startsAt: new Date(now - 3 * DAY), status: 'completed', residentIds: [anna.id, bruno.id] });
    const physio = await createActivity(t, home.id, { title: 'Physio circle (staff only)', startsAt: new Date(now - 5 * DAY), status: 'completed', visibleToFamilies: false });
    const old = await createActivity(t, home.id, { title: 'Spring tea party of long ago', startsAt: new Date(now - 120 * DAY), status: 'completed' });
    await participation(choir, anna.id, { staffNote: 'Tired after lunch, left early', familyNote: 'Sang every verse of Volare' });
    await participation(physio, anna.id, { engagement: 'passive', staffNote: 'Needed two prompts' });
    await participation(old, anna.id, { familyNote: 'An old family note' });
    await participation(choir, bruno.id, { staffNote: 'Bruno staff note', familyNote: 'Bruno family note' });

    const annaRelative = await createRelative(t, anna, { access: 'contribute' });
    const brunoRelative = await createRelative(t, bruno);
    const carlaRelative = await createRelative(t, carla);
    const endedRelative = await createRelative(t, anna, { active: false });
    users.familyFull = annaRelative.user;
    users.familySummary = brunoRelative.user;
    users.familyNoConsent = carlaRelative.user;
    users.familyEnded = endedRelative.user;

    // A volunteer confirmed on an activity with Anna on its roster may see her profile, but gets no summary.
    const volunteer = await createVolunteer(t, home.id, { firstName: 'Vito', lastName: 'Volontario' });
    const outing = await createActivity(t, home.id, { title: 'Market outing', startsAt: new Date(now + 2 * DAY), residentIds: [anna.id] });
    await createHelpOffer(t, outing, { volunteerId: volunteer.id });
    users.volunteer = await createUser(t, { role: 'volunteer', homeIds: [home.id], personKind: 'volunteer', personId: volunteer.id });

    await contribution(choir, { actorType: 'resident', residentId: anna.id, minutes: 20, description: 'Chose the songs for the choir' });
    await contribution(choir, { actorType: 'family', familyMemberId: annaRelative.familyMember.id, minutes: 60, description: 'Played the accordion' });
    await contribution(choir, { actorType: 'volunteer', volunteerId: volunteer.id, minutes: 60, description: 'Carried the chairs for everyone' });
    await contribution(choir, { actorType: 'resident', residentId: bruno.id, minutes: 15, description: 'Bruno handed out the songbooks' });
    await contribution(physio, { actorType: 'resident', residentId: anna.id, minutes: 10, description: 'Showed the stretches' });

    await t.dataSource.getRepository(WellbeingCheckIn).insert({
      homeId: home.id, residentId: anna.id, quarter: currentQuarter('Europe/Rome'), perspective: 'staff', familyMemberId: null, staffMemberId: null,
      doingThings: 3, people: 4, choice: 2, comment: 'Brighter since the choir started', recordedBy: null,
    });
    await t.dataSource.getRepository(Feedback).insert({
      homeId: home.id, activityId: choir.id, rating: 4, comment: 'I liked the old songs best', authorType: 'resident', authorResidentId: anna.id,
      authorFamilyMemberId: null, authorVolunteerId: null, authorStaffMemberId: null, recordedBy: null,
    } as Feedback);

    // The calendar: the week of Monday 15 June 2026, and the turn of the month into July (Europe/Rome).
    const type = await createActivityType(t, home.id, { name: 'Games', category: 'social' });
    const at = (title: string, date: string, time: string, fields: Partial<Activity> = {}) =>
      createActivity(t, home.id, { activityTypeId: type.id, title, startsAt: rome(date, time), durationMinutes: 60, ...fields });
    await at('Spring Bingo', '2026-06-16', '15:30');
    await at('Harp Concert', '2026-06-20', '10:00', { unitId: glicine.id });
    await at('Rose Garden Walk', '2026-06-18', '11:00', { unitId: rosa.id });
    await at('Cancelled Outing', '2026-06-17', '09:30', { status: 'cancelled' });
    await at('Midsummer Night Party', '2026-06-30', '23:30');
    // 22:30 UTC on 30 June is already 1 July in Rome.
    await at('First of July Breakfast', '2026-07-01', '00:30');
    await createActivity(t, otherHome.id, { title: 'Another Home Recital', startsAt: rome('2026-06-16', '16:00') });

    for (const role of ['manager', 'coordinator', 'carer'] as const) users[role] = await createUser(t, { role, homeIds: [home.id], displayName: `Test ${role}` });
    users.admin = await createUser(t, { role: 'admin', displayName: 'Ada Admin' });
    users.italian = await createUser(t, { role: 'coordinator', homeIds: [home.id], displayName: 'Chiara Coordinatrice', locale: 'it' });
    users.otherManager = await createUser(t, { role: 'manager', homeIds: [otherHome.id] });
    for (const [name, user] of Object.entries(users)) agents[name] = await signIn(t, user.email, user.password);
  }, 120_000);

  afterAll(async () => {
    await t.close();
  });

  describe('the resident summary', () => {
    const summary = (resident: Resident) => `/residents/${resident.id}/summary.pdf`;

    it('should answer each role as the resident pages do, and 404 where the reader may not see the resident', async () => {
      const cases: [string, Resident, number][] = [
        ['manager', anna, 200], ['coordinator', anna, 200], ['carer', anna, 200], ['admin', anna, 200],
        ['familyFull', anna, 200], ['familySummary', bruno, 200],
        ['volunteer', anna, 404], ['otherManager', anna, 404], ['manager', stranger, 404],
        ['familyFull', bruno, 404], ['familyNoConsent', carla, 404], ['familyEnded', anna, 404],
      ];
      const actual = [];
      for (const [who, resident] of cases) actual.push([who, resident, (await agents[who].get(summary(resident)).buffer(true).parse(binary)).status]);
      expect(actual).toEqual(cases);
    });

    it('should send signed-out visitors to sign in and treat a malformed id as not found', async () => {
      const res = await request(t.server).get(summary(anna));
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/login/);
      expect((await agents.manager.get('/residents/not-an-id/summary.pdf')).status).toBe(404);
    });

    it('should give staff the whole record: profile with care notes, plan detail, notes, contributions, check-ins and feedback', async () => {
      const { text, response } = await pdf(agents.manager, summary(anna));
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.headers['content-disposition']).toMatch(/^attachment; filename="insieme-anna-alberti-summary-\d{4}-\d{2}-\d{2}\.pdf"$/);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(text).toContain('Resident summary'.toUpperCase());
      expect(text).toContain('Anna Alberti');
      expect(text).toContain('Staff copy – includes staff notes and care information. Confidential.');
      expect(text).toContain('Walks with a frame; rests after ten minutes');
      expect(text).toContain('Speak on her right side');
      expect(text).toContain('Date of birth 12 April 1938');
      // Plan detail: what matters, goals with their weekly targets.
      expect(text).toContain('Singing with my granddaughter on Sundays');
      expect(text).toMatch(/Sing with the choir Creative 3 \d Active/);
      // Participation in the last 90 days, with both notes; the old activity is outside the period.
      expect(text).toContain('Choir of the Sunflowers Took part Staff: Tired after lunch, left early For the family: Sang every verse of Volare');
      expect(text).toContain('Physio circle (staff only) Watched, listened Staff: Needed two prompts');
      expect(text).not.toContain('Spring tea party of long ago');
      expect(text).toContain('2 recorded, 2 attended.');
      // Contributions that involve Anna: hers and her family's; not a volunteer's or another resident's on the same activity.
      expect(text).toContain('Chose the songs for the choir');
      expect(text).toContain('Played the accordion');
      expect(text).not.toContain('Carried the chairs for everyone');
      expect(text).not.toContain('Bruno handed out the songbooks');
      expect(text).toContain('3 contributions, 1.5 h in all.');
      expect(text).toContain('Brighter since the choir started');
      expect(text).toContain('I liked the old songs best');
      expect(text).not.toMatch(/Bruno (staff|family) note/);
    });

    it('should give a relative with full consent the family note but never the staff note, nor activities hidden from families', async () => {
      const { text } = await pdf(agents.familyFull, summary(anna));
      expect(text).toContain('Family copy – what the family portal shares with you.');
      expect(text).toContain('Sang every verse of Volare');
      expect(text).not.toContain('Tired after lunch');
      expect(text).not.toContain('Staff:');
      expect(text).not.toContain('Physio circle');
      expect(text).not.toContain('Needed two prompts');
      expect(text).not.toContain('Showed the stretches');
      expect(text).toContain('Walks with a frame; rests after ten minutes');
      expect(text).toContain('Singing with my granddaughter on Sundays');
      expect(text).toMatch(/Sing with the choir Creative 3 \d/);
      // Staff-only fields stay out of a family copy.
      expect(text).not.toContain('Date of birth');
      expect(text).not.toContain('Family portal consent');
    });

    it('should give a relative with summary consent neither notes nor plan detail', async () => {
      const { text } = await pdf(agents.familySummary, summary(bruno));
      expect(text).toContain('Family copy (summary) – without notes or plan details');
      expect(text).toContain('Bruno Bellini');
      expect(text).toContain('Choir of the Sunflowers Took part');
      expect(text).not.toContain('Bruno family note');
      expect(text).not.toContain('Bruno staff note');
      expect(text).not.toContain('Notes');
      expect(text).not.toContain('Wheelchair for long distances');
      expect(text).not.toContain('Likes short questions');
      // The plan: its goals named, no targets, no "what matters to me".
      expect(text).toContain('Tend the tomato plants');
      expect(text).not.toContain('Being outdoors whenever the weather allows');
      expect(text).not.toContain('Target a week');
      expect(text).not.toContain('In the last 7 days');
      // His own contribution is listed, without what was written about it.
      expect(text).toContain('Co-delivery');
      expect(text).not.toContain('Bruno handed out the songbooks');
    });

    it('should write the summary in the reader\'s language', async () => {
      const { text } = await pdf(agents.italian, summary(anna));
      expect(text).toContain("RIEPILOGO DELL'OSPITE");
      expect(text).toContain('Copia per il personale');
      expect(text).toContain('Ha partecipato');
      expect(text).toMatch(/Pagina 1 di \d+/);
    });

    it('should record each download in the audit log as an export of the resident', async () => {
      await pdf(agents.carer, summary(anna));
      const entries = await t.dataSource.getRepository(AuditEntry).find({ where: { action: 'export', entityType: 'resident', entityId: anna.id } });
      expect(entries.map((e) => e.changes?.copy?.new)).toEqual(expect.arrayContaining(['staff', 'family_full']));
      expect(entries.every((e) => e.changes?.export?.new === 'summary_pdf' && e.homeId === home.id)).toBe(true);
    });
  });

  describe('the printable calendar', () => {
    it('should answer the roles of the calendar page, and 404 for a unit the reader does not have', async () => {
      const path = '/calendar.pdf?view=week&date=2026-06-17';
      const expected = { manager: 200, coordinator: 200, carer: 200, volunteer: 200, admin: 200, familyFull: 403 };
      const actual: Record<string, number> = {};
      for (const who of Object.keys(expected)) actual[who] = (await agents[who].get(path).buffer(true).parse(binary)).status;
      expect(actual).toEqual(expected);
      expect((await agents.otherManager.get(`/calendar.pdf?view=week&date=2026-06-17&unitId=${glicine.id}`)).status).toBe(404);
      expect((await agents.manager.get('/calendar.pdf?view=year')).status).toBe(422);
      expect((await request(t.server).get('/calendar.pdf')).status).toBe(303);
    });

    it('should print the week in seven columns, each activity under its day, with the home name', async () => {
      const { text, pages, response } = await pdf(agents.manager, '/calendar.pdf?view=week&date=2026-06-17');
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(pages).toBe(1);
      expect(text).toContain('Casa Girasole');
      expect(text).toContain('Week of 15–21 June 2026');
      expect(text).toContain('All units');
      expect(text).toContain('Monday 15 June Nothing planned Tuesday 16 June 15:30–16:30 Spring Bingo');
      expect(text).toContain('Thursday 18 June 11:00–12:00 Rose Garden Walk');
      expect(text).toContain('Saturday 20 June 10:00–11:00 Harp Concert');
      expect(text).not.toContain('Cancelled Outing');
      expect(text).not.toContain('Another Home Recital');
    });

    it('should keep to a unit and its whole-home activities when a unit is chosen', async () => {
      const { text } = await pdf(agents.carer, `/calendar.pdf?view=week&date=2026-06-17&unitId=${glicine.id}`);
      expect(text).toContain('Nucleo Glicine · with whole-home activities');
      expect(text).toContain('Spring Bingo');
      expect(text).toContain('Harp Concert');
      expect(text).not.toContain('Rose Garden Walk');
    });

    it('should place activities by the home\'s local date across the turn of a month', async () => {
      const { text } = await pdf(agents.manager, '/calendar.pdf?view=week&date=2026-07-01');
      expect(text).toContain('Week of 29 June – 5 July 2026');
      expect(text).toContain('Tuesday 30 June 23:30–00:30 Midsummer Night Party');
      expect(text).toContain('Wednesday 1 July 00:30–01:30 First of July Breakfast');
    });

    it('should print the month as a grid, each activity under its day number, and leave other months\' days empty', async () => {
      const { text } = await pdf(agents.volunteer, '/calendar.pdf?view=month&date=2026-06-10');
      expect(text).toContain('Casa Girasole');
      expect(text).toContain('June 2026');
      expect(text).toContain('16 15:30 Spring Bingo');
      expect(text).toContain('20 10:00 Harp Concert');
      expect(text).toContain('30 23:30 Midsummer Night Party');
      expect(text).not.toContain('First of July Breakfast');
      expect(text).not.toContain('Cancelled Outing');
    });

    it('should write dates in Italian for an Italian reader', async () => {
      const { text } = await pdf(agents.italian, '/calendar.pdf?view=week&date=2026-06-17');
      expect(text).toContain('Settimana 15–21 giugno 2026');
      expect(text).toContain('Martedì 16 giugno 15:30–16:30 Spring Bingo');
      expect(text).toContain('Tutti i nuclei');
    });

    it('should link to the printable calendar and summaries from the pages', async () => {
      const calendar = (await agents.carer.get(`/calendar?view=month&date=2026-06-10&unitId=${glicine.id}`).expect(200)).text.replace(/&amp;/g, '&');
      expect(calendar).toContain(`href="/calendar.pdf?view=month&date=2026-06-10&unitId=${glicine.id}"`);
      expect((await agents.manager.get(`/residents/${anna.id}`).expect(200)).text).toContain(`href="/residents/${anna.id}/summary.pdf"`);
      expect((await agents.familyFull.get(`/portal/residents/${anna.id}`).expect(200)).text).toContain(`href="/residents/${anna.id}/summary.pdf"`);
    });
  });
});
