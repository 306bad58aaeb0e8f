-- Adds two sets of counts kept as JSON objects ({ "timeout": 3 } + { "timeout": 1, "refused": 2 }):
-- reason counts and latency histograms of hourly rollups merge with it on ingest.
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
	"latency_buckets" jsonb NOT NULL,
	CONSTRAINT "result_hours_component_id_check_id_region_id_hour_start_pk" PRIMARY KEY("component_id","check_id","region_id","hour_start")
);
--> statement-breakpoint
-- Every result stored so far, rolled up once; the bounds are LATENCY_BUCKET_BOUNDS_MS (api/rollups/latency-buckets.ts).
INSERT INTO "result_hours"
SELECT t.component_id, t.check_id, t.region_id, t.hour_start, t.up, t.degraded, t.down, t.unknown,
	coalesce((SELECT jsonb_object_agg(r.reason, r.n) FROM (
		SELECT reason, count(*) AS n FROM check_results c
		WHERE c.component_id = t.component_id AND c.check_id = t.check_id AND c.region_id = t.region_id
			AND c.started_at >= t.hour_start AND c.started_at < t.hour_start + interval '1 hour' AND c.reason IS NOT NULL
		GROUP BY reason) r), '{}'::jsonb),
	t.answered_total_ms, t.answered_min_ms, t.answered_max_ms,
	coalesce((SELECT jsonb_object_agg(b.bucket::text, b.n) FROM (
		SELECT width_bucket(duration_ms, ARRAY[1,2,3,5,7,10,15,20,30,50,70,100,150,200,300,500,700,1000,1500,2000,3000,5000,7000,10000,15000,20000,30000,60000]::real[]) AS bucket, count(*) AS n
		FROM check_results c
		WHERE c.component_id = t.component_id AND c.check_id = t.check_id AND c.region_id = t.region_id
			AND c.started_at >= t.hour_start AND c.started_at < t.hour_start + interval '1 hour' AND c.outcome IN ('up', 'degraded')
		GROUP BY 1) b), '{}'::jsonb)
FROM (
	SELECT component_id, check_id, region_id, date_trunc('hour', started_at, 'UTC') AS hour_start,
		count(*) FILTER (WHERE outcome = 'up')::int AS up,
		count(*) FILTER (WHERE outcome = 'degraded')::int AS degraded,
		count(*) FILTER (WHERE outcome = 'down')::int AS down,
		count(*) FILTER (WHERE outcome = 'unknown')::int AS unknown,
		coalesce(sum(duration_ms) FILTER (WHERE outcome IN ('up', 'degraded')), 0) AS answered_total_ms,
		min(duration_ms) FILTER (WHERE outcome IN ('up', 'degraded')) AS answered_min_ms,
		max(duration_ms) FILTER (WHERE outcome IN ('up', 'degraded')) AS answered_max_ms
	FROM check_results
	GROUP BY 1, 2, 3, 4
) t;
--> statement-breakpoint
DROP TABLE "latency_hours";
