import { tallyEngagements } from './engagement-tally';

describe('tallyEngagements', () => {
  it('should count each row in its period and keep empty periods when some have none', () => {
    const sut = tallyEngagements(['2026-11-16', '2026-11-23', '2026-11-30'], [
      { period: '2026-11-16', engagement: 'active' },
      { period: '2026-11-16', engagement: 'active' },
      { period: '2026-11-16', engagement: 'declined' },
      { period: '2026-11-30', engagement: 'absent' },
    ]);

    expect(sut.map((t) => [t.key, t.total])).toEqual([['2026-11-16', 3], ['2026-11-23', 0], ['2026-11-30', 1]]);
    expect(sut[0].counts).toEqual({ active: 2, passive: 0, disengaged: 0, declined: 1, absent: 0 });
  });

  it('should leave out a row when its period is not listed', () => {
    const sut = tallyEngagements(['2026-11'], [{ period: '2026-10', engagement: 'active' }]);

    expect(sut).toEqual([{ key: '2026-11', counts: { active: 0, passive: 0, disengaged: 0, declined: 0, absent: 0 }, total: 0 }]);
  });
});
