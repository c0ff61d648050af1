import { ENGAGEMENTS } from '../../activities/activities.enums';
import { translate } from '../../common/i18n/i18n';
import { formatDateTime, formatQuarter, formatQuarterShort } from '../../common/views/format';
import { ACTOR_TYPES, PHASES } from '../../contributions/contributions.enums';
import { FAIR_SHARE_BUCKETS, GAS_SCORES, QuarterlyReport, WELLBEING_DOMAINS } from '../quarterly-report.model';
import {
  comparedWithNote, dateLabel, figure, figureCells, figureLabel, formatChange, formatNumber, formatValue, generatedLabel, monthLabel, progressNote,
} from '../report-format';
import { COLOURS, factList, FONTS, openPdf, PdfWriter, stampFooters, TableColumn, titleBand } from './pdf-layout';
import { heatmap, histogram, horizontalBars, stackedBars } from './pdf-charts';
import { Country, DEFAULT_COUNTRY, isCountry } from '../../homes/homes.enums';
import { ENGAGEMENT_COLOURS } from '../engagement-colours';

export interface QuarterlyPdfOptions {
  locale: string;
  /** An issued version's stored model printed in another language: the cover says which version and copy it renders. */
  issuedAs?: { version: number; locale: string; issuedAt: Date; sha256: string };
}

const ACTOR_COLOURS: Record<string, string> = { resident: COLOURS.primary, family: '#7b5e8f', volunteer: '#e0b35a', staff: '#8a8178' };
const GAS_COLOURS: Record<string, string> = { '-2': '#b4440e', '-1': '#e0b35a', '0': '#a8a29e', '1': '#5fa39b', '2': COLOURS.primary };

/** Sections in reading order: each key names its title (reports.sections.*) and its line in the contents. */
const SECTIONS = ['headline', 'participation', 'fairShare', 'coProduction', 'plans', 'voice', 'volunteers', 'annexStandards', 'annexDefinitions'] as const;
type SectionKey = (typeof SECTIONS)[number];

/**
 * Annex A, chosen by the home's country (not the reader's language): each standard
 * (reports.standards.*) with the figures that evidence it. Sources and the mapping: docs/reports.md,
 * "Standards by country".
 */
const STANDARDS: Record<Country, { key: string; figures: string[] }[]> = {
  GB: [
    { key: 'qs50', figures: ['activitiesHeld', 'attended', 'residentsReachedPercent', 'belowOnePerWeek', 'wellbeing.resident.doingThings'] },
    { key: 'ng32', figures: ['coProducedShare', 'totalHours', 'hours.resident', 'hours.family', 'suggestionsAccepted', 'volunteerHours'] },
    { key: 'cqc9', figures: ['residentsWithAgreedPlanPercent', 'reviewsOverdue', 'goalsScored', 'medianDaysToAnswer', 'feedbackMeanRating', 'wellbeing.resident.choice'] },
  ],
  IT: [
    { key: 'lea30', figures: ['activitiesHeld', 'attended', 'residentsReachedPercent', 'belowOnePerWeek', 'wellbeing.resident.doingThings'] },
    { key: 'pai', figures: ['residentsWithAgreedPlanPercent', 'reviewsOverdue', 'goalsScored', 'wellbeing.resident.choice'] },
    { key: 'accreditation', figures: ['coProducedShare', 'totalHours', 'hours.family', 'suggestionsAccepted', 'medianDaysToAnswer', 'feedbackMeanRating', 'volunteerHours'] },
  ],
};

