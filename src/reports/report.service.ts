import { Injectable } from '@nestjs/common';
import { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Activity } from '../activities/entities/activity.entity';
import { Participation } from '../activities/entities/participation.entity';
import { ENGAGEMENTS, Engagement } from '../activities/activities.enums';
import { AuditService } from '../audit/audit.service';
import type { Role } from '../auth/auth.enums';
import { assertHomeAccess } from '../common/access/home-scope';
import type { SessionUser } from '../common/access/session-user';
import { ForbiddenError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import {
  isQuarter, lastCompleteQuarter, LocalPeriod, localPeriod, previousQuarter, QuarterBounds, quarterBounds, recentQuarters,
} from '../common/time/quarter';
import { addDays, todayIn } from '../common/time/zoned';
import { Contribution } from '../contributions/entities/contribution.entity';
import { ACTOR_TYPES, ActorType, CONTRIBUTION_SOURCES, ContributionSource, PHASES, Phase } from '../contributions/contributions.enums';
import { UnitOfWork } from '../database/unit-of-work';
import { Home } from '../homes/entities/home.entity';
import { HomesService, HomeView } from '../homes/homes.service';
import { ActivityPlan } from '../plans/entities/activity-plan.entity';
import { ActivityPlanHistory } from '../plans/entities/activity-plan-history.entity';
import { GoalAttainment } from '../plans/entities/goal-attainment.entity';
import { PlanReview } from '../plans/entities/plan-review.entity';
import { Resident } from '../residents/entities/resident.entity';
import { Feedback } from '../voice/entities/feedback.entity';
import { Suggestion } from '../voice/entities/suggestion.entity';
import { SuggestionHistory } from '../voice/entities/suggestion-history.entity';
import { WellbeingCheckIn } from '../voice/entities/wellbeing-check-in.entity';
import { PERSPECTIVES } from '../voice/voice.enums';
import { CHECK_WARNING_DAYS } from '../volunteers/background-check';
import { Volunteer } from '../volunteers/entities/volunteer.entity';
import { VolunteerHistory } from '../volunteers/entities/volunteer-history.entity';
import { asAt } from './as-at';
import { HomeDayTally } from './entities/home-day-tally.entity';
import { ResidentReach } from './entities/resident-reach.entity';
import { REACHED_LEVELS } from './tally/headline-tally';
import {
  ExpiringCheck, FAIR_SHARE_BUCKETS, FairShareRow, GAS_SCORES, GasScore, MissingCheck, MonthEngagement, QuarterFigures, QuarterlyReport,
  WellbeingMeans,
} from './quarterly-report.model';
import type { HeadlineTrend, QuarterHeadlines } from './headline-trend';
import { figureRows } from './report-figures';
import {
  belowOnePerWeek, daysSoFar, fairShareBucket, hoursOf, lastOfFirstDays, meanOf, median, needsAttention, percentOf, perWeek, referenceDate,
  residentDaysWithin, round1, round2,
} from './report-maths';

/**
 * Who may open the quarterly report (SPEC 1: managers print it; coordinators preview it; a group
 * manager reads every home of their group, without names: docs/groups.md).
 */
export const REPORT_READERS = ['admin', 'manager', 'coordinator', 'group_manager'] as const satisfies readonly Role[];
/** Who may download it (PDF, CSV) and see residents' and volunteers' names in it. */
export const REPORT_EXPORTERS = ['admin', 'manager'] as const satisfies readonly Role[];

/** Who may take the CSV tables: the exporters with names, a group manager without (docs/groups.md). */
export const REPORT_CSV_READERS = [...REPORT_EXPORTERS, 'group_manager'] as const satisfies readonly Role[];

export function canExportReports(user: SessionUser): boolean {
  return (REPORT_EXPORTERS as readonly Role[]).includes(user.role);
}

/** One home's headline figures for a quarter, as the group view shows them (docs/groups.md). */
export interface HomeHeadlines {
  homeId: string;
  countedTo: string;
  inProgress: boolean;
  residentsInQuarter: number;
  activitiesHeld: number;
  attended: number;
  residentsReached: number;
  coProducedActivities: number;
  /** Involvement minutes (hours are hoursOf them, as in the report). */
  contributionMinutes: number;
  suggestionsReceived: number;
  feedbackCount: number;
  /** The sum of feedback ratings: the mean is meanOf(sum, count), a group's from summed sums and counts. */
  feedbackRatingSum: number;
}

/** One home, or several for the grouped statements of the group view (then grouped by home). */
type HomeIds = string | readonly string[];

function homeIn(column: string, param: string, homeIds: HomeIds): [string, Record<string, unknown>] {
  return typeof homeIds === 'string' ? [`${column} = :${param}`, { [param]: homeIds }] : [`${column} IN (:...${param})`, { [param]: [...homeIds] }];
}

/** What a home's held activities give its headlines (the group view). */
interface HeldHeadlines {
  held: number;
  counts: Record<Engagement, number>;
  /** Minutes of contributions on them (programme-wide ones are added apart). */
  minutes: number;
  coProduced: number;
  reached: number;
}

function attendedOf(counts: Record<Engagement, number>): number {
  return counts.active + counts.passive + counts.disengaged;
}

/**
 * A quarter as far as it is counted now in a time zone: the whole of it once it has ended, days 1..N
 * to today while it runs.
 */
export function countedNow(quarter: string, zone: string, now: Date): { current: CountedQuarter; inProgress: boolean; days: number; today: string } {
  const today = todayIn(zone, now);
  const bounds = quarterBounds(quarter, zone);
  const inProgress = today <= bounds.lastDay;
  const days = daysSoFar(bounds.firstDay, bounds.lastDay, today);
  return { current: countedQuarter(bounds, days, zone, referenceDate(bounds.lastDay, today)), inProgress, days, today };
}

export interface ReportOptions {
  /** The manager's copy: residents needing attention and volunteers are named. */
  names: boolean;
  /** Who the report is generated by, printed on every page. */
  generatedBy?: string | null;
  /** The moment of generation (tests fix it); "today" for a running quarter follows from it. */
  now?: Date;
}

const DAY_MS = 86_400_000;
/** Quarters on the home page's trends. */
const TREND_QUARTERS = 4;
const ANSWERED: Suggestion['status'][] = ['accepted', 'done', 'declined'];

type Counted = { n: string | number | null };
/** A record read with its effective-dated history joined (leftJoinAndMapMany). */
type WithHistory<E, H> = E & { history?: H[] };

/** Where a download was asked from, for the audit log. */
export interface ExportOrigin {
  ip: string;
  userAgent?: string | null;
}

export interface ReportPicker {
  homes: HomeView[];
  quarters: string[];
  defaultQuarter: string;
  canExport: boolean;
}

function num(value: string | number | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

function zeroEngagements(): Record<Engagement, number> {
  return Object.fromEntries(ENGAGEMENTS.map((e) => [e, 0])) as Record<Engagement, number>;
}

/**
 * A quarter as far as it is counted: its own first and last days (the quarter's), the instants of
 * its first `daysCounted` days (start to the midnight after countedTo), and its months cut at
 * countedTo (a month after it spans no instant). A closed quarter is counted whole.
 */
export interface CountedQuarter extends QuarterBounds {
  countedTo: string;
  daysCounted: number;
  partial: boolean;
  /** The day plans and checks are taken as at. */
  reference: string;
}

/** A quarter that has ended, counted whole and taken as at its last day. */
export function wholeQuarter(q: QuarterBounds, zone: string): CountedQuarter {
  return countedQuarter(q, daysSoFar(q.firstDay, q.lastDay, q.lastDay), zone, q.lastDay);
}

/** A quarter counted over its first `days` days (days 1..N), in a home's time zone. */
export function countedQuarter(q: QuarterBounds, days: number, zone: string, reference: string): CountedQuarter {
  const countedTo = lastOfFirstDays(q.firstDay, q.lastDay, days);
  const counted = days <= 0 ? { start: q.start, end: q.start } : localPeriod(q.firstDay, countedTo, zone);
  const months = q.months.map((month) => {
    if (countedTo >= month.lastDay) return month;
    if (countedTo < month.firstDay) return { ...month, end: month.start };
    return { ...month, ...localPeriod(month.firstDay, countedTo, zone) };
  });
  return {
    ...q, start: counted.start, end: counted.end, months, countedTo, daysCounted: Math.max(days, 0),
    partial: countedTo < q.lastDay, reference,
  };
}

/**
 * The quarterly co-production report (SPEC 5). Every figure is aggregated in SQL (COUNT / SUM with
 * GROUP BY) that runs the same on SQLite and PostgreSQL: dates are compared as ISO strings, instants
 * as parameters, and no engine-specific function is used. Only small per-quarter lists (residents in
 * the quarter, suggestions, plans) are read as rows.
 */
@Injectable()
export class ReportService {
  constructor(private readonly unitOfWork: UnitOfWork, private readonly homes: HomesService, private readonly audit: AuditService) {}

  /** The homes and quarters a reader can choose from; the last complete quarter is chosen first. */
  async picker(user: SessionUser): Promise<ReportPicker> {
    const today = todayIn(user.timezone);
    return { homes: await this.homes.listForUser(user), quarters: recentQuarters(today), defaultQuarter: lastCompleteQuarter(today), canExport: canExportReports(user) };
  }

  /**
   * The report as a signed-in user may see it: managers and admins get the named copy, coordinators
   * a preview without names; other roles are refused, and a home the user does not belong to is not found.
   */
  async forUser(user: SessionUser, homeId: string, quarter: string, now?: Date): Promise<QuarterlyReport> {
    if (!(REPORT_READERS as readonly Role[]).includes(user.role)) throw new ForbiddenError();
    assertHomeAccess(user, homeId);
    return this.quarterlyReport(homeId, quarter, { names: canExportReports(user), generatedBy: user.displayName, now });
  }

  /**
   * The report for a download (PDF or CSV): managers and admins only, and each download is written
   * to the audit log as an export, with the quarter and what was taken.
   */
  async exportFor(user: SessionUser, homeId: string, quarter: string, what: string, origin: ExportOrigin): Promise<QuarterlyReport> {
    if (!canExportReports(user)) throw new ForbiddenError();
    const report = await this.forUser(user, homeId, quarter);
    await this.recordExport(user, homeId, quarter, what, origin);
    return report;
  }

  /** Writes a download to the audit log as an export (an issued copy's too), after the caller's access check. */
  async recordExport(user: SessionUser, homeId: string, quarter: string, what: string, origin: ExportOrigin, entityId: string | null = null): Promise<void> {
    await this.audit.recordNow({
      action: 'export', userId: user.id, role: user.role, entityType: entityId ? 'issued_report' : 'quarterly_report', entityId, homeId,
      changes: { quarter: { old: null, new: quarter }, export: { old: null, new: what } }, ip: origin.ip, userAgent: origin.userAgent ?? null,
    });
  }

  /**
   * The copy without names for a download (the PDF a coordinator may take, or a manager for sharing):
   * every reader of reports may have it. It names nobody, not even who generated it; the audit log
   * keeps who took it.
   */
  async exportWithoutNamesFor(user: SessionUser, homeId: string, quarter: string, what: string, origin: ExportOrigin): Promise<QuarterlyReport> {
    if (!(REPORT_READERS as readonly Role[]).includes(user.role)) throw new ForbiddenError();
    assertHomeAccess(user, homeId);
    const report = await this.quarterlyReport(homeId, quarter, { names: false, generatedBy: null });
    await this.audit.recordNow({
      action: 'export', userId: user.id, role: user.role, entityType: 'quarterly_report', entityId: null, homeId,
      changes: { quarter: { old: null, new: quarter }, export: { old: null, new: what }, copy: { old: null, new: 'without_names' } }, ip: origin.ip, userAgent: origin.userAgent ?? null,
    });
    return report;
  }

  /**
   * The home page's trends: the headline figures of the last four complete quarters (oldest first),
   * for those who may read reports. Each quarter's figures come from the queries the report makes for
   * them (headlines()), and only those: six queries a quarter, none for the figures not shown.
   */
  async headlineTrend(user: SessionUser, homeId: string, now = new Date()): Promise<HeadlineTrend> {
    if (!(REPORT_READERS as readonly Role[]).includes(user.role)) throw new ForbiddenError();
    assertHomeAccess(user, homeId);
    const m = this.unitOfWork.manager;
    const home = await m.findOneBy(Home, { id: homeId });
    if (!home) throw new NotFoundError();
    const quarters = [lastCompleteQuarter(todayIn(home.timezone, now))];
    while (quarters.length < TREND_QUARTERS) quarters.unshift(previousQuarter(quarters[0]));
    const rows: QuarterHeadlines[] = [];
    for (const quarter of quarters) rows.push(await this.headlines(m, homeId, wholeQuarter(quarterBounds(quarter, home.timezone), home.timezone)));
    return { homeId, homeName: home.name, quarters: rows };
  }

  async quarterlyReport(homeId: string, quarter: string, options: ReportOptions = { names: false }): Promise<QuarterlyReport> {
    if (!isQuarter(quarter)) throw new ValidationError({ quarter: { key: 'reports.invalidQuarter' } });
    const m = this.unitOfWork.manager;
    const home = await m.findOneBy(Home, { id: homeId });
    if (!home) throw new NotFoundError();
    const now = options.now ?? new Date();
    // A quarter to come has no figures: a report of zeros compared with the quarter before would alarm.
    if (quarterBounds(quarter, home.timezone).firstDay > todayIn(home.timezone, now)) throw new ValidationError({ quarter: { key: 'reports.quarterNotStarted' } });
    const previous = previousQuarter(quarter);
    const previousBounds = quarterBounds(previous, home.timezone);
    // A quarter that has not ended counts its days 1..N to today, and is compared with days 1..N of
    // the quarter before (plans and checks as at the last of them); a closed one with the whole of it.
    const { current, inProgress, days, today } = countedNow(quarter, home.timezone, now);
    const previousDays = inProgress ? days : daysSoFar(previousBounds.firstDay, previousBounds.lastDay, today);
    const previousCounted = countedQuarter(
      previousBounds, previousDays, home.timezone,
      inProgress ? lastOfFirstDays(previousBounds.firstDay, previousBounds.lastDay, Math.max(days, 1)) : referenceDate(previousBounds.lastDay, today),
    );
    const currentFigures = await this.figures(m, homeId, current, options.names);
    // Last quarter is only compared with, never listed: it carries no names.
    const previousFigures = await this.figures(m, homeId, previousCounted, false);
    return {
      meta: {
        homeId, homeName: home.name, homeSlug: home.slug, timezone: home.timezone, country: home.country, quarter, previousQuarter: previous,
        generatedAt: now.toISOString(), generatedBy: options.generatedBy ?? null, withNames: options.names, inProgress,
      },
      current: currentFigures,
      previous: previousFigures,
      figures: figureRows(currentFigures, previousFigures),
    };
  }

  private async figures(m: EntityManager, homeId: string, q: CountedQuarter, names: boolean): Promise<QuarterFigures> {
    const reference = q.reference;
    const residents = await this.residentsInQuarter(m, homeId, q);
    const activitiesHeld = await this.countHeld(m, homeId, q);
    const engagementByMonth: MonthEngagement[] = [];
    for (const month of q.months) engagementByMonth.push({ month: month.month, ...(await this.engagementMix(m, homeId, month)) });
    const engagementTotals = zeroEngagements();
    for (const month of engagementByMonth) for (const level of ENGAGEMENTS) engagementTotals[level] += month.counts[level];
    const participationsRecorded = ENGAGEMENTS.reduce((sum, level) => sum + engagementTotals[level], 0);
    const attended = attendedOf(engagementTotals);
    const reached = await this.residentsReached(m, homeId, q);
    const coProduction = await this.coProduction(m, homeId, q, activitiesHeld);
    const fairShare = this.fairShare(residents, await this.engagementPerResident(m, homeId, q), q, names);
    const checkedIn = await this.residentsCheckedIn(m, homeId, q);
    const covered = residents.filter((r) => checkedIn.has(r.id)).length;

    return {
      quarter: q.quarter,
      firstDay: q.firstDay,
      lastDay: q.lastDay,
      referenceDate: reference,
      countedTo: q.countedTo,
      daysCounted: q.daysCounted,
      partial: q.partial,
      participation: {
        residentsInQuarter: residents.length,
        activitiesHeld,
        participationsRecorded,
        attended,
        residentsReached: { count: reached, percent: percentOf(reached, residents.length) },
        engagementByMonth,
        engagementTotals,
      },
      coProduction,
      fairShare,
      plans: await this.plans(m, homeId, q, residents, reference),
      voice: {
        suggestions: await this.suggestions(m, homeId, q),
        feedback: await this.feedback(m, homeId, q),
        wellbeing: await this.wellbeing(m, homeId, q),
        wellbeingCoverage: { count: covered, percent: percentOf(covered, residents.length) },
      },
      volunteers: {
        ...(await this.volunteers(m, homeId, q, reference, names)),
        contributing: await this.volunteersContributing(m, homeId, q),
        hours: coProduction.hoursByActor.volunteer,
      },
    };
  }

  /** A quarter's headline figures on the home page, by the same private queries figures() makes for them. */
  private async headlines(m: EntityManager, homeId: string, q: CountedQuarter): Promise<QuarterHeadlines> {
    const residents = await this.residentsInQuarter(m, homeId, q);
    const activitiesHeld = await this.countHeld(m, homeId, q);
    const reached = await this.residentsReached(m, homeId, q);
    const coProduction = await this.coProduction(m, homeId, q, activitiesHeld);
    return {
      quarter: q.quarter,
      residentsInQuarter: residents.length,
      activitiesHeld,
      residentsReached: { count: reached, percent: percentOf(reached, residents.length) },
      coProducedActivities: coProduction.coProducedActivities,
      coProducedShare: coProduction.coProducedShare,
      totalHours: coProduction.totalHours,
    };
  }

  /**
   * Each home's headline figures for a quarter (the group view, docs/groups.md), from the summary
   * tables the writers keep (`activity_tally`, `resident_reach`): the quarter's held activities'
   * counts are summed and its residents reached counted, instead of scanning its participation and
   * contributions. What is cheap to count from the records (residents, programme-wide minutes,
   * suggestions, feedback) is counted from them. A statement per figure family per time zone,
   * whatever the number of homes. `source: 'records'` runs the report's own grouped queries
   * throughout: the reference the tables are tested against, and the bench's comparison.
   */
  async groupHeadlines(
    homes: readonly { id: string; timezone: string }[], quarter: string, now = new Date(), source: 'tallies' | 'records' = 'tallies',
  ): Promise<Map<string, HomeHeadlines>> {
    if (!isQuarter(quarter)) throw new ValidationError({ quarter: { key: 'reports.invalidQuarter' } });
    const m = this.unitOfWork.manager;
    const result = new Map<string, HomeHeadlines>();
    const zones = new Map<string, string[]>();
    for (const home of homes) zones.set(home.timezone, [...(zones.get(home.timezone) ?? []), home.id]);
    type ByHome = { homeId: string; n: string | number | null };
    const byHome = (rows: ByHome[]) => new Map(rows.map((row) => [row.homeId, num(row.n)]));
    for (const [zone, ids] of zones) {
      const { current: q, inProgress } = countedNow(quarter, zone, now);
      const residents = byHome(await this.inQuarter(m.createQueryBuilder(Resident, 'r'), ids, q)
        .select('r.homeId', 'homeId').addSelect('COUNT(*)', 'n').groupBy('r.homeId').getRawMany<ByHome>());
      const held = source === 'tallies' ? await this.tallied(m, ids, quarter, q) : await this.heldFromRecords(m, ids, q);
      const programmeWide = byHome(await this.counted(m, ids, q)[1].select('c.homeId', 'homeId').addSelect('SUM(c.minutes)', 'n').groupBy('c.homeId').getRawMany<ByHome>());
      const suggestions = byHome(await this.suggestionsReceived(m, ids, q)
        .select('s.homeId', 'homeId').addSelect('COUNT(*)', 'n').groupBy('s.homeId').getRawMany<ByHome>());
      const feedback = await this.feedbackGiven(m, ids, q)
        .select('f.homeId', 'homeId').addSelect('COUNT(*)', 'n').addSelect('SUM(f.rating)', 'total').groupBy('f.homeId')
        .getRawMany<ByHome & { total: string | number | null }>();
      for (const homeId of ids) {
        const home = held.get(homeId);
        const rated = feedback.find((row) => row.homeId === homeId);
        result.set(homeId, {
          homeId, countedTo: q.countedTo, inProgress,
          residentsInQuarter: residents.get(homeId) ?? 0,
          activitiesHeld: home?.held ?? 0,
          attended: home ? attendedOf(home.counts) : 0,
          residentsReached: home?.reached ?? 0,
          coProducedActivities: home?.coProduced ?? 0,
          contributionMinutes: (home?.minutes ?? 0) + (programmeWide.get(homeId) ?? 0),
          suggestionsReceived: suggestions.get(homeId) ?? 0,
          feedbackCount: num(rated?.n),
          feedbackRatingSum: num(rated?.total),
        });
      }
    }
    return result;
  }

  /** The held activities' part of the headlines, from the summary tables (days and reach): two statements. */
  private async tallied(m: EntityManager, ids: string[], quarter: string, q: CountedQuarter): Promise<Map<string, HeldHeadlines>> {
    // The home's days from the first of the quarter to the last counted (today, while it runs).
    const sums = m.createQueryBuilder(HomeDayTally, 'd').select('d.homeId', 'homeId').addSelect('SUM(d.held)', 'held');
    for (const level of ENGAGEMENTS) sums.addSelect(`SUM(d.${level})`, level);
    const rows = await sums
      .addSelect('SUM(d.contributionMinutes)', 'minutes').addSelect('SUM(d.coProduced)', 'coProduced')
      .where('d.homeId IN (:...ids)', { ids })
      .andWhere('d.day >= :firstDay AND d.day <= :lastDay', { firstDay: q.firstDay, lastDay: q.countedTo })
      .groupBy('d.homeId')
      .getRawMany<{ homeId: string; held: string | number; minutes: string | number | null; coProduced: string | number | null } & Record<Engagement, string | number | null>>();
    // A resident reached by the end of the period counted (today, while the quarter runs).
    const reached = await m.createQueryBuilder(ResidentReach, 'r')
      .select('r.homeId', 'homeId').addSelect('COUNT(*)', 'n')
      .where('r.homeId IN (:...ids)', { ids }).andWhere('r.quarter = :quarter', { quarter }).andWhere('r.firstReachedAt < :end', { end: q.end })
      .groupBy('r.homeId')
      .getRawMany<{ homeId: string; n: string | number }>();
    const result = new Map<string, HeldHeadlines>();
    for (const row of rows) {
      const counts = zeroEngagements();
      for (const level of ENGAGEMENTS) counts[level] = num(row[level]);
      result.set(row.homeId, { held: num(row.held), counts, minutes: num(row.minutes), coProduced: num(row.coProduced), reached: 0 });
    }
    for (const row of reached) {
      const home = result.get(row.homeId) ?? { held: 0, counts: zeroEngagements(), minutes: 0, coProduced: 0, reached: 0 };
      result.set(row.homeId, { ...home, reached: num(row.n) });
    }
    return result;
  }

  /** The held activities' part of the headlines, from the records with the report's own queries (grouped by home). */
  private async heldFromRecords(m: EntityManager, ids: string[], q: CountedQuarter): Promise<Map<string, HeldHeadlines>> {
    type ByHome = { homeId: string; n: string | number | null };
    const held = await this.held(m.createQueryBuilder(Activity, 'a'), ids, q)
      .select('a.homeId', 'homeId').addSelect('COUNT(*)', 'n').groupBy('a.homeId').getRawMany<ByHome>();
    const engagements = await this.held(m.createQueryBuilder(Participation, 'p').innerJoin(Activity, 'a', 'a.id = p.activityId'), ids, q)
      .select('a.homeId', 'homeId').addSelect('p.engagement', 'engagement').addSelect('COUNT(*)', 'n')
      .groupBy('a.homeId').addGroupBy('p.engagement')
      .getRawMany<ByHome & { engagement: Engagement }>();
    const reached = await this.held(m.createQueryBuilder(Participation, 'p').innerJoin(Activity, 'a', 'a.id = p.activityId'), ids, q)
      .select('a.homeId', 'homeId').addSelect('COUNT(DISTINCT p.residentId)', 'n')
      .andWhere('p.engagement IN (:...reachedLevels)', { reachedLevels: REACHED_LEVELS })
      .groupBy('a.homeId').getRawMany<ByHome>();
    const minutes = await this.contributionsOnHeld(m, ids, q).select('c.homeId', 'homeId').addSelect('SUM(c.minutes)', 'n').groupBy('c.homeId').getRawMany<ByHome>();
    const coProduced = await this.coProducedOnHeld(m, ids, q)
      .select('c.homeId', 'homeId').addSelect('COUNT(DISTINCT c.activityId)', 'n').groupBy('c.homeId').getRawMany<ByHome>();
    const result = new Map<string, HeldHeadlines>();
    const of = (homeId: string) => result.get(homeId) ?? (result.set(homeId, { held: 0, counts: zeroEngagements(), minutes: 0, coProduced: 0, reached: 0 }), result.get(homeId)!);
    for (const row of held) of(row.homeId).held = num(row.n);
    for (const row of engagements) if (row.engagement in of(row.homeId).counts) of(row.homeId).counts[row.engagement] = num(row.n);
    for (const row of reached) of(row.homeId).reached = num(row.n);
    for (const row of minutes) of(row.homeId).minutes = num(row.n);
    for (const row of coProduced) of(row.homeId).coProduced = num(row.n);
    return result;
  }

  // ---- Residents and participation ---------------------------------------------------------

  /**
   * Residents in the quarter: admitted on or before its last day (the last day counted, while it
   * runs) and not left before its first day.
   */
  private residentsInQuarter(m: EntityManager, homeId: string, q: CountedQuarter): Promise<Resident[]> {
    return this.inQuarter(m.createQueryBuilder(Resident, 'r'), homeId, q)
      .select(['r.id', 'r.firstName', 'r.lastName', 'r.preferredName', 'r.admittedOn', 'r.leftOn'])
      .orderBy('r.lastName', 'ASC')
      .addOrderBy('r.firstName', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .getMany();
  }

  /** The residents of a home (or homes) in the quarter (alias `r`). */
  private inQuarter(qb: SelectQueryBuilder<Resident>, homeIds: HomeIds, q: CountedQuarter): SelectQueryBuilder<Resident> {
    return qb
      .where(...homeIn('r.homeId', 'homeId', homeIds))
      .andWhere('r.admittedOn <= :lastDay', { lastDay: q.countedTo })
      .andWhere('(r.leftOn IS NULL OR r.leftOn >= :firstDay)', { firstDay: q.firstDay });
  }

  /** Activities held: completed, starting within the period (instants of the home's local days). */
  private held<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, homeIds: HomeIds, period: LocalPeriod, alias = 'a'): SelectQueryBuilder<T> {
    return qb
      .andWhere(...homeIn(`${alias}.homeId`, 'heldHomeId', homeIds))
      .andWhere(`${alias}.status = :heldStatus`, { heldStatus: 'completed' })
      .andWhere(`${alias}.startsAt >= :heldStart AND ${alias}.startsAt < :heldEnd`, { heldStart: period.start, heldEnd: period.end });
  }

  private async countHeld(m: EntityManager, homeId: string, q: LocalPeriod): Promise<number> {
    return this.held(m.createQueryBuilder(Activity, 'a'), homeId, q).getCount();
  }

  /** Participation rows per engagement level in the activities held in a period (a month). */
  private async engagementMix(m: EntityManager, homeId: string, period: LocalPeriod): Promise<{ counts: Record<Engagement, number>; total: number }> {
    const rows = await this.held(m.createQueryBuilder(Participation, 'p').innerJoin(Activity, 'a', 'a.id = p.activityId'), homeId, period)
      .select('p.engagement', 'engagement')
      .addSelect('COUNT(*)', 'n')
      .groupBy('p.engagement')
      .getRawMany<Counted & { engagement: Engagement }>();
    const counts = zeroEngagements();
    for (const row of rows) if (row.engagement in counts) counts[row.engagement] = num(row.n);
    return { counts, total: ENGAGEMENTS.reduce((sum, level) => sum + counts[level], 0) };
  }

  /** Residents reached: distinct residents with an active or passive participation in activities held. */
  private async residentsReached(m: EntityManager, homeId: string, q: LocalPeriod): Promise<number> {
    const row = await this.held(m.createQueryBuilder(Participation, 'p').innerJoin(Activity, 'a', 'a.id = p.activityId'), homeId, q)
      .select('COUNT(DISTINCT p.residentId)', 'n')
      .andWhere('p.engagement IN (:...reachedLevels)', { reachedLevels: REACHED_LEVELS })
      .getRawOne<Counted>();
    return num(row?.n);
  }

  /** Participation rows per resident and engagement level in the activities held. */
  private async engagementPerResident(m: EntityManager, homeId: string, q: LocalPeriod): Promise<Map<string, Record<Engagement, number>>> {
    const rows = await this.held(m.createQueryBuilder(Participation, 'p').innerJoin(Activity, 'a', 'a.id = p.activityId'), homeId, q)
      .select('p.residentId', 'residentId')
      .addSelect('p.engagement', 'engagement')
      .addSelect('COUNT(*)', 'n')
      .groupBy('p.residentId')
      .addGroupBy('p.engagement')
      .getRawMany<Counted & { residentId: string; engagement: Engagement }>();
    const perResident = new Map<string, Record<Engagement, number>>();
    for (const row of rows) {
      const counts = perResident.get(row.residentId) ?? zeroEngagements();
      if (row.engagement in counts) counts[row.engagement] = num(row.n);
      perResident.set(row.residentId, counts);
    }
    return perResident;
  }

  /**
   * Fair share (SPEC 5): for each resident in the quarter, attended participations in activities
   * held / (days resident within the quarter / 7), the days counted to today while it runs. Those
   * below 1 a week who lived in the home at least 14 of those days need attention.
   */
  private fairShare(residents: Resident[], perResident: Map<string, Record<Engagement, number>>, q: CountedQuarter, names: boolean): QuarterFigures['fairShare'] {
    const rows: FairShareRow[] = residents.map((resident) => {
      const counts = perResident.get(resident.id) ?? zeroEngagements();
      const attended = counts.active + counts.passive + counts.disengaged;
      const days = residentDaysWithin(resident.admittedOn, resident.leftOn, q.firstDay, q.countedTo);
      return { residentId: resident.id, name: `${resident.firstName} ${resident.lastName}`, days, attended, perWeek: perWeek(attended, days), counts: { ...counts } };
    });
    const exact = (row: FairShareRow) => (row.days === 0 ? 0 : (row.attended * 7) / row.days);
    rows.sort((a, b) => exact(a) - exact(b) || a.name.localeCompare(b.name, 'it') || a.residentId.localeCompare(b.residentId));
    const needing = rows.filter((row) => needsAttention(row.attended, row.days));
    const medianPerWeek = median(rows.map(exact));
    return {
      residents: rows.length,
      buckets: FAIR_SHARE_BUCKETS.map((bucket) => ({ key: bucket.key, count: rows.filter((row) => fairShareBucket(row.attended, row.days) === bucket.key).length })),
      belowOnePerWeek: rows.filter((row) => belowOnePerWeek(row.attended, row.days)).length,
      needingAttentionCount: needing.length,
      medianPerWeek: medianPerWeek === null ? null : round2(medianPerWeek),
      rows: names ? rows : null,
      needingAttention: names ? needing : null,
    };
  }

  // ---- Co-production -----------------------------------------------------------------------

  /**
   * The contributions every involvement figure counts (SPEC 5): those on activities held in the
   * quarter, plus programme-wide ones (no activity) dated within it. Two queries, each found by its
   * own index (held activities, then their contributions; the home's programme-wide ones by date),
   * so the cost follows the quarter's rows, not the home's history or the other homes in the database.
   */
  private counted(m: EntityManager, homeIds: HomeIds, q: CountedQuarter): SelectQueryBuilder<Contribution>[] {
    const onHeld = this.contributionsOnHeld(m, homeIds, q);
    const programmeWide = m
      .createQueryBuilder(Contribution, 'c')
      .where(...homeIn('c.homeId', 'homeId', homeIds))
      .andWhere('c.date >= :firstDay AND c.date <= :lastDay', { firstDay: q.firstDay, lastDay: q.countedTo })
      .andWhere('c.activityId IS NULL');
    return [onHeld, programmeWide];
  }

  /**
   * Contributions on the activities held in a period. The contribution's own home is asked too (it
   * is always its activity's): PostgreSQL then reads this home's contributions by index instead of
   * scanning every home's to join them, so the time does not grow with the homes in the database.
   */
  private contributionsOnHeld(m: EntityManager, homeIds: HomeIds, q: LocalPeriod): SelectQueryBuilder<Contribution> {
    return this.held(m.createQueryBuilder(Contribution, 'c').innerJoin(Activity, 'a', 'a.id = c.activityId'), homeIds, q)
      .andWhere(...homeIn('c.homeId', 'contributionHomeId', homeIds));
  }

  private async coProduction(m: EntityManager, homeId: string, q: CountedQuarter, activitiesHeld: number): Promise<QuarterFigures['coProduction']> {
    type Row = Counted & { phase: Phase; actorType: ActorType; source: ContributionSource; minutes: string | number | null; untimed: string | number | null };
    const rows: Row[] = [];
    for (const part of this.counted(m, homeId, q)) {
      rows.push(...(await part
        .select('c.phase', 'phase')
        .addSelect('c.actorType', 'actorType')
        .addSelect('c.source', 'source')
        .addSelect('COUNT(*)', 'n')
        .addSelect('SUM(c.minutes)', 'minutes')
        .addSelect('SUM(CASE WHEN c.minutes = 0 THEN 1 ELSE 0 END)', 'untimed')
        .groupBy('c.phase')
        .addGroupBy('c.actorType')
        .addGroupBy('c.source')
        .getRawMany<Row>()));
    }
    const cells = (phase: Phase, actorType: ActorType) => rows.filter((row) => row.phase === phase && row.actorType === actorType);
    const phaseActor = PHASES.flatMap((phase) =>
      ACTOR_TYPES.map((actorType) => {
        const matching = cells(phase, actorType);
        const minutes = matching.reduce((sum, row) => sum + num(row.minutes), 0);
        return { phase, actorType, count: matching.reduce((sum, row) => sum + num(row.n), 0), minutes, hours: hoursOf(minutes) };
      }),
    );
    const minutesOf = (actorType: ActorType) => phaseActor.filter((c) => c.actorType === actorType).reduce((sum, c) => sum + c.minutes, 0);
    const hoursByActor = Object.fromEntries(ACTOR_TYPES.map((actor) => [actor, hoursOf(minutesOf(actor))])) as Record<ActorType, number>;
    const countByActor = Object.fromEntries(
      ACTOR_TYPES.map((actor) => [actor, phaseActor.filter((c) => c.actorType === actor).reduce((sum, c) => sum + c.count, 0)]),
    ) as Record<ActorType, number>;
    const withoutTimeByActor = Object.fromEntries(
      ACTOR_TYPES.map((actor) => [actor, rows.filter((row) => row.actorType === actor).reduce((sum, row) => sum + num(row.untimed), 0)]),
    ) as Record<ActorType, number>;
    const withoutTimeBySource = CONTRIBUTION_SOURCES.map((source) => ({
      source, count: rows.filter((row) => row.source === source).reduce((sum, row) => sum + num(row.untimed), 0),
    }));

    const coProduced = await this.coProducedOnHeld(m, homeId, q).select('COUNT(DISTINCT c.activityId)', 'n').getRawOne<Counted>();
    const coProducedActivities = num(coProduced?.n);
    return {
      coProducedActivities,
      coProducedShare: percentOf(coProducedActivities, activitiesHeld),
      contributions: phaseActor.reduce((sum, c) => sum + c.count, 0),
      countByActor,
      withoutTime: withoutTimeBySource.reduce((sum, s) => sum + s.count, 0),
      withoutTimeByActor,
      withoutTimeBySource,
      hoursByActor,
      totalHours: hoursOf(phaseActor.reduce((sum, c) => sum + c.minutes, 0)),
      phaseActor,
    };
  }

  /** Contributions by someone other than staff on activities held: the co-produced activities are their distinct activities. */
  private coProducedOnHeld(m: EntityManager, homeIds: HomeIds, q: LocalPeriod): SelectQueryBuilder<Contribution> {
    return this.contributionsOnHeld(m, homeIds, q).andWhere('c.actorType <> :staff', { staff: 'staff' });
  }

  private async volunteersContributing(m: EntityManager, homeId: string, q: CountedQuarter): Promise<number> {
    const volunteers = new Set<string>();
    for (const part of this.counted(m, homeId, q)) {
      const rows = await part
        .select('DISTINCT c.volunteerId', 'volunteerId')
        .andWhere('c.actorType = :volunteer', { volunteer: 'volunteer' })
        .getRawMany<{ volunteerId: string | null }>();
      for (const row of rows) if (row.volunteerId) volunteers.add(row.volunteerId);
    }
    return volunteers.size;
  }

  // ---- Plans -------------------------------------------------------------------------------

  /**
   * Plans as they stood on the reference date (the quarter's last day, or today in a running
   * quarter). The plan in force for a resident is their highest version agreed on or before that
   * day, whether it is still the agreed one or has been archived by a later version since. Each
   * plan's values are read from its history as at the end of the counted days (`asAt`), so a review
   * recorded after the quarter does not move its next review date there.
   * The current row's status and agreement date narrow the query: a plan agreed at a quarter's end is
   * agreed or archived today, and its agreement date never changes once agreed.
   * - Residents with an agreed plan: residents in the quarter who have a plan in force.
   * - Reviews overdue: residents in the quarter, still living in the home on the reference date,
   *   whose plan in force has a next review date strictly before the reference date (a review due
   *   on the day itself is not overdue yet, as on the overdue-plans page).
   * - Goals by score: each goal scored at a review held in the quarter counts once, with the score
   *   of its latest review in the quarter.
   */
  private async plans(m: EntityManager, homeId: string, q: CountedQuarter, residents: Resident[], reference: string): Promise<QuarterFigures['plans']> {
    const plans: WithHistory<ActivityPlan, ActivityPlanHistory>[] = await m
      .createQueryBuilder(ActivityPlan, 'p')
      .select(['p.id', 'p.residentId', 'p.version', 'p.status', 'p.agreedOn', 'p.nextReviewOn'])
      .leftJoinAndMapMany('p.history', ActivityPlanHistory, 'h', 'h.planId = p.id')
      .where('p.homeId = :homeId', { homeId })
      .andWhere('p.status IN (:...statuses)', { statuses: ['agreed', 'archived'] })
      .andWhere('p.agreedOn IS NOT NULL AND p.agreedOn <= :reference', { reference })
      .getMany();
    const inForce = new Map<string, { version: number; nextReviewOn: string | null }>();
    for (const plan of plans) {
      const state = asAt(plan.history, q.end) ?? plan;
      if (state.status === 'draft' || state.agreedOn === null || state.agreedOn > reference) continue;
      const known = inForce.get(plan.residentId);
      if (!known || plan.version > known.version) inForce.set(plan.residentId, { version: plan.version, nextReviewOn: state.nextReviewOn });
    }
    const withPlan = residents.filter((r) => inForce.has(r.id)).length;
    const overdue = residents.filter((r) => {
      const plan = inForce.get(r.id);
      const stillResident = r.leftOn === null || r.leftOn >= reference;
      return stillResident && plan?.nextReviewOn != null && plan.nextReviewOn < reference;
    }).length;

    const scores = await m
      .createQueryBuilder(GoalAttainment, 'g')
      .innerJoin(PlanReview, 'r', 'r.id = g.reviewId')
      .select('g.goalId', 'goalId')
      .addSelect('g.score', 'score')
      // The reviews by their (home, date) index, then their scores by review: one home's quarter only.
      .where('r.homeId = :homeId AND g.homeId = :homeId', { homeId })
      .andWhere('r.reviewedOn >= :firstDay AND r.reviewedOn <= :lastDay', { firstDay: q.firstDay, lastDay: q.countedTo })
      .orderBy('r.reviewedOn', 'DESC')
      .addOrderBy('r.createdAt', 'DESC')
      .addOrderBy('g.id', 'ASC')
      .getRawMany<{ goalId: string; score: string | number }>();
    const latest = new Map<string, number>();
    for (const row of scores) if (!latest.has(row.goalId)) latest.set(row.goalId, num(row.score));
    const goalsByScore = GAS_SCORES.map((score: GasScore) => ({ score, count: [...latest.values()].filter((s) => s === score).length }));
    return {
      residentsWithAgreedPlan: { count: withPlan, percent: percentOf(withPlan, residents.length) },
      reviewsOverdue: overdue,
      goalsByScore,
      goalsScored: goalsByScore.reduce((sum, g) => sum + g.count, 0),
    };
  }

  // ---- Voice -------------------------------------------------------------------------------

  /**
   * Suggestions received in the quarter (created within its instants), each as it stood at the end of
   * the counted days (its history, `asAt`): accepted (or done) and declined count those answered by
   * then; the rest are pending, however they stand today. Days to answer: (answered at - received at)
   * in days, median over those answered.
   */
  private async suggestions(m: EntityManager, homeId: string, q: LocalPeriod): Promise<QuarterFigures['voice']['suggestions']> {
    const suggestions: WithHistory<Suggestion, SuggestionHistory>[] = await this.suggestionsReceived(m, homeId, q)
      .select(['s.id', 's.status', 's.createdAt', 's.respondedAt'])
      .leftJoinAndMapMany('s.history', SuggestionHistory, 'h', 'h.suggestionId = s.id')
      .getMany();
    const rows = suggestions.map((s) => {
      const state = asAt(s.history, q.end) ?? s;
      return { createdAt: s.createdAt, status: state.status, respondedAt: state.respondedAt };
    });
    const answered = rows.filter((s) => ANSWERED.includes(s.status) && s.respondedAt !== null && s.respondedAt.getTime() < q.end.getTime());
    const accepted = answered.filter((s) => s.status !== 'declined').length;
    const declined = answered.length - accepted;
    const days = median(answered.map((s) => (s.respondedAt!.getTime() - s.createdAt.getTime()) / DAY_MS));
    return { received: rows.length, accepted, declined, pending: rows.length - answered.length, medianDaysToAnswer: days === null ? null : round1(days) };
  }

  /** Suggestions received within the quarter's instants (alias `s`). */
  private suggestionsReceived(m: EntityManager, homeIds: HomeIds, q: LocalPeriod): SelectQueryBuilder<Suggestion> {
    return m.createQueryBuilder(Suggestion, 's')
      .where(...homeIn('s.homeId', 'homeId', homeIds))
      .andWhere('s.createdAt >= :start AND s.createdAt < :end', { start: q.start, end: q.end });
  }

  /** Feedback given within the quarter's instants, on activities or on the programme (alias `f`). */
  private feedbackGiven(m: EntityManager, homeIds: HomeIds, q: LocalPeriod): SelectQueryBuilder<Feedback> {
    return m.createQueryBuilder(Feedback, 'f')
      .where(...homeIn('f.homeId', 'homeId', homeIds))
      .andWhere('f.createdAt >= :start AND f.createdAt < :end', { start: q.start, end: q.end });
  }

  private async feedback(m: EntityManager, homeId: string, q: LocalPeriod): Promise<QuarterFigures['voice']['feedback']> {
    const row = await this.feedbackGiven(m, homeId, q)
      .select('COUNT(*)', 'n')
      .addSelect('SUM(f.rating)', 'total')
      .getRawOne<Counted & { total: string | number | null }>();
    const count = num(row?.n);
    return { count, meanRating: meanOf(num(row?.total), count) };
  }

  /**
   * Check-ins recorded for the quarter; for a quarter counted only to day N (days 1..N of one a
   * running quarter is compared with, or a running one), those recorded by the end of day N. A
   * check-in is always recorded within the quarter it is for (the quarter it is in the home then).
   */
  private checkIns(m: EntityManager, homeId: string, q: CountedQuarter): SelectQueryBuilder<WellbeingCheckIn> {
    const qb = m
      .createQueryBuilder(WellbeingCheckIn, 'w')
      .where('w.homeId = :homeId', { homeId })
      .andWhere('w.quarter = :quarter', { quarter: q.quarter });
    return q.partial ? qb.andWhere('w.createdAt < :checkInsEnd', { checkInsEnd: q.end }) : qb;
  }

  /** The residents with at least one check-in for the quarter, of any perspective. */
  private async residentsCheckedIn(m: EntityManager, homeId: string, q: CountedQuarter): Promise<Set<string>> {
    const rows = await this.checkIns(m, homeId, q).select('DISTINCT w.residentId', 'residentId').getRawMany<{ residentId: string }>();
    return new Set(rows.map((row) => row.residentId));
  }

  /** Wellbeing check-ins recorded for the quarter: means per domain, per perspective. */
  private async wellbeing(m: EntityManager, homeId: string, q: CountedQuarter): Promise<WellbeingMeans[]> {
    const rows = await this.checkIns(m, homeId, q)
      .select('w.perspective', 'perspective')
      .addSelect('COUNT(*)', 'n')
      .addSelect('SUM(w.doingThings)', 'doingThings')
      .addSelect('SUM(w.people)', 'people')
      .addSelect('SUM(w.choice)', 'choice')
      .groupBy('w.perspective')
      .getRawMany<Counted & { perspective: string; doingThings: string | number; people: string | number; choice: string | number }>();
    return PERSPECTIVES.map((perspective) => {
      const row = rows.find((r) => r.perspective === perspective);
      const count = num(row?.n);
      return {
        perspective,
        count,
        means: { doingThings: meanOf(num(row?.doingThings), count), people: meanOf(num(row?.people), count), choice: meanOf(num(row?.choice), count) },
      };
    });
  }

  // ---- Volunteers --------------------------------------------------------------------------

  /**
   * Active volunteers: status active, started on or before the quarter's last day (or no start
   * date). Their checks are judged on the reference date, as the volunteer pages judge them today:
   * expiring when they run out within 60 days (that day included), expired when already run out,
   * and "no check on record" when none has an expiry date (backgroundCheckStatus 'missing').
   * Status, start and expiry are each volunteer's as at the end of the counted days (their history,
   * `asAt`), so leaving, a renewed check or one removed after the quarter does not change it. One
   * query reads the home's volunteers with their history; the counting is done here.
   */
  private async volunteers(
    m: EntityManager, homeId: string, q: CountedQuarter, reference: string, names: boolean,
  ): Promise<Omit<QuarterFigures['volunteers'], 'contributing' | 'hours'>> {
    const rows: WithHistory<Volunteer, VolunteerHistory>[] = await m
      .createQueryBuilder(Volunteer, 'v')
      .select(['v.id', 'v.firstName', 'v.lastName', 'v.status', 'v.startedOn', 'v.backgroundCheckExpiresOn'])
      .leftJoinAndMapMany('v.history', VolunteerHistory, 'h', 'h.volunteerId = v.id')
      .where('v.homeId = :homeId', { homeId })
      .orderBy('v.lastName', 'ASC')
      .addOrderBy('v.firstName', 'ASC')
      .addOrderBy('v.id', 'ASC')
      .getMany();
    const active = rows
      .map((v) => ({ v, state: asAt(v.history, q.end) ?? v }))
      .filter(({ state }) => state.status === 'active' && (state.startedOn === null || state.startedOn <= q.countedTo))
      .map(({ v, state }) => ({ id: v.id, name: `${v.firstName} ${v.lastName}`, expiresOn: state.backgroundCheckExpiresOn }));
    const warnUntil = addDays(reference, CHECK_WARNING_DAYS);
    const toRenew = active.filter((v) => v.expiresOn !== null && v.expiresOn <= warnUntil);
    const missing = active.filter((v) => v.expiresOn === null);
    return {
      active: active.length,
      checksExpiring: toRenew.filter((v) => v.expiresOn! >= reference).length,
      checksExpired: toRenew.filter((v) => v.expiresOn! < reference).length,
      checksMissing: missing.length,
      // Soonest first; the same day by surname and first name, as read (a stable sort).
      expiringChecks: names
        ? [...toRenew].sort((a, b) => (a.expiresOn! < b.expiresOn! ? -1 : a.expiresOn! > b.expiresOn! ? 1 : 0))
          .map((v): ExpiringCheck => ({ volunteerId: v.id, name: v.name, expiresOn: v.expiresOn! }))
        : null,
      missingChecks: names ? missing.map((v): MissingCheck => ({ volunteerId: v.id, name: v.name })) : null,
    };
  }
}
