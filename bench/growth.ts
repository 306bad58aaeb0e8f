// Cost as history grows: 1,000 components measured from 3 regions every 30 s,
// with 1, 7, 30 and 90 days of history written straight into PostgreSQL in
// the shapes ingest and the evaluator write (raw results into their day's
// partition, hourly rollups, state intervals with outages), and at each size:
// the page's status JSON, a component's response-time JSON, this month's and
// this year's SLA report (through the API in process, the median of 5 after a
// warm-up), the database on disk and bytes per stored raw result. What the
// server does as time passes is done too: days that are over are added up
// (daily rollups) and months that are final are frozen into statements.
// Goal: page and report times at 90 days within 1.5× those at 1 day.
//
// A year of raw results of this deployment is 3.15 billion rows and 90 days
// about 250 GB, more than this machine's disk: raw results are written at
// full density for --raw-components of the components (default 100); the
// rollups and states for all of them. Bytes per result are measured on the
// rows written and projected to the whole deployment.
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx node bench/growth.ts [--components 1000] [--raw-components 100] [--days 1,7,30,90]
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { buildApp, freezeDueMonths, histogramOf, rollUpDays } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { dayPartition, openDatabase, rowsOf, syncConfig } from '../db/index.ts';
import { runStatements } from '../tests/support/pg-admin.ts';

const { values } = parseArgs({
  options: { components: { type: 'string', default: '1000' }, 'raw-components': { type: 'string', default: '100' }, days: { type: 'string', default: '1,7,30,90' }, repeat: { type: 'string', default: '5' } },
});
const COMPONENTS = Number(values.components);
const RAW_COMPONENTS = Math.min(COMPONENTS, Number(values['raw-components']));
const SIZES = values.days.split(',').map(Number);
const REPEAT = Number(values.repeat);
const REGIONS = ['north', 'south', 'west'];
const INTERVAL_SECONDS = 30;
const DAY_MS = 86_400_000;
const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `statusvakt_bench_growth_${process.pid}`;
await runStatements(adminUrl, [`drop database if exists "${name}" with (force)`, `create database "${name}"`]);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
const { db } = database;

const config = parseConfig(`
regions: [{ id: north }, { id: south }, { id: west }]
organisations: [{ id: k, name: Kommune }]
slaProfiles: [{ id: p999, name: 99.9 %, availabilityTargetPercent: 99.9, timeZone: Europe/Copenhagen }]
pages:
  - id: p
    organisation: k
    name: Status
    groups:
${Array.from({ length: COMPONENTS / 50 }, (_, g) => `      - id: g${g}\n        name: Group ${g}\n        components:\n${Array.from({ length: 50 }, (_, i) => `          - { id: c${g * 50 + i}, name: Service ${g * 50 + i}, slaProfile: p999, checks: [{ kind: https, url: "https://c${g * 50 + i}.example.dk/", intervalSeconds: ${INTERVAL_SECONDS} }] }`).join('\n')}`).join('\n')}
`);
if (!config.ok) throw new Error(JSON.stringify(config.issues.slice(0, 3)));
const now = new Date();
const today = dayPartition(now).from.getTime();
await syncConfig(db, config.config, new Date(today - 400 * DAY_MS));
const app = buildApp({ database, now: () => now, logger: pino({ level: 'silent' }) });

const BOUNDS = histogramOf([]).length;
const hourBuckets = `{${histogramOf(Array.from({ length: 120 }, (_, i) => 80 + (i % 40))).join(',')}}`;
if (hourBuckets.split(',').length !== BOUNDS) throw new Error('histogram length');

