import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type SiteFile, type StatusvaktConfig } from '../../config/index.ts';
import { serveSiteFile } from './serve-site-file.ts';
import { siteBrandingOf, type SiteBranding } from './site-branding.ts';

const CONFIG = `regions: [{ id: local, name: { da: København, en: Copenhagen } }, { id: oslo, name: Oslo }, { id: edge }]
organisations:
  - id: kommune
    name: Eksempel Kommune
    branding:
      logo: { file: org.svg }
      favicon: org.png
      contact: { email: it@kommune.example, phone: "+45 12 34 56 78" }
      links: [{ label: { da: Privatliv, en: Privacy }, url: "https://kommune.example/privatliv" }]
pages:
  - id: status
    organisation: kommune
    name: Status
    groups: [{ id: g, name: G, components: [{ id: web, name: Web, checks: [{ kind: https, url: "https://example.org/" }] }] }]
  - id: skole
    organisation: kommune
    name: Skole
    branding:
      logo: { file: skole.webp, alt: { da: Skolernes logo, en: The schools' logo } }
      contact: { url: "https://skole.example/" }
    groups: [{ id: h, name: H, components: [{ id: intra, name: Intra, checks: [{ kind: https, url: "https://example.org/" }] }] }]
`;

const file = (contentType: string, text: string): SiteFile => ({ type: contentType === 'image/svg+xml' ? 'svg' : contentType === 'image/png' ? 'png' : 'webp', contentType, bytes: Buffer.from(text) });
const FILES = new Map([
  ['org.svg', file('image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
  ['org.png', file('image/png', 'png bytes')],
  ['skole.webp', file('image/webp', 'webp bytes')],
]);

function config(): StatusvaktConfig {
  const result = parseConfig(CONFIG);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

describe('branding per page', () => {
  it("takes a page's own fields and the rest from its organisation", () => {
    const branding = siteBrandingOf(config(), FILES);
    expect(branding.pages.get('status')).toEqual({
      organisation: 'Eksempel Kommune',
      logo: { src: '/branding/status/logo.svg', alt: 'Eksempel Kommune' },
      favicon: { href: '/branding/status/favicon.png', type: 'image/png' },
      contact: { email: 'it@kommune.example', phone: '+45 12 34 56 78' },
      links: [{ label: { da: 'Privatliv', en: 'Privacy' }, url: 'https://kommune.example/privatliv' }],
    });
    expect(branding.pages.get('skole')).toMatchObject({
      logo: { src: '/branding/skole/logo.webp', alt: { da: 'Skolernes logo', en: "The schools' logo" } },
      favicon: { href: '/branding/skole/favicon.png' },
      contact: { url: 'https://skole.example/' },
    });
    expect(branding.files.get('/branding/skole/logo.webp')?.bytes.toString()).toBe('webp bytes');
  });

  it('serves the default icon, and links no logo whose file was not read', () => {
    const branding = siteBrandingOf(config(), new Map());
    expect(branding.pages.get('status')?.logo).toBeUndefined();
    expect(branding.pages.get('status')?.favicon).toEqual({ href: '/favicon.svg', type: 'image/svg+xml' });
    expect([...branding.files.keys()]).toEqual(['/favicon.svg']);
  });

  it('names the regions that have a name, in each language', () => {
    const { regionNames } = siteBrandingOf(config(), FILES);
    expect(Object.fromEntries(regionNames)).toEqual({ local: { da: 'København', en: 'Copenhagen' }, oslo: 'Oslo' });
  });
});

describe('serving branding files', () => {
  let server: Server;
  let url: string;
  let branding: SiteBranding;
  beforeAll(async () => {
    branding = siteBrandingOf(config(), FILES);
    server = createServer((req, res) => {
      if (!serveSiteFile(req, res, branding.files)) res.writeHead(404).end('not a branding file');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers with the bytes, their type, a validator, cache headers and a policy under which an SVG cannot run script', async () => {
    const response = await fetch(`${url}/branding/status/logo.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml');
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('sandbox');
    expect(csp).not.toMatch(/script-src/);
    expect(await response.text()).toContain('<svg');
    const again = await fetch(`${url}/branding/status/logo.svg`, { headers: { 'if-none-match': response.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('gives the same file the same validator on every page, and a changed file another', async () => {
    const a = await fetch(`${url}/branding/status/favicon.png`);
    const b = await fetch(`${url}/branding/skole/favicon.png`);
    const c = await fetch(`${url}/branding/skole/logo.webp`);
    expect(a.headers.get('etag')).toBe(b.headers.get('etag'));
    expect(c.headers.get('etag')).not.toBe(a.headers.get('etag'));
  });

  it('leaves every other address, and other methods, to the next handler', async () => {
    expect((await fetch(`${url}/branding/status/logo.png`)).status).toBe(404);
    expect((await fetch(`${url}/branding/status/logo.svg`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${url}/favicon.svg?v=2`)).status).toBe(200);
  });
});
