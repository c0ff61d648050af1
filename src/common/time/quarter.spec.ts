import {
  currentQuarter, isQuarter, lastCompleteQuarter, previousQuarter, quarterBounds, quarterOf, quarterRange, recentQuarters,
} from './quarter';

describe('isQuarter', () => {
  const sut = isQuarter;

  it.each(['2026-Q1', '2026-Q4', '1999-Q2', '1900-Q1', '2200-Q4'])('should accept %s', (value) => {
    expect(sut(value)).toBe(true);
  });

  it.each(['2026-Q0', '2026-Q5', '2026Q3', '26-Q3', '2026-q3', ' 2026-Q3', '0001-Q1', '1899-Q4', '2201-Q1', '9999-Q4', 2026, null])('should refuse %p', (value) => {
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

describe('recentQuarters and lastCompleteQuarter', () => {
  it('should list quarters newest first across a year end when asked for five', () => {
    expect(recentQuarters('2026-02-10', 5)).toEqual(['2026-Q1', '2025-Q4', '2025-Q3', '2025-Q2', '2025-Q1']);
  });

  it('should choose the quarter that has ended when today is in the next one', () => {
    expect([lastCompleteQuarter('2026-11-28'), lastCompleteQuarter('2026-01-01')]).toEqual(['2026-Q3', '2025-Q4']);
  });
});

describe('quarters', () => {
  it('should name the quarter of a local date when given one', () => {
    expect(quarterOf('2026-01-01')).toBe('2026-Q1');
    expect(quarterOf('2026-03-31')).toBe('2026-Q1');
    expect(quarterOf('2026-07-01')).toBe('2026-Q3');
    expect(quarterOf('2026-11-28')).toBe('2026-Q4');
  });

  it('should use the home time zone when the UTC day differs', () => {
    // 30 September 23:30 UTC is already 1 October in Rome.
    const sut = currentQuarter('Europe/Rome', new Date('2026-09-30T23:30:00Z'));
    expect(sut).toBe('2026-Q4');
    expect(currentQuarter('UTC', new Date('2026-09-30T23:30:00Z'))).toBe('2026-Q3');
  });

  it('should step back across a year when the quarter is the first', () => {
    expect(previousQuarter('2026-Q1')).toBe('2025-Q4');
    expect(previousQuarter('2026-Q3')).toBe('2026-Q2');
  });

  it('should give the first and last day when asked for a range', () => {
    expect(quarterRange('2026-Q3')).toEqual({ first: '2026-07-01', last: '2026-09-30' });
    expect(quarterRange('2024-Q1')).toEqual({ first: '2024-01-01', last: '2024-03-31' });
    expect(() => quarterRange('2026-Q5')).toThrow(RangeError);
  });
});
