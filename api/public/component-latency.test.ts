import { describe, expect, it } from 'vitest';
import { dayGrid } from './daily-uptime.ts';
import { histogramOf } from '../rollups/latency-buckets.ts';
import { hourGrid, toRegionLatency, type LatencyHour } from './component-latency.ts';

const HOUR = 3_600_000;
const row = (regionId: string, iso: string, samples: number, totalMs: number, minMs = totalMs / samples, maxMs = totalMs / samples): LatencyHour => ({
  regionId,
  hourStartMs: Date.parse(iso),
  samples,
  totalMs,
  minMs,
  maxMs,
  buckets: histogramOf(Array.from({ length: samples }, () => totalMs / samples)),
});

describe('hourGrid', () => {
  it('is the 24 UTC hours ending with the current one', () => {
    const hours = hourGrid(new Date('2026-11-21T12:34:56Z'));
    expect(hours).toHaveLength(24);
    expect(new Date(hours[23]!).toISOString()).toBe('2026-11-21T12:00:00.000Z');
    expect(new Date(hours[0]!).toISOString()).toBe('2026-11-20T13:00:00.000Z');
  });
});

describe('toRegionLatency', () => {
  const now = new Date('2026-11-21T12:30:00Z');
  const days = dayGrid({ days: 30, timeZone: 'Europe/Copenhagen', now });
  const hours = hourGrid(now);

  it.each([
    { name: 'one hour, two samples', rows: [row('north', '2026-11-21T12:00:00Z', 2, 300, 100, 200)], hourAt: 23, average: 150, dayAverage: 150 },
    { name: 'two hours of one day weigh by their samples', rows: [row('north', '2026-11-21T10:00:00Z', 1, 100), row('north', '2026-11-21T11:00:00Z', 3, 900)], hourAt: 22, average: 300, dayAverage: 250 },
  ])('$name', ({ rows, hourAt, average, dayAverage }) => {
    const [north] = toRegionLatency({ rows, hours, days });
    expect(north!.hours).toHaveLength(24);
    expect(north!.days).toHaveLength(30);
    expect(north!.hours[hourAt]!.averageMs).toBe(average);
    expect(north!.days[29]!.averageMs).toBe(dayAverage);
    expect(north!.days[29]!.samples).toBe(rows.reduce((n, r) => n + r.samples, 0));
    expect(north!.days.slice(0, 29).every((d) => d.averageMs === null && d.samples === 0)).toBe(true);
  });

  it('puts an hour in the local day it starts in: 23:00 UTC is the next day in Copenhagen', () => {
    const [north] = toRegionLatency({ rows: [row('north', '2026-11-19T23:00:00Z', 1, 80)], hours, days });
    expect(north!.days.find((d) => d.samples > 0)!.from).toBe('2026-11-20');
  });

  it('keeps regions apart, sorted, and leaves hours outside the grids out', () => {
    const rows = [row('south', '2026-11-21T09:00:00Z', 1, 50), row('north', '2026-11-21T09:00:00Z', 1, 70), row('north', new Date(days.fromMs[0]! - HOUR).toISOString(), 1, 999)];
    const regions = toRegionLatency({ rows, hours, days });
    expect(regions.map((r) => r.regionId)).toEqual(['north', 'south']);
    expect(regions[0]!.days.reduce((n, d) => n + d.samples, 0)).toBe(1);
    expect(regions[1]!.hours.find((h) => h.samples > 0)!.averageMs).toBe(50);
  });

  it('adds up the checks of one hour, and reads percentiles from their merged histograms', () => {
    const https = { ...row('north', '2026-11-21T12:00:00Z', 90, 90 * 40, 35, 48), buckets: histogramOf(Array.from({ length: 90 }, () => 40)) };
    const tls = { ...row('north', '2026-11-21T12:00:00Z', 10, 10 * 800, 750, 900), buckets: histogramOf(Array.from({ length: 10 }, () => 800)) };
    const [north] = toRegionLatency({ rows: [https, tls], hours, days });
    const point = north!.hours[23]!;
    expect(point).toMatchObject({ samples: 100, averageMs: 116, minMs: 35, maxMs: 900 });
    // 90 of 100 answers in 30–50 ms: the median lies there; the 95th and 99th among the slow ten, 700–1,000 ms but within what was seen
    expect(point.p50Ms).toBeGreaterThanOrEqual(35);
    expect(point.p50Ms).toBeLessThan(50);
    expect(point.p95Ms).toBeGreaterThanOrEqual(750);
    expect(point.p99Ms).toBeGreaterThan(point.p95Ms!);
    expect(point.p99Ms).toBeLessThanOrEqual(900);
  });

  it('spans a DST change: the day of 25 hours gets all its hours', () => {
    const autumn = new Date('2026-10-26T12:00:00Z');
    const grid = dayGrid({ days: 30, timeZone: 'Europe/Copenhagen', now: autumn });
    // 25 October 2026 in Copenhagen runs from 22:00 UTC on the 24th to 23:00 UTC on the 25th
    const rows = Array.from({ length: 25 }, (_, i) => row('north', new Date(Date.parse('2026-10-24T22:00:00Z') + i * HOUR).toISOString(), 1, 100));
    const [north] = toRegionLatency({ rows, hours: hourGrid(autumn), days: grid });
    expect(north!.days.find((d) => d.from === '2026-10-25')!.samples).toBe(25);
  });
});
