import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_VERSION } from '../probe/index.ts';
import { ROOT, runCli, startServer, type RunningServer } from './support/run-cli.ts';
import { createTestCa, issueCertificate } from './support/certificates.ts';
import { startHttpsServer, type TestServer } from './support/servers.ts';
import { chromiumPath, CHROMIUM_ARGS, axeViolations } from './support/browser.ts';
import { result } from './support/fixtures.ts';

const title = chromiumPath ? 'SLA report and response-time charts in Chromium' : 'SLA report and response-time charts in Chromium (skipped: no Chromium found; install it or set CHROMIUM_PATH)';
const HOUR_MS = 3_600_000;
const ZONE = 'Europe/Copenhagen';
const WIDTHS = [320, 390, 768, 1280];
const LOCALES = { da: 'da-DK', en: 'en-GB', it: 'it-IT' } as const;

describe.skipIf(!chromiumPath)(title, () => {
  let target: TestServer;
  let server: RunningServer;
  let browser: Browser;
  const month = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
  // every 90 minutes for 20 days, from a minute ago back: response times 80–320 ms; every seventh a timeout, which is no answer
  const sent = Array.from({ length: 20 * 16 }, (_, i) => {
    const down = i % 7 === 6;
    return result({ componentId: 'sso', regionId: 'oslo', startedAt: new Date(Date.now() - 60_000 - i * 1.5 * HOUR_MS).toISOString(), outcome: down ? 'down' : 'up', reason: down ? 'timeout' : undefined, durationMs: down ? 10_000 : 80 + ((i * 53) % 25) * 10 });
  });
  const answered = sent.filter((r) => r.outcome === 'up');

  beforeAll(async () => {
    const ca = await createTestCa();
    target = await startHttpsServer(await issueCertificate({ ca, ipAddresses: ['127.0.0.1'] }), (_q, res) => res.end('ok'));
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-report-'));
    const env = { STATUSVAKT_DATA_DIR: join(dir, 'data'), STATUSVAKT_PROBE_CA_FILE: join(dir, 'ca.pem') };
    writeFileSync(join(dir, 'ca.pem'), ca.certPem);
    writeFileSync(
      join(dir, 'config.yaml'),
      `regions: [{ id: local }, { id: oslo }]
organisations: [{ id: kommune, name: Kommune }]
slaProfiles:
  - id: basic
    name: 99.5 % around the clock
    availabilityTargetPercent: 99.5
    categories:
      - { id: access, name: { da: Adgang og autorisation, en: Access and authorisation, it: Accesso e autorizzazione }, criticality: 5 }
      - { id: selfservice, name: { da: Selvbetjening, en: Self-service, it: Self-service }, criticality: 3 }
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus, en: Service status, it: Stato dei servizi }
    languages: [da, en, it]
    groups:
      - id: login
        name: { da: Login, en: Sign-in, it: Accesso }
        components:
          - id: sso
            name: { da: Fælles login for medarbejdere, en: Single sign-on for staff, it: Accesso unico per il personale }
            slaProfile: basic
            serviceCategory: access
            checks: [{ kind: https, url: "${target.url}", intervalSeconds: 60 }]
          - id: booking
            name: { da: Booking af lokaler, en: Room booking, it: Prenotazione delle sale }
            slaProfile: basic
            serviceCategory: selfservice
            checks: [{ kind: https, url: "${target.url}", intervalSeconds: 60 }]
`,
    );
    // the first start loads the config, so the remote region exists for its token
    server = await startServer(['start', '--config', join(dir, 'config.yaml')], env);
    await server.stop();
    const token = await runCli(['probe-token', 'create', '--region', 'oslo'], env);
    if (token.code !== 0) throw new Error(token.stderr);
    const user = await runCli(['user', 'add', '--email', 'op@kommune.example', '--role', 'operator', '--all-organisations'], { ...env, STATUSVAKT_USER_PASSWORD: 'operator password 123' });
    if (user.code !== 0) throw new Error(user.stderr);
    server = await startServer(['start', '--config', join(dir, 'config.yaml')], env);

    // twenty days of a remote region's results, through the probe API as a probe would send them
    const ingest = await fetch(`${server.url}/api/v1/probe/results`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.stdout.trim()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ version: CONTRACT_VERSION, regionId: 'oslo', results: sent }),
    });
    const outcome = (await ingest.json()) as { accepted: number; rejected: unknown[] };
    expect(outcome.rejected).toEqual([]);
    expect(outcome.accepted).toBe(sent.length);

    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: 'operator password 123' }) });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const auth = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
    const post = async (path: string, body: object) => {
      const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
      if (response.status !== 201 && response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    };
    await post('/api/v1/exclusions', { componentIds: ['sso'], start: new Date(Date.now() - 3 * 86_400_000).toISOString(), end: new Date(Date.now() - 3 * 86_400_000 + HOUR_MS).toISOString(), reason: 'network_fault', note: 'Fibre cut by road works outside our network' });
    await post('/api/v1/incidents', { pageId: 'status', title: { da: 'Login er langsomt', en: 'Sign-in is slow', it: 'Accesso lento' }, priority: 'B', componentIds: ['sso'] });
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await target?.close();
  });

  /** Opens a page once its snapshot has caught up with what was just written. */
  const openWhen = async (page: Page, path: string, ready: () => Promise<boolean>) => {
    await expect
      .poll(async () => {
        await page.goto(`${server.url}${path}`);
        return ready();
      }, { timeout: 30_000 })
      .toBe(true);
  };

  const oslo = (page: Page) => page.locator('section.region', { has: page.locator('h3', { hasText: 'oslo' }) });

  it.each(['da', 'en', 'it'] as const)('draws the response times of the last 24 hours and 30 days per region, with the figures in words (%s)', async (language) => {
    const page = await browser.newPage({ bypassCSP: true });
    await openWhen(page, `/${language === 'da' ? '' : `${language}/`}components/sso/`, async () => (await oslo(page).count()) === 1);
    const hours = oslo(page).locator('figure[data-unit="hour"]');
    const days = oslo(page).locator('figure[data-unit="day"]');
    // the hours the chart covers, as it says in its table: from the first hour's start to now
    const firstHour = Date.parse((await hours.locator('tbody time').first().getAttribute('datetime'))!);
    expect(await hours.locator('tbody tr').count()).toBe(24);
    expect(await days.locator('tbody tr').count()).toBe(30);
    const lastDay = answered.filter((r) => Date.parse(r.startedAt) >= firstHour);
    expect(await hours.locator('circle.point').count()).toBe(new Set(lastDay.map((r) => Math.floor(Date.parse(r.startedAt) / HOUR_MS))).size);
    const localDays = new Set(answered.map((r) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(r.startedAt))));
    expect(await days.locator('circle.point').count()).toBe(localDays.size);
    // the sentence states the real figures: the mean of the answered results and how many there were
    const number = (value: number) => new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: 0 }).format(value);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const hourSummary = await hours.locator('.summary').innerText();
    expect(hourSummary).toContain(`${number(mean(lastDay.map((r) => r.durationMs)))} ms`);
    expect(hourSummary).toContain(String(lastDay.length));
    const daySummary = await days.locator('.summary').innerText();
    expect(daySummary).toContain(`${number(mean(answered.map((r) => r.durationMs)))} ms`);
    expect(daySummary).toContain(String(answered.length));
    // the same figures as JSON, linked from the page
    const json = await fetch(`${server.url}${await page.locator('.latency-section').getByRole('link', { name: 'JSON' }).getAttribute('href')}`);
    const region = ((await json.json()) as { regions: { regionId: string; days: { samples: number }[] }[] }).regions.find((r) => r.regionId === 'oslo')!;
    expect(region.days.reduce((n, d) => n + d.samples, 0)).toBe(answered.length);
    // the picture is named by its heading and sentence, and no script draws it
    expect(await days.locator('svg').getAttribute('role')).toBe('img');
    expect(await page.locator('main script').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  }, 60_000);

  it.each(['da', 'en', 'it'] as const)('shows the SLA report in the reader\'s language: names, totals, fulfilment per priority, exclusions (%s)', async (language) => {
    const page = await browser.newPage({ bypassCSP: true });
    const prefix = language === 'da' ? '' : `${language}/`;
    await openWhen(page, `/${prefix}sla/${month}/`, async () => (await page.locator('main').innerText()).includes('Fibre cut') && (await page.locator('table.fulfilment tbody tr').count()) > 0);
    const main = await page.locator('main').innerText();
    const names = { da: ['Fælles login for medarbejdere', 'Adgang og autorisation'], en: ['Single sign-on for staff', 'Access and authorisation'], it: ['Accesso unico per il personale', 'Accesso e autorizzazione'] } as const;
    for (const name of names[language]) expect(main).toContain(name);
    for (const other of Object.entries(names).filter(([l]) => l !== language)) for (const name of other[1]) if (!names[language].includes(name as never)) expect(main).not.toContain(name);
    // totals: the page, then each category
    expect(await page.locator('section.totals tbody th').allInnerTexts()).toEqual([
      { da: 'Alle tjenester samlet', en: 'All services together', it: 'Tutti i servizi insieme' }[language],
      names[language][1],
      { da: 'Selvbetjening', en: 'Self-service', it: 'Self-service' }[language],
    ]);
    // the one incident, of priority B, in the fulfilment table
    const rows = page.locator('table.fulfilment tbody tr');
    const b = rows.filter({ has: page.locator('th', { hasText: /^B$/ }) });
    expect(await b.locator('td').first().innerText()).toBe('1');
    expect(await page.locator('.exclusions').innerText()).toContain({ da: 'Generel netværksfejl', en: 'General network fault', it: 'Guasto generale della rete' }[language]);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  }, 60_000);

  it('calls a month before monitoring began "not measured", never "final"', async () => {
    const page = await browser.newPage({ bypassCSP: true });
    const [year, m] = month.split('-').map(Number) as [number, number];
    const earlier = `${m <= 2 ? year - 1 : year}-${String(((m + 9) % 12) + 1).padStart(2, '0')}`; // two months back: final by the calendar
    await page.goto(`${server.url}/en/sla/${earlier}/`);
    const status = await page.locator('.report-status').innerText();
    expect(status).toContain('Not measured');
    expect(status).not.toContain('Final');
    expect(await page.locator('section.totals tbody td').first().innerText()).toBe('Not measured');
    await page.goto(`${server.url}/sla/${earlier}/`);
    expect(await page.locator('.report-status').innerText()).toContain('Ikke målt');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('has no axe-core violations in the dark scheme either', async () => {
    const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 390, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    for (const path of [`/sla/${month}/`, `/en/sla/${month}/`, '/components/sso/', '/it/components/sso/']) {
      await page.goto(`${server.url}${path}`);
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')));
      expect(await axeViolations(page), path).toEqual([]);
    }
    await context.close();
  }, 60_000);

  it.each(WIDTHS)('fits %i px with no horizontal scrolling, every detail open (screenshots in test-artifacts/reflow/)', async (width) => {
    const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    for (const [label, path] of [['sla-report-da', `/sla/${month}/`], ['sla-report-it', `/it/sla/${month}/`], ['component-chart-da', '/components/sso/'], ['component-chart-en', '/en/components/sso/']] as const) {
      await page.goto(`${server.url}${path}`);
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')));
      const overflow = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
        // nothing inside the column scrolls sideways either: the tables and charts fit
        wider: [...document.querySelectorAll('main table, main svg, main .card')].filter((el) => el.getBoundingClientRect().right > (document.querySelector('main')!.getBoundingClientRect().right + 0.5)).map((el) => el.tagName.toLowerCase()),
      }));
      mkdirSync(join(ROOT, 'test-artifacts/reflow'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'test-artifacts/reflow', `${label}-${width}.png`), fullPage: true });
      expect(overflow.wider, `${path} at ${width}`).toEqual([]);
      expect(overflow.scrollWidth, `${path} at ${width}`).toBeLessThanOrEqual(overflow.viewport);
      if (width === 320) expect(await axeViolations(page), `${path} at ${width}`).toEqual([]);
    }
    await context.close();
  }, 60_000);
});