/** One UTC day of history: raw results for the first RAW_COMPONENTS, rollups and states for all. */
async function writeDay(dayStart: number): Promise<void> {
  const { name: partition, from, to } = dayPartition(new Date(dayStart));
  await db.execute(sql.raw(`create table if not exists "${partition}" partition of check_results for values from ('${from.toISOString()}') to ('${to.toISOString()}')`));
  const until = Math.min(to.getTime(), now.getTime());
  // the rows ingest writes: phases as an array, a certificate named by its hash (kept once), about one in 500 down
  await db.execute(sql`
    insert into check_results (id, component_id, check_id, region_id, started_at, outcome, reason, duration_ms, http_status, phases_ms, certificate_sha256)
    select gen_random_uuid(), 'c' || c, 'https', r, ts, case when random() < 0.002 then 'down' else 'up' end, null, 80 + random() * 40, 200,
      array[1.2, 2.3, null, 8.1, 40.2, 0.4]::real[], md5('c' || c)
    from generate_series(0, ${RAW_COMPONENTS - 1}) c, unnest(${`{${REGIONS.join(",")}}`}::text[]) r,
      generate_series(${from.toISOString()}::timestamptz, ${new Date(until - 1).toISOString()}::timestamptz, ${`${INTERVAL_SECONDS} seconds`}::interval) ts`);
  await db.execute(sql`
    insert into result_hours (component_id, check_id, region_id, hour_start, up, degraded, down, unknown, reasons, answered_total_ms, answered_min_ms, answered_max_ms, latency_buckets)
    select 'c' || c, 'https', r, h, 120, 0, 0, 0, '{}'::jsonb, 120 * 100, 80, 120, ${hourBuckets}::integer[]
    from generate_series(0, ${COMPONENTS - 1}) c, unnest(${`{${REGIONS.join(",")}}`}::text[]) r,
      generate_series(${from.toISOString()}::timestamptz, ${new Date(until - 1).toISOString()}::timestamptz, interval '1 hour') h
    on conflict do nothing`);
}

/** States for the whole history: up, with an outage of 2–30 minutes about every fifth day per component. */
async function writeStates(fromMs: number): Promise<void> {
  await db.execute(sql`delete from state_intervals`);
  await db.execute(sql`
    with outages as (
      select c, o, ${new Date(fromMs).toISOString()}::timestamptz + (random() * (${now.toISOString()}::timestamptz - ${new Date(fromMs).toISOString()}::timestamptz)) as at, (2 + random() * 28) * interval '1 minute' as length
      from generate_series(0, ${COMPONENTS - 1}) c, generate_series(1, greatest(1, ${Math.round((now.getTime() - fromMs) / DAY_MS / 5)})) o
    ), ordered as (
      select c, at, at + length as until, lag(at + length) over (partition by c order by at) as previous_end from outages
    ), kept as (select * from ordered where previous_end is null or at > previous_end),
    bounds as (
      select c, at, until, coalesce(lag(until) over (partition by c order by at), ${new Date(fromMs).toISOString()}::timestamptz) as up_from,
        lead(at) over (partition by c order by at) as next_at from kept
    )
    insert into state_intervals (component_id, state, started_at, ended_at)
    select 'c' || c, 'up', up_from, at from bounds
    union all select 'c' || c, 'down', at, until from bounds
    union all select 'c' || c, 'up', until, null from bounds where next_at is null`);
}

async function median(path: string): Promise<number> {
  const once = async () => {
    const began = performance.now();
    const response = await app.request(`http://bench${path}`);
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    await response.arrayBuffer();
    return performance.now() - began;
  };
  await once();
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i++) times.push(await once());
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const month = new Date(now).toISOString().slice(0, 7);
const year = month.slice(0, 4);
const certificateRow = sql`insert into certificates (sha256, certificate) select md5('c' || c), jsonb_build_object('subject', 'CN=c' || c || '.example.dk', 'issuer', 'CN=Example CA', 'subjectAltNames', jsonb_build_array('DNS:c' || c || '.example.dk'), 'notBefore', '2026-09-01T00:00:00Z', 'notAfter', '2027-09-01T00:00:00Z', 'sha256Fingerprint', upper(md5('c' || c)), 'chainVerified', true) from generate_series(0, ${RAW_COMPONENTS - 1}) c on conflict do nothing`;
await db.execute(certificateRow);

