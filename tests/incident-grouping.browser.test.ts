import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, chromiumPath, CHROMIUM_ARGS } from './support/browser.ts';
import { createPostgresDatabase, postgresAdminUrl } from './support/databases.ts';
import { runCli, startServer, type RunningServer } from './support/run-cli.ts';

const title = chromiumPath ? 'splitting, merging and declaring status in the console, in Chromium' : 'splitting, merging and declaring status in the console, in Chromium (skipped: no Chromium found; install it or set CHROMIUM_PATH)';
const PASSWORD = 'operator password 123';

describe.skipIf(!chromiumPath)(title, () => {
  let server: RunningServer;
  let browser: Browser;
  let drop: (() => Promise<void>) | undefined;
  let auth: Record<string, string>;
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, { method, headers: auth, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: (await response.json()) as any };
  };
  const logIn = async (page: Page) => {
    await page.goto(`${server.url}/console/login/`);
    await page.getByLabel('E-mail').fill('op@kommune.example');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/console/`);
  };
  const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-grouping-'));
    const check = 'checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 3600 }]';
    writeFileSync(
      join(dir, 'config.yaml'),
      `organisations: [{ id: kommune, name: Kommune }]
incidents: { groupWithinMinutes: 2 }
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus, en: Service status }
    languages: [da, en]
    groups:
      - id: records
        name: { da: Sager, en: Records }
        components:
          - { id: esdh, name: { da: ESDH, en: Case records }, ${check} }
          - { id: archive, name: { da: Arkiv, en: Archive }, ${check} }
      - id: office
        name: { da: Kontor, en: Office }
        components:
          - { id: mail, name: { da: Post, en: Mail }, ${check} }
          - { id: calendar, name: { da: Kalender, en: Calendar }, ${check} }
`,
    );
    const env: Record<string, string> = { TZ: 'UTC', STATUSVAKT_DATA_DIR: join(dir, 'data'), STATUSVAKT_USER_PASSWORD: PASSWORD };
    if (postgresAdminUrl) {
      const database = await createPostgresDatabase();
      env.DATABASE_URL = database.url;
      drop = database.drop;
    }
    server = await startServer(['serve', '--config', join(dir, 'config.yaml')], env);
    const user = await runCli(['user', 'add', '--email', 'op@kommune.example', '--role', 'operator', '--all-organisations'], env);
    if (user.code !== 0) throw new Error(user.stderr);
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: PASSWORD }) });
    auth = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' };
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await drop?.();
  });

  it('splits components off an incident and merges another one in', async () => {
    const first = await api('POST', '/api/v1/incidents', { pageId: 'status', title: { da: 'Sager nede', en: 'Records down' }, priority: 'A', componentIds: ['esdh', 'archive'] });
    const second = await api('POST', '/api/v1/incidents', { pageId: 'status', title: { da: 'Post langsom', en: 'Mail slow' }, priority: 'B', componentIds: ['mail'] });
    expect([first.status, second.status]).toEqual([201, 201]);
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await logIn(page);
    await page.goto(`${server.url}/console/incidents/${first.body.id}/`);

    // nothing chosen: refused with the reason, on the regroup page
    await page.getByRole('button', { name: 'Split off' }).click();
    await page.waitForURL(/\/regroup\/$/);
    expect(await page.locator('p.error[role="alert"]').innerText()).toMatch(/componentIds/);
    await page.getByRole('link', { name: 'Back to the incident' }).click();

    await page.getByLabel('Archive', { exact: true }).check();
    await page.getByRole('button', { name: 'Split off' }).click();
    await page.waitForURL(/\?done=/);
    expect(await page.locator('p.notice[role="status"]').innerText()).toBe('Split: the chosen components are in a new incident.');
    const split = (await api('GET', `/api/v1/incidents/${first.body.id}`)).body;
    expect(split.incident.componentIds).toEqual(['esdh']);
    await page.getByRole('link', { name: 'the new incident' }).click();
    await page.waitForURL(/\/console\/incidents\/[0-9a-f-]+\/$/);
    const created = (await api('GET', page.url().replace(server.url, '').replace('/console/', '/api/v1/').replace(/\/$/, ''))).body;
    expect(created.incident).toMatchObject({ componentIds: ['archive'], priority: 'A' });
    expect(created.updates).toEqual([]);

    await page.goto(`${server.url}/console/incidents/${first.body.id}/`);
    await page.getByLabel('Incident to merge').selectOption({ label: 'Mail slow' });
    await page.getByRole('button', { name: 'Merge' }).click();
    await page.waitForURL(/\?done=/);
    const merged = (await api('GET', `/api/v1/incidents/${first.body.id}`)).body;
    expect(merged.incident).toMatchObject({ componentIds: ['esdh', 'mail'], priority: 'A' });
    const closed = (await api('GET', `/api/v1/incidents/${second.body.id}`)).body;
    expect(closed.incident).toMatchObject({ mergedIntoId: first.body.id, status: 'resolved' });
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${server.url}/console/incidents/${second.body.id}/`);
    expect(await page.locator('.regroup, .notice').first().innerText()).toContain('This incident was merged into another incident');

    // an update declares each component's status: the page shows it, marked as declared
    await page.goto(`${server.url}/console/incidents/${first.body.id}/`);
    await page.getByLabel('Step', { exact: true }).selectOption('running_status');
    await page.getByLabel('Status of Case records').selectOption('partial_outage');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL(/\?done=/);
    const published = (await api('GET', `/api/v1/incidents/${first.body.id}`)).body;
    expect(published.updates[0].impact).toEqual({ esdh: 'partial_outage', mail: 'major_outage' });
    const v2 = (await (await fetch(`${server.url}/api/v2/components.json`)).json()) as { components: { id: string; status: string; status_source?: string }[] };
    expect(v2.components.find((c) => c.id === 'esdh')).toMatchObject({ status: 'partial_outage', status_source: 'declared' });

    // the title, written per language, is the operator's from then on
    await page.goto(`${server.url}/console/incidents/${first.body.id}/`);
    await page.getByLabel('Title in Danish').fill('Sager og post nede');
    await page.getByLabel('Title in English').fill('Records and mail down');
    await page.getByRole('button', { name: 'Save title' }).click();
    await page.waitForURL(/\?done=/);
    expect((await api('GET', `/api/v1/incidents/${first.body.id}`)).body.incident.title).toEqual({ da: 'Sager og post nede', en: 'Records and mail down' });
    await context.close();
  }, 120_000);

  it('sets a component status by hand that the public page shows, marked as declared, at 320 px', async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, timezoneId: 'America/New_York' });
    const page = await context.newPage();
    await logIn(page);
    await page.goto(`${server.url}/console/component-status/`);
    const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + 86_400_000));
    await page.getByLabel('Component', { exact: true }).selectOption({ label: 'Calendar' });
    await page.getByLabel('Status', { exact: true }).selectOption('partial_outage');
    await page.getByLabel('Expires (Europe/Copenhagen time)').fill(`${day}T12:00`);
    await page.getByLabel(/^Note/).fill('phone system sync fails');
    await page.getByRole('button', { name: 'Set status' }).click();
    await page.waitForURL(/\?done=/);
    expect(await page.locator('table').innerText()).toMatch(/Calendar\s+Partial outage/);
    expect(await axeViolations(page)).toEqual([]);

    for (const width of [320, 1280]) {
      const resident = await browser.newContext({ bypassCSP: true, viewport: { width, height: 800 } });
      const publicPage = await resident.newPage();
      await publicPage.goto(`${server.url}/en/`);
      const calendar = publicPage.locator('li.component', { has: publicPage.locator('h3', { hasText: 'Calendar' }) });
      expect(await calendar.innerText()).toMatch(/Partial outage\s+Declared by the operator; measured: /);
      expect(await noHorizontalScroll(publicPage)).toBe(true);
      expect(await axeViolations(publicPage)).toEqual([]);
      await resident.close();
    }
    const v2 = (await (await fetch(`${server.url}/api/v2/components.json`)).json()) as { components: { id: string; status: string; status_source?: string }[] };
    expect(v2.components.find((c) => c.id === 'calendar')).toMatchObject({ status: 'partial_outage', status_source: 'declared' });

    // ended by hand: the page shows the measured state again
    await page.getByRole('button', { name: 'End now: Calendar' }).click();
    await page.waitForURL(/\?done=/);
    const after = (await (await fetch(`${server.url}/api/v2/components.json`)).json()) as { components: { id: string; status_source?: string }[] };
    expect(after.components.find((c) => c.id === 'calendar')!.status_source).toBe('measured');
    await context.close();
  }, 120_000);
});
