import type { Browser, Page } from 'playwright-core';
import { HelpOffer } from '../../src/activities/entities/help-offer.entity';
import { Participation } from '../../src/activities/entities/participation.entity';
import { addDays, todayIn } from '../../src/common/time/zoned';
import { HomeView } from '../../src/homes/homes.service';
import { Resident } from '../../src/residents/entities/resident.entity';
import { Suggestion } from '../../src/voice/entities/suggestion.entity';
import { createActivity, createActivityType } from '../support/activity-factories';
import { accessibilityViolations, describeInBrowser, launchBrowser, listen, openPage, overflowsHorizontally, smallTouchTargets } from '../support/browser';
import { createHome, createUser, TestUser } from '../support/factories';
import { createVolunteer } from '../support/people-factories';
import { createRelative, createResident } from '../support/resident-factories';
import { createTestApp, TestApp } from '../support/test-app';
import { createParticipation } from '../support/voice-factories';

/**
 * Issue 5, "Done when": a relative suggests an activity idea on the family portal, the coordinator
 * accepts it in the inbox and schedules it, and the relative sees the answer and the new activity.
 */

const DESKTOP = { width: 1280, height: 800 };
const TABLET = { width: 800, height: 1280 };
const PHONE = { width: 390, height: 844 };
const ZONE = 'Europe/Rome';
const IDEA = 'Neapolitan songs on Sunday afternoon';
const ANSWER = 'What a lovely idea: we start this Sunday, and you are welcome to sing with us.';
const SCHEDULED = 'Canzoni napoletane';

/** Signs in wherever the home page then sends this role (the portal for a relative). */
async function signIn(page: Page, baseUrl: string, user: TestUser): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('#field-email', user.email);
  await page.fill('#field-password', user.password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.click('form[action="/login"] button[type=submit]')]);
}

/** The page as a person meets it: no serious or critical WCAG problems, nothing off the side, big targets. */
async function expectUsable(page: Page): Promise<void> {
  expect(await accessibilityViolations(page)).toEqual([]);
  expect(await overflowsHorizontally(page)).toBe(false);
  expect(await smallTouchTargets(page)).toEqual([]);
}

