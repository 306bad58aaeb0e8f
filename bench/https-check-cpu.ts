// CPU cost per HTTPS check, fresh TLS each time, against a local TLS target,
// side by side with Prometheus' blackbox_exporter probing the same target.
// Target: ≤ 1.0× the exporter's CPU seconds per check. Also: checks per second
// one probe process sustains.
//
//   npx node bench/https-check-cpu.ts [--checks 2000] [--concurrency 50] [--seconds 10]
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HttpsCheck } from '../config/index.ts';
import { runHttpsCheck } from '../probe/index.ts';
import { benchCertificates, processCpuSeconds, sleep, startTlsTarget } from './support/bench-env.ts';

const { values } = parseArgs({ options: { checks: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '50' }, seconds: { type: 'string', default: '10' } } });
const CHECKS = Number(values.checks);
const CONCURRENCY = Number(values.concurrency);
const SECONDS = Number(values.seconds);

const certs = await benchCertificates();
const target = await startTlsTarget(certs.cert, certs.key);
const url = `https://127.0.0.1:${target.port}/`;
const check = HttpsCheck.parse({ kind: 'https', url, timeoutMs: 5000 });
const trustedCa = [certs.caPem]; // one array, as a probe holds its CA list for its lifetime
const checkTarget = { componentId: 'bench', checkId: 'https', regionId: 'local' };

async function statusvaktCpuPerCheck(): Promise<number> {
  for (let i = 0; i < 100; i++) await runHttpsCheck(check, checkTarget, { trustedCa }); // warm up
  const before = process.cpuUsage();
  for (let i = 0; i < CHECKS; i++) {
    const result = await runHttpsCheck(check, checkTarget, { trustedCa });
    if (result.outcome !== 'up') throw new Error(`check failed: ${result.reason} ${result.message}`);
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6 / CHECKS;
}

async function exporterCpuPerCheck(): Promise<number> {
  const port = await freePort();
  const config = join(certs.dir, 'blackbox.yml');
  writeFileSync(config, `modules:\n  https:\n    prober: http\n    timeout: 5s\n    http:\n      method: GET\n      valid_status_codes: [200]\n      tls_config:\n        ca_file: ${certs.ca}\n`);
  const exporter = spawn('prometheus-blackbox-exporter', [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  try {
    const probeUrl = `http://127.0.0.1:${port}/probe?module=https&target=${encodeURIComponent(url)}`;
    for (let i = 0; i < 50; i++) {
      try {
        await fetch(probeUrl);
        break;
      } catch {
        await sleep(100);
      }
    }
    for (let i = 0; i < 100; i++) await (await fetch(probeUrl)).text(); // warm up
    const before = processCpuSeconds(exporter.pid!);
    for (let i = 0; i < CHECKS; i++) {
      const body = await (await fetch(probeUrl)).text();
      if (!body.includes('probe_success 1')) throw new Error(`exporter probe failed:\n${body}`);
    }
    return (processCpuSeconds(exporter.pid!) - before) / CHECKS;
  } finally {
    exporter.kill('SIGTERM');
  }
}

async function sustainedChecksPerSecond(): Promise<number> {
  let done = 0;
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < until) {
        await runHttpsCheck(check, checkTarget, { trustedCa });
        done++;
      }
    }),
  );
  return done / SECONDS;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

try {
  const ours = await statusvaktCpuPerCheck();
  const theirs = await exporterCpuPerCheck();
  const rate = await sustainedChecksPerSecond();
  console.log(`HTTPS check CPU cost, ${CHECKS} sequential checks, fresh TLS (ECDSA P-256) each time, local target in its own process`);
  console.log(`  statusvakt        ${(ours * 1000).toFixed(3)} ms CPU per check`);
  console.log(`  blackbox_exporter ${(theirs * 1000).toFixed(3)} ms CPU per check (same target, same CA)`);
  console.log(`  ratio             ${(ours / theirs).toFixed(2)}× the exporter (target ≤ 1.0×)`);
  console.log(`Sustained: ${rate.toFixed(0)} checks/s from one probe process (${CONCURRENCY} concurrent, ${SECONDS} s)`);
} finally {
  target.stop();
}
