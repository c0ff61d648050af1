import { rebuildTallies } from '../../reports/tally/headline-tally';
import * as argon2 from 'argon2';
import { DataSource } from 'typeorm';
import { Activity } from '../../activities/entities/activity.entity';
import { ActivityType } from '../../activities/entities/activity-type.entity';
import { HelpOffer } from '../../activities/entities/help-offer.entity';
import { Participation } from '../../activities/entities/participation.entity';
import { RosterEntry } from '../../activities/entities/roster-entry.entity';
import { Membership } from '../../auth/entities/membership.entity';
import { User } from '../../auth/entities/user.entity';
import { ARGON2_OPTIONS } from '../../auth/password-hasher';
import { Contribution } from '../../contributions/entities/contribution.entity';
import { FamilyMember } from '../../families/entities/family-member.entity';
import { Home } from '../../homes/entities/home.entity';
import { Unit } from '../../homes/entities/unit.entity';
import { ActivityPlan } from '../../plans/entities/activity-plan.entity';
import { GoalAttainment } from '../../plans/entities/goal-attainment.entity';
import { PlanGoal } from '../../plans/entities/plan-goal.entity';
import { PlanReview } from '../../plans/entities/plan-review.entity';
import { FamilyLink } from '../../residents/entities/family-link.entity';
import { Resident } from '../../residents/entities/resident.entity';
import { StaffMember } from '../../staff/entities/staff-member.entity';
import { Feedback } from '../../voice/entities/feedback.entity';
import { Suggestion } from '../../voice/entities/suggestion.entity';
import { WellbeingCheckIn } from '../../voice/entities/wellbeing-check-in.entity';
import { Volunteer } from '../../volunteers/entities/volunteer.entity';
import { ActivityPlanHistory } from '../../plans/entities/activity-plan-history.entity';
import { keepsPlanHistory, planHistoryRow, PlanHistoryValues } from '../../plans/plan-history';
import { SuggestionHistory } from '../../voice/entities/suggestion-history.entity';
import { suggestionHistoryRow, SuggestionHistoryValues } from '../../voice/suggestion-history';
import { VolunteerHistory } from '../../volunteers/entities/volunteer-history.entity';
import { volunteerHistoryRow, VolunteerHistoryValues } from '../../volunteers/volunteer-history';
import { BulkInserter } from './bulk-insert';
import { replicateHomes } from './replicate-homes';
import { generateHome, homeSlug, SyntheticHome } from './synthetic-home';

/** Every synthetic account signs in with this (the data is fake; never use it for a real home). */
export const SYNTHETIC_PASSWORD = 'synthetic-password';

export interface SyntheticOptions {
  homes: number;
  residents: number;
  days: number;
  seed: number;
  /** Days of planned programme after today (7 unless given). */
  futureDays?: number;
  /** Number of the first home (1 unless given), so more homes can be added to a database later. */
  firstHome?: number;
  /** "Now" for the data (tests and benchmarks fix it); today in the home's zone follows from it. */
  now?: Date;
  /** Homes written at once (2 on PostgreSQL, 1 on SQLite unless given). */
  concurrency?: number;
  /**
   * Homes the generator writes on PostgreSQL (4 unless given); the server copies them into the
   * others (replicate-homes.ts). SQLite writes every home from the generator.
   */
  templates?: number;
  /** Called after each home is written by the generator. */
  onHome?: (home: SyntheticHome, index: number, ms: number) => void;
  /** Called as the copies are written, and once their indexes are built. */
  onCopies?: (event: { copies: number; total: number; stage: 'copies' | 'indexes' }) => void;
}

export interface SyntheticResult {
  homes: { id: string; slug: string; rows: number }[];
  rows: number;
  ms: number;
}

/** The group view's summary tables (docs/groups.md), counted for each generated home and copied with it. */
const TALLY_TABLES = ['activity_tally', 'home_day_tally', 'resident_reach'];

/** The order tables are written in, parents first. */
const TABLES: [keyof SyntheticHome, new () => object][] = [
  ['home', Home], ['units', Unit], ['staff', StaffMember], ['volunteers', Volunteer], ['residents', Resident], ['families', FamilyMember],
  ['links', FamilyLink], ['users', User], ['memberships', Membership], ['types', ActivityType], ['activities', Activity], ['roster', RosterEntry],
  ['participation', Participation], ['offers', HelpOffer], ['plans', ActivityPlan], ['goals', PlanGoal], ['reviews', PlanReview],
  ['attainments', GoalAttainment], ['suggestions', Suggestion], ['feedback', Feedback], ['checkIns', WellbeingCheckIn], ['contributions', Contribution],
];

