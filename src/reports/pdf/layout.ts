import PDFDocument from 'pdfkit';
import { COLOURS, FONTS, PAGE, PdfWriter } from './pdf-layout';

/*
 * What every Insieme PDF shares: opening a document that streams into a response or a file, the
 * coloured title band, a list of labelled facts and the footer stamped on every page. The quarterly
 * report, the resident summary and the printable calendar all draw with these.
 */

export type PdfDocument = typeof PDFDocument.prototype;

/** A page's size and margins in points; the footer lives below `bottom`. */
export interface PageGeometry {
  width: number;
  height: number;
  side: number;
  top: number;
  bottom: number;
}

/** A4 across, for noticeboards: narrower margins so seven day columns stay wide enough for large type. */
export const A4_LANDSCAPE: PageGeometry = { width: PAGE.height, height: PAGE.width, side: 36, top: 36, bottom: 52 };

export interface OpenPdfOptions {
  locale: string;
  title: string;
  author: string;
  subject: string;
  createdAt: Date;
  landscape?: boolean;
}

/**
 * A document piped into `out` (an HTTP response or a file), never collected into one buffer. Pages
 * stay buffered (a few kilobytes of drawing instructions each) only so that footers can say
 * "page 2 of 8". `finished` resolves once `out` has everything, or has closed: a reader who goes
 * away mid-download leaves nothing to do.
 */
export function openPdf(out: NodeJS.WritableStream, options: OpenPdfOptions): { doc: PdfDocument; finished: Promise<void> } {
  const geometry = options.landscape ? A4_LANDSCAPE : PAGE;
  const doc = new PDFDocument({
    size: 'A4',
    ...(options.landscape ? { layout: 'landscape' as const } : {}),
    margins: { top: geometry.top, bottom: geometry.bottom, left: geometry.side, right: geometry.side },
    bufferPages: true,
    autoFirstPage: true,
    lang: options.locale === 'it' ? 'it-IT' : 'en-GB',
    displayTitle: true,
    info: { Title: options.title, Author: options.author, Subject: options.subject, Creator: 'Insieme', CreationDate: options.createdAt },
  });
  const finished = new Promise<void>((resolve, reject) => {
    out.once('finish', () => resolve());
    out.once('close', () => resolve());
    out.once('error', reject);
    doc.once('error', reject);
  });
  doc.pipe(out);
  return { doc, finished };
}

/** A PdfWriter on a page other than A4 upright (the calendar's A4 across). */
export class PageWriter extends PdfWriter {
  constructor(doc: PdfDocument, readonly geometry: PageGeometry) {
    super(doc);
  }

  override get left(): number {
    return this.geometry.side;
  }

  override get width(): number {
    return this.geometry.width - 2 * this.geometry.side;
  }

  override get bottom(): number {
    return this.geometry.height - this.geometry.bottom;
  }

  override newPage(): void {
    this.doc.addPage();
    this.y = this.geometry.top;
  }

  override footer(left: string, generated: string, page: string): void {
    const { doc } = this;
    const y = this.geometry.height - this.geometry.bottom + 16;
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.moveTo(this.left, y - 7).lineTo(this.left + this.width, y - 7).lineWidth(0.5).strokeColor(COLOURS.rule).stroke();
    this.textAt(left, this.left, y, { width: this.width * 0.75, size: 9, colour: COLOURS.muted, font: FONTS.bold });
    this.textAt(page, this.left + this.width * 0.75, y, { width: this.width * 0.25, size: 9, colour: COLOURS.muted, align: 'right' });
    this.textAt(generated, this.left, y + 12, { width: this.width, size: 8, colour: COLOURS.muted });
    doc.page.margins.bottom = margin;
  }
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
  w.doc.rect(0, 0, band.pageWidth ?? PAGE.width, band.height).fill(COLOURS.primary);
  w.textAt(band.kicker.toUpperCase(), w.left, band.top, { width: w.width, size: 9, font: FONTS.bold, colour: '#cfe5e1' });
  const titleTop = band.top + 20;
  const titleHeight = w.textAt(band.title, w.left, titleTop, { width: w.width, size: band.titleSize ?? 26, font: FONTS.bold, colour: COLOURS.white, lineGap: 2 });
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

/** The footer of every buffered page, once the number of pages is known. */
export function stampFooters(w: PdfWriter, left: string, generated: string, pageLabel: (page: number, pages: number) => string): void {
  const range = w.doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    w.doc.switchToPage(i);
    w.footer(left, generated, pageLabel(i + 1, range.count));
  }
}
