import { pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The run of a scheduled job for one scheduled slot. Every replica's timer
 * fires; the first to insert its (job, period) row runs the job, the others
 * find the key taken and skip. A failed run, or one whose claimer died
 * (unfinished past the lease), is claimed again by updating the row
 * (alerts/jobs/claim-job-run.ts).
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    job: text('job').notNull(),
    /** The slot it runs for: the minute the cron expression named, in UTC (e.g. `2026-04-07T06:00Z`). */
    period: text('period').notNull(),
    /** When the current claim was taken; a retry moves it. */
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** `ok: …` or `failed: …`. */
    outcome: text('outcome'),
  },
  (table) => [primaryKey({ columns: [table.job, table.period] })],
);
