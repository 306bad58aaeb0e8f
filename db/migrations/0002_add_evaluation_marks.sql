CREATE TABLE "evaluation_marks" (
	"component_id" text PRIMARY KEY NOT NULL,
	"from_at" timestamp with time zone NOT NULL
);
