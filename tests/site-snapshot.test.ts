import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, postgresAdminUrl } from './support/databases.ts';
import { runCli, startServer, type RunningServer } from './support/run-cli.ts';
import { startTcpProxy } from './support/tcp-proxy.ts';
import { clusterUnavailable, startCluster } from './support/pg-cluster.ts';
import { runStatements } from './support/pg-admin.ts';
import { ONE_PAGE_CONFIG } from './support/one-page-config.ts';

const CONFIG = ONE_PAGE_CONFIG;
const OPERATOR_PASSWORD = 'operator password 1';

// the first time on the page is when its data was read ("Updated: …")
const updatedAt = (html: string) => /<time datetime="([^"]+)"/.exec(html)?.[1];

describe.skipIf(!postgresAdminUrl)('public pages served from snapshots while PostgreSQL is away', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let server: RunningServer;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const url = new URL(database.url);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-snapshot-'));
    writeFileSync(join(dir, 'config.yaml'), CONFIG);
    server = await startServer(['serve', '--config', join(dir, 'config.yaml')], { DATABASE_URL: url.toString() });
  }, 60_000);

  afterAll(async () => {
    await proxy?.restore().catch(() => undefined);
    await server?.stop();
    await proxy?.close();
    await database?.drop();
  });

  it('keeps answering the page and the JSON, says so on /readyz, and catches up when the database returns', async () => {
    // warm: the page in both languages and the Statuspage summary
    for (const path of ['/', '/en/']) await expect.poll(async () => (await fetch(`${server.url}${path}`)).headers.get('etag'), { timeout: 10_000 }).toBeTruthy();
    const before = await fetch(`${server.url}/en/`);
    const beforeHtml = await before.text();
    const beforeSummary = await (await fetch(`${server.url}/api/v2/summary.json`)).json();
    expect(before.headers.get('etag')).toBeTruthy();

    await proxy.cut();
    await expect.poll(async () => (await fetch(`${server.url}/readyz`)).status, { timeout: 15_000 }).toBe(503);
    // a refresh has been tried and failed: what follows is served from the snapshots alone
    await expect.poll(() => server.output(), { timeout: 15_000 }).toMatch(/public pages cannot be refreshed/);
    for (const path of ['/', '/en/']) {
      const during = await fetch(`${server.url}${path}`);
      expect(during.status).toBe(200);
      expect(await during.text()).toContain('data-snapshot-stale hidden'); // not yet two minutes
    }
    const during = await fetch(`${server.url}/en/`);
    expect(during.headers.get('etag')).toBe(before.headers.get('etag'));
    expect(await (await fetch(`${server.url}/api/v2/summary.json`)).json()).toEqual(beforeSummary);
    // a conditional request still gets its 304
    expect((await fetch(`${server.url}/en/`, { headers: { 'if-none-match': before.headers.get('etag')! } })).status).toBe(304);
    // operator routes are never snapshots: they answer from the database or fail
    expect((await fetch(`${server.url}/api/v1/incidents`)).headers.get('etag')).toBeNull();

    await proxy.restore();
    const restoredAt = server.output().length;
    // what the server logged since the database came back, when a step below does not happen in time
    const sinceRestore = () => server.output().slice(restoredAt).split('\n').filter((l) => l.includes('"level":40') || l.includes('"level":50')).join('\n').slice(-4000);
    try {
      await expect.poll(async () => (await fetch(`${server.url}/readyz`)).status, { timeout: 15_000 }).toBe(200);
      await expect.poll(async () => updatedAt(await (await fetch(`${server.url}/en/`)).text()), { timeout: 15_000 }).not.toBe(updatedAt(beforeHtml));
    } catch (error) {
      throw new Error(`not caught up after the database returned; the server logged:\n${sinceRestore()}`, { cause: error });
    }
    // said once the whole round (every kept address) has been rendered again
    await expect.poll(() => server.output(), { timeout: 15_000 }).toMatch(/public pages are refreshed again/);
  }, 60_000);
});

