import type { Database } from 'better-sqlite3';
import { EntityManager } from 'typeorm';
import { ENGAGEMENTS, Engagement } from '../../activities/activities.enums';
import { quarterBounds } from '../../common/time/quarter';
import { utcToLocal } from '../../common/time/zoned';
import { asDate, asNumber, placeholders, sqliteParameters, sqlRows } from '../../database/sql';

/**
 * The group view's summary tables (docs/groups.md, "Summary tables"), owned by the reports read
 * model: `activity_tally`, one row per held activity with the counts the quarterly report takes
 * from it; `home_day_tally`, those summed per home and local day; and `resident_reach`, when each
 * resident was first reached in each quarter. A home's headline figures for a quarter are then sums
 * over its 90-odd day rows and a count of its reach rows, instead of scans of the quarter's
 * participation and contributions (issue 20 e).
 *
 * Kept current in the writer's own transaction: whatever changes an activity's status or start,
 * its participation or its contributions reports the activity's id (SummaryUpkeep), and
 * `refreshTallies` recounts that activity from its rows, then moves its day by the difference.
 * `rebuildTallies` recounts whole homes (migration, seeding, a home's time zone changed, the CLI);
 * test/group-tally.e2e-spec.ts checks the tables against the report's own queries after every
 * kind of write.
 */

/** The levels that count as attended, and as reached (SPEC 5); the report uses the same. */
export const REACHED_LEVELS: readonly Engagement[] = ['active', 'passive'];
/** An activity is held when completed (the report's `held`). */
const HELD = 'completed';

/**
 * The work below is written once, as steps that yield each statement and take its rows back, so that
 * the app runs it on an EntityManager in the writer's transaction (`refreshTallies`) and the bench's
 * bare server runs the same statements synchronously on its better-sqlite3 connection
 * (`refreshTalliesOn`): the same writes on both sides of the save comparison (issue 20 a).
 */
interface Statement {
  text: string;
  params: readonly unknown[];
}
type Row = Record<string, unknown>;
type Steps<T = void> = Generator<Statement, T, Row[]>;

function* rows<T>(text: string, params: readonly unknown[] = []): Steps<T[]> {
  return (yield { text, params }) as T[];
}

function* run(text: string, params: readonly unknown[] = []): Steps {
  yield { text, params };
}

async function onManager<T>(m: EntityManager, steps: Steps<T>): Promise<T> {
  let next = steps.next();
  while (!next.done) next = steps.next(await sqlRows<Row>(m, next.value.text, next.value.params));
  return next.value;
}

/** Brings the summary of these activities up to date (see refreshSteps), in the caller's transaction. */
export function refreshTallies(m: EntityManager, activityIds: readonly string[]): Promise<void> {
  return onManager(m, refreshSteps(activityIds));
}

/** Statements prepared once per connection, as the app's sqlRows does. */
type Prepared = ReturnType<Database['prepare']>;
const prepared = new WeakMap<Database, Map<string, Prepared>>();

/** The same, synchronously on a better-sqlite3 connection, inside its transaction (the bench's bare server). */
export function refreshTalliesOn(db: Database, activityIds: readonly string[]): void {
  let statements = prepared.get(db);
  if (!statements) prepared.set(db, (statements = new Map()));
  const steps = refreshSteps(activityIds);
  let next = steps.next();
  while (!next.done) {
    const text = next.value.text;
    let statement: Prepared | undefined = statements.get(text);
    if (!statement) statements.set(text, (statement = db.prepare(text)));
    const params = sqliteParameters(next.value.params);
    const bound = statement as unknown as { reader: boolean; all(...values: unknown[]): Row[]; run(...values: unknown[]): unknown };
    next = steps.next(bound.reader ? bound.all(...params) : (bound.run(...params), []));
  }
}

/**
 * Recounts the tallies and reach of whole homes (all homes when `homeIds` is null) from their
 * records: after the migration that made the tables, after seeding, when a home's zone changes (its
 * quarters move), and by `npm run tallies:rebuild`. Home by home, in the caller's transaction.
 */
