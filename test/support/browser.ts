/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { Browser, chromium, Page } from 'playwright-core';
import type { TestApp } from './test-app';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Browser tests need Debian's Chromium (.ci/run installs it). Outside CI they are skipped with a
 * notice when it is missing; in CI a missing browser fails the run.
 */
export const describeInBrowser: jest.Describe = (() => {
  if (existsSync(CHROMIUM)) return describe;
  if (process.env.CI === 'true') throw new Error(`Chromium not found at ${CHROMIUM}; install the chromium package`);
  console.warn(`Skipping browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  return describe.skip;
})();

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** A page in a fresh context (its own cookies), as axe-core needs; closing the page's context closes both. */
export async function openPage(
  browser: Browser,
  viewport: { width: number; height: number },
  options: { serviceWorkers?: 'allow' | 'block' } = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport, hasTouch: true, ...options });
  return context.newPage();
}

/** Serves the in-process test app on a free port; returns its base URL. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export async function signInAs(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('#field-email', email);
  await page.fill('#field-password', password);
  // Each role lands on its own home page (a carer on /today), so wait only to leave the sign-in page.
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.click('form[action="/login"] button[type=submit]')]);
}

/**
 * Does `action` (submitting a form) and waits until the page it leads to has loaded, which must be at
 * `url`. For a form that posts back to the page it is on: `waitForURL` resolves at once there, the
 * address already matching, and the test then read the old page whenever the server was slower than
 * the test (CI, 4 December: a roster's notice was missing with two suites running beside each other).
 */
export async function submitAndLoad(page: Page, action: () => Promise<unknown>, url: string): Promise<void> {
  await Promise.all([page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() }), action()]);
  await page.waitForLoadState('load');
  if (page.url() !== url) throw new Error(`Expected to land on ${url}, landed on ${page.url()}`);
}

/** Serious or critical WCAG 2.1 A/AA violations on the page, as "rule: target" lines. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

/** Visible controls a finger must hit that are smaller than 44 px in either direction. */
export async function smallTouchTargets(page: Page): Promise<string[]> {
  return page.$$eval('main a, main button, main input:not([type=hidden]), main select, main textarea, header a, header button', (elements) =>
    elements
      .filter((el) => {
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        if (style.display === 'none' || style.visibility === 'hidden' || box.width === 0) return false;
        // Checkboxes and radios count with their label, which is part of the target.
        const target = (el as HTMLInputElement).type === 'checkbox' || (el as HTMLInputElement).type === 'radio' ? el.parentElement!.getBoundingClientRect() : box;
        // Links inside running text are exempt (WCAG 2.5.8 inline exception).
        if (el.tagName === 'A' && getComputedStyle(el.parentElement!).display === 'block' && el.parentElement!.tagName === 'P') return false;
        return target.height < 43.5 || target.width < 24;
      })
      .map((el) => `${el.tagName.toLowerCase()} "${(el.textContent ?? (el as HTMLInputElement).name ?? '').trim().slice(0, 40)}" ${Math.round(el.getBoundingClientRect().width)}x${Math.round(el.getBoundingClientRect().height)}`),
  );
}

/** True when the page scrolls sideways at this width. */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

/**
 * Until the ward app's service worker controls the page. A page that began loading while the worker
 * was still installing can stay uncontrolled until its next navigation: then it is reloaded once.
 */
export async function untilWorkerControls(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  const controlled = () => navigator.serviceWorker.controller !== null;
  if (!(await page.waitForFunction(controlled, undefined, { timeout: 2_000 }).then(() => true, () => false))) await page.reload();
  await page.waitForFunction(controlled, undefined, { timeout: 20_000 });
}
