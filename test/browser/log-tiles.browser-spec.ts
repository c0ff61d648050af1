import { DateTime } from 'luxon';
import type { Browser, Locator, Page } from 'playwright-core';
import { Activity } from '../../src/activities/entities/activity.entity';
import { Participation } from '../../src/activities/entities/participation.entity';
import { RosterEntry } from '../../src/activities/entities/roster-entry.entity';
import { Resident } from '../../src/residents/entities/resident.entity';
import { HomesService } from '../../src/homes/homes.service';
import { createActivity, createActivityType } from '../support/activity-factories';
import { accessibilityViolations, describeInBrowser, launchBrowser, listen, openPage, overflowsHorizontally, signInAs, smallTouchTargets, submitAndLoad } from '../support/browser';
import { createHome, createUser, TestUser } from '../support/factories';
import { createResident } from '../support/resident-factories';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Issue 15 item 5, faster and clearer tiles: a unit's 12 residents, none invited yet, logged as took
 * part in at most 6 taps; any resident to any state in at most 2 (the picker, by "Choose" or by
 * press and hold); moods as faces; residents added in place from a searchable list; the log's
 * script API for the offline layer. Every tap on the log page goes through TapCounter.
 */

const VIEWPORTS = [
  { width: 1024, height: 768 },
  { width: 800, height: 1280 },
];
const ZONE = 'Europe/Rome';
const STATES = [
  ['active', 'Took part'], ['passive', 'Watched, listened'], ['disengaged', 'Present, not engaged'], ['declined', 'Declined'], ['absent', 'Absent'],
] as const;

class TapCounter {
  count = 0;
  async tap(target: Locator): Promise<void> {
    this.count += 1;
    await target.tap();
  }
}

