import type { Browser, Page } from 'playwright-core';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { MailMessage } from '../../src/mail/entities/mail-message.entity';
import { MailService } from '../../src/mail/mail.service';
import { accessibilityViolations, describeInBrowser, launchBrowser, listen, openPage, overflowsHorizontally, signInAs, smallTouchTargets, submitAndLoad } from '../support/browser';
import { createUser, TestUser } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/** The admin's outbox page as a person meets it: kept, failed and waiting mails, a mail's text, the test form. */
describeInBrowser('The mail outbox, in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let admin: TestUser;
  let failedId: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, { role: 'admin', displayName: 'Anna Bianchi' });
    const mails = await t.get(UnitOfWork).transaction(async (m) => [
      await t.get(MailService).enqueue(m, { to: 'kept@example.org', template: 'test', locale: 'it', params: { sender: 'Anna' } }),
      await t.get(MailService).enqueue(m, { to: 'failed@example.org', template: 'test', locale: 'en', params: { sender: 'Anna' } }),
    ]);
    failedId = mails[1].id;
    await t.dataSource.getRepository(MailMessage).update({ id: failedId }, { status: 'failed', attempts: 8, lastError: '550 5.1.1 Mailbox does not exist: failed@example.org' });
    baseUrl = await listen(t);
    browser = await launchBrowser();
    page = await openPage(browser, { width: 800, height: 1280 });
    await signInAs(page, baseUrl, admin.email, admin.password);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  async function expectUsable(): Promise<void> {
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await overflowsHorizontally(page)).toBe(false);
    expect(await smallTouchTargets(page)).toEqual([]);
  }

  it('should list the outbox with each status and the last error, usable on a tablet', async () => {
    await page.goto(`${baseUrl}/admin/mail`);
    await expectUsable();
    const table = await page.textContent('table');
    expect(table).toContain('Kept');
    expect(table).toContain('Failed');
    expect(table).toContain('Mailbox does not exist');
  });

  it('should show the error beside the address when the test form is sent with a bad address', async () => {
    await page.goto(`${baseUrl}/admin/mail`);
    await page.fill('#field-to', 'nobody at all');
    await Promise.all([page.waitForLoadState('load'), page.click('form[action="/admin/mail/test"] button[type=submit]')]);
    expect(await page.inputValue('#field-to')).toBe('nobody at all');
    expect(await page.isVisible('#error-to')).toBe(true);
    await expectUsable();
  });

  it('should show a failed mail text and send it again', async () => {
    await page.goto(`${baseUrl}/admin/mail/${failedId}`);
    await expectUsable();
    expect(await page.textContent('pre')).toContain('sent by Anna');
    await submitAndLoad(page, () => page.click('text=Send again'), `${baseUrl}/admin/mail/${failedId}`);
    expect(await page.textContent('main')).toContain('The mail will be sent again.');
    expect((await t.dataSource.getRepository(MailMessage).findOneByOrFail({ id: failedId })).status).toBe('kept');
  });
});
