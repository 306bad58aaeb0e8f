import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, buildApp, evaluatePending, ingestResults, openIncident, publishUpdate, setComponentStatus, type App } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { result } from './support/fixtures.ts';

const PASSWORD = 'correct horse battery staple';
const CONFIG = `
regions: [{ id: north }, { id: south }]
organisations: [{ id: kommune, name: Kommune }, { id: region, name: Region Nord }]
pages:
  - id: kommune-status
    organisation: kommune
    name: Kommune
    groups: [{ id: g, name: G, components: [{ id: sso, name: { da: Log ind, en: Sign-in }, checks: [{ kind: https, url: "https://sso.example.dk/" }] }] }]
  - id: region-status
    organisation: region
    name: Region
    groups: [{ id: r, name: R, components: [{ id: epj, name: EPJ, checks: [{ kind: https, url: "https://epj.example.dk/" }] }] }]
`;

describe.each(DRIVERS)('operator views of components and the audit log on %s', (driver) => {
  let test: TestDatabase;
  let app: App;
  let incidentId = '';
  let rootActor: Parameters<typeof publishUpdate>[1]['actor'] = 'system';
  const now = new Date('2026-03-10T12:00:00Z');
  const get = async (path: string, cookie: string) => {
    const response = await app.request(`http://status.test${path}`, { headers: { cookie } });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: response.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : null };
  };
  const login = async (email: string) => {
    const response = await app.request('http://status.test/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
    expect(response.status).toBe(200);
    return response.headers.get('set-cookie')!.split(';')[0]!;
  };

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    const parsed = parseConfig(CONFIG);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    await syncConfig(test.handle.db, parsed.config, now);
    app = buildApp({ database: test.handle, now: () => now, logger: pino({ level: 'silent' }) });
    const add = (email: string, name: string, organisations: string[] | 'all') => addUser(test.handle.db, { email, name, role: 'admin', password: PASSWORD, organisations, actor: 'command line', now });
    await add('root@kommune.example', 'Rita Root', 'all');
    await add('cmd@kommune.example', '=HYPERLINK("x")', ['kommune']);
    await add('admin@region.example', 'Regina Region', ['region']);
    // two hours of results for sso from two regions: the last one down from the north, with a certificate and phases
    const minutes = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();
    await ingestResults(test.handle.db, { regionId: 'north', results: [result({ componentId: 'sso', regionId: 'north', startedAt: minutes(90) }), result({ componentId: 'sso', regionId: 'north', startedAt: minutes(2), outcome: 'down', reason: 'http_status', httpStatus: 503, durationMs: 850, phasesMs: { dns: 3, connect: 10, tls: 40, firstByte: 790, transfer: 7 }, certificate: { subject: 'CN=sso.example.dk', issuer: 'CN=CA', subjectAltNames: ['sso.example.dk'], notBefore: '2026-01-01T00:00:00Z', notAfter: '2026-05-01T00:00:00Z', sha256Fingerprint: 'AB', chainVerified: true } })], now });
    await ingestResults(test.handle.db, { regionId: 'south', results: [result({ componentId: 'sso', regionId: 'south', startedAt: minutes(1), outcome: 'down', reason: 'connect_timeout', durationMs: 10_000 })], now });
    await evaluatePending(test.handle.db, now);
    const root = (await test.handle.db.select().from(tables.users)).find((u) => u.email === 'root@kommune.example')!;
    const actor = { userId: root.id, email: root.email, role: 'admin' as const, organisationIds: null, via: 'session' as const };
    incidentId = (await openIncident(test.handle.db, { pageId: 'kommune-status', title: { da: 'Log ind virker ikke', en: 'Sign-in fails' }, priority: 'B', componentIds: ['sso'], actor, now })).id;
    rootActor = actor;
    await setComponentStatus(test.handle.db, { componentId: 'sso', status: 'degraded_performance', expiresAt: new Date(now.getTime() + 3_600_000), actor, now });
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('lists components with state and reasons, scoped to the organisations', async () => {
    const all = await get('/api/v1/components', await login('root@kommune.example'));
    expect(all.status).toBe(200);
    expect(all.body.components.map((c: { id: string; name: string; state: string; reasons: string[] }) => [c.id, c.name, c.state, c.reasons])).toEqual([
      ['sso', 'Sign-in', 'down', ['connect_timeout', 'http_status']],
      ['epj', 'EPJ', 'unknown', []],
    ]);
    const region = await get('/api/v1/components', await login('admin@region.example'));
    expect(region.body.components.map((c: { id: string }) => c.id)).toEqual(['epj']);
    expect((await get('/api/v1/components/sso', await login('admin@region.example'))).status).toBe(403);
    const missing = await get('/api/v1/components/nothing', await login('root@kommune.example'));
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'NOT_FOUND', details: { kind: 'component', id: 'nothing' } });
  });

  it('gives the common refusals a code and details a client can say in its own language', async () => {
    const publish = (args: Partial<Parameters<typeof publishUpdate>[1]>) => publishUpdate(test.handle.db, { incidentId, expectedVersion: 1, step: 'registered', actor: rootActor, now, ...args });
    await expect(publish({ expectedVersion: 99 })).rejects.toMatchObject({ code: 'CONFLICT', details: { problem: 'stale_version', version: 1, sent: 99 } });
    await expect(publish({ impact: { epj: 'major_outage' } })).rejects.toMatchObject({ code: 'VALIDATION', details: { problem: 'not_in_incident', field: 'impact', ids: ['epj'] } });
    await expect(publish({ incidentId: crypto.randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND', details: { kind: 'incident' } });
    const cookie = await login('root@kommune.example');
    const badTime = await get('/api/v1/audit?from=2026-03-10T12:00', cookie);
    expect(badTime.body.error).toMatchObject({ code: 'VALIDATION', details: { fields: [{ field: 'from', problem: 'invalid_time' }] } });
    const badZone = await get('/api/v1/audit.csv?zone=Nowhere/Else', cookie);
    expect(badZone.body.error).toMatchObject({ code: 'VALIDATION', details: { fields: [{ field: 'zone', problem: 'invalid_zone' }] } });
    // the published contract says an estimate behind is refused, as publishUpdate does
    const spec = (await get('/openapi.json', cookie)).body;
    const publishBody = spec.paths['/api/v1/incidents/{id}/updates'].post.requestBody.content['application/json'].schema;
    const estimate = (publishBody.properties ?? spec.components.schemas[publishBody.$ref?.split('/').pop()]?.properties).estimatedFixAt;
    expect(estimate.description).toContain('before the incident was detected, or one already passed, is refused');
  });

  it('shows a component: the newest result per region with phases and certificate expiry, and 24 hours by the hour', async () => {
    const detail = await get('/api/v1/components/sso', await login('root@kommune.example'));
    expect(detail.status).toBe(200);
    expect(detail.body.latest).toEqual([
      expect.objectContaining({ regionId: 'north', outcome: 'down', reason: 'http_status', httpStatus: 503, durationMs: 850, phasesMs: { dns: 3, connect: 10, tls: 40, firstByte: 790, transfer: 7 }, certNotAfter: '2026-05-01T00:00:00.000Z' }),
      expect.objectContaining({ regionId: 'south', outcome: 'down', reason: 'connect_timeout', certNotAfter: null }),
    ]);
    expect(detail.body.hours).toHaveLength(24);
    // the hour now begun first (empty at 12:00:00), then the hours before it
    expect(detail.body.hours[0]).toMatchObject({ hourStart: '2026-03-10T12:00:00.000Z', results: 0 });
    expect(detail.body.hours[1]).toMatchObject({ hourStart: '2026-03-10T11:00:00.000Z', results: 2, counts: { up: 0, degraded: 0, down: 2, unknown: 0 }, reasons: [{ reason: 'connect_timeout', count: 1 }, { reason: 'http_status', count: 1 }] });
    expect(detail.body.hours[2]).toMatchObject({ hourStart: '2026-03-10T10:00:00.000Z', results: 1, counts: { up: 1, degraded: 0, down: 0, unknown: 0 } });
    expect(detail.body.hours[23].hourStart).toBe('2026-03-09T13:00:00.000Z');
  });

  it('names who and what in the audit log, filters by who, what and when, and exports the filtered list as CSV with formulas neutralised', async () => {
    const cookie = await login('root@kommune.example');
    await login('cmd@kommune.example');
    const all = await get('/api/v1/audit', cookie);
    const opened = all.body.entries.find((e: { action: string }) => e.action === 'incident.open');
    expect(opened).toMatchObject({ actor: 'root@kommune.example', actorName: 'Rita Root', entity: 'incident', entityName: 'Sign-in fails', components: ['Sign-in'] });
    // a status set by hand names its component, as the incident names its title
    expect(all.body.entries.find((e: { action: string }) => e.action === 'component_status.set')).toMatchObject({ entity: 'component', entityId: 'sso', entityName: 'Sign-in' });
    // names in the language asked for, English where a name has no other
    const danish = (await get('/api/v1/audit?lang=da', cookie)).body.entries;
    expect(danish.find((e: { action: string }) => e.action === 'incident.open')).toMatchObject({ entityName: 'Log ind virker ikke', components: ['Log ind'] });
    expect(danish.find((e: { action: string }) => e.action === 'component_status.set')).toMatchObject({ entityName: 'Log ind' });
    expect((await get('/api/v1/audit?lang=xx', cookie)).status).toBe(400);
    // "logins" are the ones that got in: a failed login is its own action, left out
    const wrong = await app.request('http://status.test/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'cmd@kommune.example', password: 'not the password' }) });
    expect(wrong.status).toBe(401);
    const logins = await get('/api/v1/audit?what=login&who=CMD', cookie);
    expect(logins.body.entries.map((e: { action: string; actor: string; actorName: string }) => [e.action, e.actor, e.actorName])).toEqual([['login', 'cmd@kommune.example', '=HYPERLINK("x")']]);
    expect((await get('/api/v1/audit?what=login.failed&who=CMD', cookie)).body.entries.map((e: { action: string }) => e.action)).toEqual(['login.failed']);
    expect((await get('/api/v1/audit?what=incident', cookie)).body.entries.map((e: { action: string }) => e.action)).toEqual(['incident.open']);
    expect((await get('/api/v1/audit?what=component_status', cookie)).body.entries.map((e: { action: string }) => e.action)).toEqual(['component_status.set']);
    expect((await get(`/api/v1/audit?from=${encodeURIComponent('2026-03-10T13:00:00+01:00')}&to=${encodeURIComponent('2026-03-10T13:00:01+01:00')}`, cookie)).body.entries.length).toBeGreaterThan(0);
    expect((await get(`/api/v1/audit?from=${encodeURIComponent('2026-03-10T13:00:01+01:00')}`, cookie)).body.entries).toEqual([]);
    const noZone = await get('/api/v1/audit?from=2026-03-10T12:00', cookie);
    expect(noZone.status).toBe(400);
    expect(noZone.body.error.message).toContain('a time without a zone is ambiguous');

    const csv = await get('/api/v1/audit.csv?what=login&zone=Europe/Copenhagen', cookie);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('at,time_zone,who,who_name,action,entity,entity_id,entity_name,components');
    expect(lines).toContain(`2026-03-10T13:00:00+01:00,Europe/Copenhagen,cmd@kommune.example,"'=HYPERLINK(""x"")",login,user,cmd@kommune.example,"'=HYPERLINK(""x"")",`);
    // the filter holds in the export: logins only, as many as the JSON lists
    expect(lines.slice(1).every((line) => line.includes(',login,user,'))).toBe(true);
    expect(lines.length - 1).toBe((await get('/api/v1/audit?what=login&limit=1000', cookie)).body.entries.length);
    // an administrator of one organisation sees only its entries
    const region = await get('/api/v1/audit', await login('admin@region.example'));
    expect(region.body.entries.some((e: { action: string }) => e.action === 'incident.open')).toBe(false);
  });
});
