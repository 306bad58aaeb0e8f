import { index, integer, jsonb, pgTable, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** One measurement by one probe region. Raw, append-only; states are derived from it. */
export const checkResults = pgTable(
  'check_results',
  {
    /** Chosen by the probe, so a replayed batch is stored once. */
    id: uuid('id').primaryKey(),
    componentId: text('component_id').notNull(),
    checkId: text('check_id').notNull(),
    regionId: text('region_id').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    outcome: text('outcome', { enum: ['up', 'degraded', 'down', 'unknown'] }).notNull(),
    /** Why the result is not `up`, from the fixed vocabulary of probe reasons. */
    reason: text('reason'),
    durationMs: real('duration_ms').notNull(),
    httpStatus: integer('http_status'),
    /** Per-phase timings in ms: dns, connect, tls, firstByte, transfer. */
    phasesMs: jsonb('phases_ms'),
    certificate: jsonb('certificate'),
    message: text('message'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('check_results_component_started_idx').on(table.componentId, table.startedAt),
    index('check_results_started_idx').on(table.startedAt),
  ],
);
