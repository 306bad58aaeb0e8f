// Ingest: results per second through a real `statusvakt serve` (HTTP, token,
// validation, dedup, certificates kept once, hourly rollups, evaluation marks),
// from the steady state (after the server has rendered the pages it keeps ready
// at start) until every result is evaluated into state intervals (no evaluation
// mark left), against a plain multi-row INSERT of the same rows into the same
// partitioned table through the same driver, in alternated rounds on fresh
// databases. Also printed: bytes a stored result takes (table, indexes and its
// share of the certificates) as stored now and in the layout before (one
// table, a random-UUID key, phases and the certificate as JSON in each row).
// Goal: ≥ 0.8× the plain INSERT.
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx node bench/ingest-rate.ts [--results 60000] [--batch 500] [--rounds 5]
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { runStatements } from '../tests/support/pg-admin.ts';
import { createProbeToken } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { maintainResultPartitions, openDatabase, syncConfig } from '../db/index.ts';
import { CONTRACT_VERSION } from '../probe/index.ts';
import { benchConfigText, resultsWithCertificates } from './support/ingest-workload.ts';

const { values } = parseArgs({
  options: { results: { type: 'string', default: '60000' }, batch: { type: 'string', default: '500' }, components: { type: 'string', default: '1000' }, rounds: { type: 'string', default: '5' } },
});
const ROUNDS = Number(values.rounds);
const RESULTS = Number(values.results);
const BATCH = Number(values.batch);
const COMPONENTS = Number(values.components);
const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function freshDatabase(name: string): Promise<string> {
  await runStatements(adminUrl, [`drop database if exists "${name}" with (force)`, `create database "${name}"`]);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const configText = benchConfigText({ components: COMPONENTS });
const config = parseConfig(configText);
if (!config.ok) throw new Error(JSON.stringify(config.issues));

// within the retention ingest enforces, and on days the server has made partitions for
const start = Math.floor((Date.now() - 12 * 3_600_000) / 60_000) * 60_000;
const results = resultsWithCertificates({ count: RESULTS, components: COMPONENTS, startMs: start });
const PHASES = ['dns', 'connect', 'starttls', 'tls', 'firstByte', 'transfer'] as const;
const certificateHash = (certificate: object) => createHash('sha256').update(JSON.stringify(certificate)).digest('hex');
const batches = Array.from({ length: Math.ceil(RESULTS / BATCH) }, (_, i) => results.slice(i * BATCH, (i + 1) * BATCH));

async function plainInsertRate(): Promise<number> {
  const url = await freshDatabase('statusvakt_bench_plain');
  // same schema, migrations applied, and the days' partitions the server would make
  const database = await openDatabase({ databaseUrl: url, dataDir: '' });
  await maintainResultPartitions(database.db, { now: new Date(), retentionDays: 90 });
  await database.close();
  // the reference: one multi-row INSERT per batch through the server's own driver (node-postgres)
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // the rows as the table holds them: phases as an array, the certificate by its hash (kept once, not part of the reference)
  const COLUMNS = ['id', 'component_id', 'check_id', 'region_id', 'started_at', 'outcome', 'reason', 'duration_ms', 'http_status', 'phases_ms', 'certificate_sha256', 'message'];
  const began = performance.now();
  for (const batch of batches) {
    const values = batch.flatMap((r) => [r.id, r.componentId, r.checkId, r.regionId, r.startedAt, r.outcome, r.reason ?? null, r.durationMs, r.httpStatus ?? null, PHASES.map((p) => r.phasesMs?.[p] ?? null), certificateHash(r.certificate!), null]);
    const rows = batch.map((_, i) => `(${COLUMNS.map((__, c) => `$${i * COLUMNS.length + c + 1}`).join(', ')})`);
    await client.query(`insert into check_results (${COLUMNS.join(', ')}) values ${rows.join(', ')}`, values);
  }
  const seconds = (performance.now() - began) / 1000;
  await client.end();
  return RESULTS / seconds;
}

/** Table, indexes and TOAST of every raw-result partition, and the certificates they name. */
const STORED_BYTES = `select (select coalesce(sum(pg_total_relation_size(inhrelid)), 0) from pg_inherits where inhparent = 'check_results'::regclass)
  + pg_total_relation_size('certificates') as n`;

/** The same rows in the layout before: one table, a random-UUID key, indexes on component and time and on time, phases and the certificate as JSON. */
async function bytesBefore(): Promise<number> {
  const url = await freshDatabase('statusvakt_bench_before');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create table check_results (id uuid primary key, component_id text not null, check_id text not null, region_id text not null,
    started_at timestamptz not null, outcome text not null, reason text, duration_ms real not null, http_status integer, phases_ms jsonb, certificate jsonb, message text,
    received_at timestamptz not null default now())`);
  await client.query('create index on check_results (component_id, started_at)');
  await client.query('create index on check_results (started_at)');
  const COLUMNS = ['id', 'component_id', 'check_id', 'region_id', 'started_at', 'outcome', 'reason', 'duration_ms', 'http_status', 'phases_ms', 'certificate', 'message'];
  for (const batch of batches) {
    const values = batch.flatMap((r) => [r.id, r.componentId, r.checkId, r.regionId, r.startedAt, r.outcome, r.reason ?? null, r.durationMs, r.httpStatus ?? null, JSON.stringify(r.phasesMs ?? null), JSON.stringify(r.certificate ?? null), null]);
    const rows = batch.map((_, i) => `(${COLUMNS.map((__, c) => `$${i * COLUMNS.length + c + 1}`).join(', ')})`);
    await client.query(`insert into check_results (${COLUMNS.join(', ')}) values ${rows.join(', ')}`, values);
  }
  const bytes = Number((await client.query(`select pg_total_relation_size('check_results') as n`)).rows[0].n);
  await client.end();
  return bytes / RESULTS;
}

async function apiRate(): Promise<{ rate: number; acceptedRate: number; bytesPerResult: number }> {
  const url = await freshDatabase('statusvakt_bench_api');
  const database = await openDatabase({ databaseUrl: url, dataDir: '' });
  await syncConfig(database.db, config.ok ? config.config : (undefined as never), new Date());
  const token = (await createProbeToken(database.db, { regionId: 'north', now: new Date() })).token;
  await database.close();

  const configFile = join(mkdtempSync(join(tmpdir(), 'statusvakt-bench-')), 'config.yaml');
  writeFileSync(configFile, configText);
  const port = 30_000 + Math.floor(Math.random() * 20_000);
  const cli = fileURLToPath(new URL('../bin/statusvakt.js', import.meta.url));
  const server = spawn(process.execPath, [...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []), cli, 'serve', '--config', configFile, '--port', String(port)], { env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'] });
  // counted from the steady state: once the server has rendered the pages it keeps ready, which it does once at start
  const warmed = new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: server.stdout! });
    lines.on('line', (line) => {
      if (line.includes('"public pages rendered and kept ready"')) resolve();
      else if (/"level":(40|50|60)/.test(line)) process.stderr.write(`${line}\n`);
    });
    server.once('exit', (code) => reject(new Error(`statusvakt serve exited (${code}) before its pages were kept ready`)));
  });
  try {
    await warmed;
    const began = performance.now();
    let accepted = 0;
    for (const batch of batches) {
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/probe/results`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ version: CONTRACT_VERSION, regionId: 'north', results: batch }),
      });
      const report = (await response.json()) as { accepted: number };
      accepted += report.accepted;
    }
    if (accepted !== RESULTS) throw new Error(`accepted ${accepted} of ${RESULTS}`);
    const acceptedSeconds = (performance.now() - began) / 1000;
    // counted until evaluated: the evaluator has taken every mark the results made
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      while (Number((await client.query('select count(*) as n from evaluation_marks')).rows[0].n) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      const seconds = (performance.now() - began) / 1000;
      const bytes = Number((await client.query(STORED_BYTES)).rows[0].n);
      return { rate: RESULTS / seconds, acceptedRate: RESULTS / acceptedSeconds, bytesPerResult: bytes / RESULTS };
    } finally {
      await client.end();
    }
  } finally {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited; // the next round drops and recreates databases: this server must be gone first
  }
}

