import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, computePageReport, createUser, type App } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';

const PASSWORD = 'correct horse battery staple';

describe.each(DRIVERS)('exclusions listed, changed and withdrawn, on %s', (driver) => {
  let test: TestDatabase;
  let app: App;
  const clock = new Date('2026-02-10T09:00:00Z'); // January is final, and freezes on first use
  const sessions = new Map<string, { cookie: string; csrf: string }>();
  const call = async (who: string, method: string, path: string, body?: unknown) => {
    const auth = sessions.get(who);
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(auth ? { cookie: auth.cookie, 'x-csrf-token': auth.csrf } : {}) };
    const response = await app.request(`http://status.test${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: (await response.json()) as any };
  };
  const versionsOf = async (componentId: string) => (await test.handle.db.select().from(tables.slaStatements).where(eq(tables.slaStatements.scopeId, componentId))).filter((v) => v.periodKey === '2026-01').sort((a, b) => a.version - b.version);
  const january = () => computePageReport(test.handle.db, { pageId: 'os2faktor', periodKey: '2026-01', now: clock });

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    const parsed = parseConfig(readFileSync(new URL('../config/examples/os2faktor.yaml', import.meta.url), 'utf8'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    await syncConfig(test.handle.db, parsed.config, new Date('2026-01-01T00:00:00Z'));
    app = buildApp({ database: test.handle, now: () => clock, logger: pino({ level: 'silent' }) });
    await createUser(test.handle.db, { email: 'op@os2.example', name: 'Op', role: 'operator', password: PASSWORD });
    await createUser(test.handle.db, { email: 'viewer@os2.example', name: 'Viewer', role: 'viewer', password: PASSWORD });
    await createUser(test.handle.db, { email: 'op@elsewhere.example', name: 'Elsewhere', role: 'operator', password: PASSWORD, organisationIds: ['elsewhere'] });
    for (const email of ['op@os2.example', 'viewer@os2.example', 'op@elsewhere.example']) {
      const login = await app.request('http://status.test/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
      sessions.set(email, { cookie: login.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await login.json()) as { csrfToken: string }).csrfToken });
    }
    await test.handle.db.insert(tables.stateIntervals).values([
      { componentId: 'os2faktor-idp', state: 'up', startedAt: new Date('2026-01-01T00:00:00Z'), endedAt: new Date('2026-01-20T10:00:00Z') },
      { componentId: 'os2faktor-idp', state: 'down', startedAt: new Date('2026-01-20T10:00:00Z'), endedAt: new Date('2026-01-20T12:00:00Z') },
      { componentId: 'os2faktor-idp', state: 'up', startedAt: new Date('2026-01-20T12:00:00Z'), endedAt: new Date('2026-02-01T00:00:00Z') },
    ]);
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('lists exclusions to anyone of the organisation, with their notes, and shows the notes in the report', async () => {
    expect((await january()).components[0]!.figures.downSeconds).toBe(7200); // frozen as version 1
    const recorded = await call('op@os2.example', 'POST', '/api/v1/exclusions', { componentIds: ['os2faktor-idp'], start: '2026-01-20T10:00:00Z', end: '2026-01-20T11:00:00Z', reason: 'force_majeure', note: 'Power cut in the data centre' });
    expect(recorded.status).toBe(201);
    const id = recorded.body.exclusion.id as string;
    const listed = await call('viewer@os2.example', 'GET', '/api/v1/exclusions');
    expect(listed.status).toBe(200);
    expect(listed.body.exclusions).toEqual([expect.objectContaining({ id, note: 'Power cut in the data centre', reason: 'force_majeure', componentIds: ['os2faktor-idp'] })]);
    // another organisation sees none of it, and the span filter keeps what overlaps
    expect((await call('op@elsewhere.example', 'GET', '/api/v1/exclusions')).body.exclusions).toEqual([]);
    expect((await call('viewer@os2.example', 'GET', '/api/v1/exclusions?from=2026-01-21T00:00:00Z')).body.exclusions).toEqual([]);
    expect((await call('viewer@os2.example', 'GET', '/api/v1/exclusions?from=2026-01-20T10:30:00Z&to=2026-01-21T00:00:00Z')).body.exclusions).toHaveLength(1);
    expect((await call('nobody', 'GET', '/api/v1/exclusions')).status).toBe(401);
    const report = await january();
    expect(report.exclusions).toEqual([expect.objectContaining({ id, note: 'Power cut in the data centre', start: '2026-01-20T10:00:00.000Z', end: '2026-01-20T11:00:00.000Z' })]);
    expect(report.components[0]!.figures).toMatchObject({ downSeconds: 3600, excludedSeconds: 3600 });
    const served = await app.request('http://status.test/api/v1/sla/pages/os2faktor/reports/2026-01');
    expect(((await served.json()) as { exclusions: { note: string }[] }).exclusions.map((x) => x.note)).toEqual(['Power cut in the data centre']);
  });

  it('changes an exclusion: a new statement version with the reason, the report and the audit log follow', async () => {
    const [exclusion] = (await call('op@os2.example', 'GET', '/api/v1/exclusions')).body.exclusions;
    const before = await versionsOf('os2faktor-idp');
    const noWhy = await call('op@os2.example', 'PATCH', `/api/v1/exclusions/${exclusion.id}`, { end: '2026-01-20T12:00:00Z' });
    expect(noWhy.status).toBe(400);
    expect((await call('viewer@os2.example', 'PATCH', `/api/v1/exclusions/${exclusion.id}`, { end: '2026-01-20T12:00:00Z', why: 'outage lasted longer' })).status).toBe(403);
    expect((await call('op@elsewhere.example', 'PATCH', `/api/v1/exclusions/${exclusion.id}`, { end: '2026-01-20T12:00:00Z', why: 'outage lasted longer' })).status).toBe(403);
    const backwards = await call('op@os2.example', 'PATCH', `/api/v1/exclusions/${exclusion.id}`, { end: '2026-01-20T09:00:00Z', why: 'typo' });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toMatch(/end must be after the start/);
    expect(await versionsOf('os2faktor-idp')).toHaveLength(before.length);

    const changed = await call('op@os2.example', 'PATCH', `/api/v1/exclusions/${exclusion.id}`, { end: '2026-01-20T12:00:00Z', note: 'Power cut in the data centre, two hours', why: 'the supplier confirmed two hours' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.revised).toContainEqual({ scope: 'component', id: 'os2faktor-idp', month: '2026-01', version: before.at(-1)!.version + 1 });
    const latest = (await versionsOf('os2faktor-idp')).at(-1)!;
    expect(latest.reason).toBe(`exclusion ${exclusion.id} changed by op@os2.example: the supplier confirmed two hours`);
    const report = await january();
    expect(report.components[0]!.figures).toMatchObject({ downSeconds: 0, excludedSeconds: 7200 });
    expect(report.exclusions[0]!.note).toBe('Power cut in the data centre, two hours');
    const [audit] = await test.handle.db.select().from(tables.auditLog).where(eq(tables.auditLog.action, 'exclusion.change'));
    expect(audit).toMatchObject({ actor: 'op@os2.example', entityId: exclusion.id, before: expect.objectContaining({ note: 'Power cut in the data centre' }), after: expect.objectContaining({ why: 'the supplier confirmed two hours' }) });
  });

  it('withdraws an exclusion: the time counts again in a new version, and it leaves the list and the report', async () => {
    const [exclusion] = (await call('op@os2.example', 'GET', '/api/v1/exclusions')).body.exclusions;
    const before = await versionsOf('os2faktor-idp');
    const withdrawn = await call('op@os2.example', 'POST', `/api/v1/exclusions/${exclusion.id}/withdraw`, { why: 'the customer disputes it' });
    expect(withdrawn.status).toBe(200);
    const latest = (await versionsOf('os2faktor-idp')).at(-1)!;
    expect(latest.version).toBe(before.at(-1)!.version + 1);
    expect(latest.reason).toBe(`exclusion ${exclusion.id} withdrawn by op@os2.example: the customer disputes it`);
    const report = await january();
    expect(report.components[0]!.figures).toMatchObject({ downSeconds: 7200, excludedSeconds: 0 });
    expect(report.exclusions).toEqual([]);
    expect((await call('op@os2.example', 'GET', '/api/v1/exclusions')).body.exclusions).toEqual([]);
    expect((await call('op@os2.example', 'GET', '/api/v1/exclusions?withdrawn=true')).body.exclusions[0]).toMatchObject({ id: exclusion.id, revokedAt: clock.toISOString() });
    const again = await call('op@os2.example', 'POST', `/api/v1/exclusions/${exclusion.id}/withdraw`, { why: 'twice' });
    expect(again.status).toBe(409);
    expect((await call('op@os2.example', 'POST', '/api/v1/exclusions/not-an-id/withdraw', { why: 'typo' })).status).toBe(400);
    expect((await call('op@os2.example', 'POST', '/api/v1/exclusions/00000000-0000-4000-8000-000000000000/withdraw', { why: 'typo' })).status).toBe(404);
  });

  it('refuses a date-time without a zone, saying so, and stores one with a zone as its UTC instant', async () => {
    const noZone = await call('op@os2.example', 'POST', '/api/v1/exclusions', { componentIds: ['os2faktor-idp'], start: '2026-01-22T10:00:00', end: '2026-01-22T11:00:00Z', reason: 'force_majeure', note: 'no zone given' });
    expect(noZone.status).toBe(400);
    expect(noZone.body.error.message).toContain('start: must be a date-time with its time zone, as Z or an offset (e.g. 2026-03-01T03:30:00+01:00)');
    expect((await call('op@os2.example', 'GET', '/api/v1/exclusions')).body.exclusions).toEqual([]);
    // the same for an incident's estimated fix, which the public page shows
    const opened = await call('op@os2.example', 'POST', '/api/v1/incidents', { pageId: 'os2faktor', title: 'Login fails', priority: 'B', componentIds: ['os2faktor-idp'] });
    expect(opened.status).toBe(201);
    const estimate = (estimatedFixAt: string) => call('op@os2.example', 'POST', `/api/v1/incidents/${opened.body.id}/updates`, { expectedVersion: opened.body.version, step: 'registered', estimatedFixAt });
    const unzoned = await estimate('2026-02-10T13:30');
    expect(unzoned.status).toBe(400);
    expect(unzoned.body.error.message).toContain('estimatedFixAt: must be a date-time with its time zone');
    const zoned = await estimate('2026-02-10T13:30:00+01:00');
    expect(zoned.status, JSON.stringify(zoned.body)).toBe(201);
    expect((await call('op@os2.example', 'GET', `/api/v1/incidents/${opened.body.id}`)).body.updates[0].estimatedFixAt).toBe('2026-02-10T12:30:00.000Z');
  });
});
