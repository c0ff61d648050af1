import { utcToLocal } from '../../common/time/zoned';
import { allDates, choiceOf, describeRule, endingBefore, occurrencesBetween, ruleErrors, ruleText } from './series-rule';

const ROME = 'Europe/Rome';

describe('series rules', () => {
  describe('occurrencesBetween', () => {
    it('should keep 10:00 local in Europe/Rome across the change to summer time (last Sunday of March)', () => {
      const rule = ruleText({ repeat: 'weekly', interval: 1, byDay: ['SA', 'MO'], ends: 'count', count: 4 });
      const sut = occurrencesBetween(rule, '2026-03-23', '10:00', ROME, '2026-03-01', '2026-04-30');
      expect(sut.map((o) => o.date)).toEqual(['2026-03-23', '2026-03-28', '2026-03-30', '2026-04-04']);
      expect(sut.map((o) => o.startsAt.toISOString())).toEqual(['2026-03-23T09:00:00.000Z', '2026-03-28T09:00:00.000Z', '2026-03-30T08:00:00.000Z', '2026-04-04T08:00:00.000Z']);
      expect(sut.every((o) => utcToLocal(o.startsAt, ROME).time === '10:00')).toBe(true);
    });

    it('should keep 10:00 local in Europe/Rome across the change to winter time (last Sunday of October)', () => {
      const rule = ruleText({ repeat: 'weekly', interval: 1, byDay: ['SU'], ends: 'until', until: '2026-11-01' });
      const sut = occurrencesBetween(rule, '2026-10-18', '10:00', ROME, '2026-10-01', '2026-12-31');
      expect(sut.map((o) => o.date)).toEqual(['2026-10-18', '2026-10-25', '2026-11-01']);
      expect(sut.map((o) => o.startsAt.toISOString())).toEqual(['2026-10-18T08:00:00.000Z', '2026-10-25T09:00:00.000Z', '2026-11-01T09:00:00.000Z']);
    });

    it('should give every other week when the interval is 2', () => {
      const rule = ruleText({ repeat: 'weekly', interval: 2, byDay: ['TU'], ends: 'count', count: 3 });
      expect(allDates(rule, '2026-06-02', '15:00')).toEqual(['2026-06-02', '2026-06-16', '2026-06-30']);
    });

    it('should give the last Friday of each month across month ends', () => {
      const rule = ruleText({ repeat: 'monthly', interval: 1, monthPosition: -1, monthDay: 'FR', ends: 'count', count: 4 });
      expect(allDates(rule, '2026-01-01', '16:00')).toEqual(['2026-01-30', '2026-02-27', '2026-03-27', '2026-04-24']);
    });

    it('should give the first Sunday of each month, including one that falls on the 1st', () => {
      const rule = ruleText({ repeat: 'monthly', interval: 1, monthPosition: 1, monthDay: 'SU', ends: 'until', until: '2026-04-30' });
      expect(allDates(rule, '2026-01-01', '10:00')).toEqual(['2026-01-04', '2026-02-01', '2026-03-01', '2026-04-05']);
    });

    it('should skip a month that lacks a fifth weekday', () => {
      const rule = ruleText({ repeat: 'monthly', interval: 1, monthPosition: 5, monthDay: 'TH', ends: 'until', until: '2026-12-31' });
      // 2026 has a fifth Thursday in January, April, July, October and December only.
      expect(allDates(rule, '2026-01-01', '10:00')).toEqual(['2026-01-29', '2026-04-30', '2026-07-30', '2026-10-29', '2026-12-31']);
    });

    it('should keep the local time on a monthly rule across both clock changes', () => {
      const rule = ruleText({ repeat: 'monthly', interval: 1, monthPosition: -1, monthDay: 'SU', ends: 'count', count: 8 });
      const sut = occurrencesBetween(rule, '2026-03-01', '10:00', ROME, '2026-03-01', '2026-10-31');
      // The last Sundays of March and October are the change days themselves.
      expect(sut[0]).toMatchObject({ date: '2026-03-29' });
      expect(sut[0].startsAt.toISOString()).toBe('2026-03-29T08:00:00.000Z');
      expect(sut[7]).toMatchObject({ date: '2026-10-25' });
      expect(sut[7].startsAt.toISOString()).toBe('2026-10-25T09:00:00.000Z');
    });
  });

  describe('ruleErrors', () => {
    it('should ask for a day when weekly has none ticked', () => {
      expect(ruleErrors({ repeat: 'weekly', interval: 1, byDay: [], ends: 'count', count: 3 }, '2026-06-01')).toEqual({ byDay: { key: 'series.chooseDays' } });
    });

    it('should refuse an interval below 1', () => {
      expect(ruleErrors({ repeat: 'weekly', interval: 0, byDay: ['MO'], ends: 'count', count: 3 }, '2026-06-01')).toHaveProperty('interval');
    });

    it('should refuse an end before the start', () => {
      expect(ruleErrors({ repeat: 'weekly', interval: 1, byDay: ['MO'], ends: 'until', until: '2026-05-01' }, '2026-06-01')).toEqual({ until: { key: 'series.endBeforeStart' } });
    });

    it('should refuse more than 500 occurrences', () => {
      expect(ruleErrors({ repeat: 'weekly', interval: 1, byDay: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], ends: 'until', until: '2027-12-31' }, '2026-01-01'))
        .toEqual({ until: { key: 'series.tooMany', params: { max: 500 } } });
    });

    it('should refuse a rule running more than two years', () => {
      expect(ruleErrors({ repeat: 'monthly', interval: 1, monthPosition: 1, monthDay: 'MO', ends: 'count', count: 30 }, '2026-01-01'))
        .toEqual({ count: { key: 'series.tooLong', params: { years: 2 } } });
    });

    it('should accept a sound rule', () => {
      expect(ruleErrors({ repeat: 'weekly', interval: 1, byDay: ['TU', 'TH'], ends: 'until', until: '2027-03-31' }, '2026-06-01')).toEqual({});
    });
  });

  describe('choiceOf, endingBefore and describeRule', () => {
    it('should read back what the form chose', () => {
      const choice = { repeat: 'weekly' as const, interval: 2, byDay: ['TU' as const, 'TH' as const], ends: 'until' as const, until: '2027-03-31' };
      expect(choiceOf(ruleText(choice))).toEqual(choice);
    });

    it('should end a rule the day before a date, whatever ended it before', () => {
      const rule = endingBefore(ruleText({ repeat: 'weekly', interval: 1, byDay: ['MO'], ends: 'count', count: 10 }), '2026-06-15');
      expect(allDates(rule, '2026-06-01', '10:00')).toEqual(['2026-06-01', '2026-06-08']);
    });

    it('should describe a weekly rule in English and Italian', () => {
      const rule = ruleText({ repeat: 'weekly', interval: 1, byDay: ['TU', 'TH'], ends: 'until', until: '2027-03-31' });
      expect(describeRule(rule, 'en')).toBe('Every week on Tuesday and Thursday, until 31 March 2027');
      expect(describeRule(rule, 'it')).toBe('Ogni settimana, il martedì e il giovedì, fino al 31 marzo 2027');
    });

    it('should describe a monthly rule in English and Italian', () => {
      const rule = ruleText({ repeat: 'monthly', interval: 1, monthPosition: 1, monthDay: 'SU', ends: 'count', count: 6 });
      expect(describeRule(rule, 'en')).toBe('Every month on the first Sunday, 6 times');
      expect(describeRule(rule, 'it')).toBe('Ogni mese, la prima domenica, 6 volte');
      const last = ruleText({ repeat: 'monthly', interval: 2, monthPosition: -1, monthDay: 'FR', ends: 'count', count: 1 });
      expect(describeRule(last, 'en')).toBe('Every 2 months on the last Friday, 1 time');
      expect(describeRule(last, 'it')).toBe("Ogni 2 mesi, l'ultimo venerdì, 1 volta");
    });
  });
});
