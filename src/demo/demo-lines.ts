/**
 * A line of the demo's words (a note, a comment): for any activity, or only for activities of some
 * types (a bingo win belongs to bingo), and the ratings it can go with (a delighted comment is not
 * given two stars). Plain text fits every activity and every rating.
 */
export type DemoLine = string | { text: string; types?: string[]; ratings?: number[] };

/** The lines that fit an activity of this type (its name, as programme.json names it); `null` (no comment) fits all. */
export function linesFor<T extends DemoLine | null>(lines: readonly T[], typeName: string): T[] {
  const fitting = lines.filter((line) => line === null || typeof line === 'string' || !line.types || line.types.includes(typeName));
  if (fitting.length === 0) throw new Error(`No demo line fits an activity of type "${typeName}": add one for any activity`);
  return fitting;
}

export function lineText(line: DemoLine | null): string | null {
  return line === null ? null : typeof line === 'string' ? line : line.text;
}

/** The ratings a line goes with, or undefined when any does. */
export function lineRatings(line: DemoLine | null): number[] | undefined {
  return line !== null && typeof line === 'object' && line.ratings && line.ratings.length > 0 ? line.ratings : undefined;
}
