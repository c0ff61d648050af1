import { MAX_ATTEMPTS, retryDelayMs } from './mail-retry';

const sut = retryDelayMs;
const MINUTE = 60_000;

describe('retryDelayMs', () => {
  it('should wait a minute after the first try', () => {
    expect(sut(1)).toBe(MINUTE);
  });

  it('should double the wait after each further try', () => {
    expect([2, 3, 4, 5].map(sut)).toEqual([2, 4, 8, 16].map((n) => n * MINUTE));
  });

  it('should never wait more than six hours when there have been many tries', () => {
    expect(sut(40)).toBe(6 * 60 * MINUTE);
  });

  it('should give up after eight tries spread over about two hours', () => {
    const total = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => sut(i + 1)).reduce((a, b) => a + b, 0);

    expect(MAX_ATTEMPTS).toBe(8);
    expect(total).toBe(127 * MINUTE);
  });
});
