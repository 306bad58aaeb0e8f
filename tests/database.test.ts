import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatePending, ingestResults } from '../api/index.ts';
import { rowsOf, syncConfig, tables } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { result, testConfig } from './support/fixtures.ts';

describe.each(DRIVERS)('database on %s', (driver) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('applies every committed migration and reports ready', async () => {
    expect(await test.handle.isReady()).toBe(true);
    const names = rowsOf<{ table_name: string }>(
      // a partition of raw results is a table of its own; they are looked at in the partition suite
      await test.handle.db.execute(sql`
        select table_name from information_schema.tables t
        where table_schema = 'public' and not exists (select 1 from pg_class c where c.relname = t.table_name and c.relispartition)
        order by table_name`),
    ).map((r) => r.table_name);
    expect(names).toEqual([
      'api_tokens',
      'audit_log',
      'certificates',
      'check_results',
      'checks',
      'component_groups',
      'component_status_overrides',
      'components',
      'evaluation_marks',
      'exclusions',
      'incident_updates',
      'incidents',
      'job_runs',
      'latest_results',
      'login_throttle',
      'notification_events',
      'organisations',
      'outbox_messages',
      'probe_tokens',
      'regions',
      'result_days',
      'result_hours',
      'service_windows',
      'sessions',
      'settings',
      'sla_profiles',
      'sla_statements',
      'state_intervals',
      'status_pages',
      'subscribers',
      'third_party_notices',
      'users',
      'webhook_subscribers',
    ]);
    const columnTypes = rowsOf<{ data_type: string }>(
      // an array's element type is its udt_name without the leading underscore
      await test.handle.db.execute(sql`select distinct regexp_replace(udt_name, '^_', '') as data_type from information_schema.columns where table_schema = 'public' and column_name like '%_at'`),
    ).map((r) => r.data_type);
    expect(columnTypes).toEqual(['timestamptz']);
  });

  it('synchronises the config: adds, changes, retires and revives without deleting', async () => {
    const { db } = test.handle;
    const t0 = new Date('2026-11-01T00:00:00Z');
    const first = await syncConfig(db, testConfig({ extraComponent: true }), t0);
    expect(first.upserted).toMatchObject({ pages: 1, groups: 2, components: 4, checks: 4, regions: 3 });

    const changed = testConfig();
    changed.pages[0]!.groups[0]!.components[0]!.name = 'SSO renamed';
    const t1 = new Date('2026-11-02T00:00:00Z');
    const second = await syncConfig(db, changed, t1);
    expect(second.retired).toMatchObject({ components: 1, checks: 1 });
    const rows = await db.select().from(tables.components).orderBy(tables.components.id);
    expect(rows.map((r) => [r.id, r.retiredAt?.toISOString() ?? null])).toEqual([
      ['extra', t1.toISOString()],
      ['mfa', null],
      ['portal', null],
      ['sso', null],
    ]);
    expect(rows.find((r) => r.id === 'sso')!.name).toBe('SSO renamed');
    expect(rows.find((r) => r.id === 'sso')!.createdAt.toISOString()).toBe(t0.toISOString());

    // syncing the same config again retires nothing more
    expect((await syncConfig(db, changed, t1)).retired).toMatchObject({ components: 0, checks: 0 });

    const revived = await syncConfig(db, testConfig({ extraComponent: true }), new Date('2026-11-03T00:00:00Z'));
    expect(revived.retired.components).toBe(0);
    const [extra] = await db.select().from(tables.components).where(eq(tables.components.id, 'extra'));
    expect(extra!.retiredAt).toBeNull();
  });

  it('stores results once, rejects bad ones with reasons and keeps the good ones of the same batch', async () => {
    const { db } = test.handle;
    await syncConfig(db, testConfig(), new Date('2026-11-03T00:00:00Z'));
    const now = new Date('2026-11-21T12:00:00Z');
    const good = result({ componentId: 'sso', regionId: 'north', startedAt: '2026-11-21T11:59:30Z' });
    const batch = [
      good,
      result({ componentId: 'nope', regionId: 'north', startedAt: '2026-11-21T11:59:30Z' }),
      result({ componentId: 'sso', regionId: 'south', startedAt: '2026-11-21T11:59:30Z' }),
      result({ componentId: 'sso', regionId: 'north', startedAt: '2026-11-21T13:00:00Z' }),
      { ...result({ componentId: 'sso', regionId: 'north', startedAt: '2026-11-21T11:59:30Z' }), outcome: 'sideways' },
      result({ componentId: 'mfa', regionId: 'north', startedAt: '2026-11-21T11:59:30Z' }),
    ];
    const outcome = await ingestResults(db, { regionId: 'north', results: batch, now });
    expect(outcome.accepted).toBe(2);
    expect(outcome.rejected.map((r) => [r.index, r.reason])).toEqual([
      [1, 'unknown check "https" of component "nope"'],
      [2, 'regionId "south" is not this probe\'s region "north"'],
      [3, 'startedAt 2026-11-21T13:00:00Z is in the future; check the probe\'s clock'],
      [4, expect.stringMatching(/^outcome: /)],
    ]);

    const southOnMfa = await ingestResults(db, { regionId: 'south', results: [result({ componentId: 'mfa', regionId: 'south', startedAt: '2026-11-21T11:59:30Z' })], now });
    expect(southOnMfa.rejected[0]?.reason).toBe('check "mfa/https" is not assigned to region "south"');

    const replay = await ingestResults(db, { regionId: 'north', results: [good], now });
    expect(replay).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    const stored = await db.select().from(tables.checkResults).where(eq(tables.checkResults.id, good.id));
    expect(stored).toHaveLength(1);
  });

  it('turns results into state intervals by quorum, changes only', async () => {
    const { db } = test.handle;
    const at = (iso: string) => new Date(iso);
    const send = async (regionId: string, outcome: 'up' | 'down', startedAt: string) => {
      await ingestResults(db, { regionId, results: [result({ componentId: 'portal', regionId, outcome, startedAt })], now: at(startedAt) });
      await evaluatePending(db, at(startedAt));
    };

    await send('north', 'up', '2026-11-21T12:00:00Z'); // 1 region of 3 is no quorum (a majority, 2, by default)
    await send('south', 'up', '2026-11-21T12:00:05Z');
    await send('west', 'down', '2026-11-21T12:00:10Z'); // 1 of 3: regional, still up
    await send('north', 'down', '2026-11-21T12:01:00Z'); // 2 of 3: down
    await send('north', 'up', '2026-11-21T12:02:00Z'); // back to 1 of 3
    expect(await timelineOf('portal')).toEqual([
      ['unknown', '2026-11-21T12:00:00.000Z', '2026-11-21T12:00:05.000Z'],
      ['up', '2026-11-21T12:00:05.000Z', '2026-11-21T12:01:00.000Z'],
      ['down', '2026-11-21T12:01:00.000Z', '2026-11-21T12:02:00.000Z'],
      ['up', '2026-11-21T12:02:00.000Z', null],
    ]);
  });

  it('rebuilds the timeline when a buffered batch arrives late and out of order', async () => {
    const { db } = test.handle;
    // north and south measure sso every minute from 10:00; south's results of 10:03–10:05 say down,
    // north's say down for 10:04–10:05. Both probes were cut off from the API and replay later, newest first.
    const minutes = [0, 1, 2, 3, 4, 5, 6, 7];
    const batch = (regionId: string, downAt: number[]) =>
      minutes.map((m) => result({ componentId: 'sso', regionId, outcome: downAt.includes(m) ? 'down' : 'up', startedAt: `2026-11-21T10:0${m}:00Z` })).reverse();
    const west = minutes.map((m) => result({ componentId: 'sso', regionId: 'west', outcome: 'up', startedAt: `2026-11-21T10:0${m}:30Z` }));
    const later = new Date('2026-11-21T10:08:00Z');
    await ingestResults(db, { regionId: 'west', results: west, now: later });
    await evaluatePending(db, later);
    expect(await timelineOf('sso')).toEqual([['unknown', '2026-11-21T10:00:30.000Z', null]]); // one region of three: no quorum

    await ingestResults(db, { regionId: 'south', results: batch('south', [3, 4, 5]), now: later });
    await ingestResults(db, { regionId: 'north', results: batch('north', [4, 5]), now: later });
    await evaluatePending(db, later);
    expect(await timelineOf('sso')).toEqual([
      ['up', '2026-11-21T10:00:00.000Z', '2026-11-21T10:04:00.000Z'],
      ['down', '2026-11-21T10:04:00.000Z', '2026-11-21T10:06:00.000Z'],
      ['up', '2026-11-21T10:06:00.000Z', null],
    ]);
    // evaluating again changes nothing
    await evaluatePending(db, later);
    expect(await timelineOf('sso')).toHaveLength(3);
  });

  it('turns a component unknown once too few regions are left to make a quorum', async () => {
    const { db } = test.handle;
    const silentSince = new Date('2026-11-21T10:07:00Z'); // north's and south's last results above; west's alone is no quorum
    const muchLater = new Date('2026-11-21T11:00:00Z');
    const { markAllLive } = await import('../api/index.ts');
    await markAllLive(db, new Date(muchLater.getTime() - 3_600_000));
    await evaluatePending(db, muchLater);
    const timeline = await timelineOf('sso');
    // fresh for 2 × 60 s + 10 s after the last result
    expect(timeline.at(-1)).toEqual(['unknown', new Date(silentSince.getTime() + 130_000).toISOString(), null]);
  });

  async function timelineOf(componentId: string) {
    const rows = await test.handle.db
      .select()
      .from(tables.stateIntervals)
      .where(eq(tables.stateIntervals.componentId, componentId))
      .orderBy(tables.stateIntervals.startedAt);
    return rows.map((i) => [i.state, i.startedAt.toISOString(), i.endedAt?.toISOString() ?? null]);
  }

  it('keeps a certificate once however many results carry it, and latest results show its expiry and the phases', async () => {
    const { db } = test.handle;
    await syncConfig(db, testConfig(), new Date('2026-11-03T00:00:00Z'));
    const now = new Date('2026-11-22T12:00:00Z');
    const certificate = { subject: 'CN=portal.example.dk', issuer: 'CN=CA', subjectAltNames: ['DNS:portal.example.dk'], notBefore: '2026-01-01T00:00:00Z', notAfter: '2027-02-01T00:00:00Z', sha256Fingerprint: 'AB:CD', chainVerified: true };
    const batch = Array.from({ length: 30 }, (_, i) =>
      result({ componentId: 'portal', regionId: 'north', startedAt: new Date(now.getTime() - (30 - i) * 60_000).toISOString(), phasesMs: { dns: 1.5, connect: 2, tls: 8.25, firstByte: 40 }, certificate }),
    );
    // the same certificate in a second batch, its keys in another order: still the same one
    const reordered = { ...Object.fromEntries(Object.entries(certificate).reverse()) } as typeof certificate;
    expect((await ingestResults(db, { regionId: 'north', results: batch.slice(0, 15), now })).accepted).toBe(15);
    expect((await ingestResults(db, { regionId: 'north', results: batch.slice(15).map((r) => ({ ...r, certificate: reordered })), now })).accepted).toBe(15);
    const kept = rowsOf<{ n: number | string }>(await db.execute(sql`select count(*) as n from certificates where certificate ->> 'sha256Fingerprint' = 'AB:CD'`));
    expect(Number(kept[0]!.n)).toBe(1);
    await evaluatePending(db, now);
    const [latest] = rowsOf<{ phases_ms: unknown; cert_not_after: Date | string }>(
      await db.execute(sql`select phases_ms, cert_not_after from latest_results where component_id = 'portal' and region_id = 'north'`),
    );
    expect(typeof latest!.phases_ms === 'string' ? JSON.parse(latest!.phases_ms) : latest!.phases_ms).toEqual({ dns: 1.5, connect: 2, tls: 8.25, firstByte: 40 });
    expect(new Date(latest!.cert_not_after).toISOString()).toBe('2027-02-01T00:00:00.000Z');
  });
});
