import fc from 'fast-check';
import { DateTime } from 'luxon';
import { isCalendarDate, isDateInBounds, isIsoDate, localDayRange, offsetMinutes, utcToLocal } from './zoned';

const ZONES = ['Europe/Rome', 'Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC'];

function luxonLocal(instant: Date, zone: string) {
  const local = DateTime.fromJSDate(instant, { zone });
  return { date: local.toISODate(), time: local.toFormat('HH:mm'), weekday: local.weekday };
}

describe('utcToLocal', () => {
  it('agrees with the time zone database for any instant from 1970 to 2100 in zones with DST, half and quarter hours', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.constantFrom(...ZONES), (ms, zone) => {
        const instant = new Date(ms);
        expect(utcToLocal(instant, zone)).toEqual(luxonLocal(instant, zone));
      }),
      { numRuns: 3000 },
    );
  });

  it('is right on either side of the clock changes in Europe/Rome (2026)', () => {
    // 29 March 2026: 01:00 UTC, 02:00 local becomes 03:00. 25 October 2026: 01:00 UTC, 03:00 becomes 02:00.
    const at = (iso: string) => utcToLocal(new Date(iso), 'Europe/Rome');
    expect(at('2026-03-29T00:59:59.999Z')).toEqual({ date: '2026-03-29', time: '01:59', weekday: 7 });
    expect(at('2026-03-29T01:00:00.000Z')).toEqual({ date: '2026-03-29', time: '03:00', weekday: 7 });
    expect(at('2026-10-25T00:59:59.999Z')).toEqual({ date: '2026-10-25', time: '02:59', weekday: 7 });
    expect(at('2026-10-25T01:00:00.000Z')).toEqual({ date: '2026-10-25', time: '02:00', weekday: 7 });
    expect(at('2026-09-30T21:30:00.000Z')).toEqual({ date: '2026-09-30', time: '23:30', weekday: 3 });
    expect(at('2026-09-30T22:30:00.000Z')).toEqual({ date: '2026-10-01', time: '00:30', weekday: 4 });
  });

  it('gives the offset of the quarter hour an instant falls in, also in zones that once changed off the quarter hour', () => {
    // Liberia kept -0:44:30 until 1972; Amsterdam +0:19:32 before 1937.
    for (const [iso, zone] of [['1972-05-01T00:30:00Z', 'Africa/Monrovia'], ['1972-04-30T23:00:00Z', 'Africa/Monrovia'], ['2026-07-01T12:00:00Z', 'Asia/Kathmandu']] as const) {
      const ms = Date.parse(iso);
      expect(offsetMinutes(ms, zone)).toBe(DateTime.fromMillis(ms, { zone }).offset);
      expect(utcToLocal(new Date(ms), zone)).toEqual(luxonLocal(new Date(ms), zone));
    }
  });

  it('localDayRange is 23 or 25 hours on clock-change days', () => {
    const length = (date: string) => {
      const { start, end } = localDayRange(date, 'Europe/Rome');
      return (end.getTime() - start.getTime()) / 3_600_000;
    };
    expect([length('2026-03-29'), length('2026-10-25'), length('2026-06-01')]).toEqual([23, 25, 24]);
  });
});

describe('isIsoDate', () => {
  const sut = isIsoDate;

  it.each(['1900-01-01', '2026-02-28', '2024-02-29', '2200-12-31'])('should accept %s', (value) => {
    expect(sut(value)).toBe(true);
  });

  it.each(['1899-12-31', '2201-01-01', '9999-12-27', '0000-01-01', '2026-02-30', '2026-13-01', '2026-1-01', ''])('should refuse %s', (value) => {
    expect(sut(value)).toBe(false);
  });
});

describe('isDateInBounds', () => {
  it('should judge an ISO instant by its date when given one', () => {
    expect(isDateInBounds('2200-12-31T23:59:59Z')).toBe(true);
    expect(isDateInBounds('9999-12-31T10:00:00Z')).toBe(false);
    expect(isDateInBounds('1899-12-31T23:00:00Z')).toBe(false);
  });
});

describe('isCalendarDate', () => {
  it('agrees with luxon on every YYYY-MM-DD of four centuries, impossible days included', () => {
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    for (const year of [0, 4, 100, 1600, 1700, 1800, 1899, 1900, 1999, 2000, 2024, 2025, 2026, 2100, 2400, 9999]) {
      for (let month = 0; month <= 13; month += 1) {
        for (let day = 0; day <= 32; day += 1) {
          const value = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
          expect([value, isCalendarDate(value)]).toEqual([value, DateTime.fromISO(value, { zone: 'UTC' }).isValid]);
        }
      }
    }
  });

  it('takes only the YYYY-MM-DD layout', () => {
    for (const value of ['2026-2-01', '2026-02-1', '20260201', '2026-02-01T00:00', ' 2026-02-01', '2026-02-01 ', '+2026-02-01']) expect(isCalendarDate(value)).toBe(false);
  });
});
