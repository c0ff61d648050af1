import { ENGAGEMENTS } from '../../activities/activities.enums';
import { translate } from '../../common/i18n/i18n';
import { formatDate, formatDateTime, formatQuarterShort, hoursText } from '../../common/views/format';
import { monthLabel } from '../report-format';
import type { ResidentSummaryModel, SummaryPlan } from '../resident-summary.service';
import { COLOURS, factList, FONTS, openPdf, PdfWriter, stampFooters, TableColumn, titleBand } from './pdf-layout';
import { stackedBars } from './pdf-charts';
import { ENGAGEMENT_COLOURS } from '../engagement-colours';

export interface ResidentSummaryPdfOptions {
  locale: string;
}

type T = (key: string, params?: Record<string, unknown>) => string;

/** Tables in this document are read by families as well as staff: a little larger than the report's. */
export const TABLE_SIZE = 9;

const SECTIONS = ['profile', 'plan', 'participation', 'contributions', 'checkIns', 'feedback'] as const;
type SectionKey = (typeof SECTIONS)[number];

/** "28 Nov 2026" / "28 nov 2026": a date in a narrow table column. */
export function shortDate(date: string, locale: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(locale === 'it' ? 'it-IT' : 'en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(Date.UTC(year, month - 1, day)));
}

/** "Thu 26 Nov, 10:30" / "gio 26 nov, 10:30": when an activity was, in a table row; the period gives the year. */
export function dayTime(date: string, time: string, locale: string): string {
  const [year, month, day] = date.split('-').map(Number);
  const label = new Intl.DateTimeFormat(locale === 'it' ? 'it-IT' : 'en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' })
    .format(new Date(Date.UTC(year, month - 1, day)));
  return `${label}, ${time}`;
}

/** "7,25 h": hours as every page and the report write them (hoursText). */
export function hours(minutes: number, locale: string): string {
  return translate(locale, 'reports.units.hours', { value: hoursText(minutes, locale) });
}

/**
 * A resident's summary as a PDF (A4), for plan reviews and family meetings, streamed into `out`.
 * It lays out the model only: what the reader may see was decided when the model was built.
 */
export function renderResidentSummaryPdf(model: ResidentSummaryModel, options: ResidentSummaryPdfOptions, out: NodeJS.WritableStream): Promise<void> {
  const { locale } = options;
  const t: T = (key, params = {}) => translate(locale, `reports.summary.${key}`, params);
  const { meta, profile } = model;
  const { doc, finished } = openPdf(out, {
    locale,
    title: `${t('title')} – ${profile.fullName}`,
    author: meta.generatedBy,
    subject: `${profile.fullName}, ${meta.homeName}`,
    createdAt: new Date(meta.generatedAt),
  });
  const w = new PdfWriter(doc);
  const where = [meta.homeName, profile.unitName, profile.room ? translate(locale, 'residents.roomShort', { room: profile.room }) : null].filter(Boolean).join(' · ');
  titleBand(w, { kicker: t('kicker'), title: profile.fullName, subtitle: where, height: 150, top: 46 });
  w.y = 172;
  if (meta.copy === 'staff') w.note(t('copy.staff'), { colour: COLOURS.warn, fill: COLOURS.warnBg, border: '#e0b35a' });
  else w.note(t(`copy.${meta.copy}`));
  factList(w, [
    [t('facts.period'), t('facts.periodValue', { from: formatDate(meta.from, locale), to: formatDate(meta.to, locale), days: meta.days })],
    [t('facts.generatedOn'), formatDateTime(new Date(meta.generatedAt), locale, meta.timezone)],
    [t('facts.generatedBy'), meta.generatedBy],
  ], 130);
  w.space(10);

  profileSection(w, model, locale, t);
  planSection(w, model.plan, locale, t);
  participationSection(w, model, locale, t);
  contributionsSection(w, model, locale, t);
  checkInsSection(w, model, locale, t);
  feedbackSection(w, model, locale, t);

  const generated = `${translate(locale, 'reports.footer.generated', { at: formatDateTime(new Date(meta.generatedAt), locale, meta.timezone), by: meta.generatedBy })} · ${t(`copyShort.${meta.copy}`)}`;
  stampFooters(w, `${profile.fullName} · ${meta.homeName}`, generated, (page, pages) => translate(locale, 'reports.footer.page', { page, pages }), locale);
  doc.end();
  return finished;
}