/** Annex B: a figure's label and its definition (reports.definitions.*); engagementMix is the chart's title. */
const DEFINITIONS: { figure: string; definition: string }[] = [
  { figure: 'residentsInQuarter', definition: 'residentsInQuarter' },
  { figure: 'activitiesHeld', definition: 'activitiesHeld' },
  { figure: 'attended', definition: 'attended' },
  { figure: 'residentsReached', definition: 'residentsReached' },
  { figure: 'coProducedShare', definition: 'coProducedShare' },
  { figure: 'totalHours', definition: 'involvementHours' },
  { figure: 'engagementMix', definition: 'engagementMix' },
  { figure: 'belowOnePerWeek', definition: 'fairShare' },
  { figure: 'needingAttention', definition: 'needingAttention' },
  { figure: 'contributionsWithoutTime', definition: 'contributionsWithoutTime' },
  { figure: 'residentsWithAgreedPlan', definition: 'plans' },
  { figure: 'suggestionsReceived', definition: 'voice' },
  { figure: 'wellbeingCoveragePercent', definition: 'wellbeingCoverage' },
  { figure: 'volunteersActive', definition: 'volunteers' },
  { figure: 'checksMissing', definition: 'checksMissing' },
  { figure: 'runningQuarter', definition: 'runningQuarter' },
];

/**
 * The quarterly co-production report as a PDF, piped into `out` (an HTTP response or a file), never
 * collected into one buffer. pdfkit keeps the pages' drawing instructions (a few kilobytes each)
 * until the end only so that every footer can say "page 2 of 8" and the cover can list the pages
 * the sections start on. Resolves once `out` has everything (or has closed).
 */
export function renderQuarterlyReportPdf(report: QuarterlyReport, options: QuarterlyPdfOptions, out: NodeJS.WritableStream): Promise<void> {
  const { locale } = options;
  const t = (key: string, params: Record<string, unknown> = {}) => translate(locale, `reports.${key}`, params);
  const period = formatQuarter(report.meta.quarter, locale);
  const { doc, finished } = openPdf(out, {
    locale,
    title: `${t('quarterlyTitle')} – ${report.meta.homeName} – ${period}`,
    author: report.meta.generatedBy ?? 'Insieme',
    subject: `${report.meta.homeName}, ${period}`,
    createdAt: new Date(report.meta.generatedAt),
  });

  const w = new PdfWriter(doc);
  const contentsY = cover(w, report, locale, period, options.issuedAs);
  w.newPage();
  headline(w, report, locale);
  participation(w, report, locale);
  fairShare(w, report, locale);
  coProduction(w, report, locale);
  plans(w, report, locale);
  voice(w, report, locale);
  volunteers(w, report, locale);
  w.newPage();
  annexes(w, report, locale);

  doc.switchToPage(doc.bufferedPageRange().start);
  contents(w, contentsY, locale);
  // A running quarter says so on every page too (the date is on the cover: the footer has room for a word).
  const footerLeft = `${report.meta.homeName} · ${period}${report.meta.inProgress ? ` · ${t('footer.inProgress')}` : ''}`;
  const generated = `${generatedLabel(report, locale)} · ${t(report.meta.withNames ? 'copy.names' : 'copy.noNames')}`;
  stampFooters(w, footerLeft, generated, (page, pages) => t('footer.page', { page, pages }), locale);
  doc.end();
  return finished;
}

function sectionTitle(locale: string, key: SectionKey): string {
  const title = translate(locale, `reports.sections.${key}`);
  const number = SECTIONS.indexOf(key) + 1;
  return key.startsWith('annex') ? title : `${number}. ${title}`;
}

function figureTable(w: PdfWriter, report: QuarterlyReport, locale: string, keys: string[]): void {
  const columns: TableColumn[] = [
    { header: translate(locale, 'reports.columns.figure'), width: 0.52 },
    { header: formatQuarterShort(report.meta.quarter, locale), width: 0.16, align: 'right' },
    { header: formatQuarterShort(report.meta.previousQuarter, locale), width: 0.16, align: 'right' },
    { header: translate(locale, 'reports.columns.change'), width: 0.16, align: 'right' },
  ];
  w.table(columns, keys.map((key) => figureCells(figure(report, key), locale)));
}

// ---- Cover ---------------------------------------------------------------------------------

