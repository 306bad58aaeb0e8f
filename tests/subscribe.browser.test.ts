import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServer, type RunningServer } from './support/run-cli.ts';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.ts';
import { axeViolations, chromiumPath, CHROMIUM_ARGS } from './support/browser.ts';

const PASSWORD = 'operator password 123';

/**
 * The whole path a resident takes, in a browser with JavaScript off, against
 * the real server and a real SMTP peer: subscribe form, confirmation mail,
 * confirm, an incident mail, unsubscribe from its link.
 */
describe.skipIf(!chromiumPath)('subscribing from the status page in Chromium, without JavaScript', () => {
  let server: RunningServer;
  let peer: SmtpPeer;
  let browser: Browser;

  beforeAll(async () => {
    peer = await startSmtpPeer();
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-subscribe-'));
    writeFileSync(
      join(dir, 'config.yaml'),
      `organisations: [{ id: kommune, name: Kommune }]
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus, en: Service status }
    languages: [da, en]
    groups:
      - id: login
        name: { da: Login, en: Sign-in }
        components:
          - id: sso
            name: { da: Fælles login, en: Single sign-on }
            checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 60 }]
          - id: archive
            name: { da: Arkiv, en: Archive }
            checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 60 }]
`,
    );
    const user = await runCli(['user', 'add', '--email', 'op@kommune.example', '--role', 'operator', '--all-organisations'], { STATUSVAKT_DATA_DIR: join(dir, 'data'), STATUSVAKT_USER_PASSWORD: PASSWORD });
    if (user.code !== 0) throw new Error(user.stderr);
    server = await startServer(['start', '--config', join(dir, 'config.yaml')], { STATUSVAKT_DATA_DIR: join(dir, 'data'), SMTP_URL: peer.url, STATUSVAKT_MAIL_FROM: 'status@kommune.example' });
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await peer?.close();
  });

  const mailTo = async (address: string, count: number) => {
    await expect.poll(() => peer.received.filter((m) => m.to[0] === address).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(count);
    return peer.received.filter((m) => m.to[0] === address)[count - 1]!;
  };

  it('subscribes, confirms, receives an update and unsubscribes from its link', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/pages/status/en/`);
    await page.getByRole('link', { name: 'Get updates by e-mail' }).click();
    expect(new URL(page.url()).pathname).toBe('/pages/status/subscribe/en/');
    await page.getByLabel('E-mail address').fill('resident@example.test');
    await page.getByLabel('Single sign-on').check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    expect(await page.locator('h1').textContent()).toBe('Check your inbox');

    const confirmation = await mailTo('resident@example.test', 1);
    expect(confirmation.subject).toBe('Confirm your subscription to Service status');
    const confirmUrl = /http:\/\/\S+\/api\/v1\/subscriptions\/confirm\?token=[\w-]+/.exec(confirmation.text)![0];
    expect(confirmUrl.startsWith(server.url)).toBe(true);
    await page.goto(confirmUrl);
    await page.getByRole('button', { name: 'Confirm' }).click();
    expect(await page.locator('h1').textContent()).toBe('You are subscribed');

    // an operator opens an incident on the followed component and publishes the first step
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: PASSWORD }) });
    const auth = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' };
    const opened = (await (await fetch(`${server.url}/api/v1/incidents`, { method: 'POST', headers: auth, body: JSON.stringify({ pageId: 'status', title: { da: 'Login fejler', en: 'Login fails' }, priority: 'B', componentIds: ['sso'] }) })).json()) as { id: string; version: number };
    const started = Date.now();
    const published = await fetch(`${server.url}/api/v1/incidents/${opened.id}/updates`, { method: 'POST', headers: auth, body: JSON.stringify({ expectedVersion: opened.version, step: 'registered' }) });
    expect(published.status).toBe(201);
    const update = await mailTo('resident@example.test', 2);
    console.log(`publish to mail accepted: ${Date.now() - started} ms`);
    expect(update.subject).toBe('[Service status] Investigating: Login fails');
    expect(update.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');

    const manageUrl = /http:\/\/\S+\/api\/v1\/subscriptions\/manage\?token=[\w-]+/.exec(update.text)![0];
    await page.goto(manageUrl);
    expect(await page.getByLabel('Single sign-on').isChecked()).toBe(true);
    // the manage link changes what is followed and the language, without a login
    await page.getByLabel('Archive').check();
    await page.getByLabel('Language of the mails').selectOption('da');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Dine valg er gemt.').waitFor();
    const changed = (await (await fetch(`${server.url}/api/v1/pages/status/subscribers`, { headers: auth })).json()) as { subscribers: { email: string; language: string; componentIds: string[] }[] };
    expect(changed.subscribers.map((s) => [s.email, s.language, [...s.componentIds].sort()])).toEqual([['resident@example.test', 'da', ['archive', 'sso']]]);
    await page.goto(manageUrl);
    expect([await page.getByLabel('Fælles login').isChecked(), await page.getByLabel('Arkiv').isChecked()]).toEqual([true, true]);
    await page.getByRole('button', { name: 'Afmeld og slet min adresse' }).click();
    expect(await page.locator('h1').textContent()).toBe('Du er afmeldt');
    const list = (await (await fetch(`${server.url}/api/v1/pages/status/subscribers`, { headers: auth })).json()) as { counts: { total: number } };
    expect(list.counts.total).toBe(0);
    await context.close();
  });

  it('shows the form in Danish at the page’s default address, and refuses a bad address in Danish', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/pages/status/subscribe/`);
    expect(await page.locator('h1').textContent()).toBe('Få besked på mail');
    // the browser's own check is what a reader with JavaScript sees first; the server says it too
    await page.locator('form.subscribe').evaluate((form) => form.setAttribute('novalidate', ''));
    await page.getByLabel('E-mailadresse').fill('ikke-en-adresse');
    await page.getByRole('button', { name: 'Abonnér' }).click();
    expect(await page.locator('h1').textContent()).toBe('Abonnementet kunne ikke oprettes');
    expect(await page.locator('main').textContent()).toContain('Det ligner ikke en e-mailadresse');
    await context.close();
  });

  const operatorAuth = async () => {
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: PASSWORD }) });
    return { cookie: login.headers.get('set-cookie')!.split(';')[0]! };
  };
  const subscriberOf = async (email: string) => {
    const list = (await (await fetch(`${server.url}/api/v1/pages/status/subscribers`, { headers: await operatorAuth() })).json()) as { subscribers: { email: string; language: string; componentIds: string[]; status: string }[] };
    return list.subscribers.find((s) => s.email === email);
  };

  it('subscribes to every component from the front page’s own small form, at 320 px, without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/pages/status/`);
    const form = page.getByRole('region', { name: 'Få besked på mail' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    expect(await form.getByRole('link', { name: 'Vælg komponenter' }).getAttribute('href')).toBe('/pages/status/subscribe/');
    await form.getByLabel('E-mailadresse').fill('front@example.test');
    await form.getByLabel('Sprog i mails').selectOption('en');
    await form.getByRole('button', { name: 'Abonnér' }).click();
    expect(await page.locator('h1').textContent()).toBe('Check your inbox');
    const confirmation = await mailTo('front@example.test', 1);
    expect(confirmation.subject).toBe('Confirm your subscription to Service status');
    await page.goto(/http:\/\/\S+\/api\/v1\/subscriptions\/confirm\?token=[\w-]+\S*/.exec(confirmation.text)![0]);
    await page.getByRole('button', { name: 'Confirm' }).click();
    expect(await subscriberOf('front@example.test')).toMatchObject({ status: 'confirmed', language: 'en', componentIds: [] });

    // the English front page speaks English, and its link leads to the English full form
    await page.goto(`${server.url}/pages/status/en/`);
    const english = page.getByRole('region', { name: 'Get updates by e-mail' });
    await english.getByRole('link', { name: 'Choose components' }).click();
    expect(new URL(page.url()).pathname).toBe('/pages/status/subscribe/en/');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await context.close();
  });

  it('follows a whole group from the full form', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/pages/status/subscribe/en/`);
    await page.getByLabel('E-mail address').fill('group@example.test');
    await page.getByLabel('All of Sign-in, also components added later').check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    expect(await page.locator('h1').textContent()).toBe('Check your inbox');
    await mailTo('group@example.test', 1);
    expect(await subscriberOf('group@example.test')).toMatchObject({ status: 'pending', componentIds: ['group:login'] });
    await context.close();
  });

  it('the front page and the full form have no axe-core violations at 320 px', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 }, bypassCSP: true });
    const page = await context.newPage();
    for (const path of ['/pages/status/', '/pages/status/en/', '/pages/status/subscribe/', '/pages/status/subscribe/en/']) {
      await page.goto(`${server.url}${path}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(320);
      expect(await axeViolations(page), path).toEqual([]);
    }
    await context.close();
  });
});