// addresses nobody asks for before the database stops: another language's views, a component, the feeds, JSON and badges
const NEVER_ASKED = [
  '/en/windows/',
  '/en/history/',
  '/en/accessibility/',
  '/en/components/web/',
  '/components/web/',
  '/api/v1/pages/status/feeds/incidents.rss?lang=en',
  '/api/v1/pages/status/feeds/incidents.atom',
  '/api/v1/pages/status/feeds/windows.ics?lang=en',
  '/pages/status/api/v2/scheduled-maintenances.json',
  '/pages/status/api/v2/components.json?lang=en',
  '/api/v1/pages/status/status',
  '/pages/status/badge.svg?lang=en',
  '/pages/status/widget/?lang=en',
  // the first page of the history and of the windows, as JSON, in each language
  '/api/v1/pages/status/history',
  '/api/v1/pages/status/history?lang=en&page=1',
  '/api/v1/pages/status/windows?lang=en',
  '/api/v1/pages/status/windows?lang=da',
];

describe.skipIf(clusterUnavailable)('core public addresses kept ready before anyone asks, with PostgreSQL stopped', () => {
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  let server: RunningServer;

  beforeAll(async () => {
    cluster = await startCluster();
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-kept-'));
    writeFileSync(join(dir, 'config.yaml'), CONFIG);
    server = await startServer(['serve', '--config', join(dir, 'config.yaml')], { DATABASE_URL: cluster.url });
    // an operator, to read the console while the database is stopped
    const added = await runCli(['user', 'add', '--email', 'op@kommune.example', '--name', 'Ole Operator', '--role', 'operator', '--all-organisations'], { DATABASE_URL: cluster.url, STATUSVAKT_USER_PASSWORD: OPERATOR_PASSWORD });
    if (added.code !== 0) throw new Error(added.stderr);
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    await cluster?.remove();
  });

  it('answers a page in the second language and the feeds, never requested before, while the database is stopped', async () => {
    await expect.poll(() => server.output(), { timeout: 30_000 }).toMatch(/public pages rendered and kept ready/);
    // more past service windows than one page holds: the windows page is paged, not cut short
    await runStatements(cluster.url, [
      `insert into service_windows (component_ids, title, planned_start, planned_end, announced_at, created_by)
       select array['web'], jsonb_build_object('da', 'Vindue ' || n), now() - n * interval '1 day', now() - n * interval '1 day' + interval '1 hour', now() - interval '100 days', 'test'
       from generate_series(1, 55) n`,
    ]);
    await expect.poll(async () => (await fetch(`${server.url}/windows/`)).text(), { timeout: 15_000 }).toContain('href="/windows/2/"');
    const second = await fetch(`${server.url}/windows/2/`);
    expect(second.status).toBe(200);
    expect((await second.text()).match(/class="entry"/g)).toHaveLength(5);
    expect((await fetch(`${server.url}/windows/3/`)).status).toBe(404);
    // the oldest window is on the last page; its Danish-only title is marked as Danish on the English page
    expect(await (await fetch(`${server.url}/en/windows/2/`)).text()).toMatch(/<span lang="da-DK"[^>]*>Vindue 55<\/span>/);
    const planned = JSON.parse(server.output().split('\n').find((line) => line.includes('public pages rendered and kept ready'))!) as { addresses: number; missing: number };
    expect(planned.missing).toBe(0);
    expect(planned.addresses).toBeGreaterThanOrEqual(NEVER_ASKED.length);

    // one window's own page and JSON, asked for once before the database stops, are kept from then on
    const windows = (await (await fetch(`${server.url}/api/v1/pages/status/windows?lang=en`)).json()) as { past: { id: string }[]; pages: number };
    expect(windows.pages).toBe(2);
    const oneWindow = windows.past[0]!.id;
    for (const path of [`/en/windows/${oneWindow}/`, `/api/v1/pages/status/windows/${oneWindow}?lang=en`]) expect((await fetch(`${server.url}${path}`)).status, path).toBe(200);
    const historyBefore = await (await fetch(`${server.url}/api/v1/pages/status/history?lang=en`)).json();
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: OPERATOR_PASSWORD }) });
    expect(login.status).toBe(200);
    const session = login.headers.get('set-cookie')!.split(';')[0]!;

    await cluster.stop();
    await expect.poll(async () => (await fetch(`${server.url}/readyz`)).status, { timeout: 20_000 }).toBe(503);
    // the history JSON is the one from before, all its pages counted; a later page nobody asked for says why it cannot answer
    expect(await (await fetch(`${server.url}/api/v1/pages/status/history?lang=en`)).json()).toEqual(historyBefore);
    const unasked = await fetch(`${server.url}/api/v1/pages/status/history?lang=en&page=3`);
    expect(unasked.status).toBe(503);
    expect(unasked.headers.get('cache-control')).toBe('no-store');
    expect(((await unasked.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/database is not reachable|cannot be read/) });
    const windowPage = await fetch(`${server.url}/en/windows/${oneWindow}/`);
    expect(windowPage.status).toBe(200);
    expect(await windowPage.text()).toContain('Vindue 1');
    expect(((await (await fetch(`${server.url}/api/v1/pages/status/windows/${oneWindow}?lang=en`)).json()) as { id: string }).id).toBe(oneWindow);
    // the database is really gone: an address that is not kept ready cannot be answered
    expect((await fetch(`${server.url}/api/v1/pages/status/incidents?lang=en`)).status).toBe(503);
    // nor can a page never asked for, nor can it say it does not exist: a 503 page in the reader's language, never a 404 or an empty 500
    for (const [path, says] of [
      ['/en/sla/2025-03/', /<html lang="en">[\s\S]*Temporarily unavailable/],
      ['/en/history/9/', /<html lang="en">[\s\S]*Temporarily unavailable/],
      ['/en/nothing-here/', /<html lang="en">[\s\S]*Temporarily unavailable/],
      ['/incidents/00000000-0000-4000-8000-000000000000/', /<html lang="da">[\s\S]*Midlertidigt utilgængelig/],
    ] as const) {
      const response = await fetch(`${server.url}${path}`, { headers: { 'accept-language': 'da-DK,da;q=0.9' } });
      expect(response.status, path).toBe(503);
      expect(response.headers.get('retry-after'), path).toBe('30');
      expect(response.headers.get('content-type'), path).toMatch(/^text\/html/);
      expect(await response.text(), path).toMatch(says);
    }
    // the subscription form is kept ready too: a resident wants to be told of the next change most while something is down
    for (const path of ['/pages/status/subscribe/', '/pages/status/subscribe/en/']) expect((await fetch(`${server.url}${path}`)).status, path).toBe(200);
    for (const path of NEVER_ASKED) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('etag'), path).toBeTruthy();
    }
    const html = await (await fetch(`${server.url}/en/windows/`)).text();
    expect(html).toContain('<html lang="en-GB"');
    expect(html).toContain('href="/api/v1/pages/status/feeds/windows.ics?lang=en"');
    const rss = await (await fetch(`${server.url}/api/v1/pages/status/feeds/incidents.rss?lang=en`)).text();
    expect(rss).toContain('<rss');
    expect(await (await fetch(`${server.url}/api/v1/pages/status/feeds/windows.ics?lang=en`)).text()).toContain('BEGIN:VCALENDAR');
    // the console cannot reach its data, and says why in the operator's language, not the API's English
    const consolePage = await fetch(`${server.url}/console/`, { headers: { cookie: `${session}; sv_console_lang=da` } });
    expect(consolePage.status).toBe(503);
    const consoleHtml = await consolePage.text();
    expect(consoleHtml).toContain('<html lang="da"');
    expect(consoleHtml).toContain('databasen kan ikke nås; intet er ændret, prøv igen om et par sekunder');
    expect(consoleHtml).not.toContain('database is not reachable');

    await cluster.start();
    await expect.poll(async () => (await fetch(`${server.url}/readyz`)).status, { timeout: 30_000 }).toBe(200);
  }, 120_000);
});
