import { readFileSync } from 'node:fs';
import type * as Fontkit from 'fontkit';
import type { FontkitFont } from 'fontkit';
import type PDFDocument from 'pdfkit';
import { lazyModule } from '../../common/lazy-module';

/*
 * The one typeface of every Insieme PDF: DejaVu Sans (Latin with its extensions, Greek, Cyrillic,
 * Armenian, Georgian, Hebrew and many signs), embedded and subset by pdfkit, so "Олена Коваль",
 * "Ștefan Țurcanu" and "Łucja Żak" print in their own letters. The standard PDF fonts (Helvetica)
 * know only WinAnsi and printed such names as "?".
 */

/** The faces the layout asks for, by the names they are registered under in each document. */
export const FONTS = { regular: 'DejaVuSans', bold: 'DejaVuSans-Bold', italic: 'DejaVuSans-Oblique' } as const;

export type FontFace = (typeof FONTS)[keyof typeof FONTS];

const FILES: Record<FontFace, string> = {
  DejaVuSans: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  'DejaVuSans-Bold': 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
  'DejaVuSans-Oblique': 'dejavu-fonts-ttf/ttf/DejaVuSans-Oblique.ttf',
};

let faces: Map<FontFace, FontkitFont> | null = null;
const fontkit = lazyModule(() => require('fontkit') as typeof Fontkit);

/**
 * The parsed faces, read from node_modules once per process and shared by every document: parsing
 * and the glyphs fontkit decodes are cached on the face, while each document keeps its own subset.
 */
export function fontFaces(): ReadonlyMap<FontFace, FontkitFont> {
  if (!faces) {
    faces = new Map((Object.keys(FILES) as FontFace[]).map((name) => [name, fontkit().create(readFileSync(require.resolve(FILES[name])))]));
  }
  return faces;
}

/** Registers the three faces in a new document and makes the regular one current. */
export function registerFonts(doc: typeof PDFDocument.prototype): void {
  for (const [name, face] of fontFaces()) doc.registerFont(name, face as unknown as Buffer);
  doc.font(FONTS.regular);
}

const glyphCache = new Map<FontFace, Map<number, boolean>>();

/** Whether `face` has a glyph for the code point (its cmap), remembered per process. */
export function hasGlyph(face: FontFace, codePoint: number): boolean {
  let known = glyphCache.get(face);
  if (!known) {
    known = new Map();
    glyphCache.set(face, known);
  }
  let has = known.get(codePoint);
  if (has === undefined) {
    has = fontFaces().get(face)!.hasGlyphForCodePoint(codePoint);
    known.set(codePoint, has);
  }
  return has;
}
