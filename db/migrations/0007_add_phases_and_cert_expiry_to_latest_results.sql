ALTER TABLE "latest_results" ADD COLUMN "phases_ms" jsonb;--> statement-breakpoint
ALTER TABLE "latest_results" ADD COLUMN "cert_not_after" timestamp with time zone;