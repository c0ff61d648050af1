import { formatDate, formatDateTime, formatQuarter, formatQuarterShort } from './format';

describe('formatDate', () => {
  it('should write a calendar date in the reader\'s language', () => {
    expect(formatDate('2026-07-01', 'en')).toBe('1 July 2026');
    expect(formatDate('2026-07-01', 'it')).toBe('1 luglio 2026');
  });

  it('should give the same text when a date is shown again', () => {
    const first = formatDate('2026-03-29', 'it');
    expect(formatDate('2026-03-29', 'it')).toBe(first);
    expect(formatDate('2026-03-29', 'en')).toBe('29 March 2026');
  });

  it('should show nothing for a value that is not a date', () => {
    expect(formatDate('29/03/2026', 'en')).toBe('');
    expect(formatDate(undefined, 'en')).toBe('');
  });
});

describe('formatDateTime', () => {
  it('should show an instant in the home\'s time zone', () => {
    expect(formatDateTime(new Date('2026-07-01T08:30:00Z'), 'en', 'Europe/Rome')).toBe('1 Jul 2026, 10:30');
  });
});

describe('formatQuarterShort', () => {
  it('should write a quarter briefly, in the reader\'s language, where a column or a chart has little room', () => {
    expect(formatQuarterShort('2026-Q3', 'en')).toBe('Q3 2026');
    expect(formatQuarterShort('2026-Q3', 'it')).toBe('3° trim. 2026');
    expect(formatQuarter('2026-Q3', 'it')).toBe('Luglio – settembre 2026');
  });

  it('should leave anything that is not a quarter as it is', () => {
    expect(formatQuarterShort('2026-Q9', 'en')).toBe('2026-Q9');
    expect(formatQuarterShort(undefined, 'en')).toBe('');
  });
});
