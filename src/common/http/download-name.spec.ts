import { downloadName, fileSlug } from './download-name';

describe('download names', () => {
  it('should write text as plain lower-case words joined by dashes, accents dropped', () => {
    expect(fileSlug('Casa “Serena” – Nucleo Àrnica')).toBe('casa-serena-nucleo-arnica');
    expect(fileSlug('  ')).toBe('');
  });

  it('should name a file in the reader\'s language, with the home and what it holds', () => {
    expect(downloadName('en', 'issuedWithoutNames', { home: 'Casa Serena', quarter: '2026-Q3', version: 2 }, 'pdf'))
      .toBe('insieme-casa-serena-quarterly-report-2026-q3-version-2-without-names.pdf');
    expect(downloadName('it', 'issuedWithoutNames', { home: 'Casa Serena', quarter: '2026-Q3', version: 2 }, 'pdf'))
      .toBe('insieme-casa-serena-report-trimestrale-2026-q3-versione-2-senza-nomi.pdf');
    expect(downloadName('it', 'csvParticipation', { home: 'Villa Àncora', quarter: '2026-Q3' }, 'csv'))
      .toBe('insieme-villa-ancora-2026-q3-partecipazione-per-ospite.csv');
    expect(downloadName('en', 'calendarMonth', { date: '2026-12-01', paper: '' }, 'pdf')).toBe('insieme-calendar-month-2026-12-01.pdf');
    expect(downloadName('it', 'calendarWeek', { date: '2026-11-30', paper: 'a3' }, 'pdf')).toBe('insieme-calendario-settimana-2026-11-30-a3.pdf');
  });

  it('should keep a name that could break the header out of it', () => {
    expect(downloadName('en', 'residentSummary', { name: 'Anna "x"\r\nSet-Cookie: a=b', date: '2026-12-01' }, 'pdf'))
      .toBe('insieme-anna-x-set-cookie-a-b-summary-2026-12-01.pdf');
  });
});
