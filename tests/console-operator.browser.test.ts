import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_VERSION } from '../probe/index.ts';
import { axeSource, chromiumPath, CHROMIUM_ARGS } from './support/browser.ts';
import { createPostgresDatabase, postgresAdminUrl } from './support/databases.ts';
import { runCli, startServer, type RunningServer } from './support/run-cli.ts';

const ready = chromiumPath && postgresAdminUrl;
const title = ready ? 'the operator console: front screen, component view, audit log and new accounts, in Chromium' : 'the operator console in Chromium (skipped: needs Chromium and TEST_DATABASE_URL)';
const PASSWORD = 'administrator password 1';
const INCIDENT = 'Archive answers 503';

/** axe-core's WCAG 2.1 A/AA violations, run with the page's CSP kept on. */
async function axeIds(page: Page): Promise<string[]> {
  const result = await page.evaluate(async (source) => {
    new Function(source)();
    return (window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string }[] }> } }).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
  }, axeSource);
  return result.violations.map((v) => v.id);
}

/** The page at 320 px and at 1280 px: no horizontal scrolling at either, and axe finds nothing. */
async function checkLayoutAndAccessibility(page: Page) {
  for (const width of [320, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    const scroll = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      // the outermost elements sticking out, to name in the failure
      wide: (() => {
        // text sticks out too, without its element's box doing so: the text nodes outside scrolling regions
        const out: string[] = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node && out.length < 6; node = walker.nextNode()) {
          const range = document.createRange();
          range.selectNodeContents(node);
          if (range.getBoundingClientRect().right > window.innerWidth + 0.5 && !node.parentElement?.closest('.scroll')) out.push(`"${(node.textContent ?? '').trim().slice(0, 60)}" ${Math.round(range.getBoundingClientRect().right)}`);
        }
        return out;
      })(),
    }));
    expect(scroll.scrollWidth, `${page.url()} at ${width} px: ${scroll.wide.join(', ')}`).toBeLessThanOrEqual(scroll.viewport);
    expect(await axeIds(page), `${page.url()} at ${width} px`).toEqual([]);
  }
}

