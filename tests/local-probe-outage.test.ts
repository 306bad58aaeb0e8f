import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, issueCertificate } from './support/certificates.ts';
import { clusterUnavailable, startCluster } from './support/pg-cluster.ts';
import { runStatements } from './support/pg-admin.ts';
import { startServer, type RunningServer } from './support/run-cli.ts';
import { startHttpsServer, type TestServer } from './support/servers.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

/**
 * `statusvakt start` on PostgreSQL: its in-process probe checks a local
 * HTTPS server every second while the test stops and starts the database
 * (a cluster of its own). Every check opens one connection there, so the
 * server's count is the results executed.
 */
describe.skipIf(clusterUnavailable)('the in-process probe while PostgreSQL is stopped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'statusvakt-local-outage-'));
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  let target: TestServer;
  let server: RunningServer | undefined;
  let env: Record<string, string>;

  const stored = async () => {
    const [[row]] = (await runStatements<{ n: number; distinct_n: number }>(cluster.url, ['select count(*)::int as n, count(distinct (check_id, region_id, started_at))::int as distinct_n from check_results'])) as [[{ n: number; distinct_n: number }]];
    return row;
  };

  beforeAll(async () => {
    const ca = await createTestCa();
    writeFileSync(join(dir, 'ca.pem'), ca.certPem);
    target = await startHttpsServer(await issueCertificate({ ca, ipAddresses: ['127.0.0.1'] }), (_q, res) => res.end('ok'));
    writeFileSync(
      join(dir, 'config.yaml'),
      `organisations: [{ id: k, name: Kommune }]
pages:
  - id: status
    organisation: k
    name: Status
    groups:
      - id: g
        name: Services
        components:
          - { id: web, name: Web, checks: [{ kind: https, url: "${target.url}", intervalSeconds: 1 }] }
`,
    );
    cluster = await startCluster();
    env = { DATABASE_URL: cluster.url, STATUSVAKT_DATA_DIR: join(dir, 'data'), STATUSVAKT_PROBE_CA_FILE: join(dir, 'ca.pem') };
    server = await startServer(['start', '--config', join(dir, 'config.yaml')], env);
  }, 120_000);

  afterAll(async () => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    await target?.close();
    await cluster?.remove();
  });

  it('keeps every result through an outage, stops within 10 s while the database is down, and stores what waited at the next start', async () => {
    await waitFor(async () => (await stored()).n >= 3, 30_000, 'the first results');

    // an outage while running: the results wait in the buffer and are stored when the database is back
    await cluster.stop();
    const executedAtStop = target.counts.connections;
    await waitFor(async () => target.counts.connections >= executedAtStop + 4, 20_000, 'checks during the outage');
    await cluster.start();
    await waitFor(async () => (await stored()).n >= target.counts.connections - 1, 30_000, 'the buffered results to be stored');
    expect(server!.output()).toMatch(/the in-process probe cannot store its results/);
    expect(server!.output()).toMatch(/the in-process probe stores its results again/);

    // a shutdown while the database is down: within the deadline, and the results stay on disk
    await cluster.stop();
    const executedAtSecondStop = target.counts.connections;
    await waitFor(async () => target.counts.connections >= executedAtSecondStop + 2, 20_000, 'checks during the second outage');
    const stopping = Date.now();
    await server!.stop();
    const stopMs = Date.now() - stopping;
    expect(stopMs).toBeLessThan(10_000 + 2_000); // the deadline, and a moment to exit
    const leftBehind = server!.output().split('\n').filter((l) => l.includes('"step"')).map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(server!.output()).toMatch(/stay in its buffer until the next start/);
    const executed = target.counts.connections;

    await cluster.start();
    server = await startServer(['start', '--config', join(dir, 'config.yaml')], env);
    await waitFor(async () => (await stored()).n >= executed, 30_000, 'the results left in the buffer to be stored after the restart');
    await server.stop();
    const after = await stored();
    const total = target.counts.connections;
    process.stdout.write(`in-process probe across two PostgreSQL outages and a shutdown: results executed ${total}, stored ${after.n}, stored twice ${after.n - after.distinct_n}; shutdown with the database down took ${stopMs} ms (${leftBehind.join('; ') || 'every step finished'})\n`);
    expect(after.n).toBe(after.distinct_n);
    expect(after.n).toBe(total);
  }, 180_000);
});
