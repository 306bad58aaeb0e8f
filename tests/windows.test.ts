import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, computePageReport, createApiToken, createUser, type App } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';

let clock = new Date('2026-01-05T09:00:00Z');
const PASSWORD = 'correct horse battery staple';

describe.each(DRIVERS)('service windows and exclusions, run by operators, on %s', (driver) => {
  let test: TestDatabase;
  let app: App;
  let operator: { cookie: string; csrf: string };
  const call = async (method: string, path: string, body?: unknown, auth: { cookie?: string; csrf?: string; bearer?: string } = operator) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (auth.cookie) headers.cookie = auth.cookie;
    if (auth.csrf) headers['x-csrf-token'] = auth.csrf;
    if (auth.bearer) headers.authorization = `Bearer ${auth.bearer}`;
    const response = await app.request(`http://status.test${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: (await response.json()) as any };
  };

  beforeAll(async () => {
    clock = new Date('2026-01-05T09:00:00Z');
    test = await createTestDatabase(driver);
    const text = readFileSync(new URL('../config/examples/os2faktor.yaml', import.meta.url), 'utf8');
    const parsed = parseConfig(text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    // a second profile like OS2faktor's, but with no emergency windows
    parsed.config.slaProfiles.push({ ...parsed.config.slaProfiles[0]!, id: 'strict', windowPolicy: { ...parsed.config.slaProfiles[0]!.windowPolicy!, emergencyAllowed: false } });
    parsed.config.pages[0]!.groups[0]!.components[1]!.slaProfile = 'strict';
    await syncConfig(test.handle.db, parsed.config, new Date('2026-01-01T00:00:00Z'));
    app = buildApp({ database: test.handle, now: () => clock, logger: pino({ level: 'silent' }) });
    await createUser(test.handle.db, { email: 'op@os2.example', name: 'Op', role: 'operator', password: PASSWORD });
    await createUser(test.handle.db, { email: 'viewer@os2.example', name: 'Viewer', role: 'viewer', password: PASSWORD });
    const login = await app.request('http://status.test/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@os2.example', password: PASSWORD }) });
    operator = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await login.json()) as { csrfToken: string }).csrfToken };
  });
  afterAll(async () => {
    await test?.drop();
  });

  async function logInAgain() {
    const login = await app.request('http://status.test/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@os2.example', password: PASSWORD }) });
    operator = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await login.json()) as { csrfToken: string }).csrfToken };
  }

  const window = (componentId: string, start: string, end: string) => ({ componentIds: [componentId], title: { da: 'Opgradering', en: 'Upgrade' }, plannedStart: start, plannedEnd: end });

  it('accepts a window that keeps the OS2faktor policy', async () => {
    // announced 5 January for Saturday 7 February 05:00–08:00 (Copenhagen)
    const response = await call('POST', '/api/v1/windows', window('os2faktor-idp', '2026-02-07T04:00:00Z', '2026-02-07T07:00:00Z'));
    expect(response.status).toBe(201);
    expect(response.body.window).toMatchObject({ emergency: false, brokenRules: [], createdBy: 'op@os2.example' });
  });

  it('refuses a second window in the month where emergencies are not allowed, naming the rule', async () => {
    expect((await call('POST', '/api/v1/windows', window('os2faktor-selfservice', '2026-02-07T04:00:00Z', '2026-02-07T05:00:00Z'))).status).toBe(201);
    const response = await call('POST', '/api/v1/windows', window('os2faktor-selfservice', '2026-02-14T04:00:00Z', '2026-02-14T05:00:00Z'));
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('POLICY');
    expect(response.body.error.message).toBe('the window breaks the policy of os2faktor-selfservice: max_per_month: 2026-02 already has 1 window(s); at most 1 a month');
    expect(response.body.error.details.broken.map((b: any) => b.rule)).toEqual(['max_per_month']);
  });

  it('accepts a rule-breaking window as an emergency where the profile allows, and refuses it where not', async () => {
    const emergency = await call('POST', '/api/v1/windows', window('os2faktor-idp', '2026-01-06T10:00:00Z', '2026-01-06T11:00:00Z'));
    expect(emergency.status).toBe(201);
    expect(emergency.body.window.emergency).toBe(true);
    expect(emergency.body.window.brokenRules.map((b: any) => b.rule)).toEqual(['min_notice', 'allowed_span']);
    const strict = await call('POST', '/api/v1/windows', window('os2faktor-selfservice', '2026-01-06T10:00:00Z', '2026-01-06T11:00:00Z'));
    expect(strict.status).toBe(422);
    expect(strict.body.error.details.broken.map((b: any) => b.rule)).toEqual(['min_notice', 'allowed_span']);
  });

  it('starts, extends and closes a window: the time past its planned end is overrun in the figures', async () => {
    const scheduled = await call('POST', '/api/v1/windows', window('os2faktor-selfservice', '2026-03-07T04:00:00Z', '2026-03-07T06:00:00Z'));
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(201);
    const id = scheduled.body.window.id as string;
    clock = new Date('2026-03-07T03:55:00Z');
    await logInAgain();
    expect((await call('POST', `/api/v1/windows/${id}/changes`, { action: 'start' })).body.window.actualStart).toBe('2026-03-07T03:55:00.000Z');
    clock = new Date('2026-03-07T05:50:00Z');
    const extended = await call('POST', `/api/v1/windows/${id}/changes`, { action: 'extend', until: '2026-03-07T06:30:00Z' });
    expect(extended.body.window.extendedUntil).toBe('2026-03-07T06:30:00.000Z');
    clock = new Date('2026-03-07T06:20:00Z');
    const status = await call('GET', '/api/v1/pages/os2faktor/status');
    expect(status.body.groups[0].components.find((c: any) => c.id === 'os2faktor-selfservice').inServiceWindow).toBe(true); // still in the extension
    clock = new Date('2026-03-07T06:25:00Z');
    expect((await call('POST', `/api/v1/windows/${id}/changes`, { action: 'close' })).body.window.actualEnd).toBe('2026-03-07T06:25:00.000Z');
    const report = await computePageReport(test.handle.db, { pageId: 'os2faktor', periodKey: '2026-03', now: new Date('2026-03-20T00:00:00Z') });
    expect(report.components.find((c) => c.id === 'os2faktor-selfservice')!.figures).toMatchObject({ windowSeconds: 7200, overrunSeconds: 1500, downSeconds: 1500 });
    const cancel = await call('POST', `/api/v1/windows/${id}/changes`, { action: 'cancel' });
    expect(cancel.status).toBe(409);
  });

  it('records an exclusion with its note, and revises a frozen month with the reason', async () => {
    const db = test.handle.db;
    await db.insert(tables.stateIntervals).values([
      { componentId: 'os2faktor-idp', state: 'up', startedAt: new Date('2026-01-01T00:00:00Z'), endedAt: new Date('2026-01-20T10:00:00Z') },
      { componentId: 'os2faktor-idp', state: 'down', startedAt: new Date('2026-01-20T10:00:00Z'), endedAt: new Date('2026-01-20T11:00:00Z') },
      { componentId: 'os2faktor-idp', state: 'up', startedAt: new Date('2026-01-20T11:00:00Z'), endedAt: new Date('2026-02-01T00:00:00Z') },
    ]);
    clock = new Date('2026-02-10T09:00:00Z'); // January is final and frozen on first use
    await logInAgain(); // the session of 5 January has expired
    const frozen = await computePageReport(db, { pageId: 'os2faktor', periodKey: '2026-01', now: clock });
    expect(frozen.components[0]!.figures.downSeconds).toBe(3600);
    const noNote = await call('POST', '/api/v1/exclusions', { componentIds: ['os2faktor-idp'], start: '2026-01-20T10:00:00Z', end: '2026-01-20T11:00:00Z', reason: 'force_majeure', note: '' });
    expect(noNote.status).toBe(400);
    const recorded = await call('POST', '/api/v1/exclusions', { componentIds: ['os2faktor-idp'], start: '2026-01-20T10:00:00Z', end: '2026-01-20T11:00:00Z', reason: 'force_majeure', note: 'Power cut in the data centre' });
    expect(recorded.status).toBe(201);
    expect(recorded.body.revised).toContainEqual({ scope: 'component', id: 'os2faktor-idp', month: '2026-01', version: 2 });
    const versions = await db.select().from(tables.slaStatements).where(eq(tables.slaStatements.scopeId, 'os2faktor-idp'));
    expect(versions.find((v) => v.version === 2)!.reason).toMatch(/^exclusion [0-9a-f-]{36} \(force_majeure\) recorded by op@os2\.example: Power cut in the data centre$/);
    const after = await computePageReport(db, { pageId: 'os2faktor', periodKey: '2026-01', now: clock });
    expect(after.components[0]!.figures).toMatchObject({ downSeconds: 0, excludedSeconds: 3600 });
  });

  it('asks for credentials, the operator role and the right scope, and changes nothing otherwise', async () => {
    const before = (await test.handle.db.select().from(tables.serviceWindows)).length;
    const body = window('os2faktor-idp', '2026-05-02T04:00:00Z', '2026-05-02T05:00:00Z');
    expect((await call('POST', '/api/v1/windows', body, {})).status).toBe(401);
    const viewerLogin = await app.request('http://status.test/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'viewer@os2.example', password: PASSWORD }) });
    const viewer = { cookie: viewerLogin.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await viewerLogin.json()) as { csrfToken: string }).csrfToken };
    expect((await call('POST', '/api/v1/windows', body, viewer)).status).toBe(403);
    const [op] = await test.handle.db.select().from(tables.users).where(eq(tables.users.email, 'op@os2.example'));
    const incidentsOnly = await createApiToken(test.handle.db, { userId: op!.id, label: 'bot', scopes: ['incidents:write'], now: clock });
    expect((await call('POST', '/api/v1/windows', body, { bearer: incidentsOnly.token })).status).toBe(403);
    expect((await call('POST', '/api/v1/exclusions', { componentIds: ['os2faktor-idp'], start: '2026-05-01T00:00:00Z', end: '2026-05-01T01:00:00Z', reason: 'force_majeure', note: 'x y z' }, { bearer: incidentsOnly.token })).status).toBe(403);
    expect((await test.handle.db.select().from(tables.serviceWindows)).length).toBe(before);
    const windowsToken = await createApiToken(test.handle.db, { userId: op!.id, label: 'planner', scopes: ['windows:write'], now: clock });
    expect((await call('POST', '/api/v1/windows', body, { bearer: windowsToken.token })).status).toBe(201);
  });
});
