import { ENGAGEMENTS } from '../activities/activities.enums';
import { LOCALES, translate } from '../common/i18n/i18n';
import { formatDateTime, formatQuarter, formatQuarterShort } from '../common/views/format';
import type { IssuedQuarter, IssuedVersion, QuarterView } from './issued-reports.service';
import { ACTOR_TYPES, PHASES } from '../contributions/contributions.enums';
import { CSV_TABLES } from './dto/report-query.dto';
import { FAIR_SHARE_BUCKETS, FigureSection, GAS_SCORES, QuarterlyReport, WELLBEING_DOMAINS } from './quarterly-report.model';
import {
  comparedWithNote, dateLabel, figure, figureCells, figureLabel, formatChange, formatNumber, formatValue, generatedLabel, monthLabel, progressNote,
} from './report-format';
import type { ReportDifferences } from './report-diff';
import { describeChange } from './report-diff-text';

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
  /** Its engagement level: the colour is the class engagement-fill-<level> (app.css). */
  level: string;
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


function reportQuery(report: QuarterlyReport): string {
  return `homeId=${encodeURIComponent(report.meta.homeId)}&quarter=${encodeURIComponent(report.meta.quarter)}`;
}

/**
 * What has changed since issue, as text: each figure with both values, then every other value of the
 * model in words (`describeChange`; its path kept for a `title`). `report` is the issued model, `now`
 * the quarter computed again.
 */
export function differencesView(differences: ReportDifferences, report: QuarterlyReport, now: QuarterlyReport, locale: string) {
  const t = (key: string, params: Record<string, unknown> = {}) => translate(locale, `reports.issued.${key}`, params);
  const figures = differences.figures.map((change) => {
    const label = figureLabel(change.key, locale);
    return t('figureChange', {
      figure: change.column === 'current' ? label : t('previousColumn', { figure: label, quarter: formatQuarterShort(report.meta.previousQuarter, locale) }),
      old: formatValue(change.old, change.unit, locale),
      new: formatValue(change.new, change.unit, locale),
    });
  });
  const details = differences.details.map((change) => describeChange(change, report, now, locale));
  return {
    none: figures.length === 0 && details.length === 0,
    summary: figures.length > 0 ? t('figuresChanged', { count: figures.length, list: figures.join(', ') }) : t('noFigureChanged'),
    figures,
    details,
    detailsTitle: t('detailsChanged', { count: details.length }),
  };
}

/** An issued version as text: "Version 2, issued 5 Jan 2027, 10:00 by Laura Bertolini", its fingerprints and downloads. */
function versionView(v: IssuedVersion, timezone: string, locale: string, canExport: boolean) {
  const t = (key: string, params: Record<string, unknown> = {}) => translate(locale, `reports.issued.${key}`, params);
  const query = `homeId=${encodeURIComponent(v.homeId)}&quarter=${encodeURIComponent(v.quarter)}&version=${v.version}`;
  return {
    version: v.version,
    label: t('versionLabel', { version: v.version, at: formatDateTime(v.issuedAt, locale, timezone), by: v.issuedByName ?? '–', language: translate(locale, `reports.issued.languages.${v.locale}`) }),
    pdfSha256: v.pdfSha256,
    pdfWithoutNamesSha256: v.pdfWithoutNamesSha256,
    // Every reader takes any version's copy without names; the copy with names is the managers'.
    downloads: [
      ...(canExport ? [{ href: `/reports/issued.pdf?${query}&copy=names`, label: t('downloadNames', { version: v.version }) }] : []),
      { href: `/reports/issued.pdf?${query}&copy=withoutNames`, label: t('downloadWithoutNames', { version: v.version }) },
      // The same stored figures printed in the other languages (its cover says which issued copy it renders).
      ...LOCALES.filter((other) => other !== v.locale).flatMap((other) => {
        const language = t(`languages.${other}`);
        return [
          ...(canExport ? [{ href: `/reports/issued.pdf?${query}&copy=names&locale=${other}`, label: t('downloadNamesIn', { version: v.version, language }) }] : []),
          { href: `/reports/issued.pdf?${query}&copy=withoutNames&locale=${other}`, label: t('downloadWithoutNamesIn', { version: v.version, language }) },
        ];
      }),
    ],
  };
}

/** The issue part of the preview and of the Reports page: latest version, versions, differences, the issue form. */
function issueView(view: QuarterView, locale: string, canExport: boolean) {
  const t = (key: string, params: Record<string, unknown> = {}) => translate(locale, `reports.issued.${key}`, params);
  const { report } = view;
  const timezone = report.meta.timezone;
  return {
    issued: view.issued ? { ...versionView(view.issued, timezone, locale, canExport), note: t('servedAsIssued', { version: view.issued.version }) } : null,
    versions: view.versions.map((v) => versionView(v, timezone, locale, canExport)),
    differences: view.differences && view.recomputed ? differencesView(view.differences, report, view.recomputed, locale) : null,
    canIssue: view.canIssue,
    issueLabel: view.issued ? t('reissue', { version: view.issued.version + 1 }) : t('issue'),
    issueHint: t(view.issued ? 'reissueHint' : 'issueHint'),
    notIssued: t(view.canIssue || !canExport ? 'notIssued' : 'runningQuarter'),
  };
}

