import { ENGAGEMENTS, Engagement } from './activities.enums';

/** Participation counted per engagement level in one period (a week, a month). */
export interface EngagementTally {
  /** The period's key: "2026-11" for a month, its Monday "2026-11-23" for a week. */
  key: string;
  counts: Record<Engagement, number>;
  total: number;
}

export function zeroEngagements(): Record<Engagement, number> {
  return Object.fromEntries(ENGAGEMENTS.map((e) => [e, 0])) as Record<Engagement, number>;
}

/**
 * Counts participation rows per engagement level into periods, in the order given, every period
 * present (zeros included). The one count behind a resident's weeks on their page and months in
 * their summary; a row whose period is not listed is not counted.
 */
export function tallyEngagements(periods: readonly string[], rows: readonly { period: string; engagement: Engagement }[]): EngagementTally[] {
  const byPeriod = new Map(periods.map((key) => [key, zeroEngagements()]));
  for (const row of rows) {
    const counts = byPeriod.get(row.period);
    if (counts && row.engagement in counts) counts[row.engagement] += 1;
  }
  return periods.map((key) => {
    const counts = byPeriod.get(key)!;
    return { key, counts, total: ENGAGEMENTS.reduce((sum, level) => sum + counts[level], 0) };
  });
}
