import { FONTS } from './pdf-fonts';
import { PLACEHOLDER, printable, scriptNames, scriptOf } from './pdf-text';

describe('printable', () => {
  const sut = printable;

  it('should keep Romanian, Polish, Ukrainian and Greek names as they are when the font has their letters', () => {
    const names = 'Ștefan Țurcanu, Ioana Brătianu, Zoë Ângelo · Łucja Żak, Paweł Ćwik, Józef Śliwiński, Hańcza · Олена Коваль, Їжак Євген Ґудзь · Αλέξανδρος Παπαδόπουλος';
    const unshown = new Set<string>();

    for (const face of Object.values(FONTS)) expect(sut(names, face, unshown)).toBe(names);
    expect(unshown.size).toBe(0);
  });

  it('should keep typographic signs the old WinAnsi spelling replaced when the font has them', () => {
    expect(sut('−2 ≥ 1 → ✓ ⚠ 3\u202f°C', FONTS.regular)).toBe('−2 ≥ 1 → ✓ ⚠ 3\u202f°C');
  });

  it('should print the placeholder, never "?", and note the script when the font has no letter for it', () => {
    const unshown = new Set<string>();

    const text = sut('王芳 and प्रिया', FONTS.bold, unshown);

    expect(text).toBe(`${PLACEHOLDER}${PLACEHOLDER} and ${PLACEHOLDER.repeat([...'प्रिया'].length)}`);
    expect(text).not.toContain('?');
    expect([...unshown]).toEqual(['Hani', 'Deva']);
  });

  it('should compose decomposed accents first when text arrives in NFD', () => {
    expect(sut('Citta\u0300 s\u0326', FONTS.regular)).toBe('Città ș');
  });

  it('should write a tab as a space when text carries control characters', () => {
    expect(sut('Anna\tRossi\r', FONTS.regular)).toBe('Anna Rossi ');
  });
});

describe('scriptOf and scriptNames', () => {
  it('should name scripts in the reader\'s language when letters could not be shown', () => {
    expect(scriptOf('王')).toBe('Hani');
    expect(scriptOf('प')).toBe('Deva');
    expect(scriptNames(['Hani', 'Deva'], 'en')).toBe('Han and Devanagari');
    expect(scriptNames(['Hani', 'Deva'], 'it')).toBe('han e devanagari');
  });
});
