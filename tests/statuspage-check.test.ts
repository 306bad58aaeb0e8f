import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatuspageCheck } from '../config/index.ts';
import { CheckResult, runProbe, runStatuspageCheck } from '../probe/index.ts';
import { createTestCa, issueCertificate, type TestCa } from './support/certificates.ts';
import { startHttpsServer, startSilentServer, type TestServer } from './support/servers.ts';

const target = { componentId: 'm365-outlook', checkId: 'statuspage', regionId: 'local' };

/** A summary.json shaped as Statuspage publishes it (fields beyond those we read included). */
function summary(statuses: Record<string, string>) {
  return {
    page: { id: 'kctbh9vrtdwd', name: 'Example Cloud', url: 'https://status.example.com', time_zone: 'Etc/UTC', updated_at: '2026-11-21T11:58:02.000Z' },
    components: [
      { id: 'grp1', name: 'Productivity', status: 'operational', group: true, components: ['c1', 'c2', 'c3'], position: 1, showcase: false, created_at: '2020-01-01T00:00:00Z', updated_at: '2026-11-21T11:00:00Z', group_id: null, page_id: 'kctbh9vrtdwd', only_show_if_degraded: false, start_date: null, description: null },
      ...Object.entries(statuses).map(([name, status], i) => ({ id: `c${i + 1}`, name, status, group: false, group_id: 'grp1', position: i + 1, showcase: true, created_at: '2020-01-01T00:00:00Z', updated_at: '2026-11-21T11:00:00Z', page_id: 'kctbh9vrtdwd', only_show_if_degraded: false, start_date: null, description: null })),
    ],
    incidents: [],
    scheduled_maintenances: [],
    status: { indicator: 'minor', description: 'Minor Service Outage' },
  };
}

describe('third-party Statuspage checks against a local server', () => {
  let ca: TestCa;
  let server: TestServer;
  let payload: unknown = summary({});
  let status = 200;

  beforeAll(async () => {
    ca = await createTestCa();
    server = await startHttpsServer(await issueCertificate({ ca, ipAddresses: ['127.0.0.1'] }), (_q, res) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const check = (component: string) => runStatuspageCheck(StatuspageCheck.parse({ kind: 'statuspage', url: `${server.url}api/v2/summary.json`, component }), target, { trustedCa: [ca.certPem] });

  it.each([
    { upstream: 'operational', outcome: 'up', reason: undefined },
    { upstream: 'degraded_performance', outcome: 'degraded', reason: 'upstream_degraded' },
    { upstream: 'partial_outage', outcome: 'degraded', reason: 'upstream_partial_outage' },
    { upstream: 'major_outage', outcome: 'down', reason: 'upstream_outage' },
    { upstream: 'under_maintenance', outcome: 'down', reason: 'upstream_maintenance' },
  ])('maps $upstream → $outcome', async ({ upstream, outcome, reason }) => {
    payload = summary({ Outlook: upstream, Teams: 'operational' });
    status = 200;
    const result = await check('Outlook');
    expect(result.outcome).toBe(outcome);
    expect(result.reason).toBe(reason);
    expect(result.httpStatus).toBe(200);
  });

  it('hands on third-party text the API can store: no NUL byte, no lone surrogate', async () => {
    // written by hand: JSON.stringify would not produce a lone surrogate escape from a literal
    payload = '{"components":[{"id":"c1","name":"Out\\u0000look \\ud800","status":"major_outage"},{"id":"c2","name":"Teams\\u0000","status":"operational"}]}';
    status = 200;
    const raw = await check('c1');
    expect(CheckResult.safeParse(raw).success).toBe(false); // as read from upstream

    const received: CheckResult[] = [];
    const probe = runProbe({
      regionId: 'local',
      checks: [{ componentId: 'm365-outlook', checkId: 'statuspage', kind: 'statuspage', intervalSeconds: 1, spec: { kind: 'statuspage', url: `${server.url}api/v2/summary.json`, component: 'c1' } }],
      trustedCa: [ca.certPem],
      sink: async (result) => void received.push(result),
    });
    for (let waited = 0; received.length === 0 && waited < 5_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    await probe.stop();
    expect(received.length).toBeGreaterThan(0);
    expect(CheckResult.safeParse(received[0]).error).toBeUndefined();
    expect(received[0]).toMatchObject({ outcome: 'down', reason: 'upstream_outage', message: 'Outlook \ufffd: major_outage' });
  });

  it('finds the component by id or by name in any case', async () => {
    payload = summary({ Outlook: 'major_outage' });
    expect((await check('c1')).outcome).toBe('down');
    expect((await check('outlook')).outcome).toBe('down');
  });

  it('tells an unreadable or unreachable status page from an outage: unknown, with the reason', async () => {
    payload = summary({ Outlook: 'operational', Teams: 'operational' });
    const missing = await check('SharePoint');
    expect(missing).toMatchObject({ outcome: 'unknown', reason: 'upstream_unreadable' });
    expect(missing.message).toBe('no component "SharePoint" in the summary; it lists: Outlook, Teams');
    payload = '<html>maintenance</html>';
    expect(await check('Outlook')).toMatchObject({ outcome: 'unknown', reason: 'upstream_unreadable', message: 'the answer is not a Statuspage summary.json' });
    payload = summary({});
    status = 503;
    expect(await check('Outlook')).toMatchObject({ outcome: 'unknown', reason: 'upstream_unreadable', message: 'status page answered HTTP 503' });
    status = 200;
    const unreachable = await runStatuspageCheck(StatuspageCheck.parse({ kind: 'statuspage', url: 'https://127.0.0.1:1/api/v2/summary.json', component: 'Outlook' }), target);
    expect(unreachable).toMatchObject({ outcome: 'unknown', reason: 'connect_refused' });
  });

  it.each([
    { stall: 'the TLS handshake', phase: 'tls', text: 'during the TLS handshake' },
    { stall: 'the response headers', phase: 'firstByte', text: 'while waiting for the response' },
    { stall: 'the body', phase: 'transfer', text: 'while reading the body' },
  ] as const)('ends a status page that takes the connection and then stalls in $stall as timeout, with the phase', async ({ phase, text }) => {
    const peer =
      phase === 'tls'
        ? await startSilentServer()
        : await startHttpsServer(await issueCertificate({ ca, ipAddresses: ['127.0.0.1'] }), (_q, res) => {
            if (phase === 'transfer') res.writeHead(200, { 'content-type': 'application/json' }).write('{"components": [');
          });
    try {
      const t0 = performance.now();
      const result = await runStatuspageCheck(StatuspageCheck.parse({ kind: 'statuspage', url: `https://127.0.0.1:${peer.port}/api/v2/summary.json`, component: 'Outlook', timeoutMs: 800 }), target, { trustedCa: [ca.certPem] });
      expect(performance.now() - t0).toBeLessThan(3000);
      expect(result).toMatchObject({ outcome: 'unknown', reason: 'timeout', message: `status page not reachable: no answer within 800 ms ${text}` });
      expect(result.phasesMs?.[phase]).toBeGreaterThan(0);
      expect(result.durationMs).toBeGreaterThanOrEqual(750);
    } finally {
      await peer.close();
    }
  });
});