describe.skipIf(!ready)(title, () => {
  let server: RunningServer;
  let browser: Browser;
  let drop: (() => Promise<void>) | undefined;
  let cookie: string;
  let csrf: string;

  const login = async (page: Page) => {
    await page.goto(`${server.url}/console/login/`);
    await page.getByLabel('E-mail').fill('admin@kommune.example');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/console/`);
  };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-console-operator-'));
    // a communication plan in seconds, so a step is overdue while the test runs
    writeFileSync(
      join(dir, 'config.yaml'),
      `regions: [{ id: local }]
organisations: [{ id: kommune, name: Kommune }, { id: skole, name: Skolen }]
slaProfiles:
  - id: fast
    name: Fast
    communicationPlan: { registeredMinutes: 0.01, natureMinutes: 600, estimateMinutes: 900, runningStatusEveryMinutes: 60, operationNormalMinutes: 15 }
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
            slaProfile: fast
            checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 3600 }]
          - id: mail
            name: { da: Post, en: Mail }
            slaProfile: fast
            checks: [{ kind: https, url: "https://127.0.0.1:1/mail", intervalSeconds: 3600 }]
`,
    );
    const database = await createPostgresDatabase();
    drop = database.drop;
    const env = { TZ: 'UTC', DATABASE_URL: database.url, STATUSVAKT_USER_PASSWORD: PASSWORD };
    server = await startServer(['serve', '--config', join(dir, 'config.yaml')], env);
    const admin = await runCli(['user', 'add', '--email', 'admin@kommune.example', '--name', 'Astrid Admin', '--role', 'admin', '--all-organisations'], env);
    if (admin.code !== 0) throw new Error(admin.stderr);
    const probeToken = (await runCli(['probe-token', 'create', '--region', 'local'], env)).stdout.trim();
    // the archive fails from the probe: a 503 with its phases and certificate; the mail server answers
    const now = Date.now();
    const results = [
      { id: crypto.randomUUID(), componentId: 'archive', checkId: 'https', regionId: 'local', startedAt: new Date(now - 3 * 3_600_000).toISOString(), outcome: 'up', durationMs: 95, httpStatus: 200 },
      { id: crypto.randomUUID(), componentId: 'archive', checkId: 'https', regionId: 'local', startedAt: new Date(now - 5_000).toISOString(), outcome: 'down', reason: 'http_status', durationMs: 412, httpStatus: 503, phasesMs: { dns: 4, connect: 11, tls: 37, firstByte: 352, transfer: 8 }, certificate: { subject: 'CN=archive', issuer: 'CN=CA', subjectAltNames: ['archive'], notBefore: new Date(now - 86_400_000).toISOString(), notAfter: new Date(now + 20.5 * 86_400_000).toISOString(), sha256Fingerprint: 'AA', chainVerified: true } },
      { id: crypto.randomUUID(), componentId: 'mail', checkId: 'https', regionId: 'local', startedAt: new Date(now - 5_000).toISOString(), outcome: 'up', durationMs: 80, httpStatus: 200 },
    ];
    const answer = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@kommune.example', password: PASSWORD }) });
    cookie = answer.headers.get('set-cookie')!.split(';')[0]!;
    csrf = ((await answer.json()) as { csrfToken: string }).csrfToken;
    const headers = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };
    expect((await fetch(`${server.url}/api/v1/incidents`, { method: 'POST', headers, body: JSON.stringify({ pageId: 'status', title: { da: 'Arkivet svarer 503', en: INCIDENT }, priority: 'B', componentIds: ['archive'] }) })).status).toBe(201);
    const window = await fetch(`${server.url}/api/v1/windows`, { method: 'POST', headers, body: JSON.stringify({ componentIds: ['mail'], title: { da: 'Opdatering af post', en: 'Mail upgrade' }, plannedStart: new Date(now + 3 * 3_600_000).toISOString(), plannedEnd: new Date(now + 4 * 3_600_000).toISOString() }) });
    expect(window.status, await window.clone().text()).toBe(201);
    // the results only after the incident, so the failure falls inside it and the evaluator opens none of its own
    const posted = await fetch(`${server.url}/api/v1/probe/results`, { method: 'POST', headers: { authorization: `Bearer ${probeToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ version: CONTRACT_VERSION, regionId: 'local', results }) });
    expect(posted.status).toBe(200);
    // the evaluator turns the results into states within a second or two
    for (let i = 0; i < 100; i++) {
      const listed = (await (await fetch(`${server.url}/api/v1/components`, { headers: { cookie } })).json()) as { components: { id: string; state: string }[] };
      if (listed.components.find((c) => c.id === 'archive')?.state === 'down') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await drop?.();
  });

  it('shows on the front screen what needs attention: the overdue step in red and in words, the component down, the window within 24 hours', async () => {
    const context = await browser.newContext({ timezoneId: 'UTC' });
    const page = await context.newPage();
    await login(page);
    const attention = page.locator('section.attention');
    const overdue = attention.locator('.overdue-box li', { hasText: INCIDENT });
    expect(await overdue.innerText()).toMatch(new RegExp(`^Overdue: the registered message for ${INCIDENT}, due .* \\(\\d+ min overdue\\)$`));
    // red, and said in words: colour is not the only sign
    expect(await overdue.locator('strong.overdue').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(180, 35, 24)');
    expect(await attention.locator('.next-steps li', { hasText: INCIDENT }).innerText()).toContain(`${INCIDENT} (investigating): Overdue: registered, due`);
    // the reason in words, the probe's code beside them
    expect(await attention.locator('.components-down li').allInnerTexts()).toEqual([expect.stringMatching(/^Down: Archive \(Service status\), since .*; error answer http_status$/)]);
    expect(await attention.locator('.components-down li code').innerText()).toBe('http_status');
    expect(await attention.innerText()).toMatch(/Service windows starting within 24 hours\nMail upgrade: .* \(in [23] h \d+ min\) until .* \(Mail\)/);
    expect(await attention.innerText()).toContain('Times in Europe/Copenhagen.');
    await checkLayoutAndAccessibility(page);
    await attention.getByRole('link', { name: 'Archive', exact: true }).click();
    await page.waitForURL(`${server.url}/console/components/archive/`);
    // in Danish the reason is in the public site's Danish words, the code kept
    await context.addCookies([{ name: 'sv_console_lang', value: 'da', url: `${server.url}/console/` }]);
    await page.goto(`${server.url}/console/`);
    expect(await attention.locator('.components-down li').allInnerTexts()).toEqual([expect.stringMatching(/^Utilgængelig: Arkiv \(Driftsstatus\), .*; fejlsvar http_status$/)]);
    await context.close();
  }, 120_000);

  it('shows a component: the latest result per region with phases, reason and certificate expiry, and the last 24 hours', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page);
    await page.goto(`${server.url}/console/components/archive/`);
    expect(await page.locator('h1').innerText()).toBe('Archive');
    const row = page.locator('table.latest tbody tr');
    expect(await row.count()).toBe(1);
    const cells = await row.locator('th, td').allInnerTexts();
    expect(cells[0]).toBe('local');
    expect(cells[3]).toBe('Down (HTTP 503)');
    expect(cells[4]).toBe('error answer (HTTP 503) http_status');
    expect(cells[5]).toBe('412 ms');
    expect(cells[6]).toBe('DNS 4 ms, connect 11 ms, TLS 37 ms, first byte 352 ms, transfer 8 ms');
    expect(cells[7]).toMatch(/\(in 20 days\)$/);
    const hours = page.locator('table.hours tbody tr');
    expect(await hours.count()).toBe(24);
    // one hour holds the failure (the newest, or the one before when the hour has just turned); three hours back, the good result
    const counts = await hours.evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent).join('/')));
    expect(counts.slice(0, 2)).toContain('1/0/0/1');
    expect(counts.filter((c) => c === '1/1/0/0')).toHaveLength(1);
    await checkLayoutAndAccessibility(page);
    // in another console language the reason is in the public site's words for it, the code kept beside them
    await context.addCookies([{ name: 'sv_console_lang', value: 'da', url: `${server.url}/console/` }]);
    await page.reload();
    expect(await row.locator('td').nth(3).innerText()).toBe('fejlsvar (HTTP 503) http_status');
    expect(await row.locator('td code').innerText()).toBe('http_status');
    await page.goto(`${server.url}/console/components/`);
    expect(await page.locator('tbody tr', { hasText: 'Arkiv' }).locator('td').last().innerText()).toBe('fejlsvar http_status');
    await context.clearCookies({ name: 'sv_console_lang' });
    await page.goto(`${server.url}/console/components/nothing/`);
    expect(await page.locator('p.error').innerText()).toContain('no component "nothing"');
    await context.close();
  }, 120_000);

  it('creates an account from the Users page: organisations picked by name, "all organisations" only when said, unknown ones refused', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page);
    await page.goto(`${server.url}/console/users/`);
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Create account' }) });
    await form.getByLabel('E-mail').fill('teacher@skole.example');
    await form.getByLabel('Name').fill('Tove Teacher');
    await form.getByLabel('Role').selectOption('operator');
    // no choice made: refused, nothing assumed
    await form.getByRole('button', { name: 'Create account' }).click();
    await page.waitForLoadState();
    expect(await page.locator('p.error').innerText()).toBe('Choose the organisations: all organisations (present and future), or the ones ticked.');
    // what was typed is kept
    expect(await form.getByLabel('E-mail').inputValue()).toBe('teacher@skole.example');
    // an organisation that does not exist (a tampered form) is refused by name
    await form.getByLabel('Only the organisations ticked below').check();
    await form.getByLabel('Skolen (skole)').evaluate((box: HTMLInputElement) => (box.value = 'nowhere'));
    await form.getByLabel('Skolen (skole)').check();
    await form.getByRole('button', { name: 'Create account' }).click();
    await page.waitForLoadState();
    expect(await page.locator('p.error').innerText()).toContain('no organisation "nowhere"');
    await form.getByLabel('Only the organisations ticked below').check();
    await form.getByLabel('Skolen (skole)').check();
    await form.getByRole('button', { name: 'Create account' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('status').innerText()).toBe('teacher@skole.example: account created.');
    const password = await page.locator('.new-password').innerText();
    expect(password).toMatch(/^[\w-]{24}$/);
    const row = page.locator('tbody tr', { hasText: 'teacher@skole.example' });
    expect(await row.locator('td').nth(0).innerText()).toBe('operator');
    expect(await row.locator('td').nth(1).innerText()).toBe('Skolen');
    await checkLayoutAndAccessibility(page);
    const tryLogin = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'teacher@skole.example', password }) });
    expect(tryLogin.status).toBe(200);
    await context.close();
  }, 120_000);

  it('shows the audit log with names and local times, filters it with a plain GET form, and exports the filtered list as CSV', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page);
    await page.goto(`${server.url}/console/audit/`);
    // the filter keeps to the administrator's entries about incidents
    await page.getByLabel('Who (part of an e-mail, or "system")').fill('ADMIN@');
    await page.getByLabel('What').selectOption('incident');
    await page.getByLabel('Time zone of the times you type and read').selectOption('America/New_York');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/what=incident/);
    expect(await page.locator('caption').innerText()).toBe('Newest first, times in America/New_York');
    const rows = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => cell.textContent)));
    // the action in words with its code beside them
    expect(rows).toEqual([[expect.any(String), 'Astrid Admin <admin@kommune.example>', 'Incident opened incident.open', `incident: ${INCIDENT}`, 'Archive']]);
    // the time shown is New York's wall clock
    const hourInNewYork = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', timeZone: 'America/New_York' }).format(new Date());
    expect(rows[0]![0]).toContain(`, ${hourInNewYork}:`);
    await page.getByRole('link', { name: INCIDENT }).isVisible();
    // in Danish: the action's Danish words, the incident's Danish title and the component's Danish name
    await context.addCookies([{ name: 'sv_console_lang', value: 'da', url: `${server.url}/console/` }]);
    await page.reload();
    const danish = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(1).map((cell) => cell.textContent)));
    expect(danish).toEqual([['Hændelse oprettet incident.open', 'hændelse: Arkivet svarer 503', 'Arkiv']]);
    // the export names them in Danish too
    const danishCsv = await page.getByRole('link', { name: 'Hent disse poster som CSV' }).getAttribute('href');
    expect(new URL(danishCsv!, server.url).searchParams.get('lang')).toBe('da');
    expect((await (await context.request.get(`${server.url}${danishCsv}`)).text()).split('\n')[1]).toMatch(/,incident\.open,incident,[0-9a-f-]{36},Arkivet svarer 503,Arkiv$/);
    await context.clearCookies({ name: 'sv_console_lang' });

    // a status set by hand has its own entry under "What"
    const archived = await fetch(`${server.url}/api/v1/component-status`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: JSON.stringify({ componentId: 'archive', status: 'degraded_performance', expiresAt: new Date(Date.now() + 3_600_000).toISOString() }) });
    expect(archived.status).toBe(201);
    await page.goto(`${server.url}/console/audit/`);
    await page.getByLabel('What').selectOption({ label: 'Component statuses set by hand' });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/what=component_status/);
    const statuses = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll('td')[1]!.textContent));
    expect(statuses).toEqual(['Status set by hand component_status.set']);

    // who and when: the archive failed inside the administrator's incident, so the evaluator opened none of its own
    await page.goto(`${server.url}/console/audit/?who=system&what=incident`);
    expect(await page.locator('main').innerText()).toContain('No entries match.');
    await page.goto(`${server.url}/console/audit/?who=nobody-at-all`);
    expect(await page.locator('main').innerText()).toContain('No entries match.');
    await page.goto(`${server.url}/console/audit/?zone=Europe%2FCopenhagen&from=2027-03-28T02%3A30`);
    expect(await page.locator('p.error').innerText()).toContain('From: 2027-03-28 02:30 does not exist in Europe/Copenhagen');

    // an account named like a spreadsheet formula, for the export below
    const created = await fetch(`${server.url}/api/v1/users`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: JSON.stringify({ email: 'formula@kommune.example', name: '=SUM(1,2)', role: 'viewer', organisations: ['kommune'] }) });
    expect(created.status).toBe(201);
    await page.goto(`${server.url}/console/audit/?what=user&zone=Europe%2FCopenhagen`);
    await checkLayoutAndAccessibility(page);
    const href = await page.getByRole('link', { name: 'Download these entries as CSV' }).getAttribute('href');
    expect(href).toBe('/api/v1/audit.csv?what=user&lang=en&zone=Europe%2FCopenhagen');
    const csv = await context.request.get(`${server.url}${href}`);
    expect(csv.status()).toBe(200);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('at,time_zone,who,who_name,action,entity,entity_id,entity_name,components');
    // the account named like a formula is neutralised, as the other CSV exports do
    expect(lines.find((line) => line.includes(',user.add,user,formula@'))).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00,Europe\/Copenhagen,admin@kommune\.example,Astrid Admin,user\.add,user,formula@kommune\.example,"'=SUM\(1,2\)",$/);
    expect(lines.slice(1).every((line) => /,user\.[a-z-]+,user,/.test(line))).toBe(true);
    await context.close();
  }, 120_000);

  it('records the reaction from the incident page: the acknowledgement that stops the repeated alerts', async () => {
    const context = await browser.newContext({ timezoneId: 'UTC' });
    const page = await context.newPage();
    await login(page);
    await page.locator('section.attention').getByRole('link', { name: INCIDENT }).first().click();
    await page.getByRole('button', { name: 'Record reaction (acknowledge)' }).click();
    await page.getByText('Reaction recorded.').waitFor();
    expect(await page.getByRole('button', { name: 'Record reaction (acknowledge)' }).count()).toBe(0);
    const listed = (await (await fetch(`${server.url}/api/v1/incidents`, { headers: { cookie } })).json()) as { incidents: { incident: { title: Record<string, string>; acknowledgedAt: string | null } }[] };
    const view = listed.incidents.find((i) => i.incident.title.en === INCIDENT);
    expect(view?.incident.acknowledgedAt).toEqual(expect.stringMatching(/^\d{4}-/));
    await checkLayoutAndAccessibility(page);
    await context.close();
  }, 120_000);
});
