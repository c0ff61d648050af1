import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { In } from 'typeorm';
import { AuditEntry } from '../../src/audit/entities/audit-entry.entity';
import { Participation } from '../../src/activities/entities/participation.entity';
import { createActivity } from '../support/activity-factories';
import { describeInBrowser, launchBrowser, listen, openPage, signInAs, untilWorkerControls } from '../support/browser';
import { createHome, createUser, TestUser } from '../support/factories';
import { createResident } from '../support/resident-factories';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Issue 15's first test, the whole chain on one tablet: the service worker (pages open with no
 * network), the log's draft and the outbox (IndexedDB) together. Offline in the middle of a log, a
 * carer taps and saves, closes the page, opens the tablet again still offline (Today and the log come
 * from the worker's cache, the badge from the outbox), and when the network is back the save is stored
 * once, with one audit entry for the one write.
 */

const VIEWPORTS = [
  { width: 1024, height: 768 },
  { width: 800, height: 1280 },
];
const ZONE = 'Europe/Rome';


async function badge(page: Page): Promise<string> {
  const status = page.locator('[data-ward-status]');
  await status.waitFor({ state: 'attached' });
  await page.locator('[data-ward-outbox]:not([hidden])').waitFor();
  return (await status.innerText()).trim();
}

describeInBrowser('A shift on the ward tablet with the network coming and going', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let homeId: string;
  let carer: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    baseUrl = await listen(t);
    homeId = (await createHome(t, { timezone: ZONE, locale: 'en' })).id;
    carer = await createUser(t, { role: 'carer', homeIds: [homeId], displayName: 'Anna Carer', locale: 'en' });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each(VIEWPORTS)('should keep taps saved offline through a closed page, reopen from the cache, and store them once online, at $width x $height', async (viewport) => {
    const residents = [];
    for (const name of ['Pina', 'Gino', 'Lella']) residents.push(await createResident(t, homeId, { preferredName: `${name} ${viewport.width}` }));
    const now = DateTime.now().setZone(ZONE);
    const startsAt = DateTime.max(now.minus({ minutes: 5 }), now.startOf('day').plus({ seconds: 30 }));
    const activity = await createActivity(t, homeId, { title: `Tombola ${viewport.width}`, startsAt: startsAt.toJSDate(), residentIds: residents.map((r) => r.id) });
    const logPath = `/activities/${activity.id}/log`;

    const page = await openPage(browser, viewport);
    const context = page.context();
    try {
      await signInAs(page, baseUrl, carer.email, carer.password);
      await page.goto(`${baseUrl}/today`);
      await untilWorkerControls(page);
      await page.waitForFunction(() => document.documentElement.dataset.wardCacheWarmed !== undefined, undefined, { timeout: 20_000 });
      await page.goto(`${baseUrl}${logPath}`);
      expect(await badge(page)).toBe('All sent');

      // The Wi-Fi drops in the middle of the activity: two residents tapped (took part), then Save.
      await context.setOffline(true);
      const tiles = page.locator('.log-tile-button');
      await tiles.nth(0).tap();
      await tiles.nth(1).tap();
      await page.locator('.log-actions button[type=submit]:not([name=complete])').tap();
      // Kept on the tablet, and the carer is told so where they are.
      await page.locator('[data-ward-save]', { hasText: 'saved on this tablet' }).waitFor();
      expect(await badge(page)).toBe('1 waiting to send');
      expect(await t.dataSource.getRepository(Participation).countBy({ activityId: activity.id })).toBe(0);
      await page.close();

      // The tablet is picked up again, still offline: Today and the log open from the cache.
      const again = await context.newPage();
      await again.goto(`${baseUrl}/today`);
      await expect(again.locator('main').innerText()).resolves.toContain(activity.title);
      expect(await badge(again)).toBe('1 waiting to send');
      await again.goto(`${baseUrl}${logPath}`);
      await expect(again.locator('h1').innerText()).resolves.toContain(activity.title);
      // The draft lies over the cached page: what was tapped is on the tiles.
      await again.waitForFunction(() => document.querySelectorAll('.log-tile[data-engagement="active"]').length === 2, undefined, { timeout: 10_000 });

      // The network is back: the outbox sends, once.
      await context.setOffline(false);
      await again.waitForFunction(() => document.querySelector('[data-ward-outbox]')?.getAttribute('data-state') === 'sent', undefined, { timeout: 30_000 });
      expect(await badge(again)).toBe('All sent');
      const rows = await t.dataSource.getRepository(Participation).findBy({ activityId: activity.id });
      expect(rows.map((r) => [r.residentId, r.engagement, r.recordedBy]).sort()).toEqual(
        [[residents[0].id, 'active', carer.id], [residents[1].id, 'active', carer.id]].sort(),
      );
      const audits = await t.dataSource.getRepository(AuditEntry).findBy({ entityType: 'participation', entityId: In([activity.id]) });
      expect(audits).toHaveLength(1);
      expect(audits[0].userId).toBe(carer.id);

      // A reload online sends nothing twice.
      await again.reload();
      expect(await badge(again)).toBe('All sent');
      expect(await t.dataSource.getRepository(Participation).countBy({ activityId: activity.id })).toBe(2);
      expect(await t.dataSource.getRepository(AuditEntry).countBy({ entityType: 'participation', entityId: activity.id })).toBe(1);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('should give a waiting save its last chance to go when the carer signs out', async () => {
    const resident = await createResident(t, homeId, { preferredName: 'Dora Leaving' });
    const now = DateTime.now().setZone(ZONE);
    const startsAt = DateTime.max(now.minus({ minutes: 5 }), now.startOf('day').plus({ seconds: 30 }));
    const activity = await createActivity(t, homeId, { title: 'Cruciverba', startsAt: startsAt.toJSDate(), residentIds: [resident.id] });
    // No service worker on this tablet: a request the worker lets through can miss the test's
    // route, and a save that went out would leave nothing waiting (the first test covers the worker).
    const page = await openPage(browser, VIEWPORTS[0], { serviceWorkers: 'block' });
    const context = page.context();
    try {
      await signInAs(page, baseUrl, carer.email, carer.password);
      await page.goto(`${baseUrl}/activities/${activity.id}/log`);
      // The participation requests fail as on a dropped network; the rest of the site answers.
      const api = '**/api/activities/*/participation';
      await context.route(api, (route) => route.abort('internetdisconnected'));
      await page.locator('.log-form[data-ward-ready]').waitFor();
      await page.locator('.log-tile-button').first().tap();
      await page.locator('.log-actions button[type=submit]:not([name=complete])').tap();
      await page.waitForFunction(() => document.querySelector('[data-ward-outbox]')?.getAttribute('data-state') === 'waiting', undefined, { timeout: 15_000 })
        .catch(async (error: Error) => {
          const state = await page.locator('[data-ward-outbox]').getAttribute('data-state').catch(() => null);
          throw new Error(`${error.message}\nthe badge's state: ${state}; at ${page.url()}`);
        });
      await context.unroute(api);
      // Sign-out gives the waiting save its last chance before leaving.
      await Promise.all([page.waitForURL(/\/login/), page.locator('form[action="/logout"] button').click()]);
      expect(await t.dataSource.getRepository(Participation).countBy({ activityId: activity.id })).toBe(1);
    } finally {
      await context.close();
    }
  }, 60_000);
});
