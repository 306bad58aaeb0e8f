import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, startServer, type RunningServer } from './support/run-cli.ts';
import { createTestCa, issueCertificate } from './support/certificates.ts';
import { startHttpsServer, type TestServer } from './support/servers.ts';
import { chromiumPath, CHROMIUM_ARGS, axeViolations } from './support/browser.ts';



const title = chromiumPath ? 'incident history in Chromium' : 'incident history in Chromium (skipped: no Chromium found; install it or set CHROMIUM_PATH)';

describe.skipIf(!chromiumPath)(title, () => {
  let target: TestServer;
  let server: RunningServer;
  let browser: Browser;
  let incidentId: string;
  let waterIncidentId: string;

  beforeAll(async () => {
    const ca = await createTestCa();
    target = await startHttpsServer(await issueCertificate({ ca, ipAddresses: ['127.0.0.1'] }), (_q, res) => res.end('ok'));
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-history-'));
    writeFileSync(join(dir, 'ca.pem'), ca.certPem);
    writeFileSync(
      join(dir, 'config.yaml'),
      `organisations: [{ id: kommune, name: Kommune }]
slaProfiles: [{ id: basic, name: 99.9 % around the clock, availabilityTargetPercent: 99.9 }]
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus, en: Service status }
    languages: [da, en, sv]
    accessibility: { email: tilgaengelighed@kommune.example, phone: "+45 12 34 56 78", reviewed: 2026-11-01 }
    groups:
      - id: login
        name: { da: Login, en: Sign-in }
        components:
          - id: sso
            name: { da: Fælles login, en: Single sign-on }
            slaProfile: basic
            checks: [{ kind: https, url: "${target.url}", intervalSeconds: 60 }]
  - id: water
    organisation: kommune
    name: Vand
    languages: [da]
    recentlyResolvedHours: 0
    groups:
      - id: pumps
        name: Pumper
        components:
          - id: pump
            name: Pumpestation
            checks: [{ kind: https, url: "${target.url}", intervalSeconds: 60 }]
  - id: roads
    organisation: kommune
    name: { da: Veje, en: Roads, it: Strade }
    languages: [da, en, it]
    groups:
      - id: gates
        name: Bomme
        components:
          - id: gate
            name: { da: Bom, en: Barrier, it: Sbarra }
            checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 5 }]
`,
    );
    const user = await runCli(['user', 'add', '--email', 'op@kommune.example', '--role', 'operator', '--all-organisations'], { STATUSVAKT_DATA_DIR: join(dir, 'data'), STATUSVAKT_USER_PASSWORD: 'operator password 123' });
    if (user.code !== 0) throw new Error(user.stderr);
    server = await startServer(['start', '--config', join(dir, 'config.yaml')], { STATUSVAKT_DATA_DIR: join(dir, 'data'), STATUSVAKT_PROBE_CA_FILE: join(dir, 'ca.pem') });

    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: 'operator password 123' }) });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const auth = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
    const post = async (path: string, body: object) => {
      const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
      if (response.status !== 201 && response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as { id?: string; incident?: { id: string; version: number }; version?: number };
    };
    const version = async (id: string) => ((await (await fetch(`${server.url}/api/v1/incidents/${id}`, { headers: auth })).json()) as { incident: { version: number } }).incident.version;
    // an incident told in Danish and English only, resolved, with a post-incident report
    const opened = await post('/api/v1/incidents', { pageId: 'status', title: { da: 'Login virker ikke', en: 'Sign-in fails' }, priority: 'B', componentIds: ['sso'] });
    incidentId = (opened.incident?.id ?? opened.id)!;
    await post(`/api/v1/incidents/${incidentId}/updates`, { expectedVersion: await version(incidentId), step: 'nature', body: { da: 'Certifikatet er udløbet.', en: 'The certificate expired.' } });
    await post(`/api/v1/incidents/${incidentId}/updates`, { expectedVersion: await version(incidentId), step: 'operation_normal', body: { da: 'Login virker igen.', en: 'Sign-in works again.' } });
    await post(`/api/v1/incidents/${incidentId}/updates`, { expectedVersion: await version(incidentId), step: 'post_incident_report', body: { da: 'Vi overvåger nu udløbsdatoen.', en: 'We now monitor the expiry date.' } });
    // on a page that keeps resolved incidents off its front page
    const water = await post('/api/v1/incidents', { pageId: 'water', title: 'Trykfald', priority: 'C', componentIds: ['pump'] });
    waterIncidentId = (water.incident?.id ?? water.id)!;
    await post(`/api/v1/incidents/${waterIncidentId}/updates`, { expectedVersion: await version(waterIncidentId), step: 'operation_normal' });
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await target?.close();
  });

  it('serves the history as public JSON from a snapshot, every update with its step, the text language named', async () => {
    const response = await fetch(`${server.url}/api/v1/pages/status/incidents?lang=sv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBeTruthy();
    const body = (await response.json()) as { page: { recentlyResolvedHours: number }; incidents: { id: string; title: { text: string; language: string }; resolvedAt: string | null; updates: { step: string }[] }[] };
    expect(body.page.recentlyResolvedHours).toBe(24);
    const [incident] = body.incidents;
    expect(incident?.id).toBe(incidentId);
    expect(incident?.title).toEqual({ text: 'Login virker ikke', language: 'da' }); // no Swedish: the default language, saying so
    expect(incident?.resolvedAt).not.toBeNull();
    expect(incident?.updates.map((u) => u.step)).toEqual(['nature', 'operation_normal', 'post_incident_report']);
    expect((await fetch(`${server.url}/api/v1/pages/status/incidents/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/v1/pages/nope/incidents`)).status).toBe(404);
  });

  it('keeps a resolved incident on the front page under "recently resolved", linking its own page with the whole timeline', async () => {
    const page = await browser.newPage({ bypassCSP: true });
    await page.goto(`${server.url}/en/`);
    const resolved = page.locator('section', { has: page.locator('h2', { hasText: 'Recently resolved' }) });
    await resolved.getByRole('link', { name: 'Sign-in fails' }).click();
    await page.waitForURL(`${server.url}/en/incidents/${incidentId}/`);
    expect(await page.locator('h1').innerText()).toBe('Sign-in fails');
    const facts = await page.locator('dl.facts').innerText();
    expect(facts).toMatch(/Started\s+\d/);
    expect(facts).toMatch(/Resolved\s+\d/);
    expect(facts).toMatch(/Duration\s+(0|\d+ min)/);
    expect(facts).toContain('Single sign-on');
    const report = page.locator('section', { has: page.locator('h2', { hasText: 'Post-incident report' }) });
    expect(await report.innerText()).toContain('We now monitor the expiry date.');
    const steps = await page.locator('ol.timeline > li .step').allInnerTexts();
    expect(steps.map((s) => s.split(' · ').slice(0, 2).join(' · '))).toEqual(['Back to normal · Resolved', 'Nature of the fault · Identified']);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('shows a text missing in the reader\'s language in the default one, marked with its language', async () => {
    const page = await browser.newPage({ bypassCSP: true });
    await page.goto(`${server.url}/sv/incidents/${incidentId}/`);
    const heading = page.locator('h1');
    expect(await heading.locator('[lang="da-DK"]').innerText()).toBe('Login virker ikke');
    expect(await heading.locator('.lang-note').innerText()).toBe('(Endast skriven på Dansk.)');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('lists incidents by month, newest first, in a paged history; unknown pages and incidents are 404', async () => {
    const page = await browser.newPage({ bypassCSP: true });
    await page.goto(`${server.url}/en/`);
    await page.getByRole('link', { name: 'Incident history' }).click();
    await page.waitForURL(`${server.url}/en/history/`);
    const month = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'Europe/Copenhagen' }).format(new Date());
    expect(await page.locator('main h2').first().innerText()).toBe(month);
    expect(await page.locator('.entry a').allInnerTexts()).toEqual(['Sign-in fails']);
    expect(await page.locator('.entry .meta').first().innerText()).toMatch(/^Incident · Follow-up · /);
    expect(await axeViolations(page)).toEqual([]);
    expect((await page.goto(`${server.url}/en/history/2/`))?.status()).toBe(404);
    expect((await page.goto(`${server.url}/en/incidents/00000000-0000-4000-8000-000000000000/`))?.status()).toBe(404);
    expect((await page.goto(`${server.url}/pages/water/incidents/${incidentId}/`))?.status()).toBe(404); // another page's incident
    await page.close();
  });

  it('leaves resolved incidents off the front page of a page configured with 0 hours, but keeps them in its history', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/pages/water/`);
    expect(await page.locator('h2', { hasText: 'Løst for nylig' }).count()).toBe(0);
    await page.goto(`${server.url}/pages/water/history/`);
    expect(await page.locator('.entry a').allInnerTexts()).toEqual(['Trykfald']);
    expect(await page.locator('.entry a').getAttribute('href')).toBe(`/pages/water/incidents/${waterIncidentId}/`);
    await page.close();
  });

  it('explains a component that is not operational in residents\' words, the technical reason one click away', async () => {
    const page = await browser.newPage({ bypassCSP: true });
    const why = page.locator('.why li');
    await expect
      .poll(async () => {
        await page.goto(`${server.url}/pages/roads/en/components/gate/`);
        return why.count();
      }, { timeout: 20_000 })
      .toBe(1);
    expect(await page.locator('h1').innerText()).toBe('Barrier');
    expect(await page.locator('.badge').innerText()).toContain('Unavailable');
    expect(await why.innerText()).toContain('The service is not accepting visitors: it is probably stopped.');
    expect(await why.locator('details p').isVisible()).toBe(false);
    await why.locator('summary').click();
    expect(await why.locator('details p').innerText()).toMatch(/^connection refused \(connect_refused/);
    expect(await page.locator('ol.bar > li').count()).toBe(90);
    expect(await axeViolations(page)).toEqual([]);
    // the same in Italian
    await page.goto(`${server.url}/pages/roads/it/components/gate/`);
    expect(await why.innerText()).toContain('Il servizio non accetta visitatori: probabilmente è fermo.');
    expect(await axeViolations(page)).toEqual([]);
    expect((await page.goto(`${server.url}/pages/roads/en/components/nope/`))?.status()).toBe(404);
    expect((await page.goto(`${server.url}/en/components/gate/`))?.status()).toBe(404); // another page's component
    await page.close();
  });

  it('links each component from the front page to its own page with this month against its target and its incidents', async () => {
    const page = await browser.newPage({ bypassCSP: true });
    await page.goto(`${server.url}/en/`);
    await page.getByRole('link', { name: 'Single sign-on' }).click();
    await page.waitForURL(`${server.url}/en/components/sso/`);
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator('main').innerText();
      }, { timeout: 90_000 }) // the first check runs at its stable offset within its 60 s interval, then the snapshot refreshes
      .toMatch(/Availability this month: 100% \(target 99\.90*%\)/);
    const incidents = page.locator('section', { has: page.locator('h2', { hasText: 'Incident history' }) });
    expect(await incidents.getByRole('link').allInnerTexts()).toEqual(['Sign-in fails']);
    expect(await page.locator('section', { has: page.locator('h2', { hasText: 'Service windows' }) }).innerText()).toContain('No service windows are planned or recorded for this service.');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  }, 150_000);

  it('lists the service windows, upcoming and past, with the calendar feed', async () => {
    const page = await browser.newPage({ bypassCSP: true });
    await page.goto(`${server.url}/en/`);
    await page.getByRole('link', { name: 'Service windows' }).click();
    await page.waitForURL(`${server.url}/en/windows/`);
    expect(await page.locator('h1').innerText()).toBe('Service windows: Service status');
    expect(await page.locator('main').innerText()).toContain('No service windows are planned.');
    const feed = page.getByRole('link', { name: 'Add the service windows to your calendar (.ics)' });
    const href = await feed.getAttribute('href');
    expect(href).toBe('/api/v1/pages/status/feeds/windows.ics?lang=en');
    const ics = await fetch(`${server.url}${href}`);
    expect(ics.status).toBe(200);
    expect(await ics.text()).toContain('BEGIN:VCALENDAR');
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${server.url}/pages/water/windows/`);
    expect(await page.locator('h2').allInnerTexts()).toEqual(['Kommende og igangværende', 'Tidligere']);
    await page.close();
  });

  it('links the accessibility statement from the footer, with the feedback contact from the config', async () => {
    const page = await browser.newPage({ bypassCSP: true });
    await page.goto(`${server.url}/en/`);
    await page.locator('footer').getByRole('link', { name: 'Accessibility statement' }).click();
    await page.waitForURL(`${server.url}/en/accessibility/`);
    const main = await page.locator('main').innerText();
    expect(main).toContain('WCAG 2.1 at level AA');
    expect(main).toContain('EN 301 549');
    expect(await page.getByRole('link', { name: 'tilgaengelighed@kommune.example' }).getAttribute('href')).toBe('mailto:tilgaengelighed@kommune.example');
    expect(await page.getByRole('link', { name: '+45 12 34 56 78' }).getAttribute('href')).toBe('tel:+4512345678');
    expect(main).toContain('Statement last reviewed: 1 November 2026.');
    expect(await axeViolations(page)).toEqual([]);
    // from an incident's page too, and on a page without a contact, in its language
    await page.goto(`${server.url}/pages/water/history/`);
    await page.locator('footer').getByRole('link', { name: 'Tilgængelighedserklæring' }).click();
    await page.waitForURL(`${server.url}/pages/water/accessibility/`);
    expect(await page.locator('main').innerText()).toContain('Der er endnu ikke angivet en kontakt til tilgængelighedsfejl for denne side.');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it.each([320, 390])('reflows the history, incident, component, windows and accessibility pages at %i px (screenshots in test-artifacts/reflow/)', async (width) => {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    for (const [label, path] of [['history', '/en/history/'], ['incident', `/en/incidents/${incidentId}/`], ['component', '/pages/roads/en/components/gate/'], ['windows', '/en/windows/'], ['accessibility', '/en/accessibility/']] as const) {
      await page.goto(`${server.url}${path}`);
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')));
      const overflow = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth }));
      mkdirSync(join(ROOT, 'test-artifacts/reflow'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'test-artifacts/reflow', `${label}-${width}.png`), fullPage: true });
      expect(overflow.scrollWidth, `${path} at ${width}`).toBeLessThanOrEqual(overflow.viewport);
    }
    await context.close();
  });
});
