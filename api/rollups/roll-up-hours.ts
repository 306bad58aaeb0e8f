import { sql } from 'drizzle-orm';
import type { Database } from '../../db/index.ts';
import { LATENCY_BUCKET_BOUNDS_MS, LATENCY_BUCKET_COUNT } from './latency-buckets.ts';

/** The histogram's bounds as one SQL array literal, made once. */
const LATENCY_BOUNDS = `{${LATENCY_BUCKET_BOUNDS_MS.join(',')}}`;
/** An hour's histogram: one filtered count per bucket (SQL's arrays count from 1, buckets from 0). */
const BUCKET_COUNTS = sql.raw(`array[${Array.from({ length: LATENCY_BUCKET_COUNT }, (_, i) => `count(*) filter (where bucket = ${i})`).join(', ')}]::integer[]`);

/**
 * Makes the hourly rollups (outcomes, reasons, latency histogram per check,
 * region and UTC hour) of the given components again from their raw results,
 * from the hour of each one's earliest new result on. An hour is counted from
 * all its results each time, never added to, so a replayed result, a round
 * run twice or a round rolled back can neither count a result twice nor lose
 * one. Called by the evaluator for the components it claimed with new
 * results, which keeps this work off the path of ingest; the raw results of
 * an hour being rolled up are always still kept (ingest refuses results past
 * the retention, and retention drops whole days).
 */
export async function rollUpHours(db: Database, from: readonly { componentId: string; from: Date }[]): Promise<void> {
  if (from.length === 0) return;
  const marks = JSON.stringify(from.map((m) => ({ component_id: m.componentId, from_at: m.from.toISOString() })));
  const earliest = new Date(Math.min(...from.map((m) => m.from.getTime())));
  await db.execute(sql`
    with marks as (
      select component_id, date_trunc('hour', from_at, 'UTC') as hour_from from jsonb_to_recordset(${marks}::jsonb) as m(component_id text, from_at timestamptz)
    ),
    hour_rows as (
      select r.component_id, r.check_id, r.region_id, date_trunc('hour', r.started_at, 'UTC') as hour_start, r.outcome, r.reason, r.duration_ms,
        case when r.outcome in ('up', 'degraded') then width_bucket(r.duration_ms, ${LATENCY_BOUNDS}::real[]) end as bucket
      from marks m
      join check_results r on r.component_id = m.component_id and r.started_at >= m.hour_from
      -- the earliest hour as a constant too, so only the days' partitions it reaches are read
      where r.started_at >= date_trunc('hour', ${earliest.toISOString()}::timestamptz, 'UTC')
    ),
    hour_reasons as (
      select component_id, check_id, region_id, hour_start, jsonb_object_agg(reason, n) as reasons
      from (select component_id, check_id, region_id, hour_start, reason, count(*) as n from hour_rows where reason is not null group by 1, 2, 3, 4, 5) counted
      group by 1, 2, 3, 4
    )
    insert into result_hours (component_id, check_id, region_id, hour_start, up, degraded, down, unknown, reasons, answered_total_ms, answered_min_ms, answered_max_ms, latency_buckets)
    select t.component_id, t.check_id, t.region_id, t.hour_start, t.up, t.degraded, t.down, t.unknown, coalesce(r.reasons, '{}'::jsonb),
      t.answered_total_ms, t.answered_min_ms, t.answered_max_ms, t.latency_buckets
    from (
      select component_id, check_id, region_id, hour_start,
        count(*) filter (where outcome = 'up')::int as up, count(*) filter (where outcome = 'degraded')::int as degraded,
        count(*) filter (where outcome = 'down')::int as down, count(*) filter (where outcome = 'unknown')::int as unknown,
        coalesce(sum(duration_ms) filter (where bucket is not null), 0) as answered_total_ms,
        min(duration_ms) filter (where bucket is not null) as answered_min_ms, max(duration_ms) filter (where bucket is not null) as answered_max_ms,
        ${BUCKET_COUNTS} as latency_buckets
      from hour_rows group by 1, 2, 3, 4
    ) t
    left join hour_reasons r using (component_id, check_id, region_id, hour_start)
    on conflict (component_id, check_id, region_id, hour_start) do update set
      up = excluded.up, degraded = excluded.degraded, down = excluded.down, unknown = excluded.unknown, reasons = excluded.reasons,
      answered_total_ms = excluded.answered_total_ms, answered_min_ms = excluded.answered_min_ms, answered_max_ms = excluded.answered_max_ms,
      latency_buckets = excluded.latency_buckets`);
}
