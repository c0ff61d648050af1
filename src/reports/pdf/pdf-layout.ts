import type PDFDocument from 'pdfkit';
import { lazyModule } from '../../common/lazy-module';
import { FontFace, FONTS, registerFonts } from './pdf-fonts';
import { PLACEHOLDER, printable, scriptNames } from './pdf-text';
import { translate } from '../../common/i18n/i18n';

export { FONTS } from './pdf-fonts';

/*
 * What every Insieme PDF is drawn with: the page, colours and fonts; a writer that flows text and
 * tables down the pages; opening a document that streams into a response or a file, the coloured
 * title band, a list of labelled facts and the footer stamped on every page. The quarterly report,
 * the resident summary, the subject access copy and the printable calendar all draw with these, in
 * DejaVu Sans (pdf-fonts.ts), and every text they draw passes through `printable` (pdf-text.ts).
 */

export type PdfDocument = typeof PDFDocument.prototype;

/** pdfkit and the fontkit it brings (150 ms) load with the first PDF, not at start-up. */
const pdfkit = lazyModule(() => require('pdfkit') as typeof PDFDocument);

/** A page's size and margins in points; the footer lives below `bottom`. */
export interface PageGeometry {
  width: number;
  height: number;
  side: number;
  top: number;
  bottom: number;
  /** The footer: its first line's distance below `bottom`, the rule's above that line, its type size, the second line's distance. */
  footer: { below: number; rule: number; size: number; lineGap: number };
}

/** A4 upright in points, with the margins every page keeps. */
export const PAGE: PageGeometry = {
  width: 595.28, height: 841.89, side: 56, top: 56, bottom: 84, footer: { below: 30, rule: 8, size: 8, lineGap: 11 },
};

/** A4 across, for noticeboards: narrower margins so seven day columns stay wide enough for large type. */
export const A4_LANDSCAPE: PageGeometry = {
  width: PAGE.height, height: PAGE.width, side: 36, top: 36, bottom: 52, footer: { below: 16, rule: 7, size: 9, lineGap: 12 },
};

/** A3 across, the noticeboard calendar's larger paper: the same margins as A4 across, a third more room each way. */
export const A3_LANDSCAPE: PageGeometry = {
  width: 1190.55, height: 841.89, side: 36, top: 36, bottom: 52, footer: { below: 16, rule: 7, size: 9, lineGap: 12 },
};

export type Paper = 'a4' | 'a3';

export const COLOURS = {
  text: '#2a2420',
  muted: '#5b5149',
  primary: '#1d5c57',
  primaryTint: '#e1efec',
  border: '#d8cfc3',
  rule: '#b9ada0',
  surfaceAlt: '#f4efe8',
  warn: '#7a4a00',
  warnBg: '#fdf0d5',
  white: '#ffffff',
} as const;

export type Align = 'left' | 'right' | 'center';

export interface TableColumn {
  header: string;
  /** A share of the content width (all columns add up to 1). */
  width: number;
  align?: Align;
}

export interface TableOptions {
  fontSize?: number;
  /** Rows (by index) printed bold, e.g. a total. */
  boldRows?: ReadonlySet<number>;
}

const CELL_PAD_X = 5;
const CELL_PAD_Y = 4;

/**
 * Flowing layout on top of pdfkit: a cursor that moves down the page, headings, paragraphs and
 * tables that never run into the footer (a table repeats its header on the next page).
 */
export class PdfWriter {
  /** The page each section starts on (1-based), for the contents on the cover. */
  readonly sectionPages = new Map<string, number>();
  /** ISO 15924 codes of the scripts drawn as the placeholder, for the notice on the first page. */
  readonly unshown = new Set<string>();
  /** Where the first page's title band has its kicker line (the notice goes to its right). */
  firstBandTop: number | null = null;

  constructor(readonly doc: PdfDocument, readonly geometry: PageGeometry = PAGE) {}

  get left(): number {
    return this.geometry.side;
  }

  get width(): number {
    return this.geometry.width - 2 * this.geometry.side;
  }

  get bottom(): number {
    return this.geometry.height - this.geometry.bottom;
  }

  get y(): number {
    return this.doc.y;
  }

  set y(value: number) {
    this.doc.y = value;
  }

