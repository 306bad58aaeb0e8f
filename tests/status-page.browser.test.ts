import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, issueCertificate } from './support/certificates.ts';
import { ROOT, runCli, startServer, type RunningServer } from './support/run-cli.ts';
import { startHttpsServer, type TestServer } from './support/servers.ts';
import { axeSource, axeViolations, chromiumPath, CHROMIUM_ARGS } from './support/browser.ts';




const title = chromiumPath ? 'status page in Chromium' : 'status page in Chromium (skipped: no Chromium found; install it or set CHROMIUM_PATH)';

describe.skipIf(!chromiumPath)(title, () => {
  let target: TestServer;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    const ca = await createTestCa();
    target = await startHttpsServer(await issueCertificate({ ca, ipAddresses: ['127.0.0.1'] }), (_q, res) => res.end('ok'));
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-browser-'));
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
    groups:
      - id: login
        name: { da: Login, en: Sign-in }
        components:
          - id: sso
            name: { da: Fælles login, en: Single sign-on }
            description: { da: Login for medarbejdere, en: Sign-in for staff }
            slaProfile: basic
            checks: [{ kind: https, url: "${target.url}", intervalSeconds: 5 }]
          - id: archive
            name: { da: Arkiv, en: Archive }
            slaProfile: basic
            checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 5 }]
