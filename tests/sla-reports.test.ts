import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, computePageReport, freezeDueMonths, reviseFrozenStatements, sla, toEngineProfile, windowPolicyFor } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { syncConfig, tables, type Database } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';

const HOUR = 3600;

function exampleConfig(name: string) {
  const parsed = parseConfig(readFileSync(new URL(`../config/examples/${name}.yaml`, import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
}

/** Stores a component's timeline: `up` over the whole span except the given down (or other) spans, all in local time. */
async function storeTimeline(db: Database, args: { componentId: string; zone: string; from: string; to: string; spans?: { state: 'down' | 'degraded' | 'unknown'; from: string; to: string }[] }) {
  const t = (iso: string) => DateTime.fromISO(iso, { zone: args.zone }).toJSDate();
  const cuts = [...(args.spans ?? [])].sort((a, b) => a.from.localeCompare(b.from));
  const rows: { state: 'up' | 'down' | 'degraded' | 'unknown'; startedAt: Date; endedAt: Date }[] = [];
  let at = args.from;
  for (const span of cuts) {
    if (span.from > at) rows.push({ state: 'up', startedAt: t(at), endedAt: t(span.from) });
    rows.push({ state: span.state, startedAt: t(span.from), endedAt: t(span.to) });
    at = span.to;
  }
  rows.push({ state: 'up', startedAt: t(at), endedAt: t(args.to) });
  await db.insert(tables.stateIntervals).values(rows.map((r) => ({ componentId: args.componentId, ...r })));
}

const local = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toJSDate();

describe.each(DRIVERS)('SLA reports of the reference agreements on %s', (driver) => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await createTestDatabase(driver);
  });
  afterEach(async () => {
    await test?.drop();
  });

  it('OS2faktor: 99.9 % of planned uptime, a weekend window with an overrun, frozen once final', async () => {
    const { db } = test.handle;
    const zone = 'Europe/Copenhagen';
    await syncConfig(db, exampleConfig('os2faktor'), new Date('2026-01-01T00:00:00Z'));
    await storeTimeline(db, { componentId: 'os2faktor-idp', zone, from: '2026-03-01T00:00', to: '2026-04-01T00:00', spans: [{ state: 'down', from: '2026-03-10T10:00', to: '2026-03-10T10:30' }] });
    await storeTimeline(db, { componentId: 'os2faktor-selfservice', zone, from: '2026-03-01T00:00', to: '2026-04-01T00:00' });
    await db.insert(tables.serviceWindows).values({
      componentIds: ['os2faktor-idp'],
      title: 'Opgradering',
      plannedStart: local('2026-03-14T05:00', zone),
      plannedEnd: local('2026-03-14T08:00', zone),
      actualEnd: local('2026-03-14T08:20', zone),
      announcedAt: local('2026-02-01T09:00', zone),
      createdBy: 'operator@os2.example',
    });

    const final = await computePageReport(db, { pageId: 'os2faktor', periodKey: '2026-03', now: new Date('2026-04-10T00:00:00Z') });
    const idp = final.components.find((c) => c.id === 'os2faktor-idp')!;
    // March 2026 in Copenhagen has 743 h; the 3 h window leaves; 30 min down + 20 min overrun count
    expect(idp.figures).toMatchObject({ coveredSeconds: 743 * HOUR, windowSeconds: 3 * HOUR, overrunSeconds: 20 * 60, downSeconds: 50 * 60, potentialSeconds: 740 * HOUR, met: false });
    expect(idp.figures.availability).toBeCloseTo(1 - 3000 / (740 * HOUR), 12);
    expect(idp.figures.errorBudgetSeconds).toBeCloseTo(0.001 * 740 * HOUR, 6); // 44.4 min
    expect(idp.status).toBe('final');
    expect(idp.months[0]).toMatchObject({ key: '2026-03', status: 'final', version: 1, contentSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(final.components.find((c) => c.id === 'os2faktor-selfservice')!.figures).toMatchObject({ availability: 1, met: true });

    // the policy of §4.1, as the engine sees it
    const profile = toEngineProfile((await db.select().from(tables.slaProfiles))[0]!.spec as never);
    const verdict = sla.checkWindowPolicy({ policy: profile.windowPolicy!, window: { plannedStart: local('2026-03-17T22:00', zone).getTime(), plannedEnd: local('2026-03-18T01:00', zone).getTime(), announcedAt: local('2026-03-01T00:00', zone).getTime() }, planned: [], timeZone: zone });
    expect(verdict).toMatchObject({ verdict: 'emergency', broken: [{ rule: 'min_notice' }, { rule: 'allowed_span' }] });
  });

  it('a final month stays frozen until revised with a reason; earlier versions stay', async () => {
    const { db } = test.handle;
    const zone = 'Europe/Copenhagen';
    await syncConfig(db, exampleConfig('os2faktor'), new Date('2026-01-01T00:00:00Z'));
    await storeTimeline(db, { componentId: 'os2faktor-idp', zone, from: '2026-03-01T00:00', to: '2026-04-01T00:00', spans: [{ state: 'down', from: '2026-03-10T10:00', to: '2026-03-10T11:00' }] });
    await storeTimeline(db, { componentId: 'os2faktor-selfservice', zone, from: '2026-03-01T00:00', to: '2026-04-01T00:00' });
    const now = new Date('2026-04-10T00:00:00Z');
    const before = await computePageReport(db, { pageId: 'os2faktor', periodKey: '2026-03', now });
    const downBefore = before.components[0]!.figures.downSeconds;
    expect(downBefore).toBe(HOUR);

    // a power cut is recorded after the month was final: the frozen figures do not change by themselves
    await db.insert(tables.exclusions).values({ componentIds: ['os2faktor-idp'], startAt: local('2026-03-10T10:00', zone), endAt: local('2026-03-10T11:00', zone), reason: 'force_majeure', note: 'Strømsvigt i datacenter', author: 'operator@os2.example' });
    const still = await computePageReport(db, { pageId: 'os2faktor', periodKey: '2026-03', now });
    expect(still.components[0]!.figures.downSeconds).toBe(HOUR);
    expect(still.components[0]!.months[0]!.version).toBe(1);

    await expect(reviseFrozenStatements(db, { pageId: 'os2faktor', periodKey: '2026-03', componentIds: ['os2faktor-idp', 'os2faktor-selfservice'], reason: '', now })).rejects.toThrow(/needs a reason/);
    const revised = await reviseFrozenStatements(db, { pageId: 'os2faktor', periodKey: '2026-03', componentIds: ['os2faktor-idp', 'os2faktor-selfservice'], reason: 'Force majeure recorded after the close', now });
    expect(revised).toEqual([{ scope: 'component', id: 'os2faktor-idp', month: '2026-03', version: 2 }]);
    const after = await computePageReport(db, { pageId: 'os2faktor', periodKey: '2026-03', now });
    expect(after.components[0]!.figures).toMatchObject({ downSeconds: 0, excludedSeconds: HOUR, availability: 1 });
    expect(after.components[0]!.months[0]!.version).toBe(2);
    const versions = await db.select().from(tables.slaStatements).where(eq(tables.slaStatements.scopeId, 'os2faktor-idp'));
    expect(versions.map((v) => [v.version, v.reason])).toEqual([
      [1, null],
      [2, 'Force majeure recorded after the close'],
    ]);
    // revising again without a change adds nothing
    expect(await reviseFrozenStatements(db, { pageId: 'os2faktor', periodKey: '2026-03', componentIds: ['os2faktor-idp', 'os2faktor-selfservice'], reason: 'again', now })).toEqual([]);
  });

  it('freezes last month in the background once it is final, and only then', async () => {
    const { db } = test.handle;
    await syncConfig(db, exampleConfig('os2faktor'), new Date('2026-01-01T00:00:00Z'));
    // both measured in March: a month before monitoring began is "not measured" and never frozen
    for (const componentId of ['os2faktor-idp', 'os2faktor-selfservice']) await storeTimeline(db, { componentId, zone: 'Europe/Copenhagen', from: '2026-03-01T00:00', to: '2026-04-01T00:00' });
    expect(await freezeDueMonths(db, new Date('2026-04-06T12:00:00Z'))).toEqual([]);
    expect(await db.select().from(tables.slaStatements)).toEqual([]);
    expect(await freezeDueMonths(db, new Date('2026-04-07T12:00:00Z'))).toEqual(['os2faktor']);
    expect((await db.select().from(tables.slaStatements)).map((s) => [s.scopeId, s.periodKey, s.version]).sort()).toEqual([
      ['os2faktor-idp', '2026-03', 1],
      ['os2faktor-selfservice', '2026-03', 1],
    ]);
    expect(await freezeDueMonths(db, new Date('2026-04-07T13:00:00Z'))).toEqual([]); // already frozen
  });

  it('freezes every final month left unfrozen, as after a server stopped over their due days, and none before monitoring began', async () => {
    const { db } = test.handle;
    await syncConfig(db, exampleConfig('os2faktor'), new Date('2025-10-01T00:00:00Z'));
    for (const componentId of ['os2faktor-idp', 'os2faktor-selfservice']) await storeTimeline(db, { componentId, zone: 'Europe/Copenhagen', from: '2026-01-10T00:00', to: '2026-04-01T00:00' });
    // first started on 10 May: January to April are final, and none was frozen
    expect(await freezeDueMonths(db, new Date('2026-05-10T12:00:00Z'))).toEqual(['os2faktor']);
    const months = (await db.select().from(tables.slaStatements)).filter((s) => s.scopeId === 'os2faktor-idp').map((s) => s.periodKey).sort();
    expect(months).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
    // the figures kept beside each document are the document's own
    for (const row of await db.select().from(tables.slaStatements)) expect(row.figures).toEqual((row.document as { figures: unknown }).figures);
    // nothing is frozen twice
    expect(await freezeDueMonths(db, new Date('2026-05-10T13:00:00Z'))).toEqual([]);
  });

  it('a month is preliminary until the 7th of the next month, and nothing is frozen before', async () => {
    const { db } = test.handle;
    await syncConfig(db, exampleConfig('os2faktor'), new Date('2026-01-01T00:00:00Z'));
    const report = await computePageReport(db, { pageId: 'os2faktor', periodKey: '2026-03', now: new Date('2026-04-06T21:59:59Z') });
    expect(report.status).toBe('preliminary');
    expect(await db.select().from(tables.slaStatements)).toEqual([]);
    const final = await computePageReport(db, { pageId: 'os2faktor', periodKey: '2026-03', now: new Date('2026-04-06T22:00:00Z') }); // 7 April 00:00 CEST
    expect(final.status).toBe('final');
  });

  it('measures a month not over yet up to now: the rest of it is neither unmeasured nor down, whatever the profile does with unmeasured time', async () => {
    const { db } = test.handle;
    const zone = 'Europe/Copenhagen';
    const config = exampleConfig('os2faktor');
    for (const profile of config.slaProfiles) Object.assign(profile, { unmeasured: 'down' });
    await syncConfig(db, config, new Date('2026-01-01T00:00:00Z'));
    // up from the 1st to the 10th of March at noon, with an hour unmeasured on the 5th
    for (const componentId of ['os2faktor-idp', 'os2faktor-selfservice']) {
      await storeTimeline(db, { componentId, zone, from: '2026-03-01T00:00', to: '2026-03-10T12:00', spans: [{ state: 'unknown', from: '2026-03-05T10:00', to: '2026-03-05T11:00' }] });
    }
    const report = await computePageReport(db, { pageId: 'os2faktor', periodKey: '2026-03', now: local('2026-03-10T12:00', zone) });
    expect(report.status).toBe('preliminary');
    const idp = report.components.find((c) => c.id === 'os2faktor-idp')!;
    // 9.5 days (228 h) so far; the unmeasured hour counts as down, the 21.5 days still to come do not
    expect(idp.figures).toMatchObject({ coveredSeconds: 228 * HOUR, potentialSeconds: 228 * HOUR, unmeasuredSeconds: HOUR, downSeconds: HOUR });
    expect(idp.figures.availability).toBeCloseTo(1 - 1 / 228, 12);
  });

  it('UNI-Login: 99 % per category, 08–16 on school days only, categories down when any member is', async () => {
    const { db } = test.handle;
    const zone = 'Europe/Copenhagen';
    await syncConfig(db, exampleConfig('uni-login'), new Date('2026-01-01T00:00:00Z'));
    const month = { zone, from: '2026-04-01T00:00', to: '2026-05-01T00:00' };
    await storeTimeline(db, {
      componentId: 'uni-idp',
      ...month,
      spans: [
        { state: 'down', from: '2026-04-14T09:00', to: '2026-04-14T11:00' }, // Tuesday, covered
        { state: 'down', from: '2026-04-18T09:00', to: '2026-04-18T17:00' }, // Saturday, not covered
      ],
    });
    await storeTimeline(db, { componentId: 'uni-authorisation', ...month, spans: [{ state: 'down', from: '2026-04-15T10:00', to: '2026-04-15T10:30' }] });
    await storeTimeline(db, { componentId: 'uni-lookup', ...month, spans: [{ state: 'down', from: '2026-04-15T10:15', to: '2026-04-15T10:45' }] });
    for (const id of ['uni-extracts', 'uni-admin']) await storeTimeline(db, { componentId: id, ...month });

    const report = await computePageReport(db, { pageId: 'uni-login', periodKey: '2026-04', now: new Date('2026-05-20T00:00:00Z') });
    // April 2026: 22 weekdays; Påskeferie and Easter take 1, 2, 3 and 6 April: 18 school days of 8 h
    const potential = 18 * 8 * HOUR;
    const category = (id: string) => report.categories.find((c) => c.id === `uni-login.${id}`)!.figures;
    expect(category('authentication')).toMatchObject({ potentialSeconds: potential, downSeconds: 2 * HOUR, met: false });
    expect(category('authentication').availability).toBeCloseTo(1 - 2 / 144, 12);
    // 10:00–10:30 and 10:15–10:45 overlap: the category was down 45 minutes, not 60
    expect(category('lookups')).toMatchObject({ potentialSeconds: potential, downSeconds: 45 * 60, met: true });
    expect(category('extracts')).toMatchObject({ availability: 1, met: true });
    expect(report.categories.map((c) => c.id)).toEqual(['uni-login.authentication', 'uni-login.lookups', 'uni-login.extracts', 'uni-login.user-interfaces']);

    // the reaction table of §5, in covered time: a priority-A authentication fault on Friday 17 April at 17:00
    const profile = toEngineProfile((await db.select().from(tables.slaProfiles))[0]!.spec as never);
    const minutes = profile.categories.find((c) => c.id === 'authentication')!.reactionMinutes!.A!;
    const due = sla.deadlineInCoveredTime({ startedAt: local('2026-04-17T17:00', zone).getTime(), durationMinutes: minutes, coverage: profile.coverage, timeZone: zone });
    expect(DateTime.fromMillis(due!, { zone }).toFormat('yyyy-MM-dd HH:mm')).toBe('2026-04-20 08:15');
    // at most 12 windows a year for the critical categories, 24 for user interfaces
    expect(windowPolicyFor(profile, 'authentication')).toMatchObject({ maxPerYear: 12, maxDurationMinutes: 240, emergencyAllowed: true });
    expect(windowPolicyFor(profile, 'user-interfaces')).toMatchObject({ maxPerYear: 24, maxDurationMinutes: 240 });
    // July is school summer holiday: no covered time, so no figure rather than 100 %
    const july = await computePageReport(db, { pageId: 'uni-login', periodKey: '2026-07', now: new Date('2026-08-20T00:00:00Z') });
    expect(july.categories.every((c) => c.figures.availability === null && c.figures.met === null)).toBe(true);
  });

  it('D-IKT: agreed upgrades count as uptime; the tertial adds up its four months', async () => {
    const { db } = test.handle;
    const zone = 'Europe/Oslo';
    await syncConfig(db, exampleConfig('d-ikt'), new Date('2026-01-01T00:00:00Z'));
    const page = exampleConfig('d-ikt').pages[0]!;
    const ids = page.groups.flatMap((g) => g.components.map((c) => c.id));
    for (const id of ids) {
      const spans = id === 'exchange' ? [{ state: 'down' as const, from: '2026-02-10T18:00', to: '2026-02-10T22:00' }, { state: 'down' as const, from: '2026-03-05T12:00', to: '2026-03-05T12:30' }] : [];
      await storeTimeline(db, { componentId: id, zone, from: '2026-01-01T00:00', to: '2026-05-01T00:00', spans });
    }
    await db.insert(tables.exclusions).values({ componentIds: ['exchange'], startAt: local('2026-02-10T18:00', zone), endAt: local('2026-02-10T22:00', zone), reason: 'agreed_upgrade', note: 'Oppgradering avtalt med systemeier', author: 'drift@d-ikt.example' });

    const tertial = await computePageReport(db, { pageId: 'd-ikt', periodKey: '2026-T1', now: new Date('2026-06-01T00:00:00Z') });
    expect(tertial.period).toEqual({ key: '2026-T1', kind: 'tertial' });
    const exchange = tertial.components.find((c) => c.id === 'exchange')!;
    // January–April 2026 in Oslo: 120 days less the spring-forward hour
    expect(exchange.figures).toMatchObject({ potentialSeconds: (120 * 24 - 1) * HOUR, downSeconds: 30 * 60, excludedSecondsByReason: { agreed_upgrade: 4 * HOUR }, met: true });
    expect(exchange.months.map((m) => m.key)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
    expect(tertial.components).toHaveLength(10);
    const year = await computePageReport(db, { pageId: 'd-ikt', periodKey: '2026', now: new Date('2026-06-01T00:00:00Z') });
    expect(year.status).toBe('preliminary');
    expect(year.components[0]!.months).toHaveLength(12);
  });

  it('X-COO: 99 %, and the first response within 480 minutes of support hours', async () => {
    const { db } = test.handle;
    const zone = 'Europe/Rome';
    await syncConfig(db, exampleConfig('x-coo'), new Date('2026-01-01T00:00:00Z'));
    await storeTimeline(db, { componentId: 'x-coo-portal', zone, from: '2026-05-01T00:00', to: '2026-06-01T00:00', spans: [{ state: 'down', from: '2026-05-20T08:00', to: '2026-05-20T16:00' }] });
    await storeTimeline(db, { componentId: 'x-coo-api', zone, from: '2026-05-01T00:00', to: '2026-06-01T00:00' });
    const report = await computePageReport(db, { pageId: 'x-coo', periodKey: '2026-05', now: new Date('2026-06-10T00:00:00Z') });
    const portal = report.components.find((c) => c.id === 'x-coo-portal')!.figures;
    expect(portal).toMatchObject({ potentialSeconds: 744 * HOUR, downSeconds: 8 * HOUR, met: false });
    expect(portal.availability).toBeCloseTo(1 - 8 / 744, 12);
    // a request on Friday 29 May at 17:00: 1 h on Friday, then Monday 1 June and Tuesday 2 June (Festa della Repubblica) …
    const profile = toEngineProfile((await db.select().from(tables.slaProfiles))[0]!.spec as never);
    const due = sla.deadlineInCoveredTime({ startedAt: local('2026-05-29T17:00', zone).getTime(), durationMinutes: 480, coverage: profile.supportHours!, timeZone: zone });
    expect(DateTime.fromMillis(due!, { zone }).toFormat('ccc yyyy-MM-dd HH:mm')).toBe('Mon 2026-06-01 15:00');
  });

  it('the Swedish third-party watch: health measured and reported, no target, so no verdict', async () => {
    const { db } = test.handle;
    const zone = 'Europe/Stockholm';
    await syncConfig(db, exampleConfig('third-party-se'), new Date('2026-01-01T00:00:00Z'));
    await storeTimeline(db, { componentId: 'm365-outlook', zone, from: '2026-09-01T00:00', to: '2026-10-01T00:00', spans: [{ state: 'down', from: '2026-09-14T09:00', to: '2026-09-14T12:00' }] });
    const report = await computePageReport(db, { pageId: 'tredjepart', periodKey: '2026-09', now: new Date('2026-10-10T00:00:00Z') });
    const outlook = report.components.find((c) => c.id === 'm365-outlook')!.figures;
    expect(outlook).toMatchObject({ target: null, met: null, downSeconds: 3 * HOUR, errorBudgetSeconds: 0 });
    expect(outlook.availability).toBeCloseTo(1 - 3 / 720, 12);
    // components never measured in the month have no potential time, and no figure
    expect(report.components.find((c) => c.id === 'case-system')!.figures).toMatchObject({ potentialSeconds: 0, availability: null });
  });

  it('serves reports as JSON and CSV, and rejects a bad period', async () => {
    const { db } = test.handle;
    await syncConfig(db, exampleConfig('os2faktor'), new Date('2026-01-01T00:00:00Z'));
    await storeTimeline(db, { componentId: 'os2faktor-idp', zone: 'Europe/Copenhagen', from: '2026-03-01T00:00', to: '2026-04-01T00:00', spans: [{ state: 'down', from: '2026-03-10T10:00', to: '2026-03-10T10:30' }] });
    const app = buildApp({ database: test.handle, now: () => new Date('2026-04-10T00:00:00Z'), logger: pino({ level: 'silent' }) });
    const json = await app.request('/api/v1/sla/pages/os2faktor/reports/2026-03');
    expect(json.status).toBe(200);
    const body = (await json.json()) as { status: string; components: { id: string; figures: { downSeconds: number } }[] };
    expect(body.status).toBe('final');
    expect(body.components[0]).toMatchObject({ id: 'os2faktor-idp', figures: { downSeconds: 1800 } });
    const csv = await app.request('/api/v1/sla/pages/os2faktor/reports/2026-03?format=csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('period,status,scope,id,name,profile,category,potential_seconds,available_seconds,down_seconds,window_seconds,overrun_seconds,excluded_seconds,degraded_seconds,unmeasured_seconds,availability,target,met,error_budget_seconds,error_budget_left_seconds,third_party_down_seconds');
    expect(lines[1]).toMatch(/^2026-03,final,component,os2faktor-idp,OS2faktor sign-in,os2faktor,,2674800,2673000,1800,0,0,0,0,0,0.99932705,0.999,true,2674.8,874.8,$/);
    const bad = await app.request('/api/v1/sla/pages/os2faktor/reports/March');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/use YYYY-MM \(month\), YYYY-Tn/);
  });
});
