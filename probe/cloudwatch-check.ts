import { performance } from 'node:perf_hooks';
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchCheck, CloudWatchMetric } from '../config/index.ts';
import { PHASE_TEXT, humanText, type Phase } from './classify-error.ts';
import type { CheckResult, FailureReason, Outcome } from './contract.ts';
import { metricsOf } from './cloudwatch-presets.ts';
import type { CheckTarget } from './https-check.ts';
import { trackedAgents } from './tracked-agents.ts';

/** GetMetricData accepts at most this many queries a call. */
const MAX_QUERIES_PER_CALL = 500;
const MAX_BACKOFF_MS = 5 * 60_000;
/** The call is aborted this long after the last deadline, so the deadline (with its phase) always answers first. */
const ABORT_GRACE_MS = 100;

type Pending = { check: CloudWatchCheck; target: CheckTarget; metrics: CloudWatchMetric[]; startedAt: Date; t0: number; resolve: (result: CheckResult) => void; deadline: NodeJS.Timeout | undefined };
type Endpoint = { client: CloudWatchClient; stalledPhase: () => Phase; destroy: () => void };
type Group = { items: Pending[]; timer: NodeJS.Timeout | undefined };

/**
 * Reads CloudWatch for CloudWatch checks. Checks due within a short window
 * that share an AWS region, endpoint and look-back are answered by one
 * GetMetricData call (up to 500 metric queries, then the next call), so many
 * checks cost few requests. Throttling backs off for the whole endpoint;
 * every failure becomes a result with its reason, never an exception.
 * Every check has a deadline (`timeoutMs`, counted from when it was due, so
 * waiting for its batch counts too): when it passes, the result is `unknown`
 * with reason `timeout` and the phase the call stalled in, and the call is
 * aborted once no check waits for it.
 * Credentials come from the standard AWS chain (environment, profile, role).
 */
export class CloudWatchReader {
  private readonly groups = new Map<string, Group>();
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly backoff = new Map<string, { until: number; ms: number }>();
  private readonly batchWindowMs: number;
  private readonly now: () => Date;
  /** GetMetricData calls made, for tests and benchmarks. */
  calls = 0;

  constructor(options: { batchWindowMs?: number; now?: () => Date } = {}) {
    this.batchWindowMs = options.batchWindowMs ?? 250;
    this.now = options.now ?? (() => new Date());
  }

  read(check: CloudWatchCheck, target: CheckTarget): Promise<CheckResult> {
    return new Promise((resolve) => {
      const endpointKey = `${check.awsRegion}|${check.endpoint ?? ''}`;
      const key = `${endpointKey}|${check.lookbackSeconds}`;
      const item: Pending = { check, target, metrics: metricsOf(check), startedAt: this.now(), t0: performance.now(), resolve: () => {}, deadline: undefined };
      item.resolve = (result) => {
        clearTimeout(item.deadline);
        resolve(result);
      };
      item.deadline = setTimeout(() => {
        const phase = this.endpoints.get(endpointKey)?.stalledPhase() ?? 'connect';
        resolve(this.result(item, 'unknown', 'timeout', `no answer from CloudWatch within ${check.timeoutMs} ms ${PHASE_TEXT[phase]}`, { [phase]: performance.now() - item.t0 }));
      }, check.timeoutMs);
      const blocked = this.backoff.get(endpointKey);
      if (blocked && blocked.until > Date.now()) {
        item.resolve(this.result(item, 'unknown', 'throttled', `CloudWatch throttled this endpoint; backing off until ${new Date(blocked.until).toISOString()}`));
        return;
      }
      const group = this.groups.get(key) ?? { items: [], timer: undefined };
      group.items.push(item);
      this.groups.set(key, group);
      const queued = group.items.reduce((n, i) => n + i.metrics.length, 0);
      if (queued >= MAX_QUERIES_PER_CALL) this.flush(key);
      else group.timer ??= setTimeout(() => this.flush(key), this.batchWindowMs);
    });
  }

  /** Closes the SDK clients and their connections. */
  destroy(): void {
    for (const endpoint of this.endpoints.values()) endpoint.destroy();
  }

