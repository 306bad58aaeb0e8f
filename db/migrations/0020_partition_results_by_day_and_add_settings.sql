CREATE TABLE "settings" (
	"name" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Certificates are kept once; a raw result names its certificate by the SHA-256 of its JSON.
CREATE TABLE "certificates" (
	"sha256" text PRIMARY KEY NOT NULL,
	"certificate" jsonb NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Raw results become a table partitioned by day of started_at, so retention drops whole days
-- instead of deleting rows. The key leads with time (a key of a partitioned table must hold the
-- partition column); a replay repeats both id and started_at, so it is still stored once.
ALTER TABLE "check_results" RENAME TO "check_results_unpartitioned";--> statement-breakpoint
ALTER INDEX "check_results_component_started_idx" RENAME TO "check_results_unpartitioned_component_started_idx";--> statement-breakpoint
DROP INDEX "check_results_started_idx";--> statement-breakpoint
CREATE TABLE "check_results" (
	"id" uuid NOT NULL,
	"component_id" text NOT NULL,
	"check_id" text NOT NULL,
	"region_id" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"reason" text,
	"duration_ms" real NOT NULL,
	"http_status" integer,
	"phases_ms" real[],
	"certificate_sha256" text,
	"message" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "check_results_started_at_id_pk" PRIMARY KEY("started_at","id")
) PARTITION BY RANGE ("started_at");
--> statement-breakpoint
CREATE INDEX "check_results_component_started_idx" ON "check_results" USING btree ("component_id","started_at");--> statement-breakpoint
-- Catches a result whose day has no partition yet; the server moves such rows into their day's partition.
CREATE TABLE "check_results_default" PARTITION OF "check_results" DEFAULT;--> statement-breakpoint
-- Each day that holds results gets its partition here, so the copy below puts every earlier result
-- straight into its day and the default partition starts empty (attaching a day later scans the
-- default). The server's partition maintenance then drops the days past the retention (db/result-partitions.ts).
-- Days are UTC days of 24 hours: '1 day' would follow the session's time zone and make 23- or 25-hour days at a clock change.
DO $$
DECLARE
	day timestamptz;
BEGIN
	FOR day IN SELECT DISTINCT date_trunc('day', "started_at", 'UTC') FROM "check_results_unpartitioned" LOOP
		EXECUTE format('CREATE TABLE %I PARTITION OF "check_results" FOR VALUES FROM (%L) TO (%L)',
			'check_results_d' || to_char(day AT TIME ZONE 'UTC', 'YYYYMMDD'), day, day + interval '24 hours');
	END LOOP;
END $$;--> statement-breakpoint
-- Phase timings become an array in the order dns, connect, starttls, tls, firstByte, transfer (PHASE_ORDER).
INSERT INTO "certificates" ("sha256", "certificate")
SELECT DISTINCT encode(sha256(convert_to("certificate"::text, 'UTF8')), 'hex'), "certificate" FROM "check_results_unpartitioned" WHERE "certificate" IS NOT NULL
ON CONFLICT ("sha256") DO NOTHING;--> statement-breakpoint
INSERT INTO "check_results"
SELECT "id", "component_id", "check_id", "region_id", "started_at", "outcome", "reason", "duration_ms", "http_status",
	CASE WHEN "phases_ms" IS NULL THEN NULL ELSE ARRAY[("phases_ms"->>'dns')::real, ("phases_ms"->>'connect')::real, ("phases_ms"->>'starttls')::real, ("phases_ms"->>'tls')::real, ("phases_ms"->>'firstByte')::real, ("phases_ms"->>'transfer')::real] END,
	CASE WHEN "certificate" IS NULL THEN NULL ELSE encode(sha256(convert_to("certificate"::text, 'UTF8')), 'hex') END,
	"message", "received_at"
FROM "check_results_unpartitioned";--> statement-breakpoint
DROP TABLE "check_results_unpartitioned";
