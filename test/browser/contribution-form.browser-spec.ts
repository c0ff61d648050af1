/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { Contribution } from '../../src/contributions/entities/contribution.entity';
import { HomeView } from '../../src/homes/homes.service';
import { createActivity } from '../support/activity-factories';
import { accessibilityViolations, describeInBrowser, launchBrowser, listen, openPage, signInAs, smallTouchTargets, submitAndLoad } from '../support/browser';
import { createHome, createUser, TestUser } from '../support/factories';
import { createStaffMember, createVolunteer } from '../support/people-factories';
import { createResident } from '../support/resident-factories';
import { createTestApp, TestApp } from '../support/test-app';

const TABLET = { width: 800, height: 1280 };

/** The names the person list offers now, each with the kind of its group ('' for the first, empty choice). */
function offered(page: Page): Promise<string[]> {
  return page.$$eval('#field-personId option', (options) =>
    options.map((o) => `${(o.parentElement as HTMLElement).getAttribute('data-actor-type') ?? ''}:${o.textContent}${(o as HTMLOptionElement).disabled ? ' (disabled)' : ''}`));
}

describeInBrowser('The contribution form offers the people of the kind chosen, in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let home: HomeView;
  let coordinator: TestUser;
  let staffId: string;

  beforeAll(async () => {
    t = await createTestApp();
    // No relatives in this home: choosing "Family member" shows that nobody is of that kind.
    home = await createHome(t, { name: 'Casa Gentile' });
    await createResident(t, home.id, { firstName: 'Rina', lastName: 'Ospite' });
    await createVolunteer(t, home.id, { firstName: 'Vera', lastName: 'Volontaria' });
    // Time given before a check ran out is still counted: a contribution may name them; an offer may not.
    await createVolunteer(t, home.id, { firstName: 'Zeno', lastName: 'Scaduto', backgroundCheckOn: '2022-03-03', backgroundCheckExpiresOn: '2025-03-03' });
    staffId = (await createStaffMember(t, home.id, { firstName: 'Sergio', lastName: 'Operatore' })).id;
    coordinator = await createUser(t, { role: 'coordinator', homeIds: [home.id] });
    baseUrl = await listen(t);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('should offer only the people of the kind chosen as it changes, and record one', async () => {
    const page = await openPage(browser, TABLET);
    try {
      await signInAs(page, baseUrl, coordinator.email, coordinator.password);
      await page.goto(`${baseUrl}/contributions`);
      // The form opens on residents.
      expect(await offered(page)).toEqual([':Choose a person', 'resident:Rina Ospite']);
      await page.selectOption('#field-actorType', 'volunteer');
      expect(await offered(page)).toEqual([':Choose a person', 'volunteer:Zeno Scaduto', 'volunteer:Vera Volontaria']);
      await page.selectOption('#field-personId', { label: 'Vera Volontaria' });
      // Another kind: the volunteer chosen is not of it, so nobody is chosen.
      await page.selectOption('#field-actorType', 'staff');
      expect(await offered(page)).toEqual([':Choose a person', 'staff:Sergio Operatore']);
      expect(await page.inputValue('#field-personId')).toBe('');
      await page.selectOption('#field-actorType', 'family');
      expect(await offered(page)).toEqual([':Choose a person', ':Nobody of this kind in this home (disabled)']);
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(await smallTouchTargets(page)).toEqual([]);

      await page.selectOption('#field-actorType', 'staff');
      await page.selectOption('#field-personId', staffId);
      await page.fill('#field-minutes', '40');
      await page.fill('#field-description', 'Ha preparato la sala');
      await Promise.all([page.waitForURL(/\/contributions\?/), page.click('form[data-contribution-form] button[type="submit"]')]);
      const saved = await t.dataSource.getRepository(Contribution).findOneByOrFail({ description: 'Ha preparato la sala' });
      expect(saved).toMatchObject({ actorType: 'staff', staffMemberId: staffId, minutes: 40, activityId: null, homeId: home.id });
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it("should keep a person of another kind that the server refused, beside the field, on an activity's page", async () => {
    const activity = await createActivity(t, home.id, { title: 'Merenda insieme' });
    const page = await openPage(browser, TABLET);
    try {
      await signInAs(page, baseUrl, coordinator.email, coordinator.password);
      await page.goto(`${baseUrl}/activities/${activity.id}`);
      expect(await offered(page)).toEqual([':Choose a person', 'resident:Rina Ospite']);
      // The offer form beside it lists the volunteer whose check ran out apart, disabled, with the reason.
      expect(await page.$$eval('#field-volunteerId option', (options) => options.map((o) => `${o.textContent}${(o as HTMLOptionElement).disabled ? ' (disabled)' : ''}`)))
        .toEqual(['—', 'Vera Volontaria', 'Zeno Scaduto — check expired on 3 March 2025 (disabled)']);
      expect(await accessibilityViolations(page)).toEqual([]);
      // What a page without the script could send: a volunteer's kind with a member of staff.
      await page.selectOption('#field-actorType', 'volunteer');
      await page.evaluate((id) => {
        const person = document.querySelector<HTMLSelectElement>('#field-personId')!;
        person.add(new Option('Sergio Operatore', id, true, true));
      }, staffId);
      await submitAndLoad(page, () => page.click('form[data-contribution-form] button[type="submit"]'), `${baseUrl}/activities/${activity.id}/contributions`);
      expect(await page.textContent('#error-personId')).toBe('Choose a person of this home of the kind selected.');
      expect(await page.inputValue('#field-actorType')).toBe('volunteer');
      expect(await page.inputValue('#field-personId')).toBe(staffId);
      expect(await offered(page)).toEqual([':Choose a person', 'volunteer:Zeno Scaduto', 'volunteer:Vera Volontaria', 'staff:Sergio Operatore']);
      expect(await t.dataSource.getRepository(Contribution).countBy({ activityId: activity.id })).toBe(0);
      // Choosing the kind again offers that kind only.
      await page.selectOption('#field-actorType', 'staff');
      expect(await offered(page)).toEqual([':Choose a person', 'staff:Sergio Operatore']);
    } finally {
      await page.context().close();
    }
  }, 60_000);
});
