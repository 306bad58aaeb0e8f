import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createProbeToken, createUser, evaluatePending, LATENCY_BUCKET_BOUNDS_MS, type App, type ComponentLatency } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { rowsOf, syncConfig } from '../db/index.ts';
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

  it('rolls each hour up per check and region: outcomes and reasons counted as sent, kept when the raw results are gone', async () => {
    const rows = rowsOf<{ region_id: string; up: number; down: number; degraded: number; unknown: number; reasons: Record<string, number> | string }>(
      await test.handle.db.execute(sql`select region_id, up, down, degraded, unknown, reasons from result_hours where component_id = 'sso' and check_id = 'https'`),
    );
    for (const region of ['north', 'south']) {
      const own = rows.filter((r) => r.region_id === region);
      const reasons = own.map((r) => (typeof r.reasons === 'string' ? (JSON.parse(r.reasons) as Record<string, number>) : r.reasons));
      expect(own.reduce((n, r) => n + r.up, 0)).toBe(sent[region]!.filter((r) => r.outcome === 'up').length);
      expect(own.reduce((n, r) => n + r.down, 0)).toBe(sent[region]!.filter((r) => r.outcome === 'down').length);
      expect(reasons.reduce((n, r) => n + (r.timeout ?? 0), 0)).toBe(sent[region]!.filter((r) => r.reason === 'timeout').length);
      expect(own.reduce((n, r) => n + r.degraded + r.unknown, 0)).toBe(0);
    }
  });

  it('reads percentiles back from the merged histograms, within the bucket the true value lies in', async () => {
    const { body } = await get<ComponentLatency>('/api/v1/pages/status/components/sso/latency');
    const want = expected('north');
    const north = body.regions.find((r) => r.regionId === 'north')!;
    for (const [day, values] of want.days) {
      const point = north.days.find((d) => d.from === day)!;
      const sorted = [...values].sort((a, b) => a - b);
      for (const [q, got] of [[0.5, point.p50Ms], [0.95, point.p95Ms], [0.99, point.p99Ms]] as const) {
        const truth = sorted[Math.ceil(q * sorted.length) - 1]!;
        // the same bucket (the bounds around the truth), and never outside what was seen that day
        const low = [...LATENCY_BUCKET_BOUNDS_MS].reverse().find((b) => b <= truth) ?? 0;
        const high = LATENCY_BUCKET_BOUNDS_MS.find((b) => b > truth)!;
        expect(got).toBeGreaterThanOrEqual(Math.max(low, point.minMs!));
        expect(got).toBeLessThanOrEqual(Math.min(high, point.maxMs!));
      }
    }
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
