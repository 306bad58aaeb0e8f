import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { alertRoutesOf, createSmtpChannel, deliverBatch, fanOutNextAlert, fanOutNextEvent, type MailChannel } from '../alerts/index.ts';
import { ingestResults } from '../api/index.ts';
import { syncConfig } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { aNotice, noticeConfig, sourceRead } from './support/notice-fixtures.ts';
import { aSubscriber } from './support/outbox-fixtures.ts';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.ts';

const NOW = new Date('2026-12-01T12:00:00Z');
const ROUTES = '[{ id: vendors, events: [third_party_notice], channels: [{ kind: email, addresses: [vagt@kommune.example] }] }]';
const LINKS = { publicUrl: 'https://status.example', secret: 'test-secret-test-secret-test-secret', messageIdDomain: 'status.example' };

describe.each(DRIVERS)('third-party notices told to subscribers and operators over real SMTP, on %s', (driver) => {
  let test: TestDatabase;
  let peer: SmtpPeer;
  let channel: MailChannel;
  const config = noticeConfig(undefined, ROUTES);
  const routes = alertRoutesOf(config);

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, config, NOW);
    peer = await startSmtpPeer();
    channel = createSmtpChannel({ url: peer.url, from: 'status@status.example', requireTls: false, maxConnections: 2, timeoutMs: 2000 });
    await aSubscriber(test.handle.db, { email: 'dansk@example.test', language: 'da', componentIds: ['mail'] });
    await aSubscriber(test.handle.db, { email: 'english@example.test', language: 'en', componentIds: ['exchange'] });
    await aSubscriber(test.handle.db, { email: 'svensk@example.test', language: 'sv' });
    // follows only a component that does not depend on the third party
    await aSubscriber(test.handle.db, { email: 'portal@example.test', language: 'it', componentIds: ['portal'] });
  });
  afterAll(async () => {
    await channel?.close();
    await peer?.close();
    await test?.drop();
  });
  afterEach(async () => {
    for (const table of ['outbox_messages', 'notification_events', 'third_party_notices', 'check_results']) await test.handle.db.execute(sql.raw(`delete from ${table}`));
  });

  const ingest = async (...results: ReturnType<typeof sourceRead>[]) => {
    const outcome = await ingestResults(test.handle.db, { regionId: 'north', results, now: NOW });
    expect(outcome.rejected).toEqual([]);
  };
  /** Fans out the alerts and the subscribers' events, sends what is due; the mails that arrived, as "to: subject". */
  const deliver = async () => {
    peer.received.length = 0;
    while (await fanOutNextAlert(test.handle.db, { routes, now: NOW, logger: pino({ level: 'silent' }) })) {
      // one alert per call
    }
    while (await fanOutNextEvent(test.handle.db, NOW)) {
      // one event per call
    }
    await deliverBatch({ db: test.handle.db, channel, now: () => NOW, random: () => 0.5, links: LINKS, backoff: { baseMs: 1000, capMs: 60_000, maxAgeMs: 86_400_000 }, logger: pino({ level: 'silent' }), batchSize: 50, concurrency: 2, leaseMs: 60_000, routes, readSecret: () => undefined });
    return peer.received.map((m) => `${m.to[0]}: ${m.subject}`).sort();
  };

  it('tells the followers of the third party and of its dependents once each, in their language, when a notice is new, updated and ended', async () => {
    await ingest(sourceRead('2026-12-01T11:00:00Z', [aNotice({ title: 'Mail <delayed>' })]));
    expect(await deliver()).toEqual([
      'dansk@example.test: [Driftsstatus] Exchange Online melder om et problem: Mail <delayed>',
      'english@example.test: [Service status] Exchange Online reports a problem: Mail <delayed>',
      'svensk@example.test: [Driftsstatus] Exchange Online rapporterar ett problem: Mail <delayed>',
      'vagt@kommune.example: [Statusvakt] Third party new: Exchange Online reports a problem: Mail <delayed>',
    ]);
    const english = peer.received.find((m) => m.to[0] === 'english@example.test')!;
    expect(english.text).toContain('In the words of Exchange Online:\nWe are investigating.');
    expect(english.text).toContain('Affects: Exchange Online, Council mail');
    expect(english.html).toContain('Mail &lt;delayed&gt;');
    expect(english.html).not.toContain('Mail <delayed>');
    expect(english.html).toContain('href="https://status.example.com/incidents/inc-1"');

    // read again unchanged: nothing to tell; a replay of the first read: nothing either
    await ingest(sourceRead('2026-12-01T11:05:00Z', [aNotice({ title: 'Mail <delayed>' })]));
    expect(await deliver()).toEqual([]);

    await ingest(sourceRead('2026-12-01T11:10:00Z', [aNotice({ title: 'Mail <delayed>', body: 'A fix is rolling out.' })]));
    expect(await deliver()).toEqual([
      'dansk@example.test: [Driftsstatus] Opdatering fra Exchange Online: Mail <delayed>',
      'english@example.test: [Service status] Update from Exchange Online: Mail <delayed>',
      'svensk@example.test: [Driftsstatus] Uppdatering från Exchange Online: Mail <delayed>',
      'vagt@kommune.example: [Statusvakt] Third party updated: Exchange Online reports a problem: Mail <delayed>',
    ]);

    await ingest(sourceRead('2026-12-01T11:15:00Z', []));
    expect(await deliver()).toEqual([
      'dansk@example.test: [Driftsstatus] Exchange Online melder ikke længere: Mail <delayed>',
      'english@example.test: [Service status] Exchange Online no longer reports: Mail <delayed>',
      'svensk@example.test: [Driftsstatus] Exchange Online rapporterar inte längre: Mail <delayed>',
      'vagt@kommune.example: [Statusvakt] Third party ENDED: Exchange Online reports a problem: Mail <delayed>',
    ]);
    expect(await deliver()).toEqual([]);
  });

  it('tells nothing for a replayed read, and announces a planned maintenance with its times', async () => {
    const read = sourceRead('2026-12-01T11:00:00Z', [aNotice({ externalId: 'mnt-1', kind: 'maintenance', impact: 'maintenance', title: 'Upgrade', body: undefined, startsAt: '2026-12-03T22:00:00Z', endsAt: '2026-12-04T02:00:00Z' })]);
    await ingest(read);
    expect(await deliver()).toContain('english@example.test: [Service status] Exchange Online: planned maintenance: Upgrade');
    expect(peer.received.find((m) => m.to[0] === 'english@example.test')!.text).toMatch(/Planned from 3 Dec 2026, 23:00 CET to 4 Dec 2026, 03:00 CET\./);
    await ingest({ ...read, notices: [] });
    expect(await deliver()).toEqual([]);
  });
});
