import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, evaluatePending, ingestResults, type App } from '../api/index.ts';
import { syncConfig } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { result, testConfig } from './support/fixtures.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe.each(DRIVERS)('public JSON API on %s', (driver) => {
  let test: TestDatabase;
  let app: App;
  const get = async (path: string) => {
    const response = await app.request(`http://status.example.dk${path}`);
    return { status: response.status, body: (await response.json()) as any };
  };

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    const { db } = test.handle;
    await syncConfig(db, testConfig(), new Date('2026-11-01T00:00:00Z'));
    app = buildApp({ database: test.handle, now: () => NOW, logger: pino({ level: 'silent' }), publicUrl: 'http://status.example.dk/' });
    // sso: up everywhere; mfa (north only): down; portal: down in 2 of 3 regions
    const send = (regionId: string, componentId: string, outcome: 'up' | 'down', extra = {}) =>
      ingestResults(db, { regionId, results: [result({ componentId, regionId, outcome, startedAt: '2026-11-21T11:59:40Z', ...extra })], now: NOW });
    // sso: up in north and south, down in west — a regional problem, not an outage
    await send('north', 'sso', 'up');
    await send('south', 'sso', 'up');
    await send('west', 'sso', 'down', { reason: 'connect_timeout', httpStatus: undefined });
    await send('north', 'mfa', 'down', { reason: 'dns', httpStatus: undefined, message: 'ENOTFOUND' });
    await send('north', 'portal', 'down', { reason: 'http_status', httpStatus: 503 });
    await send('south', 'portal', 'down', { reason: 'timeout', httpStatus: undefined });
    await send('west', 'portal', 'up');
    await evaluatePending(db, NOW);
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('serves summary.json in Statuspage\'s shape, field by field', async () => {
    const { status, body } = await get('/api/v2/summary.json');
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['components', 'incidents', 'page', 'scheduled_maintenances', 'status']);
    expect(body.page).toEqual({ id: 'status', name: 'Driftsstatus', url: 'http://status.example.dk/', time_zone: 'Europe/Copenhagen', updated_at: NOW.toISOString() });
    expect(body.status).toEqual({ indicator: 'critical', description: 'Major System Outage' });
    expect(body.incidents).toEqual([]);
    expect(body.scheduled_maintenances).toEqual([]);

    const byId = Object.fromEntries(body.components.map((c: any) => [c.id, c]));
    expect(body.components.map((c: any) => c.id)).toEqual(['login', 'sso', 'mfa', 'portal', 'portal']);
    for (const component of body.components) {
      expect(Object.keys(component).sort()).toEqual(
        [
          'created_at',
          'description',
          'group',
          'group_id',
          'id',
          'name',
          'only_show_if_degraded',
          'page_id',
          'position',
          'showcase',
          'start_date',
          'status',
          'updated_at',
          // our one addition to Statuspage's fields: whether the status was measured or declared by an operator
          ...(component.group ? ['components'] : ['status_source']),
        ].sort(),
      );
      expect(component.created_at).toMatch(ISO);
      expect(component.updated_at).toMatch(ISO);
      expect(['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance']).toContain(component.status);
      expect(component.page_id).toBe('status');
    }
    expect(byId.login).toMatchObject({ name: 'Login', group: true, group_id: null, components: ['sso', 'mfa'], status: 'major_outage', position: 1 });
    expect(byId.sso).toMatchObject({ name: 'Fælles login', status: 'operational', group: false, group_id: 'login', description: 'Login for staff', position: 1, showcase: true, only_show_if_degraded: false, start_date: null });
    expect(byId.mfa).toMatchObject({ status: 'major_outage', group_id: 'login', position: 2, description: null });
  });

  it('tells a majority outage with a region still answering as a partial outage', async () => {
    const { body } = await get('/api/v2/components.json');
    const portal = body.components.find((c: any) => c.id === 'portal' && !c.group);
    expect(portal.status).toBe('partial_outage');
    expect(Object.keys(body).sort()).toEqual(['components', 'page']);
  });

  it('serves status.json and names in the requested language', async () => {
    const { body } = await get('/api/v2/status.json?lang=en');
    expect(body).toEqual({
      page: { id: 'status', name: 'Service status', url: 'http://status.example.dk/', time_zone: 'Europe/Copenhagen', updated_at: NOW.toISOString() },
      status: { indicator: 'critical', description: 'Major System Outage' },
    });
    const perPage = await get('/pages/status/api/v2/status.json');
    expect(perPage.body.page.name).toBe('Driftsstatus');
  });

  it('gives per-region detail and the 90-day bar in its own JSON', async () => {
    const { status, body } = await get('/api/v1/pages/status/status');
    expect(status).toBe(200);
    expect(body.overall).toBe('critical');
    const portal = body.groups[1].components[0];
    expect(portal).toMatchObject({ id: 'portal', state: 'down', lastCheckedAt: '2026-11-21T11:59:40.000Z' });
    expect(portal.regions.map((r: any) => [r.regionId, r.outcome, r.reason, r.httpStatus]).sort()).toEqual([
      ['north', 'down', 'http_status', 503],
      ['south', 'down', 'timeout', null],
      ['west', 'up', null, 200],
    ]);
    expect(portal.uptimeDays).toHaveLength(90);
    // portal went down at 11:59:40 (the evidence), not at 12:00 (the evaluation)
    expect(portal.since).toBe('2026-11-21T11:59:40.000Z');
    expect(portal.uptimeDays.at(-1)).toMatchObject({ date: '2026-11-21', uptimeRatio: 0, downSeconds: 20 });
    expect(portal.uptimeDays[0]).toMatchObject({ date: '2026-08-24', uptimeRatio: null });
  });

  it('answers unknown pages, routes and bad parameters with a clear error', async () => {
    const missing = await get('/api/v1/pages/nope/status');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'NOT_FOUND', message: 'no status page "nope"; GET /api/v1/pages lists them' });
    expect(missing.body.error.requestId).toEqual(expect.any(String));
    const route = await get('/api/v9/nothing');
    expect(route.status).toBe(404);
    expect(route.body.error.message).toBe('no route GET /api/v9/nothing; GET /openapi.json lists every route');
    const lang = await get('/api/v2/summary.json?lang=xx');
    expect(lang.status).toBe(400);
    expect(lang.body.error.code).toBe('VALIDATION');
    expect(lang.body.error.message).toMatch(/^invalid request: lang: /);
  });

  it('shows a minority of failing regions as a regional problem, and judges each probe region', async () => {
    const { body } = await get('/api/v1/pages/status/status');
    const sso = body.groups[0].components[0];
    expect(sso.state).toBe('up');
    expect(sso.regions.find((r: any) => r.regionId === 'west')).toMatchObject({ outcome: 'down', reason: 'connect_timeout' });
    expect(body.probeRegions).toEqual([
      { regionId: 'north', status: 'healthy', lastResultAt: '2026-11-21T11:59:40.000Z' },
      { regionId: 'south', status: 'healthy', lastResultAt: '2026-11-21T11:59:40.000Z' },
      { regionId: 'west', status: 'healthy', lastResultAt: '2026-11-21T11:59:40.000Z' },
    ]);
    const regions = await get('/api/v1/regions');
    expect(regions.body.regions.map((r: any) => [r.regionId, r.status, r.freshResults, r.failingResults])).toEqual([
      ['north', 'healthy', 3, 2],
      ['south', 'healthy', 2, 1],
      ['west', 'healthy', 2, 1],
    ]);
  });

  it('reports liveness and readiness', async () => {
    expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get('/readyz')).toEqual({ status: 200, body: { status: 'ok', database: driver } });
  });

  it('describes every route in /openapi.json', async () => {
    const { body } = await get('/openapi.json');
    expect(body.openapi).toBe('3.1.0');
    const documented = Object.entries(body.paths as Record<string, object>).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    const served = app.routes
      .filter((r) => r.method !== 'ALL' && r.path !== '/openapi.json' && !r.path.includes('*')) // middleware is not a route
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(new Set(documented)).toEqual(new Set(served));
    expect(documented).toContain('GET /api/v2/summary.json');
  });
});
