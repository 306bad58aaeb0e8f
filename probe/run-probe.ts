import { HttpsCheck } from '../config/index.ts';
import type { AssignedCheck, CheckResult } from './contract.ts';
import { runHttpsCheck } from './https-check.ts';
import { startScheduler, type SchedulerStats } from './scheduler.ts';

/** Where results go: straight into the API's ingest (in-process) or a buffer that pushes them (remote). */
export type ResultSink = (result: CheckResult) => Promise<void>;

export type ProbeHandle = {
  stats: SchedulerStats;
  /** Stops scheduling; checks in flight finish and their results reach the sink. */
  stop: () => Promise<void>;
};

/** Runs a region's assigned checks on their intervals and hands every result to `sink`. */
export function runProbe(args: {
  regionId: string;
  checks: readonly AssignedCheck[];
  sink: ResultSink;
  trustedCa?: string[] | undefined;
  recordLag?: boolean;
}): ProbeHandle {
  const jobs = args.checks.map((assigned) => {
    const check = HttpsCheck.parse(assigned.spec);
    const target = { componentId: assigned.componentId, checkId: assigned.checkId, regionId: args.regionId };
    return {
      key: `${assigned.componentId}/${assigned.checkId}`,
      intervalSeconds: assigned.intervalSeconds,
      run: async () => args.sink(await runHttpsCheck(check, target, { trustedCa: args.trustedCa })),
    };
  });
  const scheduler = startScheduler(jobs, { recordLag: args.recordLag ?? false });
  return { stats: scheduler.stats, stop: () => scheduler.stop() };
}
