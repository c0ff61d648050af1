import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, Locator, Page } from 'playwright-core';
import { Activity } from '../../src/activities/entities/activity.entity';
import { Participation } from '../../src/activities/entities/participation.entity';
import { translate } from '../../src/common/i18n/i18n';
import { HomesService } from '../../src/homes/homes.service';
import { createActivity } from '../support/activity-factories';
import { accessibilityViolations, describeInBrowser, launchBrowser, listen, openPage, overflowsHorizontally, smallTouchTargets } from '../support/browser';
import { createHome, createUser, TestUser } from '../support/factories';
import { createResident } from '../support/resident-factories';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * SPEC 4 "Tablet log" and issue 4 item 7: a carer on a ward tablet signs in, opens Today and logs a
 * 12-resident group in at most 14 taps, and the database holds exactly what was tapped. Every tap and
 * click on the log page, from arriving on it to the saved result on Today, goes through TapCounter.
 */

const VIEWPORTS = [
  { width: 1024, height: 768 },
  { width: 800, height: 1280 },
];
const ZONE = 'Europe/Rome';
const MAX_TAPS = 14;
/** Preferred name, first name, last name: one long name, to catch labels spilling out of a tile. */
const GROUP: [string, string, string][] = [
  ['Nonna Pina', 'Giuseppina', 'Bianchi'], ['Gino', 'Luigi', 'Conti'], ['Lella', 'Raffaella', 'Esposito'], ['Tonino', 'Antonio', 'Ferrari'],
  ['Maria Addolorata', 'Maria Addolorata', 'Galli'], ['Beppe', 'Giuseppe', 'Lombardi'], ['Carla', 'Carla', 'Marino'], ['Dante', 'Dante', 'Moretti'],
  ['Elvira', 'Elvira', 'Ricci'], ['Franco', 'Francesco', 'Romano'], ['Gemma', 'Gemma', 'Rossi'], ['Ugo', 'Ugo', 'Villa'],
];

type Locale = 'en' | 'it';
type Engagement = 'active' | 'passive' | 'disengaged' | 'declined' | 'absent';
/** The cycle a tap moves a tile along, starting from "not logged". */
const CYCLE: Engagement[] = ['active', 'passive', 'disengaged', 'declined', 'absent'];