/** The cover; returns where the contents go (they are written once the page numbers are known). */
function cover(w: PdfWriter, report: QuarterlyReport, locale: string, period: string, issuedAs?: QuarterlyPdfOptions['issuedAs']): number {
  const t = (key: string, params: Record<string, unknown> = {}) => translate(locale, `reports.${key}`, params);
  titleBand(w, { kicker: t('cover.kicker'), title: t('quarterlyTitle'), subtitle: t('cover.preparedFor'), height: 210, top: 64 });

  w.y = 240;
  const homeHeight = w.textAt(report.meta.homeName, w.left, w.y, { width: w.width, size: 22, font: FONTS.bold });
  w.y += homeHeight + 4;
  w.textAt(t('cover.period', { period, quarter: formatQuarterShort(report.meta.quarter, locale) }), w.left, w.y, { width: w.width, size: 14, colour: COLOURS.primary });
  w.y += 30;
  const progress = progressNote(report, locale);
  if (progress) {
    w.note(progress, { colour: COLOURS.warn, fill: COLOURS.warnBg, border: '#e0b35a' });
    w.y += 4;
  }

  const generatedAt = new Intl.DateTimeFormat(locale === 'it' ? 'it-IT' : 'en-GB', {
    day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: report.meta.timezone,
  }).format(new Date(report.meta.generatedAt));
  const facts: [string, string][] = [
    [t('cover.generatedOn'), generatedAt],
    [t('cover.generatedBy'), report.meta.generatedBy ?? 'Insieme'],
    [t('cover.timezone'), report.meta.timezone],
  ];
  factList(w, facts);
  w.y += 8;
  if (report.meta.withNames) w.note(t('copy.names'), { colour: COLOURS.warn, fill: COLOURS.warnBg, border: '#e0b35a' });
  else w.note(t('copy.noNames'));
  if (issuedAs) {
    w.note(t('cover.issuedAs', {
      version: issuedAs.version, date: formatDateTime(issuedAs.issuedAt, locale, report.meta.timezone, false),
      language: t(`issued.languages.${issuedAs.locale}`), sha256: issuedAs.sha256,
    }));
  }
  w.paragraph(t('cover.about'));
  w.paragraph(comparedWithNote(report, locale), { colour: COLOURS.muted });
  w.space(10);
  return w.y;
}

function contents(w: PdfWriter, y: number, locale: string): void {
  const { doc } = w;
  w.textAt(translate(locale, 'reports.cover.contents'), w.left, y, { size: 12, font: FONTS.bold, colour: COLOURS.primary });
  let row = y + 22;
  for (const key of SECTIONS) {
    const page = w.sectionPages.get(key);
    if (page === undefined) continue;
    const title = sectionTitle(locale, key);
    w.textAt(title, w.left, row, { size: 10 });
    doc.font(FONTS.regular).fontSize(10);
    const titleEnd = w.left + doc.widthOfString(title) + 6;
    const pageText = String(page);
    const pageStart = w.left + w.width - doc.widthOfString(pageText) - 6;
    doc.save().moveTo(titleEnd, row + 8).lineTo(pageStart, row + 8).lineWidth(0.6).dash(1, { space: 2.5 }).strokeColor(COLOURS.rule).stroke().undash().restore();
    w.textAt(pageText, w.left + w.width - 40, row, { width: 40, align: 'right', size: 10 });
    row += 18;
  }
}

// ---- Sections ------------------------------------------------------------------------------

