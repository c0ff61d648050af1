import { messageText } from './message-text';

describe('messageText', () => {
  it('should write a YYYY-MM-DD date param as the reader writes dates, in each language', () => {
    expect(messageText('en', 'plans.agreedBeforePrevious', { date: '2026-03-01' })).toBe('The previous version was agreed on 1 March 2026; choose that date or a later one.');
    expect(messageText('it', 'plans.agreedBeforePrevious', { date: '2026-03-01' })).toContain('il 1° marzo 2026');
  });

  it('should leave any other date param, and every other param, as it was given', () => {
    expect(messageText('en', 'plans.agreedBeforePrevious', { date: '5 December 2027' })).toContain('agreed on 5 December 2027;');
    expect(messageText('en', 'residents.leftBeforeAttended', { title: '2026-03-01', date: '2026-03-01' })).toBe(
      'They took part in “2026-03-01” on 1 March 2026, after this date. Choose the day they left: that day or a later one.',
    );
  });
});
