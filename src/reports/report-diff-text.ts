import { translate } from '../common/i18n/i18n';
import { formatDateTime, formatQuarterShort } from '../common/views/format';
import type { FigureUnit, QuarterlyReport } from './quarterly-report.model';
import { identityOf, ValueChange } from './report-diff';
import { figureUnit } from './report-figures';
import { dateLabel, figureLabel, formatNumber, formatValue, monthLabel, NO_VALUE, tag } from './report-format';

/*
 * A value changed since issue, in words: "This quarter · Fair share · Carla Conti · Days in quarter:
 * 24 → 25" rather than `current.fairShare.rows[3f2a…].days: 24 → 25`. Each step of the model's path
 * is named with the report's own labels (sections, columns, charts, figures, phases, actors,
 * engagement levels), a list's element by what it is (a resident's or a volunteer's name, a month, a
 * phase and actor), and the values are written as the report writes them. A step the model gained
 * after this was written reads as a readable form of its key, never as the dotted path.
 */

/** A detail of the page: the words, and the model's path for whoever needs it (a `title` attribute). */
export interface ChangeText {
  path: string;
  text: string;
}

/** How a leaf's value reads: a figure as the summary line writes it, a table's number, or a kind of text. */
type ValueKind = { figure: string } | { unit: FigureUnit } | 'date' | 'quarter' | 'flag' | 'text';

interface Spec {
  /** Words for this step; none for a step that only groups (a figure's count and percent, a month's counts). */
  label?: (locale: string) => string;
  /** Words for the step when the change is the whole of it and it has no label of its own (a list added). */
  whole?: (locale: string) => string;
  value?: ValueKind;
  fields?: Record<string, Spec>;
  /** Any key of an object keyed by codes (actor types, engagement levels). */
  byKey?: (key: string) => Spec;
  /** A list's element, from its identity in the path and the element itself. */
  element?: (id: string, element: Record<string, unknown> | undefined) => Spec;
}

type Step = { key: string } | { id: string };

/** Whether a catalogue has the text (translate answers the key itself when none has). */
function known(key: string, locale: string): boolean {
  return translate(locale, key) !== key;
}

/** "wellbeingCoverage" -> "Wellbeing coverage", "co_design" -> "Co design": a key no label names yet. */
export function readableKey(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_\-./]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const CODE_LABELS = ['engagement', 'actors', 'phases', 'sources', 'perspectives', 'domains', 'buckets', 'gas'];

/** A code's label wherever the report names codes of its kind; a readable key otherwise. */
function codeLabel(code: string, locale: string, groups = CODE_LABELS): string {
  const group = groups.find((g) => known(`reports.${g}.${code}`, locale));
  return group ? translate(locale, `reports.${group}.${code}`) : readableKey(code);
}

const r = (key: string) => (locale: string) => translate(locale, `reports.${key}`);
const detail = (key: string) => (locale: string) => translate(locale, `reports.issued.detail.fields.${key}`);

/** A single-number figure of the report: its label and its unit, as the summary line above writes it. */
function fig(key: string): Spec {
  return { label: (locale) => (known(`reports.figures.${key}`, locale) ? figureLabel(key, locale) : readableKey(key)), value: { figure: key } };
}

function col(key: string, value: ValueKind): Spec {
  return { label: r(`columns.${key}`), value };
}

function code(group: string, key: string, value: ValueKind = { unit: 'count' }): Spec {
  return { label: (locale) => codeLabel(key, locale, [group]), value };
}

const ENGAGEMENT_COUNTS: Spec = { byKey: (level) => code('engagement', level) };

/** A row named by its person: their name in the copy with names, "Resident" or "Volunteer" otherwise (never the id). */
function person(element: Record<string, unknown> | undefined, fallback: string) {
  const name = typeof element?.name === 'string' && element.name.trim() !== '' ? element.name : null;
  return (locale: string) => name ?? translate(locale, `reports.columns.${fallback}`);
}

const FAIR_SHARE_ROW = (_id: string, row: Record<string, unknown> | undefined): Spec => ({
  label: person(row, 'resident'),
  fields: {
    name: col('resident', 'text'), days: col('days', { unit: 'count' }), attended: col('attended', { unit: 'count' }), perWeek: col('perWeek', { unit: 'perWeek' }),
    counts: ENGAGEMENT_COUNTS,
  },
});