/** The history tables, written beside the records they keep the history of. */
const HISTORIES = [VolunteerHistory, ActivityPlanHistory, SuggestionHistory];

/**
 * Fills a migrated database with synthetic homes for benchmarks: each home is generated from the
 * seed and written in one transaction, in multi-row statements. On PostgreSQL only the first few
 * are generated and the server copies them into the rest (replicate-homes.ts): 500 homes in
 * minutes rather than an hour. Homes already there (by slug) are refused rather than doubled.
 */
export async function seedSynthetic(dataSource: DataSource, options: SyntheticOptions): Promise<SyntheticResult> {
  const started = Date.now();
  const now = options.now ?? new Date();
  const firstHome = options.firstHome ?? 1;
  const passwordHash = await argon2.hash(SYNTHETIC_PASSWORD, ARGON2_OPTIONS);
  const inserter = new BulkInserter(dataSource, now);
  const result: SyntheticResult = { homes: [], rows: 0, ms: 0 };
  // PostgreSQL writes two homes at once (one per core) while this process generates the next;
  // SQLite has one writer, so its homes go one after another.
  const postgres = dataSource.options.type === 'postgres';
  const concurrency = options.concurrency ?? (postgres ? 2 : 1);
  const generated = postgres ? Math.max(1, Math.min(options.homes, options.templates ?? 4)) : options.homes;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < generated) {
      const i = next;
      next += 1;
      const number = firstHome + i;
      if (await dataSource.manager.existsBy(Home, { slug: homeSlug(number) })) throw new Error(`Home ${homeSlug(number)} already exists`);
      const homeStarted = Date.now();
      const home = generateHome({
        number, residents: options.residents, days: options.days, futureDays: options.futureDays ?? 7, seed: options.seed, now, passwordHash,
      });
      let rows = 0;
      await dataSource.transaction(async (m) => {
        for (const [key, entity] of TABLES) {
          const value = home[key];
          const list = (Array.isArray(value) ? value : [value]) as object[];
          await inserter.insert(m, entity, list);
          rows += list.length;
        }
        // Each record's history starts with it as generated, from when it was made (issue 18 item 2b).
        const histories: [new () => object, object[]][] = [
          [VolunteerHistory, home.volunteers.map((v) => volunteerHistoryRow(v as VolunteerHistoryValues, v.createdAt ?? now))],
          [ActivityPlanHistory, home.plans.filter((p) => keepsPlanHistory(p as PlanHistoryValues)).map((p) => planHistoryRow(p as PlanHistoryValues, p.createdAt ?? now))],
          [SuggestionHistory, home.suggestions.map((s) => suggestionHistoryRow(s as SuggestionHistoryValues, s.createdAt ?? now))],
        ];
        for (const [entity, list] of histories) {
          await inserter.insert(m, entity, list);
          rows += list.length;
        }
        // The group view's summary tables, counted from the rows just written (copies copy them too).
        await rebuildTallies(m, [home.home.id!]);
      });
      result.homes.push({ id: home.home.id!, slug: home.home.slug!, rows });
      result.rows += rows;
      options.onHome?.(home, result.homes.length - 1, Date.now() - homeStarted);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, generated) }, () => worker()));
  result.homes.sort((a, b) => a.slug.localeCompare(b.slug, 'en', { numeric: true }));
  if (generated < options.homes) {
    const templates = result.homes.map((h, i) => ({ id: h.id, number: firstHome + i, rows: h.rows }));
    const copies = await replicateHomes(dataSource, {
      tables: [...[...TABLES.map(([, entity]) => entity), ...HISTORIES].map((entity) => dataSource.getMetadata(entity).tableName), ...TALLY_TABLES],
      templates, numbers: Array.from({ length: options.homes - generated }, (_, i) => firstHome + generated + i), seed: options.seed,
      workers: concurrency, onProgress: options.onCopies,
    });
    for (const copy of copies.homes) result.homes.push({ id: copy.id, slug: homeSlug(copy.number), rows: templates.find((t) => t.id === copy.template)!.rows });
    result.rows += copies.rows;
  }
  result.homes.sort((a, b) => a.slug.localeCompare(b.slug, 'en', { numeric: true }));
  result.ms = Date.now() - started;
  return result;
}
