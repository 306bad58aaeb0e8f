/**
 * Upper bounds, in ms, of the latency histogram every hourly rollup keeps:
 * roughly 1-1.5-2-3-5-7 steps per decade, so a percentile read back is within
 * one step of the truth, and any two histograms (regions, hours, days) merge
 * by adding counts. Bucket i holds answers of at least bound i-1 and under
 * bound i (PostgreSQL's `width_bucket`); bucket 0 is under 1 ms and the last
 * is 60 s and more. Changing the list changes the meaning of stored rows: add
 * a new list under a new name instead.
 */
export const LATENCY_BUCKET_BOUNDS_MS = [
  1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700, 1_000, 1_500, 2_000, 3_000, 5_000, 7_000, 10_000, 15_000, 20_000, 30_000, 60_000,
] as const;

/** One count per bucket, as stored: `LATENCY_BUCKET_BOUNDS_MS.length + 1` of them, bucket 0 first. */
export type LatencyBuckets = readonly number[];

/** How many buckets a histogram has. */
export const LATENCY_BUCKET_COUNT = LATENCY_BUCKET_BOUNDS_MS.length + 1;

/** The bucket of one response time, as `width_bucket` computes it in the database. */
export function bucketOf(durationMs: number): number {
  let i = 0;
  while (i < LATENCY_BUCKET_BOUNDS_MS.length && durationMs >= LATENCY_BUCKET_BOUNDS_MS[i]!) i++;
  return i;
}

/** One histogram of several: the counts of each bucket added up. */
export function mergeBuckets(histograms: readonly LatencyBuckets[]): number[] {
  const merged = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  for (const histogram of histograms) histogram.forEach((count, bucket) => (merged[bucket] = (merged[bucket] ?? 0) + count));
  return merged;
}

/** A histogram of these response times (for tests and tools; ingest counts in SQL). */
export function histogramOf(durationsMs: readonly number[]): number[] {
  const counts = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  for (const ms of durationsMs) counts[bucketOf(ms)]!++;
  return counts;
}

/**
 * The response time under which a share `q` (0.5 for the median, 0.95, 0.99)
 * of the answers fell, read back from a histogram: interpolated inside the
 * bucket where the rank falls, and kept within the least and greatest answer
 * seen when those are known. Null for an empty histogram.
 */
export function percentileMs(histogram: LatencyBuckets, q: number, seen?: { minMs: number | null; maxMs: number | null }): number | null {
  if (!(q > 0 && q <= 1)) throw new RangeError(`q must be in (0, 1], got ${q}`);
  const counts = histogram.map((count, bucket) => [bucket, count] as const).filter(([, count]) => count > 0);
  const total = counts.reduce((n, [, count]) => n + count, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (const [bucket, count] of counts) {
    if (below + count >= rank) {
      const low = Math.max(bucket === 0 ? 0 : LATENCY_BUCKET_BOUNDS_MS[bucket - 1]!, seen?.minMs ?? 0);
      const high = Math.min(LATENCY_BUCKET_BOUNDS_MS[bucket] ?? seen?.maxMs ?? LATENCY_BUCKET_BOUNDS_MS.at(-1)! * 2, seen?.maxMs ?? Number.POSITIVE_INFINITY);
      const within = (rank - below) / count;
      return high >= low ? low + within * (high - low) : low;
    }
    below += count;
  }
  return seen?.maxMs ?? LATENCY_BUCKET_BOUNDS_MS.at(-1)!;
}
