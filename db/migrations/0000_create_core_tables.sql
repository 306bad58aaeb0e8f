CREATE TABLE "check_results" (
	"id" uuid PRIMARY KEY NOT NULL,
	"component_id" text NOT NULL,
	"check_id" text NOT NULL,
	"region_id" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"reason" text,
	"duration_ms" real NOT NULL,
	"http_status" integer,
	"phases_ms" jsonb,
	"certificate" jsonb,
	"message" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "checks" (
	"component_id" text NOT NULL,
	"check_id" text NOT NULL,
	"kind" text NOT NULL,
	"interval_seconds" integer NOT NULL,
	"regions" jsonb,
	"spec" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "checks_component_id_check_id_pk" PRIMARY KEY("component_id","check_id")
);
--> statement-breakpoint
CREATE TABLE "component_groups" (
	"id" text PRIMARY KEY NOT NULL,
	"page_id" text NOT NULL,
	"name" jsonb NOT NULL,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "components" (
	"id" text PRIMARY KEY NOT NULL,
	"group_id" text NOT NULL,
	"name" jsonb NOT NULL,
	"description" jsonb,
	"sla_profile_id" text,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sla_profiles" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"availability_target_percent" numeric(7, 4) NOT NULL,
	"time_zone" text NOT NULL,
	"spec" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "state_intervals" (
	"id" serial PRIMARY KEY NOT NULL,
	"component_id" text NOT NULL,
	"state" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "status_pages" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"name" jsonb NOT NULL,
	"default_language" text NOT NULL,
	"languages" jsonb NOT NULL,
	"time_zone" text NOT NULL,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_component_id_components_id_fk" FOREIGN KEY ("component_id") REFERENCES "public"."components"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "component_groups" ADD CONSTRAINT "component_groups_page_id_status_pages_id_fk" FOREIGN KEY ("page_id") REFERENCES "public"."status_pages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "components" ADD CONSTRAINT "components_group_id_component_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."component_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_pages" ADD CONSTRAINT "status_pages_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "check_results_component_started_idx" ON "check_results" USING btree ("component_id","started_at");--> statement-breakpoint
CREATE INDEX "check_results_started_idx" ON "check_results" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "state_intervals_component_started_idx" ON "state_intervals" USING btree ("component_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "state_intervals_one_open_idx" ON "state_intervals" USING btree ("component_id") WHERE "state_intervals"."ended_at" is null;