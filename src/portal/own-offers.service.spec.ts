import type { HelpOffersService, OwnOfferRecord } from '../activities/help-offers.service';
import type { SessionUser } from '../common/access/session-user';
import type { HomesService } from '../homes/homes.service';
import { OWN_OFFERS_PER_PAGE, OwnOffersService } from './own-offers.service';

const relative = { role: 'family', personKind: 'family', personId: 'fm-1', homeIds: ['h1'], timezone: 'Europe/Rome' } as unknown as SessionUser;

function record(overrides: Partial<OwnOfferRecord> = {}): OwnOfferRecord {
  return {
    id: 'o1', activityId: 'a1', homeId: 'h1', kind: 'deliver', status: 'offered', message: 'I can bring the guitar', createdAt: new Date('2026-11-20T09:00:00Z'),
    activity: { title: 'Coro', startsAt: new Date('2026-11-29T14:30:00Z'), status: 'planned', cancelReason: null }, respondedAt: null, respondedByName: null,
    ...overrides,
  };
}

function serviceWith(rows: OwnOfferRecord[]) {
  const ownOffersSince = jest.fn().mockResolvedValue(rows);
  const helpOffers = { ownOffersSince } as unknown as HelpOffersService;
  const homes = { timezones: jest.fn().mockResolvedValue(new Map([['h1', 'Europe/Rome']])) } as unknown as HomesService;
  return { sut: new OwnOffersService(helpOffers, homes), ownOffersSince };
}

describe('OwnOffersService', () => {
  it('should read the last 12 months a page at a time, one more row than a page, when asked for a page', async () => {
    const { sut, ownOffersSince } = serviceWith([]);

    await sut.page(relative, 3, { cancelReasons: false }, new Date('2026-12-05T18:00:00Z'));

    expect(ownOffersSince).toHaveBeenCalledWith(relative, new Date('2025-12-05T18:00:00Z'), { offset: 2 * OWN_OFFERS_PER_PAGE, limit: OWN_OFFERS_PER_PAGE + 1 });
  });

  it('should show the activity in its home\'s time and the home\'s answer when an offer was confirmed or declined', async () => {
    const { sut } = serviceWith([record({ status: 'declined', respondedAt: new Date('2026-11-21T23:30:00Z'), respondedByName: 'Marta Rossi' })]);

    const page = await sut.page(relative, 1, { cancelReasons: false });

    expect(page.offers[0]).toMatchObject({ title: 'Coro', date: '2026-11-29', time: '15:30', status: 'declined', message: 'I can bring the guitar', answer: { byName: 'Marta Rossi', date: '2026-11-22' } });
  });

  it('should give no answer when the offer was withdrawn after an answer or waits for one', async () => {
    const { sut } = serviceWith([record({ status: 'withdrawn', respondedAt: new Date('2026-11-21T10:00:00Z'), respondedByName: 'Marta Rossi' }), record({ id: 'o2' })]);

    const page = await sut.page(relative, 1, { cancelReasons: false });

    expect(page.offers.map((o) => o.answer)).toEqual([null, null]);
  });

  it('should say an activity was cancelled and give its reason only when the reader may read it', async () => {
    const cancelled = record({ activity: { title: 'Gita', startsAt: new Date('2026-11-29T14:30:00Z'), status: 'cancelled', cancelReason: 'Pioggia' } });

    const forRelative = (await serviceWith([cancelled]).sut.page(relative, 1, { cancelReasons: false })).offers[0];
    const forVolunteer = (await serviceWith([cancelled]).sut.page(relative, 1, { cancelReasons: true })).offers[0];

    expect([forRelative.activityCancelled, forRelative.cancelReason]).toEqual([true, null]);
    expect([forVolunteer.activityCancelled, forVolunteer.cancelReason]).toEqual([true, 'Pioggia']);
  });

  it('should link to older offers when there are more than a page, and to newer ones after the first page', async () => {
    const rows = Array.from({ length: OWN_OFFERS_PER_PAGE + 1 }, (_, i) => record({ id: `o${i}` }));
    const { sut } = serviceWith(rows);

    const first = await sut.page(relative, 1, { cancelReasons: false });
    const last = await serviceWith(rows.slice(0, 3)).sut.page(relative, 2, { cancelReasons: false });

    expect([first.offers.length, first.newerPage, first.olderPage, first.paged]).toEqual([OWN_OFFERS_PER_PAGE, null, 2, true]);
    expect([last.offers.length, last.newerPage, last.olderPage, last.paged]).toEqual([3, 1, null, true]);
  });

  it('should say the account has no offers of its own when it is not tied to a relative\'s or volunteer\'s record', async () => {
    const { sut } = serviceWith([]);

    const page = await sut.page({ ...relative, personId: null } as SessionUser, 1, { cancelReasons: false });

    expect([page.isOfferer, page.offers, page.paged]).toEqual([false, [], false]);
  });
});
