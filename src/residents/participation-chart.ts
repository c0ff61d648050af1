import type { WeeklyParticipation } from './resident-activity-facts';

/*
 * A resident's weeks of participation as an inline SVG drawn on the server (no script): one bar per
 * week, stacked by engagement level in the app's engagement colours (classes in app.css), the
 * week's total above it, and the same figures as rows of a table. Positions are computed here, so
 * the template only draws.
 */

const SLOT = 56;
const BAR = 34;
const SIDE = 8;
const TOP = 20;
const PLOT = 150;
const LABELS = 28;

export interface ParticipationChartView {
  width: number;
  height: number;
  baseline: { x1: number; x2: number; y: number };
  bars: { x: number; y: number; width: number; height: number; level: string }[];
  totals: { x: number; y: number; text: string }[];
  labels: { x: number; y: number; text: string }[];
  levels: string[];
  rows: { weekStart: string; current: boolean; cells: number[]; total: number }[];
  sums: { cells: number[]; total: number };
  recorded: number;
  weeks: number;
}

const TAGS: Record<string, string> = { en: 'en-GB', it: 'it-IT' };
const shortDays = new Map<string, Intl.DateTimeFormat>();

/** "23 Nov", "23 nov": a week's Monday under its bar. */
function shortDay(date: string, locale: string): string {
  const tag = TAGS[locale] ?? 'en-GB';
  let format = shortDays.get(tag);
  if (!format) {
    format = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', timeZone: 'UTC' });
    shortDays.set(tag, format);
  }
  const [year, month, day] = date.split('-').map(Number);
  return format.format(new Date(Date.UTC(year, month - 1, day)));
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

export function participationChartView(data: WeeklyParticipation, locale: string): ParticipationChartView {
  const max = Math.max(1, ...data.weeks.map((w) => w.total));
  const baseY = TOP + PLOT;
  const bars = data.weeks.flatMap((week, i) => {
    let top = baseY;
    return data.levels
      .filter((level) => (week.counts[level] ?? 0) > 0)
      .map((level) => {
        const height = (PLOT * week.counts[level]) / max;
        top -= height;
        return { x: SIDE + i * SLOT + (SLOT - BAR) / 2, y: round(top), width: BAR, height: round(height), level };
      });
  });
  const centre = (i: number) => SIDE + i * SLOT + SLOT / 2;
  const current = data.weeks.length - 1;
  return {
    width: SIDE * 2 + data.weeks.length * SLOT,
    height: TOP + PLOT + LABELS,
    baseline: { x1: SIDE, x2: SIDE + data.weeks.length * SLOT, y: baseY + 0.5 },
    bars,
    totals: data.weeks.map((w, i) => ({ x: centre(i), y: round(baseY - (PLOT * w.total) / max - 5), text: String(w.total) })),
    labels: data.weeks.map((w, i) => ({ x: centre(i), y: baseY + 18, text: shortDay(w.weekStart, locale) })),
    levels: [...data.levels],
    rows: data.weeks.map((w, i) => ({
      weekStart: w.weekStart, current: i === current,
      cells: data.levels.map((level) => w.counts[level] ?? 0), total: w.total,
    })),
    sums: {
      cells: data.levels.map((level) => data.weeks.reduce((sum, w) => sum + (w.counts[level] ?? 0), 0)),
      total: data.weeks.reduce((sum, w) => sum + w.total, 0),
    },
    recorded: data.weeks.reduce((sum, w) => sum + w.total, 0),
    weeks: data.weeks.length,
  };
}
