import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpChannel, type MailChannel } from '../alerts/index.ts';
import { buildApp, createUser, recordDueWindowEvents, type App } from '../api/index.ts';
import { syncConfig } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { testConfig } from './support/fixtures.ts';
import { aSubscriber, fanOutAndDeliver } from './support/outbox-fixtures.ts';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.ts';

const PASSWORD = 'correct horse battery staple';

describe.each(DRIVERS)('subscribers are told about service windows over real SMTP, on %s', (driver) => {
  let test: TestDatabase;
  let app: App;
  let clock: Date;
  let peer: SmtpPeer;
  let channel: MailChannel;

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, testConfig(), new Date('2026-01-01T00:00:00Z'));
    app = buildApp({ database: test.handle, now: () => clock, logger: pino({ level: 'silent' }) });
    await createUser(test.handle.db, { email: 'op@kommune.example', name: 'Op', role: 'operator', password: PASSWORD });
    peer = await startSmtpPeer();
    channel = createSmtpChannel({ url: peer.url, from: 'status@status.example', requireTls: false, maxConnections: 2, timeoutMs: 2000 });
  });
  afterAll(async () => {
    await channel?.close();
    await peer?.close();
    await test?.drop();
  });
  afterEach(async () => {
    peer.received.length = 0;
    for (const table of ['outbox_messages', 'notification_events', 'subscribers', 'service_windows']) await test.handle.db.execute(sql.raw(`delete from ${table}`));
  });

  // a session would expire over the days the clock jumps: each change logs in at the clock's time
  const call = async (path: string, body: unknown) => {
    const login = await app.request('http://status.test/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: PASSWORD }) });
    const operator = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await login.json()) as { csrfToken: string }).csrfToken };
    const response = await app.request(`http://status.test${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: operator.cookie, 'x-csrf-token': operator.csrf }, body: JSON.stringify(body) });
    expect(response.status, JSON.stringify(await response.clone().json())).toBeLessThan(300);
    return ((await response.json()) as { window: { id: string } }).window;
  };
  const schedule = (start: string, end: string) => call('/api/v1/windows', { componentIds: ['sso'], title: { da: 'Opgradering', en: 'Upgrade' }, plannedStart: start, plannedEnd: end });
  const change = (id: string, body: Record<string, string>) => call(`/api/v1/windows/${id}/changes`, body);
  /** Fans out every event and sends what is due; returns the mails that arrived, as "to: subject". */
  const deliver = async () => {
    peer.received.length = 0;
    await fanOutAndDeliver(test.handle.db, { channel, now: clock });
    return peer.received.map((m) => `${m.to[0]}: ${m.subject}`).sort();
  };
  const readers = async () => {
    await aSubscriber(test.handle.db, { email: 'dansk@example.test', language: 'da' });
    await aSubscriber(test.handle.db, { email: 'english@example.test', language: 'en', componentIds: ['sso'] });
    // follows another component: told nothing about a window on sso
    await aSubscriber(test.handle.db, { email: 'portal@example.test', language: 'sv', componentIds: ['portal'] });
  };

  it('announces, reschedules, extends and cancels to each follower once, in their language', async () => {
    clock = new Date('2026-04-01T08:00:00Z');
    await readers();
    const window = await schedule('2026-04-10T08:00:00Z', '2026-04-10T10:00:00Z');
    expect(await deliver()).toEqual(['dansk@example.test: [Driftsstatus] Planlagt vedligeholdelse: Opgradering', 'english@example.test: [Service status] Planned maintenance: Upgrade']);

    await change(window.id, { action: 'reschedule', plannedStart: '2026-04-11T08:00:00Z', plannedEnd: '2026-04-11T10:00:00Z' });
    expect(await deliver()).toEqual(['dansk@example.test: [Driftsstatus] Planlagt vedligeholdelse: Opgradering', 'english@example.test: [Service status] Planned maintenance: Upgrade']);
    // the new plan, in the page's time zone (Copenhagen, summer time)
    expect(peer.received.find((m) => m.to[0] === 'english@example.test')!.text).toContain('from 11 Apr 2026, 10:00 CEST to 11 Apr 2026, 12:00 CEST');

    await change(window.id, { action: 'extend', until: '2026-04-11T11:00:00Z' });
    expect(await deliver()).toHaveLength(2);
    expect(peer.received.find((m) => m.to[0] === 'dansk@example.test')!.text).toContain('Den varer ud over det planlagte');

    await change(window.id, { action: 'cancel' });
    expect(await deliver()).toEqual(['dansk@example.test: [Driftsstatus] Vedligeholdelse aflyst: Opgradering', 'english@example.test: [Service status] Maintenance cancelled: Upgrade']);
  });

  it('says a started window that passes its planned end is overrunning, and that it ended only when it is closed', async () => {
    clock = new Date('2026-04-01T08:00:00Z');
    const window = await schedule('2026-04-12T08:00:00Z', '2026-04-12T10:00:00Z');
    await deliver();
    await readers();
    clock = new Date('2026-04-12T08:00:00Z');
    await change(window.id, { action: 'start' });
    expect(await recordDueWindowEvents(test.handle.db, clock)).toBe(0);
    expect(await deliver()).toEqual(['dansk@example.test: [Driftsstatus] Vedligeholdelse begyndt: Opgradering', 'english@example.test: [Service status] Maintenance started: Upgrade']);

    clock = new Date('2026-04-12T10:01:00Z');
    expect(await recordDueWindowEvents(test.handle.db, clock)).toBe(1);
    expect(await recordDueWindowEvents(test.handle.db, clock)).toBe(0);
    expect(await deliver()).toEqual(['dansk@example.test: [Driftsstatus] Vedligeholdelse trækker ud: Opgradering', 'english@example.test: [Service status] Maintenance overrunning: Upgrade']);
    expect(peer.received.find((m) => m.to[0] === 'english@example.test')!.text).toContain('was planned to end at');

    // extended, then overrun again: news again, once
    await change(window.id, { action: 'extend', until: '2026-04-12T10:30:00Z' });
    await deliver();
    clock = new Date('2026-04-12T10:31:00Z');
    expect(await recordDueWindowEvents(test.handle.db, clock)).toBe(1);
    expect(await deliver()).toEqual(['dansk@example.test: [Driftsstatus] Vedligeholdelse trækker ud: Opgradering', 'english@example.test: [Service status] Maintenance overrunning: Upgrade']);

    clock = new Date('2026-04-12T10:45:00Z');
    await change(window.id, { action: 'close' });
    expect(await recordDueWindowEvents(test.handle.db, clock)).toBe(0);
    expect(await deliver()).toEqual(['dansk@example.test: [Driftsstatus] Vedligeholdelse afsluttet: Opgradering', 'english@example.test: [Service status] Maintenance ended: Upgrade']);
    expect(await recordDueWindowEvents(test.handle.db, new Date('2026-04-12T12:00:00Z'))).toBe(0);
  });
});
