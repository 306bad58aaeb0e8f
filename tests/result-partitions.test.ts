import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatePending, histogramOf, ingestResults } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { dayPartition, maintainResultPartitions, rowsOf, syncConfig, type Database } from '../db/index.ts';
import { createPostgresDatabase, createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { result, testConfig } from './support/fixtures.ts';

const MIGRATIONS = fileURLToPath(new URL('../db/migrations', import.meta.url));

async function partitionsOf(db: Database): Promise<string[]> {
  return rowsOf<{ name: string }>(
    await db.execute(sql`
      select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
      where p.relname = 'check_results' order by 1`),
  ).map((r) => r.name);
}

async function rowsPerPartition(db: Database): Promise<Record<string, number>> {
  const rows = rowsOf<{ part: string; n: number | string }>(await db.execute(sql`select tableoid::regclass::text as part, count(*) as n from check_results group by 1 order by 1`));
  return Object.fromEntries(rows.map((r) => [r.part, Number(r.n)]));
}

describe.each(DRIVERS)('raw results partitioned by day on %s', (driver) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('catches results in the default partition until their day exists, then moves them there; a replay is still stored once', async () => {
    const { db } = test.handle;
    const now = new Date('2026-12-07T10:00:00Z');
    await syncConfig(db, testConfig(), now);
    expect(await partitionsOf(db)).toEqual(['check_results_default']);

    const today = result({ componentId: 'sso', regionId: 'north', startedAt: '2026-12-07T09:59:30Z' });
    const tenDaysAgo = result({ componentId: 'sso', regionId: 'north', startedAt: '2026-11-27T23:59:59.999Z' });
    expect(await ingestResults(db, { regionId: 'north', results: [today, tenDaysAgo], now })).toMatchObject({ accepted: 2, rejected: [] });
    expect(await rowsPerPartition(db)).toEqual({ check_results_default: 2 });

    const round = await maintainResultPartitions(db, { now, retentionDays: 90 });
    expect(round).toMatchObject({ skipped: false, movedFromDefault: 2, expiredFromDefault: 0, dropped: [] });
    expect(round.created).toEqual(['check_results_d20261127', 'check_results_d20261206', 'check_results_d20261207', 'check_results_d20261208', 'check_results_d20261209', 'check_results_d20261210']);
    expect(await rowsPerPartition(db)).toEqual({ check_results_d20261127: 1, check_results_d20261207: 1 });

    // the key leads with time and still finds a replay: both ids come back as duplicates
    expect(await ingestResults(db, { regionId: 'north', results: [today, tenDaysAgo], now })).toMatchObject({ accepted: 0, duplicates: 2 });
    // a second round has nothing to do
    expect(await maintainResultPartitions(db, { now, retentionDays: 90 })).toMatchObject({ created: [], dropped: [], movedFromDefault: 0 });

    // the evaluator reads across the days' partitions as it read the one table
    await db.execute(sql`insert into evaluation_marks (component_id, from_at) values ('sso', '2026-11-27T23:00:00Z')`);
    await evaluatePending(db, now);
    const [latest] = rowsOf<{ result_id: string }>(await db.execute(sql`select result_id::text from latest_results where component_id = 'sso' and region_id = 'north'`));
    expect(latest?.result_id).toBe(today.id);
  });

  it('drops whole days past the retention, refuses results older than it at ingest, and never loses a day inside it', async () => {
    const { db } = test.handle;
    const config = parseConfig(`
retention: { rawResultsDays: 7 }
regions: [{ id: north }]
organisations: [{ id: kommune, name: Kommune }]
pages:
  - id: status
    organisation: kommune
    name: Status
    groups:
      - id: login
        name: Login
        components:
          - id: sso
            name: SSO
            checks: [{ kind: https, url: "https://sso.example.dk/" }]
`);
    if (!config.ok) throw new Error(JSON.stringify(config.issues));
    // a week later: the retention is now 7 days (read by ingest within a few seconds of the sync)
    const now = new Date('2026-12-14T10:00:00Z');
    await syncConfig(db, config.config, now);
    const round = await maintainResultPartitions(db, { now, retentionDays: 7 });
    // the edge is 2026-12-07T10:00Z: the 6th and earlier go, the 7th stays with its result of 09:59:30, which is then 7 days and 30 s old
    expect(round.dropped).toEqual(['check_results_d20261127', 'check_results_d20261206']);
    // days nothing was stored for (the 11th, 12th) get no table: a late result of theirs goes to the default partition first
    expect(round.created).toEqual(['check_results_d20261213', 'check_results_d20261214', 'check_results_d20261215', 'check_results_d20261216', 'check_results_d20261217']);
    expect(await rowsPerPartition(db)).toEqual({ check_results_d20261207: 1 });

    await new Promise((resolve) => setTimeout(resolve, 5_100)); // the ingest path's cache of checks and retention
    const old = result({ componentId: 'sso', regionId: 'north', startedAt: '2026-12-07T09:00:00Z' });
    const recent = result({ componentId: 'sso', regionId: 'north', startedAt: '2026-12-07T10:00:01Z' });
    const outcome = await ingestResults(db, { regionId: 'north', results: [old, recent], now });
    expect(outcome.accepted).toBe(1);
    expect(outcome.rejected).toEqual([
      { index: 0, id: old.id, reason: 'startedAt 2026-12-07T09:00:00Z is older than the 7 days raw results are kept (retention.rawResultsDays); it cannot be stored' },
    ]);
    expect(await rowsPerPartition(db)).toEqual({ check_results_d20261207: 2 });
  });

  it('takes one maintainer at a time: a second process skips the round while the first holds it', async () => {
    const { db } = test.handle;
    const now = new Date('2026-12-14T10:00:00Z');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holder = db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('statusvakt:result-partitions'))`);
      await held;
    });
    // PGlite serves one connection: its transactions queue rather than overlap, so only PostgreSQL can show the skip
    if (driver === 'postgres') {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await maintainResultPartitions(db, { now, retentionDays: 7 })).toMatchObject({ skipped: true });
    }
    release();
    await holder;
    expect(await maintainResultPartitions(db, { now, retentionDays: 7 })).toMatchObject({ skipped: false });
  });
});

describe.skipIf(!DRIVERS.includes('postgres'))('attaching a day while results arrive for it', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('never fails an insert that began before the new day was attached', async () => {
    const { db } = test.handle;
    const now = new Date();
    await syncConfig(db, testConfig(), now);
    // as at a first start: no day partition yet, probes already sending for today
    let stop = false;
    const failures: string[] = [];
    let stored = 0;
    const sender = async () => {
      while (!stop) {
        const batch = Array.from({ length: 200 }, (_, i) => result({ componentId: i % 2 ? 'sso' : 'portal', regionId: 'north', startedAt: new Date(now.getTime() - i * 1000).toISOString() }));
        try {
          // awaited before adding: `stored += await …` would read `stored` before the wait and lose the other senders' counts
          const outcome = await ingestResults(db, { regionId: 'north', results: batch, now });
          stored += outcome.accepted;
        } catch (error) {
          failures.push(error instanceof Error ? String((error.cause as Error | undefined)?.message ?? error.message) : String(error));
        }
      }
    };
    const senders = [sender(), sender(), sender(), sender()];
    await new Promise((resolve) => setTimeout(resolve, 300));
    const round = await maintainResultPartitions(db, { now, retentionDays: 90 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop = true;
    await Promise.all(senders);
    expect(failures).toEqual([]);
    expect(round.created).toContain(dayPartition(now).name);
    expect(Number(rowsOf<{ n: string }>(await db.execute(sql`select count(*) as n from check_results`))[0]!.n)).toBe(stored);
    // what arrived before the attach was moved into the day, what came after went straight there
    expect(Object.keys(await rowsPerPartition(db)).every((name) => name !== 'check_results_default')).toBe(true);
  });
});

/** The committed migrations up to (not including) `firstLeftOut`, in a folder of their own. */
function migrationsBefore(firstLeftOut: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'statusvakt-migrations-'));
  cpSync(MIGRATIONS, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((e) => e.idx < firstLeftOut);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

// as the table was: phases and the certificate as JSON in every row
const UPGRADE_ROWS = sql`
  insert into check_results (id, component_id, check_id, region_id, started_at, outcome, duration_ms, phases_ms, certificate)
  select gen_random_uuid(), 'sso', 'https', 'north', timestamptz '2026-12-01T00:00:00Z' + n * interval '1 hour', 'up', 100,
    '{"dns": 1.5, "connect": 2, "tls": 8.25, "firstByte": 40, "transfer": 0.5}'::jsonb,
    jsonb_build_object('subject', 'CN=sso.example.dk', 'issuer', 'CN=CA', 'subjectAltNames', jsonb_build_array('DNS:sso.example.dk'),
      'notBefore', '2026-01-01T00:00:00Z', 'notAfter', case when n < 48 then '2027-01-01T00:00:00Z' else '2027-06-01T00:00:00Z' end,
      'sha256Fingerprint', case when n < 48 then 'AA' else 'BB' end, 'chainVerified', true)
  from generate_series(0, 71) as n`;

describe.each(DRIVERS)('upgrading a database with raw results on %s', (driver) => {
  it('keeps every result stored before the table was partitioned', async () => {
    const before = migrationsBefore(20);
    try {
      if (driver === 'pglite') {
        const client = await PGlite.create();
        const db = drizzlePglite(client);
        await migratePglite(db, { migrationsFolder: before });
        await db.execute(UPGRADE_ROWS);
        await migratePglite(db, { migrationsFolder: MIGRATIONS });
        await expectUpgraded(db as unknown as Database);
        await client.close();
      } else {
        const { url, drop } = await createPostgresDatabase();
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const db = drizzlePostgres(client);
          await migratePostgres(db, { migrationsFolder: before });
          await db.execute(UPGRADE_ROWS);
          await migratePostgres(db, { migrationsFolder: MIGRATIONS });
          await expectUpgraded(db as unknown as Database);
        } finally {
          await client.end();
          await drop();
        }
      }
    } finally {
      rmSync(before, { recursive: true, force: true });
    }
  });
});

/** Results every hour from 2026-10-24 to 10-27 (UTC): the night Europe/Copenhagen's clocks go back lies between. */
const DST_ROWS = sql`
  insert into check_results (id, component_id, check_id, region_id, started_at, outcome, duration_ms)
  select gen_random_uuid(), 'sso', 'https', 'north', timestamptz '2026-10-24T00:00:00Z' + n * interval '1 hour', 'up', 100
  from generate_series(0, 95) as n`;

describe.each(DRIVERS)('upgrading on %s whose session time zone changes its clocks', (driver) => {
  it('makes UTC days of 24 hours, never 23 or 25', async () => {
    const before = migrationsBefore(20);
    const expected = { check_results_d20261024: 24, check_results_d20261025: 24, check_results_d20261026: 24, check_results_d20261027: 24 };
    try {
      if (driver === 'pglite') {
        const client = await PGlite.create();
        await client.exec(`set timezone = 'Europe/Copenhagen'`);
        const db = drizzlePglite(client);
        await migratePglite(db, { migrationsFolder: before });
        await db.execute(DST_ROWS);
        await migratePglite(db, { migrationsFolder: MIGRATIONS });
        expect(await rowsPerPartition(db as unknown as Database)).toEqual(expected);
        await client.close();
      } else {
        const { url, drop } = await createPostgresDatabase();
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`set timezone = 'Europe/Copenhagen'`);
          const db = drizzlePostgres(client);
          await migratePostgres(db, { migrationsFolder: before });
          await db.execute(DST_ROWS);
          await migratePostgres(db, { migrationsFolder: MIGRATIONS });
          expect(await rowsPerPartition(db as unknown as Database)).toEqual(expected);
        } finally {
          await client.end();
          await drop();
        }
      }
    } finally {
      rmSync(before, { recursive: true, force: true });
    }
  });
});

async function expectUpgraded(db: Database) {
  // the migration made a partition for each day that held results: nothing waits in the default partition
  expect(await rowsPerPartition(db)).toEqual({ check_results_d20261201: 24, check_results_d20261202: 24, check_results_d20261203: 24 });
  const round = await maintainResultPartitions(db, { now: new Date('2026-12-07T10:00:00Z'), retentionDays: 90 });
  expect(round).toMatchObject({ movedFromDefault: 0, dropped: [] });
  // the hourly rollups were made from the same results, once
  const [hours] = rowsOf<{ n: number | string; up: number | string; buckets: string }>(
    await db.execute(sql`select count(*) as n, sum(up) as up, min(latency_buckets::text) as buckets from result_hours where component_id = 'sso'`),
  );
  expect({ n: Number(hours?.n), up: Number(hours?.up), buckets: hours?.buckets }).toEqual({ n: 72, up: 72, buckets: `{${histogramOf([100]).join(',')}}` });
  // the two certificates are kept once each, the phases as an array in PHASE_ORDER
  const certificates = rowsOf<{ fingerprint: string; results: number | string }>(
    await db.execute(sql`select c.certificate ->> 'sha256Fingerprint' as fingerprint, count(r.id) as results from certificates c join check_results r on r.certificate_sha256 = c.sha256 group by 1 order by 1`),
  );
  expect(certificates.map((c) => [c.fingerprint, Number(c.results)])).toEqual([
    ['AA', 48],
    ['BB', 24],
  ]);
  const [phases] = rowsOf<{ phases: string }>(await db.execute(sql`select min(phases_ms::text) as phases from check_results`));
  expect(phases?.phases).toBe('{1.5,2,NULL,8.25,40,0.5}');
  const [kind] = rowsOf<{ relkind: string }>(await db.execute(sql`select relkind::text from pg_class where relname = 'check_results'`));
  expect(kind?.relkind).toBe('p');
  // and the first round after a long time drops the days past the retention
  const later = await maintainResultPartitions(db, { now: new Date('2026-12-20T10:00:00Z'), retentionDays: 7 });
  expect(later.dropped).toEqual(['1201', '1202', '1203', '1206', '1207', '1208', '1209', '1210'].map((day) => `check_results_d2026${day}`));
  expect(await rowsPerPartition(db)).toEqual({});
}
