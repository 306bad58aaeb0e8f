/** Retry timing: exponential from `baseMs`, capped, with full jitter so a recovering server is not hit by every worker at once. */
export type BackoffPolicy = { baseMs: number; capMs: number; maxAttempts: number };

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, capMs: 3_600_000, maxAttempts: 25 };

/**
 * Milliseconds to wait after the `attempt`-th failed attempt (1-based), or
 * `null` when the attempts are used up. `random` is in [0, 1).
 *
 * @example retryDelayMs({ attempt: 3, policy: DEFAULT_BACKOFF, random: () => 0.5 }) // 60 000 (half of 120 000)
 */
export function retryDelayMs(args: { attempt: number; policy: BackoffPolicy; random: () => number }): number | null {
  if (args.attempt >= args.policy.maxAttempts) return null;
  const ceiling = Math.min(args.policy.capMs, args.policy.baseMs * 2 ** (args.attempt - 1));
  // never zero: half the ceiling fixed, half jittered
  return Math.round(ceiling / 2 + (args.random() * ceiling) / 2);
}
