import { describe, expect, it } from 'vitest';
import { bucketOf, histogramOf, LATENCY_BUCKET_BOUNDS_MS, LATENCY_BUCKET_COUNT, mergeBuckets, percentileMs } from './latency-buckets.ts';

describe('latency histogram', () => {
  it('puts a time in the bucket PostgreSQL width_bucket names: at least the lower bound, under the upper', () => {
    expect(bucketOf(0.4)).toBe(0);
    expect(bucketOf(1)).toBe(1);
    expect(bucketOf(99.9)).toBe(LATENCY_BUCKET_BOUNDS_MS.indexOf(100));
    expect(bucketOf(100)).toBe(LATENCY_BUCKET_BOUNDS_MS.indexOf(100) + 1);
    expect(bucketOf(120_000)).toBe(LATENCY_BUCKET_BOUNDS_MS.length);
  });

  it('merges by adding counts, whatever buckets each holds', () => {
    const merged = mergeBuckets([histogramOf([4, 4, 60]), histogramOf([60, 61, 62, 63]), []]);
    expect(merged).toHaveLength(LATENCY_BUCKET_COUNT);
    expect(merged[bucketOf(4)]).toBe(2);
    expect(merged[bucketOf(60)]).toBe(5);
    expect(merged.reduce((a, b) => a + b, 0)).toBe(7);
  });

  it('reads a percentile back within the bucket of the true value', () => {
    // 1,000 answers spread evenly from 1 to 1,000 ms: the true p50 is 500, p95 950, p99 990
    const times = Array.from({ length: 1000 }, (_, i) => i + 1);
    const histogram = histogramOf(times);
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
    const tight = histogramOf(Array.from({ length: 10 }, () => 42));
    expect(percentileMs(tight, 0.99, { minMs: 41, maxMs: 43 })).toBeLessThanOrEqual(43);
    expect(percentileMs(tight, 0.01, { minMs: 41, maxMs: 43 })).toBeGreaterThanOrEqual(41);
    expect(percentileMs(histogramOf([61_000, 75_000, 90_000]), 0.5, { minMs: 61_000, maxMs: 90_000 })).toBeGreaterThanOrEqual(61_000);
    expect(percentileMs(histogramOf([]), 0.5)).toBeNull();
    expect(() => percentileMs(histogramOf([1]), 0)).toThrow(RangeError);
  });
});
