/**
 * Retry timing: exponential from `baseMs`, capped at `capMs`, with full
 * jitter so a recovering server is not hit by every worker at once.
 * Temporary failures are retried until the message has waited `maxAgeMs`
 * since it was queued; a mail older than that is no longer news.
 */
export type BackoffPolicy = { baseMs: number; capMs: number; maxAgeMs: number };

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** 30 s doubling to an hour; given up after 3 days, so an SMTP outage of a long weekend loses nothing. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, capMs: HOUR_MS, maxAgeMs: 3 * DAY_MS };

/**
 * Milliseconds to wait after the `attempt`-th failed attempt (1-based).
 * `random` is in [0, 1).
 *
 * @example retryDelayMs({ attempt: 3, policy: DEFAULT_BACKOFF, random: () => 0.5 }) // 90 000 (three quarters of 120 000)
 */
export function retryDelayMs(args: { attempt: number; policy: BackoffPolicy; random: () => number }): number {
  // past 2^40 the exponent only overflows; the cap has long been reached
  const ceiling = Math.min(args.policy.capMs, args.policy.baseMs * 2 ** Math.min(args.attempt - 1, 40));
  // never zero: half the ceiling fixed, half jittered
  return Math.round(ceiling / 2 + (args.random() * ceiling) / 2);
}

/**
 * When to try a temporarily failed message again, or null to give up: a
 * message queued `maxAgeMs` or more before `now` is not tried again.
 *
 * @example nextAttemptAt({ attempt: 3, queuedAt, now, policy: DEFAULT_BACKOFF, random: () => 0.5 }) // now + 90 s, or null 3 days after queuedAt
 */
export function nextAttemptAt(args: { attempt: number; queuedAt: Date; now: Date; policy: BackoffPolicy; random: () => number }): Date | null {
  if (args.now.getTime() - args.queuedAt.getTime() >= args.policy.maxAgeMs) return null;
  return new Date(args.now.getTime() + retryDelayMs(args));
}

/** A duration as the reason of a given-up message states it: `3 days`, `1 hour`, `90 minutes`. */
export function describeDuration(ms: number): string {
  const [value, unit] = ms % DAY_MS === 0 ? [ms / DAY_MS, 'day'] : ms % HOUR_MS === 0 ? [ms / HOUR_MS, 'hour'] : [Math.round(ms / 60_000), 'minute'];
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}
