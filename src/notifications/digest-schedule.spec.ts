import { digestDue, homesDue } from './digest-schedule';

const ROME = { id: 'rome', timezone: 'Europe/Rome' };
const LONDON = { id: 'london', timezone: 'Europe/London' };
const NEW_YORK = { id: 'new-york', timezone: 'America/New_York' };
const SYDNEY = { id: 'sydney', timezone: 'Australia/Sydney' };
const HOMES = [ROME, LONDON, NEW_YORK, SYDNEY];

describe('digestDue', () => {
  const sut = digestDue;

  it('should be due at 07:00 Rome time, which is 06:00 UTC in winter', () => {
    expect(sut('Europe/Rome', new Date('2026-01-15T05:59:59Z'))).toBeNull();
    expect(sut('Europe/Rome', new Date('2026-01-15T06:00:00Z'))).toEqual({ localDate: '2026-01-15', cutoff: new Date('2026-01-15T06:00:00Z') });
  });

  it('should be due at 07:00 Rome time, which is 05:00 UTC in summer', () => {
    expect(sut('Europe/Rome', new Date('2026-07-15T04:59:00Z'))).toBeNull();
    expect(sut('Europe/Rome', new Date('2026-07-15T05:00:00Z'))?.cutoff).toEqual(new Date('2026-07-15T05:00:00Z'));
  });

  it('should follow the local clock on the morning the clocks go forward and on the morning they go back', () => {
    // Europe/Rome: 29 March 2026 02:00 -> 03:00 (07:00 is then UTC+2); 25 October 2026 03:00 -> 02:00 (UTC+1).
    expect(sut('Europe/Rome', new Date('2026-03-29T05:00:00Z'))?.cutoff).toEqual(new Date('2026-03-29T05:00:00Z'));
    expect(sut('Europe/Rome', new Date('2026-03-29T04:59:00Z'))).toBeNull();
    expect(sut('Europe/Rome', new Date('2026-10-25T06:00:00Z'))?.cutoff).toEqual(new Date('2026-10-25T06:00:00Z'));
    expect(sut('Europe/Rome', new Date('2026-10-25T05:30:00Z'))).toBeNull();
  });

  it('should stay due until local midnight and start again the next local morning', () => {
    expect(sut('Europe/Rome', new Date('2026-01-15T22:59:00Z'))?.localDate).toBe('2026-01-15');
    // 00:30 on the 16th in Rome: a new day, not yet seven.
    expect(sut('Europe/Rome', new Date('2026-01-15T23:30:00Z'))).toBeNull();
  });

  it('should give the local date, not the UTC one, when the home is ahead of UTC', () => {
    // 08:00 on 16 January in Sydney (UTC+11) is still the 15th in UTC.
    expect(sut('Australia/Sydney', new Date('2026-01-15T21:00:00Z'))).toEqual({ localDate: '2026-01-16', cutoff: new Date('2026-01-15T20:00:00Z') });
  });

  it('should use the hour given', () => {
    expect(sut('Europe/London', new Date('2026-01-15T08:30:00Z'), 9)).toBeNull();
    expect(sut('Europe/London', new Date('2026-01-15T09:00:00Z'), 9)?.localDate).toBe('2026-01-15');
  });
});

describe('homesDue', () => {
  const sut = homesDue;

  it('should list only the homes whose morning has come, each with its own local date', () => {
    // 06:30 UTC on 15 January: 07:30 in Rome, 06:30 in London, 01:30 in New York, 17:30 in Sydney.
    const due = sut(HOMES, new Date('2026-01-15T06:30:00Z'));
    expect(due.map((h) => [h.id, h.localDate])).toEqual([['rome', '2026-01-15'], ['sydney', '2026-01-15']]);
  });

  it('should add London an hour after Rome and New York five hours after London', () => {
    expect(sut(HOMES, new Date('2026-01-15T07:00:00Z')).map((h) => h.id)).toEqual(['rome', 'london', 'sydney']);
    expect(sut(HOMES, new Date('2026-01-15T12:00:00Z')).map((h) => h.id)).toEqual(['rome', 'london', 'new-york', 'sydney']);
  });

  it('should move New York an hour earlier in UTC in the weeks when only America has changed its clocks', () => {
    // 2026: the US goes forward on 8 March, Europe on 29 March. 11:00 UTC on 10 March is 07:00 in New York (UTC-4).
    expect(sut([NEW_YORK], new Date('2026-03-10T11:00:00Z')).map((h) => h.cutoff)).toEqual([new Date('2026-03-10T11:00:00Z')]);
    expect(sut([NEW_YORK], new Date('2026-03-10T10:59:00Z'))).toEqual([]);
    expect(sut([ROME], new Date('2026-03-10T06:00:00Z'))).toHaveLength(1);
    expect(sut([ROME], new Date('2026-03-10T05:59:00Z'))).toEqual([]);
  });

  it('should list no home before any local morning', () => {
    // 05:00 UTC on 15 July: 07:00 in Rome (due), but 19:00 in Sydney is past; at 04:00 UTC only Sydney is due.
    expect(sut(HOMES, new Date('2026-07-15T04:00:00Z')).map((h) => h.id)).toEqual(['sydney']);
    expect(sut([ROME, LONDON, NEW_YORK], new Date('2026-07-15T04:00:00Z'))).toEqual([]);
  });
});
