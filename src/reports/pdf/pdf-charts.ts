import { COLOURS, FONTS, PdfWriter } from './pdf-layout';

/*
 * Charts drawn as vector paths (rectangles and lines) with real text labels, so they print sharp
 * and their numbers can be searched and copied. Every chart also writes its values as text.
 */

export interface Series {
  key: string;
  label: string;
  colour: string;
}

export interface StackedBar {
  label: string;
  values: Record<string, number>;
}

/** The top of a count axis with four even, whole, round steps (1, 2, 2.5, 3, 4, 5, 6, 8 x 10^n). */
export function niceMax(value: number): number {
  const raw = value / 4;
  if (raw <= 1) return 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 3, 4, 5, 6, 8, 10].map((m) => m * power).find((s) => s >= raw && Number.isInteger(s))!;
  return step * 4;
}

function gridLines(w: PdfWriter, x: number, y: number, width: number, height: number, max: number, format: (n: number) => string): void {
  const ticks = 4;
  for (let i = 0; i <= ticks; i += 1) {
    const value = (max * i) / ticks;
    const ty = y + height - (height * i) / ticks;
    w.doc.moveTo(x, ty).lineTo(x + width, ty).lineWidth(i === 0 ? 0.8 : 0.4).strokeColor(i === 0 ? COLOURS.rule : COLOURS.border).stroke();
    w.textAt(format(value), x - 34, ty - 4, { width: 30, align: 'right', size: 7.5, colour: COLOURS.muted });
  }
}

function legend(w: PdfWriter, series: Series[], y: number): number {
  let x = w.left;
  let row = y;
  for (const s of series) {
    w.doc.font(FONTS.regular).fontSize(8);
    const itemWidth = 14 + w.doc.widthOfString(s.label) + 16;
    if (x + itemWidth > w.left + w.width) {
      x = w.left;
      row += 14;
    }
    w.doc.rect(x, row + 1, 9, 9).fill(s.colour);
    w.textAt(s.label, x + 13, row + 1.5, { size: 8, colour: COLOURS.text });
    x += itemWidth;
  }
  return row + 14 - y;
}

/** Vertical stacked bars (engagement by month), with each bar's total above it and a legend. */
export function stackedBars(w: PdfWriter, bars: StackedBar[], series: Series[], format: (n: number) => string): void {
  const height = 150;
  const plotX = w.left + 40;
  const plotWidth = w.width - 40;
  w.ensure(height + 60);
  const top = w.y + 10;
  const max = niceMax(Math.max(0, ...bars.map((b) => series.reduce((sum, s) => sum + (b.values[s.key] ?? 0), 0))));
  gridLines(w, plotX, top, plotWidth, height, max, format);
  const slot = plotWidth / bars.length;
  const barWidth = Math.min(70, slot * 0.5);
  bars.forEach((bar, i) => {
    const x = plotX + slot * i + (slot - barWidth) / 2;
    let y = top + height;
    let total = 0;
    for (const s of series) {
      const value = bar.values[s.key] ?? 0;
      total += value;
      if (value <= 0) continue;
      const h = (height * value) / max;
      y -= h;
      w.doc.rect(x, y, barWidth, h).fill(s.colour);
      // Segments tall enough carry their own number, in white on the darker colours.
      if (h >= 11) w.textAt(format(value), x, y + h / 2 - 3.5, { width: barWidth, align: 'center', size: 7, colour: s.colour === COLOURS.primary || s.colour === '#b4440e' ? COLOURS.white : COLOURS.text });
    }
    w.textAt(format(total), x - 10, y - 12, { width: barWidth + 20, align: 'center', size: 8, font: FONTS.bold });
    w.textAt(bar.label, plotX + slot * i, top + height + 5, { width: slot, align: 'center', size: 8.5 });
  });
  w.y = top + height + 22;
  w.y += legend(w, series, w.y) + 10;
}

export interface BarItem {
  label: string;
  value: number;
  display: string;
  colour: string;
}

