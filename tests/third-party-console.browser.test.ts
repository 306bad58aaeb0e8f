import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, postgresAdminUrl } from './support/databases.ts';
import { runCli, startServer, type RunningServer } from './support/run-cli.ts';
import { runStatements } from './support/pg-admin.ts';
import { chromiumPath, CHROMIUM_ARGS } from './support/browser.ts';

const PASSWORD = 'correct horse battery staple';
const CONFIG = `organisations: [{ id: kommune, name: Kommune }]
slaProfiles: [{ id: basic, name: Basic, availabilityTargetPercent: 99.5, timeZone: UTC }]
pages:
  - id: status
    organisation: kommune
    name: Status
    languages: [da, en]
    timeZone: UTC
    groups:
      - id: g
        name: G
        components:
          - id: exchange
            name: Exchange Online
            checks: [{ kind: statuspage, url: "https://127.0.0.1:1/api/v2/summary.json", component: Exchange }]
          - id: mail
            name: Council mail
            slaProfile: basic
            dependsOn: [{ component: exchange, effect: down }]
            checks: [{ kind: https, url: "https://127.0.0.1:1/" }]
`;

const title = chromiumPath ? 'downtime attributed to a third party in the console and the report, in Chromium' : 'downtime attributed to a third party (skipped: no Chromium found; set CHROMIUM_PATH)';

describe.skipIf(!chromiumPath || !postgresAdminUrl)(title, () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let server: RunningServer;
  let browser: Browser;
  // whole minutes, an hour apart, so the times read the same in the console and in the test
  const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 2 * 3_600_000);
  const end = new Date(start.getTime() + 3_600_000);

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-third-party-console-'));
    writeFileSync(join(dir, 'config.yaml'), CONFIG);
    const env = { TZ: 'UTC', DATABASE_URL: database.url, STATUSVAKT_USER_PASSWORD: PASSWORD };
    server = await startServer(['serve', '--config', join(dir, 'config.yaml')], env);
    const admin = await runCli(['user', 'add', '--email', 'admin@kommune.example', '--name', 'Astrid Admin', '--role', 'admin', '--all-organisations'], env);
    if (admin.code !== 0) throw new Error(admin.stderr);
    // mail down for an hour while Exchange Online was down too
    await runStatements(database.url, [
      `insert into state_intervals (component_id, state, started_at, ended_at) values
        ('mail', 'down', '${start.toISOString()}', '${end.toISOString()}'),
        ('exchange', 'down', '${new Date(start.getTime() - 600_000).toISOString()}', '${new Date(end.getTime() + 600_000).toISOString()}')`,
    ]);
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
  });

  it('shows the attributed downtime in the report, and one button in the console turns it into an exclusion', async () => {
    const month = start.toISOString().slice(0, 7);
    const report = await (await fetch(`${server.url}/en/sla/${month}/`)).text();
    expect(report).toContain('Of the downtime, while a service it depends on had a problem');

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${server.url}/console/login/`);
    await page.getByLabel('E-mail').fill('admin@kommune.example');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/console/`);
    await page.goto(`${server.url}/console/exclusions/`);
    const section = page.locator('section', { has: page.locator('#x-third-party') });
    expect(await section.locator('li').innerText()).toMatch(/^Council mail: .+ – .+ \(Exchange Online\)/);
    await section.getByRole('button', { name: 'Exclude as force majeure' }).click();
    await page.waitForURL(/done=third-party/);
    expect(await page.locator('table').innerText()).toContain('Downtime while Exchange Online reported a problem');
    expect(await page.locator('section', { has: page.locator('#x-third-party') }).innerText()).toContain('None this month or last.');

    const [rows] = await runStatements<{ component_ids: string[]; start_at: Date; end_at: Date; reason: string; author: string }>(database.url, ['select component_ids, start_at, end_at, reason, author from exclusions']);
    expect(rows).toHaveLength(1);
    expect(rows![0]).toMatchObject({ component_ids: ['mail'], reason: 'force_majeure', author: 'admin@kommune.example' });
    expect(new Date(rows![0]!.start_at).toISOString()).toBe(start.toISOString());
    const [audit] = await runStatements<{ action: string }>(database.url, [`select action from audit_log where action = 'exclusion.record'`]);
    expect(audit).toHaveLength(1);
  });
});
