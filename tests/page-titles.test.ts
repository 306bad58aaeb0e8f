import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, postgresAdminUrl } from './support/databases.ts';
import { runCli, startServer, type RunningServer } from './support/run-cli.ts';

const PASSWORD = 'operator password 1';
const CONFIG = `organisations: [{ id: kommune, name: Kommune }]
slaProfiles: [{ id: basic, name: Basic, availabilityTargetPercent: 99.9 }]
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus for Eksempel Kommune, en: Service status of Eksempel Kommune }
    languages: [da, en]
    groups:
      - id: core
        name: { da: Kerne, en: Core }
        components:
          - id: web
            name: { da: Hjemmeside, en: Website }
            slaProfile: basic
            checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 60 }]
  - id: kiri
    organisation: kommune
    name: Kiritimati page
    languages: [en, da]
    groups:
      - id: data
        name: Data
        components:
          - id: redis
            name: Kiri redis
            slaProfile: basic
            checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 60 }]
`;

/** The text of the page's `<title>`, entities decoded as a browser shows it. */
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&');

/**
 * Every view of a page has a `<title>` of its own, saying what it is before
 * the page's name (WCAG 2.4.2); a name written as one text for every
 * language is shown whole wherever the page is named.
 */
describe.skipIf(!postgresAdminUrl)('page titles and names', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let server: RunningServer;
  let incidentId = '';
  let windowId = '';

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-titles-'));
    writeFileSync(join(dir, 'config.yaml'), CONFIG);
    server = await startServer(['serve', '--config', join(dir, 'config.yaml')], { DATABASE_URL: database.url });
    const added = await runCli(['user', 'add', '--email', 'op@kommune.example', '--name', 'Ole Operator', '--role', 'operator', '--all-organisations'], { DATABASE_URL: database.url, STATUSVAKT_USER_PASSWORD: PASSWORD });
    if (added.code !== 0) throw new Error(added.stderr);
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: PASSWORD }) });
    const auth = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
      if (response.status !== 201) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as { id: string; window: { id: string } };
    };
    incidentId = (await post('/api/v1/incidents', { pageId: 'status', title: { da: 'Hjemmesiden er nede', en: 'The website is down' }, priority: 'C', componentIds: ['web'] })).id;
    await post(`/api/v1/incidents/${incidentId}/updates`, { expectedVersion: 1, step: 'registered' });
    const start = new Date(Date.now() + 2 * 86_400_000);
    windowId = (await post('/api/v1/windows', { componentIds: ['web'], title: { da: 'Opgradering', en: 'Website upgrade' }, plannedStart: start.toISOString(), plannedEnd: new Date(start.getTime() + 3_600_000).toISOString() })).window.id;
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('names each view first, then the page, in the reader\'s language', async () => {
    // the pages are refreshed after the writes above: wait for the incident and the window to be shown
    for (const path of [`/en/incidents/${incidentId}/`, `/en/windows/${windowId}/`]) {
      await expect.poll(async () => (await fetch(`${server.url}${path}`)).status, { timeout: 20_000 }).toBe(200);
    }
    const front = await (await fetch(`${server.url}/en/`)).text();
    const month = /href="\/en\/sla\/(\d{4}-\d{2})\/"/.exec(front)?.[1];
    expect(month).toBeDefined();
    const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-15T12:00:00Z`));
    const page = 'Service status of Eksempel Kommune';
    const expected: [string, string][] = [
      ['/en/history/', `Incident history – ${page}`],
      ['/en/components/web/', `Website – ${page}`],
      [`/en/incidents/${incidentId}/`, `The website is down – ${page}`],
      [`/en/sla/${month}/`, `SLA report, ${monthName} – ${page}`],
      ['/en/windows/', `Service windows – ${page}`],
      [`/en/windows/${windowId}/`, `Website upgrade – ${page}`],
      ['/en/accessibility/', `Accessibility statement – ${page}`],
      ['/en/nowhere/', `Page not found – ${page}`],
      ['/pages/status/subscribe/en/', `Get updates by e-mail – ${page}`],
      // the reader's language, the Danish page's name
      ['/historik-findes-ikke/', 'Siden findes ikke – Driftsstatus for Eksempel Kommune'],
      ['/history/', 'Hændelseshistorik – Driftsstatus for Eksempel Kommune'],
      [`/incidents/${incidentId}/`, 'Hjemmesiden er nede – Driftsstatus for Eksempel Kommune'],
    ];
    const titles = [titleOf(front)];
    expect(titles[0]).toBe(page);
    for (const [path, title] of expected) {
      const html = await (await fetch(`${server.url}${path}`)).text();
      expect(titleOf(html), path).toBe(title);
      titles.push(titleOf(html));
    }
    expect(new Set(titles).size).toBe(titles.length);

    // the form in a language the page does not offer: a 404 in the page's own language, linking back to it
    const unoffered = await fetch(`${server.url}/pages/status/subscribe/fr/`);
    expect(unoffered.status).toBe(404);
    const unofferedHtml = await unoffered.text();
    expect(titleOf(unofferedHtml)).toBe('Siden findes ikke – Driftsstatus for Eksempel Kommune');
    expect(unofferedHtml).toMatch(/<html lang="da/);
    expect(unofferedHtml).toContain('href="/pages/status/"');

    // this month's report leads back, never forward to a month that has not begun, which is no address of the site
    const report = await (await fetch(`${server.url}/en/sla/${month}/`)).text();
    const next = new Date(Date.UTC(Number(month!.slice(0, 4)), Number(month!.slice(5, 7)), 1)).toISOString().slice(0, 7);
    expect(report).not.toContain(`/en/sla/${next}/`);
    expect(report).toMatch(/href="\/en\/sla\/\d{4}-\d{2}\/"[^>]*>Previous month<\/a>/);
    for (const future of [`/en/sla/${next}/`, `/en/sla/${Number(month!.slice(0, 4)) + 1}/`]) expect((await fetch(`${server.url}${future}`)).status, future).toBe(404);
  });

  it('shows a name written as one text whole in the badges and the widget', async () => {
    // the state depends on whether the first check has run; the name does not
    expect(await (await fetch(`${server.url}/pages/kiri/badge.svg`)).text()).toMatch(/aria-label="Kiritimati page: [^"]+"/);
    expect(await (await fetch(`${server.url}/pages/kiri/components/redis/badge.svg?lang=da`)).text()).toMatch(/<title>Kiri redis: [^<]+<\/title>/);
    const widget = await (await fetch(`${server.url}/pages/kiri/widget/`)).text();
    expect(widget).toMatch(/<title>Kiritimati page: [^<]+<\/title>/);
    expect(widget).toContain('<h1>Kiritimati page</h1>');
    expect(widget).toContain('<span>Kiri redis</span>');
    expect(titleOf(await (await fetch(`${server.url}/pages/kiri/en/history/`)).text())).toBe('Incident history – Kiritimati page');
  });
});