const VOLUNTEER_CHECK = (_id: string, row: Record<string, unknown> | undefined): Spec => ({
  label: person(row, 'volunteer'),
  fields: { name: col('volunteer', 'text'), expiresOn: col('expiresOn', 'date') },
});

/** The report's sections, as the model holds them (QuarterFigures), with the labels the page and the PDF use. */
const SECTIONS: Record<string, Spec> = {
  participation: {
    label: r('sections.participation'),
    fields: {
      residentsInQuarter: fig('residentsInQuarter'), activitiesHeld: fig('activitiesHeld'), participationsRecorded: fig('participationsRecorded'), attended: fig('attended'),
      residentsReached: { fields: { count: fig('residentsReached'), percent: fig('residentsReachedPercent') } },
      engagementByMonth: {
        label: r('charts.engagementByMonth'),
        element: (month) => ({ label: (locale) => (/^\d{4}-\d{2}$/.test(month) ? monthLabel(month, locale) : readableKey(month)), fields: { counts: ENGAGEMENT_COUNTS, total: col('total', { unit: 'count' }) } }),
      },
      // The totals row of the engagement table (as figures their labels would read "Engagement: took part: 6 → 7").
      engagementTotals: {
        label: (locale) => `${translate(locale, 'reports.charts.engagementByMonth')} · ${translate(locale, 'reports.columns.total')}`,
        byKey: (level) => code('engagement', level),
      },
    },
  },
  coProduction: {
    label: r('sections.coProduction'),
    fields: {
      coProducedActivities: fig('coProducedActivities'), coProducedShare: fig('coProducedShare'), contributions: fig('contributions'),
      countByActor: { byKey: (actor) => fig(`contributionCount.${actor}`) },
      withoutTime: fig('contributionsWithoutTime'),
      withoutTimeByActor: { label: r('withoutTimeTitle'), byKey: (actor) => code('actors', actor) },
      // Listed by position: each element says its source.
      withoutTimeBySource: {
        label: r('withoutTimeTitle'),
        element: (i, row) => ({
          label: (locale) => (typeof row?.source === 'string' ? codeLabel(row.source, locale, ['sources']) : elementLabel(i, row, locale)),
          fields: { count: col('count', { unit: 'count' }), source: col('source', 'text') },
        }),
      },
      hoursByActor: { byKey: (actor) => fig(`hours.${actor}`) },
      totalHours: fig('totalHours'),
      phaseActor: {
        whole: r('charts.phaseActor'),
        element: (id, cell) => {
          const [phase, actor] = typeof cell?.phase === 'string' && typeof cell.actorType === 'string' ? [cell.phase, cell.actorType] : id.split('/');
          return {
            label: (locale) => translate(locale, 'reports.issued.detail.phaseActor', {
              phase: codeLabel(phase, locale, ['phases']), actor: codeLabel(actor ?? '', locale, ['actors']).toLocaleLowerCase(tag(locale)),
            }),
            fields: { count: col('count', { unit: 'count' }), minutes: col('minutes', { unit: 'count' }), hours: col('hours', { unit: 'hours' }) },
          };
        },
      },
    },
  },
  fairShare: {
    label: r('sections.fairShare'),
    fields: {
      residents: fig('residentsInQuarter'),
      buckets: { element: (bucket) => ({ fields: { count: fig(`fairShare.${bucket}`) }, whole: (locale) => codeLabel(bucket, locale, ['buckets']) }), whole: r('charts.fairShareDistribution') },
      belowOnePerWeek: fig('belowOnePerWeek'), needingAttentionCount: fig('needingAttention'), medianPerWeek: fig('medianPerWeek'),
      rows: { whole: r('columns.residents'), element: FAIR_SHARE_ROW },
      needingAttention: { label: r('needingAttention'), element: FAIR_SHARE_ROW },
    },
  },
  plans: {
    label: r('sections.plans'),
    fields: {
      residentsWithAgreedPlan: { fields: { count: fig('residentsWithAgreedPlan'), percent: fig('residentsWithAgreedPlanPercent') } },
      reviewsOverdue: fig('reviewsOverdue'), goalsScored: fig('goalsScored'),
      goalsByScore: { whole: r('charts.goalsByScore'), element: (score) => ({ fields: { count: fig(`goals.${score}`) }, whole: (locale) => codeLabel(score, locale, ['gas']) }) },
    },
  },
  voice: {
    label: r('sections.voice'),
    fields: {
      suggestions: {
        fields: {
          received: fig('suggestionsReceived'), accepted: fig('suggestionsAccepted'), declined: fig('suggestionsDeclined'), pending: fig('suggestionsPending'),
          medianDaysToAnswer: fig('medianDaysToAnswer'),
        },
      },
      feedback: { fields: { count: fig('feedbackCount'), meanRating: fig('feedbackMeanRating') } },
      wellbeing: {
        whole: r('wellbeingTitle'),
        element: (perspective) => ({
          whole: (locale) => codeLabel(perspective, locale, ['perspectives']),
          fields: {
            count: fig(`wellbeing.${perspective}.count`),
            means: { byKey: (domain) => fig(`wellbeing.${perspective}.${domain}`) },
          },
        }),
      },
      wellbeingCoverage: { fields: { count: fig('wellbeingCoverage'), percent: fig('wellbeingCoveragePercent') } },
    },
  },
  volunteers: {
    label: r('sections.volunteers'),
    fields: {
      active: fig('volunteersActive'), contributing: fig('volunteersContributing'), hours: fig('volunteerHours'),
      checksExpiring: fig('checksExpiring'), checksExpired: fig('checksExpired'), checksMissing: fig('checksMissing'),
      expiringChecks: { label: r('expiringChecks'), element: VOLUNTEER_CHECK },
      missingChecks: { label: r('noCheckOnRecord'), element: VOLUNTEER_CHECK },
    },
  },
};