function heading(w: PdfWriter, t: T, key: SectionKey, intro?: string, keepWith = 120): void {
  w.sectionHeading(key, `${SECTIONS.indexOf(key) + 1}. ${t(`sections.${key}`)}`, intro, keepWith);
}

/** A labelled block of free text (about me, mobility notes): a small heading over a paragraph. */
export function block(w: PdfWriter, label: string, text: string | null): void {
  if (!text) return;
  w.subheading(label, 30);
  w.paragraph(text, { size: 10 });
}

function profileSection(w: PdfWriter, model: ResidentSummaryModel, locale: string, t: T): void {
  const p = model.profile;
  heading(w, t, 'profile', undefined, 100);
  const facts: [string, string | null][] = [
    [t('profile.preferredName'), p.preferredName],
    [t('profile.status'), translate(locale, `residents.statuses.${p.status}`)],
    [t('profile.unit'), p.unitName],
    [t('profile.room'), p.room],
    [t('profile.dateOfBirth'), p.dateOfBirth ? formatDate(p.dateOfBirth, locale) : null],
    [t('profile.admittedOn'), p.admittedOn ? formatDate(p.admittedOn, locale) : null],
    [t('profile.leftOn'), p.leftOn ? formatDate(p.leftOn, locale) : null],
    [t('profile.weeklyTarget'), p.weeklyActivityTarget !== null ? t('profile.weeklyTargetValue', { n: p.weeklyActivityTarget }) : null],
    [t('profile.familyPortal'), p.familyPortalConsent ? translate(locale, `residents.portal.${p.familyPortalConsent}`) : null],
  ];
  profileFactsAndAbout(w, facts, p, t);
}

/** A resident's facts (those with a value) and "about me" blocks, as both resident PDFs print them. */
export function profileFactsAndAbout(
  w: PdfWriter,
  facts: [string, string | null][],
  p: { aboutMe: string | null; interests: string[]; dislikes: string | null; communicationTips: string | null; mobilityNotes: string | null },
  label: (key: string) => string,
): void {
  factList(w, facts.filter((f): f is [string, string] => f[1] !== null && f[1] !== ''), 170);
  w.space(6);
  block(w, label('profile.aboutMe'), p.aboutMe);
  block(w, label('profile.interests'), p.interests.length > 0 ? p.interests.join(', ') : label('profile.noneRecorded'));
  block(w, label('profile.dislikes'), p.dislikes);
  block(w, label('profile.communicationTips'), p.communicationTips);
  block(w, label('profile.mobilityNotes'), p.mobilityNotes);
  w.space(8);
}

