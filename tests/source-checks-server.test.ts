import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spreadOffset } from '../probe/index.ts';
import { createTestCa, issueCertificate } from './support/certificates.ts';
import { startServer, type RunningServer } from './support/run-cli.ts';
import { startHttpsServer, type TestServer } from './support/servers.ts';

const SECRET = 'Q~server-test-secret-never-shown';

/** A component id whose check the scheduler starts within a few seconds (its spread offset is small), so the test need not wait an interval. */
function quickId(prefix: string, checkId: string, intervalSeconds: number): string {
  for (let i = 0; ; i++) if (spreadOffset(`${prefix}-${i}/${checkId}`) % (intervalSeconds * 1000) < 2_000) return `${prefix}-${i}`;
}

const FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>Status</title>
<item><guid>TRK-1</guid><title>Storage - West Europe - Investigating</title><description>Errors.</description><pubDate>${new Date().toUTCString()}</pubDate></item>
</channel></rss>`;

describe('source checks run by the server, credentials from its environment', () => {
  let upstream: TestServer;
  let server: RunningServer;
  const feedComponent = quickId('storage', 'feed', 30);
  const graphComponent = quickId('mail', 'graph', 300);

  beforeAll(async () => {
    const ca = await createTestCa();
    upstream = await startHttpsServer(await issueCertificate({ ca, ipAddresses: ['127.0.0.1'] }), (req, res) => {
      const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.url === '/feed.xml') return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(FEED);
      if (req.method === 'POST' && req.url === '/kommune.onmicrosoft.com/oauth2/v2.0/token') {
        let form = '';
        req.on('data', (chunk: Buffer) => (form += chunk.toString()));
        req.on('end', () => (new URLSearchParams(form).get('client_secret') === SECRET ? json(200, { token_type: 'Bearer', expires_in: 3599, access_token: 'token-1' }) : json(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' })));
        return;
      }
      if (req.headers.authorization !== 'Bearer token-1') return json(401, {});
      json(200, { value: [{ service: 'Exchange Online', id: 'Exchange', status: 'serviceInterruption', issues: [] }] });
    });
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-sources-'));
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
      - id: cloud
        name: { en: Cloud }
        components:
          - { id: ${feedComponent}, name: { en: Storage }, slaProfile: basic, checks: [{ kind: feed, url: "${upstream.url}feed.xml", match: [storage], intervalSeconds: 30 }] }
          - id: ${graphComponent}
            name: { en: Mail }
            slaProfile: basic
            checks: [{ kind: graph, tenantId: kommune.onmicrosoft.com, clientIdEnv: TEST_GRAPH_CLIENT_ID, clientSecretEnv: TEST_GRAPH_CLIENT_SECRET, service: Exchange Online, authorityUrl: "${upstream.url}", graphUrl: "${upstream.url}" }]
`,
    );
    server = await startServer(['start', '--config', join(dir, 'config.yaml')], {
      STATUSVAKT_DATA_DIR: join(dir, 'data'),
      STATUSVAKT_PROBE_CA_FILE: join(dir, 'ca.pem'),
      TEST_GRAPH_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
      TEST_GRAPH_CLIENT_SECRET: SECRET,
    });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await upstream?.close();
  });

  it('judges a component by its feed and one by Microsoft 365 service health, and never logs the secret', async () => {
    const states = async () => {
      const page = (await (await fetch(`${server.url}/api/v1/pages/status/status?days=1`)).json()) as { groups: { components: { id: string; state: string }[] }[] };
      return Object.fromEntries(page.groups[0]!.components.map((c) => [c.id, c.state]));
    };
    await expect.poll(states, { timeout: 30_000 }).toEqual({ [feedComponent]: 'degraded', [graphComponent]: 'down' });
    expect(server.output()).not.toContain(SECRET);
  }, 60_000);
});
