CREATE TABLE "third_party_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"component_id" text NOT NULL,
	"check_id" text NOT NULL,
	"external_id" text NOT NULL,
	"kind" text NOT NULL,
	"impact" text NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"url" text,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"updated_at" timestamp with time zone,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "components" ADD COLUMN "depends_on" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "third_party_notices_check_external_idx" ON "third_party_notices" USING btree ("component_id","check_id","external_id");--> statement-breakpoint
CREATE INDEX "third_party_notices_active_idx" ON "third_party_notices" USING btree ("component_id","ended_at");