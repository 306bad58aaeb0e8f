// The public status page under load: requests per second and p50/p99 latency
// of the HTML front page, /api/v2/summary.json and a component page at 32 connections, side by
// side with nginx serving the same bytes as static files, in alternated
// rounds of the same run; then 2,000 concurrent GET / (p99 and peak RSS).
// The server is a real `statusvakt start` (its in-process probe checking a
// local TLS target) on PGlite (--database pglite, the default), or on
// PostgreSQL (--database postgres: an empty database at BENCH_DATABASE_URL, or
// else a cluster the bench starts itself from Debian's postgresql package), or
// on PostgreSQL stopped (--database postgres-stopped: its own cluster, stopped
// once the pages have been served once, so every figure is from snapshots).
// Goals: front page ≥ 0.5× nginx's requests/s and p99 < 20 ms; RSS < 600 MB
// at 2,000 concurrent requests.
//
//   npx node bench/status-page.ts [--components 4] [--seconds 20] [--rounds 2] [--concurrent 2000] [--database pglite|postgres|postgres-stopped] [--only front,summary,component] [--profile DIR]
//
// `--only` loads some of the three addresses (a shorter run); the rounds and
// what each measures stay the same. `--profile DIR` writes the server's CPU
// profile (its main thread's and the probe thread's) to DIR at its exit.
//
// Needs nginx (Debian: apt-get install -y nginx) and uses wrk when installed
// (apt-get install -y wrk), else autocannon from the dev dependencies.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '../tests/support/run-cli.ts';
import { startCluster } from '../tests/support/pg-cluster.ts';
import { getAtOnce, percentileOf, resetPeakMemory } from '../tests/support/page-burst.ts';
import { benchCertificates, processCpuSeconds, sleep, startTlsTarget } from './support/bench-env.ts';

const { values } = parseArgs({
  options: {
    components: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
    concurrent: { type: 'string', default: '2000' },
    database: { type: 'string', default: 'pglite' },
    only: { type: 'string' },
    profile: { type: 'string' },
  },
});
const COMPONENTS = Number(values.components);
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const CONNECTIONS = Number(values.connections);
const CONCURRENT = Number(values.concurrent);
const DATABASE = values.database;
if (!['pglite', 'postgres', 'postgres-stopped'].includes(DATABASE)) {
  console.error(`--database ${DATABASE}: choose pglite, postgres or postgres-stopped`);
  process.exit(1);
}
// a cluster of the bench's own where it has to stop one, or where no database was given
const cluster = DATABASE === 'postgres-stopped' || (DATABASE === 'postgres' && !process.env.BENCH_DATABASE_URL) ? await startCluster() : undefined;
const DATABASE_URL = DATABASE === 'pglite' ? undefined : (cluster?.url ?? process.env.BENCH_DATABASE_URL);
const CLI = fileURLToPath(new URL('../bin/statusvakt.js', import.meta.url));

const nginxPath = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
if (!nginxPath) {
  console.error('nginx is needed as the reference: install it (Debian/Ubuntu: apt-get install -y nginx) and run again');
  process.exit(1);
}
const wrkPath = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((p) => existsSync(p));

