-- Adds two sets of counts kept as JSON objects ({ "timeout": 3 } + { "timeout": 1, "refused": 2 }):
-- the reason counts of hourly rollups merge with it on ingest.
CREATE FUNCTION "statusvakt_add_counts"(a jsonb, b jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(jsonb_object_agg(key, total), '{}'::jsonb)
	FROM (
		SELECT key, sum(value::bigint) AS total
		FROM (SELECT * FROM jsonb_each_text(coalesce(a, '{}'::jsonb)) UNION ALL SELECT * FROM jsonb_each_text(coalesce(b, '{}'::jsonb))) AS pairs
		GROUP BY key
	) AS sums
$$;
--> statement-breakpoint
CREATE TABLE "result_hours" (
	"component_id" text NOT NULL,
	"check_id" text NOT NULL,
	"region_id" text NOT NULL,
	"hour_start" timestamp with time zone NOT NULL,
	"up" integer NOT NULL,
	"degraded" integer NOT NULL,
	"down" integer NOT NULL,
	"unknown" integer NOT NULL,
	"reasons" jsonb NOT NULL,
	"answered_total_ms" double precision NOT NULL,
	"answered_min_ms" real,
	"answered_max_ms" real,
	"latency_buckets" integer[] NOT NULL,
	CONSTRAINT "result_hours_component_id_check_id_region_id_hour_start_pk" PRIMARY KEY("component_id","check_id","region_id","hour_start")
);
--> statement-breakpoint
-- Every result stored so far, rolled up once. The bounds are LATENCY_BUCKET_BOUNDS_MS (api/rollups/latency-buckets.ts),
-- one count per bucket: under 1 ms, 1–2 ms, … 30–60 s, 60 s and more.
INSERT INTO "result_hours"
SELECT t.component_id, t.check_id, t.region_id, t.hour_start, t.up, t.degraded, t.down, t.unknown,
	coalesce((SELECT jsonb_object_agg(r.reason, r.n) FROM (
		SELECT reason, count(*) AS n FROM check_results c
		WHERE c.component_id = t.component_id AND c.check_id = t.check_id AND c.region_id = t.region_id
			AND c.started_at >= t.hour_start AND c.started_at < t.hour_start + interval '1 hour' AND c.reason IS NOT NULL
		GROUP BY reason) r), '{}'::jsonb),
	t.answered_total_ms, t.answered_min_ms, t.answered_max_ms, t.latency_buckets
FROM (
	SELECT component_id, check_id, region_id, date_trunc('hour', started_at, 'UTC') AS hour_start,
		count(*) FILTER (WHERE outcome = 'up')::int AS up,
		count(*) FILTER (WHERE outcome = 'degraded')::int AS degraded,
		count(*) FILTER (WHERE outcome = 'down')::int AS down,
		count(*) FILTER (WHERE outcome = 'unknown')::int AS unknown,
		coalesce(sum(duration_ms) FILTER (WHERE outcome IN ('up', 'degraded')), 0) AS answered_total_ms,
		min(duration_ms) FILTER (WHERE outcome IN ('up', 'degraded')) AS answered_min_ms,
		max(duration_ms) FILTER (WHERE outcome IN ('up', 'degraded')) AS answered_max_ms,
		ARRAY[
			count(*) FILTER (WHERE bucket = 0),
			count(*) FILTER (WHERE bucket = 1),
			count(*) FILTER (WHERE bucket = 2),
			count(*) FILTER (WHERE bucket = 3),
			count(*) FILTER (WHERE bucket = 4),
			count(*) FILTER (WHERE bucket = 5),
			count(*) FILTER (WHERE bucket = 6),
			count(*) FILTER (WHERE bucket = 7),
			count(*) FILTER (WHERE bucket = 8),
			count(*) FILTER (WHERE bucket = 9),
			count(*) FILTER (WHERE bucket = 10),
			count(*) FILTER (WHERE bucket = 11),
			count(*) FILTER (WHERE bucket = 12),
			count(*) FILTER (WHERE bucket = 13),
			count(*) FILTER (WHERE bucket = 14),
			count(*) FILTER (WHERE bucket = 15),
			count(*) FILTER (WHERE bucket = 16),
			count(*) FILTER (WHERE bucket = 17),
			count(*) FILTER (WHERE bucket = 18),
			count(*) FILTER (WHERE bucket = 19),
			count(*) FILTER (WHERE bucket = 20),
			count(*) FILTER (WHERE bucket = 21),
			count(*) FILTER (WHERE bucket = 22),
			count(*) FILTER (WHERE bucket = 23),
			count(*) FILTER (WHERE bucket = 24),
			count(*) FILTER (WHERE bucket = 25),
			count(*) FILTER (WHERE bucket = 26),
			count(*) FILTER (WHERE bucket = 27),
			count(*) FILTER (WHERE bucket = 28)
		]::integer[] AS latency_buckets
	FROM (SELECT *, CASE WHEN outcome IN ('up', 'degraded') THEN width_bucket(duration_ms, ARRAY[1,2,3,5,7,10,15,20,30,50,70,100,150,200,300,500,700,1000,1500,2000,3000,5000,7000,10000,15000,20000,30000,60000]::real[]) END AS bucket FROM check_results) r
	GROUP BY 1, 2, 3, 4
) t;
--> statement-breakpoint
DROP TABLE "latency_hours";
