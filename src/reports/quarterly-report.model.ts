import type { Engagement } from '../activities/activities.enums';
import type { ActorType, ContributionSource, Phase } from '../contributions/contributions.enums';
import type { Perspective } from '../voice/voice.enums';

/*
 * The quarterly co-production report (SPEC 5) as one typed model. The report service computes it
 * once; the HTML preview, the PDF and the CSV exports only read it, so they always show the same
 * numbers. Every number is a plain JSON number, rounded where it is computed (hours and means to 2
 * decimals, percentages and median days to 1), so SQLite and PostgreSQL give identical models.
 */

export const WELLBEING_DOMAINS = ['doingThings', 'people', 'choice'] as const;
export type WellbeingDomain = (typeof WELLBEING_DOMAINS)[number];

/** Goal Attainment Scale scores, -2 … +2. */
export const GAS_SCORES = [-2, -1, 0, 1, 2] as const;
export type GasScore = (typeof GAS_SCORES)[number];

/**
 * Fair-share buckets in attended activities per week, each [min, max): "none" is exactly 0, and
 * the first two together are the residents needing attention (below 1 a week).
 */
export const FAIR_SHARE_BUCKETS = [
  { key: 'none', min: 0, max: 0 },
  { key: 'belowOne', min: 0, max: 1 },
  { key: 'oneToTwo', min: 1, max: 2 },
  { key: 'twoToThree', min: 2, max: 3 },
  { key: 'threeToFive', min: 3, max: 5 },
  { key: 'fivePlus', min: 5, max: Infinity },
] as const;
export type FairShareBucketKey = (typeof FAIR_SHARE_BUCKETS)[number]['key'];

export interface CountAndPercent {
  count: number;
  /** Of residents in the quarter, 0-100 with 1 decimal; null when there were none. */
  percent: number | null;
}

export interface MonthEngagement {
  /** "2026-07": a calendar month in the home's time zone. */
  month: string;
  counts: Record<Engagement, number>;
  total: number;
}

export interface PhaseActorCell {
  phase: Phase;
  actorType: ActorType;
  count: number;
  minutes: number;
  hours: number;
}

/** One resident's fair share; `name` only in a copy with names. */
export interface FairShareRow {
  residentId: string;
  name: string;
  /** Days resident within the quarter, both ends included. */
  days: number;
  attended: number;
  /** attended / (days / 7), 2 decimals. */
  perWeek: number;
  counts: Record<Engagement, number>;
}

export interface WellbeingMeans {
  perspective: Perspective;
  /** Check-ins from this perspective in the quarter. */
  count: number;
  /** Mean score 1-4 per domain, 2 decimals; null without check-ins. */
  means: Record<WellbeingDomain, number | null>;
}

export interface ExpiringCheck {
  volunteerId: string;
  name: string;
  expiresOn: string;
}

/** An active volunteer with no background check on record (no expiry date). */
export interface MissingCheck {
  volunteerId: string;
  name: string;
}

/** Every SPEC 5 figure for one home and one quarter. */
export interface QuarterFigures {
  quarter: string;
  /** First and last local days of the quarter (YYYY-MM-DD). */
  firstDay: string;
  lastDay: string;
  /**
   * The day "as at" figures are taken on (plans in force, reviews overdue, volunteers' checks): the
   * quarter's last day, or today when the quarter is still running.
   */
  referenceDate: string;
  /**
   * The last day counted: the quarter's last day once it has ended; today while it runs; for the
   * quarter a running one is compared with, the last of the same number of days (days 1..N).
   */
  countedTo: string;
  /** Days counted, from the first day to countedTo, both included (0 before the quarter begins). */
  daysCounted: number;
  /** True when countedTo is before the quarter's last day: a running quarter, or days 1..N of one. */
  partial: boolean;

