import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_VERSION } from '../probe/index.ts';
import { axeSource, chromiumPath, CHROMIUM_ARGS } from './support/browser.ts';
import { createPostgresDatabase, postgresAdminUrl } from './support/databases.ts';
import { runCli, startServer, type RunningServer } from './support/run-cli.ts';
import { result } from './support/fixtures.ts';

const title = chromiumPath ? 'the console: typed times, exclusions and accounts, in Chromium' : 'the console: typed times, exclusions and accounts, in Chromium (skipped: no Chromium found; install it or set CHROMIUM_PATH)';
const PASSWORD = 'operator password 123';

/** The instant a wall-clock time (`2026-01-20T10:00`) names in a zone, on a day without a clock change. */
function instantIn(wall: string, zone: string): Date {
  const offset = new Date(`${wall.slice(0, 10)}T12:00:00Z`).toLocaleString('en', { timeZone: zone, timeZoneName: 'longOffset' }).split('GMT')[1] || 'Z';
  return new Date(`${wall}:00${offset}`);
}

describe.skipIf(!chromiumPath)(title, () => {
  let server: RunningServer;
  let browser: Browser;
  let drop: (() => Promise<void>) | undefined;
  let env: Record<string, string>;
  let configFile: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-console-time-'));
    configFile = join(dir, 'config.yaml');
    // an SLA profile whose month is final from the 1st, so last month has statements to revise whatever today's date
    writeFileSync(
      configFile,
      `regions: [{ id: local }]
organisations: [{ id: kommune, name: Kommune }]
slaProfiles:
  - id: basic
    name: Basic
    availabilityTargetPercent: 99.5
    reportDueDay: 1
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus, en: Service status }
    languages: [da, en]
    timeZone: Europe/Copenhagen
    groups:
      - id: g
        name: Tjenester
        components:
          - id: archive
            name: { da: Arkiv, en: Archive }
            slaProfile: basic
            checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 3600 }]
`,
    );
    // PostgreSQL when there is one (each CLI run connects rather than opening an embedded database); the server runs in UTC, as in the Docker image
    env = { TZ: 'UTC', STATUSVAKT_DATA_DIR: join(dir, 'data'), STATUSVAKT_USER_PASSWORD: PASSWORD };
    if (postgresAdminUrl) {
      const database = await createPostgresDatabase();
      env.DATABASE_URL = database.url;
      drop = database.drop;
    }
    const user = await runCli(['user', 'add', '--email', 'op@kommune.example', '--role', 'operator', '--all-organisations'], env);
    if (user.code !== 0) throw new Error(user.stderr);
    const admin = await runCli(['user', 'add', '--email', 'admin@kommune.example', '--name', 'Admin', '--role', 'admin', '--organisation', 'kommune'], env);
    // the organisation exists once the server has read the config; before that, it is refused by name
    expect(admin.code).toBe(1);
    expect(admin.stderr).toContain('no organisation "kommune"');
    server = await startServer(['serve', '--config', configFile], env);
    // an administrator of every organisation may manage the operator, who has every organisation too
    const adminAgain = await runCli(['user', 'add', '--email', 'admin@kommune.example', '--name', 'Admin', '--role', 'admin', '--all-organisations'], env);
    if (adminAgain.code !== 0) throw new Error(adminAgain.stderr);
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await drop?.();
  });

  it('reads an estimate typed as 03:30 in Copenhagen as 03:30 Copenhagen time, on a UTC server, whatever the browser\'s zone', async () => {
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: PASSWORD }) });
    const auth = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' };
    const opened = await fetch(`${server.url}/api/v1/incidents`, { method: 'POST', headers: auth, body: JSON.stringify({ pageId: 'status', title: { da: 'Arkiv utilgængeligt', en: 'Archive unavailable' }, priority: 'B', componentIds: ['archive'] }) });
    expect(opened.status).toBe(201);
    const incidentId = ((await opened.json()) as { id: string }).id;

    // tomorrow, 03:30 on the Copenhagen wall clock, and the instant that is
    const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + 86_400_000));
    const typed = `${day}T03:30`;
    const expectedInstant = new Date(`${day}T03:30:00${new Date(`${day}T12:00:00Z`).toLocaleString('en', { timeZone: 'Europe/Copenhagen', timeZoneName: 'longOffset' }).split('GMT')[1] || 'Z'}`);

    // the operator's browser is somewhere else entirely: it must not matter
    const context = await browser.newContext({ timezoneId: 'America/Los_Angeles' });
    const page = await context.newPage();
    await page.goto(`${server.url}/console/login/`);
    await page.getByLabel('E-mail').fill('op@kommune.example');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/console/`);
    await page.goto(`${server.url}/console/incidents/${incidentId}/`);
    // the zone is the page's by default, and named beside the field
    expect(await page.getByLabel('Time zone of the times you type and read').inputValue()).toBe('Europe/Copenhagen');
    expect(await page.locator('#estimate-zone').innerText()).toBe('Europe/Copenhagen');
    await page.getByLabel('Step', { exact: true }).selectOption('status_estimate');
    await page.getByLabel('Estimated fix (optional), Europe/Copenhagen time').fill(typed);
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL(/\?done=/);
    expect(await page.locator('.estimate').first().innerText()).toMatch(/, 03:30 \(Europe\/Copenhagen\)$/);
    const axe = await page.evaluate(async (source) => {
      new Function(source)();
      return (window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string }[] }> } }).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] }, resultTypes: ['violations'] });
    }, axeSource);
    expect(axe.violations.map((v) => v.id)).toEqual([]);

    // stored as the UTC instant
    const view = (await (await fetch(`${server.url}/api/v1/incidents/${incidentId}`, { headers: auth })).json()) as { updates: { step: string; estimatedFixAt: string | null }[] };
    expect(view.updates.find((u) => u.step === 'status_estimate')!.estimatedFixAt).toBe(expectedInstant.toISOString());

    // a resident in another zone reads it on the page in the page's time, in both languages
    const resident = await browser.newContext({ timezoneId: 'Asia/Tokyo' });
    const publicPage = await resident.newPage();
    await publicPage.goto(`${server.url}/en/`);
    expect(await publicPage.locator('main').innerText()).toMatch(/Expected fix: [^.]*03:30/);
    await publicPage.goto(`${server.url}/`);
    expect(await publicPage.locator('main').innerText()).toMatch(/Forventet løst: [^\n]*03[.:]30/);

    // a time that does not exist in the zone is refused, and what was typed is kept
    await page.getByLabel('Time zone of the times you type and read').selectOption('Europe/Copenhagen');
    await page.getByLabel('Step', { exact: true }).selectOption('running_status');
    await page.getByLabel('Estimated fix (optional), Europe/Copenhagen time').fill('2027-03-28T02:30');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForLoadState();
    expect(await page.locator('p.error[role="alert"]').innerText()).toContain('2027-03-28 02:30 does not exist in Europe/Copenhagen');
    await context.close();
    await resident.close();
  }, 120_000);

  it('records, changes and withdraws an exclusion inside last month\'s outage in the console, with times in the chosen zone: each revises the frozen statement, and the report follows', async () => {
    // last month, in the profile's zone: an outage from 10:00 to 12:00 (Helsinki) on the 20th, sent as a probe sends it
    const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit' }).format(new Date()).split('-').map(Number) as [number, number];
    const lastMonth = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
    const day = `${lastMonth}-20`;
    const at = (time: string) => instantIn(`${day}T${time}`, 'Europe/Helsinki');
    const outcomes = [['09:00', 'up'], ['10:00', 'down'], ['10:30', 'down'], ['11:00', 'down'], ['11:30', 'down'], ['12:00', 'up'], ['13:00', 'up']] as const;
    const results = outcomes.map(([time, outcome]) => result({ componentId: 'archive', regionId: 'local', startedAt: at(time).toISOString(), outcome, ...(outcome === 'down' ? { reason: 'http_status', httpStatus: 503 } : {}) }));
    const token = await runCli(['probe-token', 'create', '--region', 'local'], env);
    if (token.code !== 0) throw new Error(token.stderr);
    const posted = await fetch(`${server.url}/api/v1/probe/results`, { method: 'POST', headers: { authorization: `Bearer ${token.stdout.trim()}`, 'content-type': 'application/json' }, body: JSON.stringify({ version: CONTRACT_VERSION, regionId: 'local', results }) });
    expect(posted.status, await posted.clone().text()).toBe(200);
    type Report = { components: { id: string; figures: { downSeconds: number }; months: { version: number | null }[] }[]; exclusions: { note: string }[] };
    const report = async () => (await (await fetch(`${server.url}/api/v1/sla/pages/status/reports/${lastMonth}`)).json()) as Report;
    const archive = async () => (await report()).components.find((c) => c.id === 'archive')!;
    // the evaluator turns the results into states; the month is final but not yet frozen
    await expect.poll(async () => (await archive()).figures.downSeconds, { timeout: 15_000 }).toBeGreaterThan(0);
    expect((await archive()).months[0]!.version).toBeNull();
    // a reader's request never writes: the server freezes a final month when it starts, and then hourly
    await server.stop();
    server = await startServer(['serve', '--config', configFile], env);
    await expect.poll(async () => (await archive()).months[0]!.version, { timeout: 30_000 }).toBe(1);
    const frozenDown = (await archive()).figures.downSeconds;

    const context = await browser.newContext({ timezoneId: 'UTC' });
    const page = await context.newPage();
    await page.goto(`${server.url}/console/login/`);
    await page.getByLabel('E-mail').fill('op@kommune.example');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/console/`);
    await page.getByRole('link', { name: 'Exclusions' }).click();
    await page.getByLabel('Archive', { exact: true }).check();
    await page.getByLabel('Time zone of the times you type and read').selectOption('Europe/Helsinki');
    await page.getByLabel('From (Europe/Copenhagen time)').fill(`${day}T10:00`);
    await page.getByLabel('To (Europe/Copenhagen time)').fill(`${day}T11:00`);
    await page.getByLabel('Reason').selectOption('force_majeure');
    await page.getByLabel('Note (shown in the report)').fill('Power cut in the data centre');
    await page.getByRole('button', { name: 'Record exclusion' }).click();
    await page.waitForURL(/\?done=/);
    // the outage's first hour no longer counts against the provider: last month's frozen statement gets a new version
    expect(await page.getByRole('status').innerText()).toBe('Exclusion recorded. 1 frozen statement revised.');
    expect((await archive()).months[0]!.version).toBe(2);
    expect((await archive()).figures.downSeconds).toBeLessThan(frozenDown);
    // read in Helsinki, the zone chosen, and shown in it from now on
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: PASSWORD }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const list = async () => ((await (await fetch(`${server.url}/api/v1/exclusions?withdrawn=true`, { headers: { cookie } })).json()) as { exclusions: { startAt: string; endAt: string; note: string; revokedAt: string | null }[] }).exclusions;
    expect((await list())[0]).toMatchObject({ startAt: at('10:00').toISOString(), endAt: at('11:00').toISOString(), note: 'Power cut in the data centre' });
    const helsinki = (time: string) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Helsinki' }).format(at(time));
    const row = page.locator('tbody tr', { hasText: 'Power cut in the data centre' });
    expect(await row.locator('th').innerText()).toBe(`${helsinki('10:00')} – ${helsinki('11:00')}`);
    // the note is in the month's report on the public site
    const reader = await browser.newPage();
    await expect.poll(async () => (await reader.goto(`${server.url}/en/sla/${lastMonth}/`), reader.locator('.exclusions .note').allInnerTexts()), { timeout: 15_000 }).toEqual(['Power cut in the data centre']);

    await row.getByText('Change or withdraw').click();
    await row.getByLabel('To (Europe/Helsinki time)').fill(`${day}T12:00`);
    await row.getByLabel('Note (shown in the report)').fill('Power cut in the data centre, two hours');
    await row.getByLabel('Why it changes (kept with any revised statement)').fill('the supplier confirmed two hours');
    await row.getByRole('button', { name: 'Save change' }).click();
    await page.waitForURL(/\?done=/);
    expect(await page.getByRole('status').innerText()).toBe('Exclusion changed. 1 frozen statement revised.');
    expect((await list())[0]).toMatchObject({ endAt: at('12:00').toISOString(), note: 'Power cut in the data centre, two hours' });
    expect((await archive()).months[0]!.version).toBe(3);
    await expect.poll(async () => (await reader.goto(`${server.url}/en/sla/${lastMonth}/`), reader.locator('.exclusions .note').allInnerTexts()), { timeout: 15_000 }).toEqual(['Power cut in the data centre, two hours']);

    const changed = page.locator('tbody tr', { hasText: 'two hours' });
    await changed.getByText('Change or withdraw').click();
    await changed.getByLabel('Why it changes (kept with any revised statement)').fill('the customer disputes it');
    await changed.getByRole('button', { name: 'Withdraw' }).click();
    await page.waitForURL(/\?done=/);
    expect(await page.getByRole('status').innerText()).toBe('Exclusion withdrawn. 1 frozen statement revised.');
    expect(await page.locator('main').innerText()).toContain('No exclusions recorded.');
    expect((await list())[0]!.revokedAt).not.toBeNull();
    // the outage counts in full again, in a fourth version
    expect(await archive()).toMatchObject({ figures: { downSeconds: frozenDown }, months: [expect.objectContaining({ version: 4 })] });
    expect((await report()).exclusions).toEqual([]);
    const axe = await page.evaluate(async (source) => {
      new Function(source)();
      return (window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string }[] }> } }).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] }, resultTypes: ['violations'] });
    }, axeSource);
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    await reader.close();
    await context.close();
  }, 180_000);

  it('lets an administrator reset a password in the console, shown once, and the old one stops working', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/console/login/`);
    await page.getByLabel('E-mail').fill('admin@kommune.example');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/console/`);
    await page.getByRole('link', { name: 'Users' }).click();
    const row = page.locator('tbody tr', { hasText: 'op@kommune.example' });
    expect(await row.locator('td').nth(1).innerText()).toBe('all organisations');
    await row.getByLabel('Action for op@kommune.example').selectOption('reset-password');
    await row.getByRole('button', { name: 'Apply to op@kommune.example' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('status').innerText()).toBe('op@kommune.example: password reset; its sessions have ended.');
    const password = await page.locator('.new-password').innerText();
    expect(password).toMatch(/^[\w-]{24}$/);
    const tryLogin = async (secret: string) => (await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: secret }) })).status;
    expect(await tryLogin(PASSWORD)).toBe(401);
    expect(await tryLogin(password)).toBe(200);
    const axe = await page.evaluate(async (source) => {
      new Function(source)();
      return (window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string }[] }> } }).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] }, resultTypes: ['violations'] });
    }, axeSource);
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    // the audit log has the reset, by the administrator
    const admin = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@kommune.example', password: PASSWORD }) });
    const audit = (await (await fetch(`${server.url}/api/v1/audit`, { headers: { cookie: admin.headers.get('set-cookie')!.split(';')[0]! } })).json()) as { entries: { action: string; actor: string; entityId: string }[] };
    expect(audit.entries).toContainEqual(expect.objectContaining({ action: 'user.reset-password', actor: 'admin@kommune.example', entityId: 'op@kommune.example' }));
    await context.close();
  }, 120_000);
});
