import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, exportStatement, parseStatementDocument, statementJsonSchema, type App } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { syncConfig, tables, type Database } from '../db/index.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { runCli } from './support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'statusvakt-statements-'));
const examples = [
  { name: 'os2faktor', page: 'os2faktor', component: 'os2faktor-idp', zone: 'Europe/Copenhagen', month: '2026-03', category: undefined },
  { name: 'uni-login', page: 'uni-login', component: 'uni-idp', zone: 'Europe/Copenhagen', month: '2026-04', category: 'uni-login.authentication' },
  { name: 'd-ikt', page: 'd-ikt', component: 'exchange', zone: 'Europe/Oslo', month: '2026-03', category: undefined },
  { name: 'x-coo', page: 'x-coo', component: 'x-coo-api', zone: 'Europe/Rome', month: '2026-03', category: undefined },
  { name: 'third-party-se', page: 'tredjepart', component: 'm365-outlook', zone: 'Europe/Stockholm', month: '2026-03', category: undefined },
];

/** A month with a measured outage, a window that overran, and an exclusion, for one component. */
async function storeMonth(db: Database, args: { componentId: string; zone: string; month: string }) {
  const t = (day: string) => DateTime.fromISO(`${args.month}-${day}`, { zone: args.zone }).toJSDate();
  const start = DateTime.fromISO(`${args.month}-01T00:00`, { zone: args.zone });
  await db.insert(tables.stateIntervals).values([
    { componentId: args.componentId, state: 'up', startedAt: start.toJSDate(), endedAt: t('14T09:00') },
    { componentId: args.componentId, state: 'down', startedAt: t('14T09:00'), endedAt: t('14T11:00') },
    { componentId: args.componentId, state: 'up', startedAt: t('14T11:00'), endedAt: t('21T09:00') },
    { componentId: args.componentId, state: 'degraded', startedAt: t('21T09:00'), endedAt: t('21T09:40') },
    { componentId: args.componentId, state: 'up', startedAt: t('21T09:40'), endedAt: start.plus({ months: 1 }).toJSDate() },
  ]);
  await db.insert(tables.serviceWindows).values({ componentIds: [args.componentId], title: 'Upgrade', plannedStart: t('17T10:00'), plannedEnd: t('17T12:00'), actualEnd: t('17T12:30'), announcedAt: start.minus({ months: 1 }).toJSDate(), createdBy: 'ops@example.dk' });
  await db.insert(tables.exclusions).values({ componentIds: [args.componentId], startAt: t('14T10:30'), endAt: t('14T11:00'), reason: 'consumer_fault', note: 'Fault in the customer’s own network', author: 'ops@example.dk' });
}

