import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { figures, median, syncLatencyMs } from './bench-support';

const burst = (requests: number, duration: number, p50: number, p99: number, non2xx = 0) => ({
  requests: { total: requests } as never, duration, latency: { p50, p99 } as never, non2xx, errors: 0, timeouts: 0,
});

describe('bench figures', () => {
  it('gives the throughput over all bursts, the median p50 and the worst p99', () => {
    const result = figures([burst(3000, 3, 10, 30), burst(2400, 3, 12, 55, 1), burst(3300, 3.3, 9, 25)]);
    expect(result.requests).toBe(8700);
    expect(result.requestsPerSecond).toBe(935.5);
    expect(result.latencyP50Ms).toBe(10);
    expect(result.latencyP99Ms).toBe(55);
    expect(result.non2xx).toBe(1);
  });

  it('is the single run itself for one burst', () => {
    expect(figures([burst(10_000, 10, 28, 53)])).toEqual({ requestsPerSecond: 1000, requests: 10_000, latencyP50Ms: 28, latencyP99Ms: 53, non2xx: 0, errors: 0 });
  });

  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('times a durable 4 KiB write and leaves nothing behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'insieme-sync-'));
    try {
      const ms = syncLatencyMs(dir, 5);
      // A disk in memory (tmpfs) syncs in well under a microsecond, which rounds to 0.
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThan(5_000);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
