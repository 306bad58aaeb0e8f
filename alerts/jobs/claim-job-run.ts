import { and, eq } from 'drizzle-orm';
import { tables, type Database } from '../../db/index.ts';

/** The period key of a scheduled time: the minute, in UTC. Two replicas whose timers fire for the same minute name the same period. */
export function periodOf(scheduledAt: Date): string {
  return `${scheduledAt.toISOString().slice(0, 16)}Z`;
}

/**
 * Runs `job` for `period` unless some process has already claimed it: the
 * claim is the insert of its (job, period) row, so of several replicas
 * exactly one runs it. Returns whether this process ran it. A failed run
 * stays recorded as failed; it is not retried for that period.
 */
export async function runJobOnce(db: Database, args: { job: string; period: string; now: () => Date; run: () => Promise<string> }): Promise<{ ran: boolean; outcome?: string }> {
  const claimed = await db.insert(tables.jobRuns).values({ job: args.job, period: args.period, startedAt: args.now() }).onConflictDoNothing().returning();
  if (claimed.length === 0) return { ran: false };
  let outcome: string;
  try {
    outcome = `ok: ${await args.run()}`;
  } catch (error) {
    outcome = `failed: ${(error as Error).message}`.slice(0, 1000);
  }
  await db.update(tables.jobRuns).set({ finishedAt: args.now(), outcome }).where(and(eq(tables.jobRuns.job, args.job), eq(tables.jobRuns.period, args.period)));
  return { ran: true, outcome };
}
