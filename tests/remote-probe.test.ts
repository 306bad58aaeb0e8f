import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { count, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createProbeToken, type App } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { runRemoteProbe } from '../probe/index.ts';
import { createTestCa, issueCertificate, type TestCa } from './support/certificates.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { freePort } from './support/run-cli.ts';
import { startHttpsServer, type TestServer } from './support/servers.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

// The last driver: PostgreSQL when one is configured, as remote probes need it in production.
const driver = DRIVERS.at(-1)!;

describe(`remote probe against a real API on ${driver}`, () => {
  let test: TestDatabase;
  let ca: TestCa;
  let target: TestServer;
  let app: App;
  let apiPort: number;
  let api: ServerType | undefined;
  let token: string;

  const startApi = () =>
    new Promise<void>((resolve) => {
      api = serve({ fetch: app.fetch, port: apiPort, hostname: '127.0.0.1' }, () => resolve());
    });
  const stopApi = () =>
    new Promise<void>((resolve) => {
      api!.close(() => resolve());
      (api as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      api = undefined;
    });
  const storedResults = async () => (await test.handle.db.select({ n: count() }).from(tables.checkResults).where(eq(tables.checkResults.regionId, 'north')))[0]!.n;

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    ca = await createTestCa();
    target = await startHttpsServer(await issueCertificate({ ca, ipAddresses: ['127.0.0.1'] }), (_q, res) => res.end('ok'));
    const parsed = parseConfig(`
regions: [{ id: north }]
organisations: [{ id: k, name: K }]
pages:
  - id: p
    organisation: k
    name: P
    groups:
      - id: g
        name: G
        components:
          - { id: a, name: A, checks: [{ kind: https, url: "${target.url}a", intervalSeconds: 1 }] }
          - { id: b, name: B, checks: [{ kind: https, url: "${target.url}b", intervalSeconds: 1 }] }
`);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    await syncConfig(test.handle.db, parsed.config, new Date());
    token = (await createProbeToken(test.handle.db, { regionId: 'north', now: new Date() })).token;
    app = buildApp({ database: test.handle, now: () => new Date(), logger: pino({ level: 'silent' }) });
    apiPort = await freePort();
    await startApi();
  });

  afterAll(async () => {
    if (api) await stopApi();
    await target?.close();
    await test?.drop();
  });

  it('loses no result and stores none twice across an API outage and a probe restart', async () => {
    const bufferDir = mkdtempSync(join(tmpdir(), 'statusvakt-probe-'));
    const options = { apiUrl: `http://127.0.0.1:${apiPort}`, token, regionId: 'north', bufferDir, log: quiet, trustedCa: [ca.certPem], flushEveryMs: 100, refreshEveryMs: 500 };

    // 1. normal operation: results reach the API
    let probe = await runRemoteProbe(options);
    await waitFor(async () => (await storedResults()) >= 4, 10_000, 'the first results');

    // 2. the API goes away: results pile up in the buffer on disk
    await stopApi();
    const servedAtOutage = target.counts.connections;
    await waitFor(() => target.counts.connections >= servedAtOutage + 4, 10_000, 'checks during the outage');
    expect(probe.buffer().pending).toBeGreaterThan(0);

    // 3. the probe restarts while the API is still down: it resumes from its buffer and cached assignment
    await probe.stop();
    const bufferedAtRestart = probe.buffer().pending;
    expect(bufferedAtRestart).toBeGreaterThan(0);
    probe = await runRemoteProbe(options);
    expect(probe.buffer().pending).toBe(bufferedAtRestart);
    await waitFor(() => target.counts.connections >= servedAtOutage + 8, 10_000, 'checks after the restart');

    // 4. the API comes back: the buffer drains, in order
    await startApi();
    await waitFor(() => probe.buffer().pending === 0, 20_000, 'the buffer to drain');
    await probe.stop(); // checks in flight finish and go out on stop
    expect(probe.buffer().pending).toBe(0);

    // every check made exactly one HTTPS request, and produced exactly one stored result
    expect(await storedResults()).toBe(target.counts.connections);
    expect(probe.buffer().dropped).toBe(0);
  }, 60_000);
});
