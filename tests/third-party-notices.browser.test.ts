import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, postgresAdminUrl } from './support/databases.ts';
import { startServer, type RunningServer } from './support/run-cli.ts';
import { runStatements } from './support/pg-admin.ts';
import { axeViolations, chromiumPath, CHROMIUM_ARGS } from './support/browser.ts';

const CONFIG = `organisations: [{ id: kommune, name: Kommune }]
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus, en: Service status }
    languages: [da, nb, sv, it, en]
    groups:
      - id: mail-group
        name: { da: Post, en: Mail }
        components:
          - id: exchange
            name: Exchange Online
            checks: [{ kind: statuspage, url: "https://127.0.0.1:1/api/v2/summary.json", component: Exchange }]
          - id: mail
            name: { da: Kommunens post, en: Council mail }
            dependsOn: [{ component: exchange, effect: degraded }]
            checks: [{ kind: https, url: "https://127.0.0.1:1/" }]
`;

/** Polls `ready` every 200 ms until it holds. */
async function until(ready: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const title = chromiumPath ? 'third-party notices on the status page in Chromium' : 'third-party notices on the status page in Chromium (skipped: no Chromium found; install it or set CHROMIUM_PATH)';

describe.skipIf(!chromiumPath || !postgresAdminUrl)(title, () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-notices-page-'));
    writeFileSync(join(dir, 'config.yaml'), CONFIG);
    server = await startServer(['serve', '--config', join(dir, 'config.yaml')], { DATABASE_URL: database.url });
    await until(() => /public pages rendered and kept ready/.test(server.output()), 30_000, 'the kept pages to be rendered');
    // the third party measured degraded, ours up; what its status page lists, as a source check stores it
    await runStatements(database.url, [
      `insert into state_intervals (component_id, state, started_at) values ('exchange', 'degraded', now() - interval '10 minutes'), ('mail', 'up', now() - interval '1 day')`,
      `insert into third_party_notices (component_id, check_id, external_id, kind, impact, title, body, url, first_seen_at, last_seen_at)
       values ('exchange', 'statuspage', 'inc-1', 'incident', 'degraded', '<img src=x onerror=alert(1)> Mail is delayed', 'We are <b>investigating</b>.', 'https://status.example.com/incidents/inc-1', now() - interval '10 minutes', now() - interval '1 minute')`,
      `insert into third_party_notices (component_id, check_id, external_id, kind, impact, title, starts_at, ends_at, first_seen_at, last_seen_at)
       values ('exchange', 'statuspage', 'mnt-1', 'maintenance', 'maintenance', 'Datacentre upgrade', now() + interval '2 days', now() + interval '2 days 4 hours', now() - interval '10 minutes', now() - interval '1 minute')`,
    ]);
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
    await until(async () => (await (await fetch(`${server.url}/en/`)).text()).includes('Mail is delayed'), 20_000, 'the page to show the notice');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
  });

  const open = async (path: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    const response = await page.goto(`${server.url}${path}`);
    expect(response?.status(), path).toBe(200);
    return page;
  };

  it('shows on the front page what the third party reports, as text, with its link and when it was last read', async () => {
    const page = await open('/en/');
    let alerted = false;
    page.on('dialog', () => (alerted = true));
    const section = page.locator('section.third-party');
    expect(await section.locator('h2').innerText()).toBe('Reported by third parties');
    const notice = section.locator('article');
    expect(await notice.locator('h3').innerText()).toBe('Exchange Online reports a problem: <img src=x onerror=alert(1)> Mail is delayed');
    expect(await notice.locator('.body').innerText()).toBe('We are <b>investigating</b>.');
    expect(await page.locator('img').count()).toBe(0);
    expect(await notice.getByRole('link', { name: 'Read more on the page of Exchange Online' }).getAttribute('href')).toBe('https://status.example.com/incidents/inc-1');
    expect(await notice.locator('.meta time').innerText()).toMatch(/^Last read \d/);
    expect(alerted).toBe(false);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows the dependent as degraded because of the third party, and says so', async () => {
    const page = await open('/en/');
    const row = page.locator('li', { hasText: 'Council mail' }).first();
    expect(await row.innerText()).toContain('Depends on Exchange Online, which reports a problem');
  });

  it("lists the third party's upcoming maintenance with the planned windows, marked as theirs", async () => {
    const page = await open('/en/');
    const planned = page.locator('section', { has: page.locator('#maintenance-heading') });
    expect(await planned.locator('.third-party-window').innerText()).toMatch(/Planned by Exchange Online, not by us\s+Datacentre upgrade\s+From .+ · Until .+/);
    const windows = await open('/en/windows/');
    expect(await windows.locator('.third-party-window').innerText()).toContain('Datacentre upgrade');
  });

  it("shows the notices on the dependent's own page and in every page language", async () => {
    const page = await open('/en/components/mail/');
    expect(await page.locator('section.third-party h4').first().innerText()).toContain('Exchange Online reports a problem');
    for (const [language, words] of [
      ['da', 'Exchange Online melder om et problem'],
      ['nb', 'Exchange Online melder om et problem'],
      ['sv', 'Exchange Online rapporterar ett problem'],
      ['it', 'Exchange Online segnala un problema'],
    ] as const) {
      const localized = await open(`/${language}/`);
      expect(await localized.locator('section.third-party h3').first().innerText(), language).toContain(words);
    }
  });

  // last: it rewords the notice the tests above read
  it('fits a 320 px phone: a notice with a long unbroken title and link, on the front, component and windows pages', async () => {
    const long = `https://status.example.com/incidents/${'x'.repeat(120)}`;
    await runStatements(database.url, [`update third_party_notices set title = '${long}', last_seen_at = now() where external_id = 'inc-1'`]);
    await until(async () => (await (await fetch(`${server.url}/en/`)).text()).includes(long), 20_000, 'the page to show the reworded notice');
    const context = await browser.newContext({ viewport: { width: 320, height: 640 }, bypassCSP: true });
    const page = await context.newPage();
    for (const path of ['/en/', '/da/components/mail/', '/en/windows/']) {
      expect((await page.goto(`${server.url}${path}`))?.status(), path).toBe(200);
      expect(await page.locator('section.third-party, .third-party-window').first().isVisible(), path).toBe(true);
      const overflowPx = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflowPx, `${path} overflows 320 px by ${overflowPx} px`).toBeLessThanOrEqual(0);
    }
    await context.close();
  });
});

