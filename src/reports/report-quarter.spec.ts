import { daysInclusive, isQuarter, lastCompleteQuarter, quarterBounds, recentQuarters, referenceDate, residentDaysWithin } from './report-quarter';

describe('isQuarter', () => {
  const sut = isQuarter;

  it.each(['2026-Q1', '2026-Q4', '1999-Q2'])('should accept %s', (value) => {
    expect(sut(value)).toBe(true);
  });

  it.each(['2026-Q0', '2026-Q5', '2026Q3', '26-Q3', '2026-q3', ' 2026-Q3', '0001-Q1', 2026, null])('should refuse %p', (value) => {
    expect(sut(value)).toBe(false);
  });
});

describe('quarterBounds', () => {
  const sut = quarterBounds;

  it('should start and end a summer quarter at local midnight in Rome when given 2026-Q3', () => {
    const q = sut('2026-Q3', 'Europe/Rome');

    expect({ first: q.firstDay, last: q.lastDay, start: q.start.toISOString(), end: q.end.toISOString() }).toEqual({
      first: '2026-07-01', last: '2026-09-30', start: '2026-06-30T22:00:00.000Z', end: '2026-09-30T22:00:00.000Z',
    });
  });

  it('should hold 23:30 on 30 September and not 00:30 on 1 October when the home is in Rome', () => {
    const q = sut('2026-Q3', 'Europe/Rome');
    const inside = (instant: Date) => instant >= q.start && instant < q.end;

    expect([inside(new Date('2026-09-30T21:30:00Z')), inside(new Date('2026-09-30T22:30:00Z'))]).toEqual([true, false]);
  });

  it('should follow the clock change when a winter quarter starts in standard time', () => {
    const q = sut('2026-Q4', 'Europe/Rome');

    expect([q.start.toISOString(), q.end.toISOString()]).toEqual(['2026-09-30T22:00:00.000Z', '2026-12-31T23:00:00.000Z']);
  });

  it('should split the quarter into its three calendar months when asked for months', () => {
    const q = sut('2026-Q1', 'Europe/Rome');

    expect(q.months.map((m) => [m.month, m.firstDay, m.lastDay, m.end.toISOString()])).toEqual([
      ['2026-01', '2026-01-01', '2026-01-31', '2026-01-31T23:00:00.000Z'],
      ['2026-02', '2026-02-01', '2026-02-28', '2026-02-28T23:00:00.000Z'],
      // 29 March is the spring clock change: March ends at 22:00 UTC.
      ['2026-03', '2026-03-01', '2026-03-31', '2026-03-31T22:00:00.000Z'],
    ]);
  });

  it('should throw when the quarter is malformed', () => {
    expect(() => sut('2026-Q5', 'Europe/Rome')).toThrow(RangeError);
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

describe('recentQuarters and lastCompleteQuarter', () => {
  it('should list quarters newest first across a year end when asked for five', () => {
    expect(recentQuarters('2026-02-10', 5)).toEqual(['2026-Q1', '2025-Q4', '2025-Q3', '2025-Q2', '2025-Q1']);
  });

  it('should choose the quarter that has ended when today is in the next one', () => {
    expect([lastCompleteQuarter('2026-11-28'), lastCompleteQuarter('2026-01-01')]).toEqual(['2026-Q3', '2025-Q4']);
  });
});
