/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { ActivityType } from '../../src/activities/entities/activity-type.entity';
import { addDays, localToUtc, mondayOf, todayIn } from '../../src/common/time/zoned';
import { createActivity, createActivityType } from '../support/activity-factories';
import { createHome, createUser, TestUser } from '../support/factories';
import { accessibilityViolations, describeInBrowser, launchBrowser, listen, openPage, overflowsHorizontally, signInAs, smallTouchTargets } from '../support/browser';
import { createTestApp, TestApp } from '../support/test-app';

const ZONE = 'Europe/Rome';
/** Long Italian words, as a home's programme names them, one on each day of the week. */
const TITLES = ['Ginnastica dolce', 'Musicoterapia', 'Psicomotricità', 'Laboratorio di pasticceria', 'Tombola', 'Arteterapia', 'Giardinaggio'];

describeInBrowser('Activity form and week calendar in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let coordinator: TestUser;
  let tombola: ActivityType;
  let ginnastica: ActivityType;

  beforeAll(async () => {
    t = await createTestApp();
    const home = await createHome(t, { name: 'Casa Aurora', timezone: ZONE, locale: 'it' });
    coordinator = await createUser(t, { role: 'coordinator', homeIds: [home.id], locale: 'it' });
    tombola = await createActivityType(t, home.id, { name: 'Tombola', defaultDurationMinutes: 75, defaultLocation: 'Salone', defaultCapacity: 12, usualPhases: ['co_delivery'] });
    ginnastica = await createActivityType(t, home.id, {
      name: 'Ginnastica dolce', category: 'physical', defaultDurationMinutes: 45, defaultLocation: 'Palestra', usualPhases: ['co_design', 'co_assessment'],
    });
    const monday = mondayOf(todayIn(ZONE));
    for (const [day, title] of TITLES.entries()) {
      await createActivity(t, home.id, { activityTypeId: tombola.id, title, startsAt: localToUtc(addDays(monday, day), '10:00', ZONE), location: 'Sala polivalente' });
    }
    baseUrl = await listen(t);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signedIn(viewport: { width: number; height: number }): Promise<Page> {
    const page = await openPage(browser, viewport);
    await signInAs(page, baseUrl, coordinator.email, coordinator.password);
    return page;
  }

  it('should fill title, length, place, places and phases when a type is chosen, and the next type\'s over them', async () => {
    const page = await signedIn({ width: 1024, height: 768 });
    try {
      await page.goto(`${baseUrl}/activities/new`);
      const phases = () => page.$$eval('input[name="phases"]:checked', (boxes) => boxes.map((box) => (box as HTMLInputElement).value));
      await page.selectOption('#field-activityTypeId', tombola.id);
      expect(await page.inputValue('#field-title')).toBe('Tombola');
      expect(await page.inputValue('#field-durationMinutes')).toBe('75');
      expect(await page.inputValue('#field-location')).toBe('Salone');
      expect(await page.inputValue('#field-capacity')).toBe('12');
      expect(await phases()).toEqual(['co_delivery']);

      // What the user typed stays; what the previous type filled in follows the new type.
      await page.fill('#field-location', 'Giardino');
      await page.selectOption('#field-activityTypeId', ginnastica.id);
      expect(await page.inputValue('#field-title')).toBe('Ginnastica dolce');
      expect(await page.inputValue('#field-durationMinutes')).toBe('45');
      expect(await page.inputValue('#field-location')).toBe('Giardino');
      expect(await page.inputValue('#field-capacity')).toBe('');
      expect(await phases()).toEqual(['co_design', 'co_assessment']);
      expect(await overflowsHorizontally(page)).toBe(false);
      expect(await smallTouchTargets(page)).toEqual([]);
      expect(await accessibilityViolations(page)).toEqual([]);
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it('should show only the repeat fields that apply, and create a series whose page says its rule in Italian', async () => {
    const page = await signedIn({ width: 1024, height: 768 });
    try {
      await page.goto(`${baseUrl}/activities/new`);
      const visible = (selector: string) => page.isVisible(selector);
      expect([await visible('#field-byDay'), await visible('#field-monthDay'), await visible('#field-until')]).toEqual([false, false, false]);
      await page.check('#field-repeat-weekly');
      expect([await visible('#field-byDay'), await visible('#field-monthDay'), await visible('#field-until')]).toEqual([true, false, true]);
      await page.check('#field-repeat-monthly');
      expect([await visible('#field-byDay'), await visible('#field-monthDay'), await visible('#field-until')]).toEqual([false, true, true]);

      await page.check('#field-repeat-weekly');
      await page.selectOption('#field-activityTypeId', tombola.id);
      await page.fill('#field-date', addDays(mondayOf(todayIn(ZONE)), 7));
      await page.check('#field-byDay-TU');
      await page.check('#field-byDay-TH');
      await page.check('#field-ends-count');
      // Only the end chosen: the number of times, not the last date as well.
      expect([await visible('#field-count'), await visible('#field-until')]).toEqual([true, false]);
      await page.fill('#field-count', '6');
      await Promise.all([page.waitForNavigation(), page.click('form[data-activity-form] button[type="submit"]')]);
      expect([page.url(), await page.$$eval('.field-error', (errors) => errors.map((e) => e.textContent))]).toEqual([expect.stringMatching(/\/activities\/[0-9a-f-]{36}$/), []]);
      expect(await page.textContent('#series')).toContain('Ogni settimana, il martedì e il giovedì, 6 volte');
      expect(await accessibilityViolations(page)).toEqual([]);
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it.each([
    { width: 1024, height: 768 },
    { width: 1280, height: 800 },
  ])('should wrap the week\'s titles only between words at $width x $height', async (viewport) => {
    const page = await signedIn(viewport);
    try {
      await page.goto(`${baseUrl}/calendar`);
      expect(await page.getAttribute('html', 'lang')).toBe('it');
      expect(await overflowsHorizontally(page)).toBe(false);
      const styles = await page.$$eval('.cal-title', (titles) => titles.map((title) => {
        const style = getComputedStyle(title);
        return `${style.overflowWrap} ${style.wordBreak} ${style.hyphens}`;
      }));
      expect(styles).toHaveLength(TITLES.length);
      // break-word breaks only a word longer than its whole line (a title typed without spaces); the check below finds any other break.
      expect(new Set(styles)).toEqual(new Set(['break-word normal auto']));
      // Each word of each title on one line and inside its item: a word split mid-word has two boxes.
      const broken = await page.$$eval('.cal-title', (titles) => titles.flatMap((title) => {
        const text = title.firstChild as Text;
        const item = title.closest('.cal-item')!.getBoundingClientRect();
        const words: string[] = [];
        for (const match of text.data.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(text, match.index);
          range.setEnd(text, match.index + match[0].length);
          const boxes = [...range.getClientRects()].filter((box) => box.width > 0);
          const fits = boxes.every((box) => box.left >= item.left - 0.5 && box.right <= item.right + 0.5);
          if (boxes.length !== 1 || !fits) words.push(`${match[0]} (${boxes.length} boxes${fits ? '' : ', overflowing'})`);
        }
        return words;
      }));
      expect(broken).toEqual([]);
      expect(await accessibilityViolations(page)).toEqual([]);
    } finally {
      await page.context().close();
    }
  }, 60_000);
});
