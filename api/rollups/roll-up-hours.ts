import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/index.ts';
import { LATENCY_BUCKET_BOUNDS_MS, LATENCY_BUCKET_COUNT } from './latency-buckets.ts';

/** The histogram's bounds as one SQL array literal, made once. */
const LATENCY_BOUNDS = `{${LATENCY_BUCKET_BOUNDS_MS.join(',')}}`;
/** An hour's histogram: one filtered count per bucket (SQL's arrays count from 1, buckets from 0). */
const BUCKET_COUNTS = sql.raw(`array[${Array.from({ length: LATENCY_BUCKET_COUNT }, (_, i) => `count(*) filter (where bucket = ${i})`).join(', ')}]::integer[]`);

/** What an hour keeps of a raw result `r`: its keys, its outcome and reason, and its latency bucket if it was answered. */
const HOUR_ROW = sql`r.component_id, r.check_id, r.region_id, date_trunc('hour', r.started_at, 'UTC') as hour_start, r.outcome, r.reason, r.duration_ms,
  case when r.outcome in ('up', 'degraded') then width_bucket(r.duration_ms, ${LATENCY_BOUNDS}::real[]) end as bucket`;

/**
 * The CTEs `hour_reasons` and `hour_counts` over a CTE `hour_rows` of HOUR_ROW
 * rows, and the insert of their counts into `result_hours` up to its ON
 * CONFLICT: the counting shared by the two ways an hour is made.
 */
const COUNT_HOURS = sql`
    hour_reasons as (
      select component_id, check_id, region_id, hour_start, jsonb_object_agg(reason, n) as reasons
      from (select component_id, check_id, region_id, hour_start, reason, count(*) as n from hour_rows where reason is not null group by 1, 2, 3, 4, 5) counted
      group by 1, 2, 3, 4
    ),
    hour_counts as (
      select t.component_id, t.check_id, t.region_id, t.hour_start, t.up, t.degraded, t.down, t.unknown, coalesce(r.reasons, '{}'::jsonb) as reasons,
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
    )`;
const INSERT_HOURS = sql`insert into result_hours (component_id, check_id, region_id, hour_start, up, degraded, down, unknown, reasons, answered_total_ms, answered_min_ms, answered_max_ms, latency_buckets)
    select component_id, check_id, region_id, hour_start, up, degraded, down, unknown, reasons, answered_total_ms, answered_min_ms, answered_max_ms, latency_buckets from hour_counts
    -- rows locked in key order, so two evaluators adding to the same hours wait for each other instead of deadlocking
    order by component_id, check_id, region_id, hour_start`;

/**
 * Makes the hourly rollups (outcomes, reasons, latency histogram per check,
 * region and UTC hour) of the given components again from their raw results,
 * from the hour of each one's earliest new result on. An hour is counted from
 * all its results, except those named by marks still waiting, which are
 * added when those marks are taken: nothing is counted twice or lost. Used
 * by the evaluator for marks that name no results (written before marks named them);
 * the raw results of an hour being rolled up are always still kept (ingest
 * refuses results past the retention, and retention drops whole days).
 */
export async function rollUpHours(db: Database, from: readonly { componentId: string; from: Date }[]): Promise<void> {
  if (from.length === 0) return;
  const marks = JSON.stringify(from.map((m) => ({ component_id: m.componentId, from_at: m.from.toISOString() })));
  const earliest = new Date(Math.min(...from.map((m) => m.from.getTime())));
  await db.execute(sql`
    with marks as (
      select component_id, date_trunc('hour', from_at, 'UTC') as hour_from from jsonb_to_recordset(${marks}::jsonb) as m(component_id text, from_at timestamptz)
    ),
    -- results named by marks still waiting (stored after this round claimed, or held by another evaluator):
    -- whoever takes those marks adds them, so the count made here leaves them out
    still_named as (
      select k.id from evaluation_marks q cross join unnest(q.new_ids) as k(id)
      where q.new_ids is not null and q.component_id in (select component_id from marks)
    ),
    hour_rows as (
      select ${HOUR_ROW}
      from marks m
      join check_results r on r.component_id = m.component_id and r.started_at >= m.hour_from
      -- the earliest hour as a constant too, so only the days' partitions it reaches are read
      where r.started_at >= date_trunc('hour', ${earliest.toISOString()}::timestamptz, 'UTC')
        and not exists (select 1 from still_named n where n.id = r.id)
    ),
    ${COUNT_HOURS}
    ${INSERT_HOURS}
    on conflict (component_id, check_id, region_id, hour_start) do update set
      up = excluded.up, degraded = excluded.degraded, down = excluded.down, unknown = excluded.unknown, reasons = excluded.reasons,
      answered_total_ms = excluded.answered_total_ms, answered_min_ms = excluded.answered_min_ms, answered_max_ms = excluded.answered_max_ms,
      latency_buckets = excluded.latency_buckets`);
}

/**
 * CTEs that add exactly the results named by the marks of a preceding CTE
 * `taken` (its `new_started_at` and `new_ids`, as ingest wrote them) to their
 * hours, to follow `taken` in the statement that deletes those marks. Ingest
 * names only results it stored, and a mark is taken once, so each result is
 * added once; if the round is rolled back, its marks and its additions go
 * back together. An hour thus costs the results that arrived since the last
 * round, not every result it already holds.
 */
export function addTakenToHours(): SQL {
  return sql`
    taken_keys as (
      select k.started_at, k.id from taken cross join unnest(taken.new_started_at, taken.new_ids) as k(started_at, id) where taken.new_ids is not null
    ),
    hour_rows as (
      -- one lookup by the primary key per result, whatever the planner's statistics say about the batch
      select ${HOUR_ROW}
      from taken_keys k cross join lateral (select * from check_results c where c.started_at = k.started_at and c.id = k.id limit 1) r
    ),
    ${COUNT_HOURS},
    added_to_hours as (
      ${INSERT_HOURS}
      on conflict (component_id, check_id, region_id, hour_start) do update set
        up = result_hours.up + excluded.up, degraded = result_hours.degraded + excluded.degraded,
        down = result_hours.down + excluded.down, unknown = result_hours.unknown + excluded.unknown,
        reasons = case when excluded.reasons = '{}'::jsonb then result_hours.reasons else (
          select jsonb_object_agg(reason, n) from (
            select key as reason, sum(value::int) as n from (select * from jsonb_each_text(result_hours.reasons) union all select * from jsonb_each_text(excluded.reasons)) both_counts group by key
          ) summed) end,
        answered_total_ms = result_hours.answered_total_ms + excluded.answered_total_ms,
        answered_min_ms = least(result_hours.answered_min_ms, excluded.answered_min_ms),
        answered_max_ms = greatest(result_hours.answered_max_ms, excluded.answered_max_ms),
        latency_buckets = (
          select array_agg(coalesce(was, 0) + coalesce(added, 0) order by bucket)
          from unnest(result_hours.latency_buckets, excluded.latency_buckets) with ordinality as b(was, added, bucket))
    )`;
}
