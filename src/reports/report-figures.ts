import { ENGAGEMENTS } from '../activities/activities.enums';
import { ACTOR_TYPES } from '../contributions/contributions.enums';
import { PERSPECTIVES } from '../voice/voice.enums';
import {
  FAIR_SHARE_BUCKETS, FigureRow, FigureSection, FigureUnit, GAS_SCORES, QuarterFigures, WELLBEING_DOMAINS,
} from './quarterly-report.model';
import { changeOf } from './report-maths';

interface FigureDef {
  key: string;
  section: FigureSection;
  unit: FigureUnit;
  headline?: boolean;
  value: (f: QuarterFigures) => number | null;
}

/** How many decimals a unit's values (and so their changes) carry. */
export const UNIT_DECIMALS: Record<FigureUnit, number> = { count: 0, percent: 1, hours: 2, days: 1, rating: 2, score: 2, perWeek: 2 };

/**
 * Every single-number figure of the report, in reading order. The CSV "figures" table, the
 * headline tiles and the annex all come from this one list.
 */
const FIGURES: FigureDef[] = [
  { key: 'residentsInQuarter', section: 'participation', unit: 'count', headline: true, value: (f) => f.participation.residentsInQuarter },
  { key: 'activitiesHeld', section: 'participation', unit: 'count', headline: true, value: (f) => f.participation.activitiesHeld },
  { key: 'participationsRecorded', section: 'participation', unit: 'count', value: (f) => f.participation.participationsRecorded },
  { key: 'attended', section: 'participation', unit: 'count', headline: true, value: (f) => f.participation.attended },
  { key: 'residentsReached', section: 'participation', unit: 'count', value: (f) => f.participation.residentsReached.count },
  { key: 'residentsReachedPercent', section: 'participation', unit: 'percent', headline: true, value: (f) => f.participation.residentsReached.percent },
  ...ENGAGEMENTS.map((level): FigureDef => ({
    key: `engagement.${level}`, section: 'participation', unit: 'count', value: (f) => f.participation.engagementTotals[level],
  })),
  { key: 'coProducedActivities', section: 'coProduction', unit: 'count', value: (f) => f.coProduction.coProducedActivities },
  { key: 'coProducedShare', section: 'coProduction', unit: 'percent', headline: true, value: (f) => f.coProduction.coProducedShare },
  { key: 'contributions', section: 'coProduction', unit: 'count', value: (f) => f.coProduction.contributions },
  ...ACTOR_TYPES.map((actor): FigureDef => ({
    key: `contributionCount.${actor}`, section: 'coProduction', unit: 'count', value: (f) => f.coProduction.countByActor[actor],
  })),
  { key: 'contributionsWithoutTime', section: 'coProduction', unit: 'count', value: (f) => f.coProduction.withoutTime },
  { key: 'totalHours', section: 'coProduction', unit: 'hours', headline: true, value: (f) => f.coProduction.totalHours },
  ...ACTOR_TYPES.map((actor): FigureDef => ({
    key: `hours.${actor}`, section: 'coProduction', unit: 'hours', value: (f) => f.coProduction.hoursByActor[actor],
  })),
  { key: 'belowOnePerWeek', section: 'fairShare', unit: 'count', headline: true, value: (f) => f.fairShare.belowOnePerWeek },
  { key: 'needingAttention', section: 'fairShare', unit: 'count', value: (f) => f.fairShare.needingAttentionCount },
  { key: 'medianPerWeek', section: 'fairShare', unit: 'perWeek', value: (f) => f.fairShare.medianPerWeek },
  ...FAIR_SHARE_BUCKETS.map((bucket): FigureDef => ({
    key: `fairShare.${bucket.key}`, section: 'fairShare', unit: 'count', value: (f) => f.fairShare.buckets.find((b) => b.key === bucket.key)?.count ?? 0,
  })),
  { key: 'residentsWithAgreedPlan', section: 'plans', unit: 'count', value: (f) => f.plans.residentsWithAgreedPlan.count },
  { key: 'residentsWithAgreedPlanPercent', section: 'plans', unit: 'percent', headline: true, value: (f) => f.plans.residentsWithAgreedPlan.percent },
  { key: 'reviewsOverdue', section: 'plans', unit: 'count', headline: true, value: (f) => f.plans.reviewsOverdue },
  { key: 'goalsScored', section: 'plans', unit: 'count', value: (f) => f.plans.goalsScored },
  ...GAS_SCORES.map((score): FigureDef => ({
    key: `goals.${score}`, section: 'plans', unit: 'count', value: (f) => f.plans.goalsByScore.find((g) => g.score === score)?.count ?? 0,
  })),
  { key: 'suggestionsReceived', section: 'voice', unit: 'count', headline: true, value: (f) => f.voice.suggestions.received },
  { key: 'suggestionsAccepted', section: 'voice', unit: 'count', value: (f) => f.voice.suggestions.accepted },
  { key: 'suggestionsDeclined', section: 'voice', unit: 'count', value: (f) => f.voice.suggestions.declined },
  { key: 'suggestionsPending', section: 'voice', unit: 'count', value: (f) => f.voice.suggestions.pending },
  { key: 'medianDaysToAnswer', section: 'voice', unit: 'days', value: (f) => f.voice.suggestions.medianDaysToAnswer },
  { key: 'feedbackCount', section: 'voice', unit: 'count', value: (f) => f.voice.feedback.count },
  { key: 'feedbackMeanRating', section: 'voice', unit: 'rating', headline: true, value: (f) => f.voice.feedback.meanRating },
  ...PERSPECTIVES.flatMap((perspective): FigureDef[] => [
    { key: `wellbeing.${perspective}.count`, section: 'voice', unit: 'count', value: (f) => f.voice.wellbeing.find((w) => w.perspective === perspective)?.count ?? 0 },
    ...WELLBEING_DOMAINS.map((domain): FigureDef => ({
      key: `wellbeing.${perspective}.${domain}`, section: 'voice', unit: 'score',
      value: (f) => f.voice.wellbeing.find((w) => w.perspective === perspective)?.means[domain] ?? null,
    })),
  ]),
  { key: 'wellbeingCoverage', section: 'voice', unit: 'count', value: (f) => f.voice.wellbeingCoverage.count },
  { key: 'wellbeingCoveragePercent', section: 'voice', unit: 'percent', value: (f) => f.voice.wellbeingCoverage.percent },
  { key: 'volunteersActive', section: 'volunteers', unit: 'count', headline: true, value: (f) => f.volunteers.active },
  { key: 'volunteersContributing', section: 'volunteers', unit: 'count', value: (f) => f.volunteers.contributing },
  { key: 'volunteerHours', section: 'volunteers', unit: 'hours', value: (f) => f.volunteers.hours },
  { key: 'checksExpiring', section: 'volunteers', unit: 'count', value: (f) => f.volunteers.checksExpiring },
  { key: 'checksExpired', section: 'volunteers', unit: 'count', value: (f) => f.volunteers.checksExpired },
  { key: 'checksMissing', section: 'volunteers', unit: 'count', value: (f) => f.volunteers.checksMissing },
];

/** A figure's unit, by its key (the group view's columns are figures of the report). */
export function figureUnit(key: string): FigureUnit {
  const def = FIGURES.find((f) => f.key === key);
  if (!def) throw new RangeError(`No figure ${key}`);
  return def.unit;
}

/** The flat list of figures with this quarter's value, last quarter's and the change between them. */
export function figureRows(current: QuarterFigures, previous: QuarterFigures): FigureRow[] {
  return FIGURES.map((def) => {
    const now = def.value(current);
    const before = def.value(previous);
    return {
      key: def.key, section: def.section, unit: def.unit, headline: def.headline === true,
      current: now, previous: before, change: changeOf(now, before, UNIT_DECIMALS[def.unit]),
    };
  });
}
