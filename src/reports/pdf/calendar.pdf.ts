import { translate } from '../../common/i18n/i18n';
import { formatDateTime } from '../../common/views/format';
import { monthLabel } from '../report-format';
import { A3_LANDSCAPE, A4_LANDSCAPE, COLOURS, FONTS, openPdf, Paper, PdfWriter, stampFooters, titleBand } from './pdf-layout';

/** One activity as the noticeboard shows it. */
export interface CalendarSheetItem {
  time: string;
  endTime: string;
  title: string;
  location: string | null;
}

export interface CalendarSheetDay {
  /** Local date, "2026-11-24". */
  date: string;
  /** False for the days of other months that fill a month's first and last weeks. */
  inPeriod: boolean;
  items: CalendarSheetItem[];
}

/** A printable week or month: whole weeks, Monday first, with each day's activities in time order. */
export interface CalendarSheet {
  view: 'week' | 'month';
  homeName: string;
  /** Null for every unit of the home. */
  unitName: string | null;
  timezone: string;
  /** The week's Monday, or the month's first day. */
  first: string;
  last: string;
  days: CalendarSheetDay[];
  generatedAt: string;
  generatedBy: string;
}

export interface CalendarPdfOptions {
  locale: string;
  /** A4 by default; A3 for a larger noticeboard. */
  paper?: Paper;
}

/**
 * Sizes tried from the largest down; every activity title stays at 14 points or more, and every
 * activity says where (the place at 12 points at least). Times stay at 14 points or less, where
 * "15:30–16:30" in DejaVu Sans Bold keeps to one line of a day's column.
 */
const WEEK_TIERS = [
  { title: 20, time: 14, location: 14 },
  { title: 18, time: 14, location: 13 },
  { title: 16, time: 13, location: 12 },
  { title: 14, time: 12, location: 12 },
] as const;
const MONTH_TIERS = [16, 14] as const;
type WeekTier = (typeof WEEK_TIERS)[number];

const PAD = 6;
const ITEM_GAP = 9;
const HEADER_BOTTOM = 104;
const WEEK_HEAD = 46;
const MONTH_HEAD = 26;
const DAY_NUMBER = 24;
const MIN_WEEK_ROW = 64;
/** The "+ 2 more" line at the foot of a full day of the month. */
const MORE_LINE = 18;

function tag(locale: string): string {
  return locale === 'it' ? 'it-IT' : 'en-GB';
}

function utcDate(date: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day));
}

function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

function weekday(date: string, locale: string, style: 'long' | 'short'): string {
  return capitalise(new Intl.DateTimeFormat(tag(locale), { weekday: style, timeZone: 'UTC' }).format(utcDate(date)));
}

