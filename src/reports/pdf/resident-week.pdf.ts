import type { ActivityCategory } from '../../activities/activities.enums';
import { translate } from '../../common/i18n/i18n';
import { formatDateTime } from '../../common/views/format';
import { tag } from '../report-format';
import { COLOURS, FONTS, openPdf, PdfWriter, stampFooters, titleBand } from './pdf-layout';
import { PICTOGRAMS } from './pictograms';

/** One activity on a resident's week: when, what, where, and its category's pictogram. */
export interface ResidentWeekItem {
  time: string;
  title: string;
  location: string | null;
  category: ActivityCategory;
}

/** A resident's week for their room: Monday to Sunday, what they are invited to, in large print. */
export interface ResidentWeekSheet {
  /** The name the resident goes by ("Nonna Rosa"). */
  name: string;
  room: string | null;
  homeName: string;
  timezone: string;
  /** The week's Monday and Sunday. */
  first: string;
  last: string;
  days: { date: string; items: ResidentWeekItem[] }[];
  generatedAt: string;
  generatedBy: string;
}

/** Large print: no text under 16 points; times and titles at 22. */
const SIZES = { day: 20, time: 22, title: 22, location: 16, none: 16 } as const;
const PICTOGRAM = 30;
const TIME_WIDTH = 78;
const ITEM_GAP = 12;
const DAY_HEAD = 34;

function dayLabel(date: string, locale: string): string {
  const [year, month, day] = date.split('-').map(Number);
  const text = new Intl.DateTimeFormat(tag(locale), { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, day)));
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/** A category's pictogram (a 24-unit SVG path) drawn `size` points square with its top left at (x, y). */
function pictogram(w: PdfWriter, category: ActivityCategory, x: number, y: number, size: number): void {
  w.doc.save();
  w.doc.translate(x, y).scale(size / 24);
  w.doc.path(PICTOGRAMS[category].path).fill(COLOURS.primary);
  w.doc.restore();
}

/**
 * A resident's own week, for the wall of their room (issue 19 item 5): A4 upright, one day under
 * another, each activity they are invited to with its pictogram, time, title and place in large
 * print (DejaVu Sans, which prints every name). A day continues on the next page under its heading.
 */
export function renderResidentWeekPdf(sheet: ResidentWeekSheet, options: { locale: string }, out: NodeJS.WritableStream): Promise<void> {
  const { locale } = options;
  const t = (key: string, params: Record<string, unknown> = {}) => translate(locale, `reports.residentWeekPdf.${key}`, params);
  const period = `${dayLabel(sheet.first, locale)} – ${dayLabel(sheet.last, locale)}`;
  const { doc, finished } = openPdf(out, {
    locale, title: `${t('title', { name: sheet.name })} – ${period}`, author: sheet.generatedBy, subject: sheet.homeName, createdAt: new Date(sheet.generatedAt),
  });
  const w = new PdfWriter(doc);
  titleBand(w, { kicker: `${sheet.homeName}${sheet.room ? ` · ${t('room', { room: sheet.room })}` : ''}`, title: t('title', { name: sheet.name }), height: 96, top: 26, titleSize: 30 });
  w.y = 108;
  w.y += w.textAt(period, w.left, w.y, { width: w.width, size: SIZES.day, font: FONTS.bold, colour: COLOURS.primary }) + 12;
  const textX = w.left + PICTOGRAM + 10;
  const titleX = textX + TIME_WIDTH;
  const titleWidth = w.left + w.width - titleX;
  const itemHeight = (item: ResidentWeekItem) => Math.max(
    PICTOGRAM,
    w.heightOf(item.title, titleWidth, SIZES.title, FONTS.bold) + (item.location ? w.heightOf(item.location, titleWidth, SIZES.location) + 2 : 0),
  ) + ITEM_GAP;
  const heading = (date: string, continued: boolean) => {
    w.doc.rect(w.left, w.y, w.width, DAY_HEAD - 4).fill(COLOURS.primaryTint);
    w.textAt(`${dayLabel(date, locale)}${continued ? ` ${t('continued')}` : ''}`, w.left + 8, w.y + 5, { width: w.width - 16, size: SIZES.day, font: FONTS.bold, colour: COLOURS.primary });
    w.y += DAY_HEAD + 4;
  };

  for (const day of sheet.days) {
    // A day's heading stays with its first activity (or with its "nothing planned").
    w.ensure(DAY_HEAD + 4 + (day.items[0] ? itemHeight(day.items[0]) : 30));
    heading(day.date, false);
    if (day.items.length === 0) {
      w.textAt(t('nothing'), textX, w.y, { width: w.width, size: SIZES.none, font: FONTS.italic, colour: COLOURS.muted });
      w.y += 30;
      continue;
    }
    for (const item of day.items) {
      const height = itemHeight(item);
      if (w.y + height > w.bottom) {
        w.newPage();
        heading(day.date, true);
      }
      pictogram(w, item.category, w.left, w.y - 2, PICTOGRAM);
      w.textAt(item.time, textX, w.y, { width: TIME_WIDTH, size: SIZES.time, font: FONTS.bold, colour: COLOURS.primary });
      const titleHeight = w.textAt(item.title, titleX, w.y, { width: titleWidth, size: SIZES.title, font: FONTS.bold });
      if (item.location) w.textAt(item.location, titleX, w.y + titleHeight + 2, { width: titleWidth, size: SIZES.location, colour: COLOURS.text });
      w.y += height;
    }
    w.y += 4;
  }

  const printed = t('printed', { at: formatDateTime(new Date(sheet.generatedAt), locale, sheet.timezone), by: sheet.generatedBy, zone: sheet.timezone });
  stampFooters(w, `${sheet.homeName} · ${t('title', { name: sheet.name })}`, printed, (page, pages) => translate(locale, 'reports.footer.page', { page, pages }), locale);
  doc.end();
  return finished;
}
