import { quarterAt, tallyOf } from './headline-tally';

describe('headline tallies (the group view\'s summary, docs/groups.md)', () => {
  it('should put a moment in its quarter in the home\'s zone, not in UTC', () => {
    // 30 June 22:30 UTC is 1 July 00:30 in Rome (Q3) but still 30 June in New York (Q2).
    const instant = new Date('2026-06-30T22:30:00Z');
    expect(quarterAt(instant, 'Europe/Rome')).toBe('2026-Q3');
    expect(quarterAt(instant, 'America/New_York')).toBe('2026-Q2');
    expect(quarterAt(new Date('2026-12-31T23:30:00Z'), 'Europe/Rome')).toBe('2027-Q1');
  });

  it('should count an activity as the report does: engagement levels, residents reached, minutes, co-produced by anyone but staff', () => {
    const activity = { id: 'a', homeId: 'h', startsAt: new Date('2026-07-10T08:00:00Z') };
    const tally = tallyOf(activity, [
      { residentId: 'r3', engagement: 'passive' }, { residentId: 'r1', engagement: 'active' }, { residentId: 'r2', engagement: 'disengaged' },
      { residentId: 'r4', engagement: 'declined' }, { residentId: 'r5', engagement: 'absent' },
    ], [{ minutes: 60, actorType: 'staff' }, { minutes: '30', actorType: 'staff' }]);
    expect(tally).toEqual({
      activityId: 'a', homeId: 'h', startsAt: activity.startsAt, counts: { active: 1, passive: 1, disengaged: 1, declined: 1, absent: 1 },
      contributionMinutes: 90, coProduced: false, reached: ['r1', 'r3'],
    });
    expect(tallyOf(activity, [], [{ minutes: 0, actorType: 'volunteer' }])).toMatchObject({ coProduced: true, contributionMinutes: 0, reached: [] });
  });
});