type Row = { days: number; rawRows: number; dbBytes: number; bytesPerResult: number; pageMs: number; componentMs: number; monthMs: number; yearMs: number; writeSeconds: number };
const rows: Row[] = [];
let written = 0;
for (const days of SIZES) {
  const began = performance.now();
  for (let d = written; d < days; d++) await writeDay(today - d * DAY_MS);
  written = days;
  await writeStates(today - (days - 1) * DAY_MS);
  // the days that are over, added up from their hours as the evaluator does when a day ends
  for (let c = 0; c < COMPONENTS; c += 100) {
    const from = new Date(today - (days - 1) * DAY_MS);
    await rollUpDays(db, Array.from({ length: Math.min(100, COMPONENTS - c) }, (_, i) => ({ componentId: `c${c + i}`, from })), now);
  }
  // what a running server has done by now: every month that turned final was frozen into statements
  // (states were rewritten for this size, so the last size's statements go first)
  await db.execute(sql`delete from sla_statements`);
  await freezeDueMonths(db, now);
  await db.execute(sql`analyze`);
  const writeSeconds = (performance.now() - began) / 1000;
  const [raw] = rowsOf<{ n: string; bytes: string }>(
    await db.execute(sql`select (select count(*) from check_results) as n,
      (select coalesce(sum(pg_total_relation_size(inhrelid)), 0) from pg_inherits where inhparent = 'check_results'::regclass) + pg_total_relation_size('certificates') as bytes`),
  );
  const [size] = rowsOf<{ bytes: string }>(await db.execute(sql`select pg_database_size(current_database()) as bytes`));
  rows.push({
    days,
    rawRows: Number(raw!.n),
    dbBytes: Number(size!.bytes),
    bytesPerResult: Number(raw!.bytes) / Number(raw!.n),
    pageMs: await median('/api/v1/pages/p/status'),
    componentMs: await median('/api/v1/pages/p/components/c7/latency'),
    monthMs: await median(`/api/v1/sla/pages/p/reports/${month}`),
    yearMs: await median(`/api/v1/sla/pages/p/reports/${year}`),
    writeSeconds,
  });
  const r = rows.at(-1)!;
  console.log(`${days} day(s) written in ${writeSeconds.toFixed(0)} s: ${r.rawRows.toLocaleString('en')} raw rows`);
}

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
console.log(`\nGrowth: ${COMPONENTS} components × ${REGIONS.length} regions every ${INTERVAL_SECONDS} s (raw results for ${RAW_COMPONENTS} of them), PostgreSQL, median of ${REPEAT}`);
console.log('days | raw rows | database | bytes/result | page status | component latency | month report | year report');
for (const r of rows) {
  console.log(
    `${String(r.days).padStart(4)} | ${r.rawRows.toLocaleString('en').padStart(11)} | ${gib(r.dbBytes).padStart(9)} | ${r.bytesPerResult.toFixed(0).padStart(12)} | ${r.pageMs.toFixed(1).padStart(8)} ms | ${r.componentMs.toFixed(1).padStart(14)} ms | ${r.monthMs.toFixed(1).padStart(9)} ms | ${r.yearMs.toFixed(1).padStart(8)} ms`,
  );
}
const first = rows[0]!;
const last = rows.at(-1)!;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
console.log(`\n${last.days} days against ${first.days}: page ${ratio(last.pageMs, first.pageMs)}, component ${ratio(last.componentMs, first.componentMs)}, month report ${ratio(last.monthMs, first.monthMs)}, year report ${ratio(last.yearMs, first.yearMs)} (goal ≤ 1.5×)`);
const perDay = COMPONENTS * REGIONS.length * (86_400 / INTERVAL_SECONDS);
const rowBytes = async (table: string) => Number(rowsOf<{ b: string }>(await db.execute(sql.raw(`select pg_total_relation_size('${table}') / greatest(count(*), 1) as b from ${table}`)))[0]!.b);
// a year of rollups: a row per check, region and hour, and one per check, region and day
const rollupBytesPerYear = COMPONENTS * REGIONS.length * 365 * (24 * (await rowBytes('result_hours')) + (await rowBytes('result_days')));
console.log(
  `Projection for the whole deployment: ${perDay.toLocaleString('en')} raw results a day × ${last.bytesPerResult.toFixed(0)} bytes × 90 days of retention = ${gib(perDay * last.bytesPerResult * 90)} of raw results at any time, plus ${gib(rollupBytesPerYear)} of hourly and daily rollups a year (kept for good)`,
);
await database.close();
await runStatements(adminUrl, [`drop database if exists "${name}" with (force)`]);
