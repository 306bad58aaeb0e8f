import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpChannel, DEFAULT_BACKOFF, deliverBatch, fanOutNextEvent, type MailChannel } from '../alerts/index.ts';
import { sql } from 'drizzle-orm';
import { deliveryProblems, recordDueWindowEvents } from '../api/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { testConfig } from './support/fixtures.ts';
import { aSubscriber, outboxRows, publishIncidentUpdate, subscriberByEmail, tally } from './support/outbox-fixtures.ts';
import { startSmtpPeer, type SmtpPeer, type Verdict } from './support/smtp-peer.ts';

const links = { publicUrl: 'https://status.example', secret: 'test-secret-test-secret-test-secret', messageIdDomain: 'status.example' };
const logger = pino({ level: 'silent' });
const matrix: Record<string, unknown>[] = [];

describe.each(DRIVERS)('the outbox delivers over real SMTP, on %s', (driver) => {
  let test: TestDatabase;
  let clock: Date;
  let peer: SmtpPeer | undefined;
  let channel: MailChannel | undefined;

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, testConfig(), new Date('2026-01-01T00:00:00Z'));
  });
  afterAll(async () => {
    await test?.drop();
    if (driver === DRIVERS[DRIVERS.length - 1]) console.table(matrix);
  });
  afterEach(async () => {
    await channel?.close();
    await peer?.close();
    channel = undefined;
    peer = undefined;
    for (const table of ['outbox_messages', 'notification_events', 'subscribers']) await test.handle.db.execute(sql.raw(`delete from ${table}`));
  });

  const smtp = (port: number) => (channel = createSmtpChannel({ url: `smtp://127.0.0.1:${port}`, from: 'Statusvakt <status@status.example>', requireTls: false, maxConnections: 3, timeoutMs: 2000 }));
  /** Fans out, then runs rounds at the injected clock until nothing is due. */
  const drain = async () => {
    while (await fanOutNextEvent(test.handle.db, clock)) {
      // one event per call
    }
    let total = { claimed: 0, sent: 0, retrying: 0, failed: 0 };
    for (;;) {
      const round = await deliverBatch({ db: test.handle.db, channel: channel!, now: () => clock, random: () => 0.5, links, backoff: { baseMs: 1000, capMs: 60_000, maxAgeMs: 86_400_000 }, logger, batchSize: 50, concurrency: 4, leaseMs: 60_000 });
      total = { claimed: total.claimed + round.claimed, sent: total.sent + round.sent, retrying: total.retrying + round.retrying, failed: total.failed + round.failed };
      if (round.claimed === 0) return total;
    }
  };
  const later = (ms: number) => (clock = new Date(clock.getTime() + ms));
  const record = (scenario: string, counts: Record<string, number>) => matrix.push({ driver, scenario, ...counts });
  const sentRows = async () => (await outboxRows(test.handle.db)).filter((r) => r.status === 'sent').length;

  it('sends one mail per follower of an affected component, with a stable Message-ID, both parts and one-click unsubscribe', async () => {
    clock = new Date('2026-02-02T10:00:00Z');
    peer = await startSmtpPeer();
    smtp(peer.port);
    await aSubscriber(test.handle.db, { email: 'all@example.test' });
    await aSubscriber(test.handle.db, { email: 'sso@example.test', language: 'en', componentIds: ['sso', 'mfa'] });
    await aSubscriber(test.handle.db, { email: 'portal@example.test', componentIds: ['portal'] });
    await aSubscriber(test.handle.db, { email: 'unconfirmed@example.test', confirmed: false });
    // the incident touches two components the second reader follows: still one mail
    await publishIncidentUpdate(test.handle.db, clock, ['sso', 'mfa']);
    expect(await drain()).toEqual({ claimed: 2, sent: 2, retrying: 0, failed: 0 });

    const rows = await outboxRows(test.handle.db);
    expect(peer.received.map((m) => m.to[0]).sort()).toEqual(['all@example.test', 'sso@example.test']);
    for (const mail of peer.received) {
      const row = rows.find((r) => `<${r.id}@status.example>` === mail.messageId);
      expect(row?.status).toBe('sent');
      expect(mail.headers['list-unsubscribe']).toMatch(/^<https:\/\/status\.example\/api\/v1\/subscriptions\/unsubscribe\?token=[\w-]{43}&lang=(da|en)>$/);
      expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
      expect(mail.html).toContain('<html lang=');
    }
    const english = peer.received.find((m) => m.to[0] === 'sso@example.test')!;
    expect(english.subject).toBe('[Service status] Investigating: Login is slow');
    expect(english.text).toContain('Affects: Single sign-on, MFA');
    expect(english.text).toContain('We have registered a problem');
    record('all up', tally({ expectedRecipients: ['all@example.test', 'sso@example.test'], received: peer.received, sentRows: await sentRows() }));
  });

  it('SMTP down, then up: everything waits in the outbox and goes out once the server is back', async () => {
    clock = new Date('2026-02-03T10:00:00Z');
    peer = await startSmtpPeer();
    const port = peer.port;
    await peer.close();
    smtp(port);
    const readers = ['a@example.test', 'b@example.test', 'c@example.test'];
    for (const email of readers) await aSubscriber(test.handle.db, { email });
    await publishIncidentUpdate(test.handle.db, clock);
    expect(await drain()).toMatchObject({ sent: 0, retrying: 3, failed: 0 });
    later(30_000); // still down a little later
    expect(await drain()).toMatchObject({ sent: 0, retrying: 3 });
    expect((await outboxRows(test.handle.db)).every((r) => r.status === 'pending' && r.attempts === 2 && /ECONNECTION|ESOCKET|ECONNREFUSED/.test(r.lastError ?? ''))).toBe(true);
    peer = await startSmtpPeer({ port });
    later(60_000);
    expect(await drain()).toMatchObject({ sent: 3, retrying: 0 });
    const counts = tally({ expectedRecipients: readers, received: peer.received, sentRows: await sentRows() });
    expect(counts).toEqual({ sent: 3, delivered: 3, lost: 0, duplicated: 0 });
    record('SMTP down, then up', counts);
  });

  it('SMTP down for good: retried with the backoff capped at an hour for 3 days, then failed with that reason and listed for the console', async () => {
    const queuedAt = new Date('2026-03-27T09:00:00Z');
    clock = queuedAt;
    peer = await startSmtpPeer();
    const port = peer.port;
    await peer.close();
    smtp(port);
    await aSubscriber(test.handle.db, { email: 'patient@example.test' });
    await publishIncidentUpdate(test.handle.db, clock);
    await fanOutNextEvent(test.handle.db, clock);
    const hoursQueued = () => (clock.getTime() - queuedAt.getTime()) / 3_600_000;
    const waits: number[] = [];
    let [row] = await outboxRows(test.handle.db);
    // the clock jumps to each next attempt; nothing sleeps
    while (row!.status === 'pending') {
      clock = row!.nextAttemptAt;
      await deliverBatch({ db: test.handle.db, channel: channel!, now: () => clock, random: () => 0.5, links, backoff: DEFAULT_BACKOFF, logger, batchSize: 50, concurrency: 1, leaseMs: 60_000 });
      [row] = await outboxRows(test.handle.db);
      if (row!.status === 'pending') waits.push(row!.nextAttemptAt.getTime() - clock.getTime());
      if (hoursQueued() < 71) expect(row!.status).toBe('pending');
    }
    expect(Math.max(...waits)).toBe(2_700_000); // never more than the hour's cap (three quarters of it with this jitter)
    expect(row!.attempts).toBeGreaterThan(25); // 25 attempts were 13 hours; the row outlives them
    expect(hoursQueued()).toBeGreaterThanOrEqual(72);
    expect(hoursQueued()).toBeLessThan(73);
    expect(row).toMatchObject({ status: 'failed', sentAt: null });
    expect(row!.lastError).toMatch(/^temporary failures for 3 days: (ECONNECTION|ESOCKET)/);
    expect((await subscriberByEmail(test.handle.db, 'patient@example.test'))!.bouncedAt).toBeNull();
    const problems = await deliveryProblems(test.handle.db, { actor: { userId: 'admin', email: 'admin@status.example', role: 'admin', organisationIds: null, via: 'session' }, mailConfigured: true });
    expect(problems.failed).toEqual([expect.objectContaining({ id: row!.id, recipient: 'patient@example.test', reason: row!.lastError })]);
    record('SMTP down for 3 days', { sent: 0, delivered: 0, lost: 1, duplicated: 0, failedPermanently: 1, attempts: row!.attempts });
  });

  it('4xx: a temporary refusal is retried with backoff until accepted', async () => {
    clock = new Date('2026-02-04T10:00:00Z');
    peer = await startSmtpPeer({ data: (_to, attempt): Verdict => (attempt <= 2 ? { code: 451, message: 'try again later' } : 'accept') });
    smtp(peer.port);
    await aSubscriber(test.handle.db, { email: 'greylisted@example.test' });
    await publishIncidentUpdate(test.handle.db, clock);
    expect(await drain()).toMatchObject({ sent: 0, retrying: 1 });
    const [first] = await outboxRows(test.handle.db);
    expect(first!.lastError).toMatch(/451/);
    // backoff 1 s × 2^(n-1), half jittered: not due before, due after
    expect(first!.nextAttemptAt.getTime() - clock.getTime()).toBe(750);
    expect(await drain()).toMatchObject({ claimed: 0 });
    later(750);
    expect(await drain()).toMatchObject({ sent: 0, retrying: 1 });
    later(1500);
    expect(await drain()).toMatchObject({ sent: 1 });
    const counts = tally({ expectedRecipients: ['greylisted@example.test'], received: peer.received, sentRows: await sentRows() });
    expect(counts).toEqual({ sent: 1, delivered: 1, lost: 0, duplicated: 0 });
    expect((await outboxRows(test.handle.db))[0]!.attempts).toBe(3);
    record('4xx twice, then accepted', counts);
  });

  it('5xx: a permanent refusal stops at once with the reason and flags the address bounced; others still go', async () => {
    clock = new Date('2026-02-05T10:00:00Z');
    peer = await startSmtpPeer({ rcpt: (address) => (address === 'gone@example.test' ? { code: 550, message: 'no such mailbox' } : null) });
    smtp(peer.port);
    await aSubscriber(test.handle.db, { email: 'gone@example.test' });
    await aSubscriber(test.handle.db, { email: 'here@example.test' });
    await publishIncidentUpdate(test.handle.db, clock);
    expect(await drain()).toMatchObject({ sent: 1, failed: 1, retrying: 0 });
    const gone = await subscriberByEmail(test.handle.db, 'gone@example.test');
    const failed = (await outboxRows(test.handle.db)).find((r) => r.subscriberId === gone!.id)!;
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.lastError).toMatch(/550.*no such mailbox/);
    expect(gone!.bouncedAt).not.toBeNull();
    later(3_600_000);
    expect(await drain()).toMatchObject({ claimed: 0 });
    // a bounced address is not queued for the next update
    await publishIncidentUpdate(test.handle.db, clock);
    expect(await drain()).toMatchObject({ claimed: 1, sent: 1 });
    const counts = tally({ expectedRecipients: ['here@example.test'], received: peer.received.filter((m) => m.to[0] === 'here@example.test').slice(0, 1), sentRows: 1 });
    record('5xx for one address', { ...counts, failedPermanently: 1 });
  });

  it('5xx to MAIL FROM: every message stays queued with the reason, no address is flagged bounced, and all go once the sender is accepted', async () => {
    clock = new Date('2026-02-06T10:00:00Z');
    let refuseSender = true;
    peer = await startSmtpPeer({ mailFrom: () => (refuseSender ? { code: 550, message: 'sender rejected' } : null) });
    smtp(peer.port);
    await aSubscriber(test.handle.db, { email: 'one@example.test' });
    await aSubscriber(test.handle.db, { email: 'two@example.test' });
    await publishIncidentUpdate(test.handle.db, clock);
    expect(await drain()).toMatchObject({ sent: 0, failed: 0, retrying: 2 });
    for (const row of await outboxRows(test.handle.db)) {
      expect(row.status).toBe('pending');
      expect(row.lastError).toMatch(/refuses our sender address \(STATUSVAKT_MAIL_FROM\).*550 \(MAIL FROM\).*sender rejected/);
    }
    for (const email of ['one@example.test', 'two@example.test']) expect((await subscriberByEmail(test.handle.db, email))!.bouncedAt).toBeNull();
    refuseSender = false; // the relay's settings are mended
    later(3_600_000);
    expect(await drain()).toMatchObject({ sent: 2 });
    const counts = tally({ expectedRecipients: ['one@example.test', 'two@example.test'], received: peer.received, sentRows: await sentRows() });
    expect(counts).toEqual({ sent: 2, delivered: 2, lost: 0, duplicated: 0 });
    record('5xx to MAIL FROM (2), then accepted', { ...counts, bounced: 0 });
  });

  it('logs one line per message: info when sent, warn when failed for good, with the Message-ID and the address masked', async () => {
    clock = new Date('2026-02-06T12:00:00Z');
    // as real servers do, the refusal quotes the address
    peer = await startSmtpPeer({ rcpt: (address) => (address === 'gone@example.test' ? { code: 550, message: `<${address}>: no such mailbox` } : null) });
    smtp(peer.port);
    const lines: Record<string, unknown>[] = [];
    const captured = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(JSON.parse(chunk.toString())), done()) }));
    await aSubscriber(test.handle.db, { email: 'gone@example.test' });
    await aSubscriber(test.handle.db, { email: 'here@example.test' });
    await publishIncidentUpdate(test.handle.db, clock);
    await fanOutNextEvent(test.handle.db, clock);
    await deliverBatch({ db: test.handle.db, channel: channel!, now: () => clock, random: () => 0.5, links, backoff: DEFAULT_BACKOFF, logger: captured, batchSize: 50, concurrency: 2, leaseMs: 60_000 });
    const rows = await outboxRows(test.handle.db);
    const here = rows.find((r) => r.status === 'sent')!;
    const gone = rows.find((r) => r.status === 'failed')!;
    expect(lines.filter((l) => l.msg === 'notification sent')).toEqual([expect.objectContaining({ level: 30, kind: 'event', channel: 'smtp', outbox: here.id, messageId: `<${here.id}@status.example>`, to: 'h***@example.test' })]);
    expect(lines.filter((l) => l.msg === 'notification failed permanently')).toEqual([expect.objectContaining({ level: 40, kind: 'event', channel: 'smtp', outbox: gone.id, messageId: `<${gone.id}@status.example>`, to: 'g***@example.test', reason: expect.stringMatching(/550.*<g\*\*\*@example\.test>: no such mailbox/) })]);
    expect(peer.received.map((m) => m.messageId)).toEqual([`<${here.id}@status.example>`]);
    // the addresses themselves are never in the log
    expect(JSON.stringify(lines)).not.toMatch(/(here|gone)@example\.test/);
  });

  it('hands back the rest of a batch when half the lease has passed, so no row is sent twice by two workers', async () => {
    clock = new Date('2026-02-07T10:00:00Z');
    peer = await startSmtpPeer();
    const smtpChannel = smtp(peer.port);
    // a slow send: each takes most of the lease on the injected clock
    const slow: MailChannel = { name: 'slow', send: async (mail) => { const outcome = await smtpChannel.send(mail); later(40_000); return outcome; }, close: () => smtpChannel.close() };
    for (const email of ['s1@example.test', 's2@example.test', 's3@example.test', 's4@example.test', 's5@example.test', 's6@example.test']) await aSubscriber(test.handle.db, { email });
    await publishIncidentUpdate(test.handle.db, clock);
    await fanOutNextEvent(test.handle.db, clock);
    const round = await deliverBatch({ db: test.handle.db, channel: slow, now: () => clock, random: () => 0.5, links, backoff: { baseMs: 1000, capMs: 60_000, maxAgeMs: 86_400_000 }, logger, batchSize: 50, concurrency: 1, leaseMs: 60_000 });
    // the first send starts at once and ends 40 s later, past half the 60 s lease: the other five go back
    expect(round).toMatchObject({ claimed: 6, sent: 1 });
    const rows = await outboxRows(test.handle.db);
    const handedBack = rows.filter((r) => r.status === 'pending');
    expect(handedBack).toHaveLength(5);
    expect(handedBack.every((r) => r.attempts === 0 && r.nextAttemptAt.getTime() === clock.getTime())).toBe(true);
    expect(peer.received).toHaveLength(1);
  });

  it('tells subscribers when a window starts and ends by the clock, once each, and not about old history', async () => {
    clock = new Date('2026-02-08T08:00:00Z');
    peer = await startSmtpPeer();
    smtp(peer.port);
    await aSubscriber(test.handle.db, { email: 'window@example.test', language: 'en' });
    const insertWindow = async (start: string, end: string, title: string) =>
      (await test.handle.db.insert(tables.serviceWindows).values({ componentIds: ['sso'], title: { en: title }, plannedStart: new Date(start), plannedEnd: new Date(end), announcedAt: new Date('2026-02-01T00:00:00Z'), createdBy: 'op@example.test' }).returning())[0]!;
    await insertWindow('2026-02-08T10:00:00Z', '2026-02-08T12:00:00Z', 'Upgrade');
    await insertWindow('2026-02-05T10:00:00Z', '2026-02-05T12:00:00Z', 'Old work');
    await insertWindow('2026-02-08T08:30:00Z', '2026-02-08T09:30:00Z', 'Short work');
    expect(await recordDueWindowEvents(test.handle.db, clock)).toBe(0);
    clock = new Date('2026-02-08T10:01:00Z');
    // the upgrade has started; the short work began and ended since the last look: only its end is news
    expect(await recordDueWindowEvents(test.handle.db, clock)).toBe(2);
    expect(await recordDueWindowEvents(test.handle.db, clock)).toBe(0);
    clock = new Date('2026-02-08T12:00:00Z');
    expect(await recordDueWindowEvents(test.handle.db, clock)).toBe(1);
    expect(await recordDueWindowEvents(test.handle.db, new Date('2026-02-08T13:00:00Z'))).toBe(0);
    await drain();
    expect(peer.received.map((m) => m.subject).sort()).toEqual(['[Service status] Maintenance ended: Short work', '[Service status] Maintenance ended: Upgrade', '[Service status] Maintenance started: Upgrade']);
    await test.handle.db.execute(sql.raw('delete from service_windows'));
  });

  it('a connection cut in the middle of DATA is retried; the message arrives once', async () => {
    clock = new Date('2026-02-06T10:00:00Z');
    peer = await startSmtpPeer({ data: (_to, attempt) => (attempt === 1 ? 'drop' : 'accept') });
    smtp(peer.port);
    const readers = ['x@example.test', 'y@example.test'];
    for (const email of readers) await aSubscriber(test.handle.db, { email });
    await publishIncidentUpdate(test.handle.db, clock);
    expect(await drain()).toMatchObject({ sent: 0, retrying: 2 });
    later(5_000);
    expect(await drain()).toMatchObject({ sent: 2 });
    const counts = tally({ expectedRecipients: readers, received: peer.received, sentRows: await sentRows() });
    expect(counts).toEqual({ sent: 2, delivered: 2, lost: 0, duplicated: 0 });
    record('connection dropped during DATA', counts);
  });
});
