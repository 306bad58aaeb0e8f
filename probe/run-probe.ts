import { Check } from '../config/index.ts';
import { CloudWatchReader } from './cloudwatch-check.ts';
import { runFeedCheck } from './feed-check.ts';
import { GraphHealthReader } from './graph-check.ts';
import type { AssignedCheck, CheckResult } from './contract.ts';
import { runHttpsCheck } from './https-check.ts';
import { withResultDeadline } from './result-deadline.ts';
import { sanitiseResult } from './sanitise-result.ts';
import { runStatuspageCheck } from './statuspage-check.ts';
import { runDnsCheck } from './dns-check.ts';
import { runTcpCheck } from './tcp-check.ts';
import { runTlsCheck } from './tls-check.ts';
import { startScheduler, type SchedulerStats } from './scheduler.ts';

/** Where results go: straight into the API's ingest (in-process) or a buffer that pushes them (remote). */
export type ResultSink = (result: CheckResult) => Promise<void>;

export type ProbeHandle = {
  stats: SchedulerStats;
  /** Stops scheduling; checks in flight finish and their results reach the sink. */
  stop: () => Promise<void>;
};

/** Runs a region's assigned checks on their intervals and hands every result, sanitised (third-party text is untrusted), to `sink`. */
export function runProbe(args: {
  regionId: string;
  checks: readonly AssignedCheck[];
  sink: ResultSink;
  trustedCa?: string[] | undefined;
  recordLag?: boolean;
  /** Reads the environment variables `graph` checks name for their credentials; without it they report the variables as not set. */
  readSecret?: (name: string) => string | undefined;
}): ProbeHandle {
  const cloudWatch = new CloudWatchReader();
  const graph = new GraphHealthReader({ readSecret: args.readSecret ?? (() => undefined), trustedCa: args.trustedCa });
  const jobs = args.checks.map((assigned) => {
    const check = Check.parse(assigned.spec);
    const target = { componentId: assigned.componentId, checkId: assigned.checkId, regionId: args.regionId };
    const measure = (): Promise<CheckResult> => {
      switch (check.kind) {
        case 'https':
          return runHttpsCheck(check, target, { trustedCa: args.trustedCa });
        case 'statuspage':
          return runStatuspageCheck(check, target, { trustedCa: args.trustedCa });
        case 'feed':
          return runFeedCheck(check, target, { trustedCa: args.trustedCa });
        case 'graph':
          return graph.read(check, target);
        case 'cloudwatch':
          return cloudWatch.read(check, target);
        case 'tcp':
          return runTcpCheck(check, target);
        case 'tls':
          return runTlsCheck(check, target, { trustedCa: args.trustedCa });
        case 'dns':
          return runDnsCheck(check, target);
      }
    };
    const run = async () => args.sink(sanitiseResult(await withResultDeadline(measure, { target, timeoutMs: check.timeoutMs })));
    return { key: `${assigned.componentId}/${assigned.checkId}`, intervalSeconds: assigned.intervalSeconds, run };
  });
  const scheduler = startScheduler(jobs, { recordLag: args.recordLag ?? false });
  return {
    stats: scheduler.stats,
    stop: async () => {
      await scheduler.stop();
      cloudWatch.destroy();
    },
  };
}
