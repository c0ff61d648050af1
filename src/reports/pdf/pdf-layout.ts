import type PDFDocument from 'pdfkit';
import { winAnsi } from './pdf-text';

/** A4 in points, with the margins every page keeps; the footer lives below `bottom`. */
export const PAGE = { width: 595.28, height: 841.89, side: 56, top: 56, bottom: 84 } as const;

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

export const FONTS = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique' } as const;

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

  constructor(readonly doc: typeof PDFDocument.prototype) {}

  get left(): number {
    return PAGE.side;
  }

  get width(): number {
    return PAGE.width - 2 * PAGE.side;
  }

  get bottom(): number {
    return PAGE.height - PAGE.bottom;
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
    this.y = PAGE.top;
  }

  /** Starts a new page unless `height` more points fit on this one. */
  ensure(height: number): void {
    if (this.y + height > this.bottom) this.newPage();
  }

  space(points: number): void {
    this.y += points;
  }

  /** Text at a place, without moving the flow (labels inside charts and tiles). */
  textAt(text: string, x: number, y: number, options: { width?: number; align?: Align; size?: number; font?: string; colour?: string; lineGap?: number } = {}): number {
    const { doc } = this;
    const flow = doc.y;
    doc.font(options.font ?? FONTS.regular).fontSize(options.size ?? 9).fillColor(options.colour ?? COLOURS.text);
    const safe = winAnsi(text);
    const textOptions = { width: options.width, align: options.align ?? 'left', lineGap: options.lineGap ?? 1, lineBreak: options.width !== undefined };
    const height = options.width !== undefined ? doc.heightOfString(safe, textOptions) : doc.currentLineHeight(true);
    doc.text(safe, x, y, textOptions);
    doc.y = flow;
    return height;
  }

  heightOf(text: string, width: number, size: number, font: string = FONTS.regular, lineGap = 1): number {
    return this.doc.font(font).fontSize(size).heightOfString(winAnsi(text), { width, lineGap });
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

  paragraph(text: string, options: { size?: number; colour?: string; font?: string; after?: number } = {}): void {
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
    const rowHeight = (cells: string[], font: string) =>
      Math.max(...cells.map((cell, i) => this.heightOf(cell, widths[i] - 2 * CELL_PAD_X, size, font))) + 2 * CELL_PAD_Y;
    const drawRow = (cells: string[], font: string, fill: string | null, colour: string) => {
      const height = rowHeight(cells, font);
      if (fill) this.doc.rect(this.left, this.y, this.width, height).fill(fill);
      let x = this.left;
      cells.forEach((cell, i) => {
        this.textAt(cell, x + CELL_PAD_X, this.y + CELL_PAD_Y, { width: widths[i] - 2 * CELL_PAD_X, align: columns[i].align ?? 'left', size, font, colour });
        x += widths[i];
      });
      this.y += height;
      this.doc.moveTo(this.left, this.y).lineTo(this.left + this.width, this.y).lineWidth(0.5).strokeColor(COLOURS.border).stroke();
    };
    const header = columns.map((c) => c.header);
    const drawHeader = () => drawRow(header, FONTS.bold, COLOURS.surfaceAlt, COLOURS.text);

    this.ensure(rowHeight(header, FONTS.bold) + (rows[0] ? rowHeight(rows[0], FONTS.regular) : 0));
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
    const y = PAGE.height - PAGE.bottom + 30;
    // Writing below the bottom margin would make pdfkit start a page; the footer is allowed there.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.moveTo(this.left, y - 8).lineTo(this.left + this.width, y - 8).lineWidth(0.5).strokeColor(COLOURS.rule).stroke();
    this.textAt(left, this.left, y, { width: this.width * 0.75, size: 8, colour: COLOURS.muted, font: FONTS.bold });
    this.textAt(page, this.left + this.width * 0.75, y, { width: this.width * 0.25, size: 8, colour: COLOURS.muted, align: 'right' });
    this.textAt(generated, this.left, y + 11, { width: this.width, size: 8, colour: COLOURS.muted });
    doc.page.margins.bottom = margin;
  }
}
