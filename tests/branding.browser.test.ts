import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, issueCertificate } from './support/certificates.ts';
import { ROOT, runCli, startServer, type RunningServer } from './support/run-cli.ts';
import { startHttpsServer, type TestServer } from './support/servers.ts';
import { axeViolations, chromiumPath, CHROMIUM_ARGS } from './support/browser.ts';

// a logo that would mark the document if its script ever ran
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40"><rect width="120" height="40" rx="6" fill="#0b57d0"/><text x="60" y="26" font-size="16" text-anchor="middle" fill="#fff">KOMMUNE</text><script>document.documentElement.setAttribute('data-ran', 'yes')</script></svg>`;
const FAVICON = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(24)]);

const title = chromiumPath ? 'header, footer and branding in Chromium' : 'header, footer and branding in Chromium (skipped: no Chromium found; install it or set CHROMIUM_PATH)';

describe.skipIf(!chromiumPath)(title, () => {
  let target: TestServer;
  let server: RunningServer;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    const ca = await createTestCa();
    target = await startHttpsServer(await issueCertificate({ ca, ipAddresses: ['127.0.0.1'] }), (_q, res) => res.end('ok'));
    dir = mkdtempSync(join(tmpdir(), 'statusvakt-branding-'));
    mkdirSync(join(dir, 'branding'));
    writeFileSync(join(dir, 'ca.pem'), ca.certPem);
    writeFileSync(join(dir, 'branding', 'logo.svg'), LOGO);
    writeFileSync(join(dir, 'branding', 'icon.png'), FAVICON);
    writeFileSync(
      join(dir, 'config.yaml'),
      `regions: [{ id: local, name: { da: København, en: Copenhagen, sv: Köpenhamn } }]
organisations:
  - id: kommune
    name: Eksempel Kommune med et ganske langt navn for at prøve ombrydningen
    branding:
      logo: { file: branding/logo.svg, alt: { da: Eksempel Kommunes logo, en: Eksempel Municipality logo } }
      favicon: branding/icon.png
      contact: { email: it-support-og-borgerservice@eksempel-kommune.example, phone: "+45 12 34 56 78", url: "https://www.eksempel-kommune.example/kontakt-os/borgerservice" }
      links:
        - { label: { da: Privatlivspolitik, en: Privacy policy }, url: "https://www.eksempel-kommune.example/privatliv" }
        - { label: { da: Kommunens hjemmeside, en: The municipality's website }, url: "https://www.eksempel-kommune.example/" }
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus, en: Service status, sv: Driftstatus }
    languages: [da, en, sv]
    accessibility: { email: tilgaengelighed@eksempel-kommune.example }
    groups:
      - id: login
        name: { da: Login, en: Sign-in, sv: Inloggning }
        components:
          - id: sso
            name: { da: Fælles login, en: Single sign-on }
            checks: [{ kind: https, url: "${target.url}", intervalSeconds: 5 }]
          - id: archive
            name: { da: Arkiv, en: Archive }
            checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 5 }]
`,
    );
    server = await startServer(['start', '--config', join(dir, 'config.yaml')], { STATUSVAKT_DATA_DIR: join(dir, 'data'), STATUSVAKT_PROBE_CA_FILE: join(dir, 'ca.pem') });
    for (let i = 0; i < 100; i++) {
      const status = (await (await fetch(`${server.url}/api/v1/pages/status/status`)).json()) as { groups: { components: { state: string }[] }[] };
      if (status.groups[0]!.components.every((c) => c.state !== 'unknown')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // the snapshots are refreshed within a second of a change
    await new Promise((resolve) => setTimeout(resolve, 1500));
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await target?.close();
  });

  const PAGES = ['/', '/en/', '/sv/', '/en/components/archive/', '/en/accessibility/', '/en/history/', '/en/no-such-page/'];

  async function open(path: string, options: { width: number; scheme?: 'light' | 'dark'; javaScript?: boolean }): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: options.width, height: 800 }, colorScheme: options.scheme ?? 'light', bypassCSP: true, javaScriptEnabled: options.javaScript ?? true });
    const page = await context.newPage();
    await page.goto(`${server.url}${path}`);
    return page;
  }

  it.each([320, 1280])('shows the logo, the organisation, its contact and links at %i px with no horizontal scrolling (screenshots in test-artifacts/branding/)', async (width) => {
    for (const path of PAGES) {
      const page = await open(path, { width });
      const label = path.replaceAll('/', '_') || 'root';
      await page.screenshot({ path: join(ROOT, 'test-artifacts/branding', `${label}-${width}.png`), fullPage: true });
      const measured = await page.evaluate(() => {
        const logo = document.querySelector<HTMLImageElement>('header img.logo');
        const box = (selector: string) => document.querySelector(selector)?.getBoundingClientRect();
        return {
          scrollWidth: document.documentElement.scrollWidth,
          viewport: window.innerWidth,
          logoLoaded: logo !== null && logo.complete && logo.naturalWidth > 0,
          logoRight: logo?.getBoundingClientRect().right ?? Infinity,
          footerRight: box('footer')!.right,
          footer: document.querySelector('footer')!.textContent ?? '',
          links: [...document.querySelectorAll('footer a')].map((a) => a.getAttribute('href')),
          icon: document.querySelector('link[rel="icon"]')?.getAttribute('href'),
        };
      });
      expect(measured.scrollWidth, `${path} at ${width}`).toBeLessThanOrEqual(measured.viewport);
      expect(measured.logoLoaded, path).toBe(true);
      expect(measured.logoRight).toBeLessThanOrEqual(width);
      expect(measured.footerRight).toBeLessThanOrEqual(width);
      expect(measured.footer).toContain('Eksempel Kommune med et ganske langt navn');
      expect(measured.links).toEqual(expect.arrayContaining(['mailto:it-support-og-borgerservice@eksempel-kommune.example', 'tel:+4512345678', 'https://www.eksempel-kommune.example/kontakt-os/borgerservice', 'https://www.eksempel-kommune.example/privatliv']));
      expect(measured.icon).toBe('/branding/status/favicon.png');
      await page.context().close();
    }
  });

  it('links the accessibility statement from the footer of every page of the site, in its language', async () => {
    for (const [path, href, text] of [
      ['/', '/accessibility/', 'Tilgængelighedserklæring'],
      ['/en/components/sso/', '/en/accessibility/', 'Accessibility statement'],
      ['/sv/history/', '/sv/accessibility/', 'Tillgänglighetsredogörelse'],
    ] as const) {
      const page = await open(path, { width: 1280, javaScript: false });
      const link = page.locator('footer a', { hasText: text });
      expect(await link.getAttribute('href'), path).toBe(href);
      await page.context().close();
    }
  });

  it.each(['light', 'dark'] as const)('has no axe-core violations in the %s scheme', async (scheme) => {
    const backgrounds = new Set<string>();
    const month = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit' }).format(new Date());
    for (const path of [...PAGES, '/en/windows/', '/sv/components/sso/', `/en/sla/${month}/`, '/pages/status/subscribe/en/']) {
      const page = await open(path, { width: 1280, scheme });
      backgrounds.add(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor));
      expect(await axeViolations(page), `${path} (${scheme})`).toEqual([]);
      await page.context().close();
    }
    // the scheme really was the one asked for
    expect([...backgrounds]).toEqual([scheme === 'dark' ? 'rgb(18, 20, 22)' : 'rgb(255, 255, 255)']);
  });

  it('offers "skip to content" as the first stop of the keyboard, visible when focused, on every page', async () => {
    for (const path of PAGES) {
      const page = await open(path, { width: 320, javaScript: false });
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const element = document.activeElement as HTMLAnchorElement;
        const box = element.getBoundingClientRect();
        return { href: element.getAttribute('href'), visible: box.left >= 0 && box.right <= window.innerWidth && box.width > 0 };
      });
      expect(focused, path).toEqual({ href: '#main', visible: true });
      expect(await page.locator('main#main').count()).toBe(1);
      await page.context().close();
    }
  });

  it("says why a service is down in residents' words on the card, with the technical reason one click away, without JavaScript", async () => {
    const page = await open('/en/', { width: 390, javaScript: false });
    const card = page.locator('li.component', { has: page.locator('h3', { hasText: 'Archive' }) });
    await expect.poll(() => card.locator('.plain').textContent()).toBe('The service is not accepting visitors: it is probably stopped.');
    const technical = card.locator('details.technical').first();
    expect(await technical.getAttribute('open')).toBeNull();
    expect(await technical.locator('p').isVisible()).toBe(false);
    await technical.locator('summary').click();
    expect(await technical.locator('p').isVisible()).toBe(true);
    expect(await technical.locator('p').textContent()).toMatch(/^connection refused \(connect_refused/);
    const danish = await open('/', { width: 390, javaScript: false });
    expect(await danish.locator('li.component .plain').first().textContent()).toBe(
      (await import('../status-site/src/i18n/messages.ts')).CATALOGUES.da.explain_connect_refused,
    );
    await page.context().close();
    await danish.context().close();
  });

  it('names the regions by their name in the reader\'s language, never by id', async () => {
    for (const [path, name] of [['/', 'København'], ['/en/', 'Copenhagen'], ['/sv/', 'Köpenhamn']] as const) {
      const page = await open(path, { width: 1280, javaScript: false });
      const text = await page.locator('main').textContent();
      expect(text, path).toContain(name);
      expect(await page.locator('.components strong', { hasText: /^local$/ }).count(), path).toBe(0);
      expect(text).not.toMatch(/\blocal\b/);
      await page.context().close();
    }
  });

  it.each([
    ['/en/no-such-page/', 'en-GB', 'Page not found'],
    ['/sv/components/no-such-component/', 'sv-SE', 'Sidan finns inte'],
    ['/en/incidents/00000000-0000-4000-8000-000000000000/', 'en-GB', 'Page not found'],
    ['/pages/no-such-page/sv/', 'sv-SE', 'Sidan finns inte'],
    ['/xx/', 'da-DK', 'Siden findes ikke'],
    ['/en/sla/1999-13/', 'en-GB', 'Page not found'],
    ['/it/', 'it-IT', 'Pagina non trovata'],
  ])('answers %s with a 404 page in the reader\'s language, with the way back', async (path, lang, heading) => {
    const response = await fetch(`${server.url}${path}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain(`<html lang="${lang}"`);
    expect(html).toMatch(new RegExp(`<h1[^>]*>${heading}</h1>`));
    expect(html).toMatch(/<a href="\/(en\/|sv\/|it\/)?"[^>]*>/);
    expect(html).toContain('/branding/status/logo.svg');
  });

  it('serves the logo and favicon from memory, with cache headers, and an SVG that cannot run its script', async () => {
    const logo = await fetch(`${server.url}/branding/status/logo.svg`);
    expect(logo.status).toBe(200);
    expect(logo.headers.get('content-type')).toBe('image/svg+xml');
    expect(logo.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(logo.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/);
    expect(await logo.text()).toBe(LOGO);
    expect((await fetch(`${server.url}/branding/status/logo.svg`, { headers: { 'if-none-match': logo.headers.get('etag')! } })).status).toBe(304);
    const icon = await fetch(`${server.url}/branding/status/favicon.png`);
    expect(icon.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await icon.arrayBuffer()).equals(FAVICON)).toBe(true);
    expect((await fetch(`${server.url}/favicon.svg`)).headers.get('content-type')).toBe('image/svg+xml');

    // opened on its own, as a document: the policy keeps its script from running
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/branding/status/logo.svg`);
    expect(await page.evaluate(() => document.documentElement.getAttribute('data-ran')).catch(() => null)).toBeNull();
    await context.close();
  });

  it('exports the logo and the favicon with the site, linked relatively', async () => {
    const out = join(dir, 'export');
    const exported = await runCli(['export-site', out, '--config', join(dir, 'config.yaml')], { STATUSVAKT_DATA_DIR: join(dir, 'export-data') });
    expect(exported.code, exported.stderr).toBe(0);
    expect(readFileSync(join(out, 'branding/status/logo.svg'), 'utf8')).toBe(LOGO);
    expect(readFileSync(join(out, 'branding/status/favicon.png')).equals(FAVICON)).toBe(true);
    expect(existsSync(join(out, 'favicon.svg'))).toBe(true);
    const front = readFileSync(join(out, 'en/index.html'), 'utf8');
    expect(front).toContain('src="../branding/status/logo.svg"');
    expect(front).toContain('href="../branding/status/favicon.png"');
  }, 120_000);
});