  get pageNumber(): number {
    const range = this.doc.bufferedPageRange();
    return range.start + range.count;
  }

  newPage(): void {
    this.doc.addPage();
    this.y = this.geometry.top;
  }

  /** Starts a new page unless `height` more points fit on this one. */
  ensure(height: number): void {
    if (this.y + height > this.bottom) this.newPage();
  }

  space(points: number): void {
    this.y += points;
  }

  /** `text` as `font` prints it; letters it lacks are counted for the notice unless only measured (`drawn` false). */
  printable(text: string, font: FontFace, drawn = true): string {
    return printable(text, font, drawn ? this.unshown : undefined);
  }

  /** Text at a place, without moving the flow (labels inside charts and tiles). */
  textAt(text: string, x: number, y: number, options: { width?: number; align?: Align; size?: number; font?: FontFace; colour?: string; lineGap?: number } = {}): number {
    const { doc } = this;
    const flow = doc.y;
    const font = options.font ?? FONTS.regular;
    doc.font(font).fontSize(options.size ?? 9).fillColor(options.colour ?? COLOURS.text);
    const safe = this.printable(text, font);
    const textOptions = { width: options.width, align: options.align ?? 'left', lineGap: options.lineGap ?? 1, lineBreak: options.width !== undefined };
    const height = options.width !== undefined ? doc.heightOfString(safe, textOptions) : doc.currentLineHeight(true);
    doc.text(safe, x, y, textOptions);
    doc.y = flow;
    return height;
  }

  heightOf(text: string, width: number, size: number, font: FontFace = FONTS.regular, lineGap = 1): number {
    return this.doc.font(font).fontSize(size).heightOfString(this.printable(text, font, false), { width, lineGap });
  }

  /**
   * A section title with a rule under it, recorded for the contents. It moves to the next page
   * unless `keepWith` points of what follows (its first chart or table) fit under it.
   */
  sectionHeading(key: string, text: string, intro?: string, keepWith = 200): void {
    const introHeight = intro ? this.heightOf(intro, this.width, 9.5, FONTS.regular, 2) + 8 : 0;
    this.ensure(34 + introHeight + keepWith);
    this.sectionPages.set(key, this.pageNumber);
    const height = this.textAt(text, this.left, this.y, { width: this.width, size: 16, font: FONTS.bold, colour: COLOURS.primary });
    this.y += height + 4;
    this.doc.moveTo(this.left, this.y).lineTo(this.left + this.width, this.y).lineWidth(1).strokeColor(COLOURS.primary).stroke();
    this.y += 10;
    if (intro) this.paragraph(intro, { colour: COLOURS.muted });
  }

  subheading(text: string, keepWith = 80): void {
    this.ensure(22 + keepWith);
    const height = this.textAt(text, this.left, this.y, { width: this.width, size: 11.5, font: FONTS.bold });
    this.y += height + 6;
  }

  paragraph(text: string, options: { size?: number; colour?: string; font?: FontFace; after?: number } = {}): void {
    const size = options.size ?? 9.5;
    const height = this.heightOf(text, this.width, size, options.font ?? FONTS.regular, 2);
    this.ensure(height);
    this.textAt(text, this.left, this.y, { width: this.width, size, colour: options.colour, font: options.font, lineGap: 2 });
    this.y += height + (options.after ?? 8);
  }