describeInBrowser('Tablet log tiles in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let homeId: string;
  let carer: TestUser;
  const measured: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    baseUrl = await listen(t);
    homeId = (await createHome(t, { timezone: ZONE })).id;
    carer = await createUser(t, { role: 'carer', homeIds: [homeId], displayName: 'Anna Carer', locale: 'en' });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    if (measured.length > 0) console.log(`Taps on the tablet log page:\n${measured.join('\n')}`);
    await browser?.close();
    await t?.close();
  });

  /** An activity a few minutes ago in a unit of its own, with the given roster, and `count` residents of the unit not invited. */
  async function unitActivity(title: string, count: number, roster: number): Promise<{ activity: Activity; uninvited: string[]; invited: string[] }> {
    const tag = `${title.replace(/\W/g, '')}${Math.random().toString(36).slice(2, 6)}`;
    const unitId = (await t.get(HomesService).addUnit(null, homeId, { unitName: `Girasoli ${title}` })).id;
    const uninvited: string[] = [];
    const invited: string[] = [];
    for (let i = 0; i < count; i += 1) uninvited.push((await createResident(t, homeId, { unitId, firstName: `Ada${i}`, lastName: `${tag}${i}`, interests: [] })).id);
    for (let i = 0; i < roster; i += 1) invited.push((await createResident(t, homeId, { unitId, firstName: `Bice${i}`, lastName: `${tag}R${i}`, interests: [] })).id);
    const now = DateTime.now().setZone(ZONE);
    const startsAt = DateTime.max(now.minus({ minutes: 5 }), now.startOf('day').plus({ seconds: 30 }));
    const type = await createActivityType(t, homeId, { name: `Bowls ${tag}` });
    const activity = await createActivity(t, homeId, { title, activityTypeId: type.id, unitId, startsAt: startsAt.toJSDate(), residentIds: invited });
    return { activity, uninvited, invited };
  }

  async function openLog(page: Page, activity: Activity): Promise<void> {
    await signInAs(page, baseUrl, carer.email, carer.password);
    await page.goto(`${baseUrl}/activities/${activity.id}/log`);
    await page.locator('h1', { hasText: activity.title }).waitFor();
  }

  function tile(page: Page, residentId: string): Locator {
    return page.locator(`.log-tiles .log-tile:has(input[name=residentId][value="${residentId}"])`);
  }

  async function expectUsable(page: Page, where: string): Promise<void> {
    expect({ where, overflow: await overflowsHorizontally(page) }).toEqual({ where, overflow: false });
    expect({ where, small: await smallTouchTargets(page) }).toEqual({ where, small: [] });
    expect({ where, violations: await accessibilityViolations(page) }).toEqual({ where, violations: [] });
  }

  const heights = (page: Page) => page.$$eval('.log-tiles .log-tile-button', (buttons) => buttons.map((b) => Math.round(b.getBoundingClientRect().height)));

  it.each(VIEWPORTS)('should log 12 residents of the unit, none invited yet, as took part in 3 taps, at $width x $height', async (viewport) => {
    const { activity, uninvited } = await unitActivity(`Bowls ${viewport.width}`, 12, 0);
    // Someone of another unit, not added by "the whole unit".
    const elsewhere = await createResident(t, homeId, { interests: [] });
    const page = await openPage(browser, viewport);
    try {
      await openLog(page, activity);
      const taps = new TapCounter();
      // An empty log says what to do, with no Save, and offers the bulk add right there.
      await expect(page.locator('[data-log-empty]').isVisible()).resolves.toBe(true);
      await expect(page.getByRole('button', { name: 'Save', exact: true }).isVisible()).resolves.toBe(false);
      await expect(page.getByRole('button', { name: 'Everyone took part' }).isVisible()).resolves.toBe(false);
      await expectUsable(page, 'empty log');

      const requests: string[] = [];
      // (Taps count as use: the keep-alive, GET /api/session at most once a minute, is no request to add anyone.)
      page.on('request', (r) => { if ((r.resourceType() === 'document' || r.resourceType() === 'fetch') && !r.url().endsWith('/api/session')) requests.push(r.url()); });
      await taps.tap(page.getByRole('button', { name: `Add the whole unit, Girasoli ${activity.title} (12)` }));
      await expect(page.locator('.log-tiles .log-tile').count()).resolves.toBe(12);
      // Added in place: no page load, no request.
      expect(requests).toEqual([]);
      await expect(page.locator('[data-log-empty]').isVisible()).resolves.toBe(false);
      await expect(page.locator('[data-log-count]').innerText()).resolves.toBe('0 / 12');
      await expect(page.locator(`[data-add-option][data-id="${elsewhere.id}"]`).count()).resolves.toBe(1);
      await expect(page.getByRole('button', { name: /^Add the whole unit/ }).isVisible()).resolves.toBe(false);
      await expectUsable(page, 'after adding the unit');

      await taps.tap(page.getByRole('button', { name: 'Everyone took part' }));
      await expect(page.locator('[data-log-count]').innerText()).resolves.toBe('12 / 12');
      // "Mood and notes" opened under one tile leaves the others' height alone.
      const before = await heights(page);
      await page.locator('.log-tiles .log-tile >> nth=0').locator('summary').tap();
      const after = await heights(page);
      expect(after.slice(1)).toEqual(before.slice(1));
      await expectUsable(page, 'mood and notes open');
      await page.locator('.log-tiles .log-tile >> nth=0').locator('summary').tap();
      // The last tile's panel, opened by the sticky Save bar, is brought into view above it: its first
      // mood faces are not under "Save and mark as held".
      const last = page.locator('.log-tiles .log-tile').last();
      await last.locator('summary').tap();
      await page.waitForFunction(() => {
        const open = [...document.querySelectorAll('.log-tile details[open]')].pop();
        const face = open?.querySelector('.mood-face')?.getBoundingClientRect();
        const bar = document.querySelector('.log-actions')!.getBoundingClientRect();
        return face !== undefined && face.bottom <= bar.top;
      });
      await last.locator('summary').tap();

      await Promise.all([page.waitForURL(`${baseUrl}/today`), taps.tap(page.getByRole('button', { name: 'Save and mark as held' }))]);
      measured.push(`  12 uninvited: whole unit, everyone, save and mark as held, ${viewport.width}x${viewport.height}: ${taps.count}`);
      expect(taps.count).toBeLessThanOrEqual(6);
      expect(taps.count).toBe(3);

      const rows = await t.dataSource.getRepository(Participation).findBy({ activityId: activity.id });
      expect(rows.map((r) => r.residentId).sort()).toEqual([...uninvited].sort());
      for (const r of rows) expect([r.engagement, r.recordedBy, r.moodBefore, r.moodAfter, r.staffNote, r.familyNote]).toEqual(['active', carer.id, null, null, null, null]);
      const roster = await t.dataSource.getRepository(RosterEntry).findBy({ activityId: activity.id });
      expect(roster.map((e) => e.residentId).sort()).toEqual([...uninvited].sort());
      expect((await t.dataSource.getRepository(Activity).findOneByOrFail({ id: activity.id })).status).toBe('completed');
    } finally {
      await page.context().close();
    }
  }, 90_000);

  it('should leave a resident on leave out of "Everyone took part", saying so on the tile, and log them when tapped', async () => {
    const { activity, invited } = await unitActivity('Away bowls', 0, 3);
    await t.dataSource.getRepository(Resident).update({ id: invited[1] }, { status: 'on_leave' });
    const page = await openPage(browser, { width: 800, height: 1280 });
    try {
      await openLog(page, activity);
      await expect(tile(page, invited[1]).locator('.log-away').innerText()).resolves.toBe('On leave');
      await expect(tile(page, invited[0]).locator('.log-away').count()).resolves.toBe(0);
      await expect(tile(page, invited[1]).locator('.log-tile-button').getAttribute('aria-label')).resolves.toMatch(/^Bice1, On leave: Not logged$/);
      await expect(page.locator('[data-on-leave-hint]').isVisible()).resolves.toBe(true);
      await expectUsable(page, 'a resident on leave');
      await page.getByRole('button', { name: 'Everyone took part' }).tap();
      await expect(page.locator('[data-log-count]').innerText()).resolves.toBe('2 / 3');
      await expect(tile(page, invited[0]).locator('[data-state-label]').innerText()).resolves.toBe('Took part');
      await expect(tile(page, invited[2]).locator('[data-state-label]').innerText()).resolves.toBe('Took part');
      await expect(tile(page, invited[1]).locator('[data-state-label]').innerText()).resolves.toBe('Not logged');
      await expect(page.evaluate((id) => (window as unknown as { InsiemeLog: { entry(id: string): { engagement: string } } }).InsiemeLog.entry(id).engagement, invited[1])).resolves.toBe('');
      // Back for the day: a tap on their tile logs them, and the save takes it.
      await tile(page, invited[1]).locator('.log-tile-button').tap();
      await expect(tile(page, invited[1]).locator('[data-state-label]').innerText()).resolves.toBe('Took part');
      await Promise.all([page.waitForURL(`${baseUrl}/today`), page.getByRole('button', { name: 'Save', exact: true }).tap()]);
      const rows = await t.dataSource.getRepository(Participation).findBy({ activityId: activity.id });
      expect(rows.map((r) => [r.residentId, r.engagement]).sort()).toEqual(invited.map((id) => [id, 'active']).sort());
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it.each(VIEWPORTS)('should put any resident in any state in 2 taps with the picker, or by press and hold, at $width x $height', async (viewport) => {
    const { activity, invited } = await unitActivity(`Quiz ${viewport.width}`, 0, 6);
    const page = await openPage(browser, viewport);
    try {
      await openLog(page, activity);
      const dialog = page.getByRole('dialog');
      const boxes = await heights(page);
      // Each of the five states, from "not logged", in two taps: "Choose", then the state.
      for (const [i, [state, label]] of STATES.entries()) {
        const taps = new TapCounter();
        const choose = tile(page, invited[i]).locator('[data-choose]');
        await taps.tap(choose);
        await expect(dialog.isVisible()).resolves.toBe(true);
        await expect(dialog.getByRole('heading').innerText()).resolves.toMatch(/^How did Bice\d take part\?$/);
        if (i === 0) await expectUsable(page, 'picker open');
        await taps.tap(dialog.getByRole('button', { name: label, exact: true }));
        await expect(dialog.isVisible()).resolves.toBe(false);
        await expect(tile(page, invited[i]).getAttribute('data-engagement')).resolves.toBe(state);
        await expect(tile(page, invited[i]).locator('[data-state-label]').innerText()).resolves.toBe(label);
        await expect(tile(page, invited[i]).locator('.log-tile-icon use').getAttribute('href')).resolves.toBe(`/static/img/log.svg#state-${state}`);
        // Focus goes back to where the carer was.
        await expect(choose.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
        measured.push(`  one resident to ${state}, ${viewport.width}x${viewport.height}: ${taps.count}`);
        expect(taps.count).toBeLessThanOrEqual(2);
      }
      expect(await heights(page)).toEqual(boxes);

      // The picker shows the tile's state; Escape closes it with nothing changed.
      await tile(page, invited[3]).locator('[data-choose]').tap();
      await expect(dialog.getByRole('button', { name: 'Declined', exact: true }).getAttribute('aria-pressed')).resolves.toBe('true');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Escape');
      await expect(dialog.isVisible()).resolves.toBe(false);
      await expect(tile(page, invited[3]).getAttribute('data-engagement')).resolves.toBe('declined');

      // Press and hold on the tile opens the picker too, and the release does not also cycle the tile.
      const held = tile(page, invited[5]).locator('.log-tile-button');
      await held.scrollIntoViewIfNeeded();
      const box = (await held.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await dialog.waitFor({ state: 'visible' });
      await page.mouse.up();
      await expect(tile(page, invited[5]).getAttribute('data-engagement')).resolves.toBe('');
      await dialog.getByRole('button', { name: 'Absent', exact: true }).tap();
      await expect(tile(page, invited[5]).getAttribute('data-engagement')).resolves.toBe('absent');
      // A plain tap still cycles: absent wraps round to took part.
      await held.tap();
      await expect(tile(page, invited[5]).getAttribute('data-engagement')).resolves.toBe('active');

      // Mood as faces: the group's radios are named by the face they show.
      await tile(page, invited[0]).locator('summary').tap();
      await tile(page, invited[0]).getByRole('group', { name: 'Mood after' }).getByRole('radio', { name: '4 – good' }).check();
      await tile(page, invited[0]).getByRole('group', { name: 'Mood before' }).getByRole('radio', { name: '2 – low' }).check();
      // Each face's name shows under the faces once chosen.
      await expect(tile(page, invited[0]).locator('[data-mood="moodAfter"] [data-mood-chosen]').innerText()).resolves.toBe('4 – good');
      await expect(tile(page, invited[0]).locator('[data-mood="moodBefore"] [data-mood-chosen]').innerText()).resolves.toBe('2 – low');
      await expectUsable(page, 'moods chosen');

      await Promise.all([page.waitForURL(`${baseUrl}/today`), page.getByRole('button', { name: 'Save', exact: true }).tap()]);
      const rows = await t.dataSource.getRepository(Participation).findBy({ activityId: activity.id });
      expect(Object.fromEntries(rows.map((r) => [r.residentId, [r.engagement, r.moodBefore, r.moodAfter]]))).toEqual({
        [invited[0]]: ['active', 2, 4], [invited[1]]: ['passive', null, null], [invited[2]]: ['disengaged', null, null],
        [invited[3]]: ['declined', null, null], [invited[4]]: ['absent', null, null], [invited[5]]: ['active', null, null],
      });
    } finally {
      await page.context().close();
    }
  }, 90_000);

  it('should add residents and log them without a script: the list posts, the log comes back with their tiles', async () => {
    const { activity, uninvited } = await unitActivity('Reading', 3, 0);
    const context = await browser.newContext({ viewport: VIEWPORTS[0], hasTouch: true, javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    try {
      await openLog(page, activity);
      await expect(page.getByLabel('Find by name').isVisible()).resolves.toBe(false);
      await page.locator(`[data-add-option][data-id="${uninvited[0]}"] input`).check();
      await page.locator(`[data-add-option][data-id="${uninvited[2]}"] input`).check();
      await submitAndLoad(page, () => page.getByRole('button', { name: 'Add chosen' }).click(), `${baseUrl}/activities/${activity.id}/log`);
      await expect(page.locator('main .notice-success').innerText()).resolves.toBe('Added to the log: 2.');
      await expect(page.locator('.log-tiles .log-tile').count()).resolves.toBe(2);
      // The engagement select is the control without a script; the picker and its buttons are not shown.
      await expect(page.locator('[data-choose]').first().isVisible()).resolves.toBe(false);
      await tile(page, uninvited[0]).getByLabel(/^How Ada0 took part$/).selectOption('declined');
      await tile(page, uninvited[2]).getByLabel(/^How Ada2 took part$/).selectOption('active');
      await tile(page, uninvited[2]).locator('summary').click();
      await tile(page, uninvited[2]).getByRole('group', { name: 'Mood after' }).getByRole('radio', { name: '5 – very good' }).check();
      await Promise.all([page.waitForURL(`${baseUrl}/today`), page.getByRole('button', { name: 'Save', exact: true }).click()]);
      const rows = await t.dataSource.getRepository(Participation).findBy({ activityId: activity.id });
      expect(Object.fromEntries(rows.map((r) => [r.residentId, [r.engagement, r.moodAfter]]))).toEqual({ [uninvited[0]]: ['declined', null], [uninvited[2]]: ['active', 5] });
    } finally {
      await context.close();
    }
  }, 90_000);

  it('should add residents ticked in a searchable list in place, and drive the log through window.InsiemeLog', async () => {
    const { activity, uninvited, invited } = await unitActivity('Crafts', 10, 1);
    const page = await openPage(browser, VIEWPORTS[1]);
    try {
      await openLog(page, activity);
      const search = page.getByLabel('Find by name');
      await expect(search.isVisible()).resolves.toBe(true);
      const lastName = (id: string) => page.locator(`[data-add-option][data-id="${id}"]`).getAttribute('data-full-name');
      await search.fill(((await lastName(uninvited[3])) ?? '').split(' ')[1]);
      await expect(page.locator('[data-add-option]:visible').count()).resolves.toBe(1);
      await page.locator(`[data-add-option][data-id="${uninvited[3]}"] input`).check();
      await search.fill('');
      await page.locator(`[data-add-option][data-id="${uninvited[7]}"] input`).check();
      await expectUsable(page, 'list ticked');

      await page.evaluate(() => {
        const w = window as unknown as { heard: unknown[]; InsiemeLog: { onChange(fn: (id: string, entry: unknown) => void): void } };
        w.heard = [];
        w.InsiemeLog.onChange((id, entry) => w.heard.push([id, entry]));
      });
      await page.getByRole('button', { name: 'Add chosen' }).tap();
      await expect(page.locator('.log-tiles .log-tile').count()).resolves.toBe(3);
      await tile(page, uninvited[7]).locator('.log-tile-button').tap();
      const api = await page.evaluate(([a, b, c]) => {
        const w = window as unknown as { heard: unknown[]; InsiemeLog: Record<string, (...args: unknown[]) => unknown> & { activityId: string } };
        const heardBefore = w.heard.length;
        const setExisting = w.InsiemeLog.set(a, { engagement: 'declined', moodBefore: 5, staffNote: 'Tired today' });
        const setAddable = w.InsiemeLog.set(b, { engagement: 'passive' });
        const setUnknown = w.InsiemeLog.set('00000000-0000-4000-8000-000000000000', { engagement: 'active' });
        return {
          activityId: w.InsiemeLog.activityId, heard: w.heard.slice(0, heardBefore), heardAfterSet: w.heard.length - heardBefore,
          setExisting, setAddable, setUnknown, entry: w.InsiemeLog.entry(a), untouched: w.InsiemeLog.entry(c), none: w.InsiemeLog.entry('nobody'),
          entries: w.InsiemeLog.entries(),
        };
      }, [invited[0], uninvited[0], uninvited[3]]);
      const blank = { moodBefore: null, moodAfter: null, staffNote: null, familyNote: null };
      expect(api).toEqual({
        activityId: activity.id,
        heard: [
          [uninvited[3], { residentId: uninvited[3], engagement: '', ...blank }],
          [uninvited[7], { residentId: uninvited[7], engagement: '', ...blank }],
          [uninvited[7], { residentId: uninvited[7], engagement: 'active', ...blank }],
        ],
        heardAfterSet: 0,
        setExisting: true, setAddable: true, setUnknown: false,
        entry: { residentId: invited[0], engagement: 'declined', moodBefore: 5, moodAfter: null, staffNote: 'Tired today', familyNote: null },
        untouched: { residentId: uninvited[3], engagement: '', ...blank },
        none: null,
        entries: [
          { residentId: invited[0], engagement: 'declined', moodBefore: 5, moodAfter: null, staffNote: 'Tired today', familyNote: null },
          { residentId: uninvited[7], engagement: 'active', ...blank },
          { residentId: uninvited[0], engagement: 'passive', ...blank },
        ],
      });
      // What set() wrote is on the page, as the form sends it.
      await expect(tile(page, uninvited[0]).locator('[data-state-label]').innerText()).resolves.toBe('Watched, listened');
      await expect(page.locator(`[data-add-option][data-id="${uninvited[0]}"]`).count()).resolves.toBe(0);

      await Promise.all([page.waitForURL(`${baseUrl}/today`), page.getByRole('button', { name: 'Save', exact: true }).tap()]);
      const rows = await t.dataSource.getRepository(Participation).findBy({ activityId: activity.id });
      expect(Object.fromEntries(rows.map((r) => [r.residentId, [r.engagement, r.moodBefore, r.staffNote]]))).toEqual({
        [invited[0]]: ['declined', 5, 'Tired today'], [uninvited[7]]: ['active', null, null], [uninvited[0]]: ['passive', null, null],
      });
      // The resident added but not logged is not invited by the save.
      const roster = (await t.dataSource.getRepository(RosterEntry).findBy({ activityId: activity.id })).map((e) => e.residentId).sort();
      expect(roster).toEqual([invited[0], uninvited[7], uninvited[0]].sort());
    } finally {
      await page.context().close();
    }
  }, 90_000);
});
