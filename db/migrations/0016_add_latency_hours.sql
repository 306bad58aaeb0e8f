CREATE TABLE "latency_hours" (
	"component_id" text NOT NULL,
	"region_id" text NOT NULL,
	"hour_start" timestamp with time zone NOT NULL,
	"samples" integer NOT NULL,
	"total_ms" double precision NOT NULL,
	"min_ms" real NOT NULL,
	"max_ms" real NOT NULL,
	CONSTRAINT "latency_hours_component_id_region_id_hour_start_pk" PRIMARY KEY("component_id","region_id","hour_start")
);
--> statement-breakpoint
-- the charts show 30 days: results already stored in them are added up once, here
INSERT INTO "latency_hours" ("component_id", "region_id", "hour_start", "samples", "total_ms", "min_ms", "max_ms")
SELECT "component_id", "region_id", date_trunc('hour', "started_at", 'UTC'), count(*), sum("duration_ms"), min("duration_ms"), max("duration_ms")
FROM "check_results"
WHERE "outcome" IN ('up', 'degraded') AND "started_at" > now() - interval '31 days'
GROUP BY 1, 2, 3;
