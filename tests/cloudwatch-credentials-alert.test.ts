import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertRoutesOf, createSmtpChannel, deliverBatch, fanOutNextAlert, type MailChannel } from '../alerts/index.ts';
import { evaluatePending, ingestResults, recordDueAlerts, type AlertPayload } from '../api/index.ts';
import { checkId, parseConfig, type CloudWatchCheck } from '../config/index.ts';
import { rowsOf, syncConfig, tables } from '../db/index.ts';
import { CloudWatchReader } from '../probe/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { startFakeCloudWatch, type Received } from './support/fake-cloudwatch.ts';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.ts';

const logger = pino({ level: 'silent' });
const links = { publicUrl: 'https://status.example', secret: 'test-secret-test-secret-test-secret', messageIdDomain: 'status.example' };
type Answer = { status?: number; queryError?: string; body: unknown };

/** CloudWatch's answer to a request signed with a key it does not know. */
const badToken = (): Answer => ({ status: 403, queryError: 'InvalidClientTokenId;Sender', body: { __type: 'com.amazonaws.cloudwatch#InvalidClientTokenId', message: 'The security token included in the request is invalid.' } });
/** Every metric healthy. */
const healthy = (request: Received): Answer => ({
  body: {
    MetricDataResults: request.body.MetricDataQueries.map((q) => ({ Id: q.Id, Label: q.MetricStat.Metric.MetricName, Timestamps: [request.body.EndTime - 60], Values: [q.MetricStat.Metric.MetricName === 'HealthyHostCount' ? 2 : 0], StatusCode: 'Complete' })),
    Messages: [],
  },
});