  participation: {
    residentsInQuarter: number;
    activitiesHeld: number;
    /** Participation rows of any engagement in activities held. */
    participationsRecorded: number;
    attended: number;
    residentsReached: CountAndPercent;
    engagementByMonth: MonthEngagement[];
    engagementTotals: Record<Engagement, number>;
  };
  coProduction: {
    coProducedActivities: number;
    /** Co-produced activities / activities held, 0-100 with 1 decimal; null when none were held. */
    coProducedShare: number | null;
    contributions: number;
    /** Contributions counted per actor type (beside hoursByActor: some carry no time). */
    countByActor: Record<ActorType, number>;
    /** Contributions counted with 0 minutes: they add to the counts, not to the hours. */
    withoutTime: number;
    /** Those with 0 minutes per actor type. */
    withoutTimeByActor: Record<ActorType, number>;
    /** Those with 0 minutes by their source (feedback, check-ins, suggestions carry no time by rule), every source, zeros included. */
    withoutTimeBySource: { source: ContributionSource; count: number }[];
    hoursByActor: Record<ActorType, number>;
    totalHours: number;
    /** Every phase x actor type, in PHASES x ACTOR_TYPES order, zeros included. */
    phaseActor: PhaseActorCell[];
  };
  fairShare: {
    residents: number;
    buckets: { key: FairShareBucketKey; count: number }[];
    /** Residents below 1 attended activity a week. */
    belowOnePerWeek: number;
    /** Of those, the residents present at least ATTENTION_MIN_DAYS (14) days of the period: needing attention. */
    needingAttentionCount: number;
    /** Median attended per week over residents in the quarter, 2 decimals. */
    medianPerWeek: number | null;
    /** Every resident in the quarter, lowest first; null in a copy without names. */
    rows: FairShareRow[] | null;
    /** Those needing attention (below 1 a week, 14 days or more), lowest first; null in a copy without names (the count is above). */
    needingAttention: FairShareRow[] | null;
  };
  plans: {
    residentsWithAgreedPlan: CountAndPercent;
    reviewsOverdue: number;
    /** Goals scored at a review in the quarter, by their latest score in it. */
    goalsByScore: { score: GasScore; count: number }[];
    goalsScored: number;
  };
  voice: {
    suggestions: {
      received: number;
      accepted: number;
      declined: number;
      /** Received in the quarter and not answered by its end. */
      pending: number;
      /** Median of (answered at - received at) in days, 1 decimal; null when none answered. */
      medianDaysToAnswer: number | null;
    };
    feedback: { count: number; meanRating: number | null };
    wellbeing: WellbeingMeans[];
    /** Residents in the quarter with at least one check-in for it (any perspective), count and % of residents in the quarter. */
    wellbeingCoverage: CountAndPercent;
  };
  volunteers: {
    active: number;
    /** Volunteers with at least one contribution among those counted for involvement hours. */
    contributing: number;
    /** Volunteers' involvement hours (the volunteer column of hoursByActor). */
    hours: number;
    /** Active volunteers whose check runs out within 60 days of the reference date (that day included). */
    checksExpiring: number;
    /** Active volunteers whose check ran out before the reference date. */
    checksExpired: number;
    /** Active volunteers with no background check on record ("no check on record"). */
    checksMissing: number;
    /** Expiring or expired checks of active volunteers; null in a copy without names. */
    expiringChecks: ExpiringCheck[] | null;
    /** Active volunteers with no check on record; null in a copy without names. */
    missingChecks: MissingCheck[] | null;
  };
}

export type FigureUnit = 'count' | 'percent' | 'hours' | 'days' | 'rating' | 'score' | 'perWeek';
export const FIGURE_SECTIONS = ['participation', 'coProduction', 'fairShare', 'plans', 'voice', 'volunteers'] as const;
export type FigureSection = (typeof FIGURE_SECTIONS)[number];

/** One figure with its value this quarter, last quarter and the change (same unit; points for percentages). */
export interface FigureRow {
  /** "activitiesHeld", "hours.family", "wellbeing.family.choice", "goals.-1", "engagement.passive" */
  key: string;
  section: FigureSection;
  unit: FigureUnit;
  headline: boolean;
  current: number | null;
  previous: number | null;
  change: number | null;
}

export interface ReportMeta {
  homeId: string;
  homeName: string;
  homeSlug: string;
  timezone: string;
  /** The home's country (ISO 3166-1 alpha-2): which standards the annex cites. */
  country: string;
  quarter: string;
  previousQuarter: string;
  /** ISO instant the report was computed. */
  generatedAt: string;
  generatedBy: string | null;
  /** True in the manager's copy: residents and volunteers are named. */
  withNames: boolean;
  /**
   * The quarter has not ended in the home's time zone: figures run to current.countedTo (today),
   * and every change compares days 1..N of this quarter with days 1..N of the previous one.
   */
  inProgress: boolean;
}

export interface QuarterlyReport {
  meta: ReportMeta;
  current: QuarterFigures;
  previous: QuarterFigures;
  /** Every single-number figure, flattened, with the change from the previous quarter. */
  figures: FigureRow[];
}