  /** A table with a shaded header row, zebra rows and hairlines; long rows wrap within their cells. */
  table(columns: TableColumn[], rows: string[][], options: TableOptions = {}): void {
    const size = options.fontSize ?? 8.5;
    const widths = columns.map((c) => c.width * this.width);
    const inner = (i: number) => widths[i] - 2 * CELL_PAD_X;
    const sizesFor = (cells: string[]) => cells.map(() => size);
    const rowHeight = (cells: string[], font: FontFace, sizes = sizesFor(cells)) =>
      Math.max(...cells.map((cell, i) => this.heightOf(cell, inner(i), sizes[i], font))) + 2 * CELL_PAD_Y;
    const drawRow = (cells: string[], font: FontFace, fill: string | null, colour: string, sizes = sizesFor(cells)) => {
      const height = rowHeight(cells, font, sizes);
      if (fill) this.doc.rect(this.left, this.y, this.width, height).fill(fill);
      let x = this.left;
      cells.forEach((cell, i) => {
        this.textAt(cell, x + CELL_PAD_X, this.y + CELL_PAD_Y, { width: inner(i), align: columns[i].align ?? 'left', size: sizes[i], font, colour });
        x += widths[i];
      });
      this.y += height;
      this.doc.moveTo(this.left, this.y).lineTo(this.left + this.width, this.y).lineWidth(0.5).strokeColor(COLOURS.border).stroke();
    };
    const header = columns.map((c) => c.header);
    // A header's longest word fits its column: a narrower header is set smaller rather than broken
    // inside a word ("Ha parteci / pato" in a narrow Italian column), down to 6 pt.
    const headerSizes = header.map((text, i) => {
      // Measured with the space after it, as pdfkit's line wrapper measures a word.
      const longest = Math.max(0, ...text.split(/\s+/).map((word) => this.doc.font(FONTS.bold).fontSize(size).widthOfString(`${this.printable(word, FONTS.bold, false)} `)));
      return longest <= inner(i) ? size : Math.max(6, Math.floor((size * inner(i)) / longest * 10) / 10);
    });
    const drawHeader = () => drawRow(header, FONTS.bold, COLOURS.surfaceAlt, COLOURS.text, headerSizes);

    this.ensure(rowHeight(header, FONTS.bold, headerSizes) + (rows[0] ? rowHeight(rows[0], FONTS.regular) : 0));
    drawHeader();
    rows.forEach((cells, index) => {
      const font = options.boldRows?.has(index) ? FONTS.bold : FONTS.regular;
      if (this.y + rowHeight(cells, font) > this.bottom) {
        this.newPage();
        drawHeader();
      }
      drawRow(cells, font, index % 2 === 1 ? '#faf7f3' : null, COLOURS.text);
    });
    this.y += 10;
  }

  /** A boxed note (the copy notice, an empty list). */
  note(text: string, options: { colour?: string; fill?: string; border?: string } = {}): void {
    const height = this.heightOf(text, this.width - 20, 9.5) + 14;
    this.ensure(height);
    this.doc.rect(this.left, this.y, this.width, height).lineWidth(0.75).fillAndStroke(options.fill ?? COLOURS.surfaceAlt, options.border ?? COLOURS.border);
    this.textAt(text, this.left + 10, this.y + 7, { width: this.width - 20, size: 9.5, colour: options.colour ?? COLOURS.text });
    this.y += height + 10;
  }

  /** The footer of every page: home and quarter, when and by whom, page x of y. */
  footer(left: string, generated: string, page: string): void {
    const { doc } = this;
    const { below, rule, size, lineGap } = this.geometry.footer;
    const y = this.geometry.height - this.geometry.bottom + below;
    // Writing below the bottom margin would make pdfkit start a page; the footer is allowed there.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.moveTo(this.left, y - rule).lineTo(this.left + this.width, y - rule).lineWidth(0.5).strokeColor(COLOURS.rule).stroke();
    this.textAt(left, this.left, y, { width: this.width * 0.75, size, colour: COLOURS.muted, font: FONTS.bold });
    this.textAt(page, this.left + this.width * 0.75, y, { width: this.width * 0.25, size, colour: COLOURS.muted, align: 'right' });
    this.textAt(generated, this.left, y + lineGap, { width: this.width, size: 8, colour: COLOURS.muted });
    doc.page.margins.bottom = margin;
  }
}

export interface OpenPdfOptions {
  locale: string;
  title: string;
  author: string;
  subject: string;
  createdAt: Date;
  landscape?: boolean;
  /** A4 unless said (A3 is landscape only). */
  paper?: Paper;
}

/**
 * A document piped into `out` (an HTTP response or a file), never collected into one buffer. Pages
 * stay buffered (a few kilobytes of drawing instructions each) only so that footers can say
 * "page 2 of 8". `finished` resolves once `out` has everything, or has closed: a reader who goes
 * away mid-download leaves nothing to do.
 */
