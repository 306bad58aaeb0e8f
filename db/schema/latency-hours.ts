import { doublePrecision, integer, pgTable, primaryKey, real, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Response times per component, region and UTC hour, added up on ingest from
 * the results that got an answer (up or degraded). The component page's charts
 * read these sums, so a view costs the same however many results were stored.
 */
export const latencyHours = pgTable(
  'latency_hours',
  {
    componentId: text('component_id').notNull(),
    regionId: text('region_id').notNull(),
    /** The start of the UTC hour the results started in. */
    hourStart: timestamp('hour_start', { withTimezone: true }).notNull(),
    samples: integer('samples').notNull(),
    totalMs: doublePrecision('total_ms').notNull(),
    minMs: real('min_ms').notNull(),
    maxMs: real('max_ms').notNull(),
  },
  (table) => [primaryKey({ columns: [table.componentId, table.regionId, table.hourStart] })],
);
