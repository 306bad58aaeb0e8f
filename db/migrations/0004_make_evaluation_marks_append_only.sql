-- Marks are transient work items: without a per-component key, ingest only ever appends and never waits on the evaluator.
ALTER TABLE "evaluation_marks" DROP CONSTRAINT "evaluation_marks_pkey";--> statement-breakpoint
ALTER TABLE "evaluation_marks" ADD COLUMN "id" bigserial PRIMARY KEY NOT NULL;--> statement-breakpoint
-- latest_results is updated in place on every ingest; free room on each page lets PostgreSQL do that without touching the index (HOT updates)
ALTER TABLE "latest_results" SET (fillfactor = 50);
