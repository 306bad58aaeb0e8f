import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createUser, freezeDueMonths, type App } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';

const PASSWORD = 'correct horse battery staple';

describe.each(DRIVERS)('SLA reads never write, changes are atomic and bounded, exports are safe, on %s', (driver) => {
  let test: TestDatabase;
  let app: App;
  const clock = new Date('2026-03-10T09:00:00Z');
  let operator: Record<string, string>;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await app.request(`http://status.test${path}`, { method, headers: { 'content-type': 'application/json', ...operator }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    return { status: response.status, text, body: text.startsWith('{') ? JSON.parse(text) : null };
  };
  const statementCount = async () => (await test.handle.db.select().from(tables.slaStatements)).length;

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    const parsed = parseConfig(readFileSync(new URL('../config/examples/os2faktor.yaml', import.meta.url), 'utf8'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    await syncConfig(test.handle.db, parsed.config, new Date('2026-01-01T00:00:00Z'));
    // monitoring of the IdP began on 1 January 2026; the self-service was never measured
    await test.handle.db.insert(tables.stateIntervals).values({ componentId: 'os2faktor-idp', state: 'up', startedAt: new Date('2026-01-01T00:00:00Z') });
    app = buildApp({ database: test.handle, now: () => clock, logger: pino({ level: 'silent' }) });
    await createUser(test.handle.db, { email: 'op@os2.example', name: 'Op', role: 'operator', password: PASSWORD });
    const login = await app.request('http://status.test/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@os2.example', password: PASSWORD }) });
    expect(login.status).toBe(200);
    operator = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken };
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('answers 400 for periods outside sensible years, and stores nothing', async () => {
    for (const period of ['0000', '0001', '0001-01', '1100', '1299-T2', '1999-12', '9999', '2028-01']) {
      const response = await call('GET', `/api/v1/sla/pages/os2faktor/reports/${period}`);
      expect(response.status, period).toBe(400);
      expect(response.body.error.message, period).toMatch(/outside the years reports cover \(2000–2027\)/);
      expect((await call('GET', `/api/v1/sla/statements/component/os2faktor-idp/${period}`)).status, period).toBe(400);
    }
    expect(await statementCount()).toBe(0);
  });

  it('freezes nothing on an anonymous read, before or after monitoring began', async () => {
    const before = await call('GET', '/api/v1/sla/pages/os2faktor/reports/2001-05');
    expect(before.status).toBe(200);
    const measured = await call('GET', '/api/v1/sla/pages/os2faktor/reports/2026-01');
    expect(measured.status).toBe(200);
    expect(measured.body.components[0].months[0]).toMatchObject({ key: '2026-01', status: 'final', version: null });
    const exported = await call('GET', '/api/v1/sla/statements/component/os2faktor-idp/2026-01');
    expect(exported.body).toMatchObject({ status: 'final', version: null });
    expect((await call('GET', '/api/v1/sla/pages/os2faktor/reports/2025?format=csv')).status).toBe(200);
    expect(await statementCount()).toBe(0);
  });

  it('freezes the final months in the background only for what was measured', async () => {
    expect(await freezeDueMonths(test.handle.db, clock)).toEqual(['os2faktor']);
    const frozen = await test.handle.db.select().from(tables.slaStatements);
    // January and February are final, and only the IdP was measured in them
    expect(frozen.map((s) => [s.scopeId, s.periodKey]).filter(([id]) => id!.startsWith('os2faktor-')).sort()).toEqual([
      ['os2faktor-idp', '2026-01'],
      ['os2faktor-idp', '2026-02'],
    ]);
  });

  it('refuses an exclusion from 2000 to 9999 at once, storing nothing', async () => {
    const counts = async () => [(await test.handle.db.select().from(tables.exclusions)).length, (await test.handle.db.select().from(tables.auditLog)).length, await statementCount()];
    const before = await counts();
    const started = Date.now();
    const response = await call('POST', '/api/v1/exclusions', { componentIds: ['os2faktor-idp'], start: '2000-01-01T00:00:00Z', end: '9999-12-31T00:00:00Z', reason: 'force_majeure', note: 'everything' });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe('an exclusion must lie between the year 2000 and two years from now');
    expect(Date.now() - started).toBeLessThan(2000);
    const window = await call('POST', '/api/v1/windows', { componentIds: ['os2faktor-idp'], title: 'long', plannedStart: '2026-06-01T00:00:00Z', plannedEnd: '2027-07-01T00:00:00Z' });
    expect(window.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('records four exclusions on one frozen month at once: no 500, one new version each', async () => {
    const responses = await Promise.all(
      [1, 2, 3, 4].map((hour) => call('POST', '/api/v1/exclusions', { componentIds: ['os2faktor-idp'], start: `2026-02-10T0${hour}:00:00Z`, end: `2026-02-10T0${hour}:30:00Z`, reason: 'force_majeure', note: `power cut ${hour}` })),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const versions = await test.handle.db.select().from(tables.slaStatements).where(and(eq(tables.slaStatements.scopeId, 'os2faktor-idp'), eq(tables.slaStatements.periodKey, '2026-02')));
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('names no exclusion author by e-mail in a public statement, and neutralises formulas in CSV', async () => {
    const exported = await call('GET', '/api/v1/sla/statements/component/os2faktor-idp/2026-02');
    expect(exported.status).toBe(200);
    expect(exported.body.document.exclusions).toHaveLength(4);
    expect(exported.text).not.toContain('@os2.example');
    expect(exported.body.document.exclusions[0].author).toBe('operator');
    await test.handle.db.update(tables.components).set({ name: '=HYPERLINK("https://evil.example","x")' }).where(eq(tables.components.id, 'os2faktor-selfservice'));
    const csv = await call('GET', '/api/v1/sla/pages/os2faktor/reports/2026-02?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(`"'=HYPERLINK(""https://evil.example"",""x"")"`);
    expect(csv.text).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });
});