/** The Reports page's list of issued quarters: each with its versions; what changed since is on its own page. */
export function issuedListView(quarters: IssuedQuarter[], locale: string, canExport: boolean) {
  return quarters.map((q) => {
    const [latest] = q.versions;
    return {
      homeName: q.homeName,
      quarter: q.quarter,
      href: `/reports/quarterly?homeId=${encodeURIComponent(q.homeId)}&quarter=${encodeURIComponent(q.quarter)}`,
      issued: { ...versionView(latest, q.timezone, locale, canExport), note: translate(locale, 'reports.issued.compareOnPage') },
      versions: q.versions.map((v) => versionView(v, q.timezone, locale, canExport)),
      differences: null,
    };
  });
}

/** The HTML preview's page data: the report model's numbers as text, nothing recomputed. */
/**
 * `csvWithoutNames`: the CSV tables a reader without names may take (a group manager's: the figures
 * and the contributions, which name nobody; docs/groups.md).
 */
export function quarterlyReportView(view: QuarterView, locale: string, canExport: boolean, csvWithoutNames = false) {
  const { report } = view;
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
      return { x: 40 + i * 120, y: round(top), width: 64, height: round(height), level, title: `${monthLabel(month.month, locale)} – ${t(`engagement.${level}`)}: ${count(month.counts[level])}` };
    });
  });

  return {
    title: t('quarterlyTitle'),
    homeName: report.meta.homeName,
    quarter: report.meta.quarter,
    previousQuarter: report.meta.previousQuarter,
    period: formatQuarter(report.meta.quarter, locale),
    generated: generatedLabel(report, locale),
    copyNote: t(report.meta.withNames ? 'copy.names' : 'copy.noNames'),
    withNames: report.meta.withNames,
    canExport,
    referenceNote: t('referenceDate', { date: dateLabel(report.current.referenceDate, locale) }),
    progress: progressNote(report, locale),
    comparedWith: comparedWithNote(report, locale),
    issue: issueView(view, locale, canExport),
    homeId: report.meta.homeId,
    locale,
    downloads: canExport
      ? [
          ...(view.issued
            ? [{ href: `/reports/quarterly.pdf?${query}`, label: t('issued.pdfIssued', { version: view.issued.version, language: t(`issued.languages.${view.issued.locale}`) }) }]
            : [
                { href: `/reports/quarterly.pdf?${query}&locale=en`, label: t('pdfEnglish') },
                { href: `/reports/quarterly.pdf?${query}&locale=it`, label: t('pdfItalian') },
              ]),
          ...CSV_TABLES.map((table) => ({ href: `/reports/quarterly.csv?${query}&table=${table}`, label: t(`csv.${table}`) })),
          ...withoutNamesDownloads(view, query, locale),
        ]
      : [
          ...withoutNamesDownloads(view, query, locale),
          ...(csvWithoutNames ? CSV_TABLES.filter((table) => table !== 'participation').map((table) => ({ href: `/reports/quarterly.csv?${query}&table=${table}`, label: t(`csv.${table}`) })) : []),
        ],
    headline: report.figures.filter((f) => f.headline).map((f) => ({ ...line(f.key), changeLabel: t('columns.change') })),
    sections: (Object.keys(SECTION_FIGURES) as FigureSection[]).map((section) => ({
      key: section,
      title: t(`sections.${section}`),
      intro: t(`sectionIntro.${section}`),
      rows: SECTION_FIGURES[section].map(line),
    })),
    engagement: {
      levels: ENGAGEMENTS.map((level) => ({ label: t(`engagement.${level}`), level })),
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

/**
 * The copy without names, which every reader of reports may download (after the manager's copy where
 * there is one): in either language, or the issue's stored copy, in the language it was issued in.
 */
function withoutNamesDownloads(view: QuarterView, query: string, locale: string): { href: string; label: string }[] {
  if (view.issued) {
    const language = translate(locale, `reports.issued.languages.${view.issued.locale}`);
    return [{ href: `/reports/quarterly-without-names.pdf?${query}`, label: translate(locale, 'reports.issued.pdfWithoutNamesIssued', { version: view.issued.version, language }) }];
  }
  return [
    { href: `/reports/quarterly-without-names.pdf?${query}&locale=en`, label: translate(locale, 'trends.withoutNames.pdfEnglish') },
    { href: `/reports/quarterly-without-names.pdf?${query}&locale=it`, label: translate(locale, 'trends.withoutNames.pdfItalian') },
  ];
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
