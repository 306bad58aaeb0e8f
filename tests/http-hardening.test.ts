import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { TOTP } from 'otpauth';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createUser, enableTotp, loadChangeToken, parseSecretKey, parseTrustedProxies, prepareSecrets, type App } from '../api/index.ts';
import { listen } from '../cli/index.ts';
import { parseConfig } from '../config/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { loadSiteHandler } from '../status-site/index.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';

const PASSWORD = 'correct horse battery staple';
const KEY = 'a'.repeat(64);

/** A raw request, so headers like Host and Content-Length are sent as given. */
function raw(url: string, options: { method?: string; path: string; headers?: Record<string, string | number>; body?: string; chunked?: boolean }) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const target = new URL(url);
    const req = request({ agent: false, host: target.hostname, port: target.port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (options.chunked) {
      req.write('email=a');
      req.end('&password=b');
    } else req.end(options.body);
  });
}

describe('the HTTP server guards every request', () => {
  let test: TestDatabase;
  let app: App;
  let server: Awaited<ReturnType<typeof listen>>;
  let behindProxy: Awaited<ReturnType<typeof listen>>;
  /** The same two, serving the public site from snapshots as `start` and `serve` do. */
  let kept: Awaited<ReturnType<typeof listen>>;
  let keptBehindProxy: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    test = await createTestDatabase('pglite');
    const parsed = parseConfig(readFileSync(new URL('../config/examples/uni-login.yaml', import.meta.url), 'utf8'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    await syncConfig(test.handle.db, parsed.config, new Date('2026-01-01T00:00:00Z'));
    await createUser(test.handle.db, { email: 'op@stil.example', name: 'Op', role: 'operator', password: PASSWORD });
    app = buildApp({ database: test.handle, now: () => new Date(), logger: pino({ level: 'silent' }), publicUrl: 'https://status.stil.example/', secretKey: parseSecretKey(KEY) });
    const site = await loadSiteHandler();
    server = await listen({ app, site, host: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }) });
    const trusted = parseTrustedProxies('127.0.0.1');
    if (!trusted.ok) throw new Error(trusted.message);
    behindProxy = await listen({ app, site, host: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }), trustedProxies: trusted.list });
    const changeToken = () => loadChangeToken(test.handle.db);
    kept = await listen({ app, site, host: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }), changeToken });
    keptBehindProxy = await listen({ app, site, host: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }), trustedProxies: trusted.list, changeToken });
  });
  afterAll(async () => {
    await server?.close();
    await behindProxy?.close();
    await kept?.close();
    await keptBehindProxy?.close();
    await test?.drop();
  });

  it.each(['/', '/console/login/', '/api/v1/pages', '/api/v2/summary.json', '/no/such/page', '/healthz'])('sets the security headers on %s', async (path) => {
    const response = await raw(server.url, { path });
    expect(response.headers['content-security-policy']).toMatch(/default-src 'self'; script-src 'self';.*frame-ancestors 'none'/);
    expect(response.headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(response.headers['strict-transport-security']).toBeUndefined(); // plain HTTP, no trusted proxy
  });

  it.each(['/', '/api/v2/summary.json'])('sets the security headers on %s served from a kept snapshot, HSTS only for HTTPS a trusted proxy vouches for', async (path) => {
    for (const target of [kept, keptBehindProxy]) {
      await raw(target.url, { path }); // kept from here on
      const response = await raw(target.url, { path, headers: { 'x-forwarded-proto': 'https' } });
      expect(response.status).toBe(200);
      expect(response.headers.etag).toBeDefined();
      expect(response.headers['content-security-policy']).toMatch(/default-src 'self'; script-src 'self';.*frame-ancestors 'none'/);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(response.headers['strict-transport-security']).toBe(target === keptBehindProxy ? 'max-age=31536000; includeSubDomains' : undefined);
      const unchanged = await raw(target.url, { path, headers: { 'if-none-match': response.headers.etag as string } });
      expect([unchanged.status, unchanged.headers['x-frame-options']]).toEqual([304, 'DENY']);
    }
  });

  it.each(['/', '/console/login/'])('serves %s with no inline script or event handler, so the CSP holds', async (path) => {
    const html = (await raw(server.url, { path })).body;
    expect(html).toContain('<html');
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('refuses a huge form post by its Content-Length before reading it, and a form post of unknown length', async () => {
    const started = Date.now();
    const huge = await raw(server.url, { method: 'POST', path: '/console/login/', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': 600 * 1024 * 1024 }, body: 'email=a' });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatch(/at most 262144 bytes/);
    expect(Date.now() - started).toBeLessThan(2000);
    const chunked = await raw(server.url, { method: 'POST', path: '/console/login/', headers: { 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' }, chunked: true });
    expect(chunked.status).toBe(411);
    const api = await raw(server.url, { method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'content-length': 2 * 1024 * 1024 }, body: '{}' });
    expect(api.status).toBe(413);
  });

  it("believes a trusted proxy's X-Forwarded-For and -Proto: the client's address, a Secure cookie and HSTS", async () => {
    const response = await raw(behindProxy.url, { method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.7, 127.0.0.1', 'x-forwarded-proto': 'https' }, body: JSON.stringify({ email: 'op@stil.example', password: 'wrong password here' }) });
    expect(response.status).toBe(401);
    expect(response.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const [row] = await test.handle.db.select().from(tables.loginThrottle).where(eq(tables.loginThrottle.key, 'address:198.51.100.7'));
    expect(row?.failures).toBe(1);
    const ok = await raw(behindProxy.url, { method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' }, body: JSON.stringify({ email: 'op@stil.example', password: PASSWORD }) });
    expect(String(ok.headers['set-cookie'])).toMatch(/; Secure/);
    // the same from an untrusted peer: no Secure, no HSTS
    const plain = await raw(server.url, { method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.8' }, body: JSON.stringify({ email: 'op@stil.example', password: PASSWORD }) });
    expect(plain.status).toBe(200);
    expect(String(plain.headers['set-cookie'])).not.toMatch(/Secure/);
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });

  it('puts the configured public URL in public JSON, never the Host header', async () => {
    const response = await raw(server.url, { path: '/api/v2/summary.json', headers: { host: 'evil.example' } });
    expect(JSON.parse(response.body).page.url).toBe('https://status.stil.example/');
    expect(response.body).not.toContain('evil.example');
  });

  it('stores TOTP secrets encrypted, logs in with them, and refuses to start without the key', async () => {
    const [user] = await test.handle.db.select().from(tables.users).where(eq(tables.users.email, 'op@stil.example'));
    const { secret } = await enableTotp(test.handle.db, user!.id, { secretKey: parseSecretKey(KEY) });
    const [stored] = await test.handle.db.select().from(tables.users).where(eq(tables.users.id, user!.id));
    expect(stored!.totpSecret).toMatch(/^enc:v1:/);
    expect(stored!.totpSecret).not.toContain(secret);
    const code = new TOTP({ secret, digits: 6, period: 30 }).generate();
    const login = await raw(server.url, { method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@stil.example', password: PASSWORD, totp: code }) });
    expect(login.status).toBe(200);
    await expect(prepareSecrets(test.handle.db, undefined)).rejects.toThrow('1 TOTP secret(s) in the database are encrypted, but STATUSVAKT_SECRET_KEY is not set: set it to the key they were encrypted with (64 hex characters)');
    await expect(prepareSecrets(test.handle.db, parseSecretKey('b'.repeat(64)))).rejects.toThrow(/encrypted with another key/);
    // a secret written before encryption was on is encrypted at the next start
    await test.handle.db.update(tables.users).set({ totpSecret: secret }).where(eq(tables.users.id, user!.id));
    expect(await prepareSecrets(test.handle.db, parseSecretKey(KEY))).toEqual({ encrypted: 1 });
    await test.handle.db.update(tables.users).set({ totpSecret: null }).where(eq(tables.users.id, user!.id));
  });
  it('counts login failures per real address: X-Forwarded-For from an untrusted peer changes nothing', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 51; i++) {
      const response = await raw(server.url, { method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i}`, 'x-statusvakt-client-address': `203.0.113.${i}` }, body: JSON.stringify({ email: `nobody${i}@stil.example`, password: 'not the password!' }) });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 50).every((s) => s === 401)).toBe(true);
    expect(statuses[50]).toBe(429);
    const [row] = await test.handle.db.select().from(tables.loginThrottle).where(eq(tables.loginThrottle.key, 'address:127.0.0.1'));
    expect(row!.failures).toBe(50);
  });
});
