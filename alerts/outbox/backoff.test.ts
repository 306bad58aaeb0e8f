import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, retryDelayMs } from './backoff.ts';

describe('retryDelayMs', () => {
  const policy = { baseMs: 1000, capMs: 10_000, maxAttempts: 6 };
  it.each([
    [1, 0, 500],
    [1, 0.999999, 1000],
    [2, 0, 1000],
    [3, 0.5, 3000],
    [4, 0, 4000],
    [5, 0, 5000], // 16 000 capped at 10 000
    [5, 0.999999, 10_000],
  ])('after attempt %i with random %f waits %i ms', (attempt, r, expected) => {
    expect(retryDelayMs({ attempt, policy, random: () => r })).toBe(expected);
  });
  it('gives up when the attempts are used', () => {
    expect(retryDelayMs({ attempt: 6, policy, random: () => 0 })).toBeNull();
  });
  it('spreads retries: jitter gives different delays for the same attempt', () => {
    const delays = new Set([0.1, 0.4, 0.8].map((r) => retryDelayMs({ attempt: 3, policy: DEFAULT_BACKOFF, random: () => r })));
    expect(delays.size).toBe(3);
  });
});
