import { FontFace, hasGlyph } from './pdf-fonts';

/*
 * Text as the PDF's font can print it. DejaVu Sans has no Chinese, Japanese, Korean or Indic letters;
 * such a letter would come out as an empty box that says nothing, so it is printed as a visible
 * placeholder and its script is remembered, for the notice the document gives once.
 */

/** What a letter the font lacks prints as (WHITE SQUARE, which DejaVu Sans has in every face). */
export const PLACEHOLDER = '□';

/** Text that needs no look-up: ASCII and Latin-1, which DejaVu Sans covers in every face. */
const LATIN_1 = /^[\n\x20-\x7e\xa0-\xff]*$/;

/**
 * ISO 15924 codes (as Intl.DisplayNames names them in the reader's language) of the scripts a name
 * could arrive in; a letter of none of them is named "Unknown Script", a sign "Symbols".
 */
const SCRIPTS: [string, RegExp][] = [
  ['Hani', /\p{Script=Han}/u], ['Hira', /\p{Script=Hiragana}/u], ['Kana', /\p{Script=Katakana}/u], ['Hang', /\p{Script=Hangul}/u],
  ['Bopo', /\p{Script=Bopomofo}/u], ['Deva', /\p{Script=Devanagari}/u], ['Beng', /\p{Script=Bengali}/u], ['Guru', /\p{Script=Gurmukhi}/u],
  ['Gujr', /\p{Script=Gujarati}/u], ['Orya', /\p{Script=Oriya}/u], ['Taml', /\p{Script=Tamil}/u], ['Telu', /\p{Script=Telugu}/u],
  ['Knda', /\p{Script=Kannada}/u], ['Mlym', /\p{Script=Malayalam}/u], ['Sinh', /\p{Script=Sinhala}/u], ['Thai', /\p{Script=Thai}/u],
  ['Laoo', /\p{Script=Lao}/u], ['Tibt', /\p{Script=Tibetan}/u], ['Mymr', /\p{Script=Myanmar}/u], ['Khmr', /\p{Script=Khmer}/u],
  ['Ethi', /\p{Script=Ethiopic}/u], ['Arab', /\p{Script=Arabic}/u], ['Hebr', /\p{Script=Hebrew}/u], ['Syrc', /\p{Script=Syriac}/u],
  ['Thaa', /\p{Script=Thaana}/u], ['Mong', /\p{Script=Mongolian}/u], ['Armn', /\p{Script=Armenian}/u], ['Geor', /\p{Script=Georgian}/u],
  ['Cher', /\p{Script=Cherokee}/u], ['Yiii', /\p{Script=Yi}/u], ['Latn', /\p{Script=Latin}/u], ['Grek', /\p{Script=Greek}/u],
  ['Cyrl', /\p{Script=Cyrillic}/u],
];
const SYMBOL = /[\p{Script=Common}\p{Script=Inherited}]/u;
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
const CONTROL = /\p{Cc}/u;

/** The ISO 15924 code of a character's script. */
export function scriptOf(char: string): string {
  for (const [code, pattern] of SCRIPTS) if (pattern.test(char)) return code;
  return SYMBOL.test(char) ? 'Zsym' : 'Zzzz';
}

/**
 * `text` as `face` prints it: composed (NFC), a tab or other control character as a space, an
 * invisible formatting character the font lacks left out, and a letter it lacks as the placeholder,
 * its script added to `unshown` when given.
 */
export function printable(text: string, face: FontFace, unshown?: Set<string>): string {
  if (LATIN_1.test(text)) return text;
  let out = '';
  for (const char of text.normalize('NFC')) {
    const codePoint = char.codePointAt(0)!;
    if (char === '\n') out += char;
    else if (CONTROL.test(char)) out += ' ';
    else if (hasGlyph(face, codePoint)) out += char;
    else if (IGNORABLE.test(char)) continue;
    else {
      out += PLACEHOLDER;
      unshown?.add(scriptOf(char));
    }
  }
  return out;
}

/** "Han, Devanagari": the scripts by their names in `locale`, in the order met. */
export function scriptNames(codes: Iterable<string>, locale: string): string {
  const tag = locale === 'it' ? 'it-IT' : 'en-GB';
  const names = new Intl.DisplayNames([tag], { type: 'script', fallback: 'code' });
  return new Intl.ListFormat(tag, { type: 'conjunction' }).format([...codes].map((code) => names.of(code) ?? code));
}
