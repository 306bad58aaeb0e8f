// Fan-out: one incident update to 10,000 confirmed subscribers of one page,
// delivered by a real `statusvakt serve` process over SMTP to a local
// smtp-server. Prints the publish request's latency, the time from publish
// to the last message accepted, messages per second and the server's peak
// RSS. Targets: all in < 60 s; the publish request < 100 ms whatever the
// number of subscribers (the mails leave through the outbox, not the request).
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx node bench/notify-fanout.ts [--subscribers 10000]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runStatements } from '../tests/support/pg-admin.ts';
import { SMTPServer } from 'smtp-server';
import { createUser } from '../api/index.ts';
import { openDatabase, syncConfig } from '../db/index.ts';
import { parseConfig } from '../config/index.ts';
import { manySubscribers } from '../tests/support/outbox-fixtures.ts';
import { freePort } from '../tests/support/run-cli.ts';
import { sleep } from './support/bench-env.ts';

const { values } = parseArgs({ options: { subscribers: { type: 'string', default: '10000' } } });
const SUBSCRIBERS = Number(values.subscribers);
const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PASSWORD = 'bench operator password';
const CONFIG = `
organisations: [{ id: kommune, name: Kommune }]
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus, en: Service status }
    languages: [da, en, sv, nb, it]
    groups:
      - id: login
        name: Login
        components:
          - { id: sso, name: { da: Fælles login, en: Single sign-on }, checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 3600 }] }
  - id: quiet
    organisation: kommune
    name: Quiet page with no subscribers
    groups:
      - id: other
        name: Other
        components:
          - { id: other, name: Other, checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 3600 }] }
`;

const name = `statusvakt_bench_fanout`;
await runStatements(adminUrl, [`drop database if exists "${name}" with (force)`, `create database "${name}"`]);
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${name}`;

// the subscribers, written before the server starts
const parsed = parseConfig(CONFIG);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
const handle = await openDatabase({ databaseUrl: dbUrl.toString(), dataDir: '' });
await syncConfig(handle.db, parsed.config, new Date());
await manySubscribers(handle.db, SUBSCRIBERS);
await createUser(handle.db, { email: 'op@kommune.example', name: 'Op', role: 'operator', password: PASSWORD });
await handle.close();

// the SMTP peer: accepts everything, counts Message-IDs
const accepted: { at: number; messageId: string }[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  closeTimeout: 100,
  onData(stream, _session, callback) {
    let head = '';
    stream.on('data', (chunk: Buffer) => {
      if (head.length < 4096) head += chunk.toString('latin1');
    });
    stream.on('end', () => {
      accepted.push({ at: performance.now(), messageId: /^Message-ID:\s*(\S+)/im.exec(head)?.[1] ?? '' });
      callback(null, 'queued');
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
const smtpPort = (smtp.server.address() as { port: number }).port;

const dir = mkdtempSync(join(tmpdir(), 'statusvakt-bench-fanout-'));
writeFileSync(join(dir, 'config.yaml'), CONFIG);
const port = await freePort();
const cli = fileURLToPath(new URL('../bin/statusvakt.js', import.meta.url));
// BENCH_CPU_PROF=DIR writes the server's CPU profile there, to see where the fan-out spends its time
const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
const server = spawn(process.execPath, [...profile, cli, 'serve', '--config', join(dir, 'config.yaml'), '--port', String(port)], {
  env: { ...process.env, DATABASE_URL: dbUrl.toString(), SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, STATUSVAKT_MAIL_FROM: 'status@kommune.example', STATUSVAKT_SECRET: 'bench-secret-bench-secret-bench-secret', STATUSVAKT_DATA_DIR: dir, LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/readyz`)).status === 200) break;
  } catch {
    // not yet
  }
  if (i > 300) throw new Error('server did not start');
  await sleep(100);
}

const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: PASSWORD }) });
const headers = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' };
/** Opens an incident and publishes its first update; returns when the publish request returned, and how long it took. */
async function publish(pageId: string, componentId: string) {
  const incident = (await (await fetch(`${base}/api/v1/incidents`, { method: 'POST', headers, body: JSON.stringify({ pageId, title: { da: 'Login fejler', en: 'Login fails' }, priority: 'B', componentIds: [componentId] }) })).json()) as { id: string; version: number };
  const at = performance.now();
  const response = await fetch(`${base}/api/v1/incidents/${incident.id}/updates`, { method: 'POST', headers, body: JSON.stringify({ expectedVersion: incident.version, step: 'registered' }) });
  const ms = performance.now() - at;
  if (response.status !== 201) throw new Error(`publish failed: ${response.status} ${await response.text()}`);
  return { at, ms };
}
// the same request on a page nobody follows: the publish does not depend on the subscriber count
const quietRuns = [];
for (let i = 0; i < 3; i++) quietRuns.push((await publish('quiet', 'other')).ms);
const { at: publishedAt, ms: publishMs } = await publish('status', 'sso');

const deadline = publishedAt + 300_000;
while (accepted.length < SUBSCRIBERS && performance.now() < deadline) await sleep(50);
const lastMs = (accepted.at(-1)?.at ?? NaN) - publishedAt;
const peakRssMb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024;
const distinct = new Set(accepted.map((a) => a.messageId)).size;

server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));
await new Promise<void>((resolve) => smtp.close(() => resolve()));
await runStatements(adminUrl, [`drop database if exists "${name}" with (force)`]);

console.log(`subscribers                         ${SUBSCRIBERS}`);
console.log(`publish request, 0 subscribers      ${quietRuns.map((ms) => ms.toFixed(1)).join(', ')} ms`);
console.log(`publish request, ${SUBSCRIBERS} subscribers  ${publishMs.toFixed(1)} ms   (target < 100 ms)`);
console.log(`publish → last message accepted     ${(lastMs / 1000).toFixed(2)} s   (target < 60 s)`);
console.log(`messages accepted                   ${accepted.length} (${distinct} distinct Message-IDs)`);
console.log(`messages per second                 ${(accepted.length / (lastMs / 1000)).toFixed(0)}`);
console.log(`server peak RSS                     ${peakRssMb.toFixed(0)} MB`);
process.exit(accepted.length === SUBSCRIBERS && distinct === SUBSCRIBERS ? 0 : 1);
