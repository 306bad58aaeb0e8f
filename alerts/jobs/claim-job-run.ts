import { and, eq, inArray, sql } from 'drizzle-orm';
import { tables, type Database } from '../../db/index.ts';

/** How long a claim holds while its run has not finished; past it the claimer is taken for dead. Longer than any job takes. */
export const JOB_LEASE_MS = 10 * 60_000;
/** A failed run is tried again no sooner than this after it failed, so a broken job does not fail every minute. */
export const JOB_RETRY_AFTER_MS = 5 * 60_000;
/** A slot is retried for this long after its scheduled time; then it is left as it ended and the next slot is due. */
export const JOB_RETRY_WINDOW_MS = 24 * 3_600_000;

/**
 * The period key of a scheduled slot: the minute the cron expression named,
 * in UTC (the same instant as that minute in the job's zone, and unambiguous
 * when a DST change repeats a local hour). Seconds are dropped, so replicas
 * whose timers fire a little apart name the same slot.
 */
export function periodOf(scheduledAt: Date): string {
  return `${scheduledAt.toISOString().slice(0, 16)}Z`;
}

/** The slot a period key names. */
export function slotOf(period: string): Date {
  return new Date(`${period.slice(0, 16)}:00Z`);
}

/** A claim another process may take: its run failed a while ago, or its claimer held it past the lease without finishing. */
function retakeable(now: Date) {
  const j = tables.jobRuns;
  const failedBefore = new Date(now.getTime() - JOB_RETRY_AFTER_MS).toISOString();
  const claimedBefore = new Date(now.getTime() - JOB_LEASE_MS).toISOString();
  return sql`((${j.outcome} like 'failed:%' and ${j.finishedAt} <= ${failedBefore}::timestamptz) or (${j.finishedAt} is null and ${j.startedAt} <= ${claimedBefore}::timestamptz))`;
}

/**
 * Runs `job` for `period` unless it has succeeded there or another process
 * holds it. The claim is one statement: insert the (job, period) row, or
 * take it over when its run failed (and `retryAfterMs` has passed) or its
 * claimer has held it longer than the lease without finishing. PostgreSQL
 * lets one of several racing replicas win it. Returns whether this process
 * ran it, and how that ended.
 */
export async function runJobOnce(db: Database, args: { job: string; period: string; now: () => Date; run: () => Promise<string> }): Promise<{ ran: boolean; outcome?: string }> {
  const j = tables.jobRuns;
  const now = args.now();
  const claimed = await db
    .insert(j)
    .values({ job: args.job, period: args.period, startedAt: now })
    .onConflictDoUpdate({
      target: [j.job, j.period],
      set: { startedAt: now, finishedAt: null, outcome: null },
      setWhere: retakeable(now),
    })
    .returning();
  if (claimed.length === 0) return { ran: false };
  let outcome: string;
  try {
    outcome = `ok: ${await args.run()}`;
  } catch (error) {
    outcome = `failed: ${(error as Error).message}`.slice(0, 1000);
  }
  // only this claim's row: if the lease ran out and another process took it over, its record stands
  await db
    .update(j)
    .set({ finishedAt: args.now(), outcome })
    .where(and(eq(j.job, args.job), eq(j.period, args.period), eq(j.startedAt, claimed[0]!.startedAt)));
  return { ran: true, outcome };
}

/**
 * The slots of `jobs` to run again: their run failed, or their claimer died
 * (the lease ran out unfinished), within the retry window.
 */
export async function slotsToRetry(db: Database, args: { jobs: readonly string[]; now: Date }): Promise<{ job: string; period: string }[]> {
  if (args.jobs.length === 0) return [];
  const j = tables.jobRuns;
  const since = periodOf(new Date(args.now.getTime() - JOB_RETRY_WINDOW_MS));
  return db
    .select({ job: j.job, period: j.period })
    .from(j)
    .where(
      and(
        inArray(j.job, [...args.jobs]),
        sql`${j.period} >= ${since}`,
        retakeable(args.now),
      ),
    );
}
