import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Assignment, CONTRACT_VERSION, type CheckResult } from './contract.ts';
import { ResultBuffer } from './result-buffer.ts';
import { runProbe, type ProbeHandle } from './run-probe.ts';

export type ProbeLog = {
  info: (fields: object, message: string) => void;
  warn: (fields: object, message: string) => void;
  error: (fields: object, message: string) => void;
};

export type RemoteProbeOptions = {
  apiUrl: string;
  token: string;
  regionId: string;
  bufferDir: string;
  log: ProbeLog;
  trustedCa?: string[] | undefined;
  /** How often to ask for a changed assignment. */
  refreshEveryMs?: number;
  /** How often to push buffered results. */
  flushEveryMs?: number;
  batchSize?: number;
  maxBufferedResults?: number;
};

export class ProbeSetupError extends Error {
  override name = 'ProbeSetupError';
}

const MAX_BACKOFF_MS = 60_000;

/**
 * A probe in a region: pulls its checks from the API, runs them, and pushes
 * the results in order through an on-disk buffer, so neither an API outage nor
 * a probe restart loses a result. The last assignment is kept on disk, so a
 * probe that starts while the API is down still measures.
 */
export async function runRemoteProbe(options: RemoteProbeOptions) {
  const buffer = ResultBuffer.open(join(options.bufferDir, 'results'), { maxResults: options.maxBufferedResults ?? 100_000 });
  const assignmentFile = join(options.bufferDir, 'assignment.json');
  const headers = { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' };
  const base = options.apiUrl.replace(/\/$/, '');
  let batchSize = options.batchSize ?? 500;
  let backoffMs = 0;
  let stopped = false;

  let assignment = readCachedAssignment(assignmentFile);
  const fetched = await fetchAssignment(undefined).catch((error: unknown) => {
    if (error instanceof ProbeSetupError) throw error;
    options.log.warn({ err: String(error) }, 'API unreachable at start; using the last assignment on disk');
    return undefined;
  });
  if (fetched) assignment = fetched;
  if (!assignment) throw new ProbeSetupError(`cannot reach ${base} and no earlier assignment is stored in ${options.bufferDir}; start the probe when the API is up`);

  let probe: ProbeHandle = start(assignment);
  options.log.info({ region: options.regionId, checks: assignment.checks.length, revision: assignment.revision, buffered: buffer.stats.pending }, 'probe started');

  let flushing: Promise<void> = Promise.resolve();
  const flushTimer = setInterval(() => (flushing = flushing.then(flush)), options.flushEveryMs ?? 2_000);
  const refreshTimer = setInterval(() => void refresh(), options.refreshEveryMs ?? 30_000);
  flushing = flushing.then(flush);

  function start(current: Assignment): ProbeHandle {
    return runProbe({ regionId: options.regionId, checks: current.checks, trustedCa: options.trustedCa, sink: async (result: CheckResult) => buffer.append(result) });
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
    writeFileSync(assignmentFile, JSON.stringify(parsed.data));
    return parsed.data;
  }

  let refreshing = false;
  async function refresh(): Promise<void> {
    if (stopped || refreshing || !assignment) return;
    refreshing = true;
    try {
      const next = await fetchAssignment(assignment.revision);
      if (!next || stopped) return;
      options.log.info({ from: assignment.revision, to: next.revision, checks: next.checks.length }, 'assignment changed');
      await probe.stop(); // checks in flight finish into the buffer
      assignment = next;
      probe = start(next);
    } catch (error) {
      options.log.warn({ err: String(error) }, 'could not refresh the assignment; keeping the current one');
    } finally {
      refreshing = false;
    }
  }

  /** Pushes the oldest buffered results, one batch at a time, in order. */
  async function flush(): Promise<void> {
    if (backoffMs > 0) {
      backoffMs = Math.max(0, backoffMs - (options.flushEveryMs ?? 2_000));
      if (backoffMs > 0) return;
    }
    for (;;) {
      const batch = buffer.peek(batchSize);
      if (batch.length === 0) return;
      let response: Response;
      try {
        response = await fetch(`${base}/api/v1/probe/results`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ version: CONTRACT_VERSION, regionId: options.regionId, results: batch }),
        });
      } catch (error) {
        return backOff({ err: String(error), buffered: buffer.stats.pending }, 'API unreachable; results stay buffered');
      }
      if (response.status === 200 || response.status === 422) {
        const report = (await response.json()) as { accepted: number; duplicates: number; rejected: { index: number; reason: string }[] };
        // rejected results can never be accepted: log them, do not retry them forever
        if (report.rejected.length > 0) options.log.error({ rejected: report.rejected.slice(0, 20), count: report.rejected.length }, 'the API rejected results');
        buffer.acknowledge(batch.length);
        backoffMs = 0;
        continue;
      }
      if (response.status === 413 && batchSize > 1) {
        batchSize = Math.max(1, Math.floor(batchSize / 2));
        continue;
      }
      return backOff({ status: response.status, error: await errorText(response), buffered: buffer.stats.pending }, 'the API did not take the results; they stay buffered');
    }
  }

  function backOff(fields: object, message: string): void {
    backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(1_000, backoffMs * 2 || 1_000));
    options.log.warn({ ...fields, retryInMs: backoffMs }, message);
  }

  return {
    buffer: () => buffer.stats,
    /** Stops checking; checks in flight finish into the buffer; one last push is tried. */
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(refreshTimer);
      clearInterval(flushTimer);
      await probe.stop();
      backoffMs = 0;
      await (flushing = flushing.then(flush));
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
