import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createUser, type App, type PageReport } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';

const NOW = new Date('2026-11-15T12:00:00Z');
const PASSWORD = 'correct horse battery staple';

function config() {
  const parsed = parseConfig(`
regions: [{ id: north }]
organisations: [{ id: kommune, name: Kommune }]
slaProfiles: [{ id: basic, name: Basic, availabilityTargetPercent: 99.5, timeZone: UTC }]
pages:
  - id: status
    organisation: kommune
    name: Status
    groups:
      - id: g
        name: G
        components:
          - { id: exchange, name: Exchange Online, checks: [{ kind: statuspage, url: "https://status.example.com/api/v2/summary.json", component: Exchange }] }
          - { id: mail, name: Council mail, slaProfile: basic, dependsOn: [{ component: exchange, effect: down }], checks: [{ kind: https, url: "https://mail.example.dk/" }] }
          - { id: portal, name: Portal, slaProfile: basic, checks: [{ kind: https, url: "https://portal.example.dk/" }] }
`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
}

describe.each(DRIVERS)('downtime attributed to a third party in the SLA report on %s', (driver) => {
  let test: TestDatabase;
  let app: App;
  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, config(), new Date('2026-11-01T00:00:00Z'));
    app = buildApp({ database: test.handle, now: () => NOW, logger: pino({ level: 'silent' }) });
    await createUser(test.handle.db, { email: 'op@kommune.example', name: 'Op', role: 'operator', password: PASSWORD });
    // mail is down 10:00–12:00; the third party it depends on was down 09:00–11:00
    const at = (hhmm: string) => new Date(`2026-11-15T${hhmm}:00Z`);
    await test.handle.db.insert(tables.stateIntervals).values([
      { componentId: 'mail', state: 'up', startedAt: new Date('2026-11-01T00:00:00Z'), endedAt: at('10:00') },
      { componentId: 'mail', state: 'down', startedAt: at('10:00'), endedAt: at('12:00') },
      { componentId: 'exchange', state: 'up', startedAt: new Date('2026-11-01T00:00:00Z'), endedAt: at('09:00') },
      { componentId: 'exchange', state: 'down', startedAt: at('09:00'), endedAt: at('11:00') },
      { componentId: 'exchange', state: 'up', startedAt: at('11:00'), endedAt: null },
      { componentId: 'portal', state: 'down', startedAt: new Date('2026-11-01T00:00:00Z'), endedAt: at('01:00') },
    ]);
  });
  afterAll(async () => {
    await test?.drop();
  });

  const report = async () => {
    const response = await app.request('http://status.test/api/v1/sla/pages/status/reports/2026-11');
    expect(response.status).toBe(200);
    return (await response.json()) as PageReport;
  };
  const operator = async () => {
    const login = await app.request('http://status.test/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: PASSWORD }) });
    return { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken };
  };
  const exclude = async (body: Record<string, string>) =>
    app.request('http://status.test/api/v1/exclusions/third-party', { method: 'POST', headers: { 'content-type': 'application/json', ...(await operator()) }, body: JSON.stringify(body) });

  it('reports the downtime that fell while the dependency was down apart, per component, in JSON and CSV', async () => {
    const body = await report();
    const mail = body.components.find((c) => c.id === 'mail')!;
    expect(mail.figures.downSeconds).toBe(7200);
    expect(mail.thirdParty).toEqual({ downSeconds: 3600, spans: [{ start: '2026-11-15T10:00:00.000Z', end: '2026-11-15T11:00:00.000Z', dependencyIds: ['exchange'] }] });
    expect(body.components.find((c) => c.id === 'portal')!.thirdParty).toBeNull();
    const csv = await (await app.request('http://status.test/api/v1/sla/pages/status/reports/2026-11?format=csv')).text();
    const [head, ...rows] = csv.trim().split('\n');
    const column = head!.split(',').indexOf('third_party_down_seconds');
    expect(column).toBeGreaterThan(0);
    expect(rows.find((r) => r.includes(',mail,'))!.split(',')[column]).toBe('3600');
    expect(rows.find((r) => r.includes(',portal,'))!.split(',')[column]).toBe('');
  });

  it('refuses to exclude time that was not attributed, saying what was', async () => {
    const response = await exclude({ componentId: 'mail', start: '2026-11-15T10:30:00Z', end: '2026-11-15T11:30:00Z' });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { message: string } };
    expect(error.message).toContain('is not downtime of "mail" while a component it depends on was in trouble (attributed in that span: 2026-11-15T10:30:00.000Z–2026-11-15T11:00:00.000Z)');
    expect((await exclude({ componentId: 'nothing', start: '2026-11-15T10:00:00Z', end: '2026-11-15T11:00:00Z' })).status).toBe(404);
  });

  it('turns an attributed span into an audited exclusion with one call, and the report counts it', async () => {
    const response = await exclude({ componentId: 'mail', start: '2026-11-15T10:00:00Z', end: '2026-11-15T11:00:00Z', note: 'Microsoft incident EX123' });
    expect(response.status, await response.clone().text()).toBe(201);
    const [exclusion] = await test.handle.db.select().from(tables.exclusions);
    expect(exclusion).toMatchObject({ componentIds: ['mail'], reason: 'force_majeure', note: 'Downtime while Exchange Online reported a problem: Microsoft incident EX123', author: 'op@kommune.example' });
    const audit = await test.handle.db.execute(sql`select action from audit_log where entity_id = ${exclusion!.id}`);
    expect(JSON.stringify(audit)).toContain('exclusion.record');
    const mail = (await report()).components.find((c) => c.id === 'mail')!;
    expect(mail.figures.downSeconds).toBe(3600);
    expect(mail.figures.excludedSeconds).toBe(3600);
    expect(mail.thirdParty).toEqual({ downSeconds: 0, spans: [] });
  });
});
