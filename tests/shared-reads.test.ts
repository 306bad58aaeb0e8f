import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../api/index.ts';
import { syncConfig } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { testConfig } from './support/fixtures.ts';

/**
 * A refresh of the kept pages asks the API for every Statuspage route, the
 * status and the badges of a page in each language. With one round's shared
 * reads as Hono's env the page status is read once for all of them; a request
 * without them (any request from the network) always reads afresh.
 */
describe.each(DRIVERS)('reads shared by one refresh round, on %s', (driver) => {
  let test: TestDatabase;
  let app: App;
  let clock = new Date('2026-04-01T08:00:00Z');

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, testConfig(), new Date('2026-01-01T00:00:00Z'));
    app = buildApp({ database: test.handle, now: () => clock, logger: pino({ level: 'silent' }), publicUrl: 'https://status.kommune.example/' });
  });
  afterAll(async () => {
    await test?.drop();
  });

  const ROUTES = ['/api/v2/summary.json', '/api/v2/components.json', '/api/v2/status.json', '/pages/status/api/v2/summary.json?lang=en', '/pages/status/api/v2/components.json?lang=da'];

  it('reads the page status once for every Statuspage route of the round, and the same status in all', async () => {
    const env = { sharedReads: new Map<string, Promise<unknown>>() };
    const answers = await Promise.all(ROUTES.map((path) => app.request(`http://status.test${path}`, undefined, env)));
    expect(answers.map((a) => a.status)).toEqual(ROUTES.map(() => 200));
    expect([...env.sharedReads.keys()]).toEqual(['page-status:status:1']);
    const summary = (await answers[0]!.json()) as { components: { id: string; status: string }[] };
    const components = (await answers[1]!.json()) as { components: { id: string; status: string }[] };
    expect(summary.components).toEqual(components.components);

    // the 90 days of the status route are a read of their own, shared the same way
    const full = await app.request('http://status.test/api/v1/pages/status/status', undefined, env);
    expect(full.status).toBe(200);
    expect(((await full.json()) as { groups: { components: { uptimeDays: unknown[] }[] }[] }).groups[0]!.components[0]!.uptimeDays).toHaveLength(90);
    expect([...env.sharedReads.keys()].sort()).toEqual(['page-status:status:1', 'page-status:status:90']);
  });

  it('reads afresh for requests without a round, so a later request sees a later state', async () => {
    const first = (await (await app.request('http://status.test/api/v2/status.json')).json()) as { page: { updated_at: string } };
    clock = new Date(clock.getTime() + 60_000);
    const second = (await (await app.request('http://status.test/api/v2/components.json')).json()) as { page: { updated_at: string } };
    expect(Date.parse(second.page.updated_at) - Date.parse(first.page.updated_at)).toBe(60_000);
    // a round's shared read is kept for that round only: a new round reads the new time
    const env = { sharedReads: new Map<string, Promise<unknown>>() };
    const status = (await (await app.request('http://status.test/api/v1/pages/status/status?days=1', undefined, env)).json()) as { generatedAt: string };
    expect(status.generatedAt).toBe(clock.toISOString());
  });

  it('answers the 90-day status with exactly the JSON of the status it read', async () => {
    const response = await app.request('http://status.test/api/v1/pages/status/status');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await response.text();
    expect(JSON.stringify(JSON.parse(text))).toBe(text);
  });
});
