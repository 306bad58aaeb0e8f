import { describe, expect, it } from 'vitest';
import { bucketOf, LATENCY_BUCKET_BOUNDS_MS, mergeBuckets, percentileMs } from './latency-buckets.ts';

describe('latency histogram', () => {
  it('puts a time in the bucket PostgreSQL width_bucket names: at least the lower bound, under the upper', () => {
    expect(bucketOf(0.4)).toBe(0);
    expect(bucketOf(1)).toBe(1);
    expect(bucketOf(99.9)).toBe(LATENCY_BUCKET_BOUNDS_MS.indexOf(100));
    expect(bucketOf(100)).toBe(LATENCY_BUCKET_BOUNDS_MS.indexOf(100) + 1);
    expect(bucketOf(120_000)).toBe(LATENCY_BUCKET_BOUNDS_MS.length);
  });

  it('merges by adding counts, whatever buckets each holds', () => {
    expect(mergeBuckets([{ '3': 2, '10': 1 }, { '10': 4 }, {}])).toEqual({ '3': 2, '10': 5 });
  });

  it('reads a percentile back within the bucket of the true value', () => {
    // 1,000 answers spread evenly from 1 to 1,000 ms: the true p50 is 500, p95 950, p99 990
    const times = Array.from({ length: 1000 }, (_, i) => i + 1);
    const histogram = mergeBuckets(times.map((t) => ({ [bucketOf(t)]: 1 })));
    for (const [q, truth] of [[0.5, 500], [0.95, 950], [0.99, 990]] as const) {
      const got = percentileMs(histogram, q)!;
      const bucket = bucketOf(truth);
      expect(got).toBeGreaterThanOrEqual(LATENCY_BUCKET_BOUNDS_MS[bucket - 1]!);
      expect(got).toBeLessThanOrEqual(LATENCY_BUCKET_BOUNDS_MS[bucket]!);
    }
    // answers spread evenly inside a bucket: the interpolation lands within a step of a millisecond
    expect(Math.abs(percentileMs(histogram, 0.5)! - 500)).toBeLessThanOrEqual(1);
  });

  it('stays within the least and greatest answer seen, and is null for no answers', () => {
    expect(percentileMs({ [bucketOf(42)]: 10 }, 0.99, { minMs: 41, maxMs: 43 })).toBeLessThanOrEqual(43);
    expect(percentileMs({ [bucketOf(42)]: 10 }, 0.01, { minMs: 41, maxMs: 43 })).toBeGreaterThanOrEqual(41);
    expect(percentileMs({ [LATENCY_BUCKET_BOUNDS_MS.length]: 3 }, 0.5, { minMs: 61_000, maxMs: 90_000 })).toBeGreaterThanOrEqual(61_000);
    expect(percentileMs({}, 0.5)).toBeNull();
    expect(() => percentileMs({ '1': 1 }, 0)).toThrow(RangeError);
  });
});
