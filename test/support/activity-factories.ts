import { randomBytes } from 'node:crypto';
import { ActivitiesService } from '../../src/activities/activities.service';
import { Activity } from '../../src/activities/entities/activity.entity';
import { ActivityType } from '../../src/activities/entities/activity-type.entity';
import { RosterEntry } from '../../src/activities/entities/roster-entry.entity';
import { localDayRange, todayIn } from '../../src/common/time/zoned';
import type { TestApp } from './test-app';

/** An activity type of a home, written through the service as the seeder does. */
export async function createActivityType(t: TestApp, homeId: string, overrides: Partial<ActivityType> = {}): Promise<ActivityType> {
  return t.get(ActivitiesService).createType(
    null,
    {
      name: overrides.name ?? `Singing ${randomBytes(3).toString('hex')}`, category: overrides.category ?? 'social', defaultDurationMinutes: overrides.defaultDurationMinutes ?? 60,
      defaultLocation: overrides.defaultLocation ?? undefined, defaultCapacity: overrides.defaultCapacity ?? undefined, usualPhases: overrides.usualPhases,
    },
    undefined,
    homeId,
  );
}

/**
 * When a default activity starts: an hour ago, or at the start of the home's day (Europe/Rome) in the
 * day's first hour, so that it is on today's page whatever the time the tests run.
 */
function earlierToday(now = new Date(), zone = 'Europe/Rome'): Date {
  const hourAgo = new Date(now.getTime() - 60 * 60 * 1000);
  const dayStart = localDayRange(todayIn(zone, now), zone).start;
  return hourAgo < dayStart ? dayStart : hourAgo;
}

/** An activity (earlier today by default) with an optional roster, written straight to the tables. */
export async function createActivity(
  t: TestApp,
  homeId: string,
  overrides: Partial<Activity> & { residentIds?: string[] } = {},
): Promise<Activity> {
  const { residentIds = [], ...fields } = overrides;
  const type = fields.activityTypeId ? undefined : await createActivityType(t, homeId);
  const repo = t.dataSource.getRepository(Activity);
  const activity = repo.create({
    homeId, activityTypeId: type?.id, title: 'Afternoon singing', startsAt: earlierToday(), durationMinutes: 60,
    location: 'Sala grande', unitId: null, capacity: null, leadStaffId: null, status: 'planned', description: null, seriesId: null,
    visibleToFamilies: true, completedAt: null, cancelReason: null, ...fields,
  });
  await repo.insert(activity);
  if (residentIds.length > 0) {
    await t.dataSource.getRepository(RosterEntry).insert(residentIds.map((residentId) => ({ homeId, activityId: activity.id, residentId })));
  }
  return activity;
}
