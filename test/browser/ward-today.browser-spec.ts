import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Activity } from '../../src/activities/entities/activity.entity';
import { Participation } from '../../src/activities/entities/participation.entity';
import { translate } from '../../src/common/i18n/i18n';
import { createActivity } from '../support/activity-factories';
import { accessibilityViolations, describeInBrowser, launchBrowser, listen, signInAs, untilWorkerControls } from '../support/browser';
import { createHome, createUser, TestUser } from '../support/factories';
import { createResident } from '../support/resident-factories';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Today on the ward's shared tablet (800 x 1280, Italian) says what the tablet holds that the server
 * has not written: taps left on a log without Save ("1 tocco non salvato", leading back to the log),
 * and a save waiting in the outbox ("Salvato sul tablet, in attesa di invio"); offline, it says the
 * page is the copy from when. Neither a carer's tap nor a stale count is passed off as the whole story.
 */

const ZONE = 'Europe/Rome';
const VIEWPORT = { width: 800, height: 1280 };
const it_ = (key: string, params?: Record<string, unknown>) => translate('it', key, params);

jest.setTimeout(90_000);

describeInBrowser('Today on the ward tablet, with what the tablet holds', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let homeId: string;
  let carer: TestUser;
  const open: BrowserContext[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    baseUrl = await listen(t);
    homeId = (await createHome(t, { timezone: ZONE })).id;
    carer = await createUser(t, { role: 'carer', homeIds: [homeId], displayName: 'Anna Operatrice', locale: 'it' });
    browser = await launchBrowser();
  }, 60_000);

  afterEach(async () => {
    await Promise.all(open.splice(0).map((context) => context.close().catch(() => undefined)));
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function todaysActivity(title: string): Promise<{ activity: Activity; residentIds: string[] }> {
    const residentIds: string[] = [];
    for (let i = 0; i < 3; i += 1) residentIds.push((await createResident(t, homeId, { preferredName: `${title} ${i + 1}` })).id);
    const now = DateTime.now().setZone(ZONE);
    const startsAt = DateTime.max(now.minus({ minutes: 5 }), now.startOf('day').plus({ seconds: 30 }));
    return { activity: await createActivity(t, homeId, { title, startsAt: startsAt.toJSDate(), residentIds }), residentIds };
  }

  async function tablet(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: VIEWPORT, hasTouch: true, locale: 'it-IT' });
    open.push(context);
    const page = await context.newPage();
    await signInAs(page, baseUrl, carer.email, carer.password);
    return { context, page };
  }

  async function openLog(page: Page, activity: Activity): Promise<void> {
    await page.goto(`${baseUrl}/activities/${activity.id}/log`);
    await page.locator('.log-form[data-ward-ready]').waitFor();
  }

  const tile = (page: Page, residentId: string) => page.locator(`.log-tile:has(input[name=residentId][value="${residentId}"])`);
  const card = (page: Page, activity: Activity) => page.locator(`[data-ward-card="${activity.id}"]`);
  const logButton = (page: Page, activity: Activity) => page.locator(`a.today-log[href="/activities/${activity.id}/log"]`);

  async function expectBadge(page: Page, text: string): Promise<void> {
    await page.waitForFunction((expected) => document.querySelector('[data-ward-status]')?.textContent?.trim() === expected, text, { timeout: 15_000 });
  }

  it('should show on Today, and in the badge, a tap left on a log without Save, leading back to it', async () => {
    const { activity, residentIds } = await todaysActivity('Tombola');
    const { page } = await tablet();
    await openLog(page, activity);
    await tile(page, residentIds[0]).locator('.log-tile-button').tap();
    await page.waitForFunction((id) => new Promise<boolean>((resolve) => {
      const opened = indexedDB.open('insieme-ward');
      opened.onsuccess = () => {
        const get = opened.result.transaction('drafts').objectStore('drafts').get(id);
        get.onsuccess = () => { opened.result.close(); resolve(get.result !== undefined); };
      };
    }), activity.id);
    // On the log itself the badge leaves its own taps out (the page shows them; a wider badge would move the tiles).
    await expectBadge(page, it_('ward.allSent'));
    await Promise.all([page.waitForURL(`${baseUrl}/today`), page.getByRole('link', { name: `← ${it_('activities.todayTitle')}` }).tap()]);

    await expectBadge(page, it_('ward.unsavedCount', { n: 1 }));
    await card(page, activity).waitFor();
    const unsaved = card(page, activity).getByRole('link', { name: it_('ward.cardUnsaved', { n: 1 }) });
    await expect(unsaved.getAttribute('href')).resolves.toBe(`/activities/${activity.id}/log`);
    // No green "Registra" inviting the carer to start again.
    await expect(logButton(page, activity).getAttribute('class')).resolves.toContain('button-quiet');
    await expect(logButton(page, activity).innerText()).resolves.toContain(it_('activities.reviewLog'));
    await page.locator('.ward-badge').tap();
    await expect(page.locator('.ward-panel').innerText()).resolves.toContain(it_('ward.unsavedLine', { title: 'Tombola', n: 1 }));
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.locator('.ward-badge').tap();

    await Promise.all([page.waitForURL(`${baseUrl}/activities/${activity.id}/log`), unsaved.tap()]);
    await page.locator('[data-ward-restored]').waitFor();
    await expect(tile(page, residentIds[0]).getAttribute('data-engagement')).resolves.toBe('active');
    await Promise.all([page.waitForURL(`${baseUrl}/today`), page.getByRole('button', { name: it_('activities.save'), exact: true }).tap()]);
    await expectBadge(page, it_('ward.allSent'));
    await expect(card(page, activity).isHidden()).resolves.toBe(true);
    const rows = await t.dataSource.getRepository(Participation).findBy({ activityId: activity.id });
    expect(rows.map((r) => [r.residentId, r.engagement])).toEqual([[residentIds[0], 'active']]);
  });

  it('should say offline that Today is the copy from when, and that a log saved offline is waiting on the tablet', async () => {
    const { activity, residentIds } = await todaysActivity('Coro');
    const { context, page } = await tablet();
    await page.goto(`${baseUrl}/today`);
    await untilWorkerControls(page);
    await expect(page.locator('[data-ward-page-copy] .notice').count()).resolves.toBe(0);
    await openLog(page, activity);

    await context.setOffline(true);
    await tile(page, residentIds[0]).locator('.log-tile-button').tap();
    await tile(page, residentIds[1]).locator('.log-tile-button').tap();
    await page.getByRole('button', { name: it_('activities.save'), exact: true }).tap();
    await expectBadge(page, it_('ward.waiting', { n: 1 }));

    await page.goto(`${baseUrl}/today`);
    await expect(page.locator('h1').innerText()).resolves.toBe(it_('activities.todayTitle'));
    const copy = page.locator('[data-ward-page-copy] .notice');
    await copy.waitFor();
    await expect(copy.innerText()).resolves.toMatch(new RegExp(`^${it_('ward.pageCopy', { time: '@@' }).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('@@', '\\d\\d:\\d\\d')}$`));
    // The kept page's count is from before the save: the card says what the tablet holds.
    await expect(page.locator('main').innerText()).resolves.toContain(it_('activities.loggedOf', { logged: 0, total: 3 }));
    await expect(card(page, activity).innerText()).resolves.toBe(it_('ward.cardWaiting'));
    await expect(logButton(page, activity).getAttribute('class')).resolves.toContain('button-quiet');
    await expectBadge(page, it_('ward.waiting', { n: 1 }));
    expect(await accessibilityViolations(page)).toEqual([]);

    // Back online: sent, and the page no longer claims to be a copy.
    await context.setOffline(false);
    await expectBadge(page, it_('ward.allSent'));
    await expect(card(page, activity).isHidden()).resolves.toBe(true);
    await expect(copy.count()).resolves.toBe(0);
    const rows = await t.dataSource.getRepository(Participation).findBy({ activityId: activity.id });
    expect(rows.map((r) => r.residentId).sort()).toEqual([residentIds[0], residentIds[1]].sort());
  });
});
