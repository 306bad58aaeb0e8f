import { doublePrecision, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * What each check measured from each region in each UTC hour, counted by the
 * evaluator from the hour's raw results after new ones arrive (each time
 * afresh, so a replay or a round run twice counts nothing twice). Kept for good,
 * while raw results go with their retention: the component pages' charts
 * and long-range figures read these rows, never the raw results.
 */
export const resultHours = pgTable(
  'result_hours',
  {
    componentId: text('component_id').notNull(),
    checkId: text('check_id').notNull(),
    regionId: text('region_id').notNull(),
    /** The start of the UTC hour the results started in. */
    hourStart: timestamp('hour_start', { withTimezone: true }).notNull(),
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
  },
  (table) => [
    primaryKey({ columns: [table.componentId, table.checkId, table.regionId, table.hourStart] }),
    // a component's hours over a range (its chart, its days added up), without walking all its years of hours
    index('result_hours_component_hour_idx').on(table.componentId, table.hourStart),
  ],
);
