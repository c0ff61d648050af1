/// <reference lib="dom" />
import { chromium } from 'playwright-core';

/** Debian's Chromium, as the browser tests use it. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export interface OutboxReplayFigures {
  saves: number;
  /** Residents tapped in each save (each tap changes how they took part). */
  tapsPerSave: number;
  /** From the tablet coming back online to the badge saying "All sent". */
  replayMs: number;
  /** Participation rows the app held for those activities after the replay. */
  rowsAfter: number;
}

/**
 * SPEC 7: an offline tablet's queued saves replay within 10 s of reconnecting. A carer signs in on a
 * real Chromium, opens each activity's log, taps `taps` residents' tiles and Save while every
 * participation request fails on the network (the tablet is offline for the API), so each save
 * waits in the tablet's outbox; then the network comes back and the time until the badge says
 * "All sent" is measured. `countRows` reads the database afterwards, so a badge that lies is caught.
 */
export async function measureOutboxReplay(options: {
  baseUrl: string;
  email: string;
  password: string;
  activityIds: string[];
  taps: number;
  countRows: () => Promise<number>;
}): Promise<OutboxReplayFigures> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${options.baseUrl}/login`);
    await page.fill('#field-email', options.email);
    await page.fill('#field-password', options.password);
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.click('form[action="/login"] button[type=submit]')]);

    // The API's writes fail as on a dropped network; pages still load, so each log can be opened.
    const offline = '**/api/activities/*/participation';
    await context.route(offline, (route) => route.abort('internetdisconnected'));
    for (const [i, activityId] of options.activityIds.entries()) {
      await page.goto(`${options.baseUrl}/activities/${activityId}/log`);
      // A tap moves a tile to its next state, so every tapped resident's entry changes.
      const tiles = page.locator('.log-tile-button');
      await tiles.nth(options.taps - 1).waitFor({ timeout: 15_000 }).catch(async (error: Error) => {
        throw new Error(`${error.message}\nat ${page.url()}: ${(await page.locator('main').innerText().catch(() => '')).replace(/\s+/g, ' ').slice(0, 600)}`);
      });
      for (let t = 0; t < options.taps; t += 1) await tiles.nth(t).click();
      await page.click('.log-actions button[type=submit]:not([name=complete])');
      // The save ends one of two ways: the tablet goes back to Today (where the ward's service worker
      // serves it offline) or stays on the log with a message. Opening the next log before then
      // collided with the first (net::ERR_ABORTED).
      const leftLog = page.waitForURL((url) => !url.pathname.endsWith('/log'), { timeout: 30_000 });
      const stayed = page.locator('[data-ward-save]').first().waitFor({ timeout: 30_000 });
      leftLog.catch(() => undefined);
      stayed.catch(() => undefined);
      await Promise.any([leftLog, stayed]);
      await page.waitForFunction((n) => {
        const status = document.querySelector('[data-ward-status]')?.textContent ?? '';
        return new RegExp(`(^|\\D)${n}(\\D|$)`).test(status);
      }, i + 1);
    }
    await page.goto(`${options.baseUrl}/today`);

    await context.unroute(offline);
    const started = Date.now();
    // What the browser does when the network returns; the outbox sends at once.
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.waitForFunction(() => document.querySelector('[data-ward-outbox]')?.getAttribute('data-state') === 'sent', undefined, { timeout: 120_000 });
    const replayMs = Date.now() - started;
    return { saves: options.activityIds.length, tapsPerSave: options.taps, replayMs, rowsAfter: await options.countRows() };
  } finally {
    await browser.close();
  }
}