describeInBrowser('A family idea becomes an activity, in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let home: HomeView;
  let rosa: Resident;
  let relative: TestUser;
  let coordinator: TestUser;
  let typeId: string;

  beforeAll(async () => {
    t = await createTestApp();
    home = await createHome(t, { name: 'Casa Serena', timezone: ZONE });
    rosa = await createResident(t, home.id, { firstName: 'Rosa', lastName: 'Esposito', preferredName: 'Nonna Rosa', consentFamilyPortal: 'full' });
    relative = (await createRelative(t, rosa, { access: 'contribute' })).user;
    coordinator = await createUser(t, { role: 'coordinator', homeIds: [home.id] });
    typeId = (await createActivityType(t, home.id, { name: 'Canto', category: 'creative' })).id;
    baseUrl = await listen(t);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('should carry a relative\'s idea through the coordinator\'s answer back to the portal', async () => {
    const family = await openPage(browser, DESKTOP);
    const staff = await openPage(browser, DESKTOP);
    try {
      // The relative suggests an idea for the whole home from Rosa's page.
      await signIn(family, baseUrl, relative);
      await family.goto(`${baseUrl}/portal`);
      await expectUsable(family);
      await Promise.all([family.waitForURL(`${baseUrl}/portal/residents/${rosa.id}`), family.click(`a[href="/portal/residents/${rosa.id}"].button`)]);
      await expectUsable(family);
      await family.check('#suggestion-kind-activity_idea');
      await family.check('#suggestion-about-home');
      await family.fill('#field-title', IDEA);
      await family.fill('#field-body', 'Rosa sang them all her life, and others would join in.');
      await Promise.all([family.waitForURL(/\/portal\/residents\/[0-9a-f-]{36}#my-suggestions$/), family.click('form[action$="/suggestions"] button[type=submit]')]);
      expect(await family.locator('#my-suggestions').innerText()).toContain(IDEA);
      expect(await family.locator('#my-suggestions').innerText()).toContain('Waiting for an answer');
      // The thank-you is where the page took the relative, not at the top of the long page above them.
      const thanks = family.locator('#my-suggestions > .notice-success');
      expect(await thanks.innerText()).toMatch(/thank/i);
      await expect(thanks.isVisible()).resolves.toBe(true);
      expect(await thanks.evaluate((notice) => { const box = notice.getBoundingClientRect(); return box.top >= 0 && box.bottom <= innerHeight; })).toBe(true);
      expect(await family.locator('main > .notice').count()).toBe(0);
      await expectUsable(family);
      const suggestion = await t.dataSource.getRepository(Suggestion).findOneByOrFail({ title: IDEA });

      // The coordinator schedules it, shown to families, and accepts the idea with a link to it.
      await signIn(staff, baseUrl, coordinator);
      const date = addDays(todayIn(ZONE), 3);
      await staff.goto(`${baseUrl}/activities/new`);
      await staff.selectOption('#field-activityTypeId', typeId);
      await staff.fill('#field-title', SCHEDULED);
      await staff.fill('#field-date', date);
      await staff.fill('#field-time', '15:30');
      await staff.fill('#field-durationMinutes', '60');
      await staff.check('#field-visibleToFamilies');
      await Promise.all([staff.waitForURL(/\/activities\/[0-9a-f-]{36}$/), staff.click('main form[action="/activities"] button[type=submit]')]);
      const activityId = /\/activities\/([0-9a-f-]{36})$/.exec(staff.url())![1];

      await staff.goto(`${baseUrl}/inbox`);
      const card = staff.locator(`#s-${suggestion.id}`);
      expect(await card.innerText()).toContain(IDEA);
      await card.locator(`#activity-${suggestion.id}`).selectOption(activityId);
      await card.locator(`#response-${suggestion.id}`).fill(ANSWER);
      await Promise.all([staff.waitForURL(/\/inbox/), card.locator('button[name=status][value=accepted]').click()]);
      await staff.waitForLoadState();
      const stored = await t.dataSource.getRepository(Suggestion).findOneByOrFail({ id: suggestion.id });
      expect({ status: stored.status, linkedActivityId: stored.linkedActivityId }).toEqual({ status: 'accepted', linkedActivityId: activityId });

      // The relative reloads and finds the answer and the new activity.
      await family.reload();
      const answered = await family.locator('#my-suggestions').innerText();
      expect(answered).toContain('Accepted');
      expect(answered).toContain(ANSWER);
      expect(answered).toContain(SCHEDULED);
      const coming = await family.locator('#coming').innerText();
      expect(coming).toContain(SCHEDULED);
      expect(coming).toContain('15:30');
      await expectUsable(family);

      await family.goto(`${baseUrl}/portal`);
      expect(await family.locator('#my-suggestions').innerText()).toContain(ANSWER);
      expect(await family.locator('.portal-card').innerText()).toContain(SCHEDULED);
      await expectUsable(family);
    } finally {
      await family.context().close();
      await staff.context().close();
    }
  }, 90_000);

  it('should read well on a tablet held upright, in Italian', async () => {
    await createActivity(t, home.id, { title: 'Tombola', startsAt: new Date(Date.now() + 2 * 24 * 60 * 60 * 1000), visibleToFamilies: true });
    const page = await openPage(browser, TABLET);
    try {
      await signIn(page, baseUrl, relative);
      await page.goto(`${baseUrl}/portal`);
      await Promise.all([page.waitForURL(/\/portal$/), page.click('form.locale-switch button[type=submit]')]);
      expect(await page.locator('h1').innerText()).toBe('La mia famiglia a Casa Serena');
      await expectUsable(page);
      await page.goto(`${baseUrl}/portal/residents/${rosa.id}`);
      expect(await page.locator('#coming-heading').innerText()).toBe('Prossime attività');
      await expectUsable(page);
      await page.locator('#coming details summary').first().click();
      await expectUsable(page);
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it("should show a relative on a phone what their relative took part in, the carer's note included, without swiping sideways", async () => {
    const held = await createActivity(t, home.id, {
      title: 'Laboratorio di pittura', startsAt: new Date(Date.now() - 2 * 24 * 60 * 60 * 1000), status: 'completed', visibleToFamilies: true, residentIds: [rosa.id],
    });
    const note = 'She painted a sunflower to take home to her granddaughter.';
    const logged = await createParticipation(t, held, rosa.id, 'active');
    await t.dataSource.getRepository(Participation).update({ id: logged.id }, { familyNote: note });
    const page = await openPage(browser, PHONE);
    try {
      await signIn(page, baseUrl, relative);
      await page.goto(`${baseUrl}/portal/residents/${rosa.id}#history`);
      const cell = page.locator('.portal-history td', { hasText: note });
      await cell.scrollIntoViewIfNeeded();
      const box = (await cell.boundingBox())!;
      // Within the screen's width: before, the note was a fourth column off to the right of a table scrolled sideways.
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      expect(await page.locator('table.portal-history').evaluate((table) => table.scrollWidth <= table.clientWidth)).toBe(true);
      // Labelled by its column's heading (in the relative's language: an earlier test chose Italian), since the headings are not shown on a phone.
      const heading = (await page.locator('.portal-history thead th').nth(3).textContent())!.trim();
      expect(heading).toMatch(/^(Note for the family|Nota per la famiglia)$/);
      expect(await cell.evaluate((td) => getComputedStyle(td, '::before').content)).toBe(`"${heading}: "`);
      expect(await overflowsHorizontally(page)).toBe(false);
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it.each([DESKTOP, TABLET])('should show a volunteer their portal clearly and touchably at $width x $height', async (viewport) => {
    const volunteer = await createVolunteer(t, home.id, { firstName: 'Vera', lastName: 'Aiuto' });
    const user = await createUser(t, { role: 'volunteer', homeIds: [home.id], personKind: 'volunteer', personId: volunteer.id });
    const today = await createActivity(t, home.id, { title: 'Lettura del giornale', startsAt: new Date(Date.now() + 10 * 60 * 1000) });
    await t.dataSource.getRepository(HelpOffer).insert({
      homeId: home.id, activityId: today.id, offererType: 'volunteer', volunteerId: volunteer.id, familyMemberId: null, kind: 'deliver', status: 'confirmed',
      message: null, respondedBy: null, respondedAt: null, createdBy: null,
    });
    const page = await openPage(browser, viewport);
    try {
      await signIn(page, baseUrl, user);
      await page.goto(`${baseUrl}/volunteer`);
      expect(await page.locator('#mine').innerText()).toContain('Lettura del giornale');
      await expectUsable(page);
      await page.locator('#help-wanted details summary').first().click();
      await expectUsable(page);
    } finally {
      await page.context().close();
    }
  }, 60_000);
});
