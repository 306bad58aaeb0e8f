CREATE TABLE "probe_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"region_id" text NOT NULL,
	"label" text,
	"secret_sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "probe_tokens" ADD CONSTRAINT "probe_tokens_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;