/**
 * The standard PDF Helvetica writes text in WinAnsi: ASCII, Latin-1 (every Italian accent) and a few
 * typographic signs. Anything else (a Polish Ł in a name, a maths sign) would print as a wrong glyph,
 * so it is spelled with the nearest WinAnsi letters first.
 */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

const REPLACEMENTS: Record<string, string> = {
  '−': '-', '≥': '>=', '≤': '<=', '→': '->', '←': '<-', '≠': '!=', '✓': 'v', '⚠': '!',
  'Ł': 'L', 'ł': 'l', 'Đ': 'D', 'đ': 'd', 'Ħ': 'H', 'ħ': 'h', 'ı': 'i', 'Ŀ': 'L', 'ŀ': 'l', 'ſ': 's',
  '\u202f': ' ', '\u2009': ' ',
};

function encodable(char: string): boolean {
  const code = char.codePointAt(0)!;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char) || char === '\n';
}

export function winAnsi(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC')) {
    if (encodable(char)) out += char;
    else if (REPLACEMENTS[char] !== undefined) out += REPLACEMENTS[char];
    else {
      // "ő" -> "o": the letter without its accent, when the accent is what WinAnsi lacks.
      const base = char.normalize('NFD').replace(/\p{M}/gu, '');
      out += base !== char && [...base].every(encodable) ? base : '?';
    }
  }
  return out;
}