`,
    );
    // an operator account, made with the CLI before the server takes the data folder
    const user = await runCli(['user', 'add', '--email', 'op@kommune.example', '--role', 'operator', '--all-organisations'], { STATUSVAKT_DATA_DIR: join(dir, 'data'), STATUSVAKT_USER_PASSWORD: 'operator password 123' });
    if (user.code !== 0) throw new Error(user.stderr);
    server = await startServer(['start', '--config', join(dir, 'config.yaml')], { STATUSVAKT_DATA_DIR: join(dir, 'data'), STATUSVAKT_PROBE_CA_FILE: join(dir, 'ca.pem') });
    // wait for both components to be measured (checks run every 5 s)
    for (let i = 0; i < 100; i++) {
      const status = (await (await fetch(`${server.url}/api/v1/pages/status/status`)).json()) as { groups: { components: { state: string }[] }[] };
      if (status.groups[0]!.components.every((c) => c.state !== 'unknown')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await target?.close();
  });

  it.each(['/', '/en/', '/sv/'])('has no axe-core violations at %s', async (path) => {
    const page = await browser.newPage({ bypassCSP: true });
    await page.goto(`${server.url}${path}`);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('shows each state in words, the last check time and the 90-day bar, without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/en/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en-GB');
    expect(await page.locator('h1').textContent()).toBe('Service status');
    const sso = page.locator('li.component', { has: page.locator('h3', { hasText: 'Single sign-on' }) });
    const archive = page.locator('li.component', { has: page.locator('h3', { hasText: 'Archive' }) });
    // the page is a snapshot refreshed after each state change, so it may trail the JSON read above by a refresh
    await expect
      .poll(
        async () => {
          await page.reload();
          return [await sso.locator('.badge').innerText(), await archive.locator('.badge').innerText()];
        },
        { timeout: 20_000, interval: 250 },
      )
      .toEqual([expect.stringContaining('Operational'), expect.stringContaining('Unavailable')]);
    // in residents' words, the technical reason one click away
    expect(await archive.locator('.reason-words .plain').innerText()).toBe('The service is not accepting visitors: it is probably stopped.');
    expect(await archive.locator('.reason-words details').textContent()).toContain('connection refused');
    expect(await sso.locator('.reason-words').count()).toBe(0);
    expect(await sso.locator('.checked time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await sso.locator('ol.bar > li').count()).toBe(90);
    expect(await sso.locator('figcaption').innerText()).toMatch(/100% uptime over the last 90 days/);
    expect(await page.locator('.overall h2').innerText()).toBe('Some services are unavailable');
    await context.close();
  });

  it('links to a readable SLA report of the month, with no axe-core violations', async () => {
    const page = await browser.newPage({ bypassCSP: true });
    await page.goto(`${server.url}/en/`);
    await page.getByRole('link', { name: 'SLA report for this month' }).click();
    await page.waitForURL(/\/en\/sla\/\d{4}-\d{2}\/$/);
    expect(await page.locator('h1').innerText()).toMatch(/^SLA report, \w+ \d{4}$/);
    expect(await page.locator('main').innerText()).toContain('Preliminary');
    const rows = page.locator('section', { has: page.locator('h2', { hasText: 'Services' }) }).locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.first().locator('th').innerText()).toBe('Single sign-on');
    expect(await page.getByRole('link', { name: 'Download as CSV' }).getAttribute('href')).toMatch(/^\/api\/v1\/sla\/pages\/status\/reports\/\d{4}-\d{2}\?format=csv$/);
    expect(await axeViolations(page)).toEqual([]);
    expect((await page.goto(`${server.url}/en/sla/2026-13/`))?.status()).toBe(404);
    await page.close();
  });

  it('shows the automatic incident with its timeline, operator text as text, and still no axe-core violations', async () => {
    // the refused component opened an incident by itself, with the "registered" step published
    let incident: { id: string } | undefined;
    for (let i = 0; i < 100 && !incident; i++) {
      incident = ((await (await fetch(`${server.url}/api/v2/incidents/unresolved.json?lang=en`)).json()) as { incidents: { id: string }[] }).incidents[0];
      if (!incident) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(incident).toBeDefined();
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: 'operator password 123' }) });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const auth = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
    const view = (await (await fetch(`${server.url}/api/v1/incidents/${incident!.id}`, { headers: auth })).json()) as { incident: { version: number } };
    const hostile = '<img src=x onerror="window.__pwned=1">The archive disk is being replaced';
    const posted = await fetch(`${server.url}/api/v1/incidents/${incident!.id}/updates`, { method: 'POST', headers: auth, body: JSON.stringify({ expectedVersion: view.incident.version, step: 'nature', body: { da: hostile, en: hostile, sv: hostile } }) });
    expect(posted.status).toBe(201);

    const page = await browser.newPage({ bypassCSP: true });
    await page.goto(`${server.url}/en/`);
    const notice = page.locator('section', { has: page.locator('h2', { hasText: 'Current incidents' }) });
    expect(await notice.locator('h3').first().innerText()).toBe('Archive: unavailable');
    const timeline = await notice.locator('.timeline').first().innerText();
    expect(timeline).toContain(hostile);
    expect(timeline).toContain('We have registered a problem with Archive and are investigating.');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('.timeline img').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('runs the console by keyboard: log in, publish the next step, schedule a window, see both on the public page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const refused: string[] = [];
    const watch = (p: import('playwright-core').Page) => p.on('console', (m) => (/Content Security Policy|Refused to/.test(m.text()) ? refused.push(m.text()) : undefined));
    watch(page);
    await page.goto(`${server.url}/console/`);
    await page.waitForURL(`${server.url}/console/login/`); // not logged in: sent to the login
    await page.getByLabel('E-mail').fill('op@kommune.example');
    await page.getByLabel('Password').fill('operator password 123');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/console/`);
    expect(await page.locator('h1').innerText()).toBe('Incidents');
    const row = page.locator('tbody tr', { hasText: 'Archive: unavailable' });
    expect(await row.locator('td').nth(0).innerText()).toBe('A');

    await row.getByRole('link').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/incidents\/[0-9a-f-]{36}\/$/);
    await page.getByLabel('Step', { exact: true }).selectOption('status_estimate');
    await page.getByRole('button', { name: 'Publish' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\?done=/);
    expect(await page.getByRole('status').innerText()).toBe('Update published.');
    expect(await page.locator('table').first().innerText()).toMatch(/status estimate\s.*\sfulfilled/);
    const axe = await page.evaluate(async (source) => {
      new Function(source)();
      return (window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string }[] }> } }).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] }, resultTypes: ['violations'] });
    }, axeSource);
    expect(axe.violations.map((v) => v.id)).toEqual([]);

    await page.getByRole('link', { name: 'Service windows' }).click();
    // written in the default language only: the console says who will read it in Danish instead
    await page.getByRole('group', { name: 'Title, in each language of the page' }).getByLabel('Danish (default language)').fill('Database upgrade');
    await page.getByRole('checkbox', { name: 'Single sign-on', exact: true }).check();
    const inOneHour = (hours: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(Date.now() + hours * 3_600_000)).replace(' ', 'T');
    await page.getByLabel('Planned start (Europe/Copenhagen time)').fill(inOneHour(1));
    await page.getByLabel('Planned end (Europe/Copenhagen time)').fill(inOneHour(2));
    await page.getByRole('button', { name: 'Schedule' }).click();
    await page.waitForURL(/\?done=/);
    expect(await page.getByRole('status').innerText()).toMatch(/^Window scheduled\. Not written in every language: English and Swedish readers see the Danish text, marked as Danish\.$/);

    const publicPage = await context.newPage();
    watch(publicPage);
    await publicPage.goto(`${server.url}/en/`);
    const maintenance = publicPage.locator('section', { has: publicPage.locator('h2', { hasText: 'Planned maintenance' }) });
    // written in one field, so in the page's default language: shown on the English page marked as Danish, never silently
    expect(await maintenance.locator('h3 span[lang="da-DK"]').innerText()).toBe('Database upgrade');
    expect(await maintenance.locator('h3').innerText()).toBe('Database upgrade (Written in Dansk only.)');
    const incidents = publicPage.locator('section', { has: publicPage.locator('h2', { hasText: 'Current incidents' }) });
    expect(await incidents.innerText()).toContain('We are still working on the problem with Archive. Expected fix: not known yet.');
    expect(refused).toEqual([]); // the console and the public page work under the strict Content-Security-Policy
    await context.close();
  });

  it('renders Danish by default and links every offered language', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('da-DK');
    expect(await page.locator('h1').textContent()).toBe('Driftsstatus');
    expect(await page.locator('nav .languages').innerText()).toMatch(/Dansk[\s\S]*English[\s\S]*Svenska/);
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(`${server.url}/en/`);
    expect(await page.locator('h1').textContent()).toBe('Service status');
    await page.close();
  });

  it('answers an unknown page or language with 404 in the page\'s language', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${server.url}/pages/nope/`);
    expect(response?.status()).toBe(404);
    // a page that does not exist has no language: the default page's is used, unless the address names one
    expect(await page.locator('main').innerText()).toContain('Denne statusside findes ikke.');
    expect((await page.goto(`${server.url}/pages/nope/en/`))?.status()).toBe(404);
    expect(await page.locator('main').innerText()).toContain('This status page does not exist.');
    expect((await page.goto(`${server.url}/it/`))?.status()).toBe(404); // not offered by this page
    await page.close();
  });

  // WCAG 1.4.10: reflow at 320 CSS px without scrolling in two directions; 200 % zoom of a 1,280 px window is 640 CSS px
  const widths = [
    { name: '320', width: 320, scale: 1 },
    { name: '390', width: 390, scale: 1 },
    { name: '768', width: 768, scale: 1 },
    { name: '1280', width: 1280, scale: 1 },
    { name: '1280-zoom-200', width: 640, scale: 2 },
    { name: '1920', width: 1920, scale: 1 },
  ];

  it('keeps still for a visitor who asks for reduced motion: no animation or transition anywhere', async () => {
    const context = await browser.newContext({ reducedMotion: 'reduce', bypassCSP: true });
    const page = await context.newPage();
    for (const path of ['/', '/en/', '/en/history/', '/en/windows/']) {
      await page.goto(`${server.url}${path}`);
      expect(await page.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches)).toBe(true);
      const moving = await page.evaluate(() =>
        [...document.querySelectorAll('*')].flatMap((el) => {
          const style = getComputedStyle(el);
          const durations = `${style.animationDuration},${style.transitionDuration}`.split(',').map((d) => parseFloat(d));
          return style.animationName !== 'none' || durations.some((d) => d > 0) ? [el.tagName] : [];
        }),
      );
      expect(moving, path).toEqual([]);
    }
    await context.close();
  });
  it.each(widths)('reflows at $name px with no horizontal scrolling, every card inside the screen (screenshots in test-artifacts/reflow/)', async ({ name, width, scale }) => {
    const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: scale, bypassCSP: true });
    const page = await context.newPage();
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
    for (const [label, path] of [['status', '/en/'], ['status-da', '/'], ['report', `/en/sla/${month}/`]] as const) {
      await page.goto(`${server.url}${path}`);
      // open every detail, as a visitor might, so hidden content is measured too
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')));
      const overflow = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
        outside: [...document.querySelectorAll('li.component, .overall, .badge, ol.bar, header, footer, main > *')]
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
          .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
      }));
      mkdirSync(join(ROOT, 'test-artifacts/reflow'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'test-artifacts/reflow', `${label}-${name}.png`), fullPage: true });
      expect(overflow.outside, `${path} at ${name}`).toEqual([]);
      expect(overflow.scrollWidth, `${path} at ${name}`).toBeLessThanOrEqual(overflow.viewport);
    }
    if (width === 320) expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
