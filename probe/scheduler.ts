import { createHash } from 'node:crypto';

export type ScheduledJob = {
  /** Stable key: the same key always gets the same offset within its interval. */
  key: string;
  intervalSeconds: number;
  run: () => Promise<void>;
};

export type SchedulerStats = { started: number; skippedOverlaps: number; lagMs: number[] };

/**
 * Runs each job on its own interval. Start times are spread over the interval
 * by a hash of the key (so 10,000 checks do not fire in one second, and a
 * restart keeps the same rhythm); a job whose previous run is still going
 * skips its turn rather than overlapping; one slow job never delays another.
 * Planned times are absolute, so timer drift does not accumulate.
 */
export function startScheduler(jobs: readonly ScheduledJob[], options: { now?: () => number; recordLag?: boolean } = {}) {
  const now = options.now ?? Date.now;
  const stats: SchedulerStats = { started: 0, skippedOverlaps: 0, lagMs: [] };
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, Promise<void>>();
  let stopped = false;

  const plan = (job: ScheduledJob, plannedAt: number) => {
    const timer = setTimeout(() => fire(job, plannedAt), Math.max(0, plannedAt - now()));
    timers.set(job.key, timer);
  };

  const fire = (job: ScheduledJob, plannedAt: number) => {
    if (stopped) return;
    const intervalMs = job.intervalSeconds * 1000;
    plan(job, plannedAt + intervalMs);
    if (running.has(job.key)) {
      stats.skippedOverlaps++;
      return;
    }
    stats.started++;
    if (options.recordLag) stats.lagMs.push(now() - plannedAt);
    const run = job
      .run()
      .catch(() => {
        // a job reports its own failures as results; nothing may escape the scheduler
      })
      .finally(() => running.delete(job.key));
    running.set(job.key, run);
  };

  const startAt = now();
  for (const job of jobs) {
    const intervalMs = job.intervalSeconds * 1000;
    plan(job, startAt + (spreadOffset(job.key) % intervalMs));
  }

  return {
    stats,
    /** Stops planning new runs and waits for the runs in flight. */
    async stop(): Promise<void> {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...running.values()]);
    },
  };
}

/** A stable pseudo-random offset in ms for a key. */
export function spreadOffset(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0);
}
