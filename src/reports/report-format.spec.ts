import { formatQuarter } from '../common/views/format';
import { formatChange, formatNumber, formatValue, monthLabel } from './report-format';

describe('formatValue', () => {
  it.each([
    [1150, 'count', 'en', '1,150'], [57.1, 'percent', 'en', '57.1%'], [80, 'percent', 'it', '80,0%'], [5.33, 'hours', 'en', '5.33 h'],
    [2, 'hours', 'it', '2 h'], [3, 'rating', 'en', '3.00'], [2, 'days', 'en', '2.0 days'], [null, 'rating', 'en', '—'],
  ] as const)('should write %p (%s) in %s as %p', (value, unit, locale, expected) => {
    expect(formatValue(value, unit, locale)).toBe(expected);
  });

  it('should write a plain number without its unit when asked for the number only', () => {
    expect([formatNumber(0.38, 'perWeek', 'en'), formatNumber(0.38, 'perWeek', 'it'), formatNumber(57.1, 'percent', 'en')]).toEqual(['0.38', '0,38', '57.1']);
  });
});

describe('formatChange', () => {
  it.each([
    [5, 'count', 'en', '+5'], [-1, 'count', 'en', '-1'], [0, 'count', 'en', '0'], [7.1, 'percent', 'en', '+7.1 pts'], [7.1, 'percent', 'it', '+7,1 punti'],
    [-1.25, 'hours', 'en', '-1.25 h'], [0.67, 'rating', 'en', '+0.67'], [null, 'score', 'en', '—'],
  ] as const)('should write a change of %p (%s) in %s as %p', (change, unit, locale, expected) => {
    expect(formatChange(change, unit, locale)).toBe(expected);
  });
});

describe('period labels', () => {
  it('should name the months of a quarter in the reader\'s language', () => {
    expect([formatQuarter('2026-Q3', 'en'), formatQuarter('2026-Q4', 'it')]).toEqual(['July – September 2026', 'Ottobre – dicembre 2026']);
  });

  it('should name a month with its year, capitalised', () => {
    expect([monthLabel('2026-07', 'en'), monthLabel('2026-09', 'it')]).toEqual(['July 2026', 'Settembre 2026']);
  });
});
