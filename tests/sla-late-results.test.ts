import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { and, asc, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, computePageReport, createUser, freezeDueMonths, reviseLateResults, type App, type Statement } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { syncConfig, tables, type Database } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';

const ZONE = 'Europe/Copenhagen';
const PASSWORD = 'correct horse battery staple';
const t = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toJSDate();

function os2faktorConfig() {
  const parsed = parseConfig(readFileSync(new URL('../config/examples/os2faktor.yaml', import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
}

/** What the evaluator stores for a stretch of results: the results themselves (with when they arrived) and the state intervals they make. */
async function measured(db: Database, args: { componentId: string; from: string; to: string; down?: { from: string; to: string }; receivedAt?: Date }) {
  const rows = [];
  for (let at = DateTime.fromISO(args.from, { zone: ZONE }); at < DateTime.fromISO(args.to, { zone: ZONE }); at = at.plus({ hours: 12 })) {
    const down = args.down && at >= DateTime.fromISO(args.down.from, { zone: ZONE }) && at < DateTime.fromISO(args.down.to, { zone: ZONE });
    rows.push({ id: randomUUID(), componentId: args.componentId, checkId: 'https-0', regionId: 'local', startedAt: at.toJSDate(), outcome: down ? ('down' as const) : ('up' as const), durationMs: 40, ...(args.receivedAt ? { receivedAt: args.receivedAt } : { receivedAt: at.toJSDate() }) });
  }
  await db.insert(tables.checkResults).values(rows);
  const spans = args.down
    ? [
        { state: 'up' as const, startedAt: t(args.from), endedAt: t(args.down.from) },
        { state: 'down' as const, startedAt: t(args.down.from), endedAt: t(args.down.to) },
        { state: 'up' as const, startedAt: t(args.down.to), endedAt: t(args.to) },
      ]
    : [{ state: 'up' as const, startedAt: t(args.from), endedAt: t(args.to) }];
  await db.insert(tables.stateIntervals).values(spans.map((s) => ({ componentId: args.componentId, ...s })));
  return rows.length;
}

describe.each(DRIVERS)('late results for a frozen month, on %s', (driver) => {
  let test: TestDatabase;
  let app: App;
  let clock: Date;
  beforeEach(async () => {
    test = await createTestDatabase(driver);
    clock = new Date('2026-04-01T00:00:00Z');
    await syncConfig(test.handle.db, os2faktorConfig(), new Date('2026-01-01T00:00:00Z'));
    app = buildApp({ database: test.handle, now: () => clock, logger: pino({ level: 'silent' }) });
    await createUser(test.handle.db, { email: 'op@os2.example', name: 'Op', role: 'operator', password: PASSWORD });
  });
  afterEach(async () => {
    await test?.drop();
  });

  async function exclude(componentId: string, start: string, end: string) {
    const login = await app.request('http://status.test/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@os2.example', password: PASSWORD }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const response = await app.request('http://status.test/api/v1/exclusions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ componentIds: [componentId], start: t(start).toISOString(), end: t(end).toISOString(), reason: 'force_majeure', note: 'Power cut in the data centre' }),
    });
    expect(response.status).toBe(201);
  }

  const versions = async (componentId: string, month: string) =>
    test.handle.db
      .select()
      .from(tables.slaStatements)
      .where(and(eq(tables.slaStatements.scope, 'component'), eq(tables.slaStatements.scopeId, componentId), eq(tables.slaStatements.periodKey, month)))
      .orderBy(asc(tables.slaStatements.version));

  it('gives late results their own version after the grace; an exclusion on another component names only its own change', async () => {
    const { db } = test.handle;
    // monitoring began on 15 March; February was never measured
    await measured(db, { componentId: 'os2faktor-idp', from: '2026-03-15T00:00', to: '2026-04-01T00:00' });
    await measured(db, { componentId: 'os2faktor-selfservice', from: '2026-03-15T00:00', to: '2026-04-01T00:00' });
    clock = new Date('2026-04-07T12:00:00Z');
    expect(await freezeDueMonths(db, clock)).toEqual(['os2faktor']);
    const frozenIdp = (await versions('os2faktor-idp', '2026-03'))[0]!;
    expect(await versions('os2faktor-idp', '2026-02')).toEqual([]); // not measured: never frozen with zero potential

    // a probe's buffer arrives on 10 April: idp from 5 to 15 March with an hour down, and idp in late February
    const lateAt = new Date('2026-04-10T10:00:00Z');
    const lateMarch = await measured(db, { componentId: 'os2faktor-idp', from: '2026-03-05T00:00', to: '2026-03-15T00:00', down: { from: '2026-03-10T12:00', to: '2026-03-10T13:00' }, receivedAt: lateAt });
    const lateFebruary = await measured(db, { componentId: 'os2faktor-idp', from: '2026-02-20T00:00', to: '2026-02-22T00:00', receivedAt: lateAt });

    // within the grace: nothing changes
    clock = new Date('2026-04-11T09:00:00Z');
    expect(await reviseLateResults(db, { now: clock })).toEqual({ revised: [], frozen: [] });

    // an exclusion on self-service: only self-service gets a version, and its reason is the exclusion
    await exclude('os2faktor-selfservice', '2026-03-20T10:00', '2026-03-20T11:00');
    const selfservice = await versions('os2faktor-selfservice', '2026-03');
    expect(selfservice.map((v) => v.version)).toEqual([1, 2]);
    expect(selfservice[1]!.reason).toMatch(/^exclusion .* \(force_majeure\) recorded by op@os2\.example/);
    expect((await versions('os2faktor-idp', '2026-03')).map((v) => v.version)).toEqual([1]);

    // an exclusion on idp itself: its version changes the exclusions and keeps the frozen states (the late data is not its change)
    await exclude('os2faktor-idp', '2026-03-25T10:00', '2026-03-25T11:00');
    const idpAfterExclusion = await versions('os2faktor-idp', '2026-03');
    expect(idpAfterExclusion.map((v) => v.version)).toEqual([1, 2]);
    expect((idpAfterExclusion[1]!.document as Statement).states).toEqual((frozenIdp.document as Statement).states);
    expect((idpAfterExclusion[1]!.document as Statement).figures).toMatchObject({ downSeconds: 0, excludedSeconds: 3600 });

    // one second short of 48 h after the newest late result: still nothing
    clock = new Date(lateAt.getTime() + 48 * 3_600_000 - 1000);
    expect(await reviseLateResults(db, { now: clock })).toEqual({ revised: [], frozen: [] });

    // past the grace: idp's March gets a version of its own, with the counts; February, now measured, is frozen
    clock = new Date(lateAt.getTime() + 48 * 3_600_000);
    const late = await reviseLateResults(db, { now: clock });
    const idpRevisions = late.revised.filter((r) => r.scope === 'component');
    expect(idpRevisions).toEqual([{ scope: 'component', id: 'os2faktor-idp', month: '2026-03', version: 3, reason: expect.stringMatching(new RegExp(`^late results: ${lateMarch} results measured in 2026-03, received 2026-04-10T10:00:00.000Z, after the statement was made; potential \\d+ s → \\d+ s, down 0 s → 3600 s`)) }]);
    expect(late.frozen).toEqual([{ pageId: 'os2faktor', month: '2026-02' }]);
    const idp = await versions('os2faktor-idp', '2026-03');
    expect(idp.map((v) => v.version)).toEqual([1, 2, 3]);
    const before = (idp[1]!.document as Statement).figures;
    const after = (idp[2]!.document as Statement).figures;
    expect(after.potentialSeconds - before.potentialSeconds).toBe(10 * 86_400); // 5–15 March now measured
    expect(after).toMatchObject({ downSeconds: 3600, excludedSeconds: 3600 }); // the exclusion stays
    expect((await versions('os2faktor-selfservice', '2026-03')).map((v) => v.version)).toEqual([1, 2]); // no late data for it: untouched
    const february = await versions('os2faktor-idp', '2026-02');
    expect(february.map((v) => [v.version, v.reason])).toEqual([[1, null]]);
    expect((february[0]!.document as Statement).figures.potentialSeconds).toBe(2 * 86_400);
    expect(lateFebruary).toBe(4);

    // the report serves the new version; a second sweep finds nothing more
    const report = await computePageReport(db, { pageId: 'os2faktor', periodKey: '2026-03', now: clock });
    expect(report.components.find((c) => c.id === 'os2faktor-idp')!.months[0]).toMatchObject({ version: 3, contentSha256: idp[2]!.contentSha256 });
    clock = new Date(clock.getTime() + 3_600_000);
    expect(await reviseLateResults(db, { now: clock })).toEqual({ revised: [], frozen: [] });
  });

  it('waits for the configured grace of each profile', async () => {
    const config = os2faktorConfig();
    config.slaProfiles[0]!.lateResultsGraceHours = 2;
    await syncConfig(test.handle.db, config, new Date('2026-01-02T00:00:00Z'));
    const { db } = test.handle;
    await measured(db, { componentId: 'os2faktor-idp', from: '2026-03-15T00:00', to: '2026-04-01T00:00' });
    await freezeDueMonths(db, new Date('2026-04-07T12:00:00Z'));
    const lateAt = new Date('2026-04-10T10:00:00Z');
    await measured(db, { componentId: 'os2faktor-idp', from: '2026-03-13T00:00', to: '2026-03-15T00:00', receivedAt: lateAt });
    expect((await reviseLateResults(db, { now: new Date('2026-04-10T11:59:59Z') })).revised).toEqual([]);
    const due = await reviseLateResults(db, { now: new Date('2026-04-10T12:00:00Z') });
    expect(due.revised.map((r) => [r.id, r.version])).toEqual([['os2faktor-idp', 2]]);
  });
});
