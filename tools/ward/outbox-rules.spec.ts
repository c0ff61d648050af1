import { backoffMs, BACKOFF_CAP_MS, deviceState, dueItems, entriesLeftAfterSave, localDay, othersItems, outcome } from '../../public/js/outbox-rules.js';

/** The ward tablet's outbox rules (public/js/outbox-rules.js), which the browser runs as they are. */
describe('outbox rules', () => {
  const anna = { id: 'anna', name: 'Anna' };
  const bea = { id: 'bea', name: 'Bea' };
  const item = (key: string, author: typeof anna, createdAt: number, nextTry: number) => ({ key, author, createdAt, nextTry });

  it('should double the wait after each failure, starting at 2 s, and never wait more than 5 minutes', () => {
    expect([0, 1, 2, 3].map(backoffMs)).toEqual([2000, 4000, 8000, 16000]);
    expect(backoffMs(8)).toBe(BACKOFF_CAP_MS);
    expect(backoffMs(1000)).toBe(5 * 60 * 1000);
  });

  it('should send only the signed-in carer\'s own due items, oldest first', () => {
    const items = [item('late', anna, 30, 50), item('first', anna, 10, 0), item('beas', bea, 5, 0), item('notYet', anna, 20, 500)];
    expect(dueItems(items, 'anna', 100).map((i) => i.key)).toEqual(['first', 'late']);
    expect(dueItems(items, 'anna', 100, true).map((i) => i.key)).toEqual(['first', 'notYet', 'late']);
    expect(othersItems(items, 'anna').map((i) => i.key)).toEqual(['beas']);
    expect(dueItems(items, 'carla', 100, true)).toEqual([]);
  });

  it('should keep an item on the network, timeouts, throttling and 5xx; ask to sign in on 401; refuse other 4xx', () => {
    expect([0, 408, 429, 500, 502, 503].map((s) => outcome(s))).toEqual(Array(6).fill('retry'));
    expect([200, 201, 204].map((s) => outcome(s))).toEqual(['sent', 'sent', 'sent']);
    expect(outcome(401)).toBe('signin');
    expect(outcome(403)).toBe('csrf');
    expect(outcome(403, true)).toBe('refused');
    expect([400, 404, 409, 413, 422].map((s) => outcome(s))).toEqual(Array(5).fill('refused'));
  });

  it('should clear from the draft only the taps a save covered', () => {
    const draft = { r1: { at: 100 }, r2: { at: 200 }, r3: { at: 201 } };
    expect(entriesLeftAfterSave(draft, 200)).toEqual({ r3: { at: 201 } });
  });

  it('should name the local day of an instant', () => {
    expect(localDay(new Date(2026, 11, 3, 23, 59).getTime())).toBe('2026-12-03');
    expect(localDay(new Date(2026, 0, 9, 0, 0).getTime())).toBe('2026-01-09');
  });

  it('should count a draft\'s taps as unsaved only when made after the activity\'s latest save waiting or refused', () => {
    const tap = (at: number) => ({ at });
    const drafts: { activityId: string; title?: string; entries: Record<string, { at: number }> }[] = [
      { activityId: 'a', title: 'Tombola', entries: { r1: tap(10), r2: tap(30), r3: tap(40) } },
      { activityId: 'b', title: 'Coro', entries: { r1: tap(5) } },
      { activityId: 'c', entries: { r1: tap(5), r2: tap(6) } },
    ];
    const outbox = [{ activityId: 'a', createdAt: 20 }, { activityId: 'a', createdAt: 35 }, { activityId: 'b', createdAt: 5 }, { activityId: 'd', createdAt: 1 }];
    expect(deviceState(drafts, outbox)).toEqual({
      a: { waiting: 2, unsaved: 1, title: 'Tombola', href: '/activities/a/log' },
      b: { waiting: 1, unsaved: 0, title: '', href: '/activities/b/log' },
      c: { waiting: 0, unsaved: 2, title: '', href: '/activities/c/log' },
      d: { waiting: 1, unsaved: 0, title: '', href: '/activities/d/log' },
    });
    expect(deviceState([], [])).toEqual({});
    // A refused save's taps are "could not be sent", not unsaved as well; a tap after it is.
    expect(deviceState([drafts[2]], [], [{ activityId: 'c', createdAt: 5 }])).toEqual({ c: { waiting: 0, unsaved: 1, title: '', href: '/activities/c/log' } });
  });
});
