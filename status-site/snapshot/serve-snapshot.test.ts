import { createServer, type Server } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createSnapshotHandler } from './serve-snapshot.ts';
import { createSnapshotStore, STALE_MARKER, type Rendered } from './snapshot-store.ts';

/** A page source we control: what it renders, whether the "database" answers, how often it was asked. */
function source() {
  const state = { version: 1, token: 'a', down: false, renders: 0 };
  const page = (v: number) =>
    `<!doctype html><html><body><main><p class="stale-warning" ${STALE_MARKER}>old data</p><h1>Status v${v}</h1>${'<p>All systems operational.</p>'.repeat(40)}</main></body></html>`;
  return {
    state,
    render: async (_source: 'api' | 'site', key: string): Promise<Rendered> => {
      state.renders++;
      if (state.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      if (key === '/missing/') return { status: 404, contentType: 'text/html', body: Buffer.from('<h1>Not found</h1>') };
      return { status: 200, contentType: 'text/html; charset=utf-8', body: Buffer.from(page(state.version)) };
    },
    changeToken: async () => {
      if (state.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      return state.token;
    },
  };
}

/** Raw GET, so the test sees the bytes and headers exactly as sent (fetch would decode). */
function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request({ port, path, headers, method, host: '127.0.0.1' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve() {
  const src = source();
  const clock = { now: 1_800_000_000_000 };
  const now = () => clock.now;
  const store = createSnapshotStore({ render: src.render, changeToken: src.changeToken, now, maxAgeMs: 30_000 });
  const handle = createSnapshotHandler({ store, now, staleAfterMs: 120_000 });
  let live = 0;
  server = createServer((req, res) => {
    if (handle(req, res)) return;
    live++;
    res.writeHead(201).end('live');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return { src, clock, store, port, liveCount: () => live };
}

describe('the short path for a kept page', () => {
  const security = (https: boolean) => ({ 'x-frame-options': 'DENY', ...(https ? { 'strict-transport-security': 'max-age=1' } : {}) });

  async function serveShort() {
    const src = source();
    const now = () => 1_800_000_000_000;
    const store = createSnapshotStore({ render: src.render, changeToken: src.changeToken, now, maxAgeMs: 30_000 });
    const handle = createSnapshotHandler({ store, now, securityHeaders: security });
    const taken: string[] = [];
    server = createServer((req, res) => {
      const https = req.headers['x-test-https'] === 'yes';
      if (handle.answerKept(req, res, https)) return void taken.push(`short ${req.url}`);
      if (handle(req, res)) return void taken.push(`full ${req.url}`);
      res.writeHead(201).end('live');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    return { port: (server.address() as { port: number }).port, taken, store };
  }

  it('answers a kept page by its exact address with every header, the security headers too, and a 304 to its tag', async () => {
    const { port, taken } = await serveShort();
    const first = await get(port, '/');
    expect(taken).toEqual(['full /']); // not kept yet: rendered by the full handler
    const kept = await get(port, '/', { 'accept-encoding': 'gzip' });
    expect(taken.at(-1)).toBe('short /');
    expect(kept.status).toBe(200);
    expect(kept.headers['x-frame-options']).toBe('DENY');
    expect(kept.headers['strict-transport-security']).toBeUndefined();
    expect(kept.headers['content-encoding']).toBe('gzip');
    expect(kept.headers.etag).toBe(`${(first.headers.etag as string).slice(0, -1)}-gzip"`);
    expect(gunzipSync(kept.body).equals(first.body)).toBe(true);
    const overHttps = await get(port, '/', { 'x-test-https': 'yes' });
    expect(overHttps.headers['strict-transport-security']).toBe('max-age=1');
    expect(overHttps.body.equals(first.body)).toBe(true);
    const unchanged = await get(port, '/', { 'if-none-match': kept.headers.etag as string });
    expect([unchanged.status, unchanged.headers['x-frame-options'], unchanged.body.length]).toEqual([304, 'DENY', 0]);
    const head = await get(port, '/', {}, 'HEAD');
    expect([head.status, head.body.length, head.headers['content-length']]).toEqual([200, 0, String(first.body.length)]);
  });

  it('leaves every other request to the full handler: a query, a widget, a write, an address not kept', async () => {
    const { port, taken, store } = await serveShort();
    await get(port, '/');
    await get(port, '/?lang=en');
    await get(port, '/missing/');
    await get(port, '/', {}, 'POST');
    await get(port, '/pages/x/widget/');
    expect(taken.filter((t) => t.startsWith('short'))).toEqual([]);
    // while a refresh after a write runs, a visitor waits for it (the full handler), never sees the page from before
    store.beginWrite()();
    void store.invalidate();
    expect(store.refreshingAfterWrite()).toBe(true);
    await get(port, '/');
    expect(taken.at(-1)).toBe('full /');
  });
});

describe('snapshot serving', () => {
  it('renders an address once for many concurrent visitors, then answers from memory', async () => {
    const { src, port } = await serve();
    const answers = await Promise.all(Array.from({ length: 50 }, () => get(port, '/')));
    expect(answers.every((a) => a.status === 200 && a.body.toString().includes('Status v1'))).toBe(true);
    expect(src.state.renders).toBe(1);
    await get(port, '/');
    expect(src.state.renders).toBe(1);
  });

  it('sends ETag, Cache-Control and Last-Modified, and 304 to a matching If-None-Match in any encoding', async () => {
    const { port } = await serve();
    const first = await get(port, '/');
    expect(first.headers['cache-control']).toMatch(/^public, max-age=\d+/);
    expect(first.headers.vary).toBe('Accept-Encoding');
    expect(first.headers['last-modified']).toBe(new Date(1_800_000_000_000).toUTCString());
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get(port, '/', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const br = await get(port, '/', { 'accept-encoding': 'gzip, br' });
    expect((await get(port, '/', { 'if-none-match': `W/${br.headers.etag as string}` })).status).toBe(304);
    expect((await get(port, '/', { 'if-none-match': '"something-else"' })).status).toBe(200);
  });

  it('compresses with brotli or gzip as accepted, and the bytes decode to the page', async () => {
    const { port } = await serve();
    const plain = await get(port, '/');
    const br = await get(port, '/', { 'accept-encoding': 'gzip, deflate, br' });
    const gz = await get(port, '/', { 'accept-encoding': 'gzip' });
    const refused = await get(port, '/', { 'accept-encoding': 'br;q=0, gzip;q=0' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(br.headers['content-encoding']).toBe('br');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(br.body.length).toBeLessThan(plain.body.length / 4);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect(br.headers.etag).not.toBe(plain.headers.etag);
    const head = await get(port, '/', { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.body.length).toBe(0);
    expect(Number(head.headers['content-length'])).toBe(br.body.length);
  });

  it('refreshes when the change token moves and when a snapshot is 30 s old, not otherwise', async () => {
    const { src, clock, store, port } = await serve();
    await get(port, '/');
    await store.tick(); // learns the token
    src.state.version = 2;
    clock.now += 10_000;
    await store.tick();
    expect((await get(port, '/')).body.toString()).toContain('Status v1'); // nothing said it changed, and it is young
    src.state.token = 'b';
    await store.tick();
    expect((await get(port, '/')).body.toString()).toContain('Status v2');
    src.state.version = 3;
    clock.now += 31_000;
    await store.tick();
    expect((await get(port, '/')).body.toString()).toContain('Status v3');
  });

  it('keeps serving the last page while the source is down, warns after 2 minutes, and catches up alone', async () => {
    const { src, clock, store, port } = await serve();
    const before = await get(port, '/');
    await store.tick();
    src.state.down = true;
    src.state.version = 2;
    clock.now += 60_000;
    await store.tick();
    const during = await get(port, '/');
    expect(during.status).toBe(200);
    expect(during.body.equals(before.body)).toBe(true);
    expect(during.body.toString()).toContain(STALE_MARKER);
    clock.now += 61_000; // 2 min 1 s after the last good render
    const late = await get(port, '/');
    expect(late.status).toBe(200);
    expect(late.body.toString()).toContain('<p class="stale-warning" data-snapshot-stale>old data</p>');
    expect(late.headers.etag).not.toBe(before.headers.etag);
    expect(store.stats().failed).toBeGreaterThan(0);
    src.state.down = false; // same token as before the outage: still refreshed, as the outage made it unknown
    await store.tick();
    const after = await get(port, '/');
    expect(after.body.toString()).toContain('Status v2');
    expect(after.body.toString()).toContain(STALE_MARKER);
  });

  it('answers an address it never rendered with 503 and a reason while the source is down, and does not keep a 404', async () => {
    const { src, port } = await serve();
    src.state.down = true;
    const cold = await get(port, '/en/');
    expect(cold.status).toBe(503);
    expect(cold.headers['retry-after']).toBe('30');
    expect(cold.body.toString()).toMatch(/cannot be read/);
    src.state.down = false;
    expect((await get(port, '/missing/')).status).toBe(404);
    expect((await get(port, '/missing/')).headers['cache-control']).toBe('no-store');
    const renders = src.state.renders;
    await get(port, '/missing/');
    expect(src.state.renders).toBe(renders + 1);
  });

  it('leaves operator routes and writes to their handlers, and refreshes after a write before the next view', async () => {
    const { src, port, liveCount } = await serve();
    await get(port, '/');
    expect((await get(port, '/console/')).status).toBe(201);
    expect((await get(port, '/api/v1/incidents')).headers.etag).toBeUndefined();
    src.state.version = 2; // the write changes what the page shows
    expect((await get(port, '/api/v1/incidents/x/updates', {}, 'POST')).status).toBe(201);
    expect((await get(port, '/')).body.toString()).toContain('Status v2');
    expect(liveCount()).toBe(3);
  });

  it('gives up on a render that hangs, keeps the last snapshot, and refreshes on a later round', async () => {
    let hang = false;
    let version = 1;
    const store = createSnapshotStore({
      now: Date.now,
      renderTimeoutMs: 50,
      changeToken: async () => String(version),
      render: (): Promise<Rendered> => (hang ? new Promise(() => {}) : Promise.resolve({ status: 200, contentType: 'application/json', body: Buffer.from(`{"v":${version}}`) })),
    });
    await store.fill('api', '/api/v2/status.json');
    hang = true;
    version = 2;
    await store.tick(); // would never end without the time limit
    expect(store.lookup('/api/v2/status.json')!.fresh.identity.toString()).toBe('{"v":1}');
    expect(store.stats().failed).toBe(1);
    hang = false;
    await store.tick();
    expect(store.lookup('/api/v2/status.json')!.fresh.identity.toString()).toBe('{"v":2}');
  });

  it('refreshes for changes at most once a second, however often the token moves', async () => {
    const clock = { now: 0 };
    let token = 0;
    let renders = 0;
    const store = createSnapshotStore({
      now: () => clock.now,
      minChangeGapMs: 1_000,
      changeToken: async () => String(token),
      render: async (): Promise<Rendered> => {
        renders++;
        return { status: 200, contentType: 'application/json', body: Buffer.from(`{"token":${token}}`) };
      },
    });
    await store.fill('api', '/api/v2/status.json');
    renders = 0;
    for (let i = 0; i < 30; i++) {
      token++; // something changes every 100 ms
      clock.now += 100;
      await store.tick();
    }
    expect(renders).toBeGreaterThanOrEqual(2);
    expect(renders).toBeLessThanOrEqual(3); // 3 s of changes, one refresh a second
    clock.now += 1_000;
    await store.tick();
    expect(store.lookup('/api/v2/status.json')!.fresh.identity.toString()).toBe(`{"token":${token}}`); // the last change is not lost
  });

  it('renders nothing while a write is answered, and refreshes a burst of writes once, after it pauses', async () => {
    let renders = 0;
    let version = 1;
    const store = createSnapshotStore({
      now: Date.now,
      writeQuietMs: 40,
      writeMaxDelayMs: 500,
      changeToken: async () => String(version),
      render: async (): Promise<Rendered> => {
        renders++;
        return { status: 200, contentType: 'application/json', body: Buffer.from(`{"v":${version}}`) };
      },
    });
    await store.fill('api', '/api/v2/status.json');
    renders = 0;
    // an incident opened, then its update published 10 ms later
    const first = store.beginWrite();
    version = 2;
    first();
    const refreshed = store.invalidate();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = store.beginWrite();
    version = 3;
    store.invalidate();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(renders).toBe(0); // the second write is still being answered: no render has started
    second();
    await refreshed;
    expect(renders).toBe(1);
    expect(store.lookup('/api/v2/status.json')!.fresh.identity.toString()).toBe('{"v":3}');
    await store.stop();
  });

  it('renders a page now for the visitor after a write when the refresh round has not reached it in the time they wait', async () => {
    let version = 1;
    let clock = 1_800_000_000_000;
    const now = () => clock;
    const renderMs = 60;
    const store = createSnapshotStore({
      now,
      writeQuietMs: 0,
      changeToken: async () => String(version),
      render: async (_source, key): Promise<Rendered> => {
        await new Promise((resolve) => setTimeout(resolve, renderMs));
        return { status: 200, contentType: 'text/html; charset=utf-8', body: Buffer.from(`<p>${key} v${version}</p>`) };
      },
    });
    // many kept pages: a round after a write takes 20 × 60 ms, far longer than the 100 ms a visitor waits here
    for (let n = 0; n < 20; n++) await store.fill('site', `/p${n}/`);
    const handle = createSnapshotHandler({ store, now, writeWaitMs: 100 });
    server = createServer((req, res) => {
      if (!handle(req, res)) res.writeHead(201).end('live');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as { port: number }).port;
    clock += 5_000;
    version = 2; // the write changes what every page shows
    expect((await get(port, '/console/windows/', {}, 'POST')).status).toBe(201);
    const started = Date.now();
    // the last page of the round: without rendering it now, this visitor would see the page as it was before the write
    expect((await get(port, '/p19/')).body.toString()).toBe('<p>/p19/ v2</p>');
    expect(Date.now() - started).toBeLessThan(20 * renderMs);
    await store.stop();
  });

  it('never lets a render begun before the kept snapshot replace it', async () => {
    let clock = 1_800_000_000_000;
    let version = 1;
    const delays: number[] = [];
    const store = createSnapshotStore({
      now: () => clock,
      writeQuietMs: 0,
      changeToken: async () => String(version),
      render: async (): Promise<Rendered> => {
        const seen = version; // what the database said when the render read it
        await new Promise((resolve) => setTimeout(resolve, delays.shift() ?? 0));
        return { status: 200, contentType: 'application/json', body: Buffer.from(`{"v":${seen}}`) };
      },
    });
    await store.fill('api', '/api/v2/status.json', true);
    // a slow render (a plan, say) reads version 1 and takes 200 ms
    delays.push(200);
    const slow = store.fill('api', '/api/v2/status.json', true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // meanwhile a write, and the refresh it causes, reads version 2
    clock += 1_000;
    version = 2;
    await store.invalidate();
    expect(store.lookup('/api/v2/status.json')!.fresh.identity.toString()).toBe('{"v":2}');
    await slow;
    expect(store.lookup('/api/v2/status.json')!.fresh.identity.toString()).toBe('{"v":2}');
    await store.stop();
  });
});