  private flush(key: string): void {
    const group = this.groups.get(key);
    if (!group) return;
    this.groups.delete(key);
    clearTimeout(group.timer);
    // cut into calls of at most 500 queries, never splitting one check across calls
    const calls: Pending[][] = [[]];
    let size = 0;
    for (const item of group.items) {
      if (size + item.metrics.length > MAX_QUERIES_PER_CALL && calls.at(-1)!.length > 0) {
        calls.push([]);
        size = 0;
      }
      calls.at(-1)!.push(item);
      size += item.metrics.length;
    }
    for (const items of calls) void this.call(items);
  }

  private async call(items: Pending[]): Promise<void> {
    const first = items[0]!.check;
    const endpointKey = `${first.awsRegion}|${first.endpoint ?? ''}`;
    const queries: MetricDataQuery[] = [];
    const owner = new Map<string, { item: Pending; metric: CloudWatchMetric }>();
    for (const item of items) {
      for (const metric of item.metrics) {
        const id = `q${queries.length}`;
        owner.set(id, { item, metric });
        queries.push({
          Id: id,
          ReturnData: true,
          MetricStat: {
            Metric: { Namespace: metric.namespace, MetricName: metric.metricName, Dimensions: Object.entries(metric.dimensions).map(([Name, Value]) => ({ Name, Value })) },
            Period: metric.periodSeconds,
            Stat: metric.stat,
          },
        });
      }
    }
    // whole minutes, so the newest period read is a complete one
    const end = new Date(Math.floor(this.now().getTime() / 60_000) * 60_000);
    const start = new Date(end.getTime() - first.lookbackSeconds * 1000);
    // each check keeps its own deadline; the call itself ends when the last of them passes
    const abort = new AbortController();
    const abortTimer = setTimeout(() => abort.abort(), Math.max(...items.map((i) => i.check.timeoutMs - (performance.now() - i.t0))) + ABORT_GRACE_MS);
    try {
      const results: MetricDataResult[] = [];
      let nextToken: string | undefined;
      do {
        this.calls++;
        const page = await this.endpoint(first).client.send(
          new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: end, ScanBy: 'TimestampDescending', NextToken: nextToken }),
          { abortSignal: abort.signal },
        );
        results.push(...(page.MetricDataResults ?? []));
        nextToken = page.NextToken;
      } while (nextToken);
      this.backoff.delete(endpointKey);
      const byItem = new Map<Pending, { metric: CloudWatchMetric; result: MetricDataResult | undefined }[]>();
      for (const [id, { item, metric }] of owner) {
        const found = results.filter((r) => r.Id === id);
        const merged: MetricDataResult | undefined = found.length ? { ...found[0], Values: found.flatMap((r) => r.Values ?? []), Timestamps: found.flatMap((r) => r.Timestamps ?? []) } : undefined;
        byItem.set(item, [...(byItem.get(item) ?? []), { metric, result: merged }]);
      }
      for (const [item, readings] of byItem) item.resolve(this.judge(item, readings));
    } catch (error) {
      const { reason, message } = this.classify(error, endpointKey);
      for (const item of items) item.resolve(this.result(item, 'unknown', reason, message));
    } finally {
      clearTimeout(abortTimer);
    }
  }

  /** Each metric against its thresholds; the check's state is the worst of them. */
  private judge(item: Pending, readings: { metric: CloudWatchMetric; result: MetricDataResult | undefined }[]): CheckResult {
    const verdicts = readings.map(({ metric, result }) => {
      if (result?.StatusCode === 'Forbidden') return { outcome: 'unknown' as Outcome, reason: 'access_denied' as FailureReason, message: `${metric.id}: access denied` };
      if (result?.StatusCode === 'InternalError') return { outcome: 'unknown' as Outcome, reason: 'cloud_error' as FailureReason, message: `${metric.id}: ${result.Messages?.[0]?.Value ?? 'CloudWatch error'}` };
      const value = result?.Values?.[0];
      if (value === undefined) {
        return { outcome: metric.noData, reason: metric.noData === 'up' ? undefined : ('no_data' as FailureReason), message: `${metric.id}: no data in the last ${item.check.lookbackSeconds} s` };
      }
      const crosses = (t: CloudWatchMetric['downWhen']) => t !== undefined && ((t.above !== undefined && value > t.above) || (t.below !== undefined && value < t.below));
      if (crosses(metric.downWhen)) return { outcome: 'down' as Outcome, reason: 'metric_threshold' as FailureReason, message: `${metric.id} = ${value} (${describe(metric.downWhen!)})` };
      if (crosses(metric.degradedWhen)) return { outcome: 'degraded' as Outcome, reason: 'metric_threshold' as FailureReason, message: `${metric.id} = ${value} (${describe(metric.degradedWhen!)})` };
      return { outcome: 'up' as Outcome, reason: undefined, message: undefined };
    });
    const rank: Record<Outcome, number> = { up: 0, unknown: 1, degraded: 2, down: 3 };
    const worst = verdicts.reduce((w, v) => (rank[v.outcome] > rank[w.outcome] ? v : w), verdicts[0] ?? { outcome: 'unknown' as Outcome, reason: 'no_data' as FailureReason, message: 'no metrics' });
    const messages = verdicts.filter((v) => v.outcome !== 'up' && v.message).map((v) => v.message);
    return this.result(item, worst.outcome, worst.reason, messages.join('; ') || undefined);
  }

  private classify(error: unknown, endpointKey: string): { reason: FailureReason; message: string } {
    const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const name = e.name ?? '';
    // AWS error names (Throttling, AccessDenied) tell what happened; JavaScript's own (TypeError) do not
    const generic = name === '' || /^(Type|Range|Reference|Syntax)?Error$/.test(name);
    const message = (generic ? humanText(error) : `${name}: ${humanText(error)}`).slice(0, 400);
    if (/throttl|toomanyrequests|requestlimitexceeded/i.test(name) || e.$metadata?.httpStatusCode === 429) {
      const previous = this.backoff.get(endpointKey)?.ms ?? 0;
      const ms = Math.min(MAX_BACKOFF_MS, Math.max(5_000, previous * 2));
      this.backoff.set(endpointKey, { until: Date.now() + ms, ms });
      return { reason: 'throttled', message: `${message}; backing off ${ms / 1000} s` };
    }
    if (/accessdenied|unrecognizedclient|invalidclienttokenid|expiredtoken|notauthorized|credential/i.test(`${name} ${e.message ?? ''}`) || e.$metadata?.httpStatusCode === 403) {
      return { reason: 'access_denied', message };
    }
    return { reason: 'cloud_error', message };
  }

  private result(item: Pending, outcome: Outcome, reason: FailureReason | undefined, message: string | undefined, phasesMs?: CheckResult['phasesMs']): CheckResult {
    return {
      id: crypto.randomUUID(),
      ...item.target,
      startedAt: item.startedAt.toISOString(),
      outcome,
      ...(reason ? { reason } : {}),
      ...(message ? { message: message.slice(0, 500) } : {}),
      durationMs: performance.now() - item.t0,
      ...(phasesMs ? { phasesMs } : {}),
    };
  }

  private endpoint(check: CloudWatchCheck): Endpoint {
    const key = `${check.awsRegion}|${check.endpoint ?? ''}`;
    let endpoint = this.endpoints.get(key);
    if (!endpoint) {
      const agents = trackedAgents();
      // one attempt: throttling is handled here, for every check of the endpoint at once
      const client = new CloudWatchClient({
        region: check.awsRegion,
        maxAttempts: 1,
        requestHandler: { httpAgent: agents.httpAgent, httpsAgent: agents.httpsAgent },
        ...(check.endpoint ? { endpoint: check.endpoint } : {}),
      });
      endpoint = {
        client,
        stalledPhase: agents.stalledPhase,
        destroy: () => {
          client.destroy();
          agents.destroy();
        },
      };
      this.endpoints.set(key, endpoint);
    }
    return endpoint;
  }
}

function describe(threshold: { above?: number | undefined; below?: number | undefined }): string {
  return [threshold.above !== undefined ? `above ${threshold.above}` : '', threshold.below !== undefined ? `below ${threshold.below}` : ''].filter(Boolean).join(', ');
}
