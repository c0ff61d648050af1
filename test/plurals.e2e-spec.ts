import { Contribution } from '../src/contributions/entities/contribution.entity';
import { todayIn } from '../src/common/time/zoned';
import { createHome, createUser } from './support/factories';
import { Agent, signIn } from './support/http';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';

/** Issue 18 item 6: counted texts use the language's plural forms ("1 resident", never "1 residents"). */
describe('Plural forms on a page', () => {
  let t: TestApp;
  let homeId: string;
  const agents: Record<'en' | 'it', Agent> = {} as Record<'en' | 'it', Agent>;

  beforeAll(async () => {
    t = await createTestApp();
    homeId = (await createHome(t)).id;
    for (const locale of ['en', 'it'] as const) {
      const user = await createUser(t, { role: 'manager', homeIds: [homeId], locale });
      agents[locale] = await signIn(t, user.email, user.password);
    }
  });

  afterAll(async () => {
    await t.close();
  });

  /** The count line of the residents list, as the page writes it. */
  async function countLine(locale: 'en' | 'it'): Promise<string> {
    const page = await agents[locale].get('/residents?status=all').expect(200);
    const line = /<p class="muted">([^<]*(?:resident|ospit)[^<]*)<\/p>/.exec(page.text);
    return line ? line[1] : page.text;
  }

  it('should say 1 resident and 1 ospite when the home has one resident, then 2 residents and 2 ospiti', async () => {
    await createResident(t, homeId);
    const one = { en: await countLine('en'), it: await countLine('it') };
    await createResident(t, homeId);
    const two = { en: await countLine('en'), it: await countLine('it') };

    expect({ one, two }).toEqual({ one: { en: '1 resident', it: '1 ospite' }, two: { en: '2 residents', it: '2 ospiti' } });
  });

  it('should write the hours of contributions as each language writes numbers (1.5 hours, 1,5 ore)', async () => {
    const resident = await createResident(t, homeId);
    await t.dataSource.getRepository(Contribution).save({
      homeId, activityId: null, date: todayIn('Europe/Rome'), actorType: 'resident', residentId: resident.id, familyMemberId: null, volunteerId: null,
      staffMemberId: null, phase: 'co_design', minutes: 90, description: null, source: 'manual', sourceId: null, recordedBy: null,
    });
    const total = async (locale: 'en' | 'it') => /<p class="muted">([^<]*(?:hours in all|ore in tutto)[^<]*)<\/p>/.exec((await agents[locale].get('/contributions').expect(200)).text)?.[1];

    expect({ en: await total('en'), it: await total('it') }).toEqual({ en: '1 contribution, 1.5 hours in all.', it: '1 contributo, 1,5 ore in tutto.' });
  });
});
