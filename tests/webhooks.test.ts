import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverBatch, fanOutNextEvent } from '../alerts/index.ts';
import { buildApp, createUser, recordComponentUpdates, type App } from '../api/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { testConfig } from './support/fixtures.ts';
import { publishIncidentUpdate } from './support/outbox-fixtures.ts';

const PASSWORD = 'correct horse battery staple';
const logger = pino({ level: 'silent' });

describe.each(DRIVERS)('webhook subscribers: signed, retried, disabled after permanent failures, on %s', (driver) => {
  let test: TestDatabase;
  let strict: App;
  let lenient: App;
  let receiver: Server;
  let receiverUrl: string;
  let clock = new Date('2026-05-04T08:00:00Z');
  let answers: number[] = [];
  const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, testConfig(), new Date('2026-01-01T00:00:00Z'));
    strict = buildApp({ database: test.handle, now: () => clock, logger });
    lenient = buildApp({ database: test.handle, now: () => clock, logger, webhooksAllowInternal: true });
    await createUser(test.handle.db, { email: 'op@kommune.example', name: 'Op', role: 'operator', password: PASSWORD });
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.statusCode = answers.shift() ?? 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver?.close(resolve));
    await test?.drop();
  });
  beforeEach(async () => {
    received.length = 0;
    answers = [];
    for (const table of ['outbox_messages', 'notification_events', 'webhook_subscribers', 'component_status_overrides']) await test.handle.db.execute(sql.raw(`delete from ${table}`));
  });

  const operator = async (app: App) => {
    const login = await app.request('http://status.test/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: PASSWORD }) });
    return { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' };
  };
  const addHook = async (app: App, url: string, components = ['sso']) => app.request('http://status.test/api/v1/pages/status/webhooks', { method: 'POST', headers: await operator(app), body: JSON.stringify({ url, components }) });
  const declare = async (componentId: string, status: string) => {
    const response = await lenient.request('http://status.test/api/v1/component-status', { method: 'POST', headers: await operator(lenient), body: JSON.stringify({ componentId, status, expiresAt: new Date(clock.getTime() + 3_600_000).toISOString() }) });
    expect(response.status).toBe(201);
  };
  const deliver = async () => {
    while (await fanOutNextEvent(test.handle.db, clock)) {
      // every event
    }
    return deliverBatch({ db: test.handle.db, channel: null, webhooksAllowInternal: true, now: () => clock, random: () => 0.5, links: { publicUrl: 'http://status.test', secret: 'x'.repeat(32), messageIdDomain: 'status.test' }, backoff: { baseMs: 1000, capMs: 10_000, maxAgeMs: 86_400_000 }, logger, batchSize: 50, concurrency: 2, leaseMs: 60_000 });
  };

  it('refuses plain http and internal addresses unless the configuration allows them', async () => {
    const refused = await addHook(strict, receiverUrl);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as any).error.message).toBe('webhook url: must be https://');
    const internal = await addHook(strict, 'https://127.0.0.1:9/hook');
    expect(((await internal.json()) as any).error.message).toMatch(/internal address \(127\.0\.0\.1\)/);
    const anonymous = await strict.request('http://status.test/api/v1/pages/status/webhooks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: 'https://partner.example/' }) });
    expect(anonymous.status).toBe(401);
    expect(await test.handle.db.select().from(tables.webhookSubscribers)).toHaveLength(0);
  });

  it('POSTs a Statuspage-shaped incident, signed with HMAC-SHA256, and retries a 5xx', async () => {
    const added = (await (await addHook(lenient, receiverUrl)).json()) as { id: string; secret: string };
    expect(added.secret).toMatch(/^whsec_/);
    await publishIncidentUpdate(test.handle.db, clock, ['portal']); // not followed
    answers = [503];
    await publishIncidentUpdate(test.handle.db, clock, ['sso']);
    expect(await deliver()).toMatchObject({ claimed: 1, retrying: 1 });
    clock = new Date(clock.getTime() + 1000);
    expect(await deliver()).toMatchObject({ claimed: 1, sent: 1 });
    expect(received).toHaveLength(2);
    const last = received[1]!;
    expect(last.body).toBe(received[0]!.body);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(last.headers['x-statusvakt-signature']))!;
    expect(createHmac('sha256', added.secret).update(`${t}.${last.body}`).digest('hex')).toBe(v1);
    const payload = JSON.parse(last.body);
    expect(payload.meta.delivery_id).toBe(last.headers['x-statusvakt-delivery']);
    expect(payload.page).toMatchObject({ id: 'status', status_indicator: 'minor', status_description: 'Driftsstatus' });
    expect(payload.incident).toMatchObject({ name: 'Login er langsomt', status: 'investigating', impact: 'minor', components: [{ id: 'sso', name: 'Fælles login' }] });
    expect(payload.incident.incident_updates[0].body).toMatch(/^Vi har registreret et problem/);
  });

  it('disables a webhook after three permanent failures, with the reason, and queues nothing more for it', async () => {
    await addHook(lenient, receiverUrl);
    answers = [410, 410, 410];
    for (let i = 0; i < 3; i++) await publishIncidentUpdate(test.handle.db, clock, ['sso']);
    expect(await deliver()).toMatchObject({ claimed: 3, failed: 3 });
    const [hook] = await test.handle.db.select().from(tables.webhookSubscribers);
    expect(hook!.disabledAt).not.toBeNull();
    expect(hook!.disabledReason).toBe('3 deliveries failed for good; last: HTTP 410');
    await publishIncidentUpdate(test.handle.db, clock, ['sso']);
    expect(await deliver()).toMatchObject({ claimed: 0 });
    const headers = await operator(lenient);
    const list = await lenient.request('http://status.test/api/v1/pages/status/webhooks', { headers });
    expect(((await list.json()) as any).webhooks[0].disabledReason).toMatch(/HTTP 410/);
    // operators see the permanent failures with their reasons
    const outbox = (await (await lenient.request('http://status.test/api/v1/pages/status/notifications', { headers })).json()) as any;
    expect(outbox.counts).toEqual({ pending: 0, sent: 0, failed: 3 });
    expect(outbox.failed.map((f: any) => [f.kind, f.recipient, f.reason])).toEqual(Array(3).fill(['webhook', receiverUrl, 'HTTP 410']));
  });

  it('refuses components the page does not have, naming them', async () => {
    const response = await addHook(lenient, receiverUrl, ['sso', 'nope', 'login']);
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.message).toBe('not components or groups of page "status": nope');
    expect(await test.handle.db.select().from(tables.webhookSubscribers)).toHaveLength(0);
    // a group is followed as a group: its components now and later
    const group = (await (await addHook(lenient, receiverUrl, ['login'])).json()) as { componentIds: string[] };
    expect(group.componentIds).toEqual(['group:login']);
  });

  it('POSTs a signed Statuspage component_update when a followed component\'s shown status changes, once per change', async () => {
    clock = new Date('2026-05-05T08:00:00Z');
    const added = (await (await addHook(lenient, receiverUrl)).json()) as { id: string; secret: string };
    // the first look records what is shown and tells nobody
    await recordComponentUpdates(test.handle.db, clock);
    expect(await deliver()).toMatchObject({ claimed: 0 });
    const before = (await test.handle.db.select().from(tables.notificationEvents)).find((e) => e.componentIds[0] === 'sso')!.payload as any;

    clock = new Date('2026-05-05T08:01:00Z');
    await declare('sso', 'major_outage');
    await declare('portal', 'partial_outage'); // not followed
    expect(await recordComponentUpdates(test.handle.db, clock)).toBe(2);
    expect(await recordComponentUpdates(test.handle.db, clock)).toBe(0);
    expect(await deliver()).toMatchObject({ claimed: 1, sent: 1 });
    expect(received).toHaveLength(1);
    const [{ headers, body }] = received as [(typeof received)[number]];
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers['x-statusvakt-signature']))!;
    expect(createHmac('sha256', added.secret).update(`${t}.${body}`).digest('hex')).toBe(v1);
    const payload = JSON.parse(body);
    expect(Object.keys(payload).sort()).toEqual(['component', 'component_update', 'meta', 'page']);
    expect(payload.meta).toMatchObject({ delivery_id: headers['x-statusvakt-delivery'], event: 'component_update' });
    // two of the three components in outage: a majority, so critical
    expect(payload.page).toMatchObject({ id: 'status', status_indicator: 'critical' });
    expect(payload.component_update).toMatchObject({ created_at: '2026-05-05T08:01:00.000Z', old_status: before.componentUpdate.newStatus, new_status: 'major_outage', component_id: 'sso' });
    expect(payload.component_update.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.component).toMatchObject({ id: 'sso', name: 'Fælles login', status: 'major_outage', page_id: 'status', group_id: 'login' });

    // the status set by hand is cleared: back to what was shown before, told once more
    await test.handle.db.execute(sql.raw('delete from component_status_overrides'));
    clock = new Date('2026-05-05T08:02:00Z');
    expect(await recordComponentUpdates(test.handle.db, clock)).toBe(2);
    await deliver();
    expect(received.map((r) => JSON.parse(r.body).component_update.new_status)).toEqual(['major_outage', before.componentUpdate.newStatus]);
  });
});