export function rebuildTallies(m: EntityManager, homeIds: readonly string[] | null): Promise<{ homes: number; activities: number; reach: number }> {
  return onManager(m, rebuildSteps(homeIds));
}

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
  /** The stored tally's columns (null without one). */
  tallyStartsAt: Date | string | null;
  tallyReached: string | null;
  tallyMinutes: number | string | null;
  tallyCoProduced: number | string | null;
}

/** The stored tally's count of each engagement level, read as `tally_<level>`. */
type StoredCounts = Partial<Record<`tally_${Engagement}`, number | string | null>>;

/** The stored tally of an activity, as read with its state. */
function storedTally(state: ActivityState & StoredCounts): Tally | null {
  if (state.tallyStartsAt === null) return null;
  return {
    activityId: state.id, homeId: state.homeId, startsAt: asDate(state.tallyStartsAt),
    counts: Object.fromEntries(ENGAGEMENTS.map((level) => [level, asNumber(state[`tally_${level}`])])) as Record<Engagement, number>,
    contributionMinutes: asNumber(state.tallyMinutes), coProduced: asNumber(state.tallyCoProduced) === 1,
    reached: JSON.parse(state.tallyReached ?? '[]') as string[],
  };
}

function sameTally(a: Tally | null, b: Tally | null): boolean {
  if (a === null || b === null) return a === b;
  return a.startsAt.getTime() === b.startsAt.getTime() && a.contributionMinutes === b.contributionMinutes && a.coProduced === b.coProduced
    && ENGAGEMENTS.every((level) => a.counts[level] === b.counts[level]) && a.reached.join() === b.reached.join();
}

/**
 * Brings the tallies of these activities, their homes' days and the reach of their residents up to
 * date with their rows, inside the caller's transaction (the writer's own, so the summary commits or
 * rolls back with the change). Each activity is recounted from its rows; a home's day then moves by
 * the difference between the activity's old and new tally (it is their sum); a resident newly reached
 * moves their quarter's first reach earlier; a resident no longer reached by the activity that was
 * their first reach is recounted from the records. An activity not held, before or after, costs one
 * statement; one whose counts did not change (a mood or a note edited), three.
 */
