import { niceMax } from './pdf-charts';

describe('niceMax', () => {
  const sut = niceMax;

  it.each([
    [0, 4], [3, 4], [4, 4], [5, 8], [21, 24], [741, 800], [1000, 1000], [1001, 1200], [90, 100],
  ])('should top an axis holding %i at %i (four whole, round steps)', (value, max) => {
    expect(sut(value)).toBe(max);
    expect(Number.isInteger(sut(value) / 4)).toBe(true);
  });
});
