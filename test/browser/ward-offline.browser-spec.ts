import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import type { Activity } from '../../src/activities/entities/activity.entity';
import { ResidentPhotos } from '../../src/residents/resident-photos';
import { createActivity } from '../support/activity-factories';
import { accessibilityViolations, describeInBrowser, launchBrowser, listen, openPage, signInAs, untilWorkerControls } from '../support/browser';
import { createHome, createUser, TestUser } from '../support/factories';
import { createResident } from '../support/resident-factories';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Issue 15 item 1 and the page-cache half of item 6, in Chromium: a carer opens Today and one log
 * online; with the network gone, Today, that log and another of the day's logs nobody opened still
 * open from the service worker's caches, with their residents' photos; a page that was never kept
 * shows the offline page; signing out empties the day's page and photo caches (docs/offline.md).
 */

const VIEWPORTS = [
  { width: 1024, height: 768 },
  { width: 800, height: 1280 },
];
const ZONE = 'Europe/Rome';
const PNG = readFileSync(join(__dirname, '../../public/icons/icon-192.png'));

/** The page and photo caches the worker keeps for the day, with what each holds (paths). */
async function wardCaches(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const result: Record<string, string[]> = {};
    for (const key of await caches.keys()) {
      if (!/^insieme-(pages|photos)-/.test(key)) continue;
      const cache = await caches.open(key);
      result[key] = (await cache.keys()).map((request) => new URL(request.url).pathname + new URL(request.url).search).sort();
    }
    return result;
  });
}


