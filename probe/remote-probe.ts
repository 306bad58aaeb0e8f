import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Assignment, CONTRACT_VERSION, type CheckResult } from './contract.ts';
import { describeError } from './describe-error.ts';
import type { ProbeLog } from './probe-log.ts';
import { DEFAULT_MAX_BUFFERED_RESULTS, ResultBuffer } from './result-buffer.ts';
import { DEFAULT_RETRY, retryDelayMs, type RetryPolicy } from './retry-backoff.ts';
import { runProbe, type ProbeHandle } from './run-probe.ts';

export type { ProbeLog } from './probe-log.ts';

export type RemoteProbeOptions = {
  apiUrl: string;
  token: string;
  regionId: string;
  bufferDir: string;
  log: ProbeLog;
  trustedCa?: string[] | undefined;
  /** Reads the environment variables `graph` checks name for their credentials. */
  readSecret?: (name: string) => string | undefined;
  /** How often to ask for a changed assignment. */
  refreshEveryMs?: number;
  /** How often to push buffered results while the API takes them. */
  flushEveryMs?: number;
  batchSize?: number;
  /** The buffer's bound (see ResultBuffer): past it the oldest results are dropped. */
  maxBufferedResults?: number;
  /** Waits between attempts while the API does not take results. */
  retry?: RetryPolicy;
  random?: () => number;
  now?: () => number;
};

export class ProbeSetupError extends Error {
  override name = 'ProbeSetupError';
}

/**
 * A probe in a region: pulls its checks from the API, runs them, and pushes
 * the results in order through an on-disk buffer, so neither an API outage nor
 * a probe restart loses a result. The last assignment is kept on disk, so a
 * probe that starts while the API is down still measures.
 *
 * While the API does not take results, attempts back off exponentially with
 * jitter up to a ceiling; the outage is logged once when it starts and once,
 * with a summary, when it ends. Nothing here throws once the probe runs: a
 * full disk, a refused result or an odd answer is logged and the probe goes on.
 */
const gzipAsync = promisify(gzip);

