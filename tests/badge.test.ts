import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, postgresAdminUrl } from './support/databases.ts';
import { startServer, type RunningServer } from './support/run-cli.ts';

const CONFIG = `organisations: [{ id: kommune, name: Kommune }]
slaProfiles: [{ id: basic, name: Basic, availabilityTargetPercent: 99.9 }]
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus, en: Service status }
    languages: [da, en]
    embedOrigins: ["https://intranet.kommune.example"]
    groups:
      - id: core
        name: { da: Kerne, en: Core }
        components:
          - id: web
            name: { da: Hjemmeside, en: Website }
            slaProfile: basic
            checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 60 }]
  - id: skole
    organisation: kommune
    name: { da: Skoleportal }
    languages: [da]
    hostnames: [skole.kommune.example]
    groups:
      - id: apps
        name: { da: Apps }
        components:
          - id: intra
            name: { da: Skoleintra }
            slaProfile: basic
            checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 60 }]
`;

/** A GET with the Host header a visitor's browser would send for that name. */
function getWithHost(base: string, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(new URL(path, base), { headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject).end();
  });
}

describe.skipIf(!postgresAdminUrl)('status badges and the widget', () => {
  let server: RunningServer;
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-badge-'));
    writeFileSync(join(dir, 'config.yaml'), CONFIG);
    database = await createPostgresDatabase();
    server = await startServer(['serve', '--config', join(dir, 'config.yaml')], { DATABASE_URL: database.url });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('draws the page and a component in the requested language, in words, with a title', async () => {
    const page = await fetch(`${server.url}/pages/status/badge.svg`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const svg = await page.text();
    expect(svg).toContain('<title>Driftsstatus: Status er endnu ikke målt</title>');
    expect(svg).toContain('role="img"');
    const english = await (await fetch(`${server.url}/pages/status/components/web/badge.svg?lang=en`)).text();
    expect(english).toContain('<title>Website: Not measured</title>');
    expect(english).toContain('lang="en"');
  });

  it('is served from a snapshot with an ETag and answers a conditional request with 304', async () => {
    const first = await fetch(`${server.url}/pages/status/components/web/badge.svg?lang=da`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const again = await fetch(`${server.url}/pages/status/components/web/badge.svg?lang=da`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
  });

  it('answers 404, not 500, for an unknown page, component or language', async () => {
    for (const path of ['/pages/nowhere/badge.svg', '/pages/status/components/nothing/badge.svg', '/pages/status/badge.svg?lang=sv']) {
      expect((await fetch(`${server.url}${path}`)).status, path).toBe(404);
    }
  });

  it('serves the widget in the asked language, framable only by the listed origins', async () => {
    const widget = await fetch(`${server.url}/pages/status/widget/?lang=en`);
    expect(widget.status).toBe(200);
    const html = await widget.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/Website<\/span> <strong[^>]*>Not measured<\/strong>/);
    expect(widget.headers.get('content-security-policy')).toContain('frame-ancestors https://intranet.kommune.example');
    expect(widget.headers.get('x-frame-options')).toBeNull();
    expect(widget.headers.get('etag')).toBeTruthy();
    // every other answer keeps refusing to be framed
    for (const path of ['/', '/en/', '/pages/status/badge.svg', '/pages/status/widget/x', '/api/v2/summary.json']) {
      const other = await fetch(`${server.url}${path}`);
      expect(other.headers.get('x-frame-options'), path).toBe('DENY');
      expect(other.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
    }
    expect((await fetch(`${server.url}/pages/status/widget/?lang=it`)).status).toBe(404);
  });

  it('serves a page at / on its own host name, and every page by path on any host', async () => {
    const own = await getWithHost(server.url, '/', 'skole.kommune.example');
    expect(own.status).toBe(200);
    expect(own.body).toContain('Skoleintra');
    const summary = await getWithHost(server.url, '/api/v2/summary.json', 'Skole.Kommune.Example:443');
    expect(JSON.parse(summary.body).components.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['Skoleintra']));
    expect(summary.body).not.toContain('Hjemmeside');
    // the default page on any other host, and the other page by path on this one
    expect((await getWithHost(server.url, '/', 'status.kommune.example')).body).toContain('Hjemmeside');
    expect((await getWithHost(server.url, '/pages/status/', 'skole.kommune.example')).body).toContain('Hjemmeside');
  });

  it('answers unknown pages, components and languages with a 404 page in the reader\'s language, and bad queries with 400', async () => {
    const cases: [string, number, RegExp][] = [
      ['/pages/nowhere/widget/?lang=en', 404, /There is no status page &#34;nowhere&#34;/],
      ['/pages/status/components/nothing/badge.svg', 404, /Komponenten &#34;nothing&#34; findes ikke/],
      ['/pages/status/widget/?lang=sv', 404, /<html lang="sv">[\s\S]*inte på det valda språket/],
      ['/pages/status/badge.svg?lang=xx', 404, /<html lang="da">/],
      ['/pages/status/widget/?lang=%E0%A4%A', 400, /not well formed/],
      ['/pages/status/widget/?lang=da&lang=en', 400, /once/],
      [`/pages/status/badge.svg?x=${'a'.repeat(300)}`, 400, /too long/],
      // every public address, not only what is embedded
      [`/?utm_source=${'a'.repeat(300)}`, 400, /too long/],
      ['/en/history/?q=%E0%A4%A', 400, /not well formed/],
      [`/api/v2/summary.json?x=${'a'.repeat(300)}`, 400, /"code":"VALIDATION","message":"the query string is too long/],
      ['/api/v1/pages/status/feeds/incidents.rss?lang=da&lang=en', 400, /once/],
      // the same rules on every public read: pages, JSON, the reports, the subscription pages
      ['/en/?lang=%3Cscript%3E', 400, /<html lang="en">[\s\S]*Bad request[\s\S]*must be one of da, en, it, nb, sv/],
      ['/?lang=fr', 400, /<html lang="da">[\s\S]*Ugyldig forespørgsel/],
      ['/en/history/?lang=en%00', 400, /must be one of/],
      ['/api/v1/pages/status/status?lang=fr', 400, /"code":"VALIDATION"/],
      ['/api/v1/pages/status/status?days=1e1', 400, /whole number of days/],
      ['/api/v1/pages/status/status?days=5&days=6', 400, /give \?days= once/],
      ['/api/v1/pages/status/feeds/windows.ics?lang=', 400, /must be one of/],
      [`/api/v1/sla/pages/status/reports/2026-11?x=${'a'.repeat(300)}`, 400, /too long/],
      ['/api/v1/sla/pages/status/reports/2026-11?lang=en&lang=da', 400, /once/],
      [`/api/v1/subscriptions/confirm?token=${'a'.repeat(400)}`, 400, /too long/],
    ];
    for (const [path, status, says] of cases) {
      const response = await fetch(`${server.url}${path}`, { headers: { 'accept-language': 'da' } });
      expect(response.status, path).toBe(status);
      expect(await response.text(), path).toMatch(says);
    }
  });
});
