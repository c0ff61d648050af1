import { ENGAGEMENTS } from '../../activities/activities.enums';
import { translate } from '../../common/i18n/i18n';
import { formatDate, formatDateTime, formatQuarterShort } from '../../common/views/format';
import type { SubjectAccessExport } from '../../data-protection/subject-access.service';
import { isRelationship } from '../../residents/dto/family-link.dto';
import { COLOURS, factList, openPdf, PdfWriter, stampFooters, titleBand } from './pdf-layout';
import { block, hours, profileFactsAndAbout, shortDate, TABLE_SIZE } from './resident-summary.pdf';

type T = (key: string, params?: Record<string, unknown>) => string;

const SECTIONS = ['profile', 'consent', 'family', 'plans', 'participation', 'contributions', 'voice', 'messages', 'audit'] as const;
type SectionKey = (typeof SECTIONS)[number];

/** A long audit value is cut here in the PDF; the JSON export carries it whole. */
const AUDIT_VALUE_CHARS = 160;

/**
 * A resident's subject-access export as a PDF (A4): the same records as the JSON download, laid out
 * like the resident summary (title band, fact lists, tables, footers) and with its wording where the
 * two documents say the same thing. It lays out the model only.
 */
export function renderSubjectAccessPdf(model: SubjectAccessExport, options: { locale: string }, out: NodeJS.WritableStream): Promise<void> {
  const { locale } = options;
  const t: T = (key, params = {}) => translate(locale, `dataProtection.export.${key}`, params);
  const s: T = (key, params = {}) => translate(locale, `reports.summary.${key}`, params);
  const { meta, resident } = model;
  const name = `${resident.firstName} ${resident.lastName}`;
  const generatedAt = new Date(meta.generatedAt);
  const { doc, finished } = openPdf(out, {
    locale, title: `${t('title')} – ${name}`, author: meta.generatedBy, subject: `${name}, ${meta.homeName}`, createdAt: generatedAt,
  });
  const w = new PdfWriter(doc);
  titleBand(w, { kicker: t('kicker'), title: name, subtitle: meta.homeName, height: 150, top: 46 });
  w.y = 172;
  w.note(t('confidential'), { colour: COLOURS.warn, fill: COLOURS.warnBg, border: '#e0b35a' });
  w.paragraph(t('lead'), { colour: COLOURS.muted });
  factList(w, [
    [s('facts.generatedOn'), formatDateTime(generatedAt, locale, meta.timezone)],
    [s('facts.generatedBy'), meta.generatedBy],
    [t('facts.reference'), meta.residentId],
  ], 130);
  w.space(10);

  const heading = (key: SectionKey, intro?: string, keepWith = 80) => w.sectionHeading(key, `${SECTIONS.indexOf(key) + 1}. ${t(`sections.${key}`)}`, intro, keepWith);
  const date = (value: string | null) => (value ? formatDate(value, locale) : '—');
  const instant = (value: string | null) => (value ? formatDateTime(new Date(value), locale, meta.timezone) : '—');
  const yesNo = (value: boolean) => translate(locale, value ? 'common.yes' : 'common.no');
  const table = (columns: { header: string; width: number; align?: 'right' }[], rows: string[][], empty: string) => {
    if (rows.length === 0) w.note(empty);
    else w.table(columns, rows, { fontSize: TABLE_SIZE });
  };

  // 1. Profile
  heading('profile', undefined, 120);
  const facts: [string, string | null][] = [
    [t('profile.name'), name],
    [s('profile.preferredName'), resident.preferredName],
    [s('profile.status'), translate(locale, `residents.statuses.${resident.status}`)],
    [s('profile.unit'), resident.unit],
    [s('profile.room'), resident.room],
    [s('profile.dateOfBirth'), resident.dateOfBirth ? date(resident.dateOfBirth) : null],
    [s('profile.admittedOn'), date(resident.admittedOn)],
    [s('profile.leftOn'), resident.leftOn ? date(resident.leftOn) : null],
    [s('profile.weeklyTarget'), s('profile.weeklyTargetValue', { n: resident.weeklyActivityTarget })],
    [t('profile.photo'), model.photo.held ? t('profile.photoHeld') : t('profile.photoNone')],
    [t('profile.activityPhotos'), t('profile.activityPhotosValue', { n: model.photos.length })],
    [t('profile.recordCreated'), instant(resident.createdAt)],
    [t('profile.erasedAt'), resident.erasedAt ? instant(resident.erasedAt) : null],
  ];
  profileFactsAndAbout(w, facts, resident, s);

  // 2. Consent
  heading('consent');
  const c = model.consent;
  factList(w, [
    [t('consent.photos'), yesNo(c.photos)],
    [t('consent.familyPortal'), translate(locale, `residents.portal.${c.familyPortal}`)],
    [t('consent.volunteerProfile'), yesNo(c.volunteerProfile)],
    [t('consent.recorded'), c.recordedAt ? `${instant(c.recordedAt)}${c.recordedBy ? ` – ${c.recordedBy}` : ''}` : t('consent.neverRecorded')],
  ], 170);
  block(w, t('consent.bestInterestNote'), c.bestInterestNote);
  w.space(8);

  // 3. Family
  heading('family');
  table(
    [{ header: t('columns.person'), width: 0.28 }, { header: t('columns.relationship'), width: 0.18 }, { header: t('columns.access'), width: 0.18 }, { header: t('columns.primary'), width: 0.18 }, { header: t('columns.linkActive'), width: 0.18 }],
    model.familyLinks.map((l) => [l.familyMember, isRelationship(l.relationship) ? translate(locale, `families.relationships.${l.relationship}`) : l.relationship, translate(locale, `families.access.${l.access}`), yesNo(l.primaryContact), `${yesNo(l.active)} (${t('since', { date: date(l.since.slice(0, 10)) })})`]),
    t('family.none'),
  );

  // 4. Plans: every version, its goals and its reviews with the Goal Attainment Scale scores.
  heading('plans', t('intro.plans'));
  if (model.plans.length === 0) w.note(t('plans.none'));
  for (const plan of model.plans) {
    w.subheading(t('plans.version', { version: plan.version, status: translate(locale, `plans.statuses.${plan.status}`) }), 60);
    factList(w, [
      [s('plan.agreedOn'), date(plan.agreedOn)],
      [s('plan.nextReview'), date(plan.nextReviewOn)],
      [t('plans.created'), `${instant(plan.createdAt)}${plan.createdBy ? ` – ${plan.createdBy}` : ''}`],
    ], 170);
    block(w, s('plan.whatMatters'), plan.whatMattersToMe);
    table(
      [{ header: s('columns.goal'), width: 0.42 }, { header: s('columns.activities'), width: 0.28 }, { header: s('columns.target'), width: 0.15, align: 'right' }, { header: s('columns.status'), width: 0.15 }],
      plan.goals.map((g) => [
        g.description, [...g.categories.map((cat) => translate(locale, `calendar.categories.${cat}`)), ...g.activityTypes].join(', ') || '—',
        String(g.targetPerWeek), translate(locale, `plans.goalStatuses.${g.status}`),
      ]),
      s('plan.noGoals'),
    );
    for (const review of plan.reviews) {
      w.subheading(t('plans.review', { date: date(review.reviewedOn) }), 50);
      const who = [...(review.residentTookPart ? [s('actor.resident')] : []), ...review.family, ...review.staff];
      factList(w, [[s('plan.tookPart'), who.join(', ') || '—'], ...(review.recordedBy ? [[t('recordedBy'), review.recordedBy] as [string, string]] : [])], 170);
      if (review.scores.length === 0) w.paragraph(s('plan.noScores'), { colour: COLOURS.muted });
      else w.table([{ header: s('columns.goal'), width: 0.6 }, { header: s('columns.score'), width: 0.4 }], review.scores.map((sc) => [sc.goal, translate(locale, `reports.gas.${sc.score}`)]), { fontSize: TABLE_SIZE });
      block(w, s('plan.notes'), review.notes);
    }
  }

  // 5. Participation: totals by year, then every record with its notes.
  heading('participation', t('intro.participation'), 100);
  const engagement = (level: string) => translate(locale, `reports.engagement.${level}`);
  if (model.participation.length === 0) w.note(s('participation.none'));
  else {
    const years = [...new Set(model.participation.map((p) => p.date.slice(0, 4)))].sort();
    w.table(
      [{ header: t('columns.year'), width: 0.1 }, ...ENGAGEMENTS.map((level) => ({ header: engagement(level), width: 0.16, align: 'right' as const })), { header: translate(locale, 'reports.columns.total'), width: 0.1, align: 'right' }],
      years.map((year) => {
        const rows = model.participation.filter((p) => p.date.startsWith(year));
        return [year, ...ENGAGEMENTS.map((level) => String(rows.filter((p) => p.engagement === level).length)), String(rows.length)];
      }),
      { fontSize: TABLE_SIZE },
    );
    w.table(
      [{ header: s('columns.date'), width: 0.17 }, { header: s('columns.activity'), width: 0.23 }, { header: s('columns.engagement'), width: 0.17 }, { header: t('columns.mood'), width: 0.1 }, { header: s('columns.notes'), width: 0.33 }],
      model.participation.map((p) => {
        const notes = [p.staffNote ? s('notes.staff', { note: p.staffNote }) : null, p.familyNote ? s('notes.family', { note: p.familyNote }) : null].filter(Boolean).join('\n');
        const mood = p.moodBefore !== null || p.moodAfter !== null ? `${p.moodBefore ?? '—'} → ${p.moodAfter ?? '—'}` : '—';
        return [`${shortDate(p.date, locale)}, ${p.time}`, p.activity, engagement(p.engagement), mood, notes || '—'];
      }),
      { fontSize: TABLE_SIZE },
    );
  }

  // 6. Contributions made by the resident.
  const minutes = model.contributions.reduce((sum, x) => sum + x.minutes, 0);
  heading('contributions', t('intro.contributions', { count: model.contributions.length, hours: hours(minutes, locale) }));
  table(
    [{ header: s('columns.date'), width: 0.15 }, { header: s('columns.activity'), width: 0.27 }, { header: s('columns.phase'), width: 0.18 }, { header: s('columns.minutes'), width: 0.1, align: 'right' }, { header: s('columns.description'), width: 0.3 }],
    model.contributions.map((x) => [shortDate(x.date, locale), x.activity ?? s('contributions.programmeWide'), translate(locale, `reports.phases.${x.phase}`), String(x.minutes), x.description ?? '—']),
    s('contributions.none'),
  );

  // 7. Voice: suggestions by or about the resident, their feedback, check-ins about them.
  heading('voice');
  w.subheading(t('voice.suggestions'), 40);
  table(
    [{ header: s('columns.date'), width: 0.14 }, { header: s('columns.from'), width: 0.2 }, { header: t('columns.suggestion'), width: 0.4 }, { header: s('columns.status'), width: 0.26 }],
    model.suggestions.map((x) => [
      shortDate(x.createdAt.slice(0, 10), locale), `${x.author}\n${t(`voice.${x.relation}`)}`, `${x.title}\n${x.body}`,
      [translate(locale, `voice.statuses.${x.status}`), x.response].filter(Boolean).join('\n'),
    ]),
    t('voice.noSuggestions'),
  );
  w.subheading(t('voice.feedback'), 40);
  table(
    [{ header: s('columns.date'), width: 0.15 }, { header: s('columns.activity'), width: 0.3 }, { header: s('columns.rating'), width: 0.12, align: 'right' }, { header: s('columns.comment'), width: 0.43 }],
    model.feedback.map((f) => [shortDate(f.createdAt.slice(0, 10), locale), f.activity ?? s('feedback.programme'), s('feedback.ratingValue', { n: f.rating }), f.comment ?? '—']),
    s('feedback.none'),
  );
  w.subheading(t('voice.checkIns'), 40);
  const domain = (key: string) => translate(locale, `reports.domains.${key}`);
  table(
    [{ header: s('columns.quarter'), width: 0.14 }, { header: s('columns.whoseView'), width: 0.18 }, { header: domain('doingThings'), width: 0.13, align: 'right' }, { header: domain('people'), width: 0.13, align: 'right' }, { header: domain('choice'), width: 0.13, align: 'right' }, { header: s('columns.comment'), width: 0.29 }],
    model.checkIns.map((x) => [formatQuarterShort(x.quarter, locale), `${x.author}\n${s(`actor.${x.perspective}`)}`, String(x.doingThings), String(x.people), String(x.choice), x.comment ?? '—']),
    s('checkIns.none'),
  );

  // 8. Messages between the home and the resident's relatives.
  heading('messages', t('intro.messages'));
  table(
    [{ header: t('columns.when'), width: 0.17 }, { header: t('columns.by'), width: 0.23 }, { header: t('columns.message'), width: 0.6 }],
    model.messages.map((x) => [instant(x.sentAt), `${x.author}\n${translate(locale, `roles.${x.authorRole}`)}`, x.body]),
    t('messages.none'),
  );

  // 9. Audit trail
  heading('audit', t('intro.audit'));
  table(
    [{ header: t('columns.when'), width: 0.17 }, { header: t('columns.what'), width: 0.2 }, { header: t('columns.by'), width: 0.18 }, { header: t('columns.changes'), width: 0.45 }],
    model.audit.map((e) => [
      instant(e.at), `${t(`auditActions.${e.action}`)}\n${t(`auditRecords.${e.entityType}`)}`,
      [e.by, e.role ? translate(locale, `roles.${e.role}`) : null].filter(Boolean).join('\n') || '—',
      changesText(e.changes),
    ]),
    t('audit.none'),
  );

  const footer = `${translate(locale, 'reports.footer.generated', { at: formatDateTime(generatedAt, locale, meta.timezone), by: meta.generatedBy })} · ${t('confidentialShort')}`;
  stampFooters(w, `${name} · ${meta.homeName}`, footer, (page, pages) => translate(locale, 'reports.footer.page', { page, pages }), locale);
  doc.end();
  return finished;
}

/** "staffNote: (none) → Tired after lunch": each changed field on a line, long values cut. */
function changesText(changes: Record<string, { old: unknown; new: unknown }> | null): string {
  if (!changes) return '—';
  const shown = (value: unknown) => {
    if (value === null || value === undefined) return '—';
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return text.length > AUDIT_VALUE_CHARS ? `${text.slice(0, AUDIT_VALUE_CHARS)}…` : text;
  };
  return Object.entries(changes).map(([field, change]) => `${field}: ${shown(change.old)} → ${shown(change.new)}`).join('\n');
}