export async function runRemoteProbe(options: RemoteProbeOptions) {
  const log = options.log;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const policy = options.retry ?? DEFAULT_RETRY;
  const flushEveryMs = options.flushEveryMs ?? 2_000;
  const maxBatchSize = options.batchSize ?? 500;
  const buffer = ResultBuffer.open(join(options.bufferDir, 'results'), { maxResults: options.maxBufferedResults ?? DEFAULT_MAX_BUFFERED_RESULTS, log });
  const assignmentFile = join(options.bufferDir, 'assignment.json');
  const headers = { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' };
  const base = options.apiUrl.replace(/\/$/, '');
  let batchSize = maxBatchSize;
  /** Batches go gzip-compressed (their JSON shrinks about tenfold on a region's uplink) unless the API said it takes none. */
  let compress = true;
  let stopped = false;
  let refusedOutright = 0;

  let assignment = readCachedAssignment(assignmentFile);
  const fetched = await fetchAssignment(undefined).catch((error: unknown) => {
    if (error instanceof ProbeSetupError) throw error;
    log.warn({ err: describeError(error) }, 'API unreachable at start; using the last assignment on disk');
    return undefined;
  });
  if (fetched) assignment = fetched;
  if (!assignment) throw new ProbeSetupError(`cannot reach ${base} and no earlier assignment is stored in ${options.bufferDir}; start the probe when the API is up`);

  let probe: ProbeHandle = start(assignment);
  log.info({ region: options.regionId, checks: assignment.checks.length, revision: assignment.revision, buffered: buffer.stats.pending }, 'probe started');

  const outage = trackOutage({ log, now, buffered: () => buffer.stats.pending });
  let flushing: Promise<void> = Promise.resolve();
  let flushTimer: NodeJS.Timeout | undefined;
  const scheduleFlush = (delayMs: number) => {
    if (!stopped) flushTimer = setTimeout(() => (flushing = flushing.then(flushRound)), delayMs);
  };
  const refreshTimer = setInterval(() => void refresh(), options.refreshEveryMs ?? 30_000);
  scheduleFlush(0);

  function start(current: Assignment): ProbeHandle {
    return runProbe({ regionId: options.regionId, checks: current.checks, trustedCa: options.trustedCa, readSecret: options.readSecret, sink: async (result: CheckResult) => buffer.append(result) });
  }

  async function fetchAssignment(revision: string | undefined): Promise<Assignment | undefined> {
    const response = await fetch(`${base}/api/v1/probe/assignment`, { headers: { ...headers, ...(revision ? { 'if-none-match': `"${revision}"` } : {}) } });
    if (response.status === 304) return undefined;
    if (response.status === 401 || response.status === 403) throw new ProbeSetupError(`the API refused the probe token: ${await errorText(response)}`);
    if (!response.ok) throw new Error(`assignment: HTTP ${response.status} ${await errorText(response)}`);
    const parsed = Assignment.safeParse(await response.json());
    if (!parsed.success) throw new ProbeSetupError(`the API sent an assignment this probe does not understand (contract v${CONTRACT_VERSION}); upgrade the probe`);
    if (parsed.data.regionId !== options.regionId) {
      throw new ProbeSetupError(`the token is for region "${parsed.data.regionId}", not "${options.regionId}"; use --region ${parsed.data.regionId} or a token of region ${options.regionId}`);
    }
    try {
      writeFileSync(assignmentFile, JSON.stringify(parsed.data));
    } catch (error) {
      // only a restart during an API outage needs this copy; not worth stopping for
      log.warn({ err: describeError(error), file: assignmentFile }, 'cannot keep a copy of the assignment on disk; a restart while the API is down would have no checks');
    }
    return parsed.data;
  }

  let refreshing = false;
  async function refresh(): Promise<void> {
    if (stopped || refreshing || !assignment) return;
    refreshing = true;
    try {
      const next = await fetchAssignment(assignment.revision);
      if (!next || stopped) return;
      log.info({ from: assignment.revision, to: next.revision, checks: next.checks.length }, 'assignment changed');
      await probe.stop(); // checks in flight finish into the buffer
      assignment = next;
      probe = start(next);
    } catch (error) {
      log.warn({ err: describeError(error) }, 'could not refresh the assignment; keeping the current one');
    } finally {
      refreshing = false;
    }
  }

  async function flushRound(): Promise<void> {
    const delivered = await flushSafely();
    scheduleFlush(delivered ? flushEveryMs : retryDelayMs({ failures: outage.failures(), policy, random }));
  }

  /** One round of pushes; false when the API did not take results. Never throws. */
  async function flushSafely(): Promise<boolean> {
    try {
      return await flush();
    } catch (error) {
      outage.failed({ err: describeError(error) });
      return false;
    }
  }

  /** Pushes the oldest buffered results, one batch at a time, in order, until none is left. */
  async function flush(): Promise<boolean> {
    for (;;) {
      const batch = buffer.peek(batchSize);
      if (batch.length === 0) return true;
      let response: Response;
      try {
        const json = JSON.stringify({ version: CONTRACT_VERSION, regionId: options.regionId, results: batch });
        response = await fetch(`${base}/api/v1/probe/results`, {
          method: 'POST',
          headers: compress ? { ...headers, 'content-encoding': 'gzip' } : headers,
          body: compress ? await gzipAsync(json, { level: 6 }) : json,
        });
      } catch (error) {
        outage.failed({ err: describeError(error) });
        return false;
      }
      if (response.status === 415 && compress) {
        // an API that takes no compressed batches (an older version): plain JSON from here on
        compress = false;
        log.warn({ status: 415 }, 'the API takes no gzip batches; sending them uncompressed');
        continue;
      }
      if (response.status === 200 || response.status === 422) {
        const report = (await response.json()) as { accepted: number; duplicates: number; rejected: { index: number; reason: string }[] };
        // rejected results can never be accepted: log them, do not retry them forever
        if (report.rejected.length > 0) log.error({ rejected: report.rejected.slice(0, 20), count: report.rejected.length }, 'the API rejected results; they are dropped');
        buffer.acknowledge(batch.length);
        outage.recovered();
        batchSize = Math.min(maxBatchSize, batchSize * 2);
        continue;
      }
      if (response.status === 413 && batch.length > 1) {
        batchSize = Math.max(1, Math.floor(batch.length / 2));
        continue;
      }
      if (response.status === 413) {
        // one result larger than the API takes: it never will; holding it would stop the region
        refusedOutright++;
        log.error({ id: batch[0]!.id, status: 413, refusedOutright }, 'the API refused a result as too large; dropped it so the rest can go');
        buffer.acknowledge(1);
        continue;
      }
      outage.failed({ status: response.status, error: await errorText(response) });
      return false;
    }
  }

  return {
    buffer: () => ({ ...buffer.stats, refusedOutright }),
    /** Stops checking; checks in flight finish into the buffer; one last push is tried. */
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(refreshTimer);
      clearTimeout(flushTimer);
      await probe.stop();
      await (flushing = flushing.then(async () => void (await flushSafely())));
      outage.stoppedDuring();
    },
  };
}

/** Logs an outage once when it starts and once with a summary when it ends, however many attempts fail between. */
function trackOutage(args: { log: ProbeLog; now: () => number; buffered: () => number }) {
  let failures = 0;
  let since = 0;
  let last: object = {};
  return {
    failures: () => failures,
    failed(fields: object): void {
      if (failures === 0) {
        since = args.now();
        args.log.warn({ ...fields, buffered: args.buffered() }, 'the API does not take results; they stay buffered, retrying with growing pauses');
      }
      failures++;
      last = fields;
    },
    recovered(): void {
      if (failures === 0) return;
      args.log.info({ downForMs: args.now() - since, failedAttempts: failures, lastError: last, buffered: args.buffered() }, 'the API takes results again');
      failures = 0;
    },
    stoppedDuring(): void {
      if (failures > 0) args.log.warn({ downForMs: args.now() - since, failedAttempts: failures, lastError: last, buffered: args.buffered() }, 'stopped while the API did not take results; they stay buffered for the next start');
    },
  };
}

function readCachedAssignment(file: string): Assignment | undefined {
  try {
    const parsed = Assignment.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function errorText(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    return body.error?.message ?? JSON.stringify(body);
  } catch {
    return response.statusText;
  }
}