/** The app's own wording, so the test follows the locale files. */
const TEXT = Object.fromEntries(
  (['en', 'it'] as Locale[]).map((locale) => {
    const read = (file: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', 'locales', locale, file), 'utf8'));
    return [locale, { nav: read('nav.json') }];
  }),
) as Record<Locale, { nav: Record<string, string> }>;

function say(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  return translate(locale, `activities.${key}`, params);
}

/** Taps on the log page, counted from arriving on it to the saved result. */
class TapCounter {
  count = 0;
  async tap(target: Locator): Promise<void> {
    this.count += 1;
    await target.tap();
  }
}

describeInBrowser('Tablet log in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let homeId: string;
  const carers = {} as Record<Locale, TestUser>;
  const measured: string[] = [];
  /** Each resident's preferred name, as their tile shows it. */
  const names = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestApp();
    baseUrl = await listen(t);
    homeId = (await createHome(t, { timezone: ZONE, locale: 'it' })).id;
    // A unit, so Today shows its unit chooser as on a real ward tablet.
    await t.get(HomesService).addUnit(null, homeId, { unitName: 'Girasoli' });
    carers.en = await createUser(t, { role: 'carer', homeIds: [homeId], displayName: 'Anna Carer', locale: 'en' });
    carers.it = await createUser(t, { role: 'carer', homeIds: [homeId], displayName: 'Lucia Operatrice', locale: 'it' });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    if (measured.length > 0) console.log(`Taps on the tablet log page (limit ${MAX_TAPS}):\n${measured.join('\n')}`);
    await browser?.close();
    await t?.close();
  });

  /** A planned activity a few minutes ago (on today's local date in the home), with 12 residents on its roster. */
  async function groupActivity(title: string): Promise<{ activity: Activity; residentIds: string[] }> {
    const residentIds: string[] = [];
    for (const [preferredName, firstName, lastName] of GROUP) {
      const resident = await createResident(t, homeId, { preferredName, firstName, lastName });
      residentIds.push(resident.id);
      names.set(resident.id, preferredName);
    }
    const now = DateTime.now().setZone(ZONE);
    // Five minutes ago, but never before local midnight, so it is on Today's date.
    const startsAt = DateTime.max(now.minus({ minutes: 5 }), now.startOf('day').plus({ seconds: 30 }));
    const activity = await createActivity(t, homeId, { title, startsAt: startsAt.toJSDate(), residentIds });
    return { activity, residentIds };
  }

  /** Tiles whose avatar, name or state spill out of the tile (over its border or the controls below). */
  async function overflowingTiles(page: Page): Promise<string[]> {
    return page.$$eval('.log-tile-button', (buttons) =>
      buttons
        .filter((button) => {
          const box = button.getBoundingClientRect();
          const [top, left] = [box.top + button.clientTop, box.left + button.clientLeft];
          const [bottom, right] = [top + button.clientHeight, left + button.clientWidth];
          return Array.from(button.children).some((child) => {
            const inner = child.getBoundingClientRect();
            return inner.top < top - 0.5 || inner.bottom > bottom + 0.5 || inner.left < left - 0.5 || inner.right > right + 0.5;
          });
        })
        .map((button) => `${button.textContent!.replace(/\s+/g, ' ').trim()} ${Math.round(button.getBoundingClientRect().width)}x${Math.round(button.getBoundingClientRect().height)}`),
    );
  }

  /** Where every tile is: a tap must not move the tiles under the carer's finger. */
  async function tileBoxes(page: Page): Promise<string[]> {
    return page.$$eval('.log-tile-button', (buttons) =>
      buttons.map((b) => {
        const r = b.getBoundingClientRect();
        return `${Math.round(r.left + scrollX)},${Math.round(r.top + scrollY)} ${Math.round(r.width)}x${Math.round(r.height)}`;
      }),
    );
  }

  async function expectUsable(page: Page, where: string): Promise<void> {
    expect({ where, overflow: await overflowsHorizontally(page) }).toEqual({ where, overflow: false });
    expect({ where, tiles: await overflowingTiles(page) }).toEqual({ where, tiles: [] });
    expect({ where, small: await smallTouchTargets(page) }).toEqual({ where, small: [] });
    // smallTouchTargets does not look at <summary> ("Mood and notes" under each tile).
    const smallSummaries = await page.$$eval('main summary', (all) =>
      all.filter((el) => el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height < 43.5).map((el) => el.textContent!.trim()),
    );
    expect({ where, smallSummaries }).toEqual({ where, smallSummaries: [] });
    expect({ where, violations: await accessibilityViolations(page) }).toEqual({ where, violations: [] });
  }

  /**
   * The messages on the page that just loaded, as "kind/role: text", read at once: a message the
   * redirect should carry has to be on the page the carer sees, not on a later one.
   */
  async function expectNotices(page: Page, where: string, notices: string[]): Promise<void> {
    const shown = await page.$$eval('main .notice', (elements) =>
      elements.map((e) => `${/notice-(\w+)/.exec(e.className)?.[1]}/${e.getAttribute('role')}: ${e.textContent!.trim()}`),
    );
    expect({ where, notices: shown }).toEqual({ where, notices });
  }

  function todayItem(page: Page, activity: Activity): Locator {
    return page.locator('.today-item', { has: page.getByRole('heading', { name: activity.title, exact: true }) });
  }

  /**
   * Signs in through the form and opens Today (a carer's first page; from the navigation otherwise),
   * checks it and taps the activity's "Log". Not signInAs: it expects every role to land on "/".
   */
  async function openLogFromToday(page: Page, locale: Locale, activity: Activity): Promise<void> {
    await page.goto(`${baseUrl}/login`);
    await page.fill('#field-email', carers[locale].email);
    await page.fill('#field-password', carers[locale].password);
    await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.locator('form[action="/login"] button[type=submit]').tap()]);
    if (new URL(page.url()).pathname !== '/today') {
      await Promise.all([page.waitForURL(/\/today/), page.locator('.site-nav a[href="/today"]').tap()]);
    }
    await expect(page.locator('.site-nav a[href="/today"]').getAttribute('aria-current')).resolves.toBe('page');
    const activityDate = DateTime.fromJSDate(activity.startsAt, { zone: ZONE }).toISODate()!;
    // Only if the local date turned over while the test ran.
    if (DateTime.now().setZone(ZONE).toISODate() !== activityDate) await page.goto(`${baseUrl}/today?date=${activityDate}`);
    await expect(page.locator('h1').innerText()).resolves.toBe(TEXT[locale].nav.today);
    const item = todayItem(page, activity);
    await expect(item.count()).resolves.toBe(1);
    await expect(item.innerText()).resolves.toContain(say(locale, 'loggedOf', { logged: 0, total: 12 }));
    await expectUsable(page, 'Today');
    const log = item.getByRole('link', { name: new RegExp(`^${say(locale, 'log')}\\b`) });
    await Promise.all([page.waitForURL(`${baseUrl}/activities/${activity.id}/log`), log.tap()]);
    await page.locator('h1', { hasText: activity.title }).waitFor();
  }

  function tileButton(page: Page, residentId: string): Locator {
    return page.locator(`.log-tile:has(input[name=residentId][value="${residentId}"]) .log-tile-button`);
  }

  async function expectTile(page: Page, locale: Locale, residentId: string, engagement: Engagement | ''): Promise<void> {
    const button = tileButton(page, residentId);
    const label = engagement ? say(locale, `engagement.${engagement}`) : say(locale, 'notLogged');
    const name = names.get(residentId)!;
    await expect(button.locator('.tile-label').innerText()).resolves.toBe(name);
    await expect(page.locator(`.log-tile:has(input[value="${residentId}"])`).getAttribute('data-engagement')).resolves.toBe(engagement);
    await expect(button.getAttribute('aria-pressed')).resolves.toBe(engagement ? 'true' : 'false');
    await expect(button.locator('[data-state-label]').innerText()).resolves.toBe(label);
    await expect(button.getAttribute('aria-label')).resolves.toBe(`${name}: ${label}`);
  }

  async function expectSaved(activityId: string, userId: string, expected: Record<string, Engagement>): Promise<void> {
    const rows = await t.dataSource.getRepository(Participation).findBy({ activityId });
    expect(rows).toHaveLength(12);
    expect(Object.fromEntries(rows.map((r) => [r.residentId, r.engagement]))).toEqual(expected);
    for (const r of rows) expect([r.recordedBy, r.moodBefore, r.moodAfter, r.staffNote, r.familyNote]).toEqual([userId, null, null, null, null]);
  }

  it.each(VIEWPORTS)('should log a group with "Everyone took part", two taps for watchers, and mark it held, at $width x $height', async (viewport) => {
    const { activity, residentIds } = await groupActivity(`Singalong ${viewport.width}`);
    const watchers = [residentIds[3], residentIds[10]];
    const expected = Object.fromEntries(residentIds.map((id) => [id, watchers.includes(id) ? 'passive' : 'active'])) as Record<string, Engagement>;
    const page = await openPage(browser, viewport);
    try {
      await openLogFromToday(page, 'en', activity);
      const taps = new TapCounter();
      await expect(page.locator('.log-tile').count()).resolves.toBe(12);
      for (const id of residentIds) await expectTile(page, 'en', id, '');
      await expect(page.locator('[data-log-count]').innerText()).resolves.toBe('0 / 12');
      await expectUsable(page, 'log page, untouched');
      const boxes = await tileBoxes(page);

      await taps.tap(page.getByRole('button', { name: 'Everyone took part' }));
      for (const id of watchers) await taps.tap(tileButton(page, id));
      for (const id of residentIds) await expectTile(page, 'en', id, expected[id]);
      await expect(page.locator('[data-log-count]').innerText()).resolves.toBe('12 / 12');
      expect(await tileBoxes(page)).toEqual(boxes);
      await expectUsable(page, 'log page, tapped');

      await Promise.all([page.waitForURL(`${baseUrl}/today`), taps.tap(page.getByRole('button', { name: 'Save and mark as held' }))]);
      measured.push(`  "Everyone took part", 2 watchers, save and mark as held, ${viewport.width}x${viewport.height}: ${taps.count}`);
      expect(taps.count).toBeLessThanOrEqual(MAX_TAPS);
      expect(taps.count).toBe(4);

      await expectSaved(activity.id, carers.en.id, expected);
      const held = await t.dataSource.getRepository(Activity).findOneByOrFail({ id: activity.id });
      expect(held.status).toBe('completed');
      expect(held.completedAt).not.toBeNull();

      const item = todayItem(page, activity);
      await expect(item.innerText()).resolves.toContain('12 of 12 logged');
      await expect(item.locator('.badge').innerText()).resolves.toBe('Held');
      await expectNotices(page, 'Today, after saving', ['success/status: Saved and marked as held: 12 residents logged.']);
      await expectUsable(page, 'Today, after saving');

      // Reopening the log shows what was saved; a held activity is not offered "mark as held" again.
      await Promise.all([page.waitForURL(`${baseUrl}/activities/${activity.id}/log`), item.getByRole('link', { name: /^Review log/ }).tap()]);
      await expectNotices(page, 'log page, reopened', []);
      for (const id of residentIds) await expectTile(page, 'en', id, expected[id]);
      await expect(page.locator('[data-log-count]').innerText()).resolves.toBe('12 / 12');
      await expect(page.getByRole('button', { name: 'Save and mark as held' }).count()).resolves.toBe(0);
      await expectUsable(page, 'log page, reopened');
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it.each(VIEWPORTS)('should log a group one tile at a time and save it still planned, at $width x $height', async (viewport) => {
    const { activity, residentIds } = await groupActivity(`Bingo ${viewport.width}`);
    const expected = Object.fromEntries(residentIds.map((id) => [id, 'active'])) as Record<string, Engagement>;
    const page = await openPage(browser, viewport);
    try {
      await openLogFromToday(page, 'en', activity);
      const taps = new TapCounter();
      const boxes = await tileBoxes(page);
      for (const [i, id] of residentIds.entries()) {
        await taps.tap(tileButton(page, id));
        await expectTile(page, 'en', id, 'active');
        await expect(page.locator('[data-log-count]').innerText()).resolves.toBe(`${i + 1} / 12`);
      }
      expect(await tileBoxes(page)).toEqual(boxes);
      await expectUsable(page, 'log page, tapped');

      await Promise.all([page.waitForURL(`${baseUrl}/today`), taps.tap(page.getByRole('button', { name: 'Save', exact: true }))]);
      measured.push(`  12 tiles one tap each, save, ${viewport.width}x${viewport.height}: ${taps.count}`);
      expect(taps.count).toBeLessThanOrEqual(MAX_TAPS);
      expect(taps.count).toBe(13);

      await expectSaved(activity.id, carers.en.id, expected);
      expect((await t.dataSource.getRepository(Activity).findOneByOrFail({ id: activity.id })).status).toBe('planned');

      const item = todayItem(page, activity);
      await expect(item.innerText()).resolves.toContain('12 of 12 logged');
      await expect(item.locator('.badge').count()).resolves.toBe(0);
      await expectNotices(page, 'Today, after saving', ['success/status: Saved: 12 residents logged.']);

      await Promise.all([page.waitForURL(`${baseUrl}/activities/${activity.id}/log`), item.getByRole('link', { name: /^Review log/ }).tap()]);
      await expectNotices(page, 'log page, reopened', []);
      for (const id of residentIds) await expectTile(page, 'en', id, 'active');
      await expect(page.getByRole('button', { name: 'Save and mark as held' }).count()).resolves.toBe(1);
      await expectUsable(page, 'log page, reopened');
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it.each(VIEWPORTS)('should log every kind of engagement in Italian and keep each label inside its tile, at $width x $height', async (viewport) => {
    const { activity, residentIds } = await groupActivity(`Tombola ${viewport.width}`);
    // After "Hanno partecipato tutti", tile i of these is tapped i + 1 times: passive, disengaged, declined, absent.
    const others = [residentIds[4], residentIds[0], residentIds[7], residentIds[11]];
    const expected = Object.fromEntries(residentIds.map((id) => [id, others.includes(id) ? CYCLE[others.indexOf(id) + 1] : 'active'])) as Record<string, Engagement>;
    const page = await openPage(browser, viewport);
    try {
      await openLogFromToday(page, 'it', activity);
      const taps = new TapCounter();
      const boxes = await tileBoxes(page);
      await taps.tap(page.getByRole('button', { name: say('it', 'everyone') }));
      for (const [i, id] of others.entries()) {
        for (let n = 0; n <= i; n += 1) await taps.tap(tileButton(page, id));
      }
      for (const id of residentIds) await expectTile(page, 'it', id, expected[id]);
      expect(await tileBoxes(page)).toEqual(boxes);
      await expectUsable(page, 'log page in Italian, tapped');
      // Every state looks its own: colour, and for absent a dashed border besides (declined and absent shared one look).
      const looks = await page.$$eval('.log-tile[data-engagement]:not([data-engagement=""]) .log-tile-button', (buttons) => {
        const byState = new Map<string, string>();
        for (const b of buttons) {
          const style = getComputedStyle(b);
          byState.set(b.closest('.log-tile')!.getAttribute('data-engagement')!, `${style.borderTopColor} ${style.borderTopStyle} ${style.backgroundColor}`);
        }
        return [...byState.values()];
      });
      expect(looks).toHaveLength(5);
      expect(new Set(looks).size).toBe(5);
      // "Mood and notes" opened under one tile makes that tile taller, not the others of its row.
      const heights = async () => page.$$eval('.log-tile-button', (buttons) => buttons.map((b) => Math.round(b.getBoundingClientRect().height)));
      const before = await heights();
      await page.locator('.log-tile >> nth=0').locator('summary').tap();
      const after = await heights();
      expect(after.slice(1)).toEqual(before.slice(1));
      await page.locator('.log-tile >> nth=0').locator('summary').tap();

      await Promise.all([page.waitForURL(`${baseUrl}/today`), taps.tap(page.getByRole('button', { name: say('it', 'saveAndComplete') }))]);
      measured.push(`  all five engagements (Italian), save and mark as held, ${viewport.width}x${viewport.height}: ${taps.count}`);
      expect(taps.count).toBeLessThanOrEqual(MAX_TAPS);
      expect(taps.count).toBe(12);
      await expectSaved(activity.id, carers.it.id, expected);
      expect((await t.dataSource.getRepository(Activity).findOneByOrFail({ id: activity.id })).status).toBe('completed');
      await expectNotices(page, 'Oggi, after saving', [`success/status: ${say('it', 'logSavedCompleted', { n: 12 })}`]);

      // A tap on a saved tile goes on round the cycle: absent wraps to took part.
      await Promise.all([page.waitForURL(`${baseUrl}/activities/${activity.id}/log`), todayItem(page, activity).getByRole('link', { name: new RegExp(`^${say('it', 'reviewLog')}`) }).tap()]);
      for (const id of residentIds) await expectTile(page, 'it', id, expected[id]);
      await tileButton(page, others[3]).tap();
      await expectTile(page, 'it', others[3], 'active');
      await expectUsable(page, 'log page in Italian, reopened');
    } finally {
      await page.context().close();
    }
  }, 60_000);
  it("should not drop a note typed for someone whose way of taking part is not chosen: it says so and saves nothing until it is", async () => {
    const viewport = VIEWPORTS[0];
    const { activity, residentIds } = await groupActivity(`Merenda ${viewport.width}`);
    const [first, second] = residentIds;
    const page = await openPage(browser, viewport);
    try {
      await openLogFromToday(page, 'en', activity);
      await tileButton(page, first).tap();
      const tile = page.locator(`.log-tile:has(input[name=residentId][value="${second}"])`);
      await tile.locator('.log-details summary').tap();
      await tile.locator('textarea[name="staffNote"]').fill('Asked for more cake');
      await page.getByRole('button', { name: 'Save', exact: true }).tap();
      await expect(page.locator('main .notice-error[role=alert]').innerText()).resolves.toContain(`Choose how ${names.get(second)} took part`);
      expect(new URL(page.url()).pathname).toBe(`/activities/${activity.id}/log`);
      expect(await page.evaluate(() => document.activeElement?.closest('.log-tile')?.querySelector('input[name=residentId]')?.getAttribute('value'))).toBe(second);
      expect(await t.dataSource.getRepository(Participation).countBy({ activityId: activity.id })).toBe(0);
      // Chosen, it is saved with the note.
      await tileButton(page, second).tap();
      await Promise.all([page.waitForURL(`${baseUrl}/today`), page.getByRole('button', { name: 'Save', exact: true }).tap()]);
      const saved = await t.dataSource.getRepository(Participation).findOneByOrFail({ activityId: activity.id, residentId: second });
      expect([saved.engagement, saved.staffNote]).toEqual(['active', 'Asked for more cake']);
    } finally {
      await page.context().close();
    }
  }, 60_000);
});