describe.each(DRIVERS)('the CloudWatch credentials alert, from the SDK through ingest to the mail, on %s', (driver) => {
  let test: TestDatabase;
  let peer: SmtpPeer;
  let channel: MailChannel;
  let respond: (request: Received) => Answer = badToken;
  let cloudwatch: Awaited<ReturnType<typeof startFakeCloudWatch>>;
  let reader: CloudWatchReader;
  let clock = new Date('2026-03-02T10:00:00Z');
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  let config: ReturnType<typeof configWith>;

  function configWith(endpoint: string) {
    const parsed = parseConfig(`
regions: [{ id: north }, { id: south }]
organisations:
  - id: kommune
    name: Kommune
    alertRoutes:
      - { id: cloud, events: [cloudwatch_credentials], channels: [{ kind: email, addresses: [drift@kommune.example] }] }
      - { id: outages, events: [component_down], channels: [{ kind: email, addresses: [vagt@kommune.example] }] }
pages:
  - id: status
    organisation: kommune
    name: Status
    groups:
      - id: login
        name: Login
        components:
          - id: idp
            name: { en: Identity provider }
            checks: [{ kind: cloudwatch, awsRegion: eu-north-1, endpoint: "${endpoint}", presets: [{ kind: alb, loadBalancer: app/idp/50dc6c495c0c9188, targetGroup: targetgroup/idp/73e2d6bc24d8a067 }] }]
`);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    return parsed.config;
  }

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDSTATUSVAKTTEST';
    process.env.AWS_SECRET_ACCESS_KEY = 'test-secret';
    cloudwatch = await startFakeCloudWatch((request) => respond(request));
    config = configWith(cloudwatch.url);
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, config, new Date('2026-01-01T00:00:00Z'));
    peer = await startSmtpPeer();
    channel = createSmtpChannel({ url: peer.url, from: 'Statusvakt <status@status.example>', requireTls: false, maxConnections: 2, timeoutMs: 2000 });
    reader = new CloudWatchReader({ batchWindowMs: 1, now: () => clock });
  });
  afterAll(async () => {
    reader?.destroy();
    await channel?.close();
    await peer?.close();
    await cloudwatch?.close();
    await test?.drop();
    process.env.AWS_ACCESS_KEY_ID = saved.id;
    process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
  });

  /** One minute of the probes of both regions: each reads CloudWatch, the API ingests and evaluates, two replicas raise alerts at once. */
  async function minute(): Promise<number> {
    clock = new Date(clock.getTime() + 60_000);
    const component = config.pages[0]!.groups[0]!.components[0]!;
    const check = component.checks[0] as CloudWatchCheck;
    for (const regionId of ['north', 'south']) {
      const result = await reader.read(check, { componentId: component.id, checkId: checkId(component.checks, 0), regionId });
      const ingested = await ingestResults(test.handle.db, { regionId, results: [result], now: clock });
      expect(ingested).toMatchObject({ accepted: 1, rejected: [] });
    }
    await evaluatePending(test.handle.db, clock);
    const routes = alertRoutesOf(config);
    const raised = await Promise.all([recordDueAlerts(test.handle.db, { routes, now: clock }), recordDueAlerts(test.handle.db, { routes, now: clock })]);
    return raised[0] + raised[1];
  }
  async function deliver() {
    const before = peer.received.length;
    const routes = alertRoutesOf(config);
    while (await fanOutNextAlert(test.handle.db, { routes, now: clock, logger })) {
      // one alert per call
    }
    const round = await deliverBatch({ db: test.handle.db, channel, now: () => clock, random: () => 0.5, links, backoff: { baseMs: 1000, capMs: 60_000, maxAgeMs: 86_400_000 }, logger, batchSize: 50, concurrency: 2, leaseMs: 60_000, routes, readSecret: () => undefined });
    expect(round.failed).toBe(0);
    return peer.received.slice(before);
  }
  const alerts = async () =>
    (await test.handle.db.select().from(tables.notificationEvents).orderBy(tables.notificationEvents.createdAt)).filter((e) => e.kind === 'operator_alert').map((e) => e.payload as AlertPayload);

  it('raises one alert per check when the credentials fail in every region and keep failing', async () => {
    respond = badToken;
    expect(await minute()).toBe(1);
    expect(await minute()).toBe(0);
    expect(await minute()).toBe(0);
    const raised = await alerts();
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ event: 'cloudwatch_credentials', organisationId: 'kommune', components: [{ id: 'idp', name: 'Identity provider' }], detail: { state: 'failing', checkId: 'cloudwatch', regions: 'north, south' } });
    const latest = rowsOf<{ reason: string }>(await test.handle.db.execute(sql`select reason from latest_results where component_id = 'idp'`));
    expect(latest.map((r) => r.reason)).toEqual(['access_denied', 'access_denied']);

    const mails = await deliver();
    expect(mails.map((m) => [m.to[0], m.subject])).toEqual([['drift@kommune.example', '[Statusvakt] CloudWatch credentials failing: Identity provider']]);
    expect(mails[0]!.text).toContain('InvalidClientTokenId: The security token included in the request is invalid.');
    expect(mails[0]!.text).toContain('(region north, south)');
  });

  it('follows up once when CloudWatch is read again, and alerts anew when the credentials fail again', async () => {
    respond = healthy;
    expect(await minute()).toBe(1);
    expect(await minute()).toBe(0);
    const resolved = (await alerts()).at(-1)!;
    expect(resolved).toMatchObject({ event: 'cloudwatch_credentials', detail: { state: 'resolved', checkId: 'cloudwatch' } });
    const mails = await deliver();
    expect(mails.map((m) => m.subject)).toEqual(['[Statusvakt] RESOLVED: CloudWatch readable again: Identity provider']);
    expect(mails[0]!.text).toMatch(/its credentials failed from 2026-03-02T10:01/);

    // CloudWatch failing on its side says nothing about the credentials: no alert either way
    respond = () => ({ status: 500, body: { __type: 'InternalFailure', message: 'internal error' } });
    expect(await minute()).toBe(0);
    expect((await alerts()).at(-1)!.detail.state).toBe('resolved');

    respond = badToken;
    expect(await minute()).toBe(1);
    expect((await alerts()).filter((a) => a.event === 'cloudwatch_credentials').map((a) => a.detail.state)).toEqual(['failing', 'resolved', 'failing']);
    expect((await deliver()).map((m) => m.subject)).toEqual(['[Statusvakt] CloudWatch credentials failing: Identity provider']);
  });
});
