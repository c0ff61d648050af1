import {
  ATTENTION_MIN_DAYS, belowOnePerWeek, changeOf, daysInclusive, daysSoFar, fairShareBucket, hoursOf, lastOfFirstDays, meanOf, median, needsAttention,
  percentOf, perWeek, referenceDate, residentDaysWithin, round1, round2,
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

  it('should give wellbeing coverage as a count and null per cent when no resident was in the quarter', () => {
    expect([percentOf(0, 0), percentOf(3, 4), percentOf(2, 3)]).toEqual([null, 75, 66.7]);
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

describe('needsAttention', () => {
  const sut = needsAttention;

  it('should list a resident below one a week only once present 14 days of the period', () => {
    // 13 days with nothing attended is too short to judge; 14 days is enough.
    expect([sut(0, 13), sut(0, 14), sut(1, 13), sut(1, 14), sut(2, 14), sut(0, 0)]).toEqual([false, true, false, true, false, false]);
    expect(ATTENTION_MIN_DAYS).toBe(14);
  });

  it('should decide below one a week on the exact fraction, as the fair-share figure does', () => {
    expect([sut(13, 91), sut(13, 92)]).toEqual([false, true]);
  });
});

describe('daysSoFar', () => {
  const sut = (today: string) => daysSoFar('2026-10-01', '2026-12-31', today);

  it.each([
    ['2026-09-30', 0, 'before the quarter begins'],
    ['2026-10-01', 1, 'on its first day'],
    ['2026-11-28', 59, 'part way through'],
    ['2026-12-31', 92, 'on its last day'],
    ['2027-02-01', 92, 'after it has ended'],
  ])('should count the days to %s as %i %s', (today: string, days: number, _when: string) => {
    expect(sut(today)).toBe(days);
  });
});

describe('lastOfFirstDays', () => {
  const sut = lastOfFirstDays;

  it('should give the last of days 1..N of a quarter', () => {
    // Q4's first 59 days run to 28 November; Q3's to 28 August.
    expect([sut('2026-10-01', '2026-12-31', 59), sut('2026-07-01', '2026-09-30', 59), sut('2026-07-01', '2026-09-30', 1)])
      .toEqual(['2026-11-28', '2026-08-28', '2026-07-01']);
  });

  it('should stop at the quarter\'s last day when it is shorter, and give the day before it for none', () => {
    // Q2 has 91 days; Q1 90.
    expect([sut('2026-01-01', '2026-03-31', 91), sut('2026-01-01', '2026-03-31', 90), sut('2026-01-01', '2026-03-31', 0)])
      .toEqual(['2026-03-31', '2026-03-31', '2025-12-31']);
  });
});

describe('running-quarter fair share', () => {
  it('should count fair-share days to today, not to the quarter\'s last day', () => {
    const today = '2026-11-28';
    const days = residentDaysWithin('2020-01-01', null, '2026-10-01', today);
    // 47 attended in 59 days is 5.58 a week; over the whole quarter's 92 days it would read 3.58.
    expect([days, perWeek(47, days), perWeek(47, 92)]).toEqual([59, 5.58, 3.58]);
  });
});
