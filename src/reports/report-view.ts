import { ENGAGEMENTS } from '../activities/activities.enums';
import { translate } from '../common/i18n/i18n';
import { ACTOR_TYPES, PHASES } from '../contributions/contributions.enums';
import { CSV_TABLES } from './dto/report-query.dto';
import { FAIR_SHARE_BUCKETS, FigureSection, GAS_SCORES, QuarterlyReport, WELLBEING_DOMAINS } from './quarterly-report.model';
import {
  comparedWithNote, dateLabel, figure, figureCells, formatChange, formatNumber, formatValue, generatedLabel, monthLabel, progressNote, quarterPeriodLabel,
} from './report-format';

export interface FigureLine {
  label: string;
  current: string;
  previous: string;
  change: string;
}

/** Chart bars for the preview's inline SVG: positions computed here, so the template only draws. */
export interface SvgBar {
  x: number;
  y: number;
  width: number;
  height: number;
  fill: string;
  title: string;
}

/** What the figures of each section's table are (the rest appear in the section's own tables). */
const SECTION_FIGURES: Record<FigureSection, string[]> = {
  participation: ['residentsInQuarter', 'activitiesHeld', 'participationsRecorded', 'attended', 'residentsReached', 'residentsReachedPercent'],
  fairShare: ['belowOnePerWeek', 'needingAttention', 'medianPerWeek', ...FAIR_SHARE_BUCKETS.map((b) => `fairShare.${b.key}`)],
  coProduction: [
    'coProducedActivities', 'coProducedShare', 'contributions', ...ACTOR_TYPES.map((a) => `contributionCount.${a}`), 'contributionsWithoutTime',
    'totalHours', ...ACTOR_TYPES.map((a) => `hours.${a}`),
  ],
  plans: ['residentsWithAgreedPlan', 'residentsWithAgreedPlanPercent', 'reviewsOverdue', 'goalsScored', ...GAS_SCORES.map((s) => `goals.${s}`)],
  voice: ['suggestionsReceived', 'suggestionsAccepted', 'suggestionsDeclined', 'suggestionsPending', 'medianDaysToAnswer', 'feedbackCount', 'feedbackMeanRating',
    'wellbeingCoverage', 'wellbeingCoveragePercent',
  ],
  volunteers: ['volunteersActive', 'volunteersContributing', 'volunteerHours', 'checksExpiring', 'checksExpired', 'checksMissing'],
};

const ENGAGEMENT_FILLS: Record<string, string> = { active: '#1d5c57', passive: '#5fa39b', disengaged: '#e0b35a', declined: '#b4440e', absent: '#8a8178' };

function reportQuery(report: QuarterlyReport): string {
  return `homeId=${encodeURIComponent(report.meta.homeId)}&quarter=${encodeURIComponent(report.meta.quarter)}`;
}

