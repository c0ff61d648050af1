import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { In } from 'typeorm';
import { Activity } from '../../src/activities/entities/activity.entity';
import { Participation } from '../../src/activities/entities/participation.entity';
import { AuditEntry } from '../../src/audit/entities/audit-entry.entity';
import { SessionRecord } from '../../src/auth/entities/session.entity';
import { translate } from '../../src/common/i18n/i18n';
import { createActivity } from '../support/activity-factories';
import { accessibilityViolations, describeInBrowser, launchBrowser, listen, signInAs } from '../support/browser';
import { createHome, createUser, TestUser } from '../support/factories';
import { createResident } from '../support/resident-factories';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Issue 15 items 2 and 3 in Chromium, on both ward tablet sizes: taps kept on the tablet through a
 * reload and a closed page; a save made offline waits in the outbox and is stored once when the
 * network is back; a save after the session ended signs in in place and loses nothing; two tablets'
 * offline logs of the same residents follow the later-tap rule and the loser is told; a save for an
 * activity cancelled meanwhile lands in "could not send" with the reason.
 */

const VIEWPORTS = [
  { width: 1024, height: 768 },
  { width: 800, height: 1280 },
];
const WARD = JSON.parse(readFileSync(join(__dirname, '..', '..', 'locales', 'en', 'ward.json'), 'utf8')) as Record<string, string>;

/**
 * Each test drives one or two tablets through several pages, IndexedDB, a service worker and axe: on a
 * busy two-core CI machine that can pass Jest's 30 s default without anything being wrong.
 */
jest.setTimeout(90_000);

