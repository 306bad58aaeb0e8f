import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Deployment-wide values the config sets and every process reads from the
 * database, so replicas and the ingest path agree without sharing the config
 * (e.g. `raw_results_retention_days`).
 */
export const settings = pgTable('settings', {
  name: text('name').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