function* refreshSteps(activityIds: readonly string[]): Steps {
  const ids = [...new Set(activityIds)].filter(Boolean);
  if (ids.length === 0) return;
  const states = yield* rows<ActivityState & StoredCounts>(
    `SELECT a.id, a."homeId", a.status, a."startsAt", h.timezone, t."startsAt" AS "tallyStartsAt", t.reached AS "tallyReached",
            t."contributionMinutes" AS "tallyMinutes", t."coProduced" AS "tallyCoProduced",
            ${ENGAGEMENTS.map((level) => `t.${level} AS "tally_${level}"`).join(', ')}
       FROM activity a JOIN home h ON h.id = a."homeId" LEFT JOIN activity_tally t ON t."activityId" = a.id
      WHERE a.id IN (${placeholders(ids.length)})`,
    ids,
  );
  const relevant = states.filter((s) => s.status === HELD || s.tallyStartsAt !== null);
  if (relevant.length === 0) return;
  const tallies = yield* talliesOf(relevant.filter((s) => s.status === HELD).map((s) => ({ id: s.id, homeId: s.homeId, startsAt: asDate(s.startsAt) })));
  const changes = relevant
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((state) => ({ state, before: storedTally(state), after: tallies.get(state.id) ?? null }))
    .filter(({ before, after }) => !sameTally(before, after));
  if (changes.length === 0) return;

  const gone = changes.filter((c) => c.after === null).map((c) => c.state.id);
  if (gone.length > 0) yield* run(`DELETE FROM activity_tally WHERE "activityId" IN (${placeholders(gone.length)})`, gone);
  yield* writeTallies(new Map(changes.filter((c) => c.after !== null).map((c) => [c.state.id, c.after!])), true);

  // Days: minus the old tally on its day, plus the new on its day.
  const days = new Map<string, DaySum>();
  const move = (state: ActivityState, tally: Tally, sign: 1 | -1) => {
    const day = utcToLocal(tally.startsAt, state.timezone).date;
    const key = `${state.homeId}/${day}`;
    days.set(key, addTally(days.get(key) ?? emptyDay(state.homeId, day), tally, sign));
  };
  for (const { state, before, after } of changes) {
    if (before) move(state, before, -1);
    if (after) move(state, after, 1);
  }
  // Rows in one order (keys sorted) in every writer, so concurrent writers on PostgreSQL lock them alike.
  const moved = [...days.values()].sort((a, b) => a.homeId.localeCompare(b.homeId) || a.day.localeCompare(b.day)).filter((d) => d.held !== 0 || ENGAGEMENTS.some((level) => d.counts[level] !== 0) || d.contributionMinutes !== 0 || d.coProduced !== 0);
  yield* writeDays(moved, 'add');
  for (const emptied of moved.filter((d) => d.held < 0)) {
    yield* run('DELETE FROM home_day_tally WHERE "homeId" = ? AND day = ? AND held = 0', [emptied.homeId, emptied.day]);
  }

  // Reach: residents newly reached move their quarter's first reach earlier (or make it); residents
  // no longer reached there (or reached at another time) are recounted where it was their first.
  const gained: Reach[] = [];
  const lost = new Map<string, Reach & { zone: string }>();
  for (const { state, before, after } of changes) {
    const sameTime = before !== null && after !== null && before.startsAt.getTime() === after.startsAt.getTime();
    const keep = new Set(after && sameTime ? after.reached : []);
    for (const residentId of before?.reached ?? []) {
      if (keep.has(residentId)) continue;
      const quarter = quarterAt(before!.startsAt, state.timezone);
      lost.set(`${residentId}/${quarter}`, { residentId, homeId: state.homeId, quarter, firstReachedAt: before!.startsAt, zone: state.timezone });
    }
    const had = new Set(before && sameTime ? before.reached : []);
    for (const residentId of after?.reached ?? []) {
      if (!had.has(residentId)) gained.push({ residentId, homeId: state.homeId, quarter: quarterAt(after!.startsAt, state.timezone), firstReachedAt: after!.startsAt });
    }
  }
  if (lost.size > 0) {
    // Only where the activity was the first reach: an earlier one that still reaches them keeps the row right.
    const stored = yield* rows<{ residentId: string; quarter: string; firstReachedAt: Date | string }>(
      `SELECT "residentId", quarter, "firstReachedAt" FROM resident_reach WHERE "residentId" IN (${placeholders(lost.size)})`,
      [...new Set([...lost.values()].map((l) => l.residentId))],
    );
    const first = new Map(stored.map((r) => [`${r.residentId}/${r.quarter}`, asDate(r.firstReachedAt).getTime()]));
    for (const [key, l] of [...lost].sort(([a], [b]) => a.localeCompare(b))) {
      if ((first.get(key) ?? l.firstReachedAt.getTime()) >= l.firstReachedAt.getTime()) yield* recountReach(l.residentId, l.homeId, l.quarter, l.zone);
    }
  }
  // One row per resident and quarter (a statement may not upsert a row twice), the earliest reach.
  const earliest = new Map<string, Reach>();
  for (const reach of gained) {
    const key = `${reach.residentId}/${reach.quarter}`;
    const known = earliest.get(key);
    if (!known || reach.firstReachedAt < known.firstReachedAt) earliest.set(key, reach);
  }
  yield* writeReach([...earliest.values()].sort((a, b) => a.residentId.localeCompare(b.residentId) || a.quarter.localeCompare(b.quarter)), 'earliest');
}

