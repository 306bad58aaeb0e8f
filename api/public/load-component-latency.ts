import { and, asc, eq, gte, isNull, lt, sql } from 'drizzle-orm';
import { tables, type Database } from '../../db/index.ts';
import { dayGrid } from './daily-uptime.ts';
import { hourGrid, toRegionLatency, type RegionLatency } from './component-latency.ts';

export type ComponentLatency = { componentId: string; timeZone: string; generatedAt: string; regions: RegionLatency[] };

const DAYS = 30;

/**
 * A component's response times over the last 24 hours and 30 days, per region,
 * from the daily rollups of the days that are over and the hourly ones of today
 * and the last 24 hours (about 30 + 48 rows a check and region, never the raw results).
 * Undefined when the page or the component on it does not exist.
 */
export async function loadComponentLatency(db: Database, args: { pageId: string; componentId: string; now: Date }): Promise<ComponentLatency | undefined> {
  const [row] = await db
    .select({ timeZone: tables.statusPages.timeZone })
    .from(tables.components)
    .innerJoin(tables.componentGroups, eq(tables.componentGroups.id, tables.components.groupId))
    .innerJoin(tables.statusPages, eq(tables.statusPages.id, tables.componentGroups.pageId))
    .where(and(eq(tables.components.id, args.componentId), eq(tables.statusPages.id, args.pageId), isNull(tables.components.retiredAt), isNull(tables.statusPages.retiredAt)));
  if (!row) return undefined;
  const days = dayGrid({ days: DAYS, timeZone: row.timeZone, now: args.now });
  const hours = hourGrid(args.now);
  const today = days.fromMs.length - 1;
  // the days that are over, as the evaluator added them up; a day without its row (not made yet, or made in
  // another zone before the page's zone changed) is read from its hours like today
  const d = tables.resultDays;
  const madeDays = await db
    .select({ regionId: d.regionId, dayStart: d.dayStart, up: d.up, degraded: d.degraded, totalMs: d.answeredTotalMs, minMs: d.answeredMinMs, maxMs: d.answeredMaxMs, buckets: d.latencyBuckets })
    .from(d)
    .where(and(eq(d.componentId, args.componentId), eq(d.timeZone, row.timeZone), gte(d.dayStart, new Date(days.fromMs[0]!)), lt(d.dayStart, new Date(days.fromMs[today]!))));
  const made = new Set(madeDays.map((r) => r.dayStart.getTime()));
  const firstUnmade = days.fromMs.find((start) => !made.has(start))!;
  const since = new Date(Math.min(firstUnmade, hours[0]!));
  const h = tables.resultHours;
  // a row per check: a component with several checks has their answers added up per region and hour
  const hourRows = await db
    .select({ regionId: h.regionId, hourStart: h.hourStart, up: h.up, degraded: h.degraded, totalMs: h.answeredTotalMs, minMs: h.answeredMinMs, maxMs: h.answeredMaxMs, buckets: h.latencyBuckets })
    .from(h)
    .where(and(eq(h.componentId, args.componentId), gte(h.hourStart, since), sql`${h.hourStart} <= ${args.now.toISOString()}::timestamptz`))
    .orderBy(asc(h.hourStart));
  const answered = <T extends { up: number; degraded: number; minMs: number | null; maxMs: number | null; buckets: number[]; regionId: string; totalMs: number }>(rows: T[], startOf: (r: T) => number) =>
    rows
      .filter((r) => r.up + r.degraded > 0)
      .map((r) => ({ regionId: r.regionId, hourStartMs: startOf(r), samples: r.up + r.degraded, totalMs: r.totalMs, minMs: r.minMs!, maxMs: r.maxMs!, buckets: r.buckets }));
  return {
    componentId: args.componentId,
    timeZone: row.timeZone,
    generatedAt: args.now.toISOString(),
    regions: toRegionLatency({ rows: answered(hourRows, (r) => r.hourStart.getTime()), madeDays: answered(madeDays, (r) => r.dayStart.getTime()), hours, days }),
  };
}