function headline(w: PdfWriter, report: QuarterlyReport, locale: string): void {
  w.sectionHeading('headline', sectionTitle(locale, 'headline'), comparedWithNote(report, locale));
  const tiles = report.figures.filter((f) => f.headline);
  const gap = 10;
  const columns = 3;
  const tileWidth = (w.width - gap * (columns - 1)) / columns;
  const tileHeight = 86;
  const { doc } = w;
  tiles.forEach((row, i) => {
    const column = i % columns;
    if (column === 0) w.ensure(tileHeight + gap);
    const x = w.left + column * (tileWidth + gap);
    const y = w.y;
    doc.roundedRect(x, y, tileWidth, tileHeight, 4).lineWidth(0.75).fillAndStroke(COLOURS.white, COLOURS.border);
    doc.rect(x, y + 4, 3, tileHeight - 8).fill(COLOURS.primary);
    w.textAt(figureLabel(row.key, locale), x + 12, y + 9, { width: tileWidth - 20, size: 8.5, colour: COLOURS.muted });
    w.textAt(formatValue(row.current, row.unit, locale), x + 12, y + 36, { width: tileWidth - 20, size: 20, font: FONTS.bold, colour: COLOURS.primary });
    const change = `${translate(locale, 'reports.columns.change')}: ${formatChange(row.change, row.unit, locale)}`;
    w.textAt(change, x + 12, y + 60, { width: tileWidth - 20, size: 7.5, colour: COLOURS.text, font: FONTS.bold });
    w.textAt(`${formatQuarterShort(report.meta.previousQuarter, locale)}: ${formatValue(row.previous, row.unit, locale)}`, x + 12, y + 70, { width: tileWidth - 20, size: 7.5, colour: COLOURS.muted });
    if (column === columns - 1 || i === tiles.length - 1) w.y = y + tileHeight + gap;
  });
  w.space(6);
  w.paragraph(translate(locale, 'reports.referenceDate', { date: dateLabel(report.current.referenceDate, locale) }), { colour: COLOURS.muted, size: 8.5 });
}

function participation(w: PdfWriter, report: QuarterlyReport, locale: string): void {
  const t = (key: string) => translate(locale, `reports.${key}`);
  w.sectionHeading('participation', sectionTitle(locale, 'participation'), t('sectionIntro.participation'), 260);
  w.subheading(t('charts.engagementByMonth'), 200);
  w.paragraph(t('charts.engagementByMonthHint'), { size: 8.5, colour: COLOURS.muted, after: 4 });
  const months = report.current.participation.engagementByMonth;
  const series = ENGAGEMENTS.map((level) => ({ key: level, label: t(`engagement.${level}`), colour: ENGAGEMENT_COLOURS[level] }));
  stackedBars(w, months.map((m) => ({ label: monthLabel(m.month, locale), values: m.counts })), series, (n) => formatNumber(n, 'count', locale));

  const totals = report.current.participation.engagementTotals;
  const count = (n: number) => formatNumber(n, 'count', locale);
  w.table(
    [
      { header: t('columns.month'), width: 0.17 },
      ...ENGAGEMENTS.map((level) => ({ header: t(`engagement.${level}`), width: 0.14, align: 'right' as const })),
      { header: t('columns.total'), width: 0.13, align: 'right' },
    ],
    [
      ...months.map((m) => [monthLabel(m.month, locale), ...ENGAGEMENTS.map((level) => count(m.counts[level])), count(m.total)]),
      [t('columns.total'), ...ENGAGEMENTS.map((level) => count(totals[level])), count(report.current.participation.participationsRecorded)],
    ],
    { boldRows: new Set([months.length]) },
  );
  figureTable(w, report, locale, ['residentsInQuarter', 'activitiesHeld', 'participationsRecorded', 'attended', 'residentsReached', 'residentsReachedPercent']);
}

