import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatuspageCheck } from '../config/index.ts';
import { runStatuspageCheck } from '../probe/index.ts';
import { createTestCa, issueCertificate, type TestCa } from './support/certificates.ts';
import { startHttpsServer, type TestServer } from './support/servers.ts';

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
});
