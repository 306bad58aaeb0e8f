import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-backoff.ts';

const policy = { baseMs: 1_000, ceilingMs: 60_000 };

describe('retryDelayMs', () => {
  it.each([
    // failures, random, wait
    [1, 0, 500],
    [1, 1, 1_000],
    [2, 0, 1_000],
    [2, 0.5, 1_500],
    [3, 1, 4_000],
    [6, 1, 32_000],
    [7, 0, 30_000], // 64 s is past the ceiling: the step is 60 s
    [7, 1, 60_000],
    [50, 1, 60_000],
    [10_000, 0.999, 59_970],
  ])('after %i failures with jitter %d waits %i ms', (failures, random, wait) => {
    expect(retryDelayMs({ failures, policy, random: () => random })).toBe(wait);
  });

  it('grows with each failure and never passes the ceiling, whatever the jitter', () => {
    for (let failures = 1; failures < 40; failures++) {
      const low = retryDelayMs({ failures, policy, random: () => 0 });
      const high = retryDelayMs({ failures, policy, random: () => 1 });
      expect(high).toBeLessThanOrEqual(policy.ceilingMs);
      expect(low).toBeGreaterThanOrEqual(retryDelayMs({ failures: failures - 1 || 1, policy, random: () => 0 }));
    }
  });
});
