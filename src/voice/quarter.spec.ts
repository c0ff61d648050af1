import { currentQuarter, previousQuarter, quarterOf, quarterRange } from './quarter';

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
