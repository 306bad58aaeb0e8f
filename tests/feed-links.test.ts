import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, postgresAdminUrl } from './support/databases.ts';
import { ONE_PAGE_CONFIG } from './support/one-page-config.ts';
import { runCli, startServer, type RunningServer } from './support/run-cli.ts';

// a second page in Danish only: its addresses carry /pages/water, and never a language
const CONFIG = `${ONE_PAGE_CONFIG}  - id: water
    organisation: kommune
    name: Vand
    languages: [da]
    groups:
      - id: pumps
        name: Pumper
        components:
          - id: pump
            name: Pumpestation
            checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 60 }]
`;
const PASSWORD = 'operator password 123';
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
type Entry = { id: string; link: { '@href': string } };
// the kept copies name the installation's public address (here http://localhost:PORT), so paths are compared
const pathOf = (url: string) => new URL(url).pathname;

describe.skipIf(!postgresAdminUrl)('feed links open the incident\'s and the window\'s own pages on the running site', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let server: RunningServer;
  let incidentId: string;
  let waterIncidentId: string;
  let windowId: string;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-feed-links-'));
    writeFileSync(join(dir, 'config.yaml'), CONFIG);
    server = await startServer(['serve', '--config', join(dir, 'config.yaml')], { DATABASE_URL: database.url });
    const user = await runCli(['user', 'add', '--email', 'op@kommune.example', '--role', 'operator', '--all-organisations'], { DATABASE_URL: database.url, STATUSVAKT_USER_PASSWORD: PASSWORD });
    if (user.code !== 0) throw new Error(user.stderr);
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: PASSWORD }) });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const auth = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
    const post = async (path: string, body: object) => {
      const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
      if (response.status !== 201 && response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as { id?: string; incident?: { id: string }; window?: { id: string } };
    };
    const opened = await post('/api/v1/incidents', { pageId: 'status', title: { da: 'Hjemmesiden er nede <b>&</b>', en: 'The website is down <b>&</b>' }, priority: 'B', componentIds: ['web'] });
    incidentId = (opened.incident?.id ?? opened.id)!;
    const water = await post('/api/v1/incidents', { pageId: 'water', title: 'Trykfald', priority: 'C', componentIds: ['pump'] });
    waterIncidentId = (water.incident?.id ?? water.id)!;
    const start = new Date(Date.now() + 2 * 86_400_000);
    windowId = (await post('/api/v1/windows', { componentIds: ['web'], title: { da: 'Opgradering', en: 'Upgrade' }, plannedStart: start.toISOString(), plannedEnd: new Date(start.getTime() + 3_600_000).toISOString() })).window!.id;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  /** The feed's entries once the kept copy has caught up with the changes made in beforeAll. */
  const entriesOf = async (path: string, expected: number): Promise<Entry[]> => {
    let entries: Entry[] = [];
    await expect
      .poll(async () => {
        entries = [xml.parse(await (await fetch(`${server.url}${path}`)).text()).feed.entry ?? []].flat() as Entry[];
        return entries.length;
      }, { timeout: 20_000, interval: 200 })
      .toBe(expected);
    return entries;
  };

  it('links each Atom entry of the English feed to its own page, which answers 200', async () => {
    const entries = await entriesOf('/api/v1/pages/status/feeds/incidents.atom?lang=en', 2);
    const linkOf = (suffix: string) => entries.find((e) => e.id.endsWith(suffix))!.link['@href'];
    expect(pathOf(linkOf(`#incident-${incidentId}`))).toBe(`/en/incidents/${incidentId}/`);
    expect(pathOf(linkOf(`#maintenance-${windowId}`))).toBe(`/en/windows/${windowId}/`);
    const incidentPage = await fetch(linkOf(`#incident-${incidentId}`));
    expect(incidentPage.status).toBe(200);
    expect(await incidentPage.text()).toContain('The website is down &lt;b&gt;&amp;&lt;/b&gt;');
    const windowPage = await fetch(linkOf(`#maintenance-${windowId}`));
    expect(windowPage.status).toBe(200);
    expect(await windowPage.text()).toContain('Upgrade');
  });

  it('links an entry of another page, in its default language, to that page\'s incident page', async () => {
    const [entry] = await entriesOf('/api/v1/pages/water/feeds/incidents.atom', 1);
    expect(pathOf(entry!.link['@href'])).toBe(`/pages/water/incidents/${waterIncidentId}/`);
    expect((await fetch(entry!.link['@href'])).status).toBe(200);
  });

  it('gives each calendar event the window\'s own page, which answers 200', async () => {
    const response = await fetch(`${server.url}/api/v1/pages/status/feeds/windows.ics`);
    const [event] = new ICAL.Component(ICAL.parse(await response.text())).getAllSubcomponents('vevent');
    const url = event!.getFirstPropertyValue('url') as string;
    expect(pathOf(url)).toBe(`/windows/${windowId}/`);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Opgradering');
  });
});