function fairShare(w: PdfWriter, report: QuarterlyReport, locale: string): void {
  const t = (key: string, params: Record<string, unknown> = {}) => translate(locale, `reports.${key}`, params);
  const share = report.current.fairShare;
  w.sectionHeading('fairShare', sectionTitle(locale, 'fairShare'), t('sectionIntro.fairShare'), 210);
  w.subheading(t('charts.fairShareDistribution'), 170);
  histogram(
    w,
    FAIR_SHARE_BUCKETS.map((bucket) => ({
      label: t(`buckets.${bucket.key}`), count: share.buckets.find((b) => b.key === bucket.key)?.count ?? 0, highlight: bucket.max <= 1,
    })),
    t('columns.belowOne'),
  );
  figureTable(w, report, locale, ['belowOnePerWeek', 'needingAttention', 'medianPerWeek']);

  w.subheading(t('needingAttention'), 60);
  w.paragraph(`${t('needingAttentionHint')} ${t('needingAttentionRule')}`, { size: 8.5, colour: COLOURS.muted, after: 4 });
  // Nobody listed: say whether everyone reached one a week, or only those here fewer than 14 days did not.
  if (share.needingAttentionCount === 0) w.note(t(share.belowOnePerWeek === 0 ? 'needingAttentionNone' : 'needingAttentionNoneListed'));
  else if (share.needingAttention === null) w.note(t('needingAttentionCount', { count: share.needingAttentionCount }));
  else {
    w.table(
      [
        { header: t('columns.resident'), width: 0.46 },
        { header: t('columns.days'), width: 0.18, align: 'right' },
        { header: t('columns.attended'), width: 0.18, align: 'right' },
        { header: t('columns.perWeek'), width: 0.18, align: 'right' },
      ],
      share.needingAttention.map((row) => [row.name, formatNumber(row.days, 'count', locale), formatNumber(row.attended, 'count', locale), formatNumber(row.perWeek, 'perWeek', locale)]),
    );
  }
}

function coProduction(w: PdfWriter, report: QuarterlyReport, locale: string): void {
  const t = (key: string) => translate(locale, `reports.${key}`);
  const co = report.current.coProduction;
  w.sectionHeading('coProduction', sectionTitle(locale, 'coProduction'), t('sectionIntro.coProduction'), 130);
  w.subheading(t('charts.hoursByActor'), 90);
  horizontalBars(w, ACTOR_TYPES.map((actor) => ({
    label: t(`actors.${actor}`), value: co.hoursByActor[actor], display: formatValue(co.hoursByActor[actor], 'hours', locale), colour: ACTOR_COLOURS[actor],
  })));
  w.subheading(t('charts.phaseActor'), 150);
  w.paragraph(t('charts.phaseActorHint'), { size: 8.5, colour: COLOURS.muted, after: 4 });
  heatmap(
    w,
    PHASES.map((phase) => t(`phases.${phase}`)),
    ACTOR_TYPES.map((actor) => t(`actors.${actor}`)),
    PHASES.map((phase) => ACTOR_TYPES.map((actor) => {
      const cell = co.phaseActor.find((c) => c.phase === phase && c.actorType === actor)!;
      return { count: cell.count, hours: cell.hours, text: `${formatNumber(cell.count, 'count', locale)} · ${formatValue(cell.hours, 'hours', locale)}` };
    })),
    `${t('columns.phase')} / ${t('columns.actor')}`,
  );
  const count = (n: number) => formatNumber(n, 'count', locale);
  w.subheading(t('contributionsByActor'), 110);
  w.table(
    [
      { header: t('columns.actor'), width: 0.4 },
      { header: t('columns.count'), width: 0.2, align: 'right' },
      { header: t('columns.withoutTime'), width: 0.2, align: 'right' },
      { header: t('columns.hours'), width: 0.2, align: 'right' },
    ],
    ACTOR_TYPES.map((actor) => [t(`actors.${actor}`), count(co.countByActor[actor]), count(co.withoutTimeByActor[actor]), formatValue(co.hoursByActor[actor], 'hours', locale)]),
  );
  w.subheading(t('withoutTimeTitle'), 140);
  w.paragraph(t('withoutTimeHint'), { size: 8.5, colour: COLOURS.muted, after: 4 });
  w.table(
    [{ header: t('columns.source'), width: 0.7 }, { header: t('columns.withoutTime'), width: 0.3, align: 'right' }],
    [...co.withoutTimeBySource.map((s) => [t(`sources.${s.source}`), count(s.count)]), [t('columns.total'), count(co.withoutTime)]],
    { boldRows: new Set([co.withoutTimeBySource.length]) },
  );
  figureTable(w, report, locale, [
    'coProducedActivities', 'coProducedShare', 'contributions', ...ACTOR_TYPES.map((a) => `contributionCount.${a}`), 'contributionsWithoutTime',
    'totalHours', ...ACTOR_TYPES.map((a) => `hours.${a}`),
  ]);
}

