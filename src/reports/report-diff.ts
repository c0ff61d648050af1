import type { FigureRow, QuarterlyReport } from './quarterly-report.model';

/** One value that differs between two reports: where it sits in the model, and both values. */
export interface ValueChange {
  /** "current.participation.engagementByMonth[2026-07].counts.active", "figures[residentsReached].current" */
  path: string;
  old: unknown;
  new: unknown;
}

/** A single-number figure whose value for this quarter or the previous one differs from its issue. */
export interface FigureChange {
  key: string;
  unit: FigureRow['unit'];
  /** Which column changed: this quarter's value, or the previous quarter's it is compared with. */
  column: 'current' | 'previous';
  old: number | null;
  new: number | null;
}

export interface ReportDifferences {
  /** Labelled figures (the report's flat list), in reading order. */
  figures: FigureChange[];
  /** Every other value of the model that differs (tables, lists, fields added later), path by path. */
  details: ValueChange[];
}

/**
 * Fields that say which element of a list an object is, so that a list compared after a reordering
 * (or with one element more) pairs the same resident, month or cell rather than the same position.
 */
const IDENTITY_FIELDS = [['key'], ['residentId'], ['volunteerId'], ['month'], ['perspective'], ['score'], ['phase', 'actorType']];

/** What is about the printing rather than the figures: when, by whom, and the flat list (compared on its own). */
const NOT_FIGURES = new Set(['meta.generatedAt', 'meta.generatedBy', 'figures']);

/** The identity an element of a list is paired by (and named by in a path), or null when it has none. */
export function identityOf(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  for (const fields of IDENTITY_FIELDS) {
    if (fields.every((f) => f in record && (typeof record[f] === 'string' || typeof record[f] === 'number'))) {
      return fields.map((f) => String(record[f])).join('/');
    }
  }
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Walks two JSON values side by side and lists every leaf that differs. Objects are compared key by
 * key (a key on one side only is a change from or to `undefined`); lists of identifiable objects by
 * identity, other lists by position. Walking the JSON rather than naming fields means a field added
 * to the model later is compared too.
 */
export function jsonChanges(before: unknown, after: unknown, path = '', skip: ReadonlySet<string> = new Set()): ValueChange[] {
  if (skip.has(path)) return [];
  if (Array.isArray(before) && Array.isArray(after)) {
    const ids = [...before, ...after].map(identityOf);
    if (ids.every((id) => id !== null) && new Set(before.map(identityOf)).size === before.length && new Set(after.map(identityOf)).size === after.length) {
      const order = [...new Set(ids as string[])];
      const byId = (list: unknown[]) => new Map(list.map((item) => [identityOf(item)!, item]));
      const [b, a] = [byId(before), byId(after)];
      return order.flatMap((id) => jsonChanges(b.get(id), a.get(id), `${path}[${id}]`, skip));
    }
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => jsonChanges(before[i], after[i], `${path}[${i}]`, skip)).flat();
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => jsonChanges(before[key], after[key], path ? `${path}.${key}` : key, skip));
  }
  if (before === after) return [];
  // A whole branch on one side only (a list that was null, an object added later) is one change.
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path, old: before, new: after }];
}

/**
 * What differs between an issued report and the same quarter computed now: the labelled figures,
 * then every other value of the model (engagement by month, the lists, fields the model gained).
 * When and by whom each was generated is not a difference.
 */
export function reportDifferences(issued: QuarterlyReport, now: QuarterlyReport): ReportDifferences {
  const recomputed = new Map(now.figures.map((row) => [row.key, row]));
  const seen = new Set<string>();
  const figures: FigureChange[] = [];
  for (const row of [...issued.figures, ...now.figures]) {
    if (seen.has(row.key)) continue;
    seen.add(row.key);
    const before = issued.figures.find((r) => r.key === row.key);
    const after = recomputed.get(row.key);
    for (const column of ['current', 'previous'] as const) {
      const old = before?.[column] ?? null;
      const value = after?.[column] ?? null;
      if (old !== value) figures.push({ key: row.key, unit: row.unit, column, old, new: value });
    }
  }
  return { figures, details: jsonChanges(issued, now, '', NOT_FIGURES) };
}

/** True when nothing but the moment of printing differs. */
export function noDifferences(d: ReportDifferences): boolean {
  return d.figures.length === 0 && d.details.length === 0;
}