describe('verifiable SLA statements', () => {
  let test: TestDatabase;
  let app: App;
  const exported = new Map<string, string>(); // example → file

  beforeAll(async () => {
    test = await createTestDatabase('pglite');
    // all five agreements in one installation (a sync retires what its config does not name)
    const configs = examples.map((example) => {
      const parsed = parseConfig(readFileSync(new URL(`../config/examples/${example.name}.yaml`, import.meta.url), 'utf8'));
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
      return parsed.config;
    });
    const merged = {
      regions: [{ id: 'local' }],
      organisations: configs.flatMap((c) => c.organisations),
      calendars: configs.flatMap((c) => c.calendars),
      slaProfiles: configs.flatMap((c) => c.slaProfiles),
      pages: configs.flatMap((c) => c.pages),
    };
    await syncConfig(test.handle.db, merged, new Date('2026-01-01T00:00:00Z'));
    for (const example of examples) await storeMonth(test.handle.db, { componentId: example.component, zone: example.zone, month: example.month });
    // final months are frozen by the background work (an anonymous read never writes); here, directly
    for (const example of examples) await exportStatement(test.handle.db, { scope: 'component', id: example.component, periodKey: example.month, now: new Date('2026-06-01T00:00:00Z') });
    app = buildApp({ database: test.handle, now: () => new Date('2026-06-01T00:00:00Z'), logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await test?.drop();
  });

  it.each(examples)('$name: export → verify matches every figure, and compute gives the same figures', async ({ name, component, month }) => {
    const response = await app.request(`/api/v1/sla/statements/component/${component}/${month}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; version: number; contentSha256: string; document: { figures: Record<string, unknown>; coverage: unknown } };
    expect(body).toMatchObject({ status: 'final', version: 1, contentSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(body.document.figures).toMatchObject({ windowSeconds: 2 * 3600, overrunSeconds: 1800, excludedSeconds: 1800 });
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(body, null, 2));
    exported.set(name, file);

    const verify = await runCli(['sla', 'verify', file]);
    expect(verify.stdout.trim(), verify.stderr).toBe(`${file}: OK — every figure matches (component ${component}, ${month})`);
    expect(verify.code).toBe(0);
    const compute = await runCli(['sla', 'compute', file]);
    expect(compute.code).toBe(0);
    expect(JSON.parse(compute.stdout)).toEqual(body.document.figures);
  });

  it('exports a category statement that verifies too (UNI-Login authentication)', async () => {
    const response = await app.request('/api/v1/sla/statements/category/uni-login.authentication/2026-04');
    const body = await response.json();
    const file = join(dir, 'category.json');
    writeFileSync(file, JSON.stringify(body));
    expect((await runCli(['sla', 'verify', file])).code).toBe(0);
  });

  it('states a month under way up to now, and one not begun over its whole span; both verify', async () => {
    // the app's clock is 1 June 2026, 00:00 UTC (02:00 in Copenhagen): June is under way, July not begun
    for (const [month, end] of [['2026-06', '2026-06-01T00:00:00.000Z'], ['2026-07', '2026-07-31T22:00:00.000Z']] as const) {
      const response = await app.request(`/api/v1/sla/statements/component/os2faktor-idp/${month}`);
      expect(response.status, month).toBe(200);
      const body = (await response.json()) as { status: string; document: { period: { end: string } } };
      expect(body.status, month).toBe('preliminary');
      expect(body.document.period.end, month).toBe(end);
      expect(parseStatementDocument(body.document).ok, month).toBe(true);
      const file = join(dir, `under-way-${month}.json`);
      writeFileSync(file, JSON.stringify(body));
      expect((await runCli(['sla', 'verify', file])).code, month).toBe(0);
    }
  });

  it('names the figure that differs in a tampered statement, and the broken hash', async () => {
    const body = JSON.parse(readFileSync(exported.get('os2faktor')!, 'utf8'));
    body.document.figures.downSeconds = 0;
    body.document.figures.availability = 1;
    const file = join(dir, 'tampered.json');
    writeFileSync(file, JSON.stringify(body));
    const verify = await runCli(['sla', 'verify', file]);
    expect(verify.code).toBe(2);
    expect(verify.stdout).toContain(`${file}: DOES NOT MATCH`);
    expect(verify.stdout).toMatch(/ {2}downSeconds: stated 0, recomputed 7200\n/);
    expect(verify.stdout).toMatch(/ {2}availability: stated 1, recomputed 0\.99\d+/);
    expect(verify.stdout).toMatch(/ {2}contentSha256: stated [0-9a-f]{64}, the document hashes to [0-9a-f]{64}/);
  });

  it('catches a changed input: the figures no longer follow from it', async () => {
    const body = JSON.parse(readFileSync(exported.get('d-ikt')!, 'utf8'));
    body.document.exclusions = []; // drop the exclusion, keep the stated figures
    const bare = join(dir, 'bare.json');
    writeFileSync(bare, JSON.stringify(body.document));
    const verify = await runCli(['sla', 'verify', bare]);
    expect(verify.code).toBe(2);
    expect(verify.stdout).toMatch(/excludedSeconds: stated 1800, recomputed 0/);
  });

  it.each([
    { name: 'overlapping state intervals', edit: (d: any) => (d.states[1].start = d.states[0].start), path: 'states.1.start', says: /overlaps states\[0\]/ },
    { name: 'an end before a start', edit: (d: any) => (d.exclusions[0].end = d.exclusions[0].start), path: 'exclusions.0.end', says: /must be after start/ },
    { name: 'an unknown time zone', edit: (d: any) => (d.period.timeZone = 'Europe/Atlantis'), path: 'period.timeZone', says: /IANA time zone/ },
    { name: 'a window with no planned end', edit: (d: any) => delete d.windows[0].plannedEnd, path: 'windows.0.plannedEnd', says: /ISO 8601|expected string/ },
  ])('rejects a document with $name, naming the path', async ({ edit, path, says }) => {
    const body = JSON.parse(readFileSync(exported.get('x-coo')!, 'utf8'));
    edit(body.document);
    const result = parseStatementDocument(body.document);
    expect(result.ok).toBe(false);
    const issue = !result.ok ? result.issues.find((i) => i.path === path) : undefined;
    expect(issue?.message, JSON.stringify(!result.ok && result.issues)).toMatch(says);
    const file = join(dir, `bad-${path}.json`);
    writeFileSync(file, JSON.stringify(body));
    const cli = await runCli(['sla', 'compute', file]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`${file}  ${path}  `);
  });

  it('has its JSON Schema committed as generated, and the worked example in the docs verifies', async () => {
    const committed = JSON.parse(readFileSync(new URL('../docs/sla-statement.schema.json', import.meta.url), 'utf8'));
    expect(committed, 'run `npm run schema:generate` and commit the result').toEqual(statementJsonSchema());
    const example = new URL('../docs/examples/uni-login-2026-04.statement.json', import.meta.url).pathname;
    const verify = await runCli(['sla', 'verify', example]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });
});
