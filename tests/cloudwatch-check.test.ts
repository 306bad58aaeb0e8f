import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchCheck } from '../config/index.ts';
import { CloudWatchReader } from '../probe/index.ts';
import { createServer, type Server } from 'node:http';
import { startFakeCloudWatch, type Received } from './support/fake-cloudwatch.ts';
import { startSilentServer } from './support/servers.ts';

const target = { componentId: 'login', checkId: 'cloudwatch', regionId: 'local' };
const NOW = new Date('2026-11-21T12:00:30Z');

describe('CloudWatch checks through the real SDK against a local CloudWatch endpoint', () => {
  let respond: (request: Received) => { status?: number; queryError?: string; body: unknown } = () => ({ body: { MetricDataResults: [] } });
  let cloudwatch: Awaited<ReturnType<typeof startFakeCloudWatch>>;
  let reader: CloudWatchReader;
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

  beforeAll(async () => {
    // the standard credential chain: here, the environment
    process.env.AWS_ACCESS_KEY_ID = 'AKIDSTATUSVAKTTEST';
    process.env.AWS_SECRET_ACCESS_KEY = 'test-secret';
    cloudwatch = await startFakeCloudWatch((request) => respond(request));
  });
  afterAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = saved.id;
    process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    await cloudwatch.close();
  });
  afterEach(() => {
    reader?.destroy();
    cloudwatch.received.length = 0;
  });

  const albCheck = (extra: Record<string, unknown> = {}) =>
    CloudWatchCheck.parse({ kind: 'cloudwatch', awsRegion: 'eu-north-1', endpoint: cloudwatch.url, presets: [{ kind: 'alb', loadBalancer: 'app/os2faktor/50dc6c495c0c9188', targetGroup: 'targetgroup/idp/73e2d6bc24d8a067' }], ...extra });
  /** Answers each query by its metric name. */
  const byMetric = (values: Partial<Record<string, number[]>>, status: Record<string, string> = {}) => (request: Received) => ({
    body: {
      MetricDataResults: request.body.MetricDataQueries.map((q) => ({
        Id: q.Id,
        Label: q.MetricStat.Metric.MetricName,
        Timestamps: (values[q.MetricStat.Metric.MetricName] ?? []).map((_, i) => NOW.getTime() / 1000 - 60 * (i + 1)),
        Values: values[q.MetricStat.Metric.MetricName] ?? [],
        StatusCode: status[q.MetricStat.Metric.MetricName] ?? 'Complete',
      })),
      Messages: [],
    },
  });

  it('sends one signed GetMetricData with the preset metrics, whole minutes and the look-back', async () => {
    respond = byMetric({ HealthyHostCount: [2], UnHealthyHostCount: [0], HTTPCode_ELB_5XX_Count: [0], TargetResponseTime: [0.2] });
    reader = new CloudWatchReader({ now: () => NOW });
    const result = await reader.read(albCheck(), target);
    expect(result).toMatchObject({ outcome: 'up', componentId: 'login', regionId: 'local' });
    expect(cloudwatch.received).toHaveLength(1);
    const [request] = cloudwatch.received;
    expect(request!.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(request!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDSTATUSVAKTTEST\/\d{8}\/eu-north-1\/monitoring\/aws4_request/);
    expect(request!.body.StartTime).toBe(Date.parse('2026-11-21T11:50:00Z') / 1000);
    expect(request!.body.EndTime).toBe(Date.parse('2026-11-21T12:00:00Z') / 1000);
    expect(request!.body.ScanBy).toBe('TimestampDescending');
    expect(request!.body.MetricDataQueries.map((q) => [q.MetricStat.Metric.Namespace, q.MetricStat.Metric.MetricName, q.MetricStat.Stat, q.MetricStat.Period])).toEqual([
      ['AWS/ApplicationELB', 'HealthyHostCount', 'Minimum', 60],
      ['AWS/ApplicationELB', 'UnHealthyHostCount', 'Maximum', 60],
      ['AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', 'Sum', 60],
      ['AWS/ApplicationELB', 'TargetResponseTime', 'p99', 60],
    ]);
    expect(request!.body.MetricDataQueries[0]!.MetricStat.Metric.Dimensions).toEqual([
      { Name: 'LoadBalancer', Value: 'app/os2faktor/50dc6c495c0c9188' },
      { Name: 'TargetGroup', Value: 'targetgroup/idp/73e2d6bc24d8a067' },
    ]);
  });

  it.each([
    { name: 'no healthy host behind the load balancer', values: { HealthyHostCount: [0, 2], UnHealthyHostCount: [2] }, outcome: 'down', message: /p0_healthy_hosts = 0 \(below 1\)/ },
    { name: 'an unhealthy host', values: { HealthyHostCount: [1], UnHealthyHostCount: [1] }, outcome: 'degraded', message: /p0_unhealthy_hosts = 1 \(above 0\)/ },
    { name: 'a rising rate of 5xx', values: { HealthyHostCount: [2], UnHealthyHostCount: [0], HTTPCode_ELB_5XX_Count: [250] }, outcome: 'down', message: /p0_elb_5xx = 250 \(above 100\)/ },
    { name: 'slow targets', values: { HealthyHostCount: [2], UnHealthyHostCount: [0], TargetResponseTime: [3.5] }, outcome: 'degraded', message: /p0_response_time = 3\.5/ },
    { name: 'partial data: no 5xx and no latency points (no data means fine for those)', values: { HealthyHostCount: [2], UnHealthyHostCount: [0] }, outcome: 'up', message: undefined },
    { name: 'no data at all for the host counts', values: {}, outcome: 'unknown', message: /p0_healthy_hosts: no data in the last 600 s/ },
  ])('$name → $outcome', async ({ values, outcome, message }) => {
    respond = byMetric(values);
    reader = new CloudWatchReader({ now: () => NOW });
    const result = await reader.read(albCheck(), target);
    expect(result.outcome).toBe(outcome);
    if (message) expect(result.message).toMatch(message);
    if (outcome === 'down' || outcome === 'degraded') expect(result.reason).toBe('metric_threshold');
  });

  it('batches checks due together into one call, and splits past 500 queries', async () => {
    respond = byMetric({ HealthyHostCount: [2], UnHealthyHostCount: [0] });
    reader = new CloudWatchReader({ now: () => NOW });
    const results = await Promise.all(Array.from({ length: 130 }, (_, i) => reader.read(albCheck(), { ...target, componentId: `c${i}` })));
    expect(results.every((r) => r.outcome === 'up')).toBe(true);
    // 130 checks × 4 metrics = 520 queries: one call of 500 (125 checks), one of 20
    expect(cloudwatch.received.map((r) => r.body.MetricDataQueries.length)).toEqual([500, 20]);
    expect(reader.calls).toBe(2);
  });

  it('turns throttling into a result and backs off instead of calling again', async () => {
    respond = () => ({ status: 400, queryError: 'Throttling;Sender', body: { __type: 'com.amazonaws.cloudwatch#ThrottlingException', message: 'Rate exceeded' } });
    reader = new CloudWatchReader({ now: () => NOW });
    const first = await reader.read(albCheck(), target);
    expect(first).toMatchObject({ outcome: 'unknown', reason: 'throttled' });
    expect(first.message).toMatch(/Throttling: Rate exceeded; backing off 5 s/);
    const second = await reader.read(albCheck(), target);
    expect(second).toMatchObject({ outcome: 'unknown', reason: 'throttled' });
    expect(cloudwatch.received).toHaveLength(1); // the second read did not call CloudWatch
  });

  it('reports access denied and bad dimensions with a clear reason, never a crash', async () => {
    respond = () => ({ status: 400, queryError: 'AccessDenied;Sender', body: { __type: 'com.amazonaws.cloudwatch#AccessDeniedException', message: 'User is not authorized to perform: cloudwatch:GetMetricData' } });
    reader = new CloudWatchReader({ now: () => NOW });
    expect(await reader.read(albCheck(), target)).toMatchObject({ outcome: 'unknown', reason: 'access_denied', message: expect.stringContaining('cloudwatch:GetMetricData') });
    respond = () => ({ status: 400, queryError: 'InvalidParameterValue;Sender', body: { __type: 'com.amazonaws.cloudwatch#InvalidParameterValueException', message: 'The value app/x for parameter Dimensions is not valid.' } });
    expect(await reader.read(albCheck(), target)).toMatchObject({ outcome: 'unknown', reason: 'cloud_error', message: expect.stringContaining('is not valid') });
    respond = byMetric({ HealthyHostCount: [2] }, { UnHealthyHostCount: 'Forbidden' });
    expect(await reader.read(albCheck(), target)).toMatchObject({ outcome: 'unknown', reason: 'access_denied' });
  });

  it('ends a call CloudWatch takes and never answers as a timeout while waiting for the response, and closes it', async () => {
    // reads the whole signed request, then says nothing: the SDK alone would wait for ever
    const requests: string[] = [];
    const hanging: Server = createServer((req) => {
      req.on('data', () => {});
      req.on('end', () => requests.push(String(req.headers['x-amz-target'])));
    });
    let closed = 0;
    hanging.on('connection', (socket) => socket.on('close', () => closed++));
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', () => resolve()));
    const port = (hanging.address() as { port: number }).port;
    try {
      reader = new CloudWatchReader({ now: () => NOW });
      const t0 = performance.now();
      const result = await reader.read(albCheck({ endpoint: `http://127.0.0.1:${port}`, timeoutMs: 1500 }), target);
      const tookMs = performance.now() - t0;
      expect(requests).toEqual(['GraniteServiceVersion20100801.GetMetricData']);
      expect(result).toMatchObject({ outcome: 'unknown', reason: 'timeout', message: 'no answer from CloudWatch within 1500 ms while waiting for the response' });
      expect(result.phasesMs?.firstByte).toBeGreaterThanOrEqual(1400);
      expect(tookMs).toBeGreaterThanOrEqual(1400);
      expect(tookMs).toBeLessThan(5000);
      // the aborted call lets go of its connection
      await expect.poll(() => closed, { timeout: 3000 }).toBe(1);
    } finally {
      reader.destroy();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    }
  });

  it('ends a call to an endpoint that never completes the TLS handshake as a timeout in the handshake', async () => {
    const silent = await startSilentServer();
    try {
      reader = new CloudWatchReader({ now: () => NOW });
      const result = await reader.read(albCheck({ endpoint: `https://127.0.0.1:${silent.port}`, timeoutMs: 1000 }), target);
      expect(result).toMatchObject({ outcome: 'unknown', reason: 'timeout', message: 'no answer from CloudWatch within 1000 ms during the TLS handshake' });
      expect(silent.counts.connections).toBe(1);
    } finally {
      reader.destroy();
      await silent.close();
    }
  });

  it('rejects a config whose metric period is longer than the check interval', async () => {
    const { parseConfig } = await import('../config/index.ts');
    const result = parseConfig(`organisations: [{ id: k, name: K }]
pages:
  - id: p
    organisation: k
    name: P
    groups:
      - id: g
        name: G
        components:
          - id: c
            name: C
            checks:
              - kind: cloudwatch
                awsRegion: eu-north-1
                intervalSeconds: 60
                metrics: [{ id: cpu, namespace: AWS/RDS, metricName: CPUUtilization, stat: Average, periodSeconds: 300 }]
`);
    expect(!result.ok && result.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      "pages.0.groups.0.components.0.checks.0.metrics.0.periodSeconds: is longer than the check's intervalSeconds (60); reading more often than the period only repeats the same point",
    ]);
  });
});
