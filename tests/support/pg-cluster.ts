import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './run-cli.ts';

/** The newest PostgreSQL server binaries installed from Debian's packages, if any. */
function serverBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

const binDir = serverBinDir();
// PostgreSQL refuses to run as root; there the cluster belongs to the `postgres` account the package created
const asPostgres = userInfo().uid === 0;

/** Why a test cannot start a cluster of its own here, or undefined when it can. */
export const clusterUnavailable: string | undefined = !binDir
  ? 'no PostgreSQL server binaries under /usr/lib/postgresql (Debian package postgresql)'
  : asPostgres && !hasPostgresAccount()
    ? 'running as root without a postgres account to own the cluster'
    : undefined;

function hasPostgresAccount(): boolean {
  try {
    execFileSync('id', ['postgres'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// asynchronous, so servers living in the test's own process go on answering while the cluster starts or stops
async function run(program: string, args: string[]): Promise<void> {
  const [command, argv] = asPostgres ? ['runuser', ['-u', 'postgres', '--', join(binDir!, program), ...args]] : [join(binDir!, program), args];
  await promisify(execFile)(command, argv, { timeout: 60_000 });
}

/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary folder, its
 * own port, trust authentication on 127.0.0.1), so a test can really stop
 * and start the server under a running Statusvakt without touching the
 * machine's shared one.
 */
export async function startCluster(): Promise<{ url: string; stop: () => Promise<void>; start: () => Promise<void>; remove: () => Promise<void> }> {
  if (clusterUnavailable) throw new Error(clusterUnavailable);
  const dir = mkdtempSync(join(tmpdir(), 'statusvakt-cluster-'));
  if (asPostgres) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  const data = join(dir, 'data');
  const port = await freePort();
  await run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () => run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start']);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    remove: async () => {
      await stop().catch(() => undefined); // already stopped
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
