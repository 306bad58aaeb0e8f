import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, openIncident, type App, type HistoryPage, type PublicWindow } from '../index.ts';
import { syncConfig, tables } from '../../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../../tests/support/databases.ts';
import { testConfig } from '../../tests/support/fixtures.ts';

const PAST_WINDOWS = 73;
const INCIDENTS = 31;
const DAY_MS = 86_400_000;
const NOW = new Date('2026-06-01T12:00:00Z');

describe.each(DRIVERS)('history and service windows paged, never capped, on %s', (driver) => {
  let test: TestDatabase;
  let app: App;
  const windowIds: string[] = [];

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, testConfig(), new Date('2026-01-01T00:00:00Z'));
    app = buildApp({ database: test.handle, now: () => NOW, logger: pino({ level: 'silent' }) });
    // past windows a day apart, the newest yesterday; a title in Danish only
    for (let n = 0; n < PAST_WINDOWS; n++) {
      const start = new Date(NOW.getTime() - (n + 1) * DAY_MS);
      const [row] = await test.handle.db
        .insert(tables.serviceWindows)
        .values({ componentIds: ['sso'], title: { da: `Vindue ${n}` }, plannedStart: start, plannedEnd: new Date(start.getTime() + 3_600_000), announcedAt: new Date(start.getTime() - DAY_MS), createdBy: 'test' })
        .returning({ id: tables.serviceWindows.id });
      windowIds.push(row!.id);
    }
    const [upcoming] = await test.handle.db
      .insert(tables.serviceWindows)
      .values({ componentIds: ['portal'], title: { da: 'Kommende', en: 'Coming' }, plannedStart: new Date(NOW.getTime() + DAY_MS), plannedEnd: new Date(NOW.getTime() + DAY_MS + 3_600_000), announcedAt: NOW, createdBy: 'test' })
      .returning({ id: tables.serviceWindows.id });
    windowIds.push(upcoming!.id);
    for (let n = 0; n < INCIDENTS; n++) {
      const at = new Date(NOW.getTime() - n * DAY_MS * 2 - 3_600_000);
      await openIncident(test.handle.db, { pageId: 'status', title: { da: `Fejl ${n}`, en: `Fault ${n}` }, priority: 'C', componentIds: ['sso'], detectedAt: at, actor: 'system', now: at });
    }
  });
  afterAll(async () => {
    await test?.drop();
  });

  const get = async <T>(path: string) => {
    const response = await app.request(`http://status.test${path}`);
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  };

  it('lists every service window: all upcoming ones, and the past ones newest first over as many pages as they fill', async () => {
    type Windows = { upcoming: PublicWindow[]; past: PublicWindow[]; pages: number };
    const first = await get<Windows>('/api/v1/pages/status/windows?lang=en');
    expect(first.upcoming.map((w) => w.title)).toEqual([{ text: 'Coming', language: 'en' }]);
    expect(first.pages).toBe(Math.ceil(PAST_WINDOWS / 50));
    const past: PublicWindow[] = [...first.past];
    for (let page = 2; page <= first.pages; page++) past.push(...(await get<Windows>(`/api/v1/pages/status/windows?lang=en&page=${page}`)).past);
    expect(past).toHaveLength(PAST_WINDOWS);
    expect(new Set(past.map((w) => w.id))).toEqual(new Set(windowIds.slice(0, PAST_WINDOWS)));
    expect(past.map((w) => w.plannedStart)).toEqual([...past.map((w) => w.plannedStart)].sort().reverse());
    // the title exists in Danish only: shown in Danish, and saying so
    expect(past[0]!.title).toEqual({ text: 'Vindue 0', language: 'da' });
    expect(past.every((w) => w.status === 'completed')).toBe(true);
    expect((await app.request('http://status.test/api/v1/pages/status/windows?page=0')).status).toBe(400);
    expect((await app.request('http://status.test/api/v1/pages/nope/windows')).status).toBe(404);
  });

  it('pages the history through every incident and window, newest first, none twice', async () => {
    const first = await get<HistoryPage>('/api/v1/pages/status/history?lang=en');
    const total = PAST_WINDOWS + 1 + INCIDENTS;
    expect(first.pages).toBe(Math.ceil(total / 20));
    const entries = [...first.entries];
    for (let page = 2; page <= first.pages; page++) entries.push(...(await get<HistoryPage>(`/api/v1/pages/status/history?lang=en&page=${page}`)).entries);
    expect(entries).toHaveLength(total);
    expect(new Set(entries.map((e) => (e.kind === 'incident' ? e.incident.id : e.window.id))).size).toBe(total);
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort().reverse());
    expect(entries.filter((e) => e.kind === 'incident')).toHaveLength(INCIDENTS);
    // past the last page is no address; page 1 of an empty list always is
    const beyond = await app.request(`http://status.test/api/v1/pages/status/history?page=${first.pages + 1}`);
    expect(beyond.status).toBe(404);
    expect(((await beyond.json()) as { error: { message: string } }).error.message).toContain(`has ${first.pages} page(s)`);
  });

  it("lists one component's windows, paged, and 404s a component not on the page", async () => {
    type Windows = { upcoming: PublicWindow[]; past: PublicWindow[]; pages: number };
    const sso = await get<Windows>('/api/v1/pages/status/windows?component=sso');
    expect(sso.upcoming).toEqual([]);
    expect(sso.pages).toBe(Math.ceil(PAST_WINDOWS / 50));
    const last = await get<Windows>(`/api/v1/pages/status/windows?component=sso&page=${sso.pages}`);
    expect(sso.past.length + last.past.length).toBe(PAST_WINDOWS);
    const portal = await get<Windows>('/api/v1/pages/status/windows?component=portal');
    expect(portal.upcoming.map((w) => w.id)).toEqual([windowIds[PAST_WINDOWS]]);
    expect(portal).toMatchObject({ past: [], pages: 1 });
    expect((await app.request('http://status.test/api/v1/pages/status/windows?component=nope')).status).toBe(404);
    expect((await app.request(`http://status.test/api/v1/pages/status/windows?component=portal&page=2`)).status).toBe(404);
  });

  it('gives each window, cancelled or overrun too, at its own address', async () => {
    const window = await get<PublicWindow>(`/api/v1/pages/status/windows/${windowIds[0]}?lang=en`);
    expect(window).toMatchObject({ id: windowIds[0], status: 'completed', overran: false, cancelledAt: null, title: { text: 'Vindue 0', language: 'da' } });
    expect(window.components).toEqual([{ id: 'sso', name: expect.objectContaining({ text: expect.any(String) }) }]);
    expect(window.description).toBeNull();
    // older than every other window, so the lists the other cases read do not change
    const start = new Date(NOW.getTime() - 400 * DAY_MS);
    const plannedEnd = new Date(start.getTime() + 3_600_000);
    const [cancelled, overran] = await test.handle.db
      .insert(tables.serviceWindows)
      .values([
        { componentIds: ['mfa'], title: { en: 'Called off' }, plannedStart: start, plannedEnd, announcedAt: start, createdBy: 'test', cancelledAt: start },
        { componentIds: ['mfa'], title: { en: 'Ran late' }, plannedStart: start, plannedEnd, announcedAt: start, actualStart: start, actualEnd: new Date(plannedEnd.getTime() + 600_000), createdBy: 'test' },
      ])
      .returning({ id: tables.serviceWindows.id });
    expect(await get<PublicWindow>(`/api/v1/pages/status/windows/${cancelled!.id}`)).toMatchObject({ status: 'cancelled', cancelledAt: start.toISOString(), overran: false });
    expect(await get<PublicWindow>(`/api/v1/pages/status/windows/${overran!.id}`)).toMatchObject({ status: 'completed', overran: true, endedAt: new Date(plannedEnd.getTime() + 600_000).toISOString() });
    // a cancelled window stays out of the lists
    const mfa = await get<{ past: PublicWindow[] }>('/api/v1/pages/status/windows?component=mfa');
    expect(mfa.past.map((w) => w.id)).toEqual([overran!.id]);
    expect((await app.request('http://status.test/api/v1/pages/status/windows/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await app.request('http://status.test/api/v1/pages/status/windows/42')).status).toBe(400);
  });

  it('gives the 50 most recent windows in scheduled-maintenances.json, as Statuspage does', async () => {
    const { scheduled_maintenances: listed } = await get<{ scheduled_maintenances: { id: string; scheduled_for: string }[] }>('/pages/status/api/v2/scheduled-maintenances.json');
    expect(listed).toHaveLength(50);
    // the upcoming one and the newest past ones, not the oldest
    expect(listed.map((w) => w.id)).toEqual([windowIds[PAST_WINDOWS]!, ...windowIds.slice(0, 49)]);
  });
});