/** "23–29 November 2026", "30 November – 6 December 2026", "29 December 2025 – 4 January 2026". */
function weekRange(first: string, last: string, locale: string): string {
  const format = (date: string, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(tag(locale), { ...options, timeZone: 'UTC' }).format(utcDate(date));
  const end = format(last, { day: 'numeric', month: 'long', year: 'numeric' });
  // ICU's own ranges write "07–13 gennaio" in Italian; these read as a noticeboard should.
  if (first.slice(0, 7) === last.slice(0, 7)) return `${Number(first.slice(8))}–${end}`;
  if (first.slice(0, 4) === last.slice(0, 4)) return `${format(first, { day: 'numeric', month: 'long' })} – ${end}`;
  return `${format(first, { day: 'numeric', month: 'long', year: 'numeric' })} – ${end}`;
}

/**
 * The activity calendar for a noticeboard: A4 (or A3) across, large type, one week in seven columns
 * or a month as a grid. A month is always one sheet (a day's cell counts what it cannot hold); a
 * week's day too full for one page continues on the next, under the same headings.
 */
export function renderCalendarPdf(sheet: CalendarSheet, options: CalendarPdfOptions, out: NodeJS.WritableStream): Promise<void> {
  const { locale } = options;
  const t = (key: string, params: Record<string, unknown> = {}) => translate(locale, `reports.calendarPdf.${key}`, params);
  const period = sheet.view === 'week' ? t('week', { range: weekRange(sheet.first, sheet.last, locale) }) : monthLabel(sheet.first.slice(0, 7), locale);
  const unit = sheet.unitName ? t('unit', { name: sheet.unitName }) : t('allUnits');
  const { doc, finished } = openPdf(out, {
    locale,
    landscape: true,
    paper: options.paper,
    title: `${t('title')} – ${sheet.homeName} – ${period}`,
    author: sheet.generatedBy,
    subject: `${sheet.homeName}, ${unit}`,
    createdAt: new Date(sheet.generatedAt),
  });
  const w = new PdfWriter(doc, options.paper === 'a3' ? A3_LANDSCAPE : A4_LANDSCAPE);
  const header = (continued: boolean) => {
    titleBand(w, { kicker: t('kicker'), title: sheet.homeName, height: 64, top: 13, titleSize: 24, pageWidth: A4_LANDSCAPE.width });
    const heading = continued ? `${period} ${t('continued')}` : period;
    w.textAt(heading, w.left, 73, { width: w.width * 0.62, size: 19, font: FONTS.bold, colour: COLOURS.primary });
    w.textAt(unit, w.left + w.width * 0.62, 77, { width: w.width * 0.38, size: 14, align: 'right', colour: COLOURS.text });
  };

  const empty = sheet.days.every((d) => d.items.length === 0) ? t('empty') : null;
  if (sheet.view === 'week') drawWeek(w, sheet, locale, header, empty);
  else drawMonth(w, sheet, locale, header, empty);

  const printed = t('printed', { at: formatDateTime(new Date(sheet.generatedAt), locale, sheet.timezone), by: sheet.generatedBy, zone: sheet.timezone });
  stampFooters(w, `${sheet.homeName} · ${t('title')} · ${unit}`, printed, (page, pages) => translate(locale, 'reports.footer.page', { page, pages }), locale);
  doc.end();
  return finished;
}

/** A period with nothing planned says so over the empty grid, in a box of its own (below any day numbers at `y`). */
function emptyNotice(w: PdfWriter, text: string, y: number): void {
  const box = { width: w.width / 2, height: 44 };
  const x = w.left + (w.width - box.width) / 2;
  w.doc.rect(x, y, box.width, box.height).lineWidth(0.75).fillAndStroke(COLOURS.white, COLOURS.rule);
  w.textAt(text, x, y + 14, { width: box.width, size: 14, align: 'center', colour: COLOURS.text });
}

// ---- Week ----------------------------------------------------------------------------------------

function itemHeight(w: PdfWriter, item: CalendarSheetItem, width: number, tier: WeekTier): number {
  const time = w.heightOf(`${item.time}–${item.endTime}`, width, tier.time, FONTS.bold);
  const title = w.heightOf(item.title, width, tier.title, FONTS.bold, 1);
  const location = item.location ? w.heightOf(item.location, width, tier.location) + 1 : 0;
  return time + 1 + title + location + ITEM_GAP;
}

function widestWord(w: PdfWriter, text: string, size: number): number {
  w.doc.font(FONTS.bold).fontSize(size);
  return Math.max(0, ...w.printable(text, FONTS.bold, false).split(/\s+/).map((word) => w.doc.widthOfString(word)));
}

function drawWeek(w: PdfWriter, sheet: CalendarSheet, locale: string, header: (continued: boolean) => void, empty: string | null): void {
  const columnWidth = w.width / 7;
  const textWidth = columnWidth - 2 * PAD;
  const top = HEADER_BOTTOM + WEEK_HEAD + PAD;
  const room = w.bottom - top;
  // A size fits when every day's column does and no word of a title has to be broken.
  const fits = (tier: WeekTier) => sheet.days.every((d) => d.items.reduce((sum, item) => sum + itemHeight(w, item, textWidth, tier), 0) <= room)
    && sheet.days.every((d) => d.items.every((item) => widestWord(w, item.title, tier.title) <= textWidth));
  const tier = WEEK_TIERS.find(fits) ?? WEEK_TIERS[WEEK_TIERS.length - 1];
  const nothing = translate(locale, 'reports.calendarPdf.nothingPlanned');

  // Each page takes, column by column, the items that still fit; what is left goes on the next page.
  const next = sheet.days.map(() => 0);
  for (let page = 0; page === 0 || next.some((n, i) => n < sheet.days[i].items.length); page += 1) {
    if (page > 0) w.newPage();
    header(page > 0);
    sheet.days.forEach((day, column) => {
      const x = w.left + column * columnWidth;
      w.doc.rect(x, HEADER_BOTTOM, columnWidth, WEEK_HEAD).fill(column >= 5 ? '#cfe5e1' : COLOURS.primaryTint);
      w.textAt(weekday(day.date, locale, 'long'), x + PAD, HEADER_BOTTOM + 6, { width: textWidth, size: 15, font: FONTS.bold, colour: COLOURS.primary });
      const dayLabel = new Intl.DateTimeFormat(tag(locale), { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(utcDate(day.date));
      w.textAt(dayLabel, x + PAD, HEADER_BOTTOM + 26, { width: textWidth, size: 12, colour: COLOURS.text });
      let y = top;
      if (day.items.length === 0 && page === 0) w.textAt(nothing, x + PAD, y, { width: textWidth, size: 12, colour: COLOURS.muted, font: FONTS.italic });
      while (next[column] < day.items.length) {
        const item = day.items[next[column]];
        const height = itemHeight(w, item, textWidth, tier);
        // A page always takes at least one item, so a very long title cannot stall the loop.
        if (y + height > w.bottom && y > top) break;
        y += w.textAt(`${item.time}–${item.endTime}`, x + PAD, y, { width: textWidth, size: tier.time, font: FONTS.bold, colour: COLOURS.primary }) + 1;
        y += w.textAt(item.title, x + PAD, y, { width: textWidth, size: tier.title, font: FONTS.bold, lineGap: 1 });
        if (item.location) y += w.textAt(item.location, x + PAD, y + 1, { width: textWidth, size: tier.location, colour: COLOURS.muted }) + 1;
        y += ITEM_GAP;
        next[column] += 1;
        if (next[column] < day.items.length) {
          w.doc.moveTo(x + PAD, y - ITEM_GAP / 2).lineTo(x + columnWidth - PAD, y - ITEM_GAP / 2).lineWidth(0.5).strokeColor(COLOURS.border).stroke();
        }
      }
    });
    // Column rules from the day headings to the foot of the page.
    for (let column = 1; column < 7; column += 1) {
      const x = w.left + column * columnWidth;
      w.doc.moveTo(x, HEADER_BOTTOM).lineTo(x, w.bottom).lineWidth(0.75).strokeColor(COLOURS.border).stroke();
    }
    w.doc.rect(w.left, HEADER_BOTTOM, w.width, w.bottom - HEADER_BOTTOM).lineWidth(0.75).strokeColor(COLOURS.rule).stroke();
  }
  if (empty) emptyNotice(w, empty, (top + w.bottom) / 2 - 22);
}

// ---- Month ---------------------------------------------------------------------------------------

/** "10:30 Tombola": the time in bold, the title after it, wrapping in the cell. */
function chipHeight(w: PdfWriter, item: CalendarSheetItem, width: number, size: number): number {
  // One line when the bold time and the regular title fit side by side; otherwise measured all in
  // bold, which is wider than the regular title, so the estimate never falls short.
  const time = w.doc.font(FONTS.bold).fontSize(size).widthOfString(`${w.printable(item.time, FONTS.bold, false)} `);
  const title = w.doc.font(FONTS.regular).fontSize(size).widthOfString(w.printable(item.title, FONTS.regular, false));
  if (time + title <= width) return w.doc.currentLineHeight(true) + 1 + 3;
  return w.heightOf(`${item.time} ${item.title}`, width, size, FONTS.bold, 1) + 3;
}

function cellHeight(w: PdfWriter, day: CalendarSheetDay, width: number, size: number): number {
  if (!day.inPeriod) return DAY_NUMBER;
  return DAY_NUMBER + day.items.reduce((sum, item) => sum + chipHeight(w, item, width, size), 0) + PAD;
}

function drawChip(w: PdfWriter, item: CalendarSheetItem, x: number, y: number, width: number, size: number): void {
  const { doc } = w;
  const flow = doc.y;
  doc.font(FONTS.bold).fontSize(size).fillColor(COLOURS.primary).text(`${w.printable(item.time, FONTS.bold)} `, x, y, { width, lineGap: 1, continued: true });
  doc.font(FONTS.regular).fillColor(COLOURS.text).text(w.printable(item.title, FONTS.regular), { width, lineGap: 1 });
  doc.y = flow;
}

function drawMonth(w: PdfWriter, sheet: CalendarSheet, locale: string, header: (continued: boolean) => void, empty: string | null): void {
  const columnWidth = w.width / 7;
  const textWidth = columnWidth - 2 * PAD;
  const gridTop = HEADER_BOTTOM + MONTH_HEAD;
  const room = w.bottom - gridTop;
  const weeks = Array.from({ length: sheet.days.length / 7 }, (_, i) => sheet.days.slice(i * 7, i * 7 + 7));
  const rowHeights = (size: number) => weeks.map((week) => Math.max(MIN_WEEK_ROW, ...week.map((day) => cellHeight(w, day, textWidth, size))));
  const size = MONTH_TIERS.find((s) => rowHeights(s).reduce((a, b) => a + b, 0) <= room) ?? MONTH_TIERS[MONTH_TIERS.length - 1];
  // The month is one page, whatever it holds: a noticeboard shows one sheet. Rows share the room
  // after what they need; a day with more than its cell can hold ends with "+ 2 more".
  const heights = shareRoom(rowHeights(size), room);

  header(false);
  weeks[0].forEach((day, column) => {
    const x = w.left + column * columnWidth;
    w.doc.rect(x, HEADER_BOTTOM, columnWidth, MONTH_HEAD).fill(column >= 5 ? '#cfe5e1' : COLOURS.primaryTint);
    w.textAt(weekday(day.date, locale, 'long'), x + PAD, HEADER_BOTTOM + 6, { width: textWidth, size: 14, font: FONTS.bold, colour: COLOURS.primary });
  });
  let y = gridTop;
  const rowTops: number[] = [];
  weeks.forEach((week, row) => {
    rowTops.push(y);
    week.forEach((day, column) => drawCell(w, day, w.left + column * columnWidth, y, columnWidth, heights[row], size, locale));
    y += heights[row];
  });
  for (let column = 1; column < 7; column += 1) {
    const x = w.left + column * columnWidth;
    w.doc.moveTo(x, HEADER_BOTTOM).lineTo(x, w.bottom).lineWidth(0.75).strokeColor(COLOURS.border).stroke();
  }
  w.doc.rect(w.left, HEADER_BOTTOM, w.width, w.bottom - HEADER_BOTTOM).lineWidth(0.75).strokeColor(COLOURS.rule).stroke();
  if (empty) emptyNotice(w, empty, rowTops[Math.floor(rowTops.length / 2)] + DAY_NUMBER + 4);
}

/**
 * Heights that fill `room` exactly: when everything fits, each gets what it needs and the rest is
 * shared out evenly; when not, rows needing less than an even share keep what they need and the
 * others share what is left evenly (so a quiet week gives its room to a busy one).
 */
export function shareRoom(needs: readonly number[], room: number): number[] {
  const total = needs.reduce((a, b) => a + b, 0);
  if (total <= room) return needs.map((need) => need + (room - total) / needs.length);
  const heights = needs.map(() => 0);
  let open = needs.map((_, i) => i);
  let left = room;
  for (;;) {
    const share = left / open.length;
    const small = open.filter((i) => needs[i] <= share);
    if (small.length === 0) {
      for (const i of open) heights[i] = share;
      return heights;
    }
    for (const i of small) {
      heights[i] = needs[i];
      left -= needs[i];
    }
    open = open.filter((i) => needs[i] > share);
    if (open.length === 0) return heights;
  }
}

function drawCell(w: PdfWriter, day: CalendarSheetDay, x: number, y: number, width: number, height: number, size: number, locale: string): void {
  const textWidth = width - 2 * PAD;
  if (!day.inPeriod) w.doc.rect(x, y, width, height).fill(COLOURS.surfaceAlt);
  w.doc.moveTo(x, y).lineTo(x + width, y).lineWidth(0.75).strokeColor(COLOURS.border).stroke();
  w.textAt(String(Number(day.date.slice(8))), x + PAD, y + 4, { width: textWidth, size: 16, font: FONTS.bold, colour: day.inPeriod ? COLOURS.text : COLOURS.muted });
  if (!day.inPeriod) return;
  let top = y + DAY_NUMBER;
  const bottom = y + height - 2;
  for (const [index, item] of day.items.entries()) {
    const chip = chipHeight(w, item, textWidth, size);
    const left = day.items.length - index;
    // An activity goes in if it leaves room under it for the "+2 more" line the rest would need.
    // What does not fit is counted, never drawn past the cell (nor past the page: one sheet).
    if (top + chip + (left > 1 ? MORE_LINE : 0) > bottom) {
      const text = index === 0 ? translate(locale, 'reports.calendarPdf.count', { n: left }) : translate(locale, 'reports.calendarPdf.more', { n: left });
      w.textAt(text, x + PAD, top, { width: textWidth, size: 14, font: FONTS.italic, colour: COLOURS.muted });
      return;
    }
    drawChip(w, item, x + PAD, top, textWidth, size);
    top += chip;
  }
}
