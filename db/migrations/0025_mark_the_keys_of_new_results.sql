-- Each mark ingest writes names the results its batch stored (start and id), so the evaluator adds
-- exactly those to their hourly rollups instead of counting the whole hour again every round.
ALTER TABLE "evaluation_marks" ADD COLUMN "new_started_at" timestamp with time zone[];--> statement-breakpoint
ALTER TABLE "evaluation_marks" ADD COLUMN "new_ids" uuid[];