import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestCa, issueCertificate } from '../../tests/support/certificates.ts';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A test CA and a 127.0.0.1 certificate written to a temp dir. */
export async function benchCertificates() {
  const dir = mkdtempSync(join(tmpdir(), 'statusvakt-bench-'));
  const ca = await createTestCa('Statusvakt Bench CA');
  const cert = await issueCertificate({ ca, ipAddresses: ['127.0.0.1'] });
  const files = { dir, ca: join(dir, 'ca.pem'), cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
  writeFileSync(files.ca, ca.certPem);
  writeFileSync(files.cert, cert.certPem);
  writeFileSync(files.key, cert.keyPem);
  return { ...files, caPem: ca.certPem };
}

/** Starts the TLS target in its own process; resolves with its port. */
export async function startTlsTarget(cert: string, key: string): Promise<{ port: number; child: ChildProcess; stop: () => void }> {
  const script = fileURLToPath(new URL('./tls-target.ts', import.meta.url));
  const child = spawn(process.execPath, [script, cert, key], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => child.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
  return { port, child, stop: () => child.kill('SIGTERM') };
}

/** CPU seconds (user + system) a process has used, from /proc. */
export function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  return ticks / 100; // USER_HZ is 100 on Linux
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
