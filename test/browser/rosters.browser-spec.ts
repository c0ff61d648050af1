import type { Browser, Page } from 'playwright-core';
import { WaitlistEntry } from '../../src/activities/entities/waitlist-entry.entity';
import { addDays, localToUtc, todayIn } from '../../src/common/time/zoned';
import { Unit } from '../../src/homes/entities/unit.entity';
import { createActivity, createActivityType } from '../support/activity-factories';
import { accessibilityViolations, describeInBrowser, launchBrowser, listen, openPage, overflowsHorizontally, signInAs, smallTouchTargets, submitAndLoad, untilWorkerControls } from '../support/browser';
import { createHome, createUser, TestUser } from '../support/factories';
import { createResident } from '../support/resident-factories';
import { createTestApp, TestApp } from '../support/test-app';

const ZONE = 'Europe/Rome';

/**
 * Issue 19 item 2 in Chromium: a coordinator invites a whole unit to a series' occurrence in one
 * submit, on this and the following occurrences; the page then shows the waiting list with
 * positions, usable with a finger (44 px targets) and without WCAG problems, at desktop and tablet sizes.
 */
describeInBrowser('Rosters in bulk and the waiting list, in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let coordinator: TestUser;
  let homeId: string;

  beforeAll(async () => {
    t = await createTestApp();
    homeId = (await createHome(t, { name: 'Casa Serena', timezone: ZONE })).id;
    coordinator = await createUser(t, { role: 'coordinator', homeIds: [homeId] });
    baseUrl = await listen(t);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it.each([[{ width: 1280, height: 800 }], [{ width: 800, height: 1280 }]])('should invite a unit in one submit and show the waiting list at %o', async (viewport) => {
    const unit = t.dataSource.getRepository(Unit).create({ homeId, name: `Giardino ${viewport.width}`, active: true });
    await t.dataSource.getRepository(Unit).insert(unit);
    const names = ['Adele', 'Bruna', 'Carlo', 'Delia'];
    for (const firstName of names) await createResident(t, homeId, { firstName, lastName: `Prova${viewport.width}`, unitId: unit.id, interests: [] });
    const type = await createActivityType(t, homeId, { name: `Ginnastica ${viewport.width}`, category: 'physical' });
    const seriesId = viewport.width === 1280 ? '0b7a5c1e-2c39-4f7a-9d7e-3a8a4d6b1c11' : '0b7a5c1e-2c39-4f7a-9d7e-3a8a4d6b1c12';
    const starts = (week: number) => localToUtc(addDays(todayIn(ZONE), 1 + 7 * week), '10:00', ZONE);
    const first = await createActivity(t, homeId, { activityTypeId: type.id, title: 'Ginnastica', startsAt: starts(0), capacity: 2, seriesId });
    const second = await createActivity(t, homeId, { activityTypeId: type.id, title: 'Ginnastica', startsAt: starts(1), capacity: 2, seriesId });

    const page = await openPage(browser, viewport);
    await signInAs(page, baseUrl, coordinator.email, coordinator.password);
    await page.goto(`${baseUrl}/activities/${first.id}`);
    await page.check('#invite-mode-unit');
    await page.selectOption('#field-unitId', unit.id);
    await page.check('#invite-occurrences-following');
    await submitAndLoad(page, () => page.click('#invite form button[type=submit]'), `${baseUrl}/activities/${first.id}#roster`);

    const notices = await page.locator('.notice').allTextContents();
    expect(notices.join(' ')).toContain('2 residents invited, 2 on the waiting list.');
    expect(notices.join(' ')).toContain('Also done on 1 later occurrence of the series.');
    const waiting = page.locator('.waiting-list li');
    expect(await waiting.count()).toBe(2);
    expect(await waiting.first().textContent()).toContain('No. 1');
    expect(await t.dataSource.getRepository(WaitlistEntry).countBy({ activityId: second.id })).toBe(2);

    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await overflowsHorizontally(page)).toBe(false);
    expect(await smallTouchTargets(page)).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('should keep the page for offline use as it is after the invitation, without its one-time notice', async () => {
    const unit = t.dataSource.getRepository(Unit).create({ homeId, name: 'Glicine', active: true });
    await t.dataSource.getRepository(Unit).insert(unit);
    for (const firstName of ['Elsa', 'Franco', 'Gilda']) await createResident(t, homeId, { firstName, lastName: 'Offline', unitId: unit.id, interests: [] });
    const activity = await createActivity(t, homeId, { title: 'Cruciverba', startsAt: localToUtc(addDays(todayIn(ZONE), 1), '15:00', ZONE), capacity: 2 });
    const path = `/activities/${activity.id}`;
    /** The copy of the activity's page the ward app's worker keeps for offline use, if any. */
    const keptCopy = (page: Page) =>
      page.evaluate(async (p) => {
        for (const key of await caches.keys()) {
          const kept = key.startsWith('insieme-pages-') ? await (await caches.open(key)).match(p, { ignoreVary: true }) : undefined;
          if (kept) return kept.text();
        }
        return null;
      }, path);

    const page = await openPage(browser, { width: 800, height: 1280 });
    try {
      await signInAs(page, baseUrl, coordinator.email, coordinator.password);
      await page.goto(`${baseUrl}${path}`);
      await untilWorkerControls(page);
      // The page's own warm keeps it as it was before the invitation (sw-register.js).
      await page.waitForFunction(() => document.documentElement.dataset.wardCacheWarmed !== undefined, undefined, { timeout: 20_000 });
      expect(await keptCopy(page)).not.toContain('waiting-list');

      await page.check('#invite-mode-unit');
      await page.selectOption('#field-unitId', unit.id);
      await submitAndLoad(page, () => page.click('#invite form button[type=submit]'), `${baseUrl}${path}#roster`);
      expect((await page.locator('.notice').allTextContents()).join(' ')).toContain('2 residents invited, 1 on the waiting list.');
      // The copy kept now is the page as it is, without the notice (the worker dropped the older copy and
      // kept none with the notice; the page's warm fetched it again).
      let kept = await keptCopy(page);
      for (const deadline = Date.now() + 20_000; !kept?.includes('waiting-list') && Date.now() < deadline; kept = await keptCopy(page)) await page.waitForTimeout(100);
      expect(kept).toContain('waiting-list');
      expect(kept).not.toContain('residents invited');

      await page.context().setOffline(true);
      await page.reload();
      expect(await page.locator('.waiting-list li').count()).toBe(1);
      expect((await page.locator('.notice').allTextContents()).join(' ')).not.toContain('invited');
    } finally {
      await page.context().close();
    }
  }, 60_000);
});
