import { translate } from '../common/i18n/i18n';
import { toCsv } from '../reports/report-csv-cell';
import { figureUnit } from '../reports/report-figures';
import { formatQuarter } from '../common/views/format';
import { formatNumber, formatValue } from '../reports/report-format';
import { hoursOf, meanOf, percentOf } from '../reports/report-maths';
import type { HomeHeadlines } from '../reports/report.service';

/*
 * The group view (docs/groups.md): one row per home with its headline figures for a quarter, the
 * group's totals, sorting and the CSV. Every figure is a figure of the quarterly report, under its
 * key and unit there, computed from the same counts with the same maths (report-maths.ts).
 */

/** The figures, in column order: the report's keys. */
export const GROUP_FIGURES = [
  'residentsInQuarter', 'activitiesHeld', 'attended', 'residentsReached', 'residentsReachedPercent',
  'coProducedActivities', 'coProducedShare', 'totalHours', 'suggestionsReceived', 'feedbackCount', 'feedbackMeanRating',
] as const;
export type GroupFigure = (typeof GROUP_FIGURES)[number];

/** The columns on the page (the CSV has every figure): a count that a percentage beside it explains is left to the CSV. */
const PAGE_FIGURES: readonly GroupFigure[] = [
  'residentsInQuarter', 'activitiesHeld', 'attended', 'residentsReachedPercent', 'coProducedShare', 'totalHours', 'suggestionsReceived', 'feedbackMeanRating',
];

export const GROUP_SORTS = ['name', ...GROUP_FIGURES] as const;
export type GroupSort = (typeof GROUP_SORTS)[number];
export const SORT_DIRECTIONS = ['asc', 'desc'] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];

export type FigureValues = Record<GroupFigure, number | null>;

export interface GroupRow {
  homeId: string;
  name: string;
  values: FigureValues;
  /** Residents reached below the group's threshold. */
  flagged: boolean;
}

export interface GroupTable {
  rows: GroupRow[];
  totals: FigureValues;
}

/** The counts the figures are made of, summed: what a group's totals are computed from. */
type Counts = Omit<HomeHeadlines, 'homeId' | 'countedTo' | 'inProgress'>;

/**
 * Figures from counts. A percentage or a mean of several homes is recomputed from their summed
 * numerators and denominators (never an average of the homes' percentages), so a total reads as if
 * the group were one home.
 */
function figuresOf(c: Counts): FigureValues {
  return {
    residentsInQuarter: c.residentsInQuarter,
    activitiesHeld: c.activitiesHeld,
    attended: c.attended,
    residentsReached: c.residentsReached,
    residentsReachedPercent: percentOf(c.residentsReached, c.residentsInQuarter),
    coProducedActivities: c.coProducedActivities,
    coProducedShare: percentOf(c.coProducedActivities, c.activitiesHeld),
    totalHours: hoursOf(c.contributionMinutes),
    suggestionsReceived: c.suggestionsReceived,
    feedbackCount: c.feedbackCount,
    feedbackMeanRating: meanOf(c.feedbackRatingSum, c.feedbackCount),
  };
}

const COUNT_KEYS = [
  'residentsInQuarter', 'activitiesHeld', 'attended', 'residentsReached', 'coProducedActivities', 'contributionMinutes',
  'suggestionsReceived', 'feedbackCount', 'feedbackRatingSum',
] as const satisfies readonly (keyof Counts)[];

/**
 * The rows, sorted, and the totals. Rows sort by the column asked for; a home without a value (a
 * percentage of nothing) goes last either way; equal values by name.
 */
export function groupTable(
  homes: readonly { id: string; name: string }[], figures: Map<string, HomeHeadlines>, threshold: number | null, sort: GroupSort, dir: SortDirection,
): GroupTable {
  const sums = Object.fromEntries(COUNT_KEYS.map((key) => [key, 0])) as Counts;
  const rows = homes.map((home): GroupRow => {
    const counts = figures.get(home.id);
    if (!counts) throw new Error(`No figures for home ${home.id}`);
    for (const key of COUNT_KEYS) sums[key] += counts[key];
    const values = figuresOf(counts);
    const reached = values.residentsReachedPercent;
    return { homeId: home.id, name: home.name, values, flagged: threshold !== null && reached !== null && reached < threshold };
  });
  const sign = dir === 'asc' ? 1 : -1;
  const byName = (a: GroupRow, b: GroupRow) => a.name.localeCompare(b.name, 'it') || a.homeId.localeCompare(b.homeId);
  rows.sort((a, b) => {
    if (sort === 'name') return sign * byName(a, b);
    const x = a.values[sort];
    const y = b.values[sort];
    if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1;
    return sign * (x - y) || byName(a, b);
  });
  return { rows, totals: figuresOf(sums) };
}

