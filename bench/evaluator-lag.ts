// The evaluator against ingest, on PostgreSQL, with the server's own
// background loop (rounds a second apart, draining while marks remain):
//
// 1. Sustained: --rate results a second (default 3,000: 1,000 components from
//    3 regions every second) through the ingest path for --seconds, and how
//    long each batch takes to show in the latest results the evaluator keeps
//    (p50, p99, max). Goal: within 2 s.
// 2. Backlog: --backlog results (default 1,000,000) of the past hours stored
//    as a region replaying after an outage would store them, in batches of
//    500, each marking its components and naming its results; then the time
//    until the evaluator has taken every mark. Goal: ≥ 20,000 results a second.
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx node bench/evaluator-lag.ts [--rate 3000] [--seconds 30] [--backlog 1000000]
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { ingestResults } from '../api/index.ts';
import { startBackgroundWork } from '../cli/background-work.ts';
import { parseConfig } from '../config/index.ts';
import { openDatabase, rowsOf, syncConfig } from '../db/index.ts';
import { runStatements } from '../tests/support/pg-admin.ts';
import { benchConfigText } from './support/ingest-workload.ts';

const { values } = parseArgs({ options: { rate: { type: 'string', default: '3000' }, seconds: { type: 'string', default: '30' }, backlog: { type: 'string', default: '1000000' }, components: { type: 'string', default: '1000' } } });
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const BACKLOG = Number(values.backlog);
const COMPONENTS = Number(values.components);
const BATCH = 500;
const REGIONS = ['north', 'south', 'west'];
const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `statusvakt_bench_evaluator_${process.pid}`;
await runStatements(adminUrl, [`drop database if exists "${name}" with (force)`, `create database "${name}"`]);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
const { db } = database;
const config = parseConfig(benchConfigText({ components: COMPONENTS, regions: REGIONS, intervalSeconds: 1 }));
if (!config.ok) throw new Error(JSON.stringify(config.issues.slice(0, 3)));
await syncConfig(db, config.config, new Date(Date.now() - 86_400_000));
const logger = pino({ level: 'warn' });
const work = startBackgroundWork({ db, now: () => new Date(), logger });
const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

// 1. sustained ingest: every result of a batch starts "now"; the batch is seen once latest_results has its start
let sequence = 0;
// each region's probe sends its own batches; a batch covers the next 500 components
const result = (regionId: string, startedAt: string) => ({ id: crypto.randomUUID(), componentId: `c${sequence++ % COMPONENTS}`, checkId: 'https', regionId, startedAt, outcome: 'up' as const, durationMs: 100, httpStatus: 200 });
const lags: number[] = [];
const pending: { startedAt: string; sentAt: number }[] = [];
let watching = true;
const watcher = (async () => {
  while (watching || pending.length > 0) {
    const [row] = rowsOf<{ newest: Date | string | null }>(await db.execute(sql`select max(started_at) as newest from latest_results`));
    const newest = row?.newest ? new Date(row.newest).toISOString() : '';
    while (pending.length > 0 && pending[0]!.startedAt <= newest) lags.push(performance.now() - pending.shift()!.sentAt);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
})();
const batchesPerSecond = RATE / BATCH;
const began = performance.now();
let sent = 0;
for (let b = 0; performance.now() - began < SECONDS * 1000; b++) {
  const due = began + (b * 1000) / batchesPerSecond;
  if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
  // the evaluator reads results up to its own now: each batch starts a moment before it is sent
  const startedAt = new Date(Date.now() - 1).toISOString();
  const regionId = REGIONS[Math.floor(b / (COMPONENTS / BATCH)) % REGIONS.length]!;
  const batch = Array.from({ length: BATCH }, () => result(regionId, startedAt));
  const sentAt = performance.now();
  const outcome = await ingestResults(db, { regionId, results: batch, now: new Date() });
  sent += outcome.accepted;
  pending.push({ startedAt, sentAt });
}
const sustainedSeconds = (performance.now() - began) / 1000;
watching = false;
await Promise.race([watcher, new Promise((resolve) => setTimeout(resolve, 30_000))]);
const sorted = [...lags].sort((a, b) => a - b);
console.log(`Sustained: ${sent.toLocaleString('en')} results in ${sustainedSeconds.toFixed(1)} s (${(sent / sustainedSeconds).toFixed(0)}/s, asked ${RATE}/s), ${COMPONENTS} components`);
console.log(`  from a batch stored to its results in the latest results: p50 ${percentile(sorted, 0.5).toFixed(0)} ms, p99 ${percentile(sorted, 0.99).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms over ${sorted.length} batches (goal ≤ 2,000 ms)`);
await work.stop();

// 2. a replayed backlog: stored as ingest stores it, one mark per component per batch of 500
const backlogStart = Date.now() - 6 * 3_600_000;
const slots = Math.ceil(BACKLOG / COMPONENTS);
const stepMs = Math.floor((5 * 3_600_000) / slots);
const fill = performance.now();
for (let first = 0; first < BACKLOG; first += 100_000) {
  const count = Math.min(100_000, BACKLOG - first);
  await db.execute(sql`
    with rows as (
      select n, gen_random_uuid() as id, 'c' || (n % ${COMPONENTS}) as component_id, ${new Date(backlogStart).toISOString()}::timestamptz + (n / ${COMPONENTS}) * ${`${stepMs} milliseconds`}::interval as started_at
      from generate_series(${first}::int, ${first + count - 1}::int) n
    ), stored as (
      insert into check_results (id, component_id, check_id, region_id, started_at, outcome, duration_ms)
      select id, component_id, 'https', 'west', started_at, case when n % 997 = 0 then 'down' else 'up' end, 100 from rows
    )
    -- as ingest marks them: each batch's results named, for the evaluator to add to their hours
    insert into evaluation_marks (component_id, from_at, with_results, new_started_at, new_ids)
    select component_id, min(started_at), true, array_agg(started_at), array_agg(id) from rows group by n / ${BATCH}, component_id`);
}
const [marks] = rowsOf<{ n: string }>(await db.execute(sql`select count(*) as n from evaluation_marks`));
await db.execute(sql`analyze`);
console.log(`Backlog: ${BACKLOG.toLocaleString('en')} results of the past hours stored with ${Number(marks!.n).toLocaleString('en')} evaluation marks in ${((performance.now() - fill) / 1000).toFixed(0)} s`);
const drainStart = performance.now();
const drain = startBackgroundWork({ db, now: () => new Date(), logger });
for (;;) {
  const [left] = rowsOf<{ n: string }>(await db.execute(sql`select count(*) as n from evaluation_marks`));
  if (Number(left!.n) === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const drainSeconds = (performance.now() - drainStart) / 1000;
await drain.stop();
console.log(`  every mark taken and every component's timeline rebuilt in ${drainSeconds.toFixed(1)} s: ${(BACKLOG / drainSeconds).toFixed(0)} results/s (goal ≥ 20,000/s)`);
await database.close();
await runStatements(adminUrl, [`drop database if exists "${name}" with (force)`]);
