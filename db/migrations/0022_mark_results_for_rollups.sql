-- Hourly rollups are made by the evaluator from raw results, hour by hour, instead of being added to in
-- the statement that stores the results: ingest stays a plain insert plus a mark per component. A mark
-- made by ingest says new results start at its from_at (their hours are rolled up again); the periodic
-- sweep's marks (time passing, no new result) leave the rollups alone. Marks waiting at the upgrade came
-- from the ingest before it, which had added their results to the rollups already.
ALTER TABLE "evaluation_marks" ADD COLUMN "with_results" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
-- Reason counts are no longer merged in SQL: an hour's are counted afresh each time.
DROP FUNCTION IF EXISTS "statusvakt_add_counts"(jsonb, jsonb);
