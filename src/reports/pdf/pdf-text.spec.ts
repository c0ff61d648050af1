import { winAnsi } from './pdf-text';

describe('winAnsi', () => {
  const sut = winAnsi;

  it('should keep Italian accents, typographic quotes, dashes and the euro when they are in WinAnsi', () => {
    const text = 'Attività, perché, più, Città – “sì” — €5 · 3×2 …';

    expect(sut(text)).toBe(text);
  });

  it('should spell letters WinAnsi lacks with their base letter when they have one', () => {
    expect(sut('Łukasz Wałęsa, Őrs, Dvořák')).toBe('Lukasz Walesa, Ors, Dvorák');
  });

  it('should write a maths sign in ASCII and anything else as ? when it cannot be printed', () => {
    expect(sut('−2 ≥ 1 → 中')).toBe('-2 >= 1 -> ?');
  });

  it('should compose decomposed accents first when text arrives in NFD', () => {
    expect(sut('Citta\u0300')).toBe('Città');
  });
});
