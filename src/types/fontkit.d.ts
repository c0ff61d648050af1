/** The part of fontkit (pdfkit's font engine) the PDF code uses; the package ships no types. */
declare module 'fontkit' {
  export interface FontkitFont {
    postscriptName: string;
    hasGlyphForCodePoint(codePoint: number): boolean;
    layout(text: string): unknown;
  }
  export function create(buffer: Buffer | Uint8Array, postscriptName?: string): FontkitFont;
}