function plans(w: PdfWriter, report: QuarterlyReport, locale: string): void {
  const t = (key: string, params: Record<string, unknown> = {}) => translate(locale, `reports.${key}`, params);
  w.sectionHeading('plans', sectionTitle(locale, 'plans'), t('sectionIntro.plans'), 130);
  w.paragraph(t('referenceDate', { date: dateLabel(report.current.referenceDate, locale) }), { size: 8.5, colour: COLOURS.muted });
  figureTable(w, report, locale, ['residentsWithAgreedPlan', 'residentsWithAgreedPlanPercent', 'reviewsOverdue', 'goalsScored']);
  w.subheading(t('charts.goalsByScore'), 110);
  horizontalBars(
    w,
    GAS_SCORES.map((score) => {
      const count = report.current.plans.goalsByScore.find((g) => g.score === score)?.count ?? 0;
      return { label: t(`gas.${score}`), value: count, display: formatNumber(count, 'count', locale), colour: GAS_COLOURS[String(score)] };
    }),
    { labelWidth: 170 },
  );
}

function voice(w: PdfWriter, report: QuarterlyReport, locale: string): void {
  const t = (key: string) => translate(locale, `reports.${key}`);
  w.sectionHeading('voice', sectionTitle(locale, 'voice'), t('sectionIntro.voice'), 150);
  figureTable(w, report, locale, [
    'suggestionsReceived', 'suggestionsAccepted', 'suggestionsDeclined', 'suggestionsPending', 'medianDaysToAnswer', 'feedbackCount', 'feedbackMeanRating',
    'wellbeingCoverage', 'wellbeingCoveragePercent',
  ]);
  w.subheading(t('wellbeingTitle'), 90);
  w.paragraph(t('wellbeingHint'), { size: 8.5, colour: COLOURS.muted, after: 4 });
  w.table(
    [
      { header: t('columns.perspective'), width: 0.2 },
      { header: t('columns.checkIns'), width: 0.14, align: 'right' },
      ...WELLBEING_DOMAINS.map((domain) => ({ header: t(`domains.${domain}`), width: 0.22, align: 'right' as const })),
    ],
    report.current.voice.wellbeing.map((row) => {
      const count = figure(report, `wellbeing.${row.perspective}.count`);
      return [
        t(`perspectives.${row.perspective}`),
        `${formatNumber(count.current, 'count', locale)} (${formatChange(count.change, 'count', locale)})`,
        ...WELLBEING_DOMAINS.map((domain) => {
          const mean = figure(report, `wellbeing.${row.perspective}.${domain}`);
          return `${formatNumber(mean.current, 'score', locale)} (${formatChange(mean.change, 'score', locale)})`;
        }),
      ];
    }),
  );
}

function volunteers(w: PdfWriter, report: QuarterlyReport, locale: string): void {
  const t = (key: string, params: Record<string, unknown> = {}) => translate(locale, `reports.${key}`, params);
  const vol = report.current.volunteers;
  w.sectionHeading('volunteers', sectionTitle(locale, 'volunteers'), t('sectionIntro.volunteers'), 130);
  figureTable(w, report, locale, ['volunteersActive', 'volunteersContributing', 'volunteerHours', 'checksExpiring', 'checksExpired', 'checksMissing']);
  // Names only in the manager's copy: expired and expiring checks, then those with no check on record.
  if (vol.expiringChecks === null) return;
  const missing = vol.missingChecks ?? [];
  const date = dateLabel(report.current.referenceDate, locale);
  w.subheading(t('expiringChecks'), 50);
  if (vol.expiringChecks.length === 0 && missing.length === 0) {
    w.note(t('expiringChecksNone', { date }));
    return;
  }
  w.paragraph(`${t('expiringChecksHint', { date })} ${t('missingChecksHint')}`, { size: 8.5, colour: COLOURS.muted, after: 4 });
  w.table(
    [{ header: t('columns.volunteer'), width: 0.6 }, { header: t('columns.expiresOn'), width: 0.4, align: 'right' }],
    [
      ...vol.expiringChecks.map((check) => [check.name, dateLabel(check.expiresOn, locale)]),
      ...missing.map((check) => [check.name, t('noCheckOnRecord')]),
    ],
  );
}

