import type { Browser, Page } from 'playwright-core';
import { IsNull } from 'typeorm';
import { User } from '../../src/auth/entities/user.entity';
import { HomeView } from '../../src/homes/homes.service';
import { Message } from '../../src/messages/entities/message.entity';
import { MessageRead } from '../../src/messages/entities/message-read.entity';
import { MessageThread } from '../../src/messages/entities/message-thread.entity';
import { Notification } from '../../src/notifications/entities/notification.entity';
import { Resident } from '../../src/residents/entities/resident.entity';
import { accessibilityViolations, describeInBrowser, launchBrowser, listen, openPage, signInAs, submitAndLoad } from '../support/browser';
import { createHome, createUser, TestUser } from '../support/factories';
import { createRelative, createResident } from '../support/resident-factories';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Review, 5 December, a relative on a phone and a coordinator on a desktop: a pasted 5,000-character
 * message went out cut at 4,000 without a word, and opening a conversation left it (and its
 * notifications) new until "Mark as read" was pressed.
 */

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

describeInBrowser('Messages in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let home: HomeView;
  let teresa: Resident;
  let relative: TestUser;
  let coordinator: TestUser;
  let manager: TestUser;

  const threadOf = () => t.dataSource.getRepository(MessageThread).findOneByOrFail({ residentId: teresa.id });
  const unread = (user: TestUser) => t.dataSource.getRepository(Notification).countBy({ userId: user.id, kind: 'message', readAt: IsNull() });
  const counter = (page: Page) => page.locator('#field-body ~ .char-count').textContent();

  beforeAll(async () => {
    t = await createTestApp();
    home = await createHome(t, { name: 'Casa Serena', timezone: 'Europe/Rome' });
    teresa = await createResident(t, home.id, { firstName: 'Teresa', lastName: 'Bonfiglioli', preferredName: 'Teresina', consentFamilyPortal: 'full' });
    relative = (await createRelative(t, teresa, { access: 'contribute' })).user;
    await t.dataSource.getRepository(User).update({ id: relative.id }, { locale: 'it' });
    coordinator = await createUser(t, { role: 'coordinator', homeIds: [home.id] });
    manager = await createUser(t, { role: 'manager', homeIds: [home.id] });
    baseUrl = await listen(t);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('should keep all of a pasted long message, count down to the limit and past it, and send it once shortened', async () => {
    const page = await openPage(browser, PHONE);
    try {
      await signInAs(page, baseUrl, relative.email, relative.password);
      const thread = `${baseUrl}/portal/residents/${teresa.id}/messages`;
      await page.goto(thread);
      expect(await page.locator('nav [aria-current="page"]').getAttribute('href')).toBe('/portal/messages');
      expect(await counter(page)).toBe('Restano 4000 caratteri');

      const letter = `${'Una lunga lettera per Teresina. '.repeat(157)}Fine.`;
      expect(letter.length).toBeGreaterThan(4000);
      await page.fill('#field-body', letter);
      expect(await page.inputValue('#field-body')).toBe(letter);
      expect(await counter(page)).toBe(`${letter.length - 4000} caratteri di troppo`);
      expect(await accessibilityViolations(page)).toEqual([]);

      // The server refuses it and gives it all back to shorten.
      await submitAndLoad(page, () => page.click('#write button[type=submit]'), thread);
      expect(await page.locator('#error-body').textContent()).toContain('Usa al massimo 4000 caratteri.');
      expect(await page.inputValue('#field-body')).toBe(letter);
      expect(await counter(page)).toBe(`${letter.length - 4000} caratteri di troppo`);
      expect(await t.dataSource.getRepository(Message).count()).toBe(0);

      const shortened = letter.slice(0, 3993);
      await page.fill('#field-body', `${shortened}\n\nCiao`);
      expect(await counter(page)).toBe('Resta 1 carattere');
      await submitAndLoad(page, () => page.click('#write button[type=submit]'), `${thread}#write`);
      expect((await t.dataSource.getRepository(Message).findOneByOrFail({ side: 'family' })).body).toBe(`${shortened}\n\nCiao`);
    } finally {
      await page.context().close();
    }
  });

  it('should mark the conversation and its notifications read for the home once the coordinator has the page on screen, and keep the button without JavaScript', async () => {
    expect(await unread(coordinator)).toBe(1);
    expect(await unread(manager)).toBe(1);

    const bare = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false });
    try {
      const page = await bare.newPage();
      await signInAs(page, baseUrl, manager.email, manager.password);
      await page.goto(`${baseUrl}/residents/${teresa.id}/messages`);
      await page.waitForTimeout(500);
      expect(await page.locator('form[data-read-on-view] button').isVisible()).toBe(true);
      expect((await threadOf()).homeReadAt).toBeNull();
    } finally {
      await bare.close();
    }

    const page = await openPage(browser, DESKTOP);
    try {
      await signInAs(page, baseUrl, coordinator.email, coordinator.password);
      expect(await page.locator('nav a[href="/messages"]').textContent()).toBe('Messages (1)');
      // Straight from the notification, as in the review.
      await page.goto(`${baseUrl}/notifications`);
      await Promise.all([page.waitForURL(`${baseUrl}/residents/${teresa.id}/messages`), page.locator('main form[action$="/open"] button').first().click()]);
      expect(await page.locator('nav [aria-current="page"]').getAttribute('href')).toBe('/messages');
      expect(await page.locator('h1').textContent()).toBe('Messages about Teresina Bonfiglioli');
      expect(await page.locator('.back-link-row a[href^="/residents/"]').textContent()).toBe('Teresina Bonfiglioli');
      // The messages stay marked new on the screen the reader is looking at.
      await page.locator('form[data-read-on-view]').waitFor({ state: 'detached' });
      expect(await page.locator('.message-new').count()).toBe(1);
      expect((await threadOf()).homeReadAt).not.toBeNull();
      expect(await unread(coordinator)).toBe(0);
      expect(await unread(manager)).toBe(0);

      await page.reload();
      expect(await page.locator('.message-new').count()).toBe(0);
      expect(await page.locator('nav a[href="/messages"]').textContent()).toBe('Messages');
      expect(await page.locator('a.notifications-link').textContent()).toBe('Notifications');
      expect(await accessibilityViolations(page)).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('should not mark a relative\'s conversation read while it waits in a background tab', async () => {
    const staff = await openPage(browser, DESKTOP);
    const family = await openPage(browser, PHONE);
    try {
      await signInAs(staff, baseUrl, coordinator.email, coordinator.password);
      await staff.goto(`${baseUrl}/residents/${teresa.id}/messages`);
      await staff.fill('#field-body', 'Teresina ha pranzato con appetito.');
      await submitAndLoad(staff, () => staff.click('#write button[type=submit]'), `${baseUrl}/residents/${teresa.id}/messages#write`);
      expect(await unread(relative)).toBe(1);
      const readMark = async () => (await t.dataSource.getRepository(MessageRead).findOneByOrFail({ userId: relative.id })).readAt.getTime();
      const before = await readMark();

      await signInAs(family, baseUrl, relative.email, relative.password);
      // A page the reader has not seen: hidden, as in a tab opened behind the current one.
      await family.addInitScript(() => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (window as unknown as { shown?: boolean }).shown ? 'visible' : 'hidden' });
      });
      await family.goto(`${baseUrl}/portal/residents/${teresa.id}/messages`);
      await family.waitForTimeout(500);
      expect(await readMark()).toBe(before);
      expect(await unread(relative)).toBe(1);

      await family.evaluate(() => {
        (window as unknown as { shown?: boolean }).shown = true;
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await family.locator('form[data-read-on-view]').waitFor({ state: 'detached' });
      expect(await readMark()).toBeGreaterThan(before);
      expect(await unread(relative)).toBe(0);
    } finally {
      await staff.context().close();
      await family.context().close();
    }
  });
});