export function openPdf(out: NodeJS.WritableStream, options: OpenPdfOptions): { doc: PdfDocument; finished: Promise<void> } {
  const geometry = options.landscape ? (options.paper === 'a3' ? A3_LANDSCAPE : A4_LANDSCAPE) : PAGE;
  const doc = new (pdfkit())({
    size: options.landscape && options.paper === 'a3' ? 'A3' : 'A4',
    ...(options.landscape ? { layout: 'landscape' as const } : {}),
    margins: { top: geometry.top, bottom: geometry.bottom, left: geometry.side, right: geometry.side },
    bufferPages: true,
    autoFirstPage: true,
    lang: options.locale === 'it' ? 'it-IT' : 'en-GB',
    displayTitle: true,
    info: { Title: options.title, Author: options.author, Subject: options.subject, Creator: 'Insieme', CreationDate: options.createdAt },
  });
  registerFonts(doc);
  const finished = new Promise<void>((resolve, reject) => {
    out.once('finish', () => resolve());
    out.once('close', () => resolve());
    out.once('error', reject);
    doc.once('error', reject);
  });
  doc.pipe(out);
  return { doc, finished };
}

export interface TitleBand {
  kicker: string;
  title: string;
  subtitle?: string;
  /** How far down the page the band reaches. */
  height: number;
  /** Where the kicker line sits; the title follows 20 points below it. */
  top: number;
  titleSize?: number;
  pageWidth?: number;
}

/** The coloured band across the top of a first page: a small capitalised kicker, the title, a subtitle. */
export function titleBand(w: PdfWriter, band: TitleBand): void {
  w.firstBandTop ??= band.top;
  w.doc.rect(0, 0, band.pageWidth ?? PAGE.width, band.height).fill(COLOURS.primary);
  w.textAt(band.kicker.toUpperCase(), w.left, band.top, { width: w.width, size: 9, font: FONTS.bold, colour: '#cfe5e1' });
  const titleTop = band.top + 20;
  // A title a little too long for one line is set smaller rather than broken (at most a fifth smaller).
  const size = band.titleSize ?? 26;
  const oneLine = w.doc.font(FONTS.bold).fontSize(size).widthOfString(w.printable(band.title, FONTS.bold, false));
  const titleSize = Math.max(size * 0.8, Math.min(size, (size * w.width) / oneLine));
  const titleHeight = w.textAt(band.title, w.left, titleTop, { width: w.width, size: titleSize, font: FONTS.bold, colour: COLOURS.white, lineGap: 2 });
  if (band.subtitle) w.textAt(band.subtitle, w.left, titleTop + titleHeight + 10, { width: w.width, size: 10.5, colour: '#e1efec' });
}

/** Label and value pairs, one under the other ("Generated on  28 November 2026"); long values wrap. */
export function factList(w: PdfWriter, facts: [string, string][], labelWidth = 120): void {
  for (const [label, value] of facts) {
    const height = w.heightOf(value, w.width - labelWidth, 9.5, FONTS.bold);
    w.ensure(height);
    w.textAt(label, w.left, w.y, { width: labelWidth, size: 9.5, colour: COLOURS.muted });
    w.textAt(value, w.left + labelWidth, w.y, { width: w.width - labelWidth, size: 9.5, font: FONTS.bold });
    w.y += Math.max(16, height + 3);
  }
}

/**
 * The footer of every buffered page, once the number of pages is known; then, when some letters were
 * printed as the placeholder, the notice naming their scripts, once, on the first page.
 */
export function stampFooters(w: PdfWriter, left: string, generated: string, pageLabel: (page: number, pages: number) => string, locale: string): void {
  const range = w.doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    w.doc.switchToPage(i);
    w.footer(left, generated, pageLabel(i + 1, range.count));
  }
  if (w.unshown.size > 0) {
    w.doc.switchToPage(range.start);
    unshownNotice(w, translate(locale, 'reports.pdf.unshownScripts', { placeholder: PLACEHOLDER, scripts: scriptNames(w.unshown, locale) }));
  }
}

/**
 * The notice at the right of the first page's kicker line, inside the title band, where the reader
 * sees it before any name; a page without a band has it at the top margin.
 */
function unshownNotice(w: PdfWriter, text: string): void {
  const width = w.width * 0.48;
  const x = w.left + w.width - width;
  const inBand = w.firstBandTop !== null;
  w.textAt(text, x, w.firstBandTop ?? w.geometry.top / 3, { width, size: 7.5, align: 'right', colour: inBand ? COLOURS.white : COLOURS.warn, font: FONTS.bold, lineGap: 0.5 });
}
