import { mergeBuckets, percentileMs, type LatencyBuckets } from '../rollups/latency-buckets.ts';
import type { DayGrid } from './daily-uptime.ts';

/** One hour's answered results of one check, as rolled up on ingest: their count, sum, extremes and histogram. */
export type LatencyHour = { regionId: string; hourStartMs: number; samples: number; totalMs: number; minMs: number; maxMs: number; buckets: LatencyBuckets };

/**
 * One point of a chart: the mean of its period and the median, 95th and 99th
 * percentiles read back from the merged histograms (within one bucket step),
 * or nulls when nothing was answered in it.
 */
export type LatencyPoint = {
  from: string;
  averageMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  samples: number;
  minMs: number | null;
  maxMs: number | null;
};

export type RegionLatency = { regionId: string; hours: LatencyPoint[]; days: LatencyPoint[] };

const HOUR_MS = 3_600_000;

/** The start of the 24 UTC hours ending with the current one, oldest first. */
export function hourGrid(now: Date): number[] {
  const current = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  return Array.from({ length: 24 }, (_, i) => current - (23 - i) * HOUR_MS);
}

/**
 * Per region, the last 24 hours and the days of `days` as chart points, from
 * the stored hourly sums and, for days that are over, the stored daily ones
 * (`madeDays`, one row a day, check and region). A day with no daily row is
 * added up from its hours. An hour belongs to the local day it starts in, so
 * in a zone with a half-hour offset a day's edge is off by half an hour.
 * Pure: the rows and grids are loaded by the caller.
 */
export function toRegionLatency(args: { rows: readonly LatencyHour[]; madeDays?: readonly LatencyHour[]; hours: readonly number[]; days: DayGrid }): RegionLatency[] {
  const madeDays = args.madeDays ?? [];
  const regions = new Set([...args.rows, ...madeDays].map((r) => r.regionId));
  const made = new Set(madeDays.map((r) => dayIndexOf(args.days, r.hourStartMs)));
  return [...regions].sort().map((regionId) => {
    const hourly = new Map<number, LatencyHour[]>();
    const perDay: LatencyHour[][] = args.days.dates.map(() => []);
    for (const row of args.rows) {
      if (row.regionId !== regionId) continue;
      const own = hourly.get(row.hourStartMs);
      if (own) own.push(row);
      else hourly.set(row.hourStartMs, [row]);
      const i = dayIndexOf(args.days, row.hourStartMs);
      if (i !== undefined && !made.has(i)) perDay[i]!.push(row);
    }
    for (const row of madeDays) {
      const i = dayIndexOf(args.days, row.hourStartMs);
      if (row.regionId === regionId && i !== undefined) perDay[i]!.push(row);
    }
    const hours = args.hours.map((start) => pointOf(new Date(start).toISOString(), hourly.get(start) ?? []));
    const days = args.days.dates.map((date, i) => pointOf(date, perDay[i]!));
    return { regionId, hours, days };
  });
}

function pointOf(from: string, rows: readonly LatencyHour[]): LatencyPoint {
  const samples = rows.reduce((n, r) => n + r.samples, 0);
  if (samples === 0) return { from, averageMs: null, p50Ms: null, p95Ms: null, p99Ms: null, samples: 0, minMs: null, maxMs: null };
  const total = rows.reduce((n, r) => n + r.totalMs, 0);
  const seen = { minMs: Math.min(...rows.map((r) => r.minMs)), maxMs: Math.max(...rows.map((r) => r.maxMs)) };
  const histogram = mergeBuckets(rows.map((r) => r.buckets));
  const at = (q: number) => roundMs(percentileMs(histogram, q, seen));
  return { from, averageMs: total / samples, p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), samples, ...seen };
}

/** The day the hour starts in: the last whose start is not after it; none before the first day or after the last. */
function dayIndexOf(grid: DayGrid, ms: number): number | undefined {
  if (ms < grid.fromMs[0]! || ms >= grid.toMs[grid.toMs.length - 1]!) return undefined;
  let low = 0;
  let high = grid.fromMs.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (grid.fromMs[mid]! <= ms) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Percentiles are estimates within a bucket: a tenth of a millisecond says all they know. */
function roundMs(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 10) / 10;
}
