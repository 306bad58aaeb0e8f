import { pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One run of a scheduled job for one scheduled time. Every replica's timer
 * fires; the first to insert its (job, period) row runs the job, the others
 * find the key taken and skip.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    job: text('job').notNull(),
    /** The scheduled time it runs for, to the minute in UTC (e.g. `2026-04-07T06:00Z`). */
    period: text('period').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** `ok: …` or `failed: …`. */
    outcome: text('outcome'),
  },
  (table) => [primaryKey({ columns: [table.job, table.period] })],
);
