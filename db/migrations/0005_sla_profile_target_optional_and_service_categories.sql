ALTER TABLE "sla_profiles" ALTER COLUMN "availability_target_percent" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "components" ADD COLUMN "service_category" text;