export interface GroupViewInput {
  group: { id: string; name: string; reachedThreshold: number | null };
  quarter: string;
  quarters: string[];
  inProgress: boolean;
  table: GroupTable;
  sort: GroupSort;
  dir: SortDirection;
  canEditSettings: boolean;
}

/** Where the page is, with another sort: the column's own link (a second click turns it round). */
function viewHref(groupId: string, quarter: string, sort: GroupSort, dir: SortDirection): string {
  return `/groups/${groupId}?quarter=${encodeURIComponent(quarter)}&sort=${sort}&dir=${dir}`;
}

/** The page's model: labels, formatted cells, sort links and the report links, in the reader's language. */
export function groupPageView(input: GroupViewInput, locale: string) {
  const { group, quarter, table, sort, dir } = input;
  const t = (key: string, params: Record<string, unknown> = {}) => translate(locale, key, params);
  const cell = (key: GroupFigure, values: FigureValues) => {
    const text = formatValue(values[key], figureUnit(key), locale);
    // A percentage says what it is a share of: "12 · 60.0%".
    if (key === 'residentsReachedPercent') return { text, detail: formatNumber(values.residentsReached, 'count', locale) };
    if (key === 'coProducedShare') return { text, detail: formatNumber(values.coProducedActivities, 'count', locale) };
    return { text, detail: null };
  };
  const column = (key: GroupSort) => {
    const current = sort === key;
    const nextDir: SortDirection = current ? (dir === 'asc' ? 'desc' : 'asc') : key === 'name' ? 'asc' : 'desc';
    return {
      key, label: key === 'name' ? t('groups.home') : t(`reports.figures.${key}`), href: viewHref(group.id, quarter, key, nextDir),
      sort: current ? (dir === 'asc' ? 'ascending' : 'descending') : 'none', numeric: key !== 'name',
    };
  };
  return {
    title: group.name,
    group,
    quarter,
    inProgress: input.inProgress,
    quarterOptions: input.quarters.map((q) => ({ value: q, label: formatQuarter(q, locale), selected: q === quarter })),
    sort, dir,
    columns: [column('name'), ...PAGE_FIGURES.map(column)],
    rows: table.rows.map((row) => ({
      name: row.name, flagged: row.flagged,
      reportHref: `/reports/quarterly?homeId=${encodeURIComponent(row.homeId)}&quarter=${encodeURIComponent(quarter)}`,
      cells: PAGE_FIGURES.map((key) => cell(key, row.values)),
    })),
    totals: PAGE_FIGURES.map((key) => cell(key, table.totals)),
    homeCount: table.rows.length,
    flaggedCount: table.rows.filter((row) => row.flagged).length,
    threshold: group.reachedThreshold,
    csvHref: `/groups/${group.id}/homes.csv?quarter=${encodeURIComponent(quarter)}&sort=${sort}&dir=${dir}`,
    canEditSettings: input.canEditSettings,
  };
}

/**
 * The same table as CSV, in the page's order: every figure as a plain number (separators of the reader's language, toCsv),
 * labels in the reader's language, each home's name neutralised against formula injection
 * (report-csv-cell.ts), and the totals last.
 */
export function groupCsv(group: { name: string }, quarter: string, table: GroupTable, locale: string): string {
  const header = [translate(locale, 'groups.home'), translate(locale, 'reports.csv.columns.quarter'), ...GROUP_FIGURES.map((key) => translate(locale, `reports.figures.${key}`)), translate(locale, 'groups.flagged')];
  const rows = table.rows.map((row) => [row.name, quarter, ...GROUP_FIGURES.map((key) => row.values[key]), row.flagged ? 1 : 0]);
  rows.push([translate(locale, 'groups.totalOf', { name: group.name }), quarter, ...GROUP_FIGURES.map((key) => table.totals[key]), null]);
  return toCsv(header, rows, locale);
}
