import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { AssignedCheck, CheckResult } from '../probe/index.ts';

export type ProbeWorkerData = {
  regionId: string;
  checks: readonly AssignedCheck[];
  trustedCa: string[] | undefined;
  /** The environment variables the checks name for credentials (a `graph` check's client id and secret), read here once. */
  secrets: Record<string, string>;
};
export type ToProbeWorker = { type: 'stop' };
export type ProbeStartLag = { runs: number; p50Ms: number; p99Ms: number; maxMs: number };
export type FromProbeWorker = { type: 'result'; result: CheckResult } | { type: 'stopped'; lag: ProbeStartLag };

/** Start lag figures from a sample of lags (ms), the number of runs and the largest lag seen. */
export function summarizeLag(sample: readonly number[], runs: number, maxMs: number): ProbeStartLag {
  const sorted = [...sample].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! : 0);
  return { runs, p50Ms: Math.round(at(0.5)), p99Ms: Math.round(at(0.99)), maxMs: Math.round(maxMs) };
}

/**
 * Runs the in-process probe on a worker thread. Results come back to `sink`
 * on this thread one at a time, in order; `stop` lets checks in flight
 * finish, waits until their results are stored, and logs the start lag.
 */
export function startProbeThread(args: Omit<ProbeWorkerData, 'secrets'> & { readSecret: (name: string) => string | undefined; sink: (result: CheckResult) => Promise<void>; logger: Logger }) {
  const worker = new Worker(new URL('./probe-worker.ts', import.meta.url), {
    workerData: { regionId: args.regionId, checks: args.checks, trustedCa: args.trustedCa, secrets: secretsOf(args.checks, args.readSecret) } satisfies ProbeWorkerData,
  });
  let storing: Promise<void> = Promise.resolve();
  let stopped: (lag: ProbeStartLag) => void = () => {};
  const finished = new Promise<ProbeStartLag>((resolve) => (stopped = resolve));
  worker.on('message', (message: FromProbeWorker) => {
    if (message.type === 'result') {
      storing = storing.then(() => args.sink(message.result)).catch((err: unknown) => args.logger.error({ err }, 'storing a result of the in-process probe failed'));
    } else {
      stopped(message.lag);
    }
  });
  worker.on('error', (err) => args.logger.error({ err }, 'the in-process probe thread failed'));
  return {
    stop: async () => {
      worker.postMessage({ type: 'stop' } satisfies ToProbeWorker);
      const lag = await finished;
      await storing;
      await worker.terminate();
      args.logger.info({ probeStartLag: lag }, 'in-process probe stopped');
    },
  };
}

/** The values of the variables `graph` checks name, for the probe thread (which reads no environment of its own). */
function secretsOf(checks: readonly AssignedCheck[], read: (name: string) => string | undefined): Record<string, string> {
  const names = checks.filter((c) => c.spec.kind === 'graph').flatMap((c) => [c.spec.clientIdEnv, c.spec.clientSecretEnv]).filter((name): name is string => typeof name === 'string');
  return Object.fromEntries(names.flatMap((name) => {
    const value = read(name);
    return value === undefined ? [] : [[name, value]];
  }));
}
