import { integer, jsonb, pgTable, primaryKey, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The newest result per (component, check, region), kept on ingest so that
 * status pages and quorum evaluation never scan the raw results.
 */
export const latestResults = pgTable(
  'latest_results',
  {
    componentId: text('component_id').notNull(),
    checkId: text('check_id').notNull(),
    regionId: text('region_id').notNull(),
    resultId: uuid('result_id').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    outcome: text('outcome', { enum: ['up', 'degraded', 'down', 'unknown'] }).notNull(),
    reason: text('reason'),
    message: text('message'),
    durationMs: real('duration_ms').notNull(),
    httpStatus: integer('http_status'),
    /** Per-phase timings of the result, for /metrics. */
    phasesMs: jsonb('phases_ms'),
    /** The certificate's expiry, for /metrics (probe_ssl_earliest_cert_expiry). */
    certNotAfter: timestamp('cert_not_after', { withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.componentId, table.checkId, table.regionId] })],
);
