CREATE TABLE "login_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"failures" integer NOT NULL,
	"next_allowed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "organisation_id" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_last_step" bigint;--> statement-breakpoint
CREATE INDEX "audit_log_organisation_idx" ON "audit_log" USING btree ("organisation_id","id");--> statement-breakpoint
UPDATE "audit_log" SET "organisation_id" = p."organisation_id" FROM "incidents" i JOIN "status_pages" p ON p."id" = i."page_id" WHERE "audit_log"."entity" = 'incident' AND "audit_log"."entity_id" = i."id"::text;