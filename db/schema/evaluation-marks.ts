import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Components whose state timeline must be rebuilt from `from_at` on: written
 * by ingest (the earliest new result), claimed by the evaluator with
 * FOR UPDATE SKIP LOCKED, so any number of API processes share the work.
 */
export const evaluationMarks = pgTable('evaluation_marks', {
  componentId: text('component_id').primaryKey(),
  fromAt: timestamp('from_at', { withTimezone: true }).notNull(),
});
