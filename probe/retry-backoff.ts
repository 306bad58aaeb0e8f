/** How a probe waits between attempts while the API does not take its results. */
export type RetryPolicy = {
  /** The first wait, before jitter. */
  baseMs: number;
  /** No wait is longer than this. */
  ceilingMs: number;
};

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 1_000, ceilingMs: 60_000 };

/**
 * The wait before the next attempt after `failures` failed ones in a row:
 * exponential (base, 2×base, 4×base … up to the ceiling) with "equal jitter",
 * a random point in the upper half of that step. The waits grow, so a long
 * outage costs a few requests a minute, and they scatter, so probes that lost
 * the API at the same moment do not all come back at the same moment.
 *
 * @example retryDelayMs({ failures: 3, policy: { baseMs: 1000, ceilingMs: 60000 }, random: () => 0 }) === 2000
 */
export function retryDelayMs(args: { failures: number; policy: RetryPolicy; random: () => number }): number {
  const exponent = Math.min(Math.max(0, args.failures - 1), 30); // 2^30 × base is past any ceiling
  const step = Math.min(args.policy.ceilingMs, args.policy.baseMs * 2 ** exponent);
  return Math.round(step / 2 + args.random() * (step / 2));
}