/** A quarter's figures: its sections, and the days it counts. */
function quarterSpec(label: (locale: string) => string): Spec {
  return {
    label,
    fields: {
      ...SECTIONS,
      quarter: { label: r('quarter'), value: 'quarter' },
      firstDay: { label: detail('firstDay'), value: 'date' },
      lastDay: { label: detail('lastDay'), value: 'date' },
      referenceDate: { label: detail('referenceDate'), value: 'date' },
      countedTo: { label: detail('countedTo'), value: 'date' },
      daysCounted: { label: detail('daysCounted'), value: { unit: 'count' } },
      partial: { label: detail('partial'), value: 'flag' },
    },
  };
}

function modelSpec(issued: QuarterlyReport): Spec {
  return {
    fields: {
      current: quarterSpec(r('columns.thisQuarter')),
      previous: quarterSpec((locale) => translate(locale, 'reports.issued.previousColumn', {
        figure: translate(locale, 'reports.columns.previousQuarter'), quarter: formatQuarterShort(issued.meta.previousQuarter, locale),
      })),
      meta: {
        label: (locale) => translate(locale, 'reports.issued.detail.meta'),
        fields: {
          homeName: { label: r('home'), value: 'text' },
          quarter: { label: r('quarter'), value: 'quarter' },
          previousQuarter: { label: r('columns.previousQuarter'), value: 'quarter' },
          timezone: { label: r('cover.timezone'), value: 'text' },
          country: { label: (locale) => translate(locale, 'homes.country'), value: 'text' },
          withNames: { label: detail('withNames'), value: 'flag' },
          inProgress: { label: r('definitionLabels.runningQuarter'), value: 'flag' },
        },
      },
    },
  };
}

