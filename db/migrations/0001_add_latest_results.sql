CREATE TABLE "latest_results" (
	"component_id" text NOT NULL,
	"check_id" text NOT NULL,
	"region_id" text NOT NULL,
	"result_id" uuid NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"reason" text,
	"message" text,
	"duration_ms" real NOT NULL,
	"http_status" integer,
	CONSTRAINT "latest_results_component_id_check_id_region_id_pk" PRIMARY KEY("component_id","check_id","region_id")
);
