import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpChannel, deliverBatch, fanOutNextEvent, type MailChannel } from '../alerts/index.ts';
import { buildApp, createUser, purgeUnconfirmed, type App } from '../api/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { testConfig } from './support/fixtures.ts';
import { publishIncidentUpdate } from './support/outbox-fixtures.ts';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.ts';

const SECRET = 'subscription-test-secret-subscription';
const links = { publicUrl: 'http://status.test', secret: SECRET, messageIdDomain: 'status.test' };
const PASSWORD = 'correct horse battery staple';

describe.each(DRIVERS)('subscriptions: double opt-in, manage, one-click unsubscribe, on %s', (driver) => {
  let test: TestDatabase;
  let app: App;
  let clock: Date;
  let peer: SmtpPeer;
  let channel: MailChannel;
  let ip = 0;
  // addresses whose mailbox the peer refuses (550 at RCPT TO), as a real one would for a closed account
  const refused = new Set<string>();

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, testConfig(), new Date('2026-01-01T00:00:00Z'));
    app = buildApp({ database: test.handle, now: () => clock, logger: pino({ level: 'silent' }), linkSecret: SECRET });
    await createUser(test.handle.db, { email: 'op@kommune.example', name: 'Op', role: 'operator', password: PASSWORD });
    peer = await startSmtpPeer({ rcpt: (address) => (refused.has(address) ? { code: 550, message: '5.1.1 mailbox unavailable' } : null) });
    channel = createSmtpChannel({ url: peer.url, from: 'status@status.test', requireTls: false, maxConnections: 2, timeoutMs: 2000 });
  });
  afterAll(async () => {
    await channel?.close();
    await peer?.close();
    await test?.drop();
  });
  afterEach(async () => {
    peer.received.length = 0;
    refused.clear();
    for (const table of ['outbox_messages', 'notification_events', 'subscribers']) await test.handle.db.execute(sql.raw(`delete from ${table}`));
  });

  // each test comes from its own address, so the per-address limits are tested where meant
  // the address the HTTP server would have resolved (from the socket or a trusted proxy)
  const request = (method: string, path: string, body?: string, type = 'application/json', from?: string, headers: Record<string, string> = {}) =>
    app.request(`http://status.test${path}`, { method, headers: { 'content-type': type, 'x-statusvakt-client-address': from ?? `192.0.2.${++ip % 250}`, ...headers }, ...(body === undefined ? {} : { body }) });
  const subscribe = (fields: Record<string, unknown>, from?: string) => request('POST', '/api/v1/pages/status/subscriptions', JSON.stringify(fields), 'application/json', from);
  const deliver = async () => {
    while (await fanOutNextEvent(test.handle.db, clock)) {
      // all events
    }
    return deliverBatch({ db: test.handle.db, channel, now: () => clock, random: () => 0.5, links, backoff: { baseMs: 1000, capMs: 10_000, maxAgeMs: 86_400_000 }, logger: pino({ level: 'silent' }), batchSize: 100, concurrency: 2, leaseMs: 60_000 });
  };
  const tokenIn = (text: string, action: string) => new RegExp(`/api/v1/subscriptions/${action}\\?token=([\\w-]+)`).exec(text)?.[1];

  it('sends nothing but a confirmation until the link is used; then the reader gets the updates they follow', async () => {
    clock = new Date('2026-03-02T08:00:00Z');
    const response = await subscribe({ email: 'Ida@Kommune.example', language: 'en', components: ['sso'] });
    expect(response.status).toBe(202);
    await publishIncidentUpdate(test.handle.db, clock);
    expect(await deliver()).toMatchObject({ sent: 1 });
    expect(peer.received).toHaveLength(1);
    const confirmation = peer.received[0]!;
    expect(confirmation.to).toEqual(['ida@kommune.example']);
    expect(confirmation.subject).toBe('Confirm your subscription to Service status');
    expect(confirmation.headers['list-unsubscribe']).toBeUndefined();
    const token = tokenIn(confirmation.text, 'confirm')!;
    // the stored hash is not the token
    const [row] = await test.handle.db.select().from(tables.subscribers);
    expect(row!.confirmTokenHash).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(token);

    // a GET (a mail scanner following the link) changes nothing: it shows a button
    const page = await request('GET', `/api/v1/subscriptions/confirm?token=${token}&lang=en`);
    expect(await page.text()).toContain('<button type="submit">Confirm</button>');
    expect((await test.handle.db.select().from(tables.subscribers))[0]!.confirmedAt).toBeNull();

    const confirmed = await request('POST', '/api/v1/subscriptions/confirm', `token=${token}`, 'application/x-www-form-urlencoded');
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('You are subscribed');
    // single use
    const again = await request('POST', '/api/v1/subscriptions/confirm', JSON.stringify({ token }));
    expect(again.status).toBe(404);
    expect(((await again.json()) as any).error.message).toMatch(/unknown, used or expired/);

    peer.received.length = 0;
    await publishIncidentUpdate(test.handle.db, clock, ['sso']);
    await publishIncidentUpdate(test.handle.db, clock, ['portal']); // not followed
    expect(await deliver()).toMatchObject({ sent: 1 });
    expect(peer.received.map((m) => m.subject)).toEqual(['[Service status] Investigating: Login is slow']);
  });

  it('answers the same for a new, a pending and a confirmed address, and mails a confirmed one nothing', async () => {
    clock = new Date('2026-03-03T08:00:00Z');
    const first = await subscribe({ email: 'known@kommune.example' });
    await deliver();
    const token = tokenIn(peer.received[0]!.text, 'confirm')!;
    await request('POST', '/api/v1/subscriptions/confirm', JSON.stringify({ token }));
    peer.received.length = 0;
    const known = await subscribe({ email: 'known@kommune.example' });
    const fresh = await subscribe({ email: 'fresh@kommune.example' });
    expect([first.status, known.status, fresh.status]).toEqual([202, 202, 202]);
    const [a, b, c] = await Promise.all([first.text(), known.text(), fresh.text()]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    await deliver();
    expect(peer.received.map((m) => m.to[0])).toEqual(['fresh@kommune.example']);
  });

  it('a confirmation expires after 24 hours; a never-confirmed address is purged after 7 days', async () => {
    clock = new Date('2026-03-04T08:00:00Z');
    await subscribe({ email: 'late@kommune.example' });
    await deliver();
    const token = tokenIn(peer.received[0]!.text, 'confirm')!;
    clock = new Date('2026-03-05T08:00:01Z');
    expect((await request('POST', '/api/v1/subscriptions/confirm', JSON.stringify({ token }))).status).toBe(404);
    expect(await purgeUnconfirmed(test.handle.db, new Date('2026-03-11T07:59:00Z'))).toBe(0);
    expect(await purgeUnconfirmed(test.handle.db, new Date('2026-03-11T08:00:01Z'))).toBe(1);
    expect(await test.handle.db.select().from(tables.subscribers)).toHaveLength(0);
  });

  it('RFC 8058 one-click unsubscribe deletes the address at once, with mail still queued for it', async () => {
    clock = new Date('2026-03-06T08:00:00Z');
    await subscribe({ email: 'leaving@kommune.example', language: 'da' });
    await deliver();
    await request('POST', '/api/v1/subscriptions/confirm', JSON.stringify({ token: tokenIn(peer.received[0]!.text, 'confirm') }));
    await publishIncidentUpdate(test.handle.db, clock);
    await deliver();
    const mail = peer.received.at(-1)!;
    const url = /^<(.+)>$/.exec(mail.headers['list-unsubscribe']!)![1]!;
    expect(mail.text).toContain(`Afmeld: ${url}`);
    // another update is queued, not yet sent
    await publishIncidentUpdate(test.handle.db, clock);
    await fanOutNextEvent(test.handle.db, clock);
    expect(await test.handle.db.select().from(tables.outboxMessages).where(eq(tables.outboxMessages.status, 'pending'))).toHaveLength(1);
    const response = await request('POST', new URL(url).pathname + new URL(url).search, 'List-Unsubscribe=One-Click', 'application/x-www-form-urlencoded');
    expect(response.status).toBe(200);
    expect(await test.handle.db.select().from(tables.subscribers)).toHaveLength(0);
    expect(await test.handle.db.select().from(tables.outboxMessages).where(eq(tables.outboxMessages.status, 'pending'))).toHaveLength(0);
    expect(JSON.stringify(await test.handle.db.select().from(tables.outboxMessages))).not.toContain('leaving@');
  });

  it('the manage link changes components and language', async () => {
    clock = new Date('2026-03-07T08:00:00Z');
    await subscribe({ email: 'chooser@kommune.example' });
    await deliver();
    await request('POST', '/api/v1/subscriptions/confirm', JSON.stringify({ token: tokenIn(peer.received[0]!.text, 'confirm') }));
    await publishIncidentUpdate(test.handle.db, clock);
    await deliver();
    const token = tokenIn(peer.received.at(-1)!.text, 'manage')!;
    const form = await (await request('GET', `/api/v1/subscriptions/manage?token=${token}`)).text();
    expect(form).toContain('<html lang="da">');
    expect(form).toContain('name="components" value="sso"');
    const saved = await request('POST', '/api/v1/subscriptions/manage', `token=${token}&language=en&components=login`, 'application/x-www-form-urlencoded');
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('Your choices are saved.');
    const [row] = await test.handle.db.select().from(tables.subscribers);
    expect(row).toMatchObject({ language: 'en', componentIds: ['group:login'] });
  });

  it('refuses bad addresses with a clear message in the reader’s language, and limits attempts per address', async () => {
    clock = new Date('2026-03-08T08:00:00Z');
    const bad = await request('POST', '/api/v1/pages/status/subscriptions', 'email=ida%40kommune&language=da', 'application/x-www-form-urlencoded');
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('<html lang="da">');
    expect(html).toContain('Det ligner ikke en e-mailadresse');
    const throwaway = await subscribe({ email: 'x@mailinator.com' });
    expect(throwaway.status).toBe(400);
    expect(((await throwaway.json()) as any).error.details.problem).toBe('disposable');
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await subscribe({ email: 'flood@kommune.example' })).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    // the wait is in the Retry-After header too (the rest of the hour's window), for JSON and form posts alike
    const refused = await subscribe({ email: 'flood@kommune.example' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3600');
    expect(((await refused.json()) as any).error.message).toBe('too many attempts; try again in 3600 s');
    const refusedForm = await request('POST', '/api/v1/pages/status/subscriptions', 'email=flood%40kommune.example', 'application/x-www-form-urlencoded');
    expect(refusedForm.status).toBe(429);
    expect(refusedForm.headers.get('retry-after')).toBe('3600');
    const perIp = [];
    for (let i = 0; i < 21; i++) perIp.push((await subscribe({ email: `n${i}@kommune.example` }, '198.51.100.7')).status);
    expect(perIp.filter((s) => s === 429)).toHaveLength(1);
    expect(await test.handle.db.select().from(tables.outboxMessages)).toHaveLength(3 + 20);
  });

  it('operators see counts and export CSV; the public does not', async () => {
    clock = new Date('2026-03-09T08:00:00Z');
    await subscribe({ email: 'one@kommune.example' });
    await subscribe({ email: 'two@kommune.example' });
    await deliver();
    await request('POST', '/api/v1/subscriptions/confirm', JSON.stringify({ token: tokenIn(peer.received.find((m) => m.to[0] === 'one@kommune.example')!.text, 'confirm') }));
    expect((await request('GET', '/api/v1/pages/status/subscribers')).status).toBe(401);
    const login = await app.request('http://status.test/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: PASSWORD }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const list = await app.request('http://status.test/api/v1/pages/status/subscribers', { headers: { cookie } });
    expect(((await list.json()) as any).counts).toEqual({ total: 2, confirmed: 1, pending: 1, bounced: 0 });
    const csv = await app.request('http://status.test/api/v1/pages/status/subscribers.csv', { headers: { cookie } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('email,status,language,components,created_at,confirmed_at,bounced_at,bounce_reason');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['one@kommune.example,confirmed', 'two@kommune.example,pending']);
  });

  it('a bounced address that subscribes again gets a fresh confirmation; confirming lifts the bounce; the answer is the same as for any address', async () => {
    clock = new Date('2026-03-10T08:00:00Z');
    await subscribe({ email: 'moved@kommune.example', language: 'da' });
    await deliver();
    await request('POST', '/api/v1/subscriptions/confirm', JSON.stringify({ token: tokenIn(peer.received[0]!.text, 'confirm') }));
    // the mailbox is closed: the next update bounces and the address is flagged
    refused.add('moved@kommune.example');
    await publishIncidentUpdate(test.handle.db, clock);
    await deliver();
    expect((await test.handle.db.select().from(tables.subscribers))[0]!.bouncedAt).not.toBeNull();
    // and a pending address whose confirmation bounced
    await subscribe({ email: 'typo@kommune.example' });
    refused.add('typo@kommune.example');
    await deliver();
    expect((await test.handle.db.select().from(tables.subscribers).where(eq(tables.subscribers.email, 'typo@kommune.example')))[0]!.bouncedAt).not.toBeNull();

    // the mailboxes work again; the readers subscribe again
    refused.clear();
    peer.received.length = 0;
    const fresh = await subscribe({ email: 'never-seen@kommune.example' });
    const moved = await subscribe({ email: 'moved@kommune.example', language: 'da' });
    const typo = await subscribe({ email: 'typo@kommune.example' });
    expect([fresh.status, moved.status, typo.status]).toEqual([202, 202, 202]);
    const [a, b, c] = await Promise.all([fresh.text(), moved.text(), typo.text()]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    await deliver();
    expect(peer.received.map((m) => m.to[0]).sort()).toEqual(['moved@kommune.example', 'never-seen@kommune.example', 'typo@kommune.example']);
    const mail = peer.received.find((m) => m.to[0] === 'moved@kommune.example')!;
    expect(mail.subject).toBe('Bekræft dit abonnement på Driftsstatus');
    expect((await request('POST', '/api/v1/subscriptions/confirm', JSON.stringify({ token: tokenIn(mail.text, 'confirm') }))).status).toBe(200);
    const [row] = await test.handle.db.select().from(tables.subscribers).where(eq(tables.subscribers.email, 'moved@kommune.example'));
    expect(row).toMatchObject({ bouncedAt: null, bounceReason: null });
    expect(row!.confirmedAt).not.toBeNull();
    peer.received.length = 0;
    await publishIncidentUpdate(test.handle.db, clock);
    await deliver();
    expect(peer.received.map((m) => m.to[0])).toEqual(['moved@kommune.example']);
  });

  it('keeps a pending subscription for 7 days from its latest confirmation request, not from its first', async () => {
    clock = new Date('2026-03-11T08:00:00Z');
    await subscribe({ email: 'again@kommune.example' });
    // six days later the reader asks again and gets a fresh link
    clock = new Date('2026-03-17T08:00:00Z');
    await subscribe({ email: 'again@kommune.example' });
    expect(await purgeUnconfirmed(test.handle.db, new Date('2026-03-18T09:00:00Z'))).toBe(0);
    expect(await purgeUnconfirmed(test.handle.db, new Date('2026-03-24T07:59:00Z'))).toBe(0);
    expect(await purgeUnconfirmed(test.handle.db, new Date('2026-03-24T08:00:01Z'))).toBe(1);
  });

  it('limits confirmation attempts per address, whatever client they come from, and keeps no address in plain text in the counters', async () => {
    clock = new Date('2026-03-12T08:00:00Z');
    await subscribe({ email: 'Guarded@Kommune.example' });
    await deliver();
    const token = tokenIn(peer.received[0]!.text, 'confirm')!;
    clock = new Date('2026-03-13T09:00:00Z'); // the link has expired
    const responses = [];
    for (let i = 0; i < 11; i++) responses.push(await request('POST', '/api/v1/subscriptions/confirm', JSON.stringify({ token }), 'application/json', `203.0.113.${i + 1}`));
    expect(responses.map((r) => r.status)).toEqual([...Array.from({ length: 10 }, () => 404), 429]);
    expect(responses.map((r) => r.headers.get('retry-after'))).toEqual([...Array.from({ length: 10 }, () => null), '3600']);
    // another address is not held back
    await subscribe({ email: 'other@kommune.example' });
    await deliver();
    const other = tokenIn(peer.received.find((m) => m.to[0] === 'other@kommune.example')!.text, 'confirm')!;
    expect((await request('POST', '/api/v1/subscriptions/confirm', JSON.stringify({ token: other }), 'application/json', '203.0.113.1')).status).toBe(200);
    const keys = (await test.handle.db.select().from(tables.loginThrottle)).map((r) => r.key).join('\n');
    expect(keys).toContain('confirmByEmail:');
    expect(keys).toContain('subscribeByEmail:status:');
    expect(keys.toLowerCase()).not.toContain('guarded@');
    expect(keys).not.toContain('@');
  });

  it('shows a used or unknown link\'s problem page in the language the link carries, or else the browser\'s', async () => {
    clock = new Date('2026-03-14T08:00:00Z');
    await subscribe({ email: 'dansk@kommune.example', language: 'da' });
    await deliver();
    const link = /(\/api\/v1\/subscriptions\/confirm\?token=[\w-]+&lang=da)/.exec(peer.received[0]!.text)![1]!;
    const token = tokenIn(link, 'confirm')!;
    // the confirm page the link opens carries the language into its form
    const page = await (await request('GET', link)).text();
    expect(page).toContain('<html lang="da">');
    expect(page).toContain('name="lang" value="da"');
    const form = `token=${token}&lang=da`;
    expect((await request('POST', '/api/v1/subscriptions/confirm', form, 'application/x-www-form-urlencoded')).status).toBe(200);
    const used = await request('POST', '/api/v1/subscriptions/confirm', form, 'application/x-www-form-urlencoded');
    expect(used.status).toBe(404);
    const usedHtml = await used.text();
    expect(usedHtml).toContain('<html lang="da">');
    expect(usedHtml).toContain('Linket er ukendt, allerede brugt eller udløbet');
    // a manage or unsubscribe link that no longer works, with no language of its own: the browser's
    const headers = { 'accept-language': 'da-DK,da;q=0.9,en;q=0.8' };
    const manage = await request('GET', '/api/v1/subscriptions/manage?token=gone', undefined, 'text/html', undefined, headers);
    expect(manage.status).toBe(404);
    expect(await manage.text()).toContain('Linket er ukendt');
    const saved = await request('POST', '/api/v1/subscriptions/manage', 'token=gone&lang=da&components=sso', 'application/x-www-form-urlencoded');
    expect(saved.status).toBe(404);
    expect(await saved.text()).toContain('<html lang="da">');
    const unsubscribePage = await (await request('GET', '/api/v1/subscriptions/unsubscribe?token=gone', undefined, 'text/html', undefined, headers)).text();
    expect(unsubscribePage).toContain('<html lang="da">');
    expect(unsubscribePage).toContain('name="lang" value="da"');
  });

  it('a followed group brings news of the components added to it later; the manage page shows the group ticked', async () => {
    clock = new Date('2026-03-15T08:00:00Z');
    await subscribe({ email: 'group@kommune.example', language: 'en', components: ['group:portal'] });
    await subscribe({ email: 'one@kommune.example', language: 'en', components: ['portal'] }); // the component of the same name
    await deliver();
    for (const mail of peer.received) await request('POST', '/api/v1/subscriptions/confirm', JSON.stringify({ token: tokenIn(mail.text, 'confirm') }));
    expect((await test.handle.db.select().from(tables.subscribers)).map((r) => r.componentIds).sort()).toEqual([['group:portal'], ['portal']]);
    await syncConfig(test.handle.db, testConfig({ extraComponent: true }), clock);
    try {
      peer.received.length = 0;
      await publishIncidentUpdate(test.handle.db, clock, ['extra']);
      await deliver();
      expect(peer.received.map((m) => m.to[0])).toEqual(['group@kommune.example']);
      const token = tokenIn(peer.received[0]!.text, 'manage')!;
      const form = await (await request('GET', `/api/v1/subscriptions/manage?token=${token}`)).text();
      expect(form).toContain('<input type="checkbox" name="components" value="group:portal" checked> All of Portal, also components added later');
      expect(form).toContain('name="components" value="extra">');
    } finally {
      await syncConfig(test.handle.db, testConfig(), clock);
    }
  });
});