// Rounds alternate the two, each on a fresh database, and the medians are compared:
// on a 2-core machine one round's figure moves with checkpoints and autovacuum.
const rounds: { plain: number; api: Awaited<ReturnType<typeof apiRate>> }[] = [];
for (let round = 0; round < ROUNDS; round++) rounds.push({ plain: await plainInsertRate(), api: await apiRate() });
const before = await bytesBefore();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const plain = median(rounds.map((r) => r.plain));
const api = median(rounds.map((r) => r.api.rate));
console.log(`Ingest of ${RESULTS} results in batches of ${BATCH} (${COMPONENTS} components) into PostgreSQL, ${ROUNDS} alternating rounds`);
rounds.forEach((r, i) =>
  console.log(`  round ${i + 1}: plain INSERT ${r.plain.toFixed(0)}/s, statusvakt ${r.api.rate.toFixed(0)}/s evaluated (${r.api.acceptedRate.toFixed(0)}/s accepted), ratio ${(r.api.rate / r.plain).toFixed(2)}`),
);
console.log(`  plain multi-row INSERT      ${plain.toFixed(0)} results/s (median)`);
console.log(`  statusvakt serve            ${api.toFixed(0)} results/s (median; HTTP, token, validation, dedup, certificates, rollups, counted until evaluated)`);
console.log(`  ratio                       ${(api / plain).toFixed(2)}× the plain INSERT (goal ≥ 0.8×)`);
console.log(`  bytes per stored result     ${median(rounds.map((r) => r.api.bytesPerResult)).toFixed(0)} now, ${before.toFixed(0)} in the layout before (table, indexes, TOAST, certificates)`);
