CREATE TABLE "exclusions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"component_ids" text[] NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"end_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"author" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "service_windows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"component_ids" text[] NOT NULL,
	"title" jsonb NOT NULL,
	"planned_start" timestamp with time zone NOT NULL,
	"planned_end" timestamp with time zone NOT NULL,
	"announced_at" timestamp with time zone NOT NULL,
	"actual_start" timestamp with time zone,
	"actual_end" timestamp with time zone,
	"emergency" boolean DEFAULT false NOT NULL,
	"broken_rules" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sla_statements" (
	"id" serial PRIMARY KEY NOT NULL,
	"scope" text NOT NULL,
	"scope_id" text NOT NULL,
	"period_key" text NOT NULL,
	"version" integer NOT NULL,
	"document" jsonb NOT NULL,
	"content_sha256" text NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "exclusions_span_idx" ON "exclusions" USING btree ("start_at","end_at");--> statement-breakpoint
CREATE INDEX "service_windows_planned_idx" ON "service_windows" USING btree ("planned_start","planned_end");--> statement-breakpoint
CREATE UNIQUE INDEX "sla_statements_version_idx" ON "sla_statements" USING btree ("scope","scope_id","period_key","version");--> statement-breakpoint
CREATE INDEX "sla_statements_period_idx" ON "sla_statements" USING btree ("period_key");