// The yearly SLA report for 1,000 components, from a year of state intervals
// in PostgreSQL (what a year of 30-second results from three regions
// produces). Target: under 1 s. Side by side: a plain SQL aggregation over raw
// results. A year of raw results is 3.15 billion rows, more than this machine
// holds, so the reference is measured over --raw-days days of raw results and
// scaled to the year (an estimate, and printed as one).
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx node bench/sla-yearly-report.ts [--components 1000] [--raw-days 1]
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { runStatements } from '../tests/support/pg-admin.ts';
import { rowsOf } from '../db/rows-of.ts';
import { computePageReport } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { openDatabase, syncConfig } from '../db/index.ts';

const { values } = parseArgs({ options: { components: { type: 'string', default: '1000' }, 'raw-days': { type: 'string', default: '1' }, 'outages-per-year': { type: 'string', default: '60' } } });
const COMPONENTS = Number(values.components);
const RAW_DAYS = Number(values['raw-days']);
const OUTAGES = Number(values['outages-per-year']);
const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const YEAR_START = Date.parse('2025-01-01T00:00:00+01:00');
const YEAR_END = Date.parse('2026-01-01T00:00:00+01:00');

await runStatements(adminUrl, ['drop database if exists statusvakt_bench_sla with (force)', 'create database statusvakt_bench_sla']);
const url = new URL(adminUrl);
url.pathname = '/statusvakt_bench_sla';
const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
const { db } = database;

const config = parseConfig(`
organisations: [{ id: k, name: K }]
slaProfiles: [{ id: p999, name: 99.9 %, availabilityTargetPercent: 99.9, timeZone: Europe/Copenhagen }]
pages:
  - id: p
    organisation: k
    name: P
    groups:
      - id: g
        name: G
        components:
${Array.from({ length: COMPONENTS }, (_, i) => `          - { id: c${i}, name: C${i}, slaProfile: p999, checks: [{ kind: https, url: "https://c${i}.example.dk/" }] }`).join('\n')}
`);
if (!config.ok) throw new Error(JSON.stringify(config.issues));
await syncConfig(db, config.config, new Date('2024-12-01T00:00:00Z'));

// a year of states per component: up, broken by outages (1–90 min) and degraded spells, in time order
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
let intervals = 0;
for (let c = 0; c < COMPONENTS; c++) {
  const events = Array.from({ length: OUTAGES }, () => ({ at: YEAR_START + random() * (YEAR_END - YEAR_START - 3_600_000), length: 60_000 + random() * 5_340_000, state: random() < 0.7 ? 'down' : 'degraded' })).sort((a, b) => a.at - b.at);
  const rows: { component_id: string; state: string; started_at: string; ended_at: string }[] = [];
  let t = YEAR_START;
  for (const e of events) {
    if (e.at <= t) continue;
    rows.push({ component_id: `c${c}`, state: 'up', started_at: new Date(t).toISOString(), ended_at: new Date(e.at).toISOString() });
    rows.push({ component_id: `c${c}`, state: e.state, started_at: new Date(e.at).toISOString(), ended_at: new Date(e.at + e.length).toISOString() });
    t = e.at + e.length;
  }
  rows.push({ component_id: `c${c}`, state: 'up', started_at: new Date(t).toISOString(), ended_at: new Date(YEAR_END).toISOString() });
  intervals += rows.length;
  await db.execute(sql`insert into state_intervals (component_id, state, started_at, ended_at)
    select component_id, state, started_at, ended_at from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
    as r(component_id text, state text, started_at timestamptz, ended_at timestamptz)`);
}
await db.execute(sql`analyze state_intervals`);

const now = new Date('2026-02-01T00:00:00Z'); // every month of 2025 is final
const time = async (run: () => Promise<unknown>) => {
  const began = performance.now();
  await run();
  return (performance.now() - began) / 1000;
};
let report: Awaited<ReturnType<typeof computePageReport>> | undefined;
const cold = await time(async () => (report = await computePageReport(db, { pageId: 'p', periodKey: '2025', now })));
const warm = await time(() => computePageReport(db, { pageId: 'p', periodKey: '2025', now }));
const warmAgain = await time(() => computePageReport(db, { pageId: 'p', periodKey: '2025', now }));
// mid-December: January–November frozen, December computed live from the state intervals
const midDecember = await time(() => computePageReport(db, { pageId: 'p', periodKey: '2025', now: new Date('2025-12-20T12:00:00Z') }));

// the reference: raw results of RAW_DAYS days, 30 s apart, three regions, aggregated by plain SQL
// (majority vote per slot, down slots × 30 s per component)
await db.execute(sql`insert into check_results (id, component_id, check_id, region_id, started_at, outcome, duration_ms)
  select gen_random_uuid(), 'c' || c, 'https', 'r' || r, ts, case when random() < 0.002 then 'down' else 'up' end, 100
  from generate_series(0, ${COMPONENTS - 1}) c, generate_series(1, 3) r,
       generate_series('2025-06-01T00:00:00Z'::timestamptz, '2025-06-01T00:00:00Z'::timestamptz + ${`${RAW_DAYS} days`}::interval - interval '30 seconds', interval '30 seconds') ts`);
await db.execute(sql`analyze check_results`);
const rawRows = Number(rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from check_results`))[0]?.n ?? 0);
const plain = await time(() =>
  db.execute(sql`select component_id, sum(case when downs * 2 > n then 30 else 0 end) as down_seconds
    from (select component_id, started_at, count(*) as n, count(*) filter (where outcome = 'down') as downs from check_results group by component_id, started_at) slots
    group by component_id`),
);

const lines = report!.components.length;
console.log(`Yearly SLA report (2025) for ${COMPONENTS} components from ${intervals} stored state intervals in PostgreSQL`);
console.log(`  first request, computing and freezing 12 × ${COMPONENTS} monthly statements: ${cold.toFixed(2)} s`);
console.log(`  later requests, served from the frozen statements: ${warm.toFixed(2)} s, ${warmAgain.toFixed(2)} s (target < 1 s)`);
console.log(`  in mid-December (11 months frozen, December computed live): ${midDecember.toFixed(2)} s`);
console.log(`  ${lines} component lines; availability of c0: ${(report!.components[0]!.figures.availability! * 100).toFixed(4)} %`);
console.log(`Plain SQL aggregation over raw results (majority of 3 regions per 30 s slot):`);
console.log(`  ${rawRows} rows for ${RAW_DAYS} day(s): ${plain.toFixed(2)} s; scaled to a year (estimate): ${((plain * 365) / RAW_DAYS).toFixed(0)} s for ${(rawRows * 365) / RAW_DAYS} rows`);
await database.close();
