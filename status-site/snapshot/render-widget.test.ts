import { createServer, request, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { renderBadge, type BadgeStatus } from './render-badge.ts';
import { renderWidget } from './render-widget.ts';
import { createSnapshotHandler } from './serve-snapshot.ts';
import { createSnapshotStore, type Rendered } from './snapshot-store.ts';

/** A page status as `/api/v1/pages/{id}/status` answers it, with the names written as the config wrote them. */
function statusWith(names: { page: BadgeStatus['page']['name']; component: BadgeStatus['page']['name'] }): BadgeStatus {
  return {
    generatedAt: '2026-12-01T13:05:00.000Z',
    page: { id: 'kiri', name: names.page, defaultLanguage: 'da', languages: ['da', 'en'], timeZone: 'Europe/Copenhagen' },
    overall: 'unknown',
    groups: [{ components: [{ id: 'redis', name: names.component, state: 'unknown', inServiceWindow: false }] }],
  };
}

describe('names written as one text for every language', () => {
  const plain = statusWith({ page: 'Kiritimati page', component: 'Kiri redis' });

  it('are shown whole in the page badge and the component badge, in every language', () => {
    expect(renderBadge(plain, {})).toContain('aria-label="Kiritimati page: Status er endnu ikke målt"');
    expect(renderBadge(plain, { language: 'en' })).toContain('<title>Kiritimati page: Status not yet measured</title>');
    const component = renderBadge(plain, { componentId: 'redis', language: 'en' })!;
    expect(component).toContain('<title>Kiri redis: Not measured</title>');
    expect(component).toContain('>Kiri redis</text>');
  });

  it('are shown whole in the widget: its title, heading, rows and link', () => {
    const html = renderWidget(plain, { language: 'en' })!;
    expect(html).toContain('<title>Kiritimati page: Status not yet measured</title>');
    expect(html).toContain('<h1>Kiritimati page</h1>');
    expect(html).toContain('<span>Kiri redis</span>');
    expect(html).toMatch(/<a href="\/pages\/kiri\/en\/"[^>]*>Kiritimati page<\/a>/);
  });

  it('leave names written per language as they were: the reader\'s, else the page\'s default', () => {
    const mapped = statusWith({ page: { da: 'Driftsstatus', en: 'Service status' }, component: { da: 'Hjemmeside' } });
    expect(renderBadge(mapped, { language: 'en' })).toContain('<title>Service status: Status not yet measured</title>');
    expect(renderBadge(mapped, { componentId: 'redis', language: 'en' })).toContain('<title>Hjemmeside: Not measured</title>');
  });
});

describe('the widget\'s time of reading', () => {
  const status = statusWith({ page: 'Kiritimati page', component: 'Kiri redis' });

  it('says when its data was read, in the page\'s time zone and the reader\'s language', () => {
    // 13:05 UTC is 14:05 in Copenhagen in December
    expect(renderWidget(status, { language: 'en' })).toContain('<p class="updated">Updated <time datetime="2026-12-01T13:05:00.000Z">14:05</time></p>');
    expect(renderWidget(status, {})).toContain('<p class="updated">Opdateret <time datetime="2026-12-01T13:05:00.000Z">14.05</time></p>');
  });

  it('carries the out-of-date warning hidden while the data is current', () => {
    const html = renderWidget(status, { language: 'en' })!;
    expect(html).toMatch(/<p class="stale" data-snapshot-stale hidden>.*could not be updated since 1 Dec 2026, 14:05/);
  });
});

/** Raw GET, so the test sees the body exactly as sent. */
function get(port: number, path: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ port, path, host: '127.0.0.1' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe('the widget served from a snapshot while its data cannot be refreshed', () => {
  it('keeps its last states, and warns once they are 2 minutes old, as the site\'s pages do', async () => {
    const state = { down: false };
    const clock = { now: 1_800_000_000_000 };
    const now = () => clock.now;
    const render = async (_source: string, key: string): Promise<Rendered> => {
      if (state.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      const html = renderWidget(statusWith({ page: 'Kiritimati page', component: 'Kiri redis' }), { language: new URL(key, 'http://widget').searchParams.get('lang') ?? undefined });
      return { status: 200, contentType: 'text/html; charset=utf-8', body: Buffer.from(html!) };
    };
    const store = createSnapshotStore({ render, changeToken: async () => (state.down ? Promise.reject(new Error('down')) : 'a'), now, maxAgeMs: 30_000 });
    const handle = createSnapshotHandler({ store, now, staleAfterMs: 120_000 });
    server = createServer((req, res) => {
      if (!handle(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as { port: number }).port;

    const before = await get(port, '/pages/kiri/widget/?lang=en');
    expect(before.status).toBe(200);
    expect(before.body).toContain('data-snapshot-stale hidden');
    await store.tick();
    state.down = true;
    clock.now += 60_000;
    await store.tick();
    expect((await get(port, '/pages/kiri/widget/?lang=en')).body).toContain('data-snapshot-stale hidden'); // not yet two minutes
    clock.now += 61_000;
    const late = await get(port, '/pages/kiri/widget/?lang=en');
    expect(late.status).toBe(200);
    expect(late.body).toMatch(/<p class="stale" data-snapshot-stale><span aria-hidden="true">⚠ <\/span>This page could not be updated since 1 Dec 2026, 14:05/);
    expect(late.body).toContain('<span>Kiri redis</span>');
  });
});
