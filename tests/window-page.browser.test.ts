import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, postgresAdminUrl } from './support/databases.ts';
import { ROOT, startServer, type RunningServer } from './support/run-cli.ts';
import { runStatements } from './support/pg-admin.ts';
import { ONE_PAGE_CONFIG } from './support/one-page-config.ts';
import { axeViolations, chromiumPath, CHROMIUM_ARGS } from './support/browser.ts';

// more past windows than one page of a component's windows holds
const PAST_WINDOWS = 53;
const PER_PAGE = 50;
/** Polls `ready` every 200 ms until it holds (expect.poll is for tests, not their setup). */
async function until(ready: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const title = chromiumPath ? 'service window pages in Chromium' : 'service window pages in Chromium (skipped: no Chromium found; install it or set CHROMIUM_PATH)';

describe.skipIf(!chromiumPath || !postgresAdminUrl)(title, () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let server: RunningServer;
  let browser: Browser;
  const ids: Record<'newestPast' | 'upcoming' | 'cancelled' | 'overran', string> = { newestPast: '', upcoming: '', cancelled: '', overran: '' };

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-window-page-'));
    writeFileSync(join(dir, 'config.yaml'), ONE_PAGE_CONFIG);
    server = await startServer(['serve', '--config', join(dir, 'config.yaml')], { DATABASE_URL: database.url });
    await until(() => /public pages rendered and kept ready/.test(server.output()), 30_000, 'the kept pages to be rendered');
    const insert = (values: string) =>
      runStatements<{ id: string }>(database.url, [`insert into service_windows (component_ids, title, planned_start, planned_end, announced_at, actual_start, actual_end, cancelled_at, created_by) values ${values} returning id`]);
    // past windows a day apart (the newest two days ago), titled in Danish only
    await runStatements(database.url, [
      `insert into service_windows (component_ids, title, planned_start, planned_end, announced_at, created_by)
       select array['web'], jsonb_build_object('da', 'Vindue ' || n), now() - (n + 1) * interval '1 day', now() - (n + 1) * interval '1 day' + interval '1 hour', now() - interval '100 days', 'test'
       from generate_series(1, ${PAST_WINDOWS}) n`,
    ]);
    const [newest] = await runStatements<{ id: string }>(database.url, [`select id from service_windows order by planned_start desc limit 1`]);
    ids.newestPast = newest![0]!.id;
    ids.upcoming = (await insert(`(array['web'], '{"da": "Opgradering", "en": "Upgrade"}', now() + interval '2 days', now() + interval '2 days 2 hours', now(), null, null, null, 'test')`))[0]![0]!.id;
    ids.cancelled = (await insert(`(array['web'], '{"en": "Called off"}', now() + interval '3 days', now() + interval '3 days 1 hour', now(), null, null, now(), 'test')`))[0]![0]!.id;
    // planned for an hour, closed 40 minutes late, yesterday
    ids.overran = (await insert(`(array['web'], '{"en": "Database move", "da": "Databaseflytning"}', now() - interval '1 day', now() - interval '23 hours', now() - interval '10 days', now() - interval '1 day', now() - interval '22 hours 20 minutes', null, 'test')`))[0]![0]!.id;
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
    // the snapshots follow the change: wait until the windows list shows the new ones
    await until(async () => (await (await fetch(`${server.url}/en/windows/`)).text()).includes(`/en/windows/${ids.upcoming}/`), 20_000, 'the windows list to show the new windows');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
  });

  const open = async (path: string, options: { width?: number; scheme?: 'light' | 'dark' } = {}): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: 900 }, colorScheme: options.scheme ?? 'light', bypassCSP: true });
    const page = await context.newPage();
    const response = await page.goto(`${server.url}${path}`);
    expect(response?.status(), path).toBe(200);
    return page;
  };

  it('links each window from the windows list to its own page: title, state, times, services and the calendar', async () => {
    const page = await open('/en/windows/');
    await page.getByRole('link', { name: 'Upgrade' }).click();
    await page.waitForURL(`${server.url}/en/windows/${ids.upcoming}/`);
    expect(await page.locator('h1').innerText()).toBe('Upgrade');
    expect(await page.locator('.state').innerText()).toBe('Service window · Status: Announced');
    const facts = await page.locator('dl.facts').innerText();
    expect(facts).toMatch(/Planned start\s+\d/);
    expect(facts).toMatch(/Planned end\s+\d/);
    expect(facts).not.toContain('Ended');
    await page.locator('dl.facts').getByRole('link', { name: 'Website' }).click();
    await page.waitForURL(`${server.url}/en/components/web/`);
    await page.goBack();
    expect(await page.getByRole('link', { name: 'Add the service windows to your calendar (.ics)' }).getAttribute('href')).toBe('/api/v1/pages/status/feeds/windows.ics?lang=en');
    // the same window on the Danish page, in Danish
    await page.goto(`${server.url}/windows/${ids.upcoming}/`);
    expect(await page.locator('h1').innerText()).toBe('Opgradering');
    expect(await page.locator('.state').innerText()).toBe('Servicevindue · Status: Varslet');
    await page.context().close();
  });

  it('says a window was cancelled, or ran past its planned end, and keeps a Danish-only title marked as Danish', async () => {
    const cancelled = await open(`/en/windows/${ids.cancelled}/`);
    expect(await cancelled.locator('.state').innerText()).toContain('Cancelled');
    expect(await cancelled.locator('dl.facts').innerText()).toMatch(/Cancelled\s+\d/);
    await cancelled.context().close();
    const overran = await open(`/en/windows/${ids.overran}/`);
    expect(await overran.locator('.state').innerText()).toContain('Ran past its planned end');
    expect(await overran.locator('dl.facts').innerText()).toMatch(/Ended\s+\d/);
    expect(await overran.locator('main').innerText()).toContain('The work ran past the announced end; that time counts as downtime.');
    await overran.context().close();
    const past = await open(`/en/windows/${ids.newestPast}/`);
    expect(await past.locator('h1 [lang="da-DK"]').innerText()).toBe('Vindue 1');
    expect(await past.locator('.state').innerText()).toContain('Completed');
    await past.context().close();
  });

  it('links windows from the front page, the history and the component page, whose windows are all there, paged', async () => {
    const page = await open('/en/');
    await page.locator('#maintenance-heading ~ article').getByRole('link', { name: 'Upgrade' }).click();
    await page.waitForURL(`${server.url}/en/windows/${ids.upcoming}/`);
    await page.goto(`${server.url}/en/history/`);
    expect(await page.getByRole('link', { name: 'Database move' }).getAttribute('href')).toBe(`/en/windows/${ids.overran}/`);
    await page.goto(`${server.url}/en/components/web/`);
    const section = page.locator('#windows');
    // every upcoming one and the first page of past ones, the cancelled one left out
    const first = await section.locator('li a').allInnerTexts();
    expect(first[0]).toBe('Upgrade');
    expect(first).not.toContain('Called off');
    expect(first).toHaveLength(1 + PER_PAGE);
    expect(await section.locator('.meta').first().innerText()).toBe(`Past service windows, page 1 of ${Math.ceil((PAST_WINDOWS + 1) / PER_PAGE)}`);
    await section.getByRole('link', { name: 'Older' }).click();
    await page.waitForURL(`${server.url}/en/components/web/windows/2/#windows`);
    const second = await section.locator('li a').allInnerTexts();
    expect(second).toHaveLength(PAST_WINDOWS + 1 - PER_PAGE);
    expect(second.at(-1)).toBe(`Vindue ${PAST_WINDOWS} (Written in Dansk only.)`);
    // no window is on both pages
    expect(new Set([...first, ...second]).size).toBe(first.length + second.length);
    expect(await page.locator('h1').innerText()).toBe('Website');
    await page.context().close();
  });

  it('answers an unknown window and a page of windows past the last with a 404 in the reader\'s language', async () => {
    for (const [path, heading, lang] of [
      ['/en/windows/00000000-0000-4000-8000-000000000000/', 'Page not found', 'en-GB'],
      ['/windows/00000000-0000-4000-8000-000000000000/', 'Siden findes ikke', 'da-DK'],
      ['/en/components/web/windows/9/', 'Page not found', 'en-GB'],
    ] as const) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(404);
      const html = await response.text();
      expect(html, path).toContain(`<html lang="${lang}"`);
      expect(html, path).toContain(heading);
    }
    const json = await fetch(`${server.url}/api/v1/pages/status/windows/00000000-0000-4000-8000-000000000000`);
    expect(json.status).toBe(404);
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it.each(['light', 'dark'] as const)('has no axe-core violations on a window page in the %s scheme', async (scheme) => {
    for (const id of [ids.upcoming, ids.overran, ids.cancelled]) {
      const page = await open(`/en/windows/${id}/`, { scheme });
      expect(await axeViolations(page), `${id} in ${scheme}`).toEqual([]);
      await page.context().close();
    }
    const component = await open('/en/components/web/windows/2/', { scheme });
    expect(await axeViolations(component)).toEqual([]);
    await component.context().close();
  });

  it.each([320, 1280])('reflows the window page and the component\'s windows at %i px (screenshots in test-artifacts/reflow/)', async (width) => {
    for (const [label, path] of [['window', `/windows/${ids.overran}/`], ['window-en', `/en/windows/${ids.newestPast}/`], ['component-windows', '/en/components/web/windows/2/']] as const) {
      const page = await open(path, { width });
      const overflow = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth }));
      mkdirSync(join(ROOT, 'test-artifacts/reflow'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'test-artifacts/reflow', `${label}-${width}.png`), fullPage: true });
      expect(overflow.scrollWidth, `${path} at ${width}`).toBeLessThanOrEqual(overflow.viewport);
      await page.context().close();
    }
  });
});
