import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { seedPgliteFolder } from './databases.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = fileURLToPath(new URL('../../bin/statusvakt.js', import.meta.url));

/** Runs the real CLI to completion; a new embedded-database folder starts as a copy of the migrated template unless `seed: false`. */
export async function runCli(args: string[], env: Record<string, string | undefined> = {}, options: { seed?: boolean } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (options.seed !== false) await seedPgliteFolder(env);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

export type RunningServer = { url: string; child: ChildProcess; output: () => string; stop: () => Promise<number | null> };

/** Starts `statusvakt start|serve` as a real process and waits until it is ready; `port` to start again where clients expect it; `seed` as for runCli. */
export async function startServer(args: string[], env: Record<string, string | undefined>, options: { port?: number; seed?: boolean } = {}): Promise<RunningServer> {
  if (options.seed !== false) await seedPgliteFolder(env);
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [CLI, ...args, '--port', String(port)], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'info', ...env } });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000; // a cold PGlite start with every migration can take tens of seconds on a busy 2-core machine
  for (;;) {
    if (child.exitCode !== null) throw new Error(`statusvakt exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`statusvakt did not become ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
