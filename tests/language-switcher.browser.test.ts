import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, postgresAdminUrl } from './support/databases.ts';
import { startServer, type RunningServer } from './support/run-cli.ts';
import { chromiumPath, CHROMIUM_ARGS } from './support/browser.ts';

// every language the site speaks, and a long page name beside them in the header
const CONFIG = `organisations: [{ id: kommune, name: Kommune }]
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus for Eksempel Kommune, nb: Driftsstatus for Eksempel Kommune, sv: Driftstatus för Eksempel Kommune, it: Stato dei servizi di Eksempel Kommune, en: Service status of Eksempel Kommune }
    languages: [da, nb, sv, it, en]
    groups:
      - id: core
        name: { da: Kerne, en: Core }
        components:
          - id: web
            name: { da: Hjemmeside, en: Website }
            checks: [{ kind: https, url: "https://127.0.0.1:1/" }]
`;

const title = chromiumPath ? 'the language switcher in Chromium' : 'the language switcher in Chromium (skipped: no Chromium found; install it or set CHROMIUM_PATH)';

describe.skipIf(!chromiumPath || !postgresAdminUrl)(title, () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-switcher-'));
    writeFileSync(join(dir, 'config.yaml'), CONFIG);
    server = await startServer(['serve', '--config', join(dir, 'config.yaml')], { DATABASE_URL: database.url });
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
  });

  it.each([320, 390, 768, 1280])('keeps each of five language names whole at %i px, and the page never scrolls sideways', async (width) => {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    for (const path of ['/', '/en/', '/sv/history/', '/it/windows/', '/nb/components/web/']) {
      expect((await page.goto(`${server.url}${path}`))?.status(), path).toBe(200);
      const measured = await page.evaluate(() => ({
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        // an inline element broken over two lines has a box on each: "Dan|sk" is two
        names: [...document.querySelectorAll('.languages li > *')].map((item) => ({ text: item.textContent, lines: item.getClientRects().length })),
      }));
      expect(measured.overflow, `${path} overflows ${width} px by ${measured.overflow} px`).toBeLessThanOrEqual(0);
      expect(measured.names.map((n) => n.text), path).toEqual(['Dansk', 'Norsk bokmål', 'Svenska', 'Italiano', 'English']);
      for (const name of measured.names) expect(name.lines, `${name.text} on ${path} at ${width} px`).toBe(1);
    }
    await context.close();
  });
});
