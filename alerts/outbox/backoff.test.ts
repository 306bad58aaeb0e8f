import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, describeDuration, nextAttemptAt, retryDelayMs } from './backoff.ts';

describe('retryDelayMs', () => {
  const policy = { baseMs: 1000, capMs: 10_000, maxAgeMs: 86_400_000 };
  it.each([
    [1, 0, 500],
    [1, 0.999999, 1000],
    [2, 0, 1000],
    [3, 0.5, 3000],
    [4, 0, 4000],
    [5, 0, 5000], // 16 000 capped at 10 000
    [5, 0.999999, 10_000],
    [500, 0, 5000], // far past the cap: still the cap, no overflow
  ])('after attempt %i with random %f waits %i ms', (attempt, r, expected) => {
    expect(retryDelayMs({ attempt, policy, random: () => r })).toBe(expected);
  });
  it('spreads retries: jitter gives different delays for the same attempt', () => {
    const delays = new Set([0.1, 0.4, 0.8].map((r) => retryDelayMs({ attempt: 3, policy: DEFAULT_BACKOFF, random: () => r })));
    expect(delays.size).toBe(3);
  });
});

describe('nextAttemptAt', () => {
  const queuedAt = new Date('2026-03-27T22:00:00Z');
  const at = (hours: number) => new Date(queuedAt.getTime() + hours * 3_600_000);
  it.each([
    // hours since queued, attempt, expected (null: given up)
    [0, 1, new Date(queuedAt.getTime() + 22_500)],
    [24, 30, new Date(at(24).getTime() + 2_700_000)], // an hour's cap, three quarters of it
    [71.99, 90, new Date(at(71.99).getTime() + 2_700_000)],
    [72, 90, null], // 3 days: given up, whatever the attempt count
    [100, 2, null],
  ])('%f h after queueing, attempt %i: %s', (hours, attempt, expected) => {
    expect(nextAttemptAt({ attempt, queuedAt, now: at(hours), policy: DEFAULT_BACKOFF, random: () => 0.5 })).toEqual(expected);
  });
});

describe('describeDuration', () => {
  it.each([
    [3 * 86_400_000, '3 days'],
    [86_400_000, '1 day'],
    [3_600_000, '1 hour'],
    [5_400_000, '90 minutes'],
  ])('%i ms is %s', (ms, words) => expect(describeDuration(ms)).toBe(words));
});
