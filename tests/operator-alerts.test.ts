import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { alertRoutesOf, createSmtpChannel, deliverBatch, fanOutNextAlert, fanOutNextEvent, startOutboxWorker, type MailChannel } from '../alerts/index.ts';
import { acknowledgeIncident, evaluatePending, ingestResults, openIncident, publishUpdate, recordDueAlerts, type AlertPayload } from '../api/index.ts';
import { parseConfig, type StatusvaktConfig } from '../config/index.ts';
import { createUser } from '../api/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { startAlertReceiver, type AlertReceiver } from './support/alert-receiver.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { result } from './support/fixtures.ts';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.ts';

const links = { publicUrl: 'https://status.example', secret: 'test-secret-test-secret-test-secret', messageIdDomain: 'status.example' };

export function alertConfig(): StatusvaktConfig {
  const parsed = parseConfig(`
regions: [{ id: north }]
organisations:
  - id: kommune
    name: Kommune
    alertRoutes:
      - id: on-call
        events: [component_down, component_up, incident_unacknowledged, communication_overdue]
        priorities: [A]
        components: [mfa, sso]
        repeatEveryMinutes: 30
        channels:
          - { kind: email, addresses: [vagt@kommune.example], accounts: [op@kommune.example] }
          - { kind: webhook, url: "https://hooks.kommune.example/alerts", secretEnv: ALERT_SECRET }
          - { kind: slack, urlEnv: SLACK_URL }
          - { kind: teams, urlEnv: TEAMS_URL, format: messagecard }
      - id: portal-team
        events: [component_down, component_degraded, region_silent]
        components: [portal]
        channels: [{ kind: teams, urlEnv: TEAMS_URL }]
  - id: other
    name: Other
    alertRoutes:
      - { id: other-duty, events: [component_down], channels: [{ kind: slack, urlEnv: SLACK_URL }] }
pages:
  - id: status
    organisation: kommune
    name: Status
    groups:
      - id: login
        name: Login
        components:
          - { id: sso, name: { da: Fælles login, en: Single sign-on }, checks: [{ kind: https, url: "https://sso.example.dk/health" }] }
          - { id: mfa, name: MFA, checks: [{ kind: https, url: "https://mfa.example.dk/" }] }
          - { id: portal, name: Portal, checks: [{ kind: https, url: "https://portal.example.dk/" }] }
  - id: elsewhere
    organisation: other
    name: Elsewhere
    groups: [{ id: x, name: X, components: [{ id: other-thing, name: Other thing }] }]
`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
}

describe.each(DRIVERS)('operator alerts through the outbox, on %s', (driver) => {
  let test: TestDatabase;
  let peer: SmtpPeer;
  let receiver: AlertReceiver;
  let channel: MailChannel;
  let clock: Date;
  const config = alertConfig();
  const routes = alertRoutesOf(config);
  const logLines: { msg: string; [key: string]: unknown }[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _enc, done) => (logLines.push(JSON.parse(chunk.toString())), done()) }));
  const secrets: Record<string, string> = {};
  const readSecret = (name: string) => secrets[name];

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, config, new Date('2026-01-01T00:00:00Z'));
    await createUser(test.handle.db, { email: 'op@kommune.example', name: 'Op', role: 'operator', password: 'correct horse battery staple' });
    peer = await startSmtpPeer();
    receiver = await startAlertReceiver();
    channel = createSmtpChannel({ url: peer.url, from: 'Statusvakt <status@status.example>', requireTls: false, maxConnections: 2, timeoutMs: 2000 });
    Object.assign(secrets, { ALERT_SECRET: 'alert-signing-secret', SLACK_URL: `${receiver.url}/slack`, TEAMS_URL: `${receiver.url}/teams` });
  });
  afterAll(async () => {
    await channel?.close();
    await peer?.close();
    await receiver?.close();
    await test?.drop();
  });
  beforeEach(async () => {
    peer.received.length = 0;
    receiver.received.length = 0;
    logLines.length = 0;
    for (const table of ['outbox_messages', 'notification_events', 'incident_updates', 'incidents', 'state_intervals', 'latest_results', 'check_results', 'evaluation_marks']) await test.handle.db.execute(sql.raw(`delete from ${table}`));
  });

  /** Results of one component from north, each ingested and evaluated like the background worker does. */
  const report = async (componentId: string, outcome: 'up' | 'down' | 'degraded', at: Date) => {
    const ingested = await ingestResults(test.handle.db, { regionId: 'north', results: [result({ componentId, regionId: 'north', startedAt: at.toISOString(), outcome })], now: at });
    expect(ingested.rejected).toEqual([]);
    await evaluatePending(test.handle.db, at);
  };
  const drain = async () => {
    while (await fanOutNextAlert(test.handle.db, { routes, now: clock, logger })) {
      // one alert per call
    }
    while (await fanOutNextEvent(test.handle.db, clock)) {
      // subscribers' events (none here)
    }
    for (;;) {
      const round = await deliverBatch({ db: test.handle.db, channel, now: () => clock, random: () => 0.5, links, backoff: { baseMs: 1000, capMs: 60_000, maxAgeMs: 86_400_000 }, logger, batchSize: 50, concurrency: 4, leaseMs: 60_000, webhooksAllowInternal: true, routes, readSecret });
      if (round.claimed === 0) return;
    }
  };
  const alertsRaised = async (event: string) => (await test.handle.db.select().from(tables.notificationEvents)).filter((e) => e.kind === 'operator_alert' && (e.payload as AlertPayload).event === event);

  it('a component going down is one alert per channel, not one per failed check, and its recovery is a resolved follow-up', async () => {
    secrets.ALERT_SECRET = 'alert-signing-secret';
    const start = new Date('2026-03-02T10:00:00Z');
    await report('mfa', 'up', start);
    for (let minute = 1; minute <= 4; minute++) await report('mfa', 'down', new Date(start.getTime() + minute * 60_000));
    expect(await alertsRaised('component_down')).toHaveLength(1);
    expect(await alertsRaised('component_up')).toHaveLength(0); // unknown -> up at the start is not news
    clock = new Date(start.getTime() + 5 * 60_000);
    await drain();

    // e-mail: to the address and to the operator account, each once
    expect(peer.received.map((m) => m.to[0]).sort()).toEqual(['op@kommune.example', 'vagt@kommune.example']);
    expect(peer.received.every((m) => m.subject === '[Statusvakt] DOWN: MFA' && /MFA is down by quorum/.test(m.text) && m.html.includes('<h1'))).toBe(true);
    expect(new Set(peer.received.map((m) => m.messageId)).size).toBe(2);
    // the generic webhook is signed like the subscribers' webhooks
    const generic = receiver.received.filter((r) => r.path === '/alerts');
    expect(generic).toHaveLength(0); // its URL is the config's https address, not the receiver: see the next test
    const slack = receiver.received.filter((r) => r.path === '/slack');
    expect(slack).toHaveLength(1);
    const slackBody = JSON.parse(slack[0]!.body) as { text: string; blocks: { type: string }[] };
    expect(slackBody.text).toMatch(/DOWN: MFA/);
    expect(slackBody.blocks.map((b) => b.type)).toEqual(['section', 'section', 'context']);
    const teams = receiver.received.filter((r) => r.path === '/teams');
    expect(teams).toHaveLength(1);
    expect(JSON.parse(teams[0]!.body)).toMatchObject({ '@type': 'MessageCard', title: 'DOWN: MFA', themeColor: 'D13438' });
    // the server log: one line for the change
    expect(logLines.filter((l) => l.msg === 'component mfa is down (was up)')).toHaveLength(1);

    peer.received.length = 0;
    receiver.received.length = 0;
    await report('mfa', 'up', new Date(start.getTime() + 6 * 60_000));
    expect(await alertsRaised('component_up')).toHaveLength(1);
    clock = new Date(start.getTime() + 7 * 60_000);
    await drain();
    expect(peer.received.map((m) => m.subject)).toEqual(['[Statusvakt] RESOLVED: MFA is up', '[Statusvakt] RESOLVED: MFA is up']);
    expect(JSON.parse(receiver.received.find((r) => r.path === '/teams')!.body)).toMatchObject({ themeColor: '107C10' });
    expect(logLines.filter((l) => l.msg === 'component mfa is up (was down)')).toHaveLength(1);
  });

  it('without SMTP, alert e-mail waits in the outbox unclaimed and the log says so once; the other channels go; it goes out once SMTP is there', async () => {
    const start = new Date('2026-03-04T10:00:00Z');
    await report('mfa', 'up', start);
    await report('mfa', 'down', new Date(start.getTime() + 60_000));
    clock = new Date(start.getTime() + 2 * 60_000);
    while (await fanOutNextAlert(test.handle.db, { routes, now: clock, logger })) {
      // one alert per call
    }
    // two days of rounds without SMTP: long past what the retries of a failing send would allow
    for (let round = 0; round < 48; round++) {
      await deliverBatch({ db: test.handle.db, channel: null, now: () => clock, random: () => 0.5, links, backoff: { baseMs: 1000, capMs: 60_000, maxAgeMs: 86_400_000 }, logger, batchSize: 50, concurrency: 4, leaseMs: 60_000, webhooksAllowInternal: true, routes, readSecret });
      clock = new Date(clock.getTime() + 3_600_000);
    }
    const rows = await test.handle.db.select().from(tables.outboxMessages);
    const mail = rows.filter((r) => r.alertTarget?.to);
    expect(mail.map((r) => r.alertTarget!.to).sort()).toEqual(['op@kommune.example', 'vagt@kommune.example']);
    for (const row of mail) expect(row).toMatchObject({ status: 'pending', attempts: 0, lastError: null });
    expect(receiver.received.filter((r) => r.path === '/slack')).toHaveLength(1);

    const worker = startOutboxWorker({ db: test.handle.db, channel: null, links, logger, now: () => clock, pollMs: 3_600_000, routes, readSecret, webhooksAllowInternal: true });
    const noSmtp = () => logLines.filter((l) => l.msg.startsWith('SMTP is not configured'));
    await vi.waitFor(() => expect(noSmtp()).toHaveLength(1));
    worker.wake();
    worker.wake();
    await worker.stop();
    expect(noSmtp()).toEqual([expect.objectContaining({ queued: 2 })]);

    await drain();
    expect(peer.received.map((m) => m.to[0]).sort()).toEqual(['op@kommune.example', 'vagt@kommune.example']);
  });

  it('routes by organisation, event, priority and component: a degraded portal goes to its team only', async () => {
    const start = new Date('2026-03-03T10:00:00Z');
    await report('portal', 'up', start);
    await report('portal', 'degraded', new Date(start.getTime() + 60_000));
    clock = new Date(start.getTime() + 2 * 60_000);
    await drain();
    expect(peer.received).toHaveLength(0); // on-call wants A and only mfa, sso
    expect(receiver.received.map((r) => r.path)).toEqual(['/teams']);
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } }] });
  });

  it('an unacknowledged A incident is repeated until acknowledged; deadline reminders are raised once however many workers run', async () => {
    const opened = new Date('2026-03-04T10:00:00Z');
    const incident = await openIncident(test.handle.db, { pageId: 'status', title: 'Login down', priority: 'A', componentIds: ['sso'], actor: 'system', now: opened });
    expect(await alertsRaised('incident_opened')).toHaveLength(1);
    const at = (minutes: number) => new Date(opened.getTime() + minutes * 60_000);
    // two replicas at once, then a restart that runs it again
    expect(await recordDueAlerts(test.handle.db, { routes, now: at(29) })).toBe(1); // the "registered" step (15 min) is overdue
    const both = await Promise.all([recordDueAlerts(test.handle.db, { routes, now: at(31) }), recordDueAlerts(test.handle.db, { routes, now: at(31) })]);
    expect(both[0] + both[1]).toBe(2); // the first repeat and the overdue "nature" step (30 min), each once
    expect(await recordDueAlerts(test.handle.db, { routes, now: at(32) })).toBe(0);
    expect(await alertsRaised('incident_unacknowledged')).toHaveLength(1);
    expect((await alertsRaised('communication_overdue')).map((e) => (e.payload as AlertPayload).detail.step).sort()).toEqual(['nature', 'registered']);
    expect(await recordDueAlerts(test.handle.db, { routes, now: at(61) })).toBe(1); // the second repeat
    await acknowledgeIncident(test.handle.db, { incidentId: incident.id, actor: 'system', now: at(62) });
    // acknowledged: no more repeats, but a message deadline still is one (the estimate, due at 90 min)
    expect(await recordDueAlerts(test.handle.db, { routes, now: at(95) })).toBe(1);
    expect(await alertsRaised('incident_unacknowledged')).toHaveLength(2);
    expect((await alertsRaised('communication_overdue')).map((e) => (e.payload as AlertPayload).detail.step).sort()).toEqual(['nature', 'registered', 'status_estimate']);

    clock = at(96);
    await drain();
    const subjects = peer.received.filter((m) => m.to[0] === 'vagt@kommune.example').map((m) => m.subject).sort();
    expect(subjects.filter((s) => s.includes('UNACKNOWLEDGED'))).toHaveLength(2);
    expect(subjects.filter((s) => s.includes('OVERDUE'))).toHaveLength(3);
    expect(logLines.filter((l) => l.msg === 'incident opened: Login down')).toHaveLength(1);

    const [current] = await test.handle.db.select().from(tables.incidents);
    await publishUpdate(test.handle.db, { incidentId: incident.id, expectedVersion: current!.version, step: 'operation_normal', actor: 'system', now: at(100) });
    clock = at(100);
    await drain();
    expect(logLines.filter((l) => l.msg === 'incident closed: Login down')).toHaveLength(1);
  });

  it('a probe region that falls silent is reported once per silence', async () => {
    const start = new Date('2026-03-06T10:00:00Z');
    await report('portal', 'up', start);
    expect(await recordDueAlerts(test.handle.db, { routes, now: new Date(start.getTime() + 60_000) })).toBe(0);
    const later = new Date(start.getTime() + 10 * 60_000);
    const raised = await Promise.all([recordDueAlerts(test.handle.db, { routes, now: later }), recordDueAlerts(test.handle.db, { routes, now: later })]);
    expect(raised[0] + raised[1]).toBe(1);
    expect(await recordDueAlerts(test.handle.db, { routes, now: new Date(later.getTime() + 60_000) })).toBe(0);
    clock = later;
    await drain();
    expect(receiver.received.map((r) => JSON.parse(r.body).attachments[0].content.body[0].text)).toEqual(['Probe region silent: north']);
  });

  it('signs the generic webhook; a channel that fails for good is logged once with its route', async () => {
    const cfg = structuredClone(config);
    const route = cfg.organisations[0]!.alertRoutes[0]!;
    route.channels[1] = { kind: 'webhook', url: `${receiver.url}/alerts`, secretEnv: 'ALERT_SECRET' };
    const patched = alertRoutesOf(cfg);
    receiver.answer('/slack', 404);
    const start = new Date('2026-03-05T10:00:00Z');
    await report('sso', 'up', start);
    await report('sso', 'down', new Date(start.getTime() + 60_000));
    clock = new Date(start.getTime() + 2 * 60_000);
    while (await fanOutNextAlert(test.handle.db, { routes: patched, now: clock, logger })) {
      // one alert per call
    }
    await deliverBatch({ db: test.handle.db, channel, now: () => clock, random: () => 0.5, links, backoff: { baseMs: 1000, capMs: 60_000, maxAgeMs: 86_400_000 }, logger, batchSize: 50, concurrency: 4, leaseMs: 60_000, webhooksAllowInternal: true, routes: patched, readSecret });
    const hook = receiver.received.find((r) => r.path === '/alerts')!;
    const body = JSON.parse(hook.body) as { event: string; components: { name: string }[]; organisation: string };
    expect(body).toMatchObject({ event: 'component_down', organisation: 'kommune', components: [{ id: 'sso', name: 'Single sign-on' }] });
    const [t, v1] = String(hook.headers['x-statusvakt-signature']).split(',').map((p) => p.split('=')[1]);
    expect(v1).toBe(createHmac('sha256', 'alert-signing-secret').update(`${t}.${hook.body}`).digest('hex'));
    const failed = logLines.filter((l) => l.msg === 'notification failed permanently');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ kind: 'alert', route: 'on-call', reason: 'HTTP 404' });
  });
});
