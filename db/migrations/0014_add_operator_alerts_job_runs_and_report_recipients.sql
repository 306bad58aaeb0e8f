CREATE TABLE "job_runs" (
	"job" text NOT NULL,
	"period" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text,
	CONSTRAINT "job_runs_job_period_pk" PRIMARY KEY("job","period")
);
--> statement-breakpoint
ALTER TABLE "notification_events" ADD COLUMN "dedupe_key" text;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "alert_target" jsonb;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "recipient" text;--> statement-breakpoint
CREATE UNIQUE INDEX "notification_events_dedupe_key_idx" ON "notification_events" USING btree ("dedupe_key");