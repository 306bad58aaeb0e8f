ALTER TABLE "status_pages" ADD COLUMN "recently_resolved_hours" integer DEFAULT 24 NOT NULL;--> statement-breakpoint
ALTER TABLE "status_pages" ADD COLUMN "accessibility" jsonb;