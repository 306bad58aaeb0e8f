import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createProbeToken, createUser, evaluatePending, pruneLatencyHours, type App, type ComponentLatency } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { syncConfig } from '../db/index.ts';
import { CONTRACT_VERSION } from '../probe/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { result } from './support/fixtures.ts';

const NOW = new Date('2026-11-21T12:30:00Z');
const ZONE = 'Europe/Copenhagen';
const HOUR_MS = 3_600_000;
const PASSWORD = 'operator password 123';

const CONFIG = `
regions: [{ id: north }, { id: south }]
organisations: [{ id: kommune, name: Kommune }]
slaProfiles:
  - id: basic
    name: Basic
    availabilityTargetPercent: 99.5
    categories:
      - { id: login, name: { da: Adgang, en: Access }, criticality: 5 }
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus, en: Service status }
    languages: [da, en]
    groups:
      - id: g
        name: { da: Tjenester, en: Services }
        components:
          - id: sso
            name: { da: Fælles login, en: Single sign-on }
            slaProfile: basic
            serviceCategory: login
            checks: [{ kind: https, url: "https://sso.example.dk/" }]
  - id: other
    organisation: kommune
    name: Other
    groups:
      - id: o
        name: O
        components:
          - { id: elsewhere, name: Elsewhere, checks: [{ kind: https, url: "https://other.example.dk/" }] }
`;

/** Every two hours for 29 days back from a minute before NOW, a varying response time; every tenth a timeout (down, not an answer). */
function history(regionId: string, offsetMs: number) {
  return Array.from({ length: 29 * 12 }, (_, i) => {
    const startedAt = new Date(NOW.getTime() - 60_000 - offsetMs - i * 2 * HOUR_MS).toISOString();
    const down = i % 10 === 9;
    return result({ componentId: 'sso', regionId, startedAt, outcome: down ? 'down' : 'up', reason: down ? 'timeout' : undefined, durationMs: down ? 10_000 : 90 + ((i * 37) % 13) * 10, httpStatus: down ? undefined : 200 });
  });
}

describe.each(DRIVERS)('component response times and the public SLA report on %s', (driver) => {
  let test: TestDatabase;
  let app: App;
  const tokens: Record<string, string> = {};
  const sent: Record<string, ReturnType<typeof history>> = { north: history('north', 0), south: history('south', 30 * 60_000) };
  const get = async <T,>(path: string) => {
    const response = await app.request(`http://status.test${path}`);
    return { status: response.status, body: (await response.json()) as T };
  };
  const ingest = async (regionId: string, results: unknown[]) => {
    const response = await app.request('http://status.test/api/v1/probe/results', {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[regionId]}`, 'content-type': 'application/json' },
      body: JSON.stringify({ version: CONTRACT_VERSION, regionId, results }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { accepted: number; duplicates: number };
  };

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    const parsed = parseConfig(CONFIG);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    await syncConfig(test.handle.db, parsed.config, new Date('2026-10-01T00:00:00Z'));
    app = buildApp({ database: test.handle, now: () => NOW, logger: pino({ level: 'silent' }) });
    for (const region of ['north', 'south']) tokens[region] = (await createProbeToken(test.handle.db, { regionId: region, now: NOW })).token;
    for (const [region, results] of Object.entries(sent)) {
      for (let i = 0; i < results.length; i += 100) expect((await ingest(region, results.slice(i, i + 100))).accepted).toBe(results.slice(i, i + 100).length);
    }
    await evaluatePending(test.handle.db, NOW);
  }, 120_000);
  afterAll(async () => {
    await test?.drop();
  });

  /** What the chart should say, computed here from the results sent: the answered ones, per UTC hour and per local day. */
  const expected = (regionId: string) => {
    const answered = sent[regionId]!.filter((r) => r.outcome === 'up');
    const currentHour = Math.floor(NOW.getTime() / HOUR_MS) * HOUR_MS;
    const lastDay = answered.filter((r) => Date.parse(r.startedAt) >= currentHour - 23 * HOUR_MS);
    const firstDay = DateTime.fromJSDate(NOW, { zone: ZONE }).startOf('day').minus({ days: 29 }).toMillis();
    const days = new Map<string, number[]>();
    for (const r of answered.filter((r) => Date.parse(r.startedAt) >= firstDay)) {
      const day = DateTime.fromISO(r.startedAt, { zone: ZONE }).toISODate()!;
      days.set(day, [...(days.get(day) ?? []), r.durationMs]);
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    return { hours: lastDay.map((r) => r.durationMs), days, mean };
  };

  it('charts each region from the hourly sums: the answered results only, per hour and per local day', async () => {
    const { status, body } = await get<ComponentLatency>('/api/v1/pages/status/components/sso/latency');
    expect(status).toBe(200);
    expect(body.regions.map((r) => r.regionId)).toEqual(['north', 'south']);
    for (const region of body.regions) {
      const want = expected(region.regionId);
      expect(region.hours).toHaveLength(24);
      expect(region.days).toHaveLength(30);
      const hoursWithData = region.hours.filter((h) => h.averageMs !== null);
      expect(hoursWithData.reduce((n, h) => n + h.samples, 0)).toBe(want.hours.length);
      const hourMean = hoursWithData.reduce((n, h) => n + h.averageMs! * h.samples, 0) / hoursWithData.reduce((n, h) => n + h.samples, 0);
      expect(hourMean).toBeCloseTo(want.mean(want.hours), 6);
      const dayMeans = Object.fromEntries(region.days.filter((d) => d.samples > 0).map((d) => [d.from, d.averageMs]));
      expect(Object.keys(dayMeans).sort()).toEqual([...want.days.keys()].sort());
      for (const [day, values] of want.days) expect(dayMeans[day]).toBeCloseTo(want.mean(values), 6);
      expect(Math.max(...region.days.flatMap((d) => (d.maxMs === null ? [] : [d.maxMs])))).toBeLessThan(10_000); // timeouts are no answers
    }
  });

  it('counts a replayed batch once, and answers from the sums alone: the raw results are not read', async () => {
    const before = await get<ComponentLatency>('/api/v1/pages/status/components/sso/latency');
    expect((await ingest('north', sent.north!.slice(0, 50))).duplicates).toBe(50);
    await test.handle.db.execute(sql`delete from check_results`);
    const after = await get<ComponentLatency>('/api/v1/pages/status/components/sso/latency');
    expect(after.body.regions).toEqual(before.body.regions);
  });

  it('prunes the hourly sums the charts no longer show, and keeps those they do', async () => {
    const before = await get<ComponentLatency>('/api/v1/pages/status/components/sso/latency');
    const old = new Date(NOW.getTime() - 40 * 86_400_000).toISOString();
    await test.handle.db.execute(sql`insert into latency_hours (component_id, region_id, hour_start, samples, total_ms, min_ms, max_ms) values ('sso', 'north', ${old}::timestamptz, 1, 100, 100, 100)`);
    expect(await pruneLatencyHours(test.handle.db, { now: NOW })).toBe(1);
    expect(await pruneLatencyHours(test.handle.db, { now: NOW })).toBe(0);
    expect((await get<ComponentLatency>('/api/v1/pages/status/components/sso/latency')).body).toEqual(before.body);
  });

  it('answers 404 for a component that is not on the page, and for an unknown page', async () => {
    expect((await get('/api/v1/pages/status/components/elsewhere/latency')).status).toBe(404);
    expect((await get('/api/v1/pages/status/components/nope/latency')).status).toBe(404);
    expect((await get('/api/v1/pages/nope/components/sso/latency')).status).toBe(404);
  });

  type Report = { measured: boolean; status: string; components: { names: unknown; measured: boolean; months: { measured: boolean }[] }[]; categories: { name: string; names: unknown }[]; exclusions: { note: string; reason: string; componentIds: string[] }[] };
  it('names components and categories in every language, lists exclusions with their notes, and marks months before monitoring "not measured"', async () => {
    await createUser(test.handle.db, { email: 'op@kommune.example', name: 'Op', role: 'operator', password: PASSWORD });
    const login = await app.request('http://status.test/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: PASSWORD }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    const note = 'Fibre cut by road works <outside> our network';
    const excluded = await app.request('http://status.test/api/v1/exclusions', {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ componentIds: ['sso'], start: '2026-11-10T08:00:00Z', end: '2026-11-10T09:00:00Z', reason: 'network_fault', note }),
    });
    expect(excluded.status).toBe(201);

    const november = await get<Report>('/api/v1/sla/pages/status/reports/2026-11');
    expect(november.status).toBe(200);
    expect(november.body.measured).toBe(true);
    expect(november.body.components[0]!.names).toEqual({ da: 'Fælles login', en: 'Single sign-on' });
    expect(november.body.categories.map((c) => [c.name, c.names])).toEqual([['Access', { da: 'Adgang', en: 'Access' }]]);
    expect(november.body.exclusions).toEqual([expect.objectContaining({ reason: 'network_fault', note, componentIds: ['sso'] })]);
    // monitoring began in late October: September is final by the calendar, but was never measured
    const september = await get<Report>('/api/v1/sla/pages/status/reports/2026-09');
    expect(september.body.status).toBe('final');
    expect(september.body.measured).toBe(false);
    expect(september.body.components[0]!.measured).toBe(false);
    expect(september.body.exclusions).toEqual([]);
    const year = await get<Report>('/api/v1/sla/pages/status/reports/2026');
    expect(year.body.components[0]!.months.map((m) => m.measured)).toEqual(Array.from({ length: 12 }, (_, i) => i >= 9));
  });
});
