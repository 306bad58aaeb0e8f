import { index, integer, pgTable, primaryKey, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The phases of `phases_ms`, by position (SQL arrays count from 1: dns is `phases_ms[1]`). */
export const PHASE_ORDER = ['dns', 'connect', 'starttls', 'tls', 'firstByte', 'transfer'] as const;

/**
 * One measurement by one probe region. Raw, append-only; states are derived
 * from it. The table is partitioned by UTC day of `started_at` (migration
 * 0020, `db/result-partitions.ts`): whole days are dropped once they are older
 * than the retention, and the key leads with time, so each day's rows and
 * index pages are written in order at the end.
 */
export const checkResults = pgTable(
  'check_results',
  {
    /** Chosen by the probe, so a replayed batch is stored once (with `startedAt`, which a replay repeats). */
    id: uuid('id').notNull(),
    componentId: text('component_id').notNull(),
    checkId: text('check_id').notNull(),
    regionId: text('region_id').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    outcome: text('outcome', { enum: ['up', 'degraded', 'down', 'unknown'] }).notNull(),
    /** Why the result is not `up`, from the fixed vocabulary of probe reasons. */
    reason: text('reason'),
    durationMs: real('duration_ms').notNull(),
    httpStatus: integer('http_status'),
    /** Per-phase timings in ms, in the order of `PHASE_ORDER`, null where a check has no such phase: 44 bytes where JSON took about 90. */
    phasesMs: real('phases_ms').array(),
    /** The certificate the check saw, by the SHA-256 of its JSON (`certificates`): stored once, not once a minute in every result. */
    certificateSha256: text('certificate_sha256'),
    message: text('message'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // a key on a partitioned table must hold the partition column: time first, as rows arrive
    primaryKey({ columns: [table.startedAt, table.id] }),
    index('check_results_component_started_idx').on(table.componentId, table.startedAt),
  ],
);
