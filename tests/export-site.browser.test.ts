import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.ts';
import { chromiumPath, CHROMIUM_ARGS } from './support/browser.ts';
import { ONE_PAGE_CONFIG } from './support/one-page-config.ts';


const CONFIG = `${ONE_PAGE_CONFIG}  - id: skole
    organisation: kommune
    name: { da: Skoleportal, en: School portal }
    languages: [da]
    groups:
      - id: apps
        name: { da: Apps }
        components:
          - id: intra
            name: { da: Intra }
            slaProfile: basic
            checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 60 }]
`;

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.json': 'application/json', '.rss': 'application/rss+xml', '.atom': 'application/atom+xml', '.ics': 'text/calendar', '.svg': 'image/svg+xml' };

/** A plain static file server, as any web server would be set up: a folder answers with its index.html (or index.json), nothing else is special. */
function serveFolder(root: string, prefix: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (!pathname.startsWith(prefix)) return void res.writeHead(404).end('not found');
    let file = normalize(join(root, pathname.slice(prefix.length)));
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) {
      if (!pathname.endsWith('/')) return void res.writeHead(301, { location: `${pathname}/` }).end();
      file = [join(file, 'index.html'), join(file, 'index.json')].find((f) => existsSync(f)) ?? file;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    resolve({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}${prefix}` });
  }));
}

describe.skipIf(!chromiumPath)('statusvakt export-site served by a plain static file server', () => {
  let dir: string;
  let browser: Browser;
  let served: { server: Server; url: string };
  let exported: { code: number | null; stdout: string; stderr: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'statusvakt-export-'));
    writeFileSync(join(dir, 'config.yaml'), CONFIG);
    exported = await runCli(['export-site', join(dir, 'site'), '--config', join(dir, 'config.yaml')], { STATUSVAKT_DATA_DIR: join(dir, 'data'), STATUSVAKT_PUBLIC_URL: 'https://status.kommune.example/' });
    // served under a prefix, as from an object store's folder: links must not assume the site is at the root
    served = await serveFolder(join(dir, 'site'), '/status-copy/');
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => served?.server.close(resolve));
  });

  it('writes every page, language, JSON route and feed', () => {
    expect(exported.stderr).not.toMatch(/Error|failed/);
    expect(exported.code).toBe(0);
    const site = join(dir, 'site');
    for (const file of ['index.html', 'en/index.html', 'pages/skole/index.html', 'api/v1/pages/index.json', 'api/v1/pages/status/status/index.json', 'api/v2/summary.json', 'pages/skole/api/v2/summary.json', 'api/v1/pages/status/feeds/incidents.rss', 'api/v1/pages/status/feeds/incidents.atom', 'api/v1/pages/skole/feeds/windows.ics', 'pages/status/badge.svg', 'pages/skole/components/intra/badge.svg', 'pages/status/widget/index.html']) {
      expect(existsSync(join(site, file)), file).toBe(true);
    }
    expect(readFileSync(join(site, 'en/index.html'), 'utf8')).toContain('Website');
    expect(readFileSync(join(site, 'pages/skole/index.html'), 'utf8')).toContain('Intra');
    // JSON names the address the copy is published at
    expect(readFileSync(join(site, 'pages/skole/api/v2/summary.json'), 'utf8')).toContain('https://status.kommune.example/');
  });

  it('loads in Chromium, and every internal link on every page resolves', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // each page's front page, as the list of pages names them
    const toVisit = [served.url, `${served.url}pages/skole/`];
    const visited = new Set<string>();
    const checked = new Map<string, number>();
    let formsSeen = 0;
    while (toVisit.length > 0) {
      const url = toVisit.shift()!;
      if (visited.has(url)) continue;
      visited.add(url);
      const response = await page.goto(url);
      expect(response?.status(), url).toBe(200);
      if (!(response?.headers()['content-type'] ?? '').startsWith('text/html')) continue;
      expect(await page.locator('h1').count(), url).toBeGreaterThan(0);
      // a copy of files cannot take a post: its forms post to the live site
      const actions = await page.evaluate(() => [...document.querySelectorAll('form')].map((form) => form.getAttribute('action') ?? ''));
      for (const action of actions) expect(action, url).toMatch(/^https:\/\/status\.kommune\.example\//);
      formsSeen += actions.length;
      const links = await page.evaluate(() => [...document.querySelectorAll<HTMLAnchorElement | HTMLLinkElement>('a[href], link[href]')].map((a) => a.href));
      for (const link of links) {
        const target = link.split('#')[0]!;
        if (!target.startsWith(served.url)) continue; // https://status.kommune.example/… and other sites are not this copy's
        if (!checked.has(target)) checked.set(target, (await context.request.get(target)).status());
        expect(checked.get(target), `${target} (linked from ${url})`).toBe(200);
        const type = extname(new URL(target).pathname);
        if ((type === '' || type === '.html') && !visited.has(target)) toVisit.push(target);
      }
    }
    // the crawl reached both pages in every language and a report
    const paths = [...visited].map((u) => u.slice(served.url.length - 1));
    expect(paths).toEqual(expect.arrayContaining(['/', '/en/', '/pages/skole/']));
    expect(paths.some((p) => /\/sla\/\d{4}-\d{2}\/$/.test(p))).toBe(true);
    expect(checked.size).toBeGreaterThan(5);
    expect(formsSeen).toBeGreaterThan(0);
    await context.close();
  }, 120_000);
});