function planSection(w: PdfWriter, plan: SummaryPlan | null, locale: string, t: T): void {
  heading(w, t, 'plan', undefined, 80);
  if (!plan) {
    w.note(t('plan.none'));
    return;
  }
  const nextReview = plan.nextReviewOn ? formatDate(plan.nextReviewOn, locale) : null;
  const facts: [string, string | null][] = [
    [t('plan.version'), plan.version !== null ? String(plan.version) : null],
    [t('plan.agreedOn'), plan.agreedOn ? formatDate(plan.agreedOn, locale) : null],
    [t('plan.nextReview'), nextReview && plan.overdue ? t('plan.overdue', { date: nextReview }) : nextReview],
  ];
  factList(w, facts.filter((f): f is [string, string] => f[1] !== null), 170);
  w.space(6);
  block(w, t('plan.whatMatters'), plan.whatMattersToMe);

  w.subheading(t('plan.goals'), 40);
  if (plan.goals.length === 0) w.note(t('plan.noGoals'));
  else if (plan.detail === 'summary') {
    w.table([{ header: t('columns.goal'), width: 1 }], plan.goals.map((g) => [g.description]), { fontSize: TABLE_SIZE });
  } else {
    const staff = plan.goals.some((g) => g.status !== null);
    const columns: TableColumn[] = [
      { header: t('columns.goal'), width: staff ? 0.36 : 0.44 },
      { header: t('columns.activities'), width: staff ? 0.24 : 0.26 },
      { header: t('columns.target'), width: 0.13, align: 'right' },
      { header: t('columns.thisWeek'), width: 0.14, align: 'right' },
      ...(staff ? [{ header: t('columns.status'), width: 0.13 }] : []),
    ];
    w.table(columns, plan.goals.map((g) => [
      g.description,
      [...g.categories.map((c) => translate(locale, `calendar.categories.${c}`)), ...g.typeNames].join(', ') || '—',
      g.targetPerWeek !== null ? String(g.targetPerWeek) : '—',
      g.attendedThisWeek !== null ? String(g.attendedThisWeek) : '—',
      ...(staff ? [g.status ? translate(locale, `plans.goalStatuses.${g.status}`) : '—'] : []),
    ]), { fontSize: TABLE_SIZE });
  }

  const review = plan.lastReview;
  if (!review) return;
  w.subheading(t('plan.lastReview', { date: formatDate(review.reviewedOn, locale) }), 60);
  if (review.participants) {
    const who = [...(review.participants.resident ? [translate(locale, 'reports.summary.actor.resident')] : []), ...review.participants.family, ...review.participants.staff];
    if (who.length > 0) factList(w, [[t('plan.tookPart'), who.join(', ')]], 170);
  }
  if (review.scores.length === 0) w.paragraph(t('plan.noScores'), { colour: COLOURS.muted });
  else {
    w.table(
      [{ header: t('columns.goal'), width: 0.6 }, { header: t('columns.score'), width: 0.4 }],
      review.scores.map((s) => [s.goal, translate(locale, `reports.gas.${s.score}`)]),
      { fontSize: TABLE_SIZE },
    );
  }
  block(w, t('plan.notes'), review.notes);
}

function participationSection(w: PdfWriter, model: ResidentSummaryModel, locale: string, t: T): void {
  const p = model.participation;
  const name = model.profile.displayName;
  const intro = [t('intro.participation', { name, days: model.meta.days }), model.meta.copy === 'staff' ? null : t('intro.familyVisibleOnly')].filter(Boolean).join(' ');
  // The heading moves with the chart and its table (a row a month) rather than be left alone at a page's foot.
  const chartBlock = 250 + 20 * p.byMonth.length;
  heading(w, t, 'participation', intro, p.recorded === 0 ? 40 : chartBlock + 40);
  if (p.recorded === 0) {
    w.note(t('participation.none'));
    return;
  }
  w.paragraph(t('participation.recorded', { recorded: p.recorded, attended: p.attended }), { font: FONTS.bold, size: 10.5 });
  w.subheading(t('participation.byMonth'), chartBlock);
  const engagement = (level: string) => translate(locale, `reports.engagement.${level}`);
  stackedBars(
    w,
    p.byMonth.map((m) => ({ label: monthLabel(m.month, locale), values: m.counts })),
    ENGAGEMENTS.map((level) => ({ key: level, label: engagement(level), colour: ENGAGEMENT_COLOURS[level] })),
    String,
  );
  w.table(
    [
      { header: translate(locale, 'reports.columns.month'), width: 0.2 },
      ...ENGAGEMENTS.map((level) => ({ header: engagement(level), width: 0.135, align: 'right' as const })),
      { header: translate(locale, 'reports.columns.total'), width: 0.125, align: 'right' },
    ],
    [
      ...p.byMonth.map((m) => [monthLabel(m.month, locale), ...ENGAGEMENTS.map((level) => String(m.counts[level])), String(m.total)]),
      [translate(locale, 'reports.columns.total'), ...ENGAGEMENTS.map((level) => String(p.totals[level])), String(p.recorded)],
    ],
    { fontSize: TABLE_SIZE, boldRows: new Set([p.byMonth.length]) },
  );

  w.subheading(t('participation.list'), 60);
  const withNotes = model.meta.copy !== 'family_summary';
  const columns: TableColumn[] = [
    { header: t('columns.date'), width: withNotes ? 0.19 : 0.24 },
    { header: t('columns.activity'), width: withNotes ? 0.27 : 0.46 },
    { header: t('columns.engagement'), width: withNotes ? 0.18 : 0.3 },
    ...(withNotes ? [{ header: t('columns.notes'), width: 0.36 }] : []),
  ];
  w.table(columns, p.activities.map((a) => {
    const notes = [a.staffNote ? t('notes.staff', { note: a.staffNote }) : null, a.familyNote ? t('notes.family', { note: a.familyNote }) : null].filter(Boolean).join('\n');
    return [dayTime(a.date, a.time, locale), a.title, engagement(a.engagement), ...(withNotes ? [notes || '—'] : [])];
  }), { fontSize: TABLE_SIZE });
}

