// Raw results' key: how fast rows go in as the table grows, with the layout
// before partitioning (a random UUID primary key, indexes on component+time
// and on time) against the partitioned one (daily partitions, a key that
// leads with time, an index on component+time). The same rows, made as
// probes make them (time-ordered starts, random UUIDv4 ids), go into both in
// alternated steps through the same driver with the same multi-row INSERT.
// Printed: rows/s per step for each, their ratio, and the indexes' size.
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx node bench/result-key.ts [--rows 2000000] [--step 250000]
import { parseArgs } from 'node:util';
import pg from 'pg';
import { runStatements } from '../tests/support/pg-admin.ts';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '2000000' }, step: { type: 'string', default: '250000' }, components: { type: 'string', default: '1000' } } });
const ROWS = Number(values.rows);
const STEP = Number(values.step);
const COMPONENTS = Number(values.components);
const BATCH = 1_000;
const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `statusvakt_bench_key_${process.pid}`;
await runStatements(adminUrl, [`drop database if exists "${name}" with (force)`, `create database "${name}"`]);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const client = new pg.Client({ connectionString: url.toString() });
await client.connect();

const COLUMNS = 'id uuid not null, component_id text not null, check_id text not null, region_id text not null, started_at timestamptz not null, outcome text not null, duration_ms real not null';
const START_MS = Date.UTC(2026, 0, 1);
const SLOT_MS = 30_000;
// every row is one component's result in a 30 s slot: this many days are covered
const days = Math.ceil(((ROWS / COMPONENTS) * SLOT_MS) / 86_400_000) + 1;
await client.query(`create table by_uuid (${COLUMNS}, primary key (id))`);
await client.query('create index on by_uuid (component_id, started_at)');
await client.query('create index on by_uuid (started_at)');
await client.query(`create table by_time (${COLUMNS}, primary key (started_at, id)) partition by range (started_at)`);
await client.query('create index on by_time (component_id, started_at)');
for (let d = 0; d < days; d++) {
  const from = new Date(START_MS + d * 86_400_000).toISOString();
  const to = new Date(START_MS + (d + 1) * 86_400_000).toISOString();
  await client.query(`create table by_time_d${d} partition of by_time for values from ('${from}') to ('${to}')`);
}

/** Rows `from` to `to` (exclusive) of the sequence, as one multi-row INSERT per batch. */
async function insertRange(table: string, from: number, to: number): Promise<number> {
  const started = performance.now();
  for (let batchStart = from; batchStart < to; batchStart += BATCH) {
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (let i = batchStart; i < Math.min(to, batchStart + BATCH); i++) {
      const p = params.length;
      tuples.push(`($${p + 1}, $${p + 2}, 'https', 'north', $${p + 3}, 'up', $${p + 4})`);
      params.push(crypto.randomUUID(), `c${i % COMPONENTS}`, new Date(START_MS + Math.floor(i / COMPONENTS) * SLOT_MS).toISOString(), 100 + (i % 50));
    }
    await client.query(`insert into ${table} (id, component_id, check_id, region_id, started_at, outcome, duration_ms) values ${tuples.join(', ')}`, params);
  }
  return (to - from) / ((performance.now() - started) / 1000);
}

console.log(`${ROWS.toLocaleString('en')} rows in steps of ${STEP.toLocaleString('en')}, ${COMPONENTS} components, batches of ${BATCH}, PostgreSQL ${(await client.query('show server_version')).rows[0].server_version}`);
console.log('rows stored | random-UUID key rows/s | time-led key rows/s | ratio');
const ratios: number[] = [];
for (let done = 0, step = 0; done < ROWS; done += STEP, step++) {
  const to = Math.min(ROWS, done + STEP);
  // alternate which goes first, so a warming cache or a busy moment favours neither
  const order = step % 2 === 0 ? (['by_uuid', 'by_time'] as const) : (['by_time', 'by_uuid'] as const);
  const rate: Record<string, number> = {};
  for (const table of order) rate[table] = await insertRange(table, done, to);
  const ratio = rate.by_time! / rate.by_uuid!;
  ratios.push(ratio);
  console.log(`${to.toLocaleString('en').padStart(11)} | ${Math.round(rate.by_uuid!).toLocaleString('en').padStart(22)} | ${Math.round(rate.by_time!).toLocaleString('en').padStart(19)} | ${ratio.toFixed(2)}×`);
}
const size = async (table: string) =>
  Number((await client.query(`select coalesce(sum(pg_indexes_size(c.oid)), 0) as n from pg_class c where c.relname = $1 or c.oid in (select inhrelid from pg_inherits where inhparent = $1::regclass)`, [table])).rows[0].n);
const [uuidIndexes, timeIndexes] = [await size('by_uuid'), await size('by_time')];
console.log(`indexes: random-UUID key ${(uuidIndexes / 2 ** 20).toFixed(0)} MiB, time-led key ${(timeIndexes / 2 ** 20).toFixed(0)} MiB (${((timeIndexes / ROWS) | 0)} bytes a row against ${((uuidIndexes / ROWS) | 0)})`);
console.log(`time-led key against random-UUID key: median ${median(ratios).toFixed(2)}×, last step ${ratios.at(-1)!.toFixed(2)}×`);
await client.end();
await runStatements(adminUrl, [`drop database if exists "${name}" with (force)`]);

function median(list: number[]): number {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
