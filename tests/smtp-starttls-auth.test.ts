import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpChannel, type MailChannel } from '../alerts/index.ts';
import { syncConfig } from '../db/index.ts';
import { issueCertificate, type TestCert } from './support/certificates.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { testConfig } from './support/fixtures.ts';
import { aSubscriber, fanOutAndDeliver, outboxRows, publishIncidentUpdate, subscriberByEmail } from './support/outbox-fixtures.ts';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.ts';

const CREDENTIALS = { user: 'statusvakt', password: 'rigtigt kodeord' };

describe.each(DRIVERS)('mail through STARTTLS with a login from SMTP_URL, on %s', (driver) => {
  let test: TestDatabase;
  let certificate: TestCert;
  let peer: SmtpPeer | undefined;
  let channel: MailChannel | undefined;
  const clock = new Date('2026-03-02T10:00:00Z');

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, testConfig(), new Date('2026-01-01T00:00:00Z'));
    certificate = await issueCertificate({ ipAddresses: ['127.0.0.1'] });
  });
  afterAll(async () => {
    await test?.drop();
  });
  afterEach(async () => {
    await channel?.close();
    await peer?.close();
    channel = undefined;
    peer = undefined;
    for (const table of ['outbox_messages', 'notification_events', 'subscribers']) await test.handle.db.execute(sql.raw(`delete from ${table}`));
  });

  /** Credentials as an operator writes them into SMTP_URL: user and password URL-encoded. */
  const smtpUrl = (password: string) => `smtp://${encodeURIComponent(CREDENTIALS.user)}:${encodeURIComponent(password)}@127.0.0.1:${peer!.port}`;
  const deliver = async (password: string) => {
    // the self-signed test certificate is trusted by switching the check off, as tlsRejectUnauthorized documents
    channel = createSmtpChannel({ url: smtpUrl(password), from: 'Statusvakt <status@status.example>', requireTls: true, maxConnections: 2, tlsRejectUnauthorized: false, timeoutMs: 2000 });
    return fanOutAndDeliver(test.handle.db, { channel, now: clock });
  };

  it('upgrades to TLS, logs in and sends every mail over at most two pooled connections', async () => {
    peer = await startSmtpPeer({ tls: certificate, auth: CREDENTIALS });
    for (const name of ['a', 'b', 'c', 'd', 'e']) await aSubscriber(test.handle.db, { email: `${name}@example.test` });
    await publishIncidentUpdate(test.handle.db, clock);
    expect(await deliver(CREDENTIALS.password)).toMatchObject({ sent: 5, failed: 0, retrying: 0 });
    expect(peer.received.map((m) => m.to[0]).sort()).toEqual(['a', 'b', 'c', 'd', 'e'].map((n) => `${n}@example.test`));
    // every envelope was sent on a TLS connection by the logged-in user
    expect(peer.sessions).toHaveLength(5);
    for (const session of peer.sessions) expect(session).toMatchObject({ secure: true, user: CREDENTIALS.user });
    // pooled: five messages, no more connections than maxConnections
    expect(new Set(peer.sessions.map((s) => s.id)).size).toBeLessThanOrEqual(2);
  });

  it('a wrong password keeps each message queued with the reason, flags no address bounced, and the right one delivers it', async () => {
    peer = await startSmtpPeer({ tls: certificate, auth: CREDENTIALS });
    await aSubscriber(test.handle.db, { email: 'reader@example.test' });
    await publishIncidentUpdate(test.handle.db, clock);
    expect(await deliver('forkert')).toMatchObject({ sent: 0, failed: 0, retrying: 1 });
    const [row] = await outboxRows(test.handle.db);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.lastError).toMatch(/refuses our login \(SMTP_URL\).*EAUTH 535.*authentication credentials invalid/);
    expect((await subscriberByEmail(test.handle.db, 'reader@example.test'))!.bouncedAt).toBeNull();
    expect(peer.received).toHaveLength(0);
    // the operator mends SMTP_URL: the mail that waited goes out once its retry is due
    await channel!.close();
    clock.setTime(clock.getTime() + 3_600_000);
    expect(await deliver(CREDENTIALS.password)).toMatchObject({ sent: 1 });
    expect(peer.received.map((m) => m.to[0])).toEqual(['reader@example.test']);
  });
});
