import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeSource, chromiumPath, CHROMIUM_ARGS } from './support/browser.ts';
import { runCli, startServer, type RunningServer } from './support/run-cli.ts';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.ts';

const PASSWORD = 'operator password 123';
const NO_SMTP_LINE = 'SMTP is not configured (set SMTP_URL): mail stays queued in the outbox until it is';

/** Lines of the server's JSON log with this message. */
const logLines = (server: RunningServer, msg: string) =>
  server
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg: string; [key: string]: unknown })
    .filter((l) => l.msg === msg);

/**
 * The console shows what could not be delivered, against the real server:
 * first with an SMTP server that refuses one address (failed for good,
 * bounced), then restarted without SMTP (mail stays queued, a banner and one
 * log line say so).
 */
describe.skipIf(!chromiumPath)('delivery problems in the operator console, in Chromium', () => {
  let server: RunningServer | undefined;
  let peer: SmtpPeer;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    peer = await startSmtpPeer({ rcpt: (address) => (address === 'gone@example.test' ? { code: 550, message: '5.1.1 <gone@example.test>: mailbox unavailable' } : null) });
    dir = mkdtempSync(join(tmpdir(), 'statusvakt-deliveries-'));
    writeFileSync(
      join(dir, 'config.yaml'),
      `organisations: [{ id: kommune, name: Kommune }]
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus, en: Service status }
    groups:
      - id: login
        name: Login
        components:
          - { id: sso, name: Single sign-on, checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 60 }] }
`,
    );
    const user = await runCli(['user', 'add', '--email', 'op@kommune.example', '--role', 'operator', '--all-organisations'], { STATUSVAKT_DATA_DIR: join(dir, 'data'), STATUSVAKT_USER_PASSWORD: PASSWORD });
    if (user.code !== 0) throw new Error(user.stderr);
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await peer?.close();
  });

  const subscribe = async (email: string) => {
    const response = await fetch(`${server!.url}/api/v1/pages/status/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, language: 'en' }) });
    expect(response.status).toBe(202);
  };

  it('lists a message refused for good with its reason and the bounced address; without SMTP, a banner and one log line say mail stays queued', async () => {
    const env = { STATUSVAKT_DATA_DIR: join(dir, 'data'), STATUSVAKT_MAIL_FROM: 'status@kommune.example' };
    server = await startServer(['start', '--config', join(dir, 'config.yaml')], { ...env, SMTP_URL: peer.url });
    await subscribe('gone@example.test');
    await expect.poll(() => logLines(server!, 'notification failed permanently').length, { timeout: 20_000 }).toBe(1);
    expect(logLines(server, NO_SMTP_LINE)).toHaveLength(0);
    await server.stop();

    // the same data, no SMTP server: the next confirmation waits in the outbox
    server = await startServer(['start', '--config', join(dir, 'config.yaml')], { ...env, SMTP_URL: undefined });
    await subscribe('waiting@example.test');
    await expect.poll(() => logLines(server!, NO_SMTP_LINE).length, { timeout: 20_000 }).toBe(1);
    expect(logLines(server, NO_SMTP_LINE)[0]).toMatchObject({ queued: 1 });
    await subscribe('another@example.test');
    // several more rounds of the worker (one a second): still the one line
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(logLines(server, NO_SMTP_LINE)).toHaveLength(1);

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/console/login/`);
    await page.getByLabel('E-mail').fill('op@kommune.example');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/console/`);
    // every console page carries the banner
    const banner = page.getByRole('alert');
    expect(await banner.innerText()).toMatch(/No SMTP server is configured, so no e-mail is sent\.\s+2 e-mail messages wait in the outbox/);

    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.waitForURL(`${server.url}/console/notifications/`);
    expect(await page.locator('h1').innerText()).toBe('Notifications');
    expect(await page.getByRole('alert').innerText()).toContain('No SMTP server is configured');
    const counts = Object.fromEntries(await page.locator('.counts > div').evaluateAll((divs) => divs.map((d) => [d.querySelector('dt')!.textContent, d.querySelector('dd')!.textContent])));
    expect(counts).toEqual({ Queued: '2', 'Of them e-mail': '2', 'Failed for good': '1', 'Bounced addresses': '1' });
    const failed = page.getByRole('table', { name: /messages that will not be retried/ });
    const failedRow = await failed.locator('tbody tr').allInnerTexts();
    expect(failedRow).toHaveLength(1);
    expect(failedRow[0]).toMatch(/Confirmation\tgone@example\.test\t1\t.*550.*mailbox unavailable/);
    const bounced = await page.getByRole('table', { name: /Subscribers whose mail server refused them/ }).locator('tbody tr').allInnerTexts();
    expect(bounced).toHaveLength(1);
    expect(bounced[0]).toMatch(/^gone@example\.test\tService status\t.*550/);
    // the page's subscribers counted, and their list as CSV through the operator's own session
    const subscribers = page.getByRole('table', { name: /^Subscribers of each page/ });
    expect((await subscribers.locator('tbody tr').allInnerTexts()).map((row) => row.split('\t').slice(0, 5))).toEqual([['Service status', '3', '0', '3', '1']]);
    const csvLink = subscribers.getByRole('link', { name: 'Export as CSV (Service status)' });
    const csv = await page.request.get(new URL((await csvLink.getAttribute('href'))!, server.url).toString());
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    expect((await csv.text()).split('\n').filter((line) => /@example\.test/.test(line)).map((line) => line.split(',')[0]).sort()).toEqual(['another@example.test', 'gone@example.test', 'waiting@example.test']);

    const axe = await page.evaluate(async (source) => {
      new Function(source)();
      return (window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string; help: string }[] }> } }).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] });
    }, axeSource);
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await context.close();
  }, 120_000);
});
