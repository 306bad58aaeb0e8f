import { schedule, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { purgeUnconfirmed } from '../../api/index.ts';
import type { StatusvaktConfig } from '../../config/index.ts';
import type { Database } from '../../db/index.ts';
import { periodOf, runJobOnce, slotOf, slotsToRetry } from './claim-job-run.ts';
import type { ReportKind } from './previous-period.ts';
import { queueDigest } from './queue-digest.ts';
import { queueReport } from './queue-report.ts';

/** A job as the config defines it: a name, when, in which zone, and what it does at a scheduled time. */
export type JobSpec = { name: string; cron: string; timeZone: string; run: (scheduledAt: Date) => Promise<string> };

/**
 * The time zone a page's reports are cut in: its SLA profile's, so a month
 * ends where the profile's figures end. A page whose components follow
 * profiles in different zones uses its own zone.
 */
export function reportTimeZoneOf(config: StatusvaktConfig, page: StatusvaktConfig['pages'][number]): string {
  const profileIds = new Set(page.groups.flatMap((g) => g.components.map((c) => c.slaProfile)).filter((id): id is string => id !== undefined));
  const zones = new Set(config.slaProfiles.filter((p) => profileIds.has(p.id)).map((p) => p.timeZone));
  return zones.size === 1 ? [...zones][0]! : page.timeZone;
}

const REPORT_JOBS: { kind: ReportKind; prefix: string; cronOf: (r: PageReports) => string | false }[] = [
  { kind: 'month', prefix: 'monthly-report', cronOf: (r) => r.cron },
  { kind: 'tertial', prefix: 'tertial-report', cronOf: (r) => r.tertialCron },
  { kind: 'year', prefix: 'yearly-report', cronOf: (r) => r.yearlyCron },
];
type PageReports = NonNullable<StatusvaktConfig['pages'][number]['reports']>;

/** The jobs of a config: the purge of stale subscriptions, and each page's monthly, tertial and yearly reports and digest. */
export function jobsOf(config: StatusvaktConfig, deps: { db: Database; now: () => Date }): JobSpec[] {
  const zone = config.jobs?.timeZone ?? 'Europe/Copenhagen';
  const jobs: JobSpec[] = [
    {
      name: 'purge-subscriptions',
      cron: config.jobs?.purgeSubscriptions ?? '30 3 * * *',
      timeZone: zone,
      run: async () => `${await purgeUnconfirmed(deps.db, deps.now())} unconfirmed subscriptions deleted`,
    },
  ];
  for (const page of config.pages) {
    const reports = page.reports;
    if (!reports) continue;
    const recipients = reports.recipients;
    const timeZone = reportTimeZoneOf(config, page);
    for (const spec of REPORT_JOBS) {
      const cron = spec.cronOf(reports);
      if (cron === false) continue;
      jobs.push({
        name: `${spec.prefix}:${page.id}`,
        cron,
        timeZone,
        run: async (scheduledAt) => {
          const queued = await queueReport(deps.db, { pageId: page.id, kind: spec.kind, timeZone, recipients, now: scheduledAt });
          return `report ${queued.periodKey} queued for ${queued.messages} recipients`;
        },
      });
    }
    const digest = reports.digest;
    if (digest) {
      jobs.push({
        name: `digest:${page.id}`,
        cron: digest.cron,
        timeZone,
        run: async (scheduledAt) => {
          const queued = await queueDigest(deps.db, { pageId: page.id, days: digest.days, timeZone, recipients, now: scheduledAt });
          return `digest of ${queued.incidents} incidents and ${queued.windows} windows queued for ${queued.messages} recipients`;
        },
      });
    }
  }
  return jobs;
}

/** How often each replica looks for slots to run again (a failed run, a claimer that died). */
const RETRY_EVERY_MS = 60_000;

/**
 * Schedules the jobs with node-cron in their time zones. Every replica
 * schedules every job; at each scheduled slot the replicas race to claim
 * (job, slot) in `job_runs` and one runs it. Every minute each replica also
 * takes up slots whose run failed or whose claimer died (see
 * `runJobOnce`), so a slot ends done once. `fire` is what a timer calls and
 * `retryDue` what the retry timer calls, exposed so a scheduled time can be
 * played without waiting for it.
 */
export function startScheduledJobs(args: { db: Database; jobs: readonly JobSpec[]; now: () => Date; logger: Logger; onRan?: () => void; /** null: no retry timer; the caller calls `retryDue`. */ retryEveryMs?: number | null }) {
  const fire = async (job: JobSpec, scheduledAt: Date) => {
    const period = periodOf(scheduledAt);
    // the run is for the slot, not for the moment it happens to run (a retry runs hours later)
    const slot = slotOf(period);
    const result = await runJobOnce(args.db, { job: job.name, period, now: args.now, run: () => job.run(slot) });
    if (result.ran) {
      const failed = result.outcome?.startsWith('failed:') ?? false;
      args.logger[failed ? 'error' : 'info']({ job: job.name, period, outcome: result.outcome }, failed ? `scheduled job ${job.name} failed; it is tried again` : `scheduled job ${job.name} ran`);
      args.onRan?.();
    }
    return result;
  };
  const retryDue = async () => {
    const due = await slotsToRetry(args.db, { jobs: args.jobs.map((j) => j.name), now: args.now() });
    const results = [];
    for (const { job, period } of due) results.push({ job, period, ...(await fire(args.jobs.find((j) => j.name === job)!, slotOf(period))) });
    return results;
  };
  /** Runs the timers started: stopping waits for them, so a run that began is recorded as done, not left to its lease. */
  const inFlight = new Set<Promise<unknown>>();
  const tasks: ScheduledTask[] = args.jobs.map((job) =>
    schedule(
      job.cron,
      async (context) => {
        // context.date is the slot the expression named, not when the timer got round to it
        const run = fire(job, context.date).catch((err: unknown) => args.logger.error({ err, job: job.name }, 'scheduled job failed'));
        inFlight.add(run);
        await run.finally(() => inFlight.delete(run));
      },
      { timezone: job.timeZone, name: job.name, noOverlap: true },
    ),
  );
  let retrying: Promise<unknown> = Promise.resolve();
  const retryEveryMs = args.retryEveryMs === undefined ? RETRY_EVERY_MS : args.retryEveryMs;
  const retryTimer =
    retryEveryMs === null
      ? undefined
      : setInterval(() => {
          retrying = retrying.then(retryDue).catch((err: unknown) => args.logger.error({ err }, 'retrying scheduled jobs failed'));
        }, retryEveryMs).unref();
  return {
    fire: (name: string, scheduledAt: Date) => {
      const job = args.jobs.find((j) => j.name === name);
      if (!job) throw new Error(`no scheduled job "${name}"`);
      return fire(job, scheduledAt);
    },
    retryDue,
    stop: async () => {
      clearInterval(retryTimer);
      for (const task of tasks) await task.stop();
      await Promise.all([...inFlight]);
      await retrying;
    },
  };
}
export type ScheduledJobs = ReturnType<typeof startScheduledJobs>;
