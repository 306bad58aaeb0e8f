/**
 * Failed attempts per key (an IP address, an e-mail) in fixed windows, in
 * memory and bounded in size. Only failures count, so colleagues behind one
 * address are not locked out by each other's successful logins. Per process:
 * with several replicas each allows the limit, which still stops guessing at
 * any useful speed.
 */
export class RateLimiter {
  private readonly failures = new Map<string, { windowStart: number; count: number }>();
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;

  constructor(options: { limit: number; windowMs: number; maxKeys?: number }) {
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  /** Seconds to wait before trying again, or 0 when an attempt is allowed. */
  blockedFor(key: string, nowMs: number): number {
    const entry = this.failures.get(key);
    if (!entry || nowMs - entry.windowStart >= this.windowMs || entry.count < this.limit) return 0;
    return Math.ceil((entry.windowStart + this.windowMs - nowMs) / 1000);
  }

  /** Counts a failed attempt. */
  fail(key: string, nowMs: number): void {
    let entry = this.failures.get(key);
    if (!entry || nowMs - entry.windowStart >= this.windowMs) {
      if (!entry && this.failures.size >= this.maxKeys) this.failures.delete(this.failures.keys().next().value!);
      entry = { windowStart: nowMs, count: 0 };
      this.failures.set(key, entry);
    }
    entry.count++;
  }
}
