import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { count, eq, inArray } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createProbeToken, type App } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { ResultBuffer, runRemoteProbe } from '../probe/index.ts';
import { result } from './support/fixtures.ts';
import { createTestCa, issueCertificate, type TestCa } from './support/certificates.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { freePort } from './support/run-cli.ts';
import { startHttpsServer, type TestServer } from './support/servers.ts';
import { mountSmallDisk } from './support/small-disk.ts';

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
    const options = { apiUrl: `http://127.0.0.1:${apiPort}`, token, regionId: 'north', bufferDir, log: quiet, trustedCa: [ca.certPem], flushEveryMs: 100, refreshEveryMs: 500, retry: { baseMs: 100, ceilingMs: 1_000 } };

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

  it('keeps running on a full disk, through acknowledgements and a restart, and delivers every result once', async (context) => {
    const disk = mountSmallDisk();
    if (!disk) return context.skip('mounting a tmpfs needs root; the full disk is then covered only by the result buffer unit tests');
    const lines: { level: string; message: string }[] = [];
    const at = (level: string) => (_fields: object, message: string) => void lines.push({ level, message });
    const options = {
      apiUrl: `http://127.0.0.1:${apiPort}`,
      token,
      regionId: 'north',
      bufferDir: disk.dir,
      log: { info: at('info'), warn: at('warn'), error: at('error') },
      trustedCa: [ca.certPem],
      flushEveryMs: 100,
      refreshEveryMs: 60_000,
    };
    try {
      const storedBefore = await storedResults();
      const connectionsBefore = target.counts.connections;
      let probe = await runRemoteProbe(options);
      await waitFor(async () => (await storedResults()) >= storedBefore + 2, 10_000, 'results before the disk fills');
      disk.fill();
      const atFull = target.counts.connections;
      await waitFor(() => target.counts.connections >= atFull + 6, 10_000, 'checks on the full disk');
      await waitFor(() => probe.buffer().pending === 0, 10_000, 'delivery from memory');
      await probe.stop();
      // said once per episode: the buffer's own deletions can free a little room, so episodes may repeat, never a line per result
      const diskLines = lines.filter((l) => /cannot write the result buffer|written to disk again/.test(l.message)).map((l) => l.level);
      expect(diskLines[0]).toBe('error');
      diskLines.forEach((level, i) => expect(level).toBe(i % 2 === 0 ? 'error' : 'info'));
      expect(diskLines.length).toBeLessThan(6);

      // a restart on the still-full disk: the assignment cannot be cached, the cursor not written; it runs anyway
      rmSync(join(disk.dir, 'assignment.json')); // so that caching it needs new room
      disk.fill(); // take back what the acknowledged segments freed
      probe = await runRemoteProbe(options);
      const atRestart = target.counts.connections;
      await waitFor(() => target.counts.connections >= atRestart + 4, 10_000, 'checks after the restart');
      await waitFor(() => probe.buffer().pending === 0, 10_000, 'delivery after the restart');
      await probe.stop();
      expect(lines.some((l) => l.message.includes('cannot keep a copy of the assignment'))).toBe(true);

      // every check made exactly one HTTPS request and produced exactly one stored result
      const executed = target.counts.connections - connectionsBefore;
      const stored = (await storedResults()) - storedBefore;
      process.stdout.write(`full disk figures: results executed ${executed}, stored ${stored}, lost ${Math.max(0, executed - stored)}, duplicated ${Math.max(0, stored - executed)}\n`);
      expect(stored).toBe(executed);
    } finally {
      disk.unmount();
    }
  }, 60_000);

  it('falls back to plain JSON when gzip is refused, halves its batches when the API says they are too large, and drops only a result that is too large alone', async () => {
    // the API behind a proxy with a 20 KB body limit, as some ingress controllers have by default
    const frontPort = await freePort();
    let gzipRefused = 0;
    const front = await new Promise<ServerType>((resolve) => {
      const server = serve(
        {
          fetch: async (request: Request) => {
            if (!new URL(request.url).pathname.endsWith('/results')) return app.fetch(request);
            // it takes no compressed bodies either: the probe falls back to plain JSON, whose size the limit then sees
            if (request.headers.get('content-encoding') === 'gzip') {
              gzipRefused++;
              return Response.json({ error: { code: 'UNSUPPORTED_ENCODING', message: 'no gzip here' } }, { status: 415 });
            }
            const body = await request.text();
            if (body.length > 20_000) return Response.json({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'request body over 20000 bytes' } }, { status: 413 });
            return app.fetch(new Request(request.url, { method: 'POST', headers: request.headers, body }));
          },
          port: frontPort,
          hostname: '127.0.0.1',
        },
        () => resolve(server),
      );
    });
    const bufferDir = mkdtempSync(join(tmpdir(), 'statusvakt-probe-'));
    // left by an earlier run: 30 ordinary results and, among them, one with a certificate of 200 long names (~60 KB)
    const earlier = ResultBuffer.open(join(bufferDir, 'results'));
    const startedAt = new Date(Date.now() - 60_000).toISOString();
    const ordinary = Array.from({ length: 30 }, () => result({ componentId: 'a', regionId: 'north', startedAt, message: 'x'.repeat(400) }));
    const huge = result({
      componentId: 'b',
      regionId: 'north',
      startedAt,
      certificate: { subject: 'CN=b', issuer: 'CN=ca', subjectAltNames: Array.from({ length: 200 }, (_, i) => `DNS:${String(i).padStart(280, 'n')}.example`), notBefore: startedAt, notAfter: startedAt, sha256Fingerprint: 'AB', chainVerified: true },
    });
    [...ordinary.slice(0, 15), huge, ...ordinary.slice(15)].forEach((r) => earlier.append(r));

    const errors: { fields: Record<string, unknown>; message: string }[] = [];
    const warnings: string[] = [];
    const probe = await runRemoteProbe({
      apiUrl: `http://127.0.0.1:${frontPort}`,
      token,
      regionId: 'north',
      bufferDir,
      log: {
        ...quiet,
        error: (fields: object, message: string) => void errors.push({ fields: fields as Record<string, unknown>, message }),
        warn: (fields: object, message: string) => void warnings.push(message),
      },
      trustedCa: [ca.certPem],
      flushEveryMs: 50,
      refreshEveryMs: 60_000,
      batchSize: 30,
    });
    try {
      await waitFor(() => probe.buffer().refusedOutright === 1 && probe.buffer().pending < 5, 10_000, 'the buffer to drain past the huge result');
      const stored = await test.handle.db.select({ id: tables.checkResults.id }).from(tables.checkResults).where(inArray(tables.checkResults.id, [...ordinary.map((r) => r.id), huge.id]));
      expect(new Set(stored.map((r) => r.id))).toEqual(new Set(ordinary.map((r) => r.id)));
      expect(errors).toEqual([{ fields: { id: huge.id, status: 413, refusedOutright: 1 }, message: expect.stringMatching(/too large; dropped it so the rest can go/) }]);
      // the first batch went compressed, was refused once, and everything after went plain
      expect(gzipRefused).toBe(1);
      expect(warnings).toContain('the API takes no gzip batches; sending them uncompressed');
    } finally {
      await probe.stop();
      await new Promise<void>((resolve) => front.close(() => resolve()));
    }
  }, 60_000);

  it('backs off exponentially while the API answers 503, logs the outage once, and a summary when it ends', async () => {
    // the API behind a front that answers 503 while "down", as a load balancer with no backend does
    let down = false;
    const attempts: number[] = [];
    const frontPort = await freePort();
    const front = await new Promise<ServerType>((resolve) => {
      const server = serve(
        {
          fetch: (request: Request) => {
            if (!down || !new URL(request.url).pathname.endsWith('/results')) return app.fetch(request);
            attempts.push(performance.now());
            return Response.json({ error: { code: 'UNAVAILABLE', message: 'no backend' } }, { status: 503 });
          },
          port: frontPort,
          hostname: '127.0.0.1',
        },
        () => resolve(server),
      );
    });
    const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
    const at = (level: string) => (fields: object, message: string) => void lines.push({ level, fields: fields as Record<string, unknown>, message });
    const probe = await runRemoteProbe({
      apiUrl: `http://127.0.0.1:${frontPort}`,
      token,
      regionId: 'north',
      bufferDir: mkdtempSync(join(tmpdir(), 'statusvakt-probe-')),
      log: { info: at('info'), warn: at('warn'), error: at('error') },
      trustedCa: [ca.certPem],
      flushEveryMs: 50,
      refreshEveryMs: 60_000,
      retry: { baseMs: 100, ceilingMs: 800 },
      random: () => 1, // the top of each jitter range: waits of 100, 200, 400, 800, 800 … ms
    });
    try {
      await waitFor(() => probe.buffer().pending === 0 && target.counts.connections > 0, 10_000, 'a first delivery');
      down = true;
      await sleep(3_500);
      const during = attempts.length;
      down = false;
      await waitFor(() => lines.some((l) => l.message.includes('takes results again')), 10_000, 'the recovery');

      // a fixed 50 ms pace would have made ~70 attempts
      expect(during).toBeGreaterThanOrEqual(5);
      expect(during).toBeLessThanOrEqual(9);
      const gaps = attempts.slice(1, during).map((t, i) => t - attempts[i]!);
      // each wait at least as long as the doubling asks (a busy machine only lengthens them), and none reaching the uncapped 1,600 ms
      const planned = [100, 200, 400, 800, 800, 800, 800, 800];
      gaps.forEach((gap, i) => expect(gap, `wait ${i + 1}`).toBeGreaterThanOrEqual(planned[i]! - 10));
      for (const gap of gaps) expect(gap).toBeLessThan(1_600);

      const outageLines = lines.filter((l) => l.message.includes('does not take results'));
      expect(outageLines).toHaveLength(1);
      expect(outageLines[0]!.fields).toMatchObject({ status: 503, error: 'no backend' });
      const recovery = lines.filter((l) => l.message.includes('takes results again'));
      expect(recovery).toHaveLength(1);
      expect(recovery[0]!.fields).toMatchObject({ failedAttempts: attempts.length, downForMs: expect.any(Number), lastError: { status: 503 } });
      expect(recovery[0]!.fields.downForMs as number).toBeGreaterThan(3_000);
      expect(lines.filter((l) => l.level !== 'info')).toHaveLength(1);
    } finally {
      await probe.stop();
      await new Promise<void>((resolve) => front.close(() => resolve()));
    }
  }, 60_000);
});
