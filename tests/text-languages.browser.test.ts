import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeSource, chromiumPath, CHROMIUM_ARGS } from './support/browser.ts';
import { createPostgresDatabase, postgresAdminUrl } from './support/databases.ts';
import { runCli, startServer, type RunningServer } from './support/run-cli.ts';

const title = chromiumPath ? 'incident and window texts in every page language, from the console to the page, in Chromium' : 'incident and window texts in every page language (skipped: no Chromium found; install it or set CHROMIUM_PATH)';
const PASSWORD = 'operator password 123';

/** axe-core's WCAG 2.1 A/AA violations, run with the page's CSP left on. */
async function axe(page: Page): Promise<string[]> {
  const result = await page.evaluate(async (source) => {
    new Function(source)();
    return (window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string }[] }> } }).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
  }, axeSource);
  return result.violations.map((v) => v.id);
}

/** How far the page is wider than the window (0: no horizontal scrolling). */
const overflowPx = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe.skipIf(!chromiumPath)(title, () => {
  let server: RunningServer;
  let browser: Browser;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-languages-'));
    writeFileSync(
      join(dir, 'config.yaml'),
      `organisations: [{ id: kommune, name: Kommune }]
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus, en: Service status }
    defaultLanguage: da
    languages: [da, en]
    timeZone: Europe/Copenhagen
    groups:
      - id: g
        name: { da: Tjenester, en: Services }
        components:
          - id: archive
            name: { da: Arkiv, en: Archive }
            checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 3600 }]
          - id: booking
            name: { da: Booking, en: Booking }
            checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 3600 }]
`,
    );
    const env: Record<string, string> = { TZ: 'UTC', STATUSVAKT_DATA_DIR: join(dir, 'data'), STATUSVAKT_USER_PASSWORD: PASSWORD };
    if (postgresAdminUrl) {
      const database = await createPostgresDatabase();
      env.DATABASE_URL = database.url;
      drop = database.drop;
    }
    const user = await runCli(['user', 'add', '--email', 'op@kommune.example', '--role', 'operator', '--all-organisations'], env);
    if (user.code !== 0) throw new Error(user.stderr);
    server = await startServer(['serve', '--config', join(dir, 'config.yaml')], env);
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await drop?.();
  });

  async function logIn(width = 1280): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/console/login/`);
    await page.getByLabel('E-mail').fill('op@kommune.example');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/console/`);
    return page;
  }

  it('opens an incident titled in Danish and English, publishes updates with a language missing, and each page shows its own text or the Danish one marked', async () => {
    const page = await logIn();
    await page.getByRole('link', { name: 'Open an incident' }).click();
    await page.waitForURL(`${server.url}/console/incidents/new/`);
    const titles = page.getByRole('group', { name: 'Title, in each language of the page' });
    // nothing written yet: both languages are marked missing, beside the fields and above the button
    expect(await page.locator('#open-languages').innerText()).toContain('Title: Danish, English');
    await titles.getByLabel('Danish (default language)').fill('Arkivet svarer ikke');
    await page.getByLabel('Archive (archive)').check(); // the component's name in the console's language (English here)
    await page.getByLabel('Priority').selectOption('B'); // a priority with a communication plan: its first step, "registered", is next
    await page.getByRole('button', { name: 'Check the languages' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#open-languages').innerText()).toContain('Title: English');
    expect(await titles.locator('.missing-note').innerText()).toBe('Missing. English readers see the Danish text, marked as Danish.');
    expect(await titles.getByLabel('English').getAttribute('aria-describedby')).toBe('title-en-missing');
    expect(await axe(page)).toEqual([]);
    await titles.getByLabel('English').fill('The archive does not answer');
    await page.getByRole('button', { name: 'Open incident' }).click();
    await page.waitForURL(/\/console\/incidents\/[0-9a-f-]{36}\/\?done=/);
    const incidentId = /incidents\/([0-9a-f-]{36})\//.exec(page.url())![1]!;
    expect(await page.getByRole('status').innerText()).toBe('Incident opened.');

    // the update's fields start from the step's template in each language
    const texts = page.getByRole('group', { name: "The update's text, in each language of the page" });
    expect(await texts.getByLabel('Danish (default language)').inputValue()).toBe('Vi har registreret et problem med Arkiv og undersøger det.');
    expect(await texts.getByLabel('English').inputValue()).toBe('We have registered a problem with Archive and are investigating.');
    expect(await page.locator('#publish-languages').innerText()).toContain('Written in every language of the page.');
    await texts.getByLabel('Danish (default language)').fill('Vi genstarter arkivets server.');
    await texts.getByLabel('English').fill('We are restarting the archive server.');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL(/\?done=/);
    expect(await page.getByRole('status').innerText()).toBe('Update published.');

    // the next one in Danish only: the console says English is missing before it is published, and after
    await page.getByLabel('Step', { exact: true }).selectOption('status_estimate');
    await texts.getByLabel('Danish (default language)').fill('Serveren er genstartet; vi følger den.');
    await texts.getByLabel('English').fill('');
    await page.getByRole('button', { name: 'Check the languages' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#publish-languages').innerText()).toContain('Update text: English');
    expect(await page.locator('#publish-languages').innerText()).toContain('You may publish now: English readers see the Danish text, marked as Danish.');
    expect(await texts.getByLabel('Danish (default language)').inputValue()).toBe('Serveren er genstartet; vi følger den.'); // kept as typed
    expect(await axe(page)).toEqual([]);
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL(/\?done=/);
    expect(await page.getByRole('status').innerText()).toBe('Update published. English readers see the Danish text, marked as Danish.');

    const reader = await browser.newContext();
    const publicPage = await reader.newPage();
    const english = publicPage.locator('main');
    // served from a snapshot refreshed just after a write: wait for the last update to arrive
    await expect.poll(async () => (await publicPage.goto(`${server.url}/en/incidents/${incidentId}/`), english.innerText()), { timeout: 15_000 }).toContain('Serveren er genstartet');
    expect(await english.innerText()).toContain('The archive does not answer');
    expect(await english.innerText()).toContain('We are restarting the archive server.');
    expect(await english.innerText()).not.toContain('Vi genstarter');
    // the Danish-only update: shown in Danish, with its language on the element and a visible note
    const fallback = english.locator('span[lang="da-DK"]', { hasText: 'Serveren er genstartet; vi følger den.' });
    expect(await fallback.count()).toBe(1);
    expect(await english.innerText()).toContain('Serveren er genstartet; vi følger den. (Written in Dansk only.)');
    await publicPage.goto(`${server.url}/incidents/${incidentId}/`);
    const danish = await publicPage.locator('main').innerText();
    expect(danish).toContain('Arkivet svarer ikke');
    expect(danish).toContain('Vi genstarter arkivets server.');
    expect(danish).not.toContain('Kun skrevet på');
    // the front page and the history say the same
    await publicPage.goto(`${server.url}/en/`);
    expect(await publicPage.locator('main').innerText()).toContain('Serveren er genstartet; vi følger den. (Written in Dansk only.)');
    await publicPage.goto(`${server.url}/en/history/`);
    expect(await publicPage.locator('main').innerText()).toContain('The archive does not answer');
    await reader.close();
    await page.context().close();
  }, 120_000);

  it('schedules a window with title and description in two languages: on the page and in the calendar in each', async () => {
    const page = await logIn();
    await page.goto(`${server.url}/console/windows/`);
    const titles = page.getByRole('group', { name: 'Title, in each language of the page' });
    const descriptions = page.getByRole('group', { name: /^Description/ });
    await titles.getByLabel('Danish (default language)').fill('Opgradering af booking');
    await titles.getByLabel('English').fill('Booking upgrade');
    await descriptions.getByLabel('Danish (default language)').fill('Booking er lukket i en time.');
    await descriptions.getByLabel('English').fill('Booking is closed for an hour.');
    await page.getByRole('checkbox', { name: 'Booking', exact: true }).check();
    const inHours = (hours: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(Date.now() + hours * 3_600_000)).replace(' ', 'T');
    await page.getByLabel('Planned start (Europe/Copenhagen time)').fill(inHours(24));
    await page.getByLabel('Planned end (Europe/Copenhagen time)').fill(inHours(25));
    await page.getByRole('button', { name: 'Check the languages' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#window-languages').innerText()).toContain('Written in every language of the page.');
    expect(await axe(page)).toEqual([]);
    await page.getByRole('button', { name: 'Schedule' }).click();
    await page.waitForURL(/\?done=/);
    expect(await page.getByRole('status').innerText()).toBe('Window scheduled.');

    const reader = await browser.newContext();
    const publicPage = await reader.newPage();
    // served from a snapshot refreshed just after a write: wait for the window to arrive
    await expect.poll(async () => (await publicPage.goto(`${server.url}/en/windows/`), publicPage.locator('main').innerText()), { timeout: 15_000 }).toContain('Booking upgrade');
    const english = await publicPage.locator('main').innerText();
    expect(english).toContain('Booking upgrade');
    expect(english).toContain('Booking is closed for an hour.');
    expect(english).not.toContain('Written in Dansk only.');
    await publicPage.goto(`${server.url}/windows/`);
    expect(await publicPage.locator('main').innerText()).toContain('Booking er lukket i en time.');
    await publicPage.goto(`${server.url}/en/components/booking/`);
    expect(await publicPage.locator('main').innerText()).toContain('Booking is closed for an hour.');
    await publicPage.goto(`${server.url}/en/`);
    expect(await publicPage.locator('main').innerText()).toContain('Booking is closed for an hour.');

    // a window written in Danish only: the windows list and the component page show it in Danish, marked
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: PASSWORD }) });
    const auth = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' };
    const at = (hours: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 + hours * 3_600_000).toISOString();
    const scheduled = await fetch(`${server.url}/api/v1/windows`, { method: 'POST', headers: auth, body: JSON.stringify({ componentIds: ['booking'], title: { da: 'Nyt certifikat', en: '' }, description: { da: 'Kort afbrydelse.' }, plannedStart: at(48), plannedEnd: at(49) }) });
    expect(scheduled.status).toBe(201);
    for (const path of ['/en/windows/', '/en/components/booking/']) {
      const main = publicPage.locator('main');
      // the page is served from a snapshot refreshed just after a write: wait for it rather than a fixed time
      await expect.poll(async () => (await publicPage.goto(`${server.url}${path}`), main.innerText()), { timeout: 15_000 }).toContain('Nyt certifikat');
      expect(await main.locator('span[lang="da-DK"]', { hasText: 'Nyt certifikat' }).count(), path).toBe(1);
      expect(await main.innerText(), path).toContain('Nyt certifikat (Written in Dansk only.)');
      expect(await main.innerText(), path).toContain('Kort afbrydelse. (Written in Dansk only.)');
    }
    await reader.close();

    for (const [language, summary, description] of [['en', 'Booking upgrade', 'Booking is closed for an hour.'], ['da', 'Opgradering af booking', 'Booking er lukket i en time.']] as const) {
      const ics = await (await fetch(`${server.url}/api/v1/pages/status/feeds/windows.ics?lang=${language}`)).text();
      const events = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
      const event = events.find((e) => e.summary === summary);
      expect(event, `${language}: ${events.map((e) => e.summary).join(', ')}`).toBeDefined();
      expect(event!.description).toBe(`${description}\n\nBooking`);
    }
    await page.context().close();
  }, 120_000);

  it.each(['/console/incidents/new/', '/console/windows/'])('%s: no horizontal scrolling at 320 px', async (path) => {
    const page = await logIn(320);
    await page.goto(`${server.url}${path}`);
    expect(await overflowPx(page)).toBeLessThanOrEqual(0);
    await page.context().close();
  }, 60_000);

  it('an incident page with its language fields: no horizontal scrolling at 320 px, no axe violations', async () => {
    // its own incident, titled in Danish only, so the title is marked missing too
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: PASSWORD }) });
    const auth = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' };
    const opened = await fetch(`${server.url}/api/v1/incidents`, { method: 'POST', headers: auth, body: JSON.stringify({ pageId: 'status', title: { da: 'Booking er langsom med en meget lang titel der skal ombrydes pænt' }, priority: 'C', componentIds: ['booking'] }) });
    const incidentId = ((await opened.json()) as { id: string }).id;
    const page = await logIn(320);
    await page.goto(`${server.url}/console/incidents/${incidentId}/`);
    expect(await page.locator('#publish-languages').innerText()).toContain('Incident title: English');
    expect(await overflowPx(page)).toBeLessThanOrEqual(0);
    expect(await axe(page)).toEqual([]);
    await page.context().close();
  }, 60_000);
});
