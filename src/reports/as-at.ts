/** A row of an effective-dated history: `id` orders one record's changes, `validFrom` says when each took effect. */
export interface HistoryRow {
  id: number;
  validFrom: Date;
}

/**
 * The version of one record in force at `at` (issue 18 item 2b): the last change that took effect at
 * or before it. A record entered after `at` (a volunteer added later with an earlier start date, a plan
 * agreed later on an earlier day) counts as it was first recorded; the dates people type say when it
 * began, not the history. Null when the record has no history at all: the caller takes its current
 * values.
 */
export function asAt<T extends HistoryRow>(versions: readonly T[] | undefined, at: Date): T | null {
  if (!versions || versions.length === 0) return null;
  let first: T | null = null;
  let inForce: T | null = null;
  for (const version of versions) {
    if (first === null || version.id < first.id) first = version;
    if (version.validFrom.getTime() <= at.getTime() && (inForce === null || version.id > inForce.id)) inForce = version;
  }
  return inForce ?? first;
}
