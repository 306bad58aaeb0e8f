import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeSource, chromiumPath, CHROMIUM_ARGS } from './support/browser.ts';
import { createPostgresDatabase, postgresAdminUrl } from './support/databases.ts';
import { runCli, startServer, type RunningServer } from './support/run-cli.ts';

const title = chromiumPath ? 'the console in Danish and Italian, from login to a published estimate read on the page in another zone, in Chromium' : 'the console in Danish and Italian (skipped: no Chromium found; install it or set CHROMIUM_PATH)';
const PASSWORD = 'operator password 123';
/** The zone the operator types the estimate in: not the page's (Copenhagen), not the server's (UTC). */
const OPERATOR_ZONE = 'America/New_York';
const PAGE_ZONE = 'Europe/Copenhagen';

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

/** An instant as a datetime-local value in `timeZone` (what an operator there types). */
const wallTime = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(at).replace(' ', 'T');

describe.skipIf(!chromiumPath)(title, () => {
  let server: RunningServer;
  let browser: Browser;
  let drop: (() => Promise<void>) | undefined;
  /** The logged-in operator's cookies (Danish chosen), for the contexts after the first. */
  let loggedIn: Awaited<ReturnType<BrowserContext['storageState']>>;
  let incidentId = '';

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-console-languages-'));
    writeFileSync(
      join(dir, 'config.yaml'),
      `organisations: [{ id: kommune, name: Kommune }]
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus, en: Service status, it: Stato dei servizi }
    defaultLanguage: da
    languages: [da, en, it]
    timeZone: ${PAGE_ZONE}
    groups:
      - id: g
        name: { da: Tjenester, en: Services, it: Servizi }
        components:
          - id: archive
            name: { da: Arkiv, en: Archive, it: Archivio }
            checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 3600 }]
          - id: booking
            name: { da: Booking, en: Booking, it: Prenotazioni }
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

  /** A page as the logged-in operator (JavaScript on, for axe), in a browser whose own zone is neither the page's nor the operator's. */
  async function operatorPage(width = 1280): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, storageState: loggedIn, timezoneId: 'Asia/Tokyo' });
    return context.newPage();
  }

  it('picks Danish with the header picker and logs in, without JavaScript: the login page and the front screen speak Danish', async () => {
    // an English browser: Danish only because the operator chose it
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${server.url}/console/login/`);
    expect(await page.getAttribute('html', 'lang')).toBe('en-GB');
    await page.getByLabel('Language').selectOption({ label: 'Dansk' });
    await page.getByRole('button', { name: 'Change' }).click();
    await page.waitForURL(`${server.url}/console/login/`);
    expect(await page.getAttribute('html', 'lang')).toBe('da');
    expect(await page.title()).toBe('Log ind · Statusvakt-konsol');
    await page.getByLabel('E-mail').fill('op@kommune.example');
    await page.getByLabel('Adgangskode').fill(PASSWORD);
    expect(await page.getByLabel('Kode fra anden faktor (hvis du bruger en)').count()).toBe(1);
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.waitForURL(`${server.url}/console/`);
    expect(await page.getAttribute('html', 'lang')).toBe('da');
    expect(await page.getByRole('heading', { name: 'Kræver opmærksomhed nu' }).count()).toBe(1);
    expect(await page.locator('main').innerText()).toContain('Intet kræver opmærksomhed: ingen åben hændelse');
    expect(await page.getByRole('link', { name: 'Opret en hændelse' }).count()).toBe(1);
    expect(await page.getByRole('navigation', { name: 'Konsol' }).getByRole('link', { name: 'Servicevinduer' }).count()).toBe(1);
    loggedIn = await context.storageState();
    await context.close();
  }, 60_000);

  it('opens an incident for two components in Danish, and publishes a step in two languages with an estimate typed in New York time', async () => {
    const page = await operatorPage();
    await page.goto(`${server.url}/console/`);
    expect(await axe(page)).toEqual([]);
    await page.getByRole('link', { name: 'Opret en hændelse' }).click();
    await page.waitForURL(`${server.url}/console/incidents/new/`);
    expect(await page.getAttribute('html', 'lang')).toBe('da');
    const titles = page.getByRole('group', { name: 'Titel, på hvert af sidens sprog' });
    await titles.getByLabel('Dansk (standardsprog)').fill('Arkiv og booking svarer ikke');
    await titles.getByLabel('Engelsk').fill('Archive and booking do not answer');
    // component names in the console's language (Danish here), ids beside them
    await page.getByLabel('Arkiv (archive)').check();
    await page.getByLabel('Booking (booking)').check();
    await page.getByRole('button', { name: 'Tjek sprogene' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#open-languages').innerText()).toContain('Titel: Italiensk');
    expect(await page.locator('#open-languages').innerText()).toContain('Du kan godt offentliggøre nu: Læsere på italiensk ser teksten på dansk, markeret som dansk.');
    expect(await titles.locator('.missing-note').innerText()).toBe('Mangler. Læsere på italiensk ser teksten på dansk, markeret som dansk.');
    expect(await axe(page)).toEqual([]);
    await page.getByRole('button', { name: 'Opret hændelse' }).click();
    await page.waitForURL(/\/console\/incidents\/[0-9a-f-]{36}\/\?done=/);
    incidentId = /incidents\/([0-9a-f-]{36})\//.exec(page.url())![1]!;
    expect(await page.getByRole('status').innerText()).toBe('Hændelsen er oprettet. Titel: Læsere på italiensk ser teksten på dansk, markeret som dansk.');
    expect(await page.title()).toBe('Arkiv og booking svarer ikke · Statusvakt-konsol');
    expect(await page.locator('main').innerText()).toContain('komponenter Arkiv, Booking');
    expect(await page.getByRole('heading', { name: 'Kommunikationsplan' }).count()).toBe(1);

    // the zone first: the page comes back with the estimate's field labelled in it
    await page.getByLabel('Trin', { exact: true }).selectOption('status_estimate');
    expect(await page.getByLabel('Trin', { exact: true }).locator('option:checked').innerText()).toBe('Status og forventning');
    await page.getByLabel('Tidszone for de tidspunkter, du skriver og læser').selectOption(OPERATOR_ZONE);
    await page.getByRole('button', { name: 'Tjek sprogene' }).click();
    await page.waitForLoadState();
    const estimateField = page.getByLabel(`Forventet løst (valgfrit), tid i ${OPERATOR_ZONE}`);
    const estimate = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 3 * 3_600_000);
    const texts = page.getByRole('group', { name: 'Opdateringens tekst, på hvert af sidens sprog' });
    await texts.getByLabel('Dansk (standardsprog)').fill('Vi genstarter serverne. Forventet løst: {estimate}.');
    await texts.getByLabel('Engelsk').fill('We are restarting the servers. Expected fix: {estimate}.');
    await texts.getByLabel('Italiensk').fill('');
    // an estimate already passed is refused, in Danish, with both times in the operator's zone; what was typed is kept
    const passed = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000);
    await estimateField.fill(wallTime(passed, OPERATOR_ZONE));
    await page.getByRole('button', { name: 'Offentliggør', exact: true }).click();
    await page.waitForLoadState();
    const passedInConsole = `${new Intl.DateTimeFormat('da-DK', { dateStyle: 'medium', timeStyle: 'short', timeZone: OPERATOR_ZONE }).format(passed)} (${OPERATOR_ZONE})`;
    expect(await page.locator('p.error[role="alert"]').innerText()).toMatch(new RegExp(`^Forventet løst: ${passedInConsole.replace(/[().]/g, '\\$&')} er passeret eller ligger før hændelsen blev opdaget; angiv et tidspunkt efter .*\\(${OPERATOR_ZONE}\\)\\.$`));
    expect(await texts.getByLabel('Engelsk').inputValue()).toBe('We are restarting the servers. Expected fix: {estimate}.');
    await estimateField.fill(wallTime(estimate, OPERATOR_ZONE));
    expect(await page.getByLabel('Status for Arkiv').locator('option').allInnerTexts()).toEqual(['Som før (ud fra prioriteten)', 'Nedsat ydelse', 'Delvist nedbrud', 'Større nedbrud', 'Under vedligeholdelse', 'I drift']);
    expect(await axe(page)).toEqual([]);
    await page.getByRole('button', { name: 'Offentliggør', exact: true }).click();
    await page.waitForURL(/\?done=/);
    expect(await page.getByRole('status').innerText()).toBe('Opdateringen er offentliggjort. Læsere på italiensk ser teksten på dansk, markeret som dansk.');

    // stored as the instant the operator meant, whatever the browser's, the server's or the page's zone
    const answer = await page.request.get(`${server.url}/api/v1/incidents/${incidentId}`);
    const view = (await answer.json()) as { updates: { step: string; estimatedFixAt: string | null; body: Record<string, string> }[] };
    const published = view.updates.find((u) => u.step === 'status_estimate')!;
    expect(published.estimatedFixAt).toBe(estimate.toISOString());
    // the console reads it back in the operator's zone, written the Danish way
    const inConsole = `${new Intl.DateTimeFormat('da-DK', { dateStyle: 'medium', timeStyle: 'short', timeZone: OPERATOR_ZONE }).format(estimate)} (${OPERATOR_ZONE})`;
    expect(await page.locator('.estimate').first().innerText()).toBe(inConsole);
    await page.context().close();
  }, 120_000);

  it('switches the console to Italian: the incident page speaks Italian, with the components named in Italian', async () => {
    const page = await operatorPage();
    await page.goto(`${server.url}/console/incidents/${incidentId}/`);
    await page.getByLabel('Sprog', { exact: true }).selectOption({ label: 'Italiano' });
    await page.getByRole('button', { name: 'Skift' }).click();
    await page.waitForURL(`${server.url}/console/incidents/${incidentId}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('it');
    const main = await page.locator('main').innerText();
    expect(main).toContain('componenti Archivio, Prenotazioni');
    expect(await page.getByRole('heading', { name: 'Piano di comunicazione' }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Cronologia' }).count()).toBe(1);
    expect(await page.getByRole('group', { name: 'Pubblica il passo successivo' }).count()).toBe(1);
    expect(await page.getByLabel('Stato di Archivio').count()).toBe(1);
    expect(await page.locator('ol li strong', { hasText: 'Stato e stima' }).count()).toBe(1);
    expect(main).toContain('Chi legge in italiano vede il testo in danese, indicato come danese.');
    expect(await axe(page)).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('shows the estimate on the public page in English, in the page’s zone rather than the one it was typed in', async () => {
    const reader = await browser.newContext({ timezoneId: OPERATOR_ZONE });
    const publicPage = await reader.newPage();
    const answer = (await (await fetch(`${server.url}/api/v1/incidents/${incidentId}`, { headers: { cookie: loggedIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ') } })).json()) as { updates: { step: string; estimatedFixAt: string }[] };
    const estimate = new Date(answer.updates.find((u) => u.step === 'status_estimate')!.estimatedFixAt);
    const onPage = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: PAGE_ZONE }).format(estimate);
    const typed = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: OPERATOR_ZONE }).format(estimate);
    expect(onPage).not.toBe(typed); // the two zones differ, so a shifted time cannot pass
    const main = publicPage.locator('main');
    // served from a snapshot refreshed just after a write: wait for the update to arrive
    await expect.poll(async () => (await publicPage.goto(`${server.url}/en/incidents/${incidentId}/`), main.innerText()), { timeout: 15_000 }).toContain(`We are restarting the servers. Expected fix: ${onPage}.`);
    expect(await main.innerText()).not.toContain(typed);
    await reader.close();
  }, 60_000);

  it('refuses, in Danish, a window starting at a time the clocks skip, and keeps what was typed', async () => {
    const page = await operatorPage();
    await page.goto(`${server.url}/console/windows/`);
    const titles = page.getByRole('group', { name: 'Titel, på hvert af sidens sprog' });
    await titles.getByLabel('Dansk (standardsprog)').fill('Opgradering af arkivet');
    await page.getByRole('checkbox', { name: 'Arkiv', exact: true }).check();
    // 02:30 on the last Sunday of March 2027 does not exist in Copenhagen: the clocks go from 02:00 to 03:00
    await page.getByLabel(`Planlagt start (tid i ${PAGE_ZONE})`).fill('2027-03-28T02:30');
    await page.getByLabel(`Planlagt afslutning (tid i ${PAGE_ZONE})`).fill('2027-03-28T04:00');
    await page.getByRole('button', { name: 'Planlæg', exact: true }).click();
    await page.waitForLoadState();
    expect(await page.locator('main').innerText()).toContain(`Planlagt start: 2027-03-28 02:30 findes ikke i ${PAGE_ZONE}: uret stilles frem på det tidspunkt; vælg et tidspunkt efter skiftet`);
    expect(await titles.getByLabel('Dansk (standardsprog)').inputValue()).toBe('Opgradering af arkivet');
    await page.context().close();
  }, 60_000);

  it('says the API’s refusals in Danish, its English words kept beside them: an unknown component, and a step sent on a stale version', async () => {
    const page = await operatorPage();
    await page.goto(`${server.url}/console/components/nothing/`);
    expect(await page.locator('p.error[role="alert"]').innerText()).toBe('Ingen komponent hedder “nothing”.');
    expect(await page.locator('p.error[role="alert"]').getAttribute('lang')).toBeNull();
    await page.getByText('Serverens ordlyd (på engelsk)').click();
    expect(await page.locator('details.api-words p[lang="en"]').innerText()).toContain('no component "nothing"');

    // another operator publishes between reading the incident and sending: the version the form carries is behind
    await page.goto(`${server.url}/console/incidents/${incidentId}/`);
    const version = Number(await page.locator('input[name="version"]').inputValue());
    await page.locator('input[name="version"]').evaluate((input: HTMLInputElement, stale) => (input.value = stale), String(version - 1));
    await page.getByLabel('Trin', { exact: true }).selectOption('nature');
    const texts = page.getByRole('group', { name: 'Opdateringens tekst, på hvert af sidens sprog' });
    await texts.getByLabel('Dansk (standardsprog)').fill('Fejlen skyldes en fuld disk.');
    await page.getByRole('button', { name: 'Offentliggør', exact: true }).click();
    await page.waitForLoadState();
    expect(await page.locator('p.error[role="alert"]').innerText()).toBe(`En anden har ændret hændelsen, efter du åbnede den (den er nu version ${version}). Genindlæs siden, se hvad der er ændret, og offentliggør igen.`);
    expect(await page.locator('details.api-words p[lang="en"]').textContent()).toContain('the incident changed since you read it');
    expect(await axe(page)).toEqual([]);
    await page.context().close();
  }, 60_000);

  it.each([
    ['da', '/console/login/'],
    ['da', '/console/'],
    ['da', '/console/incidents/new/'],
    ['da', '/console/incidents/{id}/'],
    ['da', '/console/incidents/{id}/regroup/'],
    ['da', '/console/windows/'],
    ['it', '/console/login/'],
    ['it', '/console/'],
    ['it', '/console/incidents/new/'],
    ['it', '/console/incidents/{id}/'],
    ['it', '/console/incidents/{id}/regroup/'],
    ['it', '/console/windows/'],
    ['nb', '/console/incidents/{id}/'],
    ['sv', '/console/incidents/{id}/'],
  ])('%s %s: no axe violations, no horizontal scrolling at 320 px', async (language, path) => {
    const page = await operatorPage(320);
    await page.context().addCookies([{ name: 'sv_console_lang', value: language, domain: new URL(server.url).hostname, path: '/console/' }]);
    await page.goto(`${server.url}${path.replace('{id}', incidentId)}`);
    expect(await page.getAttribute('html', 'lang')).toBe(language);
    expect(await page.locator('main').innerText()).not.toMatch(/\bundefined\b|\{(?!estimate\})\w+\}/); // no value left out of a sentence ({estimate} is the placeholder operators may type)
    expect(await overflowPx(page)).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await axe(page)).toEqual([]);
    await page.context().close();
  }, 60_000);

  // last, since it resolves the incident the pages above show open
  it('publishes each step of the communication plan in Danish and English from the Danish console, up to the post-incident report', async () => {
    const page = await operatorPage();
    await page.goto(`${server.url}/console/incidents/${incidentId}/`);
    const texts = page.getByRole('group', { name: 'Opdateringens tekst, på hvert af sidens sprog' });
    const steps = [
      ['registered', 'Vi har registreret fejlen.', 'We have registered the fault.'],
      ['nature', 'Fejlen skyldes en fuld disk.', 'The fault is a full disk.'],
      ['operation_normal', 'Alt kører normalt igen.', 'Everything runs normally again.'],
      ['post_incident_report', 'Rapport: disken er udvidet.', 'Report: the disk has been enlarged.'],
    ] as const;
    for (const [step, da, en] of steps) {
      await page.getByLabel('Trin', { exact: true }).selectOption(step);
      await texts.getByLabel('Dansk (standardsprog)').fill(da);
      await texts.getByLabel('Engelsk').fill(en);
      await texts.getByLabel('Italiensk').fill('');
      await page.getByRole('button', { name: 'Offentliggør', exact: true }).click();
      await page.waitForURL(/\?done=/);
      expect(await page.getByRole('status').innerText(), step).toBe('Opdateringen er offentliggjort. Læsere på italiensk ser teksten på dansk, markeret som dansk.');
    }
    const view = (await (await page.request.get(`${server.url}/api/v1/incidents/${incidentId}`)).json()) as { incident: { status: string }; updates: { step: string; body: Record<string, string> }[] };
    // with the estimate published before, every step of the plan, each in the two languages written
    for (const [step, da, en] of steps) expect(view.updates.find((u) => u.step === step)?.body, step).toEqual({ da, en });
    expect(view.updates.map((u) => u.step).sort()).toEqual(['nature', 'operation_normal', 'post_incident_report', 'registered', 'status_estimate']);
    expect(view.incident.status).toBe('postmortem');
    await page.context().close();
  }, 120_000);
});