function contributionsSection(w: PdfWriter, model: ResidentSummaryModel, locale: string, t: T): void {
  const c = model.contributions;
  heading(w, t, 'contributions', t('intro.contributions', { name: model.profile.displayName, days: model.meta.days }), 100);
  if (c.count === 0) {
    w.note(t('contributions.none'));
    return;
  }
  w.paragraph(t('contributions.total', { count: c.count, hours: hours(c.minutes, locale) }), { font: FONTS.bold, size: 10.5 });
  const described = model.meta.copy !== 'family_summary';
  const columns: TableColumn[] = [
    { header: t('columns.date'), width: 0.14 },
    { header: t('columns.activity'), width: described ? 0.22 : 0.3 },
    { header: t('columns.who'), width: described ? 0.2 : 0.26 },
    { header: t('columns.phase'), width: 0.16 },
    { header: t('columns.minutes'), width: 0.1, align: 'right' },
    ...(described ? [{ header: t('columns.description'), width: 0.18 }] : []),
  ];
  w.table(columns, c.rows.map((row) => {
    const actor = t(`actor.${row.actorType}`);
    return [
      shortDate(row.date, locale),
      row.activityTitle ?? t('contributions.programmeWide'),
      row.personName ? `${row.personName}\n${actor}` : actor,
      translate(locale, `reports.phases.${row.phase}`),
      String(row.minutes),
      ...(described ? [row.description ?? '—'] : []),
    ];
  }), { fontSize: TABLE_SIZE });
}

function checkInsSection(w: PdfWriter, model: ResidentSummaryModel, locale: string, t: T): void {
  heading(w, t, 'checkIns', t('intro.checkIns'), 90);
  if (model.checkIns.length === 0) {
    w.note(t('checkIns.none'));
    return;
  }
  const domain = (key: string) => translate(locale, `reports.domains.${key}`);
  w.table(
    [
      { header: t('columns.quarter'), width: 0.11 },
      { header: t('columns.whoseView'), width: 0.21 },
      { header: domain('doingThings'), width: 0.13, align: 'right' },
      { header: domain('people'), width: 0.13, align: 'right' },
      { header: domain('choice'), width: 0.13, align: 'right' },
      { header: t('columns.comment'), width: 0.29 },
    ],
    model.checkIns.map((c) => [
      formatQuarterShort(c.quarter, locale), `${c.authorName}\n${t(`actor.${c.perspective}`)}`, String(c.doingThings), String(c.people), String(c.choice), c.comment ?? '—',
    ]),
    { fontSize: TABLE_SIZE },
  );
}

function feedbackSection(w: PdfWriter, model: ResidentSummaryModel, locale: string, t: T): void {
  heading(w, t, 'feedback', t('intro.feedback', { days: model.meta.days }), 80);
  if (model.feedback.length === 0) {
    w.note(t('feedback.none'));
    return;
  }
  w.table(
    [
      { header: t('columns.date'), width: 0.14 },
      { header: t('columns.activity'), width: 0.24 },
      { header: t('columns.from'), width: 0.18 },
      { header: t('columns.rating'), width: 0.1, align: 'right' },
      { header: t('columns.comment'), width: 0.34 },
    ],
    model.feedback.map((f) => [
      shortDate(f.date, locale), f.activityTitle ?? t('feedback.programme'), f.authorName, t('feedback.ratingValue', { n: f.rating }), f.comment ?? '—',
    ]),
    { fontSize: TABLE_SIZE },
  );
}
