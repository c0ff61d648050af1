import {
  belowOnePerWeek, changeOf, daysInclusive, fairShareBucket, hoursOf, meanOf, median, percentOf, perWeek, referenceDate, residentDaysWithin, round1, round2,
} from './report-maths';

describe('median', () => {
  const sut = median;

  it.each([
    [[], null], [[5], 5], [[3, 1, 2], 2], [[4, 1, 3, 2], 2.5], [[0.5, 0.5], 0.5], [[7, -1, 7, 7], 7],
  ])('should give the median of %p as %p', (values, expected) => {
    expect(sut(values)).toBe(expected);
  });

  it('should not reorder the numbers it is given when computing', () => {
    const values = [3, 1, 2];

    sut(values);

    expect(values).toEqual([3, 1, 2]);
  });
});

describe('rounding', () => {
  it.each([
    [round2, 1.005, 1.01], [round2, 2.675, 2.68], [round2, 0.1 + 0.2, 0.3], [round1, 57.14285, 57.1], [round1, 0.05, 0.1], [round2, -1.255, -1.26],
  ])('should round %p of %p to %p', (sut, value, expected) => {
    expect(sut(value)).toBe(expected);
  });

  it('should never give -0 when a tiny negative rounds away', () => {
    expect(Object.is(round2(-0.001), 0)).toBe(true);
  });
});

describe('hoursOf, percentOf and meanOf', () => {
  it('should turn minutes into hours with 2 decimals when given minutes', () => {
    expect([hoursOf(0), hoursOf(25), hoursOf(90), hoursOf(320)]).toEqual([0, 0.42, 1.5, 5.33]);
  });

  it('should give a percentage with 1 decimal, and null of nothing', () => {
    expect([percentOf(4, 7), percentOf(4, 5), percentOf(0, 5), percentOf(1, 0)]).toEqual([57.1, 80, 0, null]);
  });

  it('should give a mean with 2 decimals, and null of nothing', () => {
    expect([meanOf(11, 3), meanOf(10, 4), meanOf(0, 0)]).toEqual([3.67, 2.5, null]);
  });
});

describe('fair share', () => {
  it('should give attended activities per week over the days resident', () => {
    expect([perWeek(5, 92), perWeek(4, 21), perWeek(1, 1), perWeek(0, 92), perWeek(3, 0)]).toEqual([0.38, 1.33, 7, 0, 0]);
  });

  it('should put a resident below one a week on the exact fraction, not the rounded one', () => {
    // 13 in 91 days is exactly 1 a week; 13 in 92 is 0.989…, which rounds to 0.99.
    expect([belowOnePerWeek(13, 91), belowOnePerWeek(13, 92), belowOnePerWeek(0, 0)]).toEqual([false, true, false]);
  });

  it.each([
    [0, 92, 'none'], [5, 92, 'belowOne'], [13, 91, 'oneToTwo'], [26, 91, 'twoToThree'], [39, 91, 'threeToFive'], [65, 91, 'fivePlus'], [64, 91, 'threeToFive'], [1, 1, 'fivePlus'],
  ])('should put %i attended in %i days in the band %s', (attended, days, bucket) => {
    expect(fairShareBucket(attended, days)).toBe(bucket);
  });
});

describe('changeOf', () => {
  const sut = changeOf;

  it('should subtract last quarter from this one at the figure\'s precision', () => {
    expect([sut(5.33, 2.25, 2), sut(57.1, 50, 1), sut(0.38, 0.08, 2), sut(1, 2.25, 2), sut(3, 3, 0)]).toEqual([3.08, 7.1, 0.3, -1.25, 0]);
  });

  it('should give null when either quarter has no value', () => {
    expect([sut(null, 1, 2), sut(1, null, 2)]).toEqual([null, null]);
  });
});

describe('daysInclusive', () => {
  const sut = daysInclusive;

  it.each([
    ['2026-07-01', '2026-07-01', 1], ['2026-07-01', '2026-09-30', 92], ['2026-04-01', '2026-06-30', 91],
    ['2026-03-28', '2026-03-30', 3], ['2026-07-02', '2026-07-01', 0],
  ])('should count %s to %s as %i days', (from, to, days) => {
    expect(sut(from, to)).toBe(days);
  });
});

describe('residentDaysWithin', () => {
  const sut = (admitted: string, left: string | null) => residentDaysWithin(admitted, left, '2026-07-01', '2026-09-30');

  it.each([
    ['2020-01-01', null, 92, 'the whole quarter'],
    ['2026-08-01', null, 61, 'admitted mid-quarter'],
    ['2020-01-01', '2026-07-21', 21, 'discharged mid-quarter'],
    ['2026-09-30', null, 1, 'admitted on the last day'],
    ['2020-01-01', '2026-07-01', 1, 'left on the first day'],
    ['2026-07-10', '2026-07-12', 3, 'admitted and left within the quarter'],
  ])('should count %s to %s as %i days when %s', (admitted: string, left: string | null, days: number, _when: string) => {
    expect(sut(admitted, left)).toBe(days);
  });
});

describe('referenceDate', () => {
  it('should be the last day once the quarter is over and today while it runs', () => {
    expect([referenceDate('2026-09-30', '2026-11-28'), referenceDate('2026-09-30', '2026-09-10'), referenceDate('2026-09-30', '2026-09-30')])
      .toEqual(['2026-09-30', '2026-09-10', '2026-09-30']);
  });
});