describeInBrowser('The ward app offline in Chromium', () => {
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

  /** An activity a few minutes ago (on today's local date in the home), with three residents, photos of two. */
  async function todaysActivity(title: string): Promise<{ activity: Activity; names: string[]; photoIds: string[] }> {
    const photos = t.get(ResidentPhotos);
    const names: string[] = [];
    const photoIds: string[] = [];
    const residentIds: string[] = [];
    for (const [i, name] of ['Pina', 'Gino', 'Lella'].entries()) {
      const preferredName = `${name} ${title}`;
      const photoFile = i < 2 ? await photos.store({ buffer: PNG, size: PNG.length }) : null;
      const resident = await createResident(t, homeId, { preferredName, photoFile });
      names.push(preferredName);
      residentIds.push(resident.id);
      if (photoFile) photoIds.push(resident.id);
    }
    const now = DateTime.now().setZone(ZONE);
    const startsAt = DateTime.max(now.minus({ minutes: 5 }), now.startOf('day').plus({ seconds: 30 }));
    const activity = await createActivity(t, homeId, { title, startsAt: startsAt.toJSDate(), residentIds });
    return { activity, names, photoIds };
  }

  it.each(VIEWPORTS)('should open Today and the day\'s logs offline, show the offline page for the rest, and clear the day at sign-out, at $width x $height', async (viewport) => {
    const visited = await todaysActivity(`Singalong ${viewport.width}`);
    const warmed = await todaysActivity(`Bingo ${viewport.width}`);
    const page = await openPage(browser, viewport);
    const context = page.context();
    try {
      await signInAs(page, baseUrl, carer.email, carer.password);
      const today = await page.goto(`${baseUrl}/today`);
      const csp = String(today!.headers()['content-security-policy']);
      expect(csp).toContain("worker-src 'self'");
      expect(csp).not.toMatch(/unsafe-(inline|eval)/);
      await untilWorkerControls(page);
      // Chromium reads the manifest without a complaint and finds the app installable.
      const cdp = await context.newCDPSession(page);
      const manifest = (await cdp.send('Page.getAppManifest')) as { errors: unknown[]; data?: string };
      expect(manifest.errors).toEqual([]);
      expect(JSON.parse(manifest.data!)).toMatchObject({ start_url: '/today', display: 'standalone' });
      // Playwright's contexts are incognito, where Chromium never installs; nothing else stands in the way.
      const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
      expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
      // Today, loaded online, has the worker keep the pages it links to.
      await page.waitForFunction(() => document.documentElement.dataset.wardCacheWarmed !== undefined, undefined, { timeout: 20_000 });
      // Caches of a day that is over (a tablet left on overnight) go at the next page the worker serves.
      await page.evaluate(async () => {
        await (await caches.open('insieme-pages-2000-01-01')).put('/today', new Response('<h1>Yesterday</h1>', { headers: { 'Content-Type': 'text/html' } }));
        await (await caches.open('insieme-photos-2000-01-01')).put('/residents/00000000-0000-4000-8000-000000000000/photo', new Response('x'));
      });
      await page.goto(`${baseUrl}/activities/${visited.activity.id}/log`);
      await page.locator('h1', { hasText: visited.activity.title }).waitFor();
      await expect(page.$$eval('script:not([src])', (inline) => inline.length)).resolves.toBe(0);

      const day = DateTime.now().setZone(ZONE).toISODate();
      const kept = await wardCaches(page);
      expect(Object.keys(kept).sort()).toEqual([`insieme-pages-${day}`, `insieme-photos-${day}`]);
      expect(kept[`insieme-pages-${day}`]).toEqual(expect.arrayContaining(['/today', `/activities/${visited.activity.id}/log`, `/activities/${warmed.activity.id}/log`]));
      expect(kept[`insieme-pages-${day}`].every((path) => /^\/(today|activities\/[0-9a-f-]{36}(\/log)?)$/.test(path.split('?')[0]))).toBe(true);
      expect(kept[`insieme-photos-${day}`]).toEqual(expect.arrayContaining([...visited.photoIds, ...warmed.photoIds].map((id) => `/residents/${id}/photo`)));

      await context.setOffline(true);
      await expect(page.evaluate(() => fetch('/health').then(() => 'online', () => 'offline'))).resolves.toBe('offline');

      await page.goto(`${baseUrl}/today`);
      await expect(page.locator('h1').innerText()).resolves.toBe('Today');
      for (const activity of [visited.activity, warmed.activity]) await expect(page.locator('main').innerText()).resolves.toContain(activity.title);

      for (const { activity, names, photoIds } of [visited, warmed]) {
        await page.goto(`${baseUrl}/activities/${activity.id}/log`);
        await expect(page.locator('h1').innerText()).resolves.toContain(activity.title);
        for (const name of names) await expect(page.locator('main').innerText()).resolves.toContain(name);
        // The residents' photos come from the photo cache: decoded, not broken images.
        for (const id of photoIds) {
          const photo = page.locator(`img[src="/residents/${id}/photo"]`);
          await expect(photo.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth))).resolves.toBe(192);
        }
      }

      // A page that was never kept on the tablet: the offline page, in the carer's language.
      for (const path of ['/residents', `/activities/${visited.activity.id}/edit`]) {
        await page.goto(`${baseUrl}${path}`);
        await expect(page.locator('h1').innerText()).resolves.toBe('You are offline');
        await expect(page.locator('main').innerText()).resolves.toContain('What you tap is kept on this tablet and sent when the network is back.');
      }
      expect(await accessibilityViolations(page)).toEqual([]);
      // The offline page keeps the day's caches (the carer is still signed in).
      expect(Object.keys(await wardCaches(page))).toHaveLength(2);

      await context.setOffline(false);
      await page.goto(`${baseUrl}/today`);
      await Promise.all([page.waitForURL(/\/login\?signedOut=1/), page.locator('form[action="/logout"] button').click()]);
      await page.waitForFunction(() => document.documentElement.dataset.wardCacheCleared === 'true', undefined, { timeout: 10_000 });
      expect(await wardCaches(page)).toEqual({});
      // The shell stays: the offline page and the stylesheet are still precached.
      const shell = await page.evaluate(async () => (await Promise.all((await caches.keys()).map(async (key) => (await (await caches.open(key)).keys()).map((r) => new URL(r.url).pathname)))).flat());
      expect(shell).toEqual(expect.arrayContaining(['/offline', '/static/css/app.css', '/static/js/sw-register.js']));
    } finally {
      await context.close();
    }
  }, 120_000);

  it('should show the offline page in the carer\'s own language, whatever the browser\'s', async () => {
    const lucia = await createUser(t, { role: 'carer', homeIds: [homeId], displayName: 'Lucia Operatrice', locale: 'it' });
    const page = await openPage(browser, VIEWPORTS[0]);
    const context = page.context();
    try {
      await signInAs(page, baseUrl, lucia.email, lucia.password);
      await page.goto(`${baseUrl}/today`);
      await untilWorkerControls(page);
      await page.waitForFunction(() => document.documentElement.dataset.wardCacheWarmed !== undefined, undefined, { timeout: 20_000 });
      await context.setOffline(true);
      await page.goto(`${baseUrl}/residents`);
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('it');
      await expect(page.locator('h1').innerText()).resolves.toBe('Sei senza rete');
      await expect(page.locator('main').innerText()).resolves.toContain('Quello che tocchi resta su questo tablet e viene inviato quando torna la rete.');
      expect(await accessibilityViolations(page)).toEqual([]);

      // A lock without a page load (the tablet's idle lock) clears the day's pages in place.
      expect(Object.keys(await wardCaches(page))).not.toEqual([]);
      await page.evaluate(() => document.dispatchEvent(new Event('insieme:clear-ward-cache')));
      await page.waitForFunction(() => document.documentElement.dataset.wardCacheCleared === 'true', undefined, { timeout: 10_000 });
      expect(await wardCaches(page)).toEqual({});
    } finally {
      await context.close();
    }
  }, 60_000);
});
