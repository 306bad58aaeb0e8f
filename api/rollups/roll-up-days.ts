import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { rowsOf, type Database } from '../../db/index.ts';
import { LATENCY_BUCKET_COUNT } from './latency-buckets.ts';

/** A day's histogram: the hours' counts added bucket by bucket (SQL's arrays count from 1). */
const BUCKET_SUMS = sql.raw(`array[${Array.from({ length: LATENCY_BUCKET_COUNT }, (_, i) => `sum(h.latency_buckets[${i + 1}])`).join(', ')}]::integer[]`);

type DayToRoll = { component_id: string; time_zone: string; day_start: string; day_end: string; touched: boolean };

const QUARTER_HOUR_MS = 15 * 60_000;

/** The local days (in `zone`) to make for new results from `from` on: the day before the first touched, up to yesterday. */
function daysToRoll(from: Date, zone: string, now: Date): Omit<DayToRoll, 'component_id'>[] {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const firstTouched = from.getTime() >= today.toMillis() ? today : DateTime.fromJSDate(from, { zone }).startOf('day');
  const days: Omit<DayToRoll, 'component_id'>[] = [];
  for (let day = firstTouched.minus({ days: 1 }); day < today; day = day.plus({ days: 1 })) {
    days.push({ time_zone: zone, day_start: day.toISO()!, day_end: day.plus({ days: 1 }).toISO()!, touched: day >= firstTouched });
  }
  return days;
}

/**
 * Adds up the hourly rollups of whole local days (in the zone of each
 * component's page) into `result_days`, for the components whose hours were
 * just rolled up (`from`: each one's earliest new result). A day that new
 * results reached is made again; the day before is made if it is still
 * missing, which is how each day gets its row once it is over (the first
 * results after midnight bring its components here). Today is never made: it
 * is not over, and readers take it from its hours. Runs after `rollUpHours`
 * in the same round, so a day is always the sum of the hours as they are now.
 */
export async function rollUpDays(db: Database, from: readonly { componentId: string; from: Date }[], now: Date): Promise<void> {
  if (from.length === 0) return;
  const zones = rowsOf<{ id: string; time_zone: string }>(
    await db.execute(sql`
      select c.id, p.time_zone from components c join component_groups g on g.id = c.group_id join status_pages p on p.id = g.page_id
      where c.id in (select jsonb_array_elements_text(${JSON.stringify(from.map((m) => m.componentId))}::jsonb))`),
  );
  const zoneOf = new Map(zones.map((z) => [z.id, z.time_zone]));
  // Marks of one round start at a few instants: the days each one asks for are worked out once per zone and
  // quarter hour (every zone's offset is a whole number of quarter hours, so one quarter hour lies in one
  // local day), not with date arithmetic per component (a thousand components a round showed in profiles).
  const daysFrom = new Map<string, Omit<DayToRoll, 'component_id'>[]>();
  const days: DayToRoll[] = [];
  for (const mark of from) {
    const zone = zoneOf.get(mark.componentId);
    if (!zone) continue;
    const key = `${zone} ${Math.floor(mark.from.getTime() / QUARTER_HOUR_MS)}`;
    let wanted = daysFrom.get(key);
    if (!wanted) daysFrom.set(key, (wanted = daysToRoll(mark.from, zone, now)));
    for (const day of wanted) days.push({ component_id: mark.componentId, ...day });
  }
  if (days.length === 0) return;
  await db.execute(sql`
    with wanted as (
      select * from jsonb_to_recordset(${JSON.stringify(days)}::jsonb) as d(component_id text, time_zone text, day_start timestamptz, day_end timestamptz, touched boolean)
    ),
    due as (
      select w.* from wanted w
      where w.touched or not exists (select 1 from result_days x where x.component_id = w.component_id and x.time_zone = w.time_zone and x.day_start = w.day_start)
    ),
    day_hours as (
      select h.*, d.time_zone, d.day_start from due d
      join result_hours h on h.component_id = d.component_id and h.hour_start >= d.day_start and h.hour_start < d.day_end
    ),
    day_reasons as (
      select component_id, check_id, region_id, day_start, jsonb_object_agg(reason, n) as reasons
      from (select component_id, check_id, region_id, day_start, r.key as reason, sum(r.value::int) as n from day_hours cross join jsonb_each_text(reasons) r group by 1, 2, 3, 4, 5) counted
      group by 1, 2, 3, 4
    )
    insert into result_days (component_id, check_id, region_id, time_zone, day_start, up, degraded, down, unknown, reasons, answered_total_ms, answered_min_ms, answered_max_ms, latency_buckets)
    select t.component_id, t.check_id, t.region_id, t.time_zone, t.day_start, t.up, t.degraded, t.down, t.unknown, coalesce(r.reasons, '{}'::jsonb),
      t.answered_total_ms, t.answered_min_ms, t.answered_max_ms, t.latency_buckets
    from (
      select h.component_id, h.check_id, h.region_id, h.time_zone, h.day_start,
        sum(h.up)::int as up, sum(h.degraded)::int as degraded, sum(h.down)::int as down, sum(h.unknown)::int as unknown,
        sum(h.answered_total_ms) as answered_total_ms, min(h.answered_min_ms) as answered_min_ms, max(h.answered_max_ms) as answered_max_ms,
        ${BUCKET_SUMS} as latency_buckets
      from day_hours h group by 1, 2, 3, 4, 5
    ) t
    left join day_reasons r using (component_id, check_id, region_id, day_start)
    on conflict (component_id, check_id, region_id, time_zone, day_start) do update set
      up = excluded.up, degraded = excluded.degraded, down = excluded.down, unknown = excluded.unknown, reasons = excluded.reasons,
      answered_total_ms = excluded.answered_total_ms, answered_min_ms = excluded.answered_min_ms, answered_max_ms = excluded.answered_max_ms,
      latency_buckets = excluded.latency_buckets`);
}
