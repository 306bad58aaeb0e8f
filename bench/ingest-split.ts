// Where ingest's time goes, in process (no HTTP): the ingest statement for every batch, then the
// evaluator draining every mark, beside a plain multi-row INSERT of the same rows, on fresh databases.
//
//   npx node bench/ingest-split.ts [--results 60000] [--batch 500] [--components 1000]
import { parseArgs } from 'node:util';
import pg from 'pg';
import { evaluatePending, ingestResults } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { maintainResultPartitions, openDatabase, syncConfig } from '../db/index.ts';
import { runStatements } from '../tests/support/pg-admin.ts';
import { benchConfigText, resultsWithCertificates } from './support/ingest-workload.ts';

const { values } = parseArgs({ options: { results: { type: 'string', default: '60000' }, batch: { type: 'string', default: '500' }, components: { type: 'string', default: '1000' } } });
const RESULTS = Number(values.results);
const BATCH = Number(values.batch);
const COMPONENTS = Number(values.components);
const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function freshDatabase(name: string) {
  await runStatements(adminUrl, [`drop database if exists "${name}" with (force)`, `create database "${name}"`]);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
  const config = parseConfig(benchConfigText({ components: COMPONENTS }));
  if (!config.ok) throw new Error(JSON.stringify(config.issues));
  await syncConfig(database.db, config.config, new Date());
  await maintainResultPartitions(database.db, { now: new Date(), retentionDays: 90 });
  return { url: url.toString(), database };
}

const start = Math.floor((Date.now() - 12 * 3_600_000) / 60_000) * 60_000;
const results = resultsWithCertificates({ count: RESULTS, components: COMPONENTS, startMs: start });
const batches = Array.from({ length: Math.ceil(RESULTS / BATCH) }, (_, i) => results.slice(i * BATCH, (i + 1) * BATCH));
const seconds = (began: number) => (performance.now() - began) / 1000;

const plain = await freshDatabase('statusvakt_bench_split_plain');
await plain.database.close();
const client = new pg.Client({ connectionString: plain.url });
await client.connect();
const COLUMNS = ['id', 'component_id', 'check_id', 'region_id', 'started_at', 'outcome', 'reason', 'duration_ms', 'http_status', 'phases_ms', 'certificate_sha256', 'message'];
let began = performance.now();
for (const batch of batches) {
  const params = batch.flatMap((r) => [r.id, r.componentId, r.checkId, r.regionId, r.startedAt, r.outcome, r.reason ?? null, r.durationMs, r.httpStatus ?? null, [1.2, 2.3, null, 8.1, 40.2, 0.4], 'x', null]);
  const rows = batch.map((_, i) => `(${COLUMNS.map((__, c) => `$${i * COLUMNS.length + c + 1}`).join(', ')})`);
  await client.query(`insert into check_results (${COLUMNS.join(', ')}) values ${rows.join(', ')}`, params);
}
const plainSeconds = seconds(began);
await client.end();

const { database } = await freshDatabase('statusvakt_bench_split_api');
began = performance.now();
for (const batch of batches) await ingestResults(database.db, { regionId: 'north', results: batch, now: new Date() });
const ingestSeconds = seconds(began);
began = performance.now();
let rounds = 0;
while ((await evaluatePending(database.db, new Date())) > 0) rounds++;
const evaluateSeconds = seconds(began);
await database.close();

const line = (name: string, s: number) => console.log(`  ${name.padEnd(34)} ${s.toFixed(2)} s  ${Math.round(RESULTS / s).toString().padStart(7)} results/s`);
console.log(`${RESULTS} results in batches of ${BATCH}, ${COMPONENTS} components, PostgreSQL, in process`);
line('plain multi-row INSERT', plainSeconds);
line('ingestResults, every batch', ingestSeconds);
line(`evaluatePending until none (${rounds} rounds)`, evaluateSeconds);
line('ingest + evaluation', ingestSeconds + evaluateSeconds);
