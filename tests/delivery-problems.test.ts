import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createUser, type DeliveryProblems } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';

const PASSWORD = 'correct horse battery staple';

describe.each(DRIVERS)('delivery problems for the console, scoped to the operator\'s organisations, on %s', (driver) => {
  let test: TestDatabase;
  const at = new Date('2026-03-02T08:00:00Z');

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    const parsed = parseConfig(`
organisations: [{ id: kommune, name: Kommune }, { id: region, name: Region }]
pages:
  - { id: status, organisation: kommune, name: Status, groups: [{ id: g, name: G, components: [{ id: sso, name: SSO }] }] }
  - { id: andet, organisation: region, name: Andet, groups: [{ id: h, name: H, components: [{ id: epj, name: EPJ }] }] }
`);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    await syncConfig(test.handle.db, parsed.config, at);
    await createUser(test.handle.db, { email: 'op@kommune.example', name: 'Op', role: 'operator', password: PASSWORD, organisationIds: ['kommune'] });
    await createUser(test.handle.db, { email: 'all@drift.example', name: 'All', role: 'operator', password: PASSWORD });
    const db = test.handle.db;
    const subscriber = (pageId: string, email: string, bounced: boolean) => ({ pageId, email, language: 'en', manageNonce: crypto.randomUUID(), manageTokenHash: crypto.randomUUID(), createdAt: at, ...(bounced ? { bouncedAt: at, bounceReason: '550 5.1.1 mailbox unavailable' } : {}) });
    const [gone, elsewhere] = await db.insert(tables.subscribers).values([subscriber('status', 'gone@example.test', true), subscriber('andet', 'far@example.test', false)]).returning();
    const [hook] = await db.insert(tables.webhookSubscribers).values({ pageId: 'status', url: 'https://partner.example/hook', secret: 's', createdBy: 'op@kommune.example', createdAt: at }).returning();
    const [alert, report] = await db
      .insert(tables.notificationEvents)
      .values([
        { kind: 'operator_alert', pageIds: [], componentIds: ['sso'], payload: { organisationId: 'kommune' }, createdAt: at, fannedOutAt: at },
        { kind: 'sla_report', pageIds: ['andet'], componentIds: [], payload: {}, createdAt: at, fannedOutAt: at },
      ])
      .returning();
    const row = { nextAttemptAt: at, createdAt: at };
    await db.insert(tables.outboxMessages).values([
      { ...row, kind: 'confirm', subscriberId: gone!.id, status: 'failed', attempts: 1, lastError: '550 5.1.1 mailbox unavailable' },
      { ...row, kind: 'confirm', subscriberId: elsewhere!.id, status: 'failed', attempts: 96, lastError: 'temporary failures for 3 days: ECONNECTION: connection refused' },
      { ...row, kind: 'alert', eventId: alert!.id, alertTarget: { routeId: 'on-call', channel: 0, to: 'vagt@kommune.example' } },
      { ...row, kind: 'webhook', webhookId: hook!.id },
      { ...row, kind: 'report', eventId: report!.id, recipient: 'kontrakt@region.example' },
      { ...row, kind: 'alert', eventId: alert!.id, alertTarget: { routeId: 'on-call', channel: 1 }, status: 'sent' },
    ]);
  });
  afterAll(async () => {
    await test?.drop();
  });

  async function problemsAs(email: string, mailConfigured?: boolean): Promise<DeliveryProblems> {
    const app = buildApp({ database: test.handle, now: () => at, logger: pino({ level: 'silent' }), ...(mailConfigured === undefined ? {} : { mailConfigured }) });
    const login = await app.request('http://status.test/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
    expect(login.status).toBe(200);
    const response = await app.request('http://status.test/api/v1/notifications/problems', { headers: { cookie: login.headers.get('set-cookie')!.split(';')[0]! } });
    expect(response.status).toBe(200);
    return (await response.json()) as DeliveryProblems;
  }

  it('shows an operator of one organisation its queued and failed messages and bounced addresses, not the others\'', async () => {
    const seen = await problemsAs('op@kommune.example', false);
    expect(seen.mailConfigured).toBe(false);
    expect(seen.counts).toEqual({ queued: 2, queuedMail: 1, failed: 1, bounced: 1 }); // the alert by mail and the webhook
    expect(seen.oldestQueuedAt).toBe(at.toISOString());
    expect(seen.failed).toEqual([{ id: expect.any(String), kind: 'confirm', recipient: 'gone@example.test', route: null, attempts: 1, reason: '550 5.1.1 mailbox unavailable', createdAt: at.toISOString() }]);
    expect(seen.bounced).toEqual([{ pageId: 'status', email: 'gone@example.test', reason: '550 5.1.1 mailbox unavailable', bouncedAt: at.toISOString() }]);
  });

  it('shows an operator of every organisation everything', async () => {
    const seen = await problemsAs('all@drift.example', true);
    expect(seen.mailConfigured).toBe(true);
    expect(seen.counts).toEqual({ queued: 3, queuedMail: 2, failed: 2, bounced: 1 });
    expect(seen.failed.map((f) => f.recipient).sort()).toEqual(['far@example.test', 'gone@example.test']);
  });

  it('says nothing about SMTP when the server was not told, and refuses a visitor', async () => {
    expect((await problemsAs('all@drift.example')).mailConfigured).toBeNull();
    const app = buildApp({ database: test.handle, now: () => at, logger: pino({ level: 'silent' }) });
    expect((await app.request('http://status.test/api/v1/notifications/problems')).status).toBe(401);
  });
});