describeInBrowser('Offline-first tablet log in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let homeId: string;
  let anna: TestUser;
  let bea: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    baseUrl = await listen(t);
    homeId = (await createHome(t, { timezone: 'Europe/Rome' })).id;
    anna = await createUser(t, { role: 'carer', homeIds: [homeId], displayName: 'Anna Carer', locale: 'en' });
    bea = await createUser(t, { role: 'carer', homeIds: [homeId], displayName: 'Bea Carer', locale: 'en' });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function groupActivity(title: string, size = 3): Promise<{ activity: Activity; residentIds: string[] }> {
    const residentIds: string[] = [];
    for (let i = 0; i < size; i += 1) residentIds.push((await createResident(t, homeId, { preferredName: `${title} ${i + 1}` })).id);
    return { activity: await createActivity(t, homeId, { title, residentIds }), residentIds };
  }

  /** A failed test's tablet must not go on sending (as its carer) into the next test. */
  const open: BrowserContext[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((context) => context.close().catch(() => undefined)));
  });

  /** A tablet: its own cookies and its own IndexedDB. */
  async function tablet(viewport: { width: number; height: number }, user: TestUser): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport, hasTouch: true });
    open.push(context);
    const page = await context.newPage();
    await signInAs(page, baseUrl, user.email, user.password);
    return { context, page };
  }

  async function openLog(page: Page, activity: Activity): Promise<void> {
    await page.goto(`${baseUrl}/activities/${activity.id}/log`);
    await page.locator('.log-form[data-ward-ready]').waitFor();
  }

  function tile(page: Page, residentId: string) {
    return page.locator(`.log-tile:has(input[name=residentId][value="${residentId}"])`);
  }

  async function tap(page: Page, residentId: string, times = 1): Promise<void> {
    for (let i = 0; i < times; i += 1) await tile(page, residentId).locator('.log-tile-button').tap();
  }

  /** Waits until the tablet's draft for the activity holds `n` taps (the write is asynchronous). */
  async function draftHolds(page: Page, activityId: string, n: number): Promise<void> {
    await page.waitForFunction(
      ([id, count]) =>
        new Promise<boolean>((resolve) => {
          const open = indexedDB.open('insieme-ward');
          open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains('drafts')) { db.close(); resolve(false); return; }
            const get = db.transaction('drafts').objectStore('drafts').get(id as string);
            get.onsuccess = () => { db.close(); resolve(Object.keys(get.result?.entries ?? {}).length === count); };
            get.onerror = () => { db.close(); resolve(false); };
          };
          open.onerror = () => resolve(false);
        }),
      [activityId, n] as const,
    );
  }

  async function expectBadge(page: Page, text: string): Promise<void> {
    await page.waitForFunction((expected) => document.querySelector('[data-ward-status]')?.textContent?.trim() === expected, text, { timeout: 15_000 });
    // In the header, on screen without scrolling, on both tablet sizes.
    const box = await page.locator('.ward-badge').boundingBox();
    const viewport = page.viewportSize()!;
    expect(box && box.y >= 0 && box.y + box.height <= viewport.height && box.height >= 43.5).toBe(true);
  }

  async function rows(activityId: string) {
    return t.dataSource.getRepository(Participation).find({ where: { activityId }, order: { residentId: 'ASC' } });
  }

  it('should replay 50 saves queued offline, each stored once, and report how long it took (README figure)', async () => {
    const activities: { activity: Activity; residentIds: string[] }[] = [];
    for (let i = 0; i < 50; i += 1) activities.push(await groupActivity(`Replay ${i}`, 1));
    const { context, page } = await tablet(VIEWPORTS[0], anna);
    await openLog(page, activities[0].activity);
    await context.setOffline(true);
    // Fifty Saves made offline through the tablet's own store, as the log page makes them.
    const saves = activities.map(({ activity, residentIds }) => ({
      activityId: activity.id, href: `/activities/${activity.id}/log`, title: 'Replay', complete: false, names: {}, author: { id: anna.id, name: 'Anna Carer' },
      entries: [{ residentId: residentIds[0], engagement: 'active', moodBefore: null, moodAfter: null, staffNote: null, familyNote: null, tappedAt: new Date().toISOString() }],
    }));
    // As text, so the browser runs its own dynamic import (the test is compiled to CommonJS).
    await page.evaluate(`(async () => {
      const store = await import('/static/js/ward-store.js');
      for (const save of ${JSON.stringify(saves)}) await store.addToOutbox(save);
    })()`);
    await page.evaluate(`import('/static/js/outbox.js').then((outbox) => outbox.render())`);
    await expectBadge(page, WARD.waiting.replace('{n}', '50'));
    // Back online: the 'online' event starts the sender.
    const started = Date.now();
    await context.setOffline(false);
    await expectBadge(page, WARD.allSent);
    const seconds = (Date.now() - started) / 1000;
    console.log(`50 queued saves replayed after reconnect in ${seconds.toFixed(1)} s (${t.config.database.kind})`);
    const stored = await t.dataSource.getRepository(Participation).countBy({ recordedBy: anna.id, residentId: In(activities.map((a) => a.residentIds[0])) });
    expect(stored).toBe(50);
    await context.close();
  }, 120_000);

  it('should drop yesterday\'s drafts when the tablet opens its store, but never an unsent save', async () => {
    const { activity, residentIds } = await groupActivity('Yesterday', 1);
    const { context, page } = await tablet(VIEWPORTS[1], anna);
    await openLog(page, activity);
    const yesterday = Date.now() - 24 * 60 * 60 * 1000;
    // A draft and an unsent save left from yesterday (the device's local day), written as the store writes them.
    await page.evaluate(`new Promise((resolve, reject) => {
      const open = indexedDB.open('insieme-ward');
      open.onsuccess = () => {
        const tx = open.result.transaction(['drafts', 'outbox'], 'readwrite');
        const day = new Date(${yesterday});
        const pad = (n) => String(n).padStart(2, '0');
        tx.objectStore('drafts').put({ activityId: 'old-activity', day: day.getFullYear() + '-' + pad(day.getMonth() + 1) + '-' + pad(day.getDate()), entries: {} });
        tx.objectStore('outbox').put({ key: 'old-save-0001', activityId: ${JSON.stringify(activity.id)}, title: 'Yesterday', entries: [{ residentId: ${JSON.stringify(residentIds[0])}, engagement: 'absent', tappedAt: new Date(${yesterday}).toISOString() }], complete: false, names: {}, author: { id: 'someone-else', name: 'Carla Carer' }, createdAt: ${yesterday}, attempts: 3, nextTry: ${yesterday} });
        tx.oncomplete = () => { open.result.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
    })`);
    await page.reload();
    await page.locator('.log-form[data-ward-ready]').waitFor();
    const kept = await page.evaluate(`new Promise((resolve) => {
      const open = indexedDB.open('insieme-ward');
      open.onsuccess = () => {
        const tx = open.result.transaction(['drafts', 'outbox']);
        const drafts = tx.objectStore('drafts').getAllKeys();
        const outbox = tx.objectStore('outbox').getAllKeys();
        tx.oncomplete = () => { open.result.close(); resolve({ drafts: drafts.result, outbox: outbox.result }); };
      };
    })`);
    expect(kept).toEqual({ drafts: [], outbox: ['old-save-0001'] });
    // Not Anna's: it waits for its author, shown, and is never sent under Anna's name unasked.
    await expectBadge(page, WARD.waiting.replace('{n}', '1'));
    await page.locator('.ward-badge').tap();
    await page.locator('.ward-panel', { hasText: 'waiting for Carla Carer to sign in' }).waitFor();
    expect(await rows(activity.id)).toEqual([]);
    await context.close();
  });

  describe.each(VIEWPORTS)('at $width x $height', (viewport) => {
    it('should lay the draft back over the page after a reload and after the page was closed', async () => {
      const { activity, residentIds } = await groupActivity(`Draft ${viewport.width}`);
      const { context, page } = await tablet(viewport, anna);
      await openLog(page, activity);
      await expectBadge(page, WARD.allSent);
      // A tap counts as use: it asks for the session (at most once a minute), which keeps it alive.
      const keepAlive = page.waitForRequest((req) => req.url() === `${baseUrl}/api/session`);
      await tap(page, residentIds[0]);
      await keepAlive;
      await tap(page, residentIds[1], 2);
      await draftHolds(page, activity.id, 2);
      await page.reload();
      // The draft is read back from IndexedDB after the page has loaded; its note says when it is done.
      const restored = page.locator('[data-ward-restored]');
      await restored.waitFor();
      await expect(tile(page, residentIds[0]).getAttribute('data-engagement')).resolves.toBe('active');
      await expect(tile(page, residentIds[1]).getAttribute('data-engagement')).resolves.toBe('passive');
      await expect(tile(page, residentIds[2]).getAttribute('data-engagement')).resolves.toBe('');
      await expect(restored.innerText()).resolves.toMatch(/^Restored 2 unsaved taps by Anna Carer at \d\d:\d\d\.$/);
      // Closed, and opened again in a new page: still there.
      await page.close();
      const again = await context.newPage();
      await openLog(again, activity);
      await again.locator('[data-ward-restored]').waitFor();
      await expect(tile(again, residentIds[1]).getAttribute('data-engagement')).resolves.toBe('passive');
      expect(await rows(activity.id)).toEqual([]);
      await context.close();
    });

    it('should keep a save made offline in the outbox and store it once when the network is back', async () => {
      const { activity, residentIds } = await groupActivity(`Offline ${viewport.width}`);
      const { context, page } = await tablet(viewport, anna);
      await openLog(page, activity);
      await context.setOffline(true);
      await tap(page, residentIds[0]);
      await tap(page, residentIds[2], 5);
      await draftHolds(page, activity.id, 2);
      await page.getByRole('button', { name: translate('en', 'activities.save'), exact: true }).tap();
      await expectBadge(page, WARD.waiting.replace('{n}', '1'));
      await expect(page.locator('[data-ward-save]').innerText()).resolves.toBe(WARD.savedOnTablet);
      expect(await rows(activity.id)).toEqual([]);
      await context.setOffline(false);
      await expectBadge(page, WARD.allSent);
      const stored = await rows(activity.id);
      expect(stored.map((r) => [r.residentId, r.engagement, r.recordedBy]).sort()).toEqual(
        [[residentIds[0], 'active', anna.id], [residentIds[2], 'absent', anna.id]].sort(),
      );
      expect(await t.dataSource.getRepository(AuditEntry).countBy({ entityType: 'participation', entityId: activity.id })).toBe(1);
      // Sent: the draft is cleared, so a reload restores nothing.
      await draftHolds(page, activity.id, 0);
      await page.reload();
      await expect(page.locator('[data-ward-restored]').count()).resolves.toBe(0);
      await context.close();
    });

    it('should ask for sign-in in place when the session ended, then send, losing nothing', async () => {
      const { activity, residentIds } = await groupActivity(`Expired ${viewport.width}`);
      const { context, page } = await tablet(viewport, anna);
      await openLog(page, activity);
      // The first tap's keep-alive must be answered before the session ends, or it could save the session again.
      const keepAlive = page.waitForResponse((res) => res.url() === `${baseUrl}/api/session`);
      await tap(page, residentIds[0], 4);
      await tap(page, residentIds[1]);
      await draftHolds(page, activity.id, 2);
      await keepAlive;
      await t.dataSource.getRepository(SessionRecord).delete({ userId: anna.id });
      await page.getByRole('button', { name: translate('en', 'activities.save'), exact: true }).tap();
      const dialog = page.locator('dialog[data-ward-signin]');
      await dialog.waitFor({ state: 'visible' });
      await expect(page.locator('[data-ward-save]').innerText()).resolves.toBe(WARD.savedSignIn);
      expect({ violations: await accessibilityViolations(page) }).toEqual({ violations: [] });
      await dialog.locator('#ward-email').fill(anna.email);
      await dialog.locator('#ward-password').fill(anna.password);
      await Promise.all([page.waitForURL(`${baseUrl}/today`), dialog.getByRole('button', { name: translate('en', 'auth.signIn') }).tap()]);
      await expect(page.locator('[data-ward-flash]').innerText()).resolves.toBe(translate('en', 'activities.logSaved', { n: 2 }));
      await expectBadge(page, WARD.allSent);
      expect((await rows(activity.id)).map((r) => r.engagement).sort()).toEqual(['active', 'declined']);
      await context.close();
    });

    it('should keep the later of two tablets\' offline taps and tell the carer whose tap was not kept', async () => {
      const { activity, residentIds } = await groupActivity(`Two tablets ${viewport.width}`);
      const first = await tablet(viewport, anna);
      const second = await tablet(viewport, bea);
      await openLog(first.page, activity);
      await openLog(second.page, activity);
      await first.context.setOffline(true);
      await second.context.setOffline(true);
      await tap(first.page, residentIds[0]);
      await tap(first.page, residentIds[1]);
      await draftHolds(first.page, activity.id, 2);
      // Bea taps Maria later, on the other tablet.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await tap(second.page, residentIds[0], 2);
      await draftHolds(second.page, activity.id, 1);
      for (const { page } of [first, second]) {
        await page.getByRole('button', { name: translate('en', 'activities.save'), exact: true }).tap();
        await expectBadge(page, WARD.waiting.replace('{n}', '1'));
      }
      // Bea's tablet reconnects first; Anna's earlier tap then arrives second and loses.
      await second.context.setOffline(false);
      await expectBadge(second.page, WARD.allSent);
      await first.context.setOffline(false);
      await expectBadge(first.page, '1 not kept');
      const conflict = first.page.locator(`[data-ward-conflict="${residentIds[0]}"]`);
      await expect(conflict.innerText()).resolves.toMatch(
        new RegExp(`^Two tablets ${viewport.width} 1: ${translate('en', 'activities.engagement.passive')}, logged by Bea Carer at \\d\\d:\\d\\d, was kept; your '${translate('en', 'activities.engagement.active')}' at \\d\\d:\\d\\d was not\\.`),
      );
      await expect(tile(first.page, residentIds[0]).getAttribute('data-engagement')).resolves.toBe('passive');
      const stored = new Map((await rows(activity.id)).map((r) => [r.residentId, r]));
      expect(stored.get(residentIds[0])).toMatchObject({ engagement: 'passive', recordedBy: bea.id });
      expect(stored.get(residentIds[1])).toMatchObject({ engagement: 'active', recordedBy: anna.id });
      await first.context.close();
      await second.context.close();
    });

    it('should send another carer\'s waiting save only when the one signed in chooses "Send as me"', async () => {
      const { activity, residentIds } = await groupActivity(`Handover ${viewport.width}`);
      const { context, page } = await tablet(viewport, anna);
      await openLog(page, activity);
      await context.setOffline(true);
      await tap(page, residentIds[0]);
      await draftHolds(page, activity.id, 1);
      await page.getByRole('button', { name: translate('en', 'activities.save'), exact: true }).tap();
      await expectBadge(page, WARD.waiting.replace('{n}', '1'));
      // Anna's session ends while the tablet is offline; Bea picks the tablet up.
      await t.dataSource.getRepository(SessionRecord).delete({ userId: anna.id });
      await context.setOffline(false);
      await page.locator('.ward-badge').tap();
      await page.getByRole('button', { name: WARD.signInToSend }).tap();
      const dialog = page.locator('dialog[data-ward-signin]');
      await dialog.locator('#ward-email').fill(bea.email);
      await dialog.locator('#ward-password').fill(bea.password);
      await dialog.getByRole('button', { name: translate('en', 'auth.signIn') }).tap();
      await dialog.waitFor({ state: 'hidden' });
      await page.locator('.ward-panel', { hasText: 'waiting for Anna Carer to sign in' }).waitFor();
      expect(await rows(activity.id)).toEqual([]);
      await page.getByRole('button', { name: WARD.sendAsMe }).tap();
      await expectBadge(page, WARD.allSent);
      expect((await rows(activity.id)).map((r) => [r.residentId, r.engagement, r.recordedBy])).toEqual([[residentIds[0], 'active', bea.id]]);
      await context.close();
    });

    it('should say whom a refused save is about, and drop it from "could not send" once a later save sends them again', async () => {
      const { activity, residentIds } = await groupActivity(`Refused ${viewport.width}`);
      const { context, page } = await tablet(viewport, anna);
      await openLog(page, activity);
      await tap(page, residentIds[0]);
      await tile(page, residentIds[0]).locator('summary').tap();
      const note = tile(page, residentIds[0]).locator('textarea[name=staffNote]');
      // The box stops typing at 2,000 characters; a page kept from an older version could still send more.
      await note.evaluate((box: HTMLTextAreaElement) => {
        box.removeAttribute('maxlength');
        box.value = 'x'.repeat(2001);
        box.dispatchEvent(new Event('input', { bubbles: true }));
        box.dispatchEvent(new Event('change', { bubbles: true }));
      });
      await page.getByRole('button', { name: translate('en', 'activities.save'), exact: true }).tap();
      // The refusal is brought into view above the form; the badge is in the header above it.
      await page.locator('[data-ward-log-messages] .notice-error').waitFor();
      await expect(page.locator('[data-ward-log-messages] .notice-error').isVisible()).resolves.toBe(true);
      await page.evaluate(() => window.scrollTo(0, 0));
      await expectBadge(page, '1 could not be sent');
      // The API names the field by its place in the save (entries.0.staffNote); the carer reads whose it is.
      const said = page.locator('[data-ward-log-messages] .notice-error');
      await expect(said.innerText()).resolves.toContain(`Refused ${viewport.width} 1: `);
      expect(await rows(activity.id)).toEqual([]);

      await note.fill('Sang every verse');
      await page.getByRole('button', { name: translate('en', 'activities.save'), exact: true }).tap();
      await page.waitForURL((url) => !url.pathname.endsWith('/log'));
      await expectBadge(page, WARD.allSent);
      expect((await rows(activity.id)).map((r) => [r.residentId, r.engagement, r.staffNote])).toEqual([[residentIds[0], 'active', 'Sang every verse']]);
      await context.close();
    });

    it('should move a save for an activity cancelled meanwhile to "could not send", with the reason', async () => {
      const { activity, residentIds } = await groupActivity(`Cancelled ${viewport.width}`);
      const { context, page } = await tablet(viewport, anna);
      await openLog(page, activity);
      await context.setOffline(true);
      await tap(page, residentIds[0]);
      await draftHolds(page, activity.id, 1);
      await page.getByRole('button', { name: translate('en', 'activities.save'), exact: true }).tap();
      await expectBadge(page, WARD.waiting.replace('{n}', '1'));
      await t.dataSource.getRepository(Activity).update({ id: activity.id }, { status: 'cancelled', cancelReason: 'Heating broken' });
      await context.setOffline(false);
      await expectBadge(page, '1 could not be sent');
      await page.locator('.ward-badge').tap();
      const refused = page.locator(`[data-refused="${activity.id}"]`);
      await expect(refused.locator('.ward-reason').innerText()).resolves.toBe(translate('en', 'activities.cancelledNoChanges'));
      expect({ violations: await accessibilityViolations(page) }).toEqual({ violations: [] });
      // Kept after a reload until a person dismisses it.
      await page.reload();
      await expectBadge(page, '1 could not be sent');
      await page.locator('.ward-badge').tap();
      await page.locator(`[data-refused="${activity.id}"]`).getByRole('button', { name: WARD.dismiss }).tap();
      await expectBadge(page, WARD.allSent);
      expect(await rows(activity.id)).toEqual([]);
      await context.close();
    });
  });
});
