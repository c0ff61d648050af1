import type { Browser } from 'playwright-core';
import { accessibilityViolations, describeInBrowser, launchBrowser, listen, openPage, overflowsHorizontally, signInAs, smallTouchTargets } from '../support/browser';
import { createTestApp, TestApp } from '../support/test-app';

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 800, height: 1280 },
];

describeInBrowser('Resident pages in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { SEED_DEMO: 'true', NODE_ENV: 'development' } });
    baseUrl = await listen(t);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each(VIEWPORTS)('should show the list and a resident clearly and touchably at $width x $height', async (viewport) => {
    const page = await openPage(browser, viewport);
    try {
      await signInAs(page, baseUrl, 'coordinator@casa-serena.demo', 'insieme-demo');
      await page.goto(`${baseUrl}/residents`);
      expect(await page.locator('.resident-row').count()).toBe(24);
      expect(await overflowsHorizontally(page)).toBe(false);
      expect(await smallTouchTargets(page)).toEqual([]);
      expect(await accessibilityViolations(page)).toEqual([]);

      await page.fill('#filter-q', 'U08');
      await page.tap('form[role=search] button[type=submit]');
      await page.waitForURL(/q=U08/);
      expect(await page.locator('.resident-row').count()).toBe(1);

      await page.tap('.resident-row');
      await page.waitForURL(/\/residents\/[0-9a-f-]{36}$/);
      await page.locator('h1').waitFor();
      expect(await overflowsHorizontally(page)).toBe(false);
      expect(await smallTouchTargets(page)).toEqual([]);
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.screenshot({ path: `${t.database.uploadsDir}/../resident-${viewport.width}.png`, fullPage: true });
    } finally {
      await page.context().close();
    }
  }, 60_000);
});
