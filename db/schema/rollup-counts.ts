import { doublePrecision, integer, jsonb, real } from 'drizzle-orm/pg-core';

/**
 * What a rollup holds of the results it sums, hourly or daily: the same
 * columns in both tables, so a day is its hours added up column by column.
 * A function, so each table gets column builders of its own.
 */
export const rollupCounts = () => ({
  up: integer('up').notNull(),
  degraded: integer('degraded').notNull(),
  down: integer('down').notNull(),
  unknown: integer('unknown').notNull(),
  /** Results per probe reason, e.g. `{ "timeout": 3 }`. */
  reasons: jsonb('reasons').$type<Record<string, number>>().notNull(),
  /** Sum, least and greatest response time of the answered (up or degraded) results. */
  answeredTotalMs: doublePrecision('answered_total_ms').notNull(),
  answeredMinMs: real('answered_min_ms'),
  answeredMaxMs: real('answered_max_ms'),
  /**
   * Answered results per latency bucket: one count for each bucket of `LATENCY_BUCKET_BOUNDS_MS`
   * (its length plus one). An array of fixed length, so two add up element by element in plain SQL.
   */
  latencyBuckets: integer('latency_buckets').array().notNull(),
});
