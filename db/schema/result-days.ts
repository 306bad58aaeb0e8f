import { doublePrecision, integer, jsonb, pgTable, primaryKey, real, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The hourly rollups of each whole local day added up, per check and region,
 * in the time zone of the component's page: a 30-day chart reads 30 rows a
 * region instead of 720 hours. Made by the evaluator from `result_hours` once
 * a day is over, and again whenever a late result reaches it; a day of
 * another zone (the page's zone changed) or not made yet is read from its
 * hours instead, so a missing row costs time, never a wrong figure.
 */
export const resultDays = pgTable(
  'result_days',
  {
    componentId: text('component_id').notNull(),
    checkId: text('check_id').notNull(),
    regionId: text('region_id').notNull(),
    /** The IANA zone the day is local to (the page's). */
    timeZone: text('time_zone').notNull(),
    /** Local midnight; the day holds the hours that start from then until the next local midnight. */
    dayStart: timestamp('day_start', { withTimezone: true }).notNull(),
    up: integer('up').notNull(),
    degraded: integer('degraded').notNull(),
    down: integer('down').notNull(),
    unknown: integer('unknown').notNull(),
    reasons: jsonb('reasons').$type<Record<string, number>>().notNull(),
    answeredTotalMs: doublePrecision('answered_total_ms').notNull(),
    answeredMinMs: real('answered_min_ms'),
    answeredMaxMs: real('answered_max_ms'),
    /** The hours' histograms added bucket by bucket (see `result_hours.latency_buckets`). */
    latencyBuckets: integer('latency_buckets').array().notNull(),
  },
  (table) => [primaryKey({ columns: [table.componentId, table.checkId, table.regionId, table.timeZone, table.dayStart] })],
);