/** Horizontal bars (hours by actor type, goals by score): label, bar, value. */
export function horizontalBars(w: PdfWriter, items: BarItem[], options: { labelWidth?: number } = {}): void {
  const labelWidth = options.labelWidth ?? 130;
  const rowHeight = 20;
  const valueWidth = 60;
  const barSpace = w.width - labelWidth - valueWidth - 10;
  w.ensure(items.length * rowHeight + 10);
  const max = Math.max(0, ...items.map((i) => i.value));
  for (const item of items) {
    const y = w.y;
    w.textAt(item.label, w.left, y + 5, { width: labelWidth - 8, size: 8.5 });
    w.doc.rect(w.left + labelWidth, y + 3, barSpace, rowHeight - 6).fill(COLOURS.surfaceAlt);
    const length = max === 0 ? 0 : (barSpace * item.value) / max;
    if (length > 0) w.doc.rect(w.left + labelWidth, y + 3, Math.max(length, 1.5), rowHeight - 6).fill(item.colour);
    w.textAt(item.display, w.left + labelWidth + barSpace + 8, y + 5, { width: valueWidth, size: 8.5, font: FONTS.bold });
    w.y = y + rowHeight;
  }
  w.y += 8;
}

export interface Histogram {
  label: string;
  count: number;
  highlight: boolean;
}

/** Vertical bars of counts (fair-share bands); the highlighted ones (needing attention) in amber. */
export function histogram(w: PdfWriter, bins: Histogram[], legendText: string): void {
  const height = 120;
  const plotX = w.left + 40;
  const plotWidth = w.width - 40;
  w.ensure(height + 56);
  const top = w.y + 12;
  const max = niceMax(Math.max(0, ...bins.map((b) => b.count)));
  gridLines(w, plotX, top, plotWidth, height, max, String);
  const slot = plotWidth / bins.length;
  const barWidth = slot * 0.62;
  bins.forEach((bin, i) => {
    const x = plotX + slot * i + (slot - barWidth) / 2;
    const h = (height * bin.count) / max;
    if (h > 0) w.doc.rect(x, top + height - h, barWidth, h).fill(bin.highlight ? '#e0b35a' : COLOURS.primary);
    w.textAt(String(bin.count), x, top + height - h - 11, { width: barWidth, align: 'center', size: 8, font: FONTS.bold });
    w.textAt(bin.label, plotX + slot * i, top + height + 5, { width: slot, align: 'center', size: 8 });
  });
  w.y = top + height + 22;
  w.doc.rect(w.left, w.y + 1, 9, 9).fill('#e0b35a');
  w.textAt(legendText, w.left + 13, w.y + 1.5, { size: 8 });
  w.y += 22;
}

export interface HeatCell {
  count: number;
  hours: number;
  text: string;
}

/** A grid of rows x columns shaded by hours (phase x actor type), each cell with its count and hours. */
export function heatmap(w: PdfWriter, rowLabels: string[], columnLabels: string[], cells: HeatCell[][], corner: string): void {
  const labelWidth = 120;
  const cellWidth = (w.width - labelWidth) / columnLabels.length;
  const cellHeight = 30;
  w.ensure(22 + rowLabels.length * cellHeight + 10);
  const max = Math.max(0, ...cells.flat().map((c) => c.hours));
  w.textAt(corner, w.left, w.y + 5, { width: labelWidth - 6, size: 8, colour: COLOURS.muted });
  columnLabels.forEach((label, i) => w.textAt(label, w.left + labelWidth + i * cellWidth, w.y + 5, { width: cellWidth, align: 'center', size: 8.5, font: FONTS.bold }));
  w.y += 20;
  rowLabels.forEach((label, r) => {
    const y = w.y;
    w.textAt(label, w.left, y + 10, { width: labelWidth - 6, size: 8.5, font: FONTS.bold });
    columnLabels.forEach((_, c) => {
      const cell = cells[r][c];
      const share = max === 0 ? 0 : cell.hours / max;
      const x = w.left + labelWidth + c * cellWidth;
      // From the page colour to the report's teal; white text once the cell is dark.
      w.doc.save();
      w.doc.rect(x + 1, y + 1, cellWidth - 2, cellHeight - 2).fill(COLOURS.surfaceAlt);
      if (share > 0) w.doc.fillOpacity(0.12 + 0.88 * share).rect(x + 1, y + 1, cellWidth - 2, cellHeight - 2).fill(COLOURS.primary);
      w.doc.restore();
      w.textAt(cell.text, x, y + 10, { width: cellWidth, align: 'center', size: 8.5, colour: share > 0.5 ? COLOURS.white : COLOURS.text, font: cell.count > 0 ? FONTS.bold : FONTS.regular });
    });
    w.y = y + cellHeight;
  });
  w.y += 10;
}