/** One standard: its name and title, what it asks (paraphrased), and the figures that evidence it. */
function standardBlock(w: PdfWriter, report: QuarterlyReport, locale: string, standard: { key: string; figures: string[] }): void {
  const t = (key: string) => translate(locale, `reports.standards.${standard.key}.${key}`);
  const label = (key: string) => translate(locale, `reports.columns.${key}`);
  const figureHeight = standard.figures.length * 15 + 10;
  w.ensure(w.heightOf(t('asks'), w.width - 120, 9.5) + w.heightOf(t('evidence'), w.width - 120, 9.5) + figureHeight + 60);
  const titleHeight = w.textAt(t('name'), w.left, w.y, { width: w.width, size: 11.5, font: FONTS.bold, colour: COLOURS.primary });
  w.y += titleHeight + 1;
  w.paragraph(t('title'), { size: 9, colour: COLOURS.muted, after: 6 });
  for (const [heading, text] of [[label('whatItAsks'), t('asks')], [label('evidence'), t('evidence')]]) {
    const height = w.heightOf(text, w.width - 120, 9.5, FONTS.regular, 2);
    w.textAt(heading, w.left, w.y, { width: 112, size: 9, font: FONTS.bold });
    w.textAt(text, w.left + 120, w.y, { width: w.width - 120, size: 9.5, lineGap: 2 });
    w.y += height + 6;
  }
  const rowsX = w.left + 120;
  const rowsWidth = w.width - 120;
  for (const key of standard.figures) {
    const row = figure(report, key);
    w.doc.rect(rowsX, w.y, rowsWidth, 15).fill(standard.figures.indexOf(key) % 2 === 0 ? COLOURS.surfaceAlt : COLOURS.white);
    w.textAt(figureLabel(key, locale), rowsX + 6, w.y + 4, { width: rowsWidth - 110, size: 8.5 });
    w.textAt(formatValue(row.current, row.unit, locale), rowsX + rowsWidth - 100, w.y + 4, { width: 94, size: 8.5, font: FONTS.bold, align: 'right' });
    w.y += 15;
  }
  w.y += 16;
}

function annexes(w: PdfWriter, report: QuarterlyReport, locale: string): void {
  const t = (key: string) => translate(locale, `reports.${key}`);
  // A report computed before homes had a country (an issued copy's model) is an Italian home's.
  const country = isCountry(report.meta.country) ? report.meta.country : DEFAULT_COUNTRY;
  const countryName = new Intl.DisplayNames([locale === 'it' ? 'it-IT' : 'en-GB'], { type: 'region' }).of(country) ?? country;
  w.sectionHeading('annexStandards', sectionTitle(locale, 'annexStandards'), translate(locale, 'reports.standardsIntro', { country: countryName }), 160);
  for (const standard of STANDARDS[country]) standardBlock(w, report, locale, standard);
  w.space(8);
  w.sectionHeading('annexDefinitions', sectionTitle(locale, 'annexDefinitions'));
  w.table(
    [{ header: t('columns.figure'), width: 0.28 }, { header: t('columns.definition'), width: 0.72 }],
    DEFINITIONS.map((d) => [definitionLabel(d.figure, locale), t(`definitions.${d.definition}`)]),
  );
}

/** Annex B's first column: a figure's label, or the chart or rule the definition is about. */
function definitionLabel(key: string, locale: string): string {
  if (key === 'engagementMix') return translate(locale, 'reports.charts.engagementByMonth');
  if (key === 'runningQuarter') return translate(locale, 'reports.definitionLabels.runningQuarter');
  return figureLabel(key, locale);
}
