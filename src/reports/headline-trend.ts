import type { FigureUnit } from './quarterly-report.model';
import { figureLabel, formatValue, NO_VALUE } from './report-format';

/**
 * The home page's trends (issue 18 item 9): a few headline figures of the quarterly report over the
 * last four complete quarters. The numbers come from the report service's own queries for those
 * figures (ReportService.headlineTrend); this file only says which figures and how they are drawn.
 */

/** The report's headline figures a quarter's trend shows, as the report computes them. */
export interface QuarterHeadlines {
  quarter: string;
  residentsInQuarter: number;
  activitiesHeld: number;
  residentsReached: { count: number; percent: number | null };
  coProducedActivities: number;
  coProducedShare: number | null;
  totalHours: number;
}

export interface HeadlineTrend {
  homeId: string;
  homeName: string;
  /** Oldest first; the last is the last complete quarter. */
  quarters: QuarterHeadlines[];
}

/** The figures shown, keyed as in the report's figure list (reports.figures.*), with their unit there. */
const TREND_FIGURES: { key: string; unit: FigureUnit; value: (q: QuarterHeadlines) => number | null }[] = [
  { key: 'residentsReachedPercent', unit: 'percent', value: (q) => q.residentsReached.percent },
  { key: 'coProducedShare', unit: 'percent', value: (q) => q.coProducedShare },
  { key: 'totalHours', unit: 'hours', value: (q) => q.totalHours },
  { key: 'activitiesHeld', unit: 'count', value: (q) => q.activitiesHeld },
];

const SLOT = 50;
const BAR = 30;
const HEIGHT = 56;

export interface TrendFigureView {
  key: string;
  label: string;
  latest: string;
  /** Every quarter's value as text, oldest first: what the bars show. */
  values: { quarter: string; text: string; latest: boolean }[];
  chart: { width: number; height: number; bars: { x: number; y: number; width: number; height: number; latest: boolean }[] };
}

export function headlineTrendView(trend: HeadlineTrend, locale: string): { homeName: string; from: string; to: string; figures: TrendFigureView[] } {
  const last = trend.quarters.length - 1;
  return {
    homeName: trend.homeName,
    from: trend.quarters[0]?.quarter ?? '',
    to: trend.quarters[last]?.quarter ?? '',
    figures: TREND_FIGURES.map((figure) => {
      const values = trend.quarters.map((q) => figure.value(q));
      // Percentages against the whole scale; counts and hours against the largest of the four.
      const max = figure.unit === 'percent' ? 100 : Math.max(1, ...values.map((v) => v ?? 0));
      return {
        key: figure.key,
        label: figureLabel(figure.key, locale),
        latest: formatValue(values[last] ?? null, figure.unit, locale),
        values: trend.quarters.map((q, i) => ({ quarter: q.quarter, text: values[i] === null ? NO_VALUE : formatValue(values[i], figure.unit, locale), latest: i === last })),
        chart: {
          width: SLOT * values.length,
          height: HEIGHT,
          bars: values.map((v, i) => {
            // A quarter with a value of 0 keeps a hairline, so it reads as zero rather than missing.
            const height = v === null ? 0 : Math.max(1, Math.round(((HEIGHT - 2) * v) / max * 10) / 10);
            return { x: i * SLOT + (SLOT - BAR) / 2, y: Math.round((HEIGHT - 1 - height) * 10) / 10, width: BAR, height, latest: i === last };
          }),
        },
      };
    }),
  };
}