// ---- the server under test, with COMPONENTS components checking a local TLS target
const certs = await benchCertificates();
const target = await startTlsTarget(certs.cert, certs.key);
const dir = mkdtempSync(join(tmpdir(), 'statusvakt-page-bench-'));
const perGroup = COMPONENTS <= 4 ? 2 : 25;
const groups = Array.from({ length: Math.ceil(COMPONENTS / perGroup) }, (_, g) => {
  const members = Array.from({ length: Math.min(perGroup, COMPONENTS - g * perGroup) }, (_, i) => {
    const id = `c${g * perGroup + i}`;
    return `          - id: ${id}
            name: { da: Tjeneste ${id}, en: Service ${id} }
            slaProfile: basic
            checks: [{ kind: https, url: "https://127.0.0.1:${target.port}/${id}", intervalSeconds: ${COMPONENTS > 100 ? 60 : 30} }]`;
  });
  return `      - id: g${g}
        name: { da: Gruppe ${g}, en: Group ${g} }
        components:
${members.join('\n')}`;
});
writeFileSync(
  join(dir, 'config.yaml'),
  `organisations: [{ id: kommune, name: Kommune }]
slaProfiles: [{ id: basic, name: Basic, availabilityTargetPercent: 99.9 }]
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus, en: Service status }
    languages: [da, en]
    groups:
${groups.join('\n')}
`,
);
const port = await freePort();
const server = spawn(process.execPath, [...(values.profile ? ['--cpu-prof', '--cpu-prof-dir', values.profile] : []), CLI, 'start', '--config', join(dir, 'config.yaml'), '--port', String(port)], {
  env: { ...process.env, LOG_LEVEL: 'info', STATUSVAKT_DATA_DIR: join(dir, 'data'), STATUSVAKT_PROBE_CA_FILE: certs.ca, ...(DATABASE_URL ? { DATABASE_URL } : {}) },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let serverLog = '';
server.stdout!.on('data', (c: Buffer) => (serverLog += c.toString()));
server.stderr!.on('data', (c: Buffer) => (serverLog += c.toString()));
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  if (server.exitCode !== null) throw new Error(`statusvakt exited:\n${serverLog}`);
  const ok = await fetch(`${base}/`).then((r) => r.ok && r.headers.has('etag'), () => false);
  if (ok) break;
  if (i > 600) throw new Error(`statusvakt did not serve its page:\n${serverLog}`);
  await sleep(100);
}
await sleep(5_000); // the first results arrive and the snapshots refresh
const rssMb = (field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
const rssAtStart = rssMb('VmRSS');
const startupPeak = rssMb('VmHWM');
// "5" resets the kernel's peak-RSS mark, so each phase's peak is its own (falls back to the lifetime peak where not allowed)
const resetPeak = () => {
  resetPeakMemory(server.pid!); // where not permitted, the printed peak includes start-up
};

// ---- nginx serving the same bytes
const www = join(dir, 'www');
const paths = { front: '/', summary: '/api/v2/summary.json', component: '/components/c0/' } as const;
const loaded = values.only === undefined ? Object.keys(paths) : values.only.split(',');
for (const name of loaded) {
  if (!(name in paths)) {
    console.error(`--only ${values.only}: choose from ${Object.keys(paths).join(', ')}`);
    process.exit(1);
  }
}
const bytes: Record<string, number> = {};
for (const [name, path] of Object.entries(paths)) {
  const body = Buffer.from(await (await fetch(`${base}${path}`, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer());
  bytes[name] = body.length;
  const file = path.endsWith('/') ? join(www, path, 'index.html') : join(www, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, body);
}
for (const d of [dir, www, join(www, 'api'), join(www, 'api/v2'), join(www, 'components'), join(www, 'components/c0')]) chmodSync(d, 0o755); // nginx's worker may run as another user
if (DATABASE === 'postgres-stopped') {
  await cluster!.stop();
  for (let i = 0; (await fetch(`${base}/readyz`)).status !== 503; i++) {
    if (i > 300) throw new Error('/readyz did not report the database down');
    await sleep(100);
  }
  console.log('PostgreSQL stopped: /readyz answers 503; every figure below is served from snapshots');
} // nginx's worker may run as another user
const nginxPort = await freePort();
writeFileSync(
  join(dir, 'nginx.conf'),
  `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log;
events { worker_connections 8192; }
http {
  access_log off;
  types { text/html html; application/json json; }
  server { listen 127.0.0.1:${nginxPort}; root ${www}; index index.html; }
}
`,
);
const nginx: ChildProcess = spawn(nginxPath, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'inherit' });
for (let i = 0; !(await fetch(`http://127.0.0.1:${nginxPort}/`).then((r) => r.ok, () => false)); i++) {
  if (i > 100) throw new Error('nginx did not start');
  await sleep(100);
}

// ---- load rounds
type Figures = { rps: number; p50: number; p99: number; errors: number };
async function load(url: string): Promise<Figures> {
  if (wrkPath) {
    const run = spawnSync(wrkPath, ['-t1', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', url], { encoding: 'utf8' });
    const ms = (label: string) => {
      const m = new RegExp(`${label}\\s+([\\d.]+)(us|ms|s)`).exec(run.stdout);
      return m ? Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1) : NaN;
    };
    const errors = /Non-2xx or 3xx responses: (\d+)/.exec(run.stdout)?.[1] ?? '0';
    return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(run.stdout)?.[1]), p50: ms(' 50%'), p99: ms(' 99%'), errors: Number(errors) };
  }
  type Autocannon = (o: object) => Promise<{ requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number }>;
  const autocannon = ((await import('autocannon' as string)) as { default: Autocannon }).default;
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (f: Figures) => `${f.rps.toFixed(0).padStart(7)} req/s  p50 ${f.p50.toFixed(2).padStart(6)} ms  p99 ${f.p99.toFixed(2).padStart(6)} ms${f.errors ? `  (${f.errors} errors)` : ''}`;
console.log(`Status page under load: ${COMPONENTS} components on ${DATABASE === 'pglite' ? 'PGlite' : DATABASE === 'postgres' ? 'PostgreSQL' : 'PostgreSQL, stopped before the load'} (start, in-process probe); ${CONNECTIONS} connections, ${SECONDS} s a round, ${ROUNDS} alternated rounds; load from ${wrkPath ? 'wrk (1 thread)' : 'autocannon'}; nginx with 1 worker`);
const summary: string[] = [];
resetPeak();
for (const [name, path] of Object.entries(paths).filter(([name]) => loaded.includes(name))) {
  const ours: Figures[] = [];
  const theirs: Figures[] = [];
  const cpuBefore = processCpuSeconds(server.pid!);
  let served = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    const a = await load(`${base}${path}`);
    served += a.rps * SECONDS;
    const b = await load(`http://127.0.0.1:${nginxPort}${path}`);
    ours.push(a);
    theirs.push(b);
    console.log(`  ${name} round ${round}: statusvakt ${fmt(a)} | nginx ${fmt(b)}`);
  }
  const cpuMs = ((processCpuSeconds(server.pid!) - cpuBefore) * 1000) / served;
  const ratio = mean(ours.map((f) => f.rps)) / mean(theirs.map((f) => f.rps));
  summary.push(
    `  ${name} (${path}, ${bytes[name]} bytes): statusvakt ${mean(ours.map((f) => f.rps)).toFixed(0)} req/s, p50 ${mean(ours.map((f) => f.p50)).toFixed(2)} ms, p99 ${Math.max(...ours.map((f) => f.p99)).toFixed(2)} ms, ${cpuMs.toFixed(3)} ms CPU a view | nginx ${mean(theirs.map((f) => f.rps)).toFixed(0)} req/s, p99 ${Math.max(...theirs.map((f) => f.p99)).toFixed(2)} ms | ratio ${ratio.toFixed(2)}×`,
  );
}
console.log('Summary (mean of rounds; p99 the worst round):');
for (const line of summary) console.log(line);
console.log(`  server RSS: ${startupPeak.toFixed(0)} MB peak while starting, ${rssAtStart.toFixed(0)} MB before the load, peak ${rssMb('VmHWM').toFixed(0)} MB during it, ${rssMb('VmRSS').toFixed(0)} MB after`);

// ---- CONCURRENT GET / at once, each on its own connection
const before = rssMb('VmRSS');
resetPeak();
const { answered, failed } = await getAtOnce(`${base}/`, CONCURRENT);
await sleep(5_000);
console.log(
  `${CONCURRENT} concurrent GET / (brotli, one connection each): ${answered.length} answered, ${failed} failed; p50 ${percentileOf(answered, 50).toFixed(1)} ms, p99 ${percentileOf(answered, 99).toFixed(1)} ms, max ${Math.max(...answered).toFixed(1)} ms; server RSS ${before.toFixed(0)} MB before, peak ${rssMb('VmHWM').toFixed(0)} MB, ${rssMb('VmRSS').toFixed(0)} MB 5 s after (goal < 600 MB)`,
);

// ---- the probe's start lag, reported by the server at shutdown
nginx.kill('SIGQUIT');
server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));
target.stop();
await cluster?.remove();
const lagLine = serverLog.split('\n').find((l) => l.includes('"probeStartLag"'));
if (lagLine) {
  const { probeStartLag } = JSON.parse(lagLine) as { probeStartLag: { runs: number; p50Ms: number; p99Ms: number; maxMs: number } };
  console.log(`In-process probe start lag over the whole run: ${probeStartLag.runs} runs, p50 ${probeStartLag.p50Ms} ms, p99 ${probeStartLag.p99Ms} ms, max ${probeStartLag.maxMs} ms (goal p99 < 100 ms)`);
}
