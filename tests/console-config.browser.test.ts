import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeSource, chromiumPath, CHROMIUM_ARGS } from './support/browser.ts';
import { createPostgresDatabase, postgresAdminUrl } from './support/databases.ts';
import { runCli, startServer, type RunningServer } from './support/run-cli.ts';

const title = chromiumPath ? 'reloading the configuration from the console, in Chromium' : 'reloading the configuration from the console, in Chromium (skipped: no Chromium found; install it or set CHROMIUM_PATH)';
const PASSWORD = 'administrator password 1';

const componentYaml = (id: string, name: string, interval = '3600') => `          - id: ${id}
            name: ${name}
            checks: [{ kind: https, url: "https://127.0.0.1:1/${id}", intervalSeconds: ${interval} }]
`;
const configYaml = (components: string) => `organisations: [{ id: kommune, name: Kommune }]
pages:
  - id: status
    organisation: kommune
    name: Service status
    languages: [en]
    defaultLanguage: en
    groups:
      - id: g
        name: Services
        components:
${components}`;

async function axeViolations(page: Page): Promise<string[]> {
  const result = await page.evaluate(async (source) => {
    new Function(source)();
    return (window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string }[] }> } }).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] }, resultTypes: ['violations'] });
  }, axeSource);
  return result.violations.map((v) => v.id);
}
/** How far the page is wider than the window: 0 when nothing scrolls sideways. */
const overflowPx = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe.skipIf(!chromiumPath)(title, () => {
  let server: RunningServer;
  let browser: Browser;
  let file: string;
  let drop: (() => Promise<void>) | undefined;

  const logIn = async (email: string, options: { locale?: string; width?: number } = {}) => {
    const context = await browser.newContext({ ...(options.locale ? { locale: options.locale, extraHTTPHeaders: { 'accept-language': options.locale } } : {}), viewport: { width: options.width ?? 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/console/login/`);
    await page.locator('input[type="email"]').fill(email);
    await page.locator('input[type="password"]').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/console/`);
    return page;
  };
  const shownComponents = async () => ((await (await fetch(`${server.url}/pages/status/api/v2/components.json`)).json()) as { components: { name: string; group: boolean }[] }).components.filter((c) => !c.group).map((c) => c.name).sort();

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-console-config-'));
    file = join(dir, 'config.yaml');
    writeFileSync(file, configYaml(componentYaml('archive', 'Archive')));
    const env: Record<string, string> = { TZ: 'UTC', STATUSVAKT_DATA_DIR: join(dir, 'data'), STATUSVAKT_USER_PASSWORD: PASSWORD };
    if (postgresAdminUrl) {
      const database = await createPostgresDatabase();
      env.DATABASE_URL = database.url;
      drop = database.drop;
    }
    server = await startServer(['serve', '--config', file], env);
    for (const [email, role, scope] of [['admin@kommune.example', 'admin', '--all-organisations'], ['op@kommune.example', 'operator', '--all-organisations']] as const) {
      const made = await runCli(['user', 'add', '--email', email, '--role', role, scope], env);
      if (made.code !== 0) throw new Error(made.stderr);
    }
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await drop?.();
  });

  it('reloads a file with a new component: the console names it and the public page shows it', async () => {
    const page = await logIn('admin@kommune.example');
    await page.getByRole('link', { name: 'Configuration: reload the configuration file' }).click();
    await page.waitForURL(`${server.url}/console/config/`);
    expect(await axeViolations(page)).toEqual([]);
    writeFileSync(file, configYaml(componentYaml('archive', 'Archive') + componentYaml('mail', 'Mail')));
    await page.getByRole('button', { name: 'Reload the configuration' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('status').innerText()).toBe(`Configuration reloaded from ${file}.`);
    const changes = await page.locator('section', { has: page.getByRole('heading', { name: 'What changed' }) }).innerText();
    expect(changes).toMatch(/Components\s+Added: Mail \(mail\)/);
    expect(changes).toMatch(/Checks\s+Added: mail\/https/);
    expect(await axeViolations(page)).toEqual([]);
    // the public page, served from a snapshot refreshed after the change, shows it
    const reader = await browser.newPage();
    await expect.poll(async () => (await reader.goto(`${server.url}/`), reader.locator('li.component h3').allInnerTexts()), { timeout: 20_000 }).toEqual(['Archive', 'Mail']);
    expect(await shownComponents()).toEqual(['Archive', 'Mail']);
    await reader.close();
    await page.context().close();
  }, 120_000);

  it('refuses a file with a mistake with its line and how to fix it, and nothing changes; without horizontal scrolling at 320 px', async () => {
    const page = await logIn('admin@kommune.example', { width: 320 });
    await page.goto(`${server.url}/console/config/`);
    const text = configYaml(componentYaml('archive', 'Archive') + componentYaml('mail', 'Mail') + componentYaml('fax', 'Fax', 'often'));
    const line = text.split('\n').findIndex((l) => l.includes('intervalSeconds: often')) + 1;
    writeFileSync(file, text);
    await page.getByRole('button', { name: 'Reload the configuration' }).click();
    await page.waitForLoadState();
    expect(await page.locator('p.error[role="alert"]').innerText()).toBe('The configuration was not reloaded: the file has mistakes. The running configuration stays.');
    const mistakes = page.locator('section', { has: page.getByRole('heading', { name: `Mistakes in ${file}` }) });
    const first = await mistakes.locator('li').first().innerText();
    expect(first).toContain(`line ${line}`);
    expect(first).toContain('pages.0.groups.0.components.2.checks.0.intervalSeconds');
    expect(first).toMatch(/number/);
    expect(await mistakes.innerText()).toContain('Fix the mistakes in the file and reload again.');
    expect(await overflowPx(page)).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    // nothing changed: the page still has the two components of the last good file
    expect(await shownComponents()).toEqual(['Archive', 'Mail']);
    await page.context().close();
  }, 120_000);

  it('speaks the console language, and offers the reload only to an administrator of every organisation', async () => {
    const danish = await logIn('admin@kommune.example', { locale: 'da-DK' });
    await danish.goto(`${server.url}/console/config/`);
    expect(await danish.locator('h1').innerText()).toBe('Konfiguration');
    expect(await danish.getByRole('button', { name: 'Indlæs konfigurationen igen' }).count()).toBe(1);
    await danish.context().close();

    const operator = await logIn('op@kommune.example');
    expect(await operator.getByRole('link', { name: /^Configuration/ }).count()).toBe(0);
    await operator.goto(`${server.url}/console/config/`);
    expect(await operator.getByRole('button', { name: 'Reload the configuration' }).count()).toBe(0);
    expect(await operator.locator('main').innerText()).toContain('only an administrator of all organisations may reload it');
    expect(await axeViolations(operator)).toEqual([]);
    await operator.context().close();
  }, 120_000);
});
