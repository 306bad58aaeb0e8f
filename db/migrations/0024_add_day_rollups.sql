-- Daily rollups: each whole local day's hours added up, per check and region, in the zone of the
-- component's page, so a 30-day chart reads 30 rows a region instead of 720 hours. The evaluator makes
-- them as days end; here they are made once for the days already over, from the hours kept so far.
CREATE TABLE "result_days" (
	"component_id" text NOT NULL,
	"check_id" text NOT NULL,
	"region_id" text NOT NULL,
	"time_zone" text NOT NULL,
	"day_start" timestamp with time zone NOT NULL,
	"up" integer NOT NULL,
	"degraded" integer NOT NULL,
	"down" integer NOT NULL,
	"unknown" integer NOT NULL,
	"reasons" jsonb NOT NULL,
	"answered_total_ms" double precision NOT NULL,
	"answered_min_ms" real,
	"answered_max_ms" real,
	"latency_buckets" integer[] NOT NULL,
	CONSTRAINT "result_days_component_id_check_id_region_id_time_zone_day_start_pk" PRIMARY KEY("component_id","check_id","region_id","time_zone","day_start")
);
--> statement-breakpoint
CREATE INDEX "result_hours_component_hour_idx" ON "result_hours" USING btree ("component_id","hour_start");

--> statement-breakpoint
INSERT INTO "result_days" ("component_id", "check_id", "region_id", "time_zone", "day_start", "up", "degraded", "down", "unknown", "reasons", "answered_total_ms", "answered_min_ms", "answered_max_ms", "latency_buckets")
SELECT t.component_id, t.check_id, t.region_id, t.time_zone, t.day_start, t.up, t.degraded, t.down, t.unknown, coalesce(r.reasons, '{}'::jsonb),
  t.answered_total_ms, t.answered_min_ms, t.answered_max_ms, t.latency_buckets
FROM (
  SELECT h.component_id, h.check_id, h.region_id, p.time_zone, date_trunc('day', h.hour_start, p.time_zone) AS day_start,
    sum(h.up)::int AS up, sum(h.degraded)::int AS degraded, sum(h.down)::int AS down, sum(h.unknown)::int AS unknown,
    sum(h.answered_total_ms) AS answered_total_ms, min(h.answered_min_ms) AS answered_min_ms, max(h.answered_max_ms) AS answered_max_ms,
    array[sum(h.latency_buckets[1]), sum(h.latency_buckets[2]), sum(h.latency_buckets[3]), sum(h.latency_buckets[4]), sum(h.latency_buckets[5]), sum(h.latency_buckets[6]), sum(h.latency_buckets[7]), sum(h.latency_buckets[8]), sum(h.latency_buckets[9]), sum(h.latency_buckets[10]), sum(h.latency_buckets[11]), sum(h.latency_buckets[12]), sum(h.latency_buckets[13]), sum(h.latency_buckets[14]), sum(h.latency_buckets[15]), sum(h.latency_buckets[16]), sum(h.latency_buckets[17]), sum(h.latency_buckets[18]), sum(h.latency_buckets[19]), sum(h.latency_buckets[20]), sum(h.latency_buckets[21]), sum(h.latency_buckets[22]), sum(h.latency_buckets[23]), sum(h.latency_buckets[24]), sum(h.latency_buckets[25]), sum(h.latency_buckets[26]), sum(h.latency_buckets[27]), sum(h.latency_buckets[28]), sum(h.latency_buckets[29])]::integer[] AS latency_buckets
  FROM "result_hours" h
  JOIN "components" c ON c.id = h.component_id
  JOIN "component_groups" g ON g.id = c.group_id
  JOIN "status_pages" p ON p.id = g.page_id
  WHERE date_trunc('day', h.hour_start, p.time_zone) < date_trunc('day', now(), p.time_zone)
  GROUP BY 1, 2, 3, 4, 5
) t
LEFT JOIN (
  SELECT component_id, check_id, region_id, day_start, jsonb_object_agg(reason, n) AS reasons
  FROM (
    SELECT h.component_id, h.check_id, h.region_id, date_trunc('day', h.hour_start, p.time_zone) AS day_start, r.key AS reason, sum(r.value::int) AS n
    FROM "result_hours" h
    JOIN "components" c ON c.id = h.component_id
    JOIN "component_groups" g ON g.id = c.group_id
    JOIN "status_pages" p ON p.id = g.page_id
    CROSS JOIN jsonb_each_text(h.reasons) r
    GROUP BY 1, 2, 3, 4, 5
  ) counted
  GROUP BY 1, 2, 3, 4
) r USING (component_id, check_id, region_id, day_start);
