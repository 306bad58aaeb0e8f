/**
 * A fixed-window counter per key (an IP address, an e-mail), in memory and
 * bounded in size. Per process: with several replicas each allows the limit,
 * which still stops guessing at any useful speed.
 */
export class RateLimiter {
  private readonly hits = new Map<string, { windowStart: number; count: number }>();
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;

  constructor(options: { limit: number; windowMs: number; maxKeys?: number }) {
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  /** Counts a hit; returns the seconds to wait when over the limit, else 0. */
  hit(key: string, nowMs: number): number {
    let entry = this.hits.get(key);
    if (!entry || nowMs - entry.windowStart >= this.windowMs) {
      if (!entry && this.hits.size >= this.maxKeys) this.hits.delete(this.hits.keys().next().value!);
      entry = { windowStart: nowMs, count: 0 };
      this.hits.set(key, entry);
    }
    entry.count++;
    return entry.count > this.limit ? Math.ceil((entry.windowStart + this.windowMs - nowMs) / 1000) : 0;
  }
}
