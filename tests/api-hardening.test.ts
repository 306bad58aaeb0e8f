import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createUser, openIncident, type App } from '../api/index.ts';
import { listen } from '../cli/index.ts';
import { loadSiteHandler } from '../status-site/index.ts';
import { parseConfig } from '../config/index.ts';
import { openDatabase, syncConfig, type DatabaseHandle } from '../db/index.ts';
import { createPostgresDatabase, createTestDatabase, postgresAdminUrl, type TestDatabase } from './support/databases.ts';
import { startTcpProxy } from './support/tcp-proxy.ts';

const PASSWORD = 'correct horse battery staple';
const clock = () => new Date('2026-03-10T09:00:00Z');

function uniLogin() {
  const parsed = parseConfig(readFileSync(new URL('../config/examples/uni-login.yaml', import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
}

async function send(app: App, method: string, path: string, options: { body?: string; headers?: Record<string, string> } = {}) {
  const response = await app.request(`http://status.test${path}`, { method, headers: { 'content-type': 'application/json', ...options.headers }, ...(options.body === undefined ? {} : { body: options.body }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text.startsWith('{') ? JSON.parse(text) : null };
}

describe('bad input is a 400 with a reason, never a 500', () => {
  let test: TestDatabase;
  let app: App;
  let auth: Record<string, string>;
  beforeAll(async () => {
    test = await createTestDatabase('pglite');
    await syncConfig(test.handle.db, uniLogin(), new Date('2026-01-01T00:00:00Z'));
    app = buildApp({ database: test.handle, now: clock, logger: pino({ level: 'silent' }) });
    await createUser(test.handle.db, { email: 'operator@stil.example', name: 'Operator', role: 'operator', password: PASSWORD });
    const login = await send(app, 'POST', '/api/v1/auth/login', { body: JSON.stringify({ email: 'operator@stil.example', password: PASSWORD }) });
    auth = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': login.body.csrfToken };
  });
  afterAll(async () => {
    await test?.drop();
  });

  it.each<[string, string, string, string?]>([
    ['a NUL in a public path', 'GET', '/api/v1/pages/%00/status'],
    ['a NUL in a Statuspage path', 'GET', '/pages/uni%00login/api/v2/summary.json'],
    ['a lone surrogate in a path', 'GET', '/api/v1/pages/%ED%A0%80/status'],
    ['a malformed escape', 'GET', '/api/v1/pages/%E0%A4%A/status'],
    ['a NUL in a query', 'GET', '/api/v1/sla/pages/uni-login/reports/2026-01?lang=%00'],
    ['a UUID of 36 dashes', 'GET', `/api/v1/incidents/${'-'.repeat(36)}`],
    ['a malformed window id', 'POST', `/api/v1/windows/${'-'.repeat(36)}/changes`, JSON.stringify({ action: 'cancel' })],
    ['a NUL in a JSON body', 'POST', '/api/v1/incidents', JSON.stringify({ pageId: 'uni-login', title: 'a\u0000b', priority: 'C', componentIds: ['uni-idp'] })],
    ['a lone surrogate in a JSON body', 'POST', '/api/v1/incidents', '{"pageId":"uni-login","title":"\\ud800","priority":"C","componentIds":["uni-idp"]}'],
    ['a NUL in a JSON key', 'POST', '/api/v1/incidents', '{"pageId":"uni-login","ti\\u0000tle":"x","priority":"C","componentIds":["uni-idp"]}'],
    ['a NUL in a login', 'POST', '/api/v1/auth/login', JSON.stringify({ email: 'operator@stil.example', password: 'pass\u0000word is long' })],
    ['JSON that does not parse', 'POST', '/api/v1/incidents', '{"pageId":'],
  ])('%s', async (_, method, path, body) => {
    const response = await send(app, method, path, { headers: auth, ...(body === undefined ? {} : { body }) });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION');
    expect(response.body.error.message).not.toMatch(/at .*\.ts|internal/i);
  });
});

describe.runIf(postgresAdminUrl)('database down', () => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let app: App;
  beforeAll(async () => {
    const created = await createPostgresDatabase();
    drop = created.drop;
    const url = new URL(created.url);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    handle = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
    await syncConfig(handle.db, uniLogin(), new Date('2026-01-01T00:00:00Z'));
    app = buildApp({ database: handle, now: clock, logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await handle?.close().catch(() => {});
    await proxy?.close();
    await drop?.();
  });

  it('answers API callers 503 with a reason and Retry-After, and serves again when it is back', async () => {
    expect((await send(app, 'GET', '/api/v1/pages/uni-login/status')).status).toBe(200);
    await proxy.cut();
    for (const [method, path, body] of [
      ['GET', '/api/v1/pages/uni-login/status'],
      ['GET', '/api/v2/summary.json'],
      ['POST', '/api/v1/auth/login', JSON.stringify({ email: 'a@b.example', password: 'some long password' })],
      ['GET', '/api/v1/incidents', undefined],
    ] as const) {
      const response = await send(app, method, path, { headers: { cookie: 'sv_session=some-session' }, ...(body === undefined ? {} : { body }) });
      expect(response.status, `${method} ${path}`).toBe(503);
      expect(response.body.error.code).toBe('UNAVAILABLE');
      expect(response.body.error.message).toMatch(/database is not reachable/);
      expect(response.headers.get('retry-after')).toBe('5');
    }
    await proxy.restore();
    expect((await send(app, 'GET', '/api/v1/pages/uni-login/status')).status).toBe(200);
  });

  it('keeps an update typed in the console during the outage, with the reason, instead of sending to the login', async () => {
    await createUser(handle.db, { email: 'console@stil.example', name: 'Console', role: 'operator', password: PASSWORD });
    const incident = await openIncident(handle.db, { pageId: 'uni-login', title: 'Slow', priority: 'C', componentIds: ['uni-idp'], actor: 'system', now: clock() });
    const server = await listen({ app, site: await loadSiteHandler(), host: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }) });
    try {
      const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'console@stil.example', password: PASSWORD }) });
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      await proxy.cut();
      const typed = 'The <b>database</b> fault: we are restoring from the replica & expect 14:00.';
      const form = new URLSearchParams({ csrf: csrfToken, action: 'publish', version: '1', step: 'nature', language: 'en', text: typed });
      const response = await fetch(`${server.url}/console/incidents/${incident.id}/`, { method: 'POST', redirect: 'manual', headers: { cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      const html = await response.text();
      expect(response.status).toBe(503);
      expect(response.headers.get('location')).toBeNull();
      expect(html).toContain('the database is not reachable');
      expect(html).toContain('The &#60;b&#62;database&#60;/b&#62; fault: we are restoring from the replica &#38; expect 14:00.');
      expect(html).not.toContain('<b>database</b>');
      await proxy.restore();
    } finally {
      await proxy.restore().catch(() => {});
      await server.close();
    }
  });
});
