import { randomUUID } from 'node:crypto';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { Activity } from '../src/activities/entities/activity.entity';
import { Participation } from '../src/activities/entities/participation.entity';
import { translate } from '../src/common/i18n/i18n';
import { addDays, localToUtc, todayIn } from '../src/common/time/zoned';
import { formatDate } from '../src/common/views/format';
import { Contribution } from '../src/contributions/entities/contribution.entity';
import { ActivityType } from '../src/activities/entities/activity-type.entity';
import { RosterEntry } from '../src/activities/entities/roster-entry.entity';
import { HomesService } from '../src/homes/homes.service';
import { createActivity, createActivityType } from './support/activity-factories';
import { createStaffMember, createVolunteer } from './support/people-factories';
import { createHelpOffer } from './support/voice-factories';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, apiSignIn, formToken, signIn } from './support/http';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';

/** The residents whose tiles the log page shows (the tile template's placeholder is not one). */
function tilesOf(html: string): string[] {
  return [...html.replace(/<template[\s\S]*?<\/template>/g, '').matchAll(/<li class="log-tile"[^>]*>\s*<input type="hidden" name="residentId" value="([^"]+)">/g)].map((m) => m[1]);
}

describe('Logging participation (tablet page and API)', () => {
  let t: TestApp;
  let homeId: string;
  let carer: TestUser;
  let carerAgent: Agent;
  let residents: string[];

  beforeAll(async () => {
    t = await createTestApp();
    homeId = (await createHome(t)).id;
    carer = await createUser(t, { role: 'carer', homeIds: [homeId] });
    carerAgent = await signIn(t, carer.email, carer.password);
    residents = [];
    for (let i = 0; i < 20; i += 1) residents.push((await createResident(t, homeId)).id);
  });

  afterAll(async () => {
    await t.close();
  });

  it('should lead to the day before and after, and offer no Log for an activity more than 12 hours away', async () => {
    const zone = (await t.dataSource.query(`SELECT timezone FROM home WHERE id = '${homeId}'`))[0].timezone as string;
    const inTwoDays = addDays(todayIn(zone), 2);
    const later = await createActivity(t, homeId, { residentIds: residents.slice(0, 2), title: 'Gita al lago', startsAt: localToUtc(inTwoDays, '10:00', zone) });
    const page = (await carerAgent.get(`/today?date=${inTwoDays}`).expect(200)).text;
    expect(page).toContain('Gita al lago');
    expect(page).not.toContain(`href="/activities/${later.id}/log"`);
    expect(page).toContain('Logged on the day');
    expect(page).toContain(`href="/today?date&#x3D;${addDays(inTwoDays, -1)}">← Day before`);
    expect(page).toContain(`href="/today?date&#x3D;${addDays(inTwoDays, 1)}">Day after →`);
    expect(page).toContain('href="/today">Today</a>');
    // The date is said once: the heading, not again beside it.
    expect(page.slice(page.indexOf('<main')).match(new RegExp(formatDate(inTwoDays, 'en'), 'g'))).toHaveLength(1);
  });

  it('should show a carer their own unit by default, and the whole home when "Whole home" is chosen, kept from day to day', async () => {
    const homes = t.get(HomesService);
    const [glicini, rose] = [(await homes.addUnit(null, homeId, { unitName: 'Today Glicini' })).id, (await homes.addUnit(null, homeId, { unitName: 'Today Rose' })).id];
    const staff = await createStaffMember(t, homeId, { unitId: glicini });
    const own = await createUser(t, { role: 'carer', homeIds: [homeId], personKind: 'staff', personId: staff.id });
    const agent = await signIn(t, own.email, own.password);
    const day = '2026-11-30';
    const zone = (await t.dataSource.query(`SELECT timezone FROM home WHERE id = '${homeId}'`))[0].timezone as string;
    await createActivity(t, homeId, { title: 'Glicini bingo', unitId: glicini, startsAt: localToUtc(day, '10:00', zone) });
    await createActivity(t, homeId, { title: 'Rose choir', unitId: rose, startsAt: localToUtc(day, '11:00', zone) });
    await createActivity(t, homeId, { title: 'Garden party', unitId: null, startsAt: localToUtc(day, '15:00', zone) });
    const titles = (html: string) => [...html.matchAll(/<h2>([^<]+)<\/h2>/g)].map((m) => m[1]).filter((title) => ['Glicini bingo', 'Rose choir', 'Garden party'].includes(title));
    const selected = (html: string) => /<option value="([^"]*)" selected>/.exec(html.slice(html.indexOf('id="today-unit"')))?.[1];

    const mine = (await agent.get(`/today?date=${day}`).expect(200)).text;
    expect(titles(mine)).toEqual(['Glicini bingo', 'Garden party']);
    expect(selected(mine)).toBe(glicini);

    const whole = (await agent.get(`/today?date=${day}&unitId=`).expect(200)).text;
    expect(titles(whole)).toEqual(['Glicini bingo', 'Rose choir', 'Garden party']);
    // The select stays on "Whole home", and the day before and after keep it.
    expect(selected(whole)).toBe('');
    expect(whole).toContain(`<option value="" selected>${translate('en', 'activities.wholeHome')}</option>`);
    expect(whole).toContain(`href="/today?date&#x3D;${addDays(day, -1)}&amp;unitId&#x3D;">`);
    expect(whole).toContain(`href="/today?date&#x3D;${addDays(day, 1)}&amp;unitId&#x3D;">`);
    expect(whole).toContain('href="/today?unitId&#x3D;">');

    const other = (await agent.get(`/today?date=${day}&unitId=${rose}`).expect(200)).text;
    expect(titles(other)).toEqual(['Rose choir', 'Garden party']);
    expect(selected(other)).toBe(rose);
    await agent.get(`/today?date=${day}&unitId=not-a-unit`).expect(422);
  });

  it('should list today\'s activities and log them from the form, one row per resident', async () => {
    const activity = await createActivity(t, homeId, { residentIds: residents.slice(0, 3), title: 'Tombola' });
    const today = await carerAgent.get('/today').expect(200);
    expect(today.text).toContain('Tombola');
    const page = await carerAgent.get(`/activities/${activity.id}/log`).expect(200);
    expect(tilesOf(page.text)).toEqual(residents.slice(0, 3));
    const token = await formToken(carerAgent, `/activities/${activity.id}/log`);
    const res = await carerAgent.post(`/activities/${activity.id}/log`).type('form').send(
      `_csrf=${token}&residentId=${residents[0]}&engagement=active&moodBefore=3&moodAfter=5&familyNote=Sang+every+song&staffNote=&` +
        `residentId=${residents[1]}&engagement=passive&moodBefore=&moodAfter=&familyNote=&staffNote=Tired&` +
        `residentId=${residents[2]}&engagement=&moodBefore=&moodAfter=&familyNote=&staffNote=&complete=1`,
    );
    expect(res.status).toBe(303);
    const rows = await t.dataSource.getRepository(Participation).find({ where: { activityId: activity.id }, order: { engagement: 'ASC' } });
    expect(rows.map((r) => [r.residentId, r.engagement, r.moodBefore, r.moodAfter, r.familyNote, r.staffNote])).toEqual([
      [residents[0], 'active', 3, 5, 'Sang every song', null],
      [residents[1], 'passive', null, null, null, 'Tired'],
    ]);
    expect((await t.dataSource.getRepository(Activity).findOneByOrFail({ id: activity.id })).status).toBe('completed');
    expect((await carerAgent.get('/today').expect(200)).text).toContain('Saved and marked as held: 2 residents logged.');
    // Saved again, held already, without asking to mark it: a plain "Saved", not "marked as held".
    const again = await formToken(carerAgent, `/activities/${activity.id}/log`);
    await carerAgent.post(`/activities/${activity.id}/log`).type('form')
      .send(`_csrf=${again}&residentId=${residents[0]}&engagement=passive&moodBefore=&moodAfter=&familyNote=&staffNote=`).expect(303);
    const told = /<p class="notice notice-success"[^>]*>([^<]*)<\/p>/.exec((await carerAgent.get('/today').expect(200)).text)![1];
    expect(told).toMatch(/^Saved: \d+ residents? logged\.$/);
  });

  it('should show a log with nobody invited as a thing to do, with no Save and no "everyone took part"', async () => {
    const activity = await createActivity(t, homeId, { title: 'Nobody yet' });
    const page = await carerAgent.get(`/activities/${activity.id}/log`).expect(200);
    expect(page.text).toContain(translate('en', 'activities.emptyRoster'));
    // The log's controls are there, hidden, for the residents the page adds in place; no Save is shown.
    expect(page.text).toContain('<div class="toolbar log-actions" data-log-controls hidden>');
    expect(page.text).toMatch(/<div data-log-controls hidden>\s*<p class="hint" id="log-help">/);
    expect(tilesOf(page.text)).toEqual([]);
    // Residents are added right there, in bulk, and without a script by the same form.
    expect(page.text).toContain(`action="/activities/${activity.id}/log/residents"`);
    expect(page.text).toContain('name="scope" value="likes"');
    expect(page.text).toContain(`<template id="log-tile-template">`);
  });

  it('should say on the tile that a resident is on leave, tell the carer "everyone took part" passes them by, and still take an entry for them', async () => {
    const away = await createResident(t, homeId, { status: 'on_leave' });
    const activity = await createActivity(t, homeId, { residentIds: [residents[0], away.id], title: 'Away today' });
    const page = (await carerAgent.get(`/activities/${activity.id}/log`).expect(200)).text;
    expect(tilesOf(page).sort()).toEqual([residents[0], away.id].sort());
    const tileOf = (id: string) => page.slice(page.lastIndexOf('<li class="log-tile"', page.indexOf(`name="residentId" value="${id}"`)), page.indexOf('</li>', page.indexOf(`name="residentId" value="${id}"`)));
    expect(tileOf(away.id)).toMatch(/^<li class="log-tile" data-engagement="" data-on-leave>/);
    expect(tileOf(away.id)).toContain(`<span class="log-away">${translate('en', 'activities.onLeave')}</span>`);
    expect(tileOf(residents[0])).not.toContain('data-on-leave');
    expect(tileOf(residents[0])).not.toContain('log-away');
    expect(page).toContain(`<p class="hint" data-on-leave-hint>${translate('en', 'activities.everyoneSkipsOnLeave')}</p>`);
    // Back for the day: the carer taps their tile, and the save is taken.
    const { agent, csrfToken } = await apiSignIn(t, carer.email, carer.password);
    await agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', randomUUID())
      .send({ entries: [{ residentId: away.id, engagement: 'active' }] }).expect(200);
    expect((await t.dataSource.getRepository(Participation).findOneByOrFail({ activityId: activity.id, residentId: away.id })).engagement).toBe('active');
    // Nobody on leave: no hint.
    const plain = await createActivity(t, homeId, { residentIds: residents.slice(0, 1) });
    expect((await carerAgent.get(`/activities/${plain.id}/log`).expect(200)).text).not.toContain('data-on-leave');
  });

  it('should read the mood faces (a radio group per tile) with the rest of the form, and refuse a group for a resident not in the form', async () => {
    const activity = await createActivity(t, homeId, { residentIds: residents.slice(0, 3) });
    const page = await carerAgent.get(`/activities/${activity.id}/log`).expect(200);
    expect(page.text).toContain(`name="moodBefore-${residents[0]}" value="4"`);
    expect(page.text).not.toContain('<select id="mood-before-');
    const token = await formToken(carerAgent, `/activities/${activity.id}/log`);
    // As a browser sends it: every group sends its checked radio ("" is "not noted"), in page order.
    const form = (pairs: [string, string][]) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    const tile = (id: string, engagement: string, before: string, after: string, familyNote = '', staffNote = ''): [string, string][] => [
      ['residentId', id], ['engagement', engagement], [`moodBefore-${id}`, before], [`moodAfter-${id}`, after], ['familyNote', familyNote], ['staffNote', staffNote],
    ];
    // A mood typed for someone with no way of taking part chosen is not dropped without a word: the form comes back.
    const dropped = await carerAgent.post(`/activities/${activity.id}/log`).type('form')
      .send(form([['_csrf', token], ...tile(residents[0], 'active', '2', '5', 'Danced'), ...tile(residents[2], '', '4', '')]));
    expect(dropped.status).toBe(422);
    expect(dropped.text).toContain('A resident has a mood or a note but no way of taking part chosen');
    expect(await t.dataSource.getRepository(Participation).countBy({ activityId: activity.id })).toBe(0);
    await carerAgent.post(`/activities/${activity.id}/log`).type('form')
      .send(form([['_csrf', token], ...tile(residents[0], 'active', '2', '5', 'Danced'), ...tile(residents[1], 'declined', '', '3'), ...tile(residents[2], '', '', '')]))
      .expect(303);
    const rows = await t.dataSource.getRepository(Participation).find({ where: { activityId: activity.id }, order: { engagement: 'ASC' } });
    expect(rows.map((r) => [r.residentId, r.engagement, r.moodBefore, r.moodAfter, r.familyNote])).toEqual([
      [residents[0], 'active', 2, 5, 'Danced'],
      [residents[1], 'declined', null, 3, null],
    ]);
    // The saved moods come back checked.
    const again = (await carerAgent.get(`/activities/${activity.id}/log`).expect(200)).text;
    expect(again).toContain(`name="moodBefore-${residents[0]}" value="2" checked`);
    expect(again).toContain(`name="moodAfter-${residents[1]}" value="3" checked`);
    expect(again).toContain(`name="moodBefore-${residents[1]}" value="" checked`);

    // A group for someone not in the form, or a mood out of range: a field error, never a 500, nothing stored.
    const stranger = randomUUID();
    for (const body of [
      form([['_csrf', token], ...tile(residents[0], 'passive', '1', ''), [`moodAfter-${stranger}`, '3']]),
      form([['_csrf', token], ...tile(residents[0], 'passive', '9', '')]),
    ]) {
      const res = await carerAgent.post(`/activities/${activity.id}/log`).type('form').send(body);
      expect(res.status).toBe(422);
      expect(res.text).toContain('role="alert"');
    }
    expect((await t.dataSource.getRepository(Participation).findOneByOrFail({ activityId: activity.id, residentId: residents[0] })).engagement).toBe('active');
  });

  describe('adding residents in bulk without a script', () => {
    let unitId: string;
    let inUnit: string[];
    let musical: string[];
    let others: string[];

    beforeAll(async () => {
      unitId = (await t.get(HomesService).addUnit(null, homeId, { unitName: 'Glicini' })).id;
      inUnit = [];
      for (let i = 0; i < 4; i += 1) inUnit.push((await createResident(t, homeId, { unitId, interests: ['cards'] })).id);
      // One likes the type's name, one the title's word; matching ignores case.
      musical = [(await createResident(t, homeId, { interests: ['gardening', 'Music'] })).id, (await createResident(t, homeId, { interests: ['concert'] })).id];
      others = [(await createResident(t, homeId, { interests: [] })).id];
    });

    async function musicActivity(residentIds: string[] = []): Promise<Activity> {
      const type = await createActivityType(t, homeId, { name: `Music ${randomUUID().slice(0, 6)}` });
      return createActivity(t, homeId, { activityTypeId: type.id, title: 'Afternoon concert', unitId, residentIds });
    }

    const roster = async (activityId: string) => (await t.dataSource.getRepository(RosterEntry).findBy({ activityId })).map((e) => e.residentId).sort();

    it('should offer the whole unit and those who like the type, counted, and a list of everyone not invited', async () => {
      const activity = await musicActivity([inUnit[0]]);
      const page = (await carerAgent.get(`/activities/${activity.id}/log`).expect(200)).text;
      expect(page).toContain(translate('en', 'activities.addWholeUnitNamed', { unit: 'Glicini', n: 3 }));
      const type = await t.dataSource.getRepository(ActivityType).findOneByOrFail({ id: activity.activityTypeId });
      expect(page).toContain(translate('en', 'activities.addThoseWhoLike', { type: type.name, n: 2 }));
      const options = [...page.matchAll(/<li class="checkbox" data-add-option data-id="([^"]+)"[^>]*>/g)];
      expect(options.map((m) => m[1])).not.toContain(inUnit[0]);
      for (const id of [...inUnit.slice(1), ...musical, ...others]) expect(options.map((m) => m[1])).toContain(id);
      const flags = Object.fromEntries(options.map((m) => [m[1], [m[0].includes('data-unit="1"'), m[0].includes('data-likes="1"')]]));
      expect(flags[inUnit[1]]).toEqual([true, false]);
      expect(flags[musical[0]]).toEqual([false, true]);
      expect(flags[others[0]]).toEqual([false, false]);
    });

    it('should add several ticked residents, the whole unit, or those who like the type, audited, and return to the log', async () => {
      const activity = await musicActivity();
      const token = await formToken(carerAgent, `/activities/${activity.id}/log`);
      const post = (body: string) => carerAgent.post(`/activities/${activity.id}/log/residents`).type('form').send(`_csrf=${token}&${body}`);

      const ticked = await post(`residentId=${others[0]}&residentId=${musical[1]}`).expect(303);
      expect(ticked.headers.location).toBe(`/activities/${activity.id}/log`);
      expect(await roster(activity.id)).toEqual([others[0], musical[1]].sort());
      await post('scope=unit').expect(303);
      expect(await roster(activity.id)).toEqual([others[0], musical[1], ...inUnit].sort());
      await post('scope=likes').expect(303);
      expect(await roster(activity.id)).toEqual([others[0], ...musical, ...inUnit].sort());
      const audits = await t.dataSource.getRepository(AuditEntry).find({ where: { entityType: 'activity', entityId: activity.id }, order: { seq: 'ASC' } });
      expect(audits.map((a) => a.changes)).toEqual([{ roster: { old: null, new: '+2' } }, { roster: { old: null, new: '+4' } }, { roster: { old: null, new: '+1' } }]);
      const page = (await carerAgent.get(`/activities/${activity.id}/log`).expect(200)).text;
      expect(page).toContain(translate('en', 'activities.residentsAdded', { n: 1 }));
      expect(tilesOf(page).sort()).toEqual([others[0], ...musical, ...inUnit].sort());
    });

    it('should refuse unknown ids, ids from another home and nothing chosen with a field error, keeping what was ticked', async () => {
      const activity = await musicActivity();
      const elsewhere = await createResident(t, (await createHome(t)).id);
      const token = await formToken(carerAgent, `/activities/${activity.id}/log`);
      const post = (body: string) => carerAgent.post(`/activities/${activity.id}/log/residents`).type('form').send(`_csrf=${token}&${body}`);
      for (const intruder of [elsewhere.id, randomUUID()]) {
        const res = await post(`residentId=${others[0]}&residentId=${intruder}`);
        expect(res.status).toBe(422);
        expect(res.text).toContain(`<p class="field-error" id="error-residentIds" role="alert">${translate('en', 'activities.unknownResident')}</p>`);
        expect(res.text).toContain(`id="add-${others[0]}" name="residentId" value="${others[0]}" checked`);
        expect(res.text).not.toContain(elsewhere.lastName);
      }
      const notAnId = await post(`residentId=${others[0]}&residentId=42`);
      expect(notAnId.status).toBe(422);
      expect(notAnId.text).toContain('id="error-residentId"');
      const nothing = await post('');
      expect(nothing.status).toBe(422);
      expect(nothing.text).toContain(translate('en', 'activities.chooseResidents'));
      expect((await post('scope=everyone')).status).toBe(422);
      expect(await roster(activity.id)).toEqual([]);
    });

    it('should show a volunteer no mood and notes, no bulk add, and refuse their bulk add', async () => {
      const volunteer = await createVolunteer(t, homeId);
      const user = await createUser(t, { role: 'volunteer', homeIds: [homeId], personKind: 'volunteer', personId: volunteer.id });
      const activity = await musicActivity([inUnit[0]]);
      await createHelpOffer(t, activity, { volunteerId: volunteer.id });
      const agent = await signIn(t, user.email, user.password);
      const page = (await agent.get(`/activities/${activity.id}/log`).expect(200)).text;
      expect(tilesOf(page)).toEqual([inUnit[0]]);
      expect(page).not.toContain('log-details');
      expect(page).not.toContain('moodBefore-');
      expect(page).not.toContain('/log/residents');
      expect(page).not.toContain('data-add-option');
      const token = await formToken(agent, `/activities/${activity.id}/log`);
      for (const body of [`residentId=${others[0]}`, 'scope=unit', 'scope=likes']) {
        expect((await agent.post(`/activities/${activity.id}/log/residents`).type('form').send(`_csrf=${token}&${body}`)).status).toBe(404);
      }
      expect(await roster(activity.id)).toEqual([inUnit[0]]);
    });
  });

  it('should audit a later edit with old and new values', async () => {
    const activity = await createActivity(t, homeId, { residentIds: residents.slice(0, 1) });
    const { agent, csrfToken } = await apiSignIn(t, carer.email, carer.password);
    const put = (engagement: string) =>
      agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', randomUUID())
        .send({ entries: [{ residentId: residents[0], engagement }] });
    await put('active').expect(200);
    await put('declined').expect(200);
    const entries = await t.dataSource.getRepository(AuditEntry).find({ where: { entityType: 'participation', entityId: activity.id }, order: { seq: 'ASC' } });
    expect(entries.map((e) => e.action)).toEqual(['create', 'update']);
    expect(entries[1].changes).toEqual({ [`${residents[0]}.engagement`]: { old: 'active', new: 'declined' } });
  });

  it('should answer a replayed save with the first answer and write nothing twice; refuse the key with another body', async () => {
    const activity = await createActivity(t, homeId, { residentIds: residents.slice(0, 2) });
    const { agent, csrfToken } = await apiSignIn(t, carer.email, carer.password);
    const key = randomUUID();
    const body = { entries: [{ residentId: residents[0], engagement: 'active', moodAfter: 4 }, { residentId: residents[1], engagement: 'absent' }], complete: true };
    const first = await agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', key).send(body).expect(200);
    expect(first.body).toMatchObject({ status: 'completed', saved: 2 });
    const auditBefore = await t.dataSource.getRepository(AuditEntry).count();
    const replay = await agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', key).send(body).expect(200);
    expect(replay.body).toEqual(first.body);
    expect(await t.dataSource.getRepository(AuditEntry).count()).toBe(auditBefore);
    const other = await agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', key)
      .send({ entries: [{ residentId: residents[0], engagement: 'declined' }] });
    expect(other.status).toBe(422);
    expect(other.body.fields).toHaveProperty('Idempotency-Key');
    const missing = await agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', csrfToken).send(body);
    expect(missing.status).toBe(422);
    expect(await t.dataSource.getRepository(Participation).countBy({ activityId: activity.id })).toBe(2);
  });

  it('should take 32 concurrent saves of one activity with no error and one row per resident', async () => {
    const activity = await createActivity(t, homeId, { residentIds: residents });
    const clients = await Promise.all(Array.from({ length: 4 }, () => apiSignIn(t, carer.email, carer.password)));
    const engagements = ['active', 'passive', 'disengaged', 'declined', 'absent'];
    const responses = await Promise.all(
      Array.from({ length: 32 }, (_, i) => {
        const { agent, csrfToken } = clients[i % clients.length];
        return agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', randomUUID())
          .send({ entries: residents.map((residentId, r) => ({ residentId, engagement: engagements[(i + r) % 5] })) });
      }),
    );
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
    expect(await t.dataSource.getRepository(Participation).countBy({ activityId: activity.id })).toBe(20);
  });

  it('should refuse bad entries with the field at fault and store nothing', async () => {
    const activity = await createActivity(t, homeId, { residentIds: residents.slice(0, 1) });
    const elsewhere = await createResident(t, (await createHome(t)).id);
    const { agent, csrfToken } = await apiSignIn(t, carer.email, carer.password);
    const send = (body: unknown) => agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', randomUUID()).send(body as object);
    expect((await send({ entries: [{ residentId: residents[0], engagement: 'ecstatic' }] })).body.fields).toHaveProperty(['entries.0.engagement']);
    expect((await send({ entries: [{ residentId: residents[0], engagement: 'active', moodBefore: 9 }] })).status).toBe(422);
    expect((await send({ entries: [] })).status).toBe(422);
    expect((await send({ entries: [{ residentId: elsewhere.id, engagement: 'active' }] })).status).toBe(422);
    expect(await t.dataSource.getRepository(Participation).countBy({ activityId: activity.id })).toBe(0);
  });

  it('should let a family member log nothing, and a volunteer only activities they are confirmed to help with', async () => {
    const activity = await createActivity(t, homeId, { residentIds: residents.slice(0, 1) });
    const volunteer = await createUser(t, { role: 'volunteer', homeIds: [homeId] });
    const { agent, csrfToken } = await apiSignIn(t, volunteer.email, volunteer.password);
    await agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', csrfToken).set('Idempotency-Key', randomUUID())
      .send({ entries: [{ residentId: residents[0], engagement: 'active' }] }).expect(404);
    const family = await createUser(t, { role: 'family', homeIds: [homeId] });
    const fam = await apiSignIn(t, family.email, family.password);
    await fam.agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', fam.csrfToken).set('Idempotency-Key', randomUUID())
      .send({ entries: [{ residentId: residents[0], engagement: 'active' }] }).expect(404);
    expect(await t.dataSource.getRepository(Contribution).count()).toBe(0);
  });
});