function* rebuildSteps(homeIds: readonly string[] | null): Steps<{ homes: number; activities: number; reach: number }> {
  const homes = homeIds === null
    ? yield* rows<{ id: string; timezone: string }>('SELECT id, timezone FROM home ORDER BY id')
    : homeIds.length === 0 ? [] : yield* rows<{ id: string; timezone: string }>(`SELECT id, timezone FROM home WHERE id IN (${placeholders(homeIds.length)})`, [...homeIds]);
  let activities = 0;
  let reachRows = 0;
  for (const home of homes) {
    yield* run('DELETE FROM activity_tally WHERE "homeId" = ?', [home.id]);
    yield* run('DELETE FROM home_day_tally WHERE "homeId" = ?', [home.id]);
    yield* run('DELETE FROM resident_reach WHERE "homeId" = ?', [home.id]);
    const held = (yield* rows<{ id: string; homeId: string; startsAt: Date | string }>(
      'SELECT id, "homeId", "startsAt" FROM activity WHERE "homeId" = ? AND status = ?', [home.id, HELD],
    )).map((a) => ({ id: a.id, homeId: a.homeId, startsAt: asDate(a.startsAt) }));
    const tallies = yield* talliesOf(held, home.id);
    yield* writeTallies(tallies, false);
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
    yield* writeReach([...first.values()], 'insert');
    yield* writeDays([...days.values()], 'insert');
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
function* talliesOf(held: readonly { id: string; homeId: string; startsAt: Date }[], homeId?: string): Steps<Map<string, Tally>> {
  const result = new Map<string, Tally>();
  if (held.length === 0) return result;
  const participation = new Map<string, { residentId: string; engagement: string }[]>();
  const contributions = new Map<string, { minutes: number | string | null; actorType: string }[]>();
  const add = <T>(map: Map<string, T[]>, key: string, row: T) => map.set(key, [...(map.get(key) ?? []), row]);
  type TallyRow = { activityId: string; residentId: string | null; engagement: string | null; minutes: number | string | null; actorType: string | null };
  // Both kinds of rows in one statement (a refresh runs in a tablet's save): participation has an
  // engagement, a contribution an actor. The contribution's own home is asked too, as the report asks
  // it (contributionsOnHeld).
  const statement = (where: { participation: string; contribution: string }, join: string) =>
    `SELECT p."activityId", p."residentId", p.engagement, NULL AS minutes, NULL AS "actorType" FROM participation p ${where.participation}
     UNION ALL
     SELECT c."activityId", NULL, NULL, c.minutes, c."actorType" FROM contribution c ${join} ${where.contribution}`;
  const parts = homeId !== undefined
    ? [{ text: statement({
        participation: 'JOIN activity a ON a.id = p."activityId" WHERE a."homeId" = ? AND a.status = ?',
        contribution: 'WHERE c."homeId" = ? AND a."homeId" = ? AND a.status = ?',
      }, 'JOIN activity a ON a.id = c."activityId"'), params: [homeId, HELD, homeId, homeId, HELD] }]
    : chunks(held).map((part) => {
        const ids = part.map((x) => x.id);
        return {
          text: statement({
            participation: `WHERE p."activityId" IN (${placeholders(ids.length)})`,
            // The activity's home as a correlated subquery, not a join condition: with `c."homeId" =
            // a."homeId"` SQLite searched the home's contributions by home instead of by activity.
            contribution: `WHERE c."activityId" IN (${placeholders(ids.length)}) AND c."homeId" = (SELECT a."homeId" FROM activity a WHERE a.id = c."activityId")`,
          }, ''),
          params: [...ids, ...ids],
        };
      });
  for (const { text, params } of parts) {
    for (const row of yield* rows<TallyRow>(text, params)) {
      if (row.actorType === null) add(participation, row.activityId, { residentId: row.residentId!, engagement: row.engagement! });
      else add(contributions, row.activityId, { minutes: row.minutes, actorType: row.actorType });
    }
  }
  for (const activity of held) result.set(activity.id, tallyOf(activity, participation.get(activity.id) ?? [], contributions.get(activity.id) ?? []));
  return result;
}

const TALLY_COLUMNS = ['activityId', 'homeId', 'startsAt', ...ENGAGEMENTS, 'contributionMinutes', 'coProduced', 'reached'];

function* writeTallies(tallies: Map<string, Tally>, upsert: boolean): Steps {
  const columns = TALLY_COLUMNS.map((c) => `"${c}"`).join(', ');
  const update = TALLY_COLUMNS.slice(1).map((c) => `"${c}" = excluded."${c}"`).join(', ');
  for (const part of chunks([...tallies.values()], Math.floor(CHUNK / 2))) {
    yield* run(`INSERT INTO activity_tally (${columns}) VALUES ${part.map(() => `(${placeholders(TALLY_COLUMNS.length)})`).join(', ')}
       ${upsert ? `ON CONFLICT ("activityId") DO UPDATE SET ${update}` : ''}`,
      part.flatMap((t) => [t.activityId, t.homeId, t.startsAt, ...ENGAGEMENTS.map((level) => t.counts[level]), t.contributionMinutes, t.coProduced ? 1 : 0, JSON.stringify(t.reached)]),
    );
  }
}

/** Writes reach rows: as they are (a rebuild), or keeping the earlier of the stored and the new first reach. */
function* writeReach(reach: readonly Reach[], mode: 'insert' | 'earliest'): Steps {
  for (const part of chunks(reach)) {
    yield* run(`INSERT INTO resident_reach ("residentId", quarter, "homeId", "firstReachedAt") VALUES ${part.map(() => '(?, ?, ?, ?)').join(', ')}
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

function addTally(sum: DaySum, tally: Tally, sign: 1 | -1 = 1): DaySum {
  const counts = { ...sum.counts };
  for (const level of ENGAGEMENTS) counts[level] += sign * tally.counts[level];
  return {
    ...sum, counts, held: sum.held + sign, contributionMinutes: sum.contributionMinutes + sign * tally.contributionMinutes,
    coProduced: sum.coProduced + sign * (tally.coProduced ? 1 : 0),
  };
}

const DAY_COLUMNS = ['homeId', 'day', 'held', ...ENGAGEMENTS, 'contributionMinutes', 'coProduced'];

/** Writes day sums: as they are (a rebuild), or added to what is there (the differences of a refresh). */
function* writeDays(days: readonly DaySum[], mode: 'insert' | 'add'): Steps {
  const columns = DAY_COLUMNS.map((c) => `"${c}"`).join(', ');
  const add = DAY_COLUMNS.slice(2).map((c) => `"${c}" = home_day_tally."${c}" + excluded."${c}"`).join(', ');
  for (const part of chunks(days, Math.floor(CHUNK / 2))) {
    yield* run(`INSERT INTO home_day_tally (${columns}) VALUES ${part.map(() => `(${placeholders(DAY_COLUMNS.length)})`).join(', ')}
       ${mode === 'add' ? `ON CONFLICT ("homeId", day) DO UPDATE SET ${add}` : ''}`,
      part.flatMap((d) => [d.homeId, d.day, d.held, ...ENGAGEMENTS.map((level) => d.counts[level]), d.contributionMinutes, d.coProduced]),
    );
  }
}

/** A resident's first reach in a quarter, from their participation in the quarter's held activities; no row when none. */
function* recountReach(residentId: string, homeId: string, quarter: string, zone: string): Steps {
  const bounds = quarterBounds(quarter, zone);
  const row = yield* rows<{ first: Date | string | null }>(
    `SELECT MIN(a."startsAt") AS first FROM participation p JOIN activity a ON a.id = p."activityId"
      WHERE p."residentId" = ? AND p.engagement IN (${placeholders(REACHED_LEVELS.length)}) AND a.status = ? AND a."startsAt" >= ? AND a."startsAt" < ?`,
    [residentId, ...REACHED_LEVELS, HELD, bounds.start, bounds.end],
  );
  const first = row[0]?.first ?? null;
  if (first === null) {
    yield* run('DELETE FROM resident_reach WHERE "residentId" = ? AND quarter = ?', [residentId, quarter]);
    return;
  }
  yield* run(`INSERT INTO resident_reach ("residentId", quarter, "homeId", "firstReachedAt") VALUES (?, ?, ?, ?)
     ON CONFLICT ("residentId", quarter) DO UPDATE SET "firstReachedAt" = excluded."firstReachedAt"`,
    [residentId, quarter, homeId, asDate(first)],
  );
}
