import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, issueCertificate } from './support/certificates.ts';
import { createPostgresDatabase, postgresAdminUrl } from './support/databases.ts';
import { ROOT, runCli, startServer, type RunningServer } from './support/run-cli.ts';
import { startHttpsServer, type TestServer } from './support/servers.ts';

const title = postgresAdminUrl
  ? 'the compose.yaml processes, run directly: serve on PostgreSQL and probes in three regions'
  : 'the compose.yaml processes (skipped: set TEST_DATABASE_URL to a PostgreSQL server)';

describe.skipIf(!postgresAdminUrl)(title, () => {
  let target: TestServer;
  let server: RunningServer;
  let database: { url: string; drop: () => Promise<void> };
  const probes: ReturnType<typeof spawn>[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'statusvakt-compose-'));

  beforeAll(async () => {
    const ca = await createTestCa();
    writeFileSync(join(dir, 'ca.pem'), ca.certPem);
    target = await startHttpsServer(await issueCertificate({ ca, ipAddresses: ['127.0.0.1'] }), (_q, res) => res.end('ok'));
    writeFileSync(
      join(dir, 'config.yaml'),
      `regions: [{ id: north }, { id: south }, { id: west }]
organisations: [{ id: k, name: Kommune }]
pages:
  - id: status
    organisation: k
    name: Status
    groups:
      - id: g
        name: Services
        components:
          - { id: login, name: Login, checks: [{ kind: https, url: "${target.url}", intervalSeconds: 1 }] }
`,
    );
    database = await createPostgresDatabase();
    server = await startServer(['serve', '--config', join(dir, 'config.yaml')], { DATABASE_URL: database.url });
  }, 60_000);

  afterAll(async () => {
    for (const probe of probes) if (probe.exitCode === null) probe.kill('SIGKILL');
    await server?.stop();
    await target?.close();
    await database?.drop();
  });

  it('measures from all three regions and shows the component up by quorum', async () => {
    for (const region of ['north', 'south', 'west']) {
      const created = await runCli(['probe-token', 'create', '--region', region, '--label', `probe ${region}`], { DATABASE_URL: database.url });
      expect(created.code, created.stderr).toBe(0);
      const token = created.stdout.trim();
      expect(token).toMatch(/^svp_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      probes.push(
        spawn(process.execPath, ['bin/statusvakt.js', 'probe', '--region', region, '--api', server.url, '--buffer-dir', join(dir, region)], {
          cwd: ROOT,
          env: { ...process.env, STATUSVAKT_PROBE_TOKEN: token, STATUSVAKT_PROBE_CA_FILE: join(dir, 'ca.pem'), LOG_LEVEL: 'warn' },
          stdio: 'ignore',
        }),
      );
    }
    let component: { state: string; regions: { regionId: string; outcome: string }[] } | undefined;
    for (let i = 0; i < 150 && !(component?.state === 'up' && component.regions.length === 3); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const body = (await (await fetch(`${server.url}/api/v1/pages/status/status`)).json()) as { groups: { components: (typeof component)[] }[] };
      component = body.groups[0]!.components[0];
    }
    expect(component?.state).toBe('up');
    expect(component!.regions.map((r) => `${r.regionId}:${r.outcome}`).sort()).toEqual(['north:up', 'south:up', 'west:up']);

    const listed = await runCli(['probe-token', 'list'], { DATABASE_URL: database.url });
    expect(listed.stdout.split('\n').filter((line) => / (north|south|west) +probe \w+ .*active, last used 20/.test(line))).toHaveLength(3);

    const exits = probes.map((probe) => new Promise((resolve) => probe.once('exit', resolve)));
    for (const probe of probes) probe.kill('SIGTERM');
    expect(await Promise.all(exits)).toEqual([0, 0, 0]);
  }, 60_000);
});
