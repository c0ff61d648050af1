import { EntityManager } from 'typeorm';
import { ENGAGEMENTS, Engagement } from '../../activities/activities.enums';
import { quarterBounds } from '../../common/time/quarter';
import { localDayRange, utcToLocal } from '../../common/time/zoned';
import { asDate, asNumber, placeholders, sqlRows, sqlRun } from '../../database/sql';

/**
 * The group view's summary tables (docs/groups.md, "Summary tables"), owned by the reports read
 * model: `activity_tally`, one row per held activity with the counts the quarterly report takes
 * from it; `home_day_tally`, those summed per home and local day; and `resident_reach`, when each
 * resident was first reached in each quarter. A home's headline figures for a quarter are then sums
 * over its 90-odd day rows and a count of its reach rows, instead of scans of the quarter's
 * participation and contributions (issue 20 e).
 *
 * Kept current in the writer's own transaction: whatever changes an activity's status or start,
 * its participation or its contributions calls `refreshTallies` with the activity's id, which
 * recounts that activity from its rows (never from deltas, so a missed case cannot accumulate).
 * `rebuildTallies` recounts whole homes (migration, seeding, a home's time zone changed, the CLI);
 * test/group-tally.e2e-spec.ts checks the tables against the report's own queries after every
 * kind of write.
 */

/** The levels that count as attended, and as reached (SPEC 5); the report uses the same. */
export const REACHED_LEVELS: readonly Engagement[] = ['active', 'passive'];
/** An activity is held when completed (the report's `held`). */
const HELD = 'completed';

/** What one held activity adds to its home's figures. */
export interface Tally {
  activityId: string;
  homeId: string;
  startsAt: Date;
  counts: Record<Engagement, number>;
  contributionMinutes: number;
  coProduced: boolean;
  /** Residents reached (active or passive), sorted. */
  reached: string[];
}