/** The HTML preview's page data: the report model's numbers as text, nothing recomputed. */
export function quarterlyReportView(report: QuarterlyReport, locale: string, canExport: boolean) {
  const t = (key: string, params: Record<string, unknown> = {}) => translate(locale, `reports.${key}`, params);
  const line = (key: string): FigureLine => {
    const [label, current, previous, change] = figureCells(figure(report, key), locale);
    return { label, current, previous, change };
  };
  const count = (n: number) => formatNumber(n, 'count', locale);
  const { participation, fairShare, coProduction, volunteers } = report.current;
  const query = reportQuery(report);

  const maxMonth = Math.max(1, ...participation.engagementByMonth.map((m) => m.total));
  // Room above the tallest bar for its total.
  const chartTop = 18;
  const chartHeight = 160;
  const engagementBars: SvgBar[] = participation.engagementByMonth.flatMap((month, i) => {
    let top = chartTop + chartHeight;
    return ENGAGEMENTS.filter((level) => month.counts[level] > 0).map((level) => {
      const height = (chartHeight * month.counts[level]) / maxMonth;
      top -= height;
      return { x: 40 + i * 120, y: round(top), width: 64, height: round(height), fill: ENGAGEMENT_FILLS[level], title: `${monthLabel(month.month, locale)} – ${t(`engagement.${level}`)}: ${count(month.counts[level])}` };
    });
  });

  return {
    title: t('quarterlyTitle'),
    homeName: report.meta.homeName,
    quarter: report.meta.quarter,
    previousQuarter: report.meta.previousQuarter,
    period: quarterPeriodLabel(report.meta.quarter, locale),
    generated: generatedLabel(report, locale),
    copyNote: t(report.meta.withNames ? 'copy.names' : 'copy.noNames'),
    withNames: report.meta.withNames,
    canExport,
    referenceNote: t('referenceDate', { date: dateLabel(report.current.referenceDate, locale) }),
    progress: progressNote(report, locale),
    comparedWith: comparedWithNote(report, locale),
    downloads: canExport
      ? [
          { href: `/reports/quarterly.pdf?${query}&locale=en`, label: t('pdfEnglish') },
          { href: `/reports/quarterly.pdf?${query}&locale=it`, label: t('pdfItalian') },
          ...CSV_TABLES.map((table) => ({ href: `/reports/quarterly.csv?${query}&table=${table}`, label: t(`csv.${table}`) })),
        ]
      : [],
    headline: report.figures.filter((f) => f.headline).map((f) => ({ ...line(f.key), changeLabel: t('columns.change') })),
    sections: (Object.keys(SECTION_FIGURES) as FigureSection[]).map((section) => ({
      key: section,
      title: t(`sections.${section}`),
      intro: t(`sectionIntro.${section}`),
      rows: SECTION_FIGURES[section].map(line),
    })),
    engagement: {
      levels: ENGAGEMENTS.map((level) => ({ label: t(`engagement.${level}`), fill: ENGAGEMENT_FILLS[level] })),
      rows: participation.engagementByMonth.map((m) => ({ month: monthLabel(m.month, locale), cells: ENGAGEMENTS.map((level) => count(m.counts[level])), total: count(m.total) })),
      totals: { cells: ENGAGEMENTS.map((level) => count(participation.engagementTotals[level])), total: count(participation.participationsRecorded) },
      chart: {
        width: 400,
        height: chartTop + chartHeight + 24,
        bars: engagementBars,
        labels: participation.engagementByMonth.map((m, i) => ({ x: 72 + i * 120, y: chartTop + chartHeight + 16, text: monthLabel(m.month, locale) })),
        totals: participation.engagementByMonth.map((m, i) => ({ x: 72 + i * 120, y: round(chartTop + chartHeight - (chartHeight * m.total) / maxMonth - 5), text: count(m.total) })),
      },
    },
    fairShare: {
      needing: fairShare.needingAttention?.map((row) => ({
        name: row.name, days: count(row.days), attended: count(row.attended), perWeek: formatNumber(row.perWeek, 'perWeek', locale),
      })) ?? null,
      note: fairShare.needingAttentionCount === 0
        ? t(fairShare.belowOnePerWeek === 0 ? 'needingAttentionNone' : 'needingAttentionNoneListed')
        : fairShare.needingAttention === null ? t('needingAttentionCount', { count: fairShare.needingAttentionCount }) : null,
      rule: t('needingAttentionRule'),
    },
    byActor: ACTOR_TYPES.map((actor) => ({
      actor: t(`actors.${actor}`), count: count(coProduction.countByActor[actor]), withoutTime: count(coProduction.withoutTimeByActor[actor]),
      hours: formatValue(coProduction.hoursByActor[actor], 'hours', locale),
    })),
    withoutTime: {
      hint: t('withoutTimeHint'),
      rows: coProduction.withoutTimeBySource.map((s) => ({ source: t(`sources.${s.source}`), count: count(s.count) })),
      total: count(coProduction.withoutTime),
    },
    phaseActor: {
      actors: ACTOR_TYPES.map((actor) => t(`actors.${actor}`)),
      rows: PHASES.map((phase) => ({
        phase: t(`phases.${phase}`),
        cells: ACTOR_TYPES.map((actor) => {
          const cell = coProduction.phaseActor.find((c) => c.phase === phase && c.actorType === actor)!;
          return { count: count(cell.count), hours: formatValue(cell.hours, 'hours', locale) };
        }),
      })),
    },
    wellbeing: {
      domains: WELLBEING_DOMAINS.map((domain) => t(`domains.${domain}`)),
      rows: report.current.voice.wellbeing.map((row) => {
        const checkIns = figure(report, `wellbeing.${row.perspective}.count`);
        return {
          perspective: t(`perspectives.${row.perspective}`),
          count: count(row.count),
          countChange: formatChange(checkIns.change, 'count', locale),
          cells: WELLBEING_DOMAINS.map((domain) => {
            const mean = figure(report, `wellbeing.${row.perspective}.${domain}`);
            return { mean: formatNumber(mean.current, 'score', locale), change: formatChange(mean.change, 'score', locale) };
          }),
        };
      }),
    },
    // Expired and expiring checks, then volunteers with no check on record: names only in the manager's copy.
    expiringChecks: volunteers.expiringChecks === null ? null : [
      ...volunteers.expiringChecks.map((c) => ({ name: c.name, expiresOn: dateLabel(c.expiresOn, locale) })),
      ...(volunteers.missingChecks ?? []).map((c) => ({ name: c.name, expiresOn: t('noCheckOnRecord') })),
    ],
    missingChecksHint: t('missingChecksHint'),
    expiringNone: t('expiringChecksNone', { date: dateLabel(report.current.referenceDate, locale) }),
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
