import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, issueCertificate } from './support/certificates.ts';
import { startServer, type RunningServer } from './support/run-cli.ts';
import { startHttpsServer, type TestServer } from './support/servers.ts';

describe('the in-process probe on its own thread', () => {
  let target: TestServer;
  let server: RunningServer;

  beforeAll(async () => {
    const ca = await createTestCa();
    target = await startHttpsServer(await issueCertificate({ ca, ipAddresses: ['127.0.0.1'] }), (_q, res) => res.end('ok'));
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-probe-thread-'));
    writeFileSync(join(dir, 'ca.pem'), ca.certPem);
    writeFileSync(
      join(dir, 'config.yaml'),
      `organisations: [{ id: kommune, name: Kommune }]
slaProfiles: [{ id: basic, name: Basic, availabilityTargetPercent: 99.9 }]
pages:
  - id: status
    organisation: kommune
    name: { en: Status }
    languages: [en]
    defaultLanguage: en
    groups:
      - id: core
        name: { en: Core }
        components:
          - { id: web, name: { en: Website }, slaProfile: basic, checks: [{ kind: https, url: "${target.url}", intervalSeconds: 1 }] }
`,
    );
    server = await startServer(['start', '--config', join(dir, 'config.yaml')], { STATUSVAKT_DATA_DIR: join(dir, 'data'), STATUSVAKT_PROBE_CA_FILE: join(dir, 'ca.pem') });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await target?.close();
  });

  it('stores its results through the main thread while pages are served, and reports its start lag when stopped', async () => {
    const state = async () => ((await (await fetch(`${server.url}/api/v1/pages/status/status?days=1`)).json()) as { groups: { components: { state: string }[] }[] }).groups[0]!.components[0]!.state;
    await expect.poll(state, { timeout: 20_000 }).toBe('up');
    // views while checks run every second: none of them is in the probe's way
    for (let i = 0; i < 200; i++) expect((await fetch(`${server.url}/pages/status/?n=${i}`)).status).toBe(200);
    expect(await server.stop()).toBe(0);
    const line = server.output().split('\n').find((l) => l.includes('"probeStartLag"'));
    expect(line).toBeDefined();
    const { probeStartLag } = JSON.parse(line!) as { probeStartLag: { runs: number; p99Ms: number } };
    expect(probeStartLag.runs).toBeGreaterThan(0);
    expect(probeStartLag.p99Ms).toBeLessThan(100);
  }, 60_000);
});
