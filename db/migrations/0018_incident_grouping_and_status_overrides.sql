CREATE TABLE "component_status_overrides" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"component_id" text NOT NULL,
	"status" text NOT NULL,
	"note" text,
	"set_by" text NOT NULL,
	"set_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"cleared_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "title_edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "merged_into_id" uuid;--> statement-breakpoint
CREATE INDEX "component_status_overrides_live_idx" ON "component_status_overrides" USING btree ("component_id","expires_at");