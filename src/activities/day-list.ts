import { can } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { addDays, todayIn, utcToLocal } from '../common/time/zoned';
import { asDate, asNumber, placeholders } from '../database/sql';
import { homeNamer, Places, unitChoicesOf } from '../homes/places';
import type { ActivityCategory } from './activities.enums';
import type { ActivitySummary } from './activities.service';
import type { Activity } from './entities/activity.entity';

/**
 * The day's activity list (ActivitiesService.listBetween) and Today's view model, as pure pieces: the
 * statement, the rows made into summaries, the page. The app runs them through its services; the
 * benchmark's bare Today server (src/cli/bench/baseline-today.ts) runs the same ones on better-sqlite3.
 */

type SummaryFields = Pick<Activity, 'id' | 'homeId' | 'title' | 'startsAt' | 'durationMinutes' | 'location' | 'unitId' | 'status' | 'visibleToFamilies'>;

export interface SummaryRow extends Omit<SummaryFields, 'startsAt' | 'visibleToFamilies'> {
  startsAt: Date | string;
  visibleToFamilies: boolean | number;
  typeName: string | null;
  category: ActivityCategory | null;
  rosterCount: number | string;
  loggedCount: number | string;
}

export interface DayListOptions {
  unitId?: string;
  includeCancelled?: boolean;
  homeId?: string;
}

/**
 * One statement for the activities starting in [from, to) that the user may see, with types and
 * counts; null when they may see none. The scope is the one ActivitiesService.visible() applies (the
 * user's homes; families only what is shown to them), narrowed to one home when `homeId` says so.
 */
export function dayListQuery(user: SessionUser, from: Date, to: Date, options: DayListOptions = {}): { text: string; params: unknown[]; homeIds: string[] } | null {
  const homeIds = options.homeId ? user.homeIds.filter((id) => id === options.homeId) : user.homeIds;
  if (homeIds.length === 0 || !(can(user, 'homeStaff') || user.role === 'volunteer' || user.role === 'family')) return null;
  const where = [`a."homeId" IN (${placeholders(homeIds.length)})`, 'a."startsAt" >= ?', 'a."startsAt" < ?'];
  const params: unknown[] = [...homeIds, from, to];
  if (user.role === 'family') {
    where.push('a."visibleToFamilies" = ?');
    params.push(true);
  }
  // A unit's calendar includes whole-home activities.
  if (options.unitId) {
    where.push('(a."unitId" = ? OR a."unitId" IS NULL)');
    params.push(options.unitId);
  }
  if (!options.includeCancelled) where.push(`a.status <> 'cancelled'`);
  const text = `SELECT a.id, a."homeId", a.title, a."startsAt", a."durationMinutes", a.location, a."unitId", a.status, a."visibleToFamilies",
                t.name AS "typeName", t.category,
                (SELECT COUNT(*) FROM roster_entry r WHERE r."activityId" = a.id) AS "rosterCount",
                (SELECT COUNT(*) FROM participation p WHERE p."activityId" = a.id) AS "loggedCount"
         FROM activity a
         LEFT JOIN activity_type t ON t.id = a."activityTypeId"
         WHERE ${where.join(' AND ')}
         ORDER BY a."startsAt", a.title`;
  return { text, params, homeIds };
}

/** The rows of dayListQuery as summaries, with unit names and local times from `places` (which holds their homes). */
export function daySummaries(rows: SummaryRow[], places: Places): ActivitySummary[] {
  return rows.map((row) => {
    const startsAt = asDate(row.startsAt);
    return toSummary(
      { ...row, startsAt, visibleToFamilies: Boolean(row.visibleToFamilies) },
      {
        typeName: row.typeName, category: row.category, unitName: row.unitId ? (places.units.get(row.unitId)?.name ?? null) : null,
        zone: places.homes.get(row.homeId)!.timezone, rosterCount: asNumber(row.rosterCount), loggedCount: asNumber(row.loggedCount),
      },
    );
  });
}

/** An activity as lists show it, with its times in its home's zone. */
export function toSummary(
  a: SummaryFields,
  more: { typeName: string | null; category: ActivityCategory | null; unitName: string | null; zone: string; rosterCount: number; loggedCount: number },
): ActivitySummary {
  const start = utcToLocal(a.startsAt, more.zone);
  const end = utcToLocal(new Date(a.startsAt.getTime() + a.durationMinutes * 60_000), more.zone);
  return {
    id: a.id, homeId: a.homeId, title: a.title, typeName: more.typeName ?? '', category: more.category ?? 'social', startsAt: a.startsAt,
    date: start.date, time: start.time, endTime: end.time, durationMinutes: a.durationMinutes, location: a.location,
    unitId: a.unitId, unitName: a.unitId ? more.unitName : null, status: a.status,
    rosterCount: more.rosterCount, loggedCount: more.loggedCount, visibleToFamilies: a.visibleToFamilies,
  };
}

/** How long before its start an activity can be logged (ParticipationService.save says the same). */
export const LOG_AHEAD_MS = 12 * 60 * 60 * 1000;

/**
 * Today's view model: the day's activities of a unit (or the whole home), with the unit picker. For
 * someone with several homes each activity names its home, and the picker's first choice is all of them.
 */
export function todayView(user: SessionUser, date: string, unitId: string | undefined, places: Places, activities: ActivitySummary[], now = Date.now()) {
  const severalHomes = places.homes.size > 1;
  const homeName = homeNamer(places);
  const today = todayIn(user.timezone, new Date(now));
  // The day before and after, the unit kept (blank, the whole home, too): a carer logs yesterday's activities from here too.
  const unitParam = unitId === undefined ? '' : `unitId=${encodeURIComponent(unitId)}`;
  const dayHref = (day: string) => `/today?date=${day}${unitParam ? `&${unitParam}` : ''}`;
  return {
    date,
    isToday: date === today,
    previousHref: dayHref(addDays(date, -1)),
    nextHref: dayHref(addDays(date, 1)),
    todayHref: date === today ? null : `/today${unitParam ? `?${unitParam}` : ''}`,
    unitId: unitId ?? '',
    severalHomes,
    ...unitChoicesOf(places),
    activities: activities.map((a) => ({
      ...a, homeName: homeName(a.homeId), allLogged: a.rosterCount > 0 && a.loggedCount >= a.rosterCount,
      // Logged on the day (ParticipationService refuses more than 12 hours ahead): no Log button before.
      loggable: a.startsAt.getTime() <= now + LOG_AHEAD_MS,
    })),
  };
}