/** `current.fairShare.rows[3f2a…].days` -> the keys and the identities in brackets, in order. */
export function pathSteps(path: string): Step[] {
  return [...path.matchAll(/\[([^\]]*)\]|([^.[\]]+)/g)].map((m) => (m[1] !== undefined ? { id: m[1] } : { key: m[2] }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A list's element by the identity jsonChanges gave it (or its position, in a list of plain values). */
function elementOf(list: unknown, id: string): unknown {
  if (!Array.isArray(list)) return undefined;
  const found = list.find((item) => identityOf(item) === id);
  if (found !== undefined) return found;
  return /^\d+$/.test(id) && list.every((item) => identityOf(item) === null) ? list[Number(id)] : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Words for an element no spec describes: its name, a month, a code's label; never an id. */
function elementLabel(id: string, element: unknown, locale: string): string {
  if (isRecord(element)) {
    if (typeof element.name === 'string' && element.name.trim() !== '') return element.name;
    if ('residentId' in element) return translate(locale, 'reports.columns.resident');
    if ('volunteerId' in element) return translate(locale, 'reports.columns.volunteer');
  }
  if (/^\d{4}-\d{2}$/.test(id)) return monthLabel(id, locale);
  if (/^\d+$/.test(id) && !isRecord(element)) return translate(locale, 'reports.issued.detail.entry', { n: Number(id) + 1 });
  if (UUID.test(id)) return translate(locale, 'reports.issued.detail.unnamed');
  return id.split('/').map((part) => codeLabel(part, locale)).join(', ');
}

function plainNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(tag(locale), { maximumFractionDigits: 2, useGrouping: 'always' }).format(value);
}

/** A list or an object in a few words: "3 entries", "2 values". */
function summary(value: unknown, locale: string): string {
  if (Array.isArray(value)) return translate(locale, 'reports.issued.detail.entries', { count: value.length });
  return translate(locale, 'reports.issued.detail.values', { count: isRecord(value) ? Object.keys(value).length : 0 });
}

/** A value as the report writes it: a number in the reader's language, a date as a date, nothing as a dash. */
function valueText(value: unknown, kind: ValueKind | undefined, report: QuarterlyReport, locale: string): string {
  if (value === null || value === undefined) return NO_VALUE;
  if (Array.isArray(value) || isRecord(value)) return summary(value, locale);
  if (typeof value === 'boolean') return translate(locale, value ? 'common.yes' : 'common.no');
  if (typeof value === 'number') {
    if (kind && typeof kind === 'object' && 'figure' in kind) {
      let unit: FigureUnit | null = null;
      try {
        unit = figureUnit(kind.figure);
      } catch {
        // A figure the list does not know (yet): a plain number.
      }
      return unit ? formatValue(value, unit, locale) : plainNumber(value, locale);
    }
    if (kind && typeof kind === 'object' && 'unit' in kind) return formatNumber(value, kind.unit, locale);
    return plainNumber(value, locale);
  }
  const text = String(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return dateLabel(text, locale);
  if (/^\d{4}-Q[1-4]$/.test(text)) return formatQuarterShort(text, locale);
  if (/^\d{4}-\d{2}$/.test(text)) return monthLabel(text, locale);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return formatDateTime(text, locale, report.meta.timezone);
  return text;
}

/**
 * One change since issue in words, in the reader's language: where it is in the report (quarter,
 * section, table, the row's person or month, the column), then both values as the report writes
 * them. A list or an object added or removed is summarised ("now listed", "3 entries"), not printed.
 */
export function describeChange(change: ValueChange, issued: QuarterlyReport, now: QuarterlyReport, locale: string): ChangeText {
  const steps = pathSteps(change.path);
  const words: string[] = [];
  let spec: Spec | undefined = modelSpec(issued);
  let nodes: [unknown, unknown] = [issued, now];
  let kind: ValueKind | undefined;
  steps.forEach((step, i) => {
    const last = i === steps.length - 1;
    let next: Spec | undefined;
    let fallback: string;
    if ('key' in step) {
      next = spec?.fields?.[step.key] ?? spec?.byKey?.(step.key);
      nodes = [isRecord(nodes[0]) ? nodes[0][step.key] : undefined, isRecord(nodes[1]) ? nodes[1][step.key] : undefined];
      fallback = known(`reports.figures.${step.key}`, locale) ? figureLabel(step.key, locale) : codeLabel(step.key, locale);
    } else {
      nodes = [elementOf(nodes[0], step.id), elementOf(nodes[1], step.id)];
      const element = nodes[1] ?? nodes[0];
      next = spec?.element?.(step.id, isRecord(element) ? element : undefined);
      fallback = elementLabel(step.id, element, locale);
    }
    const label = next ? (next.label ?? (last ? next.whole : undefined)) : undefined;
    if (label) words.push(label(locale));
    else if (!next || last) words.push(fallback);
    kind = next?.value;
    spec = next;
  });

  const what = words.join(' · ');
  const t = (key: string, params: Record<string, unknown>) => translate(locale, `reports.issued.detail.${key}`, params);
  const composite = (v: unknown) => Array.isArray(v) || isRecord(v);
  const absent = (v: unknown) => v === undefined || v === null;
  const inList = 'id' in (steps[steps.length - 1] ?? {});
  let text: string;
  if (composite(change.new) && absent(change.old)) {
    text = inList ? t('listed', { what }) : t('added', { what, summary: summary(change.new, locale) });
  } else if (composite(change.old) && absent(change.new)) {
    text = inList ? t('unlisted', { what }) : t('removed', { what, summary: summary(change.old, locale) });
  } else {
    text = t('change', { what, old: valueText(change.old, kind, issued, locale), new: valueText(change.new, kind, issued, locale) });
  }
  return { path: change.path, text };
}