/** The quarter ("2026-Q3") a moment falls in, in a home's zone. */
export function quarterAt(instant: Date, zone: string): string {
  const { date } = utcToLocal(instant, zone);
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/** One activity's tally from its participation and contributions: the report's definitions, row by row. */
export function tallyOf(
  activity: { id: string; homeId: string; startsAt: Date },
  participation: readonly { residentId: string; engagement: string }[],
  contributions: readonly { minutes: number | string | null; actorType: string }[],
): Tally {
  const counts = Object.fromEntries(ENGAGEMENTS.map((level) => [level, 0])) as Record<Engagement, number>;
  const reached = new Set<string>();
  for (const row of participation) {
    if (row.engagement in counts) counts[row.engagement as Engagement] += 1;
    if ((REACHED_LEVELS as readonly string[]).includes(row.engagement)) reached.add(row.residentId);
  }
  return {
    activityId: activity.id, homeId: activity.homeId, startsAt: activity.startsAt, counts,
    contributionMinutes: contributions.reduce((sum, c) => sum + asNumber(c.minutes), 0),
    coProduced: contributions.some((c) => c.actorType !== 'staff'),
    reached: [...reached].sort(),
  };
}

interface ActivityState {
  id: string;
  homeId: string;
  status: string;
  startsAt: Date | string;
  timezone: string;
  tallyStartsAt: Date | string | null;
  tallyReached: string | null;
}

/**
 * Brings the tallies of these activities, and the reach of their residents, up to date with their
 * rows, inside the caller's transaction (the writer's own, so the summary commits or rolls back with
 * the change). An activity that is not held, and was not, costs one statement.
 */
export async function refreshTallies(m: EntityManager, activityIds: readonly string[]): Promise<void> {
  const ids = [...new Set(activityIds)].filter(Boolean);
  if (ids.length === 0) return;
  const states = await sqlRows<ActivityState>(
    m,
    `SELECT a.id, a."homeId", a.status, a."startsAt", h.timezone, t."startsAt" AS "tallyStartsAt", t.reached AS "tallyReached"
       FROM activity a JOIN home h ON h.id = a."homeId" LEFT JOIN activity_tally t ON t."activityId" = a.id
      WHERE a.id IN (${placeholders(ids.length)})`,
    ids,
  );
  const relevant = states.filter((s) => s.status === HELD || s.tallyStartsAt !== null);
  if (relevant.length === 0) return;
  const held = relevant.filter((s) => s.status === HELD).map((s) => ({ id: s.id, homeId: s.homeId, startsAt: asDate(s.startsAt) }));
  const tallies = await talliesOf(m, held);
  const gone = relevant.filter((s) => s.status !== HELD).map((s) => s.id);
  if (gone.length > 0) await sqlRun(m, `DELETE FROM activity_tally WHERE "activityId" IN (${placeholders(gone.length)})`, gone);
  await writeTallies(m, tallies, true);

  // Reach: residents newly reached move their quarter's first reach earlier (or make it); residents
  // no longer reached there (or reached at another time) have theirs recounted from the records.
  const gained: Reach[] = [];
  const lost = new Map<string, { residentId: string; homeId: string; quarter: string; zone: string }>();
  for (const state of relevant) {
    const before = state.tallyStartsAt === null ? null : { startsAt: asDate(state.tallyStartsAt), reached: JSON.parse(state.tallyReached ?? '[]') as string[] };
    const after = tallies.get(state.id) ?? null;
    const moved = before !== null && after !== null && before.startsAt.getTime() !== after.startsAt.getTime();
    const keep = new Set(after && !moved ? after.reached : []);
    for (const residentId of before?.reached ?? []) {
      if (keep.has(residentId)) continue;
      const quarter = quarterAt(before!.startsAt, state.timezone);
      lost.set(`${residentId}/${quarter}`, { residentId, homeId: state.homeId, quarter, zone: state.timezone });
    }
    const had = new Set(before && !moved ? before.reached : []);
    for (const residentId of after?.reached ?? []) {
      if (!had.has(residentId)) gained.push({ residentId, homeId: state.homeId, quarter: quarterAt(after!.startsAt, state.timezone), firstReachedAt: after!.startsAt });
    }
  }
  await writeReach(m, gained, 'earliest');
  for (const { residentId, homeId, quarter, zone } of lost.values()) await recountReach(m, residentId, homeId, quarter, zone);

  // The days the activities were on, and are on now, summed again from their tallies.
  const days = new Map<string, { homeId: string; day: string; zone: string }>();
  const dayOf = (state: ActivityState, instant: Date) => {
    const day = utcToLocal(instant, state.timezone).date;
    days.set(`${state.homeId}/${day}`, { homeId: state.homeId, day, zone: state.timezone });
  };
  for (const state of relevant) {
    if (state.tallyStartsAt !== null) dayOf(state, asDate(state.tallyStartsAt));
    const after = tallies.get(state.id);
    if (after) dayOf(state, after.startsAt);
  }
  for (const { homeId, day, zone } of days.values()) await recountDay(m, homeId, day, zone);
}

/**
 * Recounts the tallies and reach of whole homes (all homes when `homeIds` is null) from their
 * records: after the migration that made the tables, after seeding, when a home's zone changes (its
 * quarters move), and by `npm run cli -- tallies:rebuild`. Home by home, in the caller's transaction.
 */
export async function rebuildTallies(m: EntityManager, homeIds: readonly string[] | null): Promise<{ homes: number; activities: number; reach: number }> {
  const homes = homeIds === null
    ? await sqlRows<{ id: string; timezone: string }>(m, 'SELECT id, timezone FROM home ORDER BY id')
    : homeIds.length === 0 ? [] : await sqlRows<{ id: string; timezone: string }>(m, `SELECT id, timezone FROM home WHERE id IN (${placeholders(homeIds.length)})`, [...homeIds]);
  let activities = 0;
  let reachRows = 0;
  for (const home of homes) {
    await sqlRun(m, 'DELETE FROM activity_tally WHERE "homeId" = ?', [home.id]);
    await sqlRun(m, 'DELETE FROM home_day_tally WHERE "homeId" = ?', [home.id]);
    await sqlRun(m, 'DELETE FROM resident_reach WHERE "homeId" = ?', [home.id]);
    const held = (await sqlRows<{ id: string; homeId: string; startsAt: Date | string }>(
      m, 'SELECT id, "homeId", "startsAt" FROM activity WHERE "homeId" = ? AND status = ?', [home.id, HELD],
    )).map((a) => ({ id: a.id, homeId: a.homeId, startsAt: asDate(a.startsAt) }));
    const tallies = await talliesOf(m, held, home.id);
    await writeTallies(m, tallies, false);
    const first = new Map<string, Reach>();
    const days = new Map<string, DaySum>();
    for (const tally of tallies.values()) {
      const day = utcToLocal(tally.startsAt, home.timezone).date;
      days.set(day, addTally(days.get(day) ?? emptyDay(home.id, day), tally));
      const quarter = quarterAt(tally.startsAt, home.timezone);
      for (const residentId of tally.reached) {
        const key = `${residentId}/${quarter}`;
        const known = first.get(key);
        if (!known || tally.startsAt < known.firstReachedAt) first.set(key, { residentId, homeId: home.id, quarter, firstReachedAt: tally.startsAt });
      }
    }
    await writeReach(m, [...first.values()], 'insert');
    await writeDays(m, [...days.values()], false);
    activities += tallies.size;
    reachRows += first.size;
  }
  return { homes: homes.length, activities, reach: reachRows };
}

interface Reach {
  residentId: string;
  homeId: string;
  quarter: string;
  firstReachedAt: Date;
}

/** Rows per statement when writing many (well under SQLite's 32,766 parameters). */
const CHUNK = 500;

function chunks<T>(list: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** The tallies of held activities, read from their participation and contributions (a home's at once when `homeId` is given). */
async function talliesOf(m: EntityManager, held: readonly { id: string; homeId: string; startsAt: Date }[], homeId?: string): Promise<Map<string, Tally>> {
  const result = new Map<string, Tally>();
  if (held.length === 0) return result;
  const participation = new Map<string, { residentId: string; engagement: string }[]>();
  const contributions = new Map<string, { minutes: number | string | null; actorType: string }[]>();
  const add = <T>(map: Map<string, T[]>, key: string, row: T) => map.set(key, [...(map.get(key) ?? []), row]);
  const byHome = homeId !== undefined;
  for (const part of byHome ? [held] : chunks(held)) {
    const ids = part.map((a) => a.id);
    const participationRows = byHome
      ? await sqlRows<{ activityId: string; residentId: string; engagement: string }>(
          m, `SELECT p."activityId", p."residentId", p.engagement FROM participation p JOIN activity a ON a.id = p."activityId" WHERE a."homeId" = ? AND a.status = ?`, [homeId, HELD])
      : await sqlRows<{ activityId: string; residentId: string; engagement: string }>(
          m, `SELECT "activityId", "residentId", engagement FROM participation WHERE "activityId" IN (${placeholders(ids.length)})`, ids);
    for (const row of participationRows) add(participation, row.activityId, row);
    // The contribution's own home too, as the report asks it (contributionsOnHeld).
    const contributionRows = byHome
      ? await sqlRows<{ activityId: string; minutes: number | string | null; actorType: string }>(
          m, `SELECT c."activityId", c.minutes, c."actorType" FROM contribution c JOIN activity a ON a.id = c."activityId"
               WHERE c."homeId" = ? AND a."homeId" = ? AND a.status = ?`, [homeId, homeId, HELD])
      : await sqlRows<{ activityId: string; minutes: number | string | null; actorType: string }>(
          m, `SELECT c."activityId", c.minutes, c."actorType" FROM contribution c JOIN activity a ON a.id = c."activityId"
               WHERE c."activityId" IN (${placeholders(ids.length)}) AND c."homeId" = a."homeId"`, ids);
    for (const row of contributionRows) add(contributions, row.activityId, row);
  }
  for (const activity of held) result.set(activity.id, tallyOf(activity, participation.get(activity.id) ?? [], contributions.get(activity.id) ?? []));
  return result;
}

const TALLY_COLUMNS = ['activityId', 'homeId', 'startsAt', ...ENGAGEMENTS, 'contributionMinutes', 'coProduced', 'reached'];

async function writeTallies(m: EntityManager, tallies: Map<string, Tally>, upsert: boolean): Promise<void> {
  const columns = TALLY_COLUMNS.map((c) => `"${c}"`).join(', ');
  const update = TALLY_COLUMNS.slice(1).map((c) => `"${c}" = excluded."${c}"`).join(', ');
  for (const part of chunks([...tallies.values()], Math.floor(CHUNK / 2))) {
    await sqlRun(
      m,
      `INSERT INTO activity_tally (${columns}) VALUES ${part.map(() => `(${placeholders(TALLY_COLUMNS.length)})`).join(', ')}
       ${upsert ? `ON CONFLICT ("activityId") DO UPDATE SET ${update}` : ''}`,
      part.flatMap((t) => [t.activityId, t.homeId, t.startsAt, ...ENGAGEMENTS.map((level) => t.counts[level]), t.contributionMinutes, t.coProduced ? 1 : 0, JSON.stringify(t.reached)]),
    );
  }
}

/** Writes reach rows: as they are (a rebuild), or keeping the earlier of the stored and the new first reach. */
async function writeReach(m: EntityManager, rows: readonly Reach[], mode: 'insert' | 'earliest'): Promise<void> {
  for (const part of chunks(rows)) {
    await sqlRun(
      m,
      `INSERT INTO resident_reach ("residentId", quarter, "homeId", "firstReachedAt") VALUES ${part.map(() => '(?, ?, ?, ?)').join(', ')}
       ${mode === 'earliest' ? `ON CONFLICT ("residentId", quarter) DO UPDATE SET "firstReachedAt" = excluded."firstReachedAt"
         WHERE excluded."firstReachedAt" < resident_reach."firstReachedAt"` : ''}`,
      part.flatMap((r) => [r.residentId, r.quarter, r.homeId, r.firstReachedAt]),
    );
  }
}

/** A home's held activities of a local day, summed. */
interface DaySum {
  homeId: string;
  day: string;
  held: number;
  counts: Record<Engagement, number>;
  contributionMinutes: number;
  coProduced: number;
}

function emptyDay(homeId: string, day: string): DaySum {
  return { homeId, day, held: 0, counts: Object.fromEntries(ENGAGEMENTS.map((level) => [level, 0])) as Record<Engagement, number>, contributionMinutes: 0, coProduced: 0 };
}

function addTally(sum: DaySum, tally: Tally): DaySum {
  for (const level of ENGAGEMENTS) sum.counts[level] += tally.counts[level];
  return { ...sum, held: sum.held + 1, contributionMinutes: sum.contributionMinutes + tally.contributionMinutes, coProduced: sum.coProduced + (tally.coProduced ? 1 : 0) };
}

const DAY_COLUMNS = ['homeId', 'day', 'held', ...ENGAGEMENTS, 'contributionMinutes', 'coProduced'];

async function writeDays(m: EntityManager, days: readonly DaySum[], upsert: boolean): Promise<void> {
  const columns = DAY_COLUMNS.map((c) => `"${c}"`).join(', ');
  const update = DAY_COLUMNS.slice(2).map((c) => `"${c}" = excluded."${c}"`).join(', ');
  for (const part of chunks(days, Math.floor(CHUNK / 2))) {
    await sqlRun(
      m,
      `INSERT INTO home_day_tally (${columns}) VALUES ${part.map(() => `(${placeholders(DAY_COLUMNS.length)})`).join(', ')}
       ${upsert ? `ON CONFLICT ("homeId", day) DO UPDATE SET ${update}` : ''}`,
      part.flatMap((d) => [d.homeId, d.day, d.held, ...ENGAGEMENTS.map((level) => d.counts[level]), d.contributionMinutes, d.coProduced]),
    );
  }
}

/** A home's day summed again from its activities' tallies (by their index); no row when none is held that day. */
async function recountDay(m: EntityManager, homeId: string, day: string, zone: string): Promise<void> {
  const { start, end } = localDayRange(day, zone);
  type Row = { held: number | string } & Record<Engagement | 'contributionMinutes' | 'coProduced', number | string | null>;
  const row = (await sqlRows<Row>(
    m,
    `SELECT COUNT(*) AS held, ${[...ENGAGEMENTS, 'contributionMinutes', 'coProduced'].map((c) => `SUM("${c}") AS "${c}"`).join(', ')}
       FROM activity_tally WHERE "homeId" = ? AND "startsAt" >= ? AND "startsAt" < ?`,
    [homeId, start, end],
  ))[0];
  const held = asNumber(row?.held);
  if (held === 0) {
    await sqlRun(m, 'DELETE FROM home_day_tally WHERE "homeId" = ? AND day = ?', [homeId, day]);
    return;
  }
  const sum = emptyDay(homeId, day);
  for (const level of ENGAGEMENTS) sum.counts[level] = asNumber(row[level]);
  await writeDays(m, [{ ...sum, held, contributionMinutes: asNumber(row.contributionMinutes), coProduced: asNumber(row.coProduced) }], true);
}

/** A resident's first reach in a quarter, from their participation in the quarter's held activities; no row when none. */
async function recountReach(m: EntityManager, residentId: string, homeId: string, quarter: string, zone: string): Promise<void> {
  const bounds = quarterBounds(quarter, zone);
  const row = await sqlRows<{ first: Date | string | null }>(
    m,
    `SELECT MIN(a."startsAt") AS first FROM participation p JOIN activity a ON a.id = p."activityId"
      WHERE p."residentId" = ? AND p.engagement IN (${placeholders(REACHED_LEVELS.length)}) AND a.status = ? AND a."startsAt" >= ? AND a."startsAt" < ?`,
    [residentId, ...REACHED_LEVELS, HELD, bounds.start, bounds.end],
  );
  const first = row[0]?.first ?? null;
  if (first === null) {
    await sqlRun(m, 'DELETE FROM resident_reach WHERE "residentId" = ? AND quarter = ?', [residentId, quarter]);
    return;
  }
  await sqlRun(
    m,
    `INSERT INTO resident_reach ("residentId", quarter, "homeId", "firstReachedAt") VALUES (?, ?, ?, ?)
     ON CONFLICT ("residentId", quarter) DO UPDATE SET "firstReachedAt" = excluded."firstReachedAt"`,
    [residentId, quarter, homeId, asDate(first)],
  );
}
