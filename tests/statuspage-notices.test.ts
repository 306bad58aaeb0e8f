import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatuspageCheck } from '../config/index.ts';
import { CheckResult, runStatuspageCheck, sanitiseResult } from '../probe/index.ts';
import { createTestCa, issueCertificate, type TestCa } from './support/certificates.ts';
import { startHttpsServer, type TestServer } from './support/servers.ts';

const target = { componentId: 'm365-outlook', checkId: 'statuspage', regionId: 'local' };

const component = (id: string, name: string, status = 'operational') => ({ id, name, status, group: false, page_id: 'pg1', position: 1, showcase: true, created_at: '2020-01-01T00:00:00Z', updated_at: '2026-11-21T11:00:00Z' });

/** An incident or maintenance as summary.json lists them: full component objects, newest update first. */
function event(args: { id: string; name: string; impact: string; status: string; components: ReturnType<typeof component>[]; updates: string[]; extra?: Record<string, unknown> }) {
  return {
    id: args.id,
    name: args.name,
    status: args.status,
    impact: args.impact,
    page_id: 'pg1',
    created_at: '2026-11-21T09:58:00.000Z',
    started_at: '2026-11-21T10:00:00.000Z',
    updated_at: '2026-11-21T11:30:00.000Z',
    monitoring_at: null,
    resolved_at: null,
    shortlink: `https://stspg.io/${args.id}`,
    components: args.components,
    incident_updates: args.updates.map((body, i) => ({ id: `${args.id}-u${i}`, status: args.status, body, incident_id: args.id, created_at: '2026-11-21T11:30:00.000Z', display_at: '2026-11-21T11:30:00.000Z', affected_components: null })),
    ...args.extra,
  };
}

const outlook = component('c1', 'Outlook', 'degraded_performance');
const teams = component('c2', 'Teams');

const SUMMARY = {
  page: { id: 'pg1', name: 'Example Cloud', url: 'https://status.example.com', time_zone: 'Etc/UTC', updated_at: '2026-11-21T11:58:02.000Z' },
  components: [outlook, teams],
  incidents: [
    event({ id: 'inc-mail', name: 'Delayed mail <b>delivery</b>', impact: 'minor', status: 'identified', components: [outlook], updates: ['<p>We have found the cause &amp; are <i>rolling out</i> a fix.</p>', 'We are investigating.'] }),
    event({ id: 'inc-teams', name: 'Teams calls drop', impact: 'critical', status: 'investigating', components: [teams], updates: ['Investigating.'] }),
    event({ id: 'inc-all', name: 'Sign-in failures', impact: 'major', status: 'investigating', components: [], updates: ['Some users cannot sign in.'], extra: { shortlink: null } }),
  ],
  scheduled_maintenances: [
    event({
      id: 'mnt-1',
      name: 'Mailbox database upgrade',
      impact: 'maintenance',
      status: 'scheduled',
      components: [outlook],
      updates: ['Planned upgrade.'],
      extra: { started_at: null, scheduled_for: '2026-11-28T22:00:00.000Z', scheduled_until: '2026-11-29T02:00:00.000Z' },
    }),
    event({ id: 'mnt-2', name: 'Teams media relays', impact: 'maintenance', status: 'in_progress', components: [teams], updates: ['In progress.'] }),
  ],
  status: { indicator: 'major', description: 'Partial System Outage' },
};

describe('notices from a Statuspage summary.json, read from a local server', () => {
  let ca: TestCa;
  let server: TestServer;
  let payload: unknown = SUMMARY;

  beforeAll(async () => {
    ca = await createTestCa();
    server = await startHttpsServer(await issueCertificate({ ca, ipAddresses: ['127.0.0.1'] }), (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const check = (name: string) => runStatuspageCheck(StatuspageCheck.parse({ kind: 'statuspage', url: `${server.url}api/v2/summary.json`, component: name }), target, { trustedCa: [ca.certPem] });

  it("lists the component's unresolved incidents and planned maintenances, and those that name no component, in one request", async () => {
    payload = SUMMARY;
    const before = server.counts.connections;
    const result = await check('Outlook');
    expect(server.counts.connections - before).toBe(1);
    expect(result).toMatchObject({ outcome: 'degraded', reason: 'upstream_degraded' });
    expect(result.notices).toEqual([
      {
        externalId: 'inc-mail',
        kind: 'incident',
        impact: 'degraded',
        title: 'Delayed mail delivery',
        body: 'We have found the cause & are rolling out a fix.',
        url: 'https://stspg.io/inc-mail',
        startsAt: '2026-11-21T10:00:00.000Z',
        updatedAt: '2026-11-21T11:30:00.000Z',
      },
      {
        externalId: 'inc-all',
        kind: 'incident',
        impact: 'down',
        title: 'Sign-in failures',
        body: 'Some users cannot sign in.',
        url: 'https://status.example.com/incidents/inc-all',
        startsAt: '2026-11-21T10:00:00.000Z',
        updatedAt: '2026-11-21T11:30:00.000Z',
      },
      {
        externalId: 'mnt-1',
        kind: 'maintenance',
        impact: 'maintenance',
        title: 'Mailbox database upgrade',
        body: 'Planned upgrade.',
        url: 'https://stspg.io/mnt-1',
        startsAt: '2026-11-28T22:00:00.000Z',
        endsAt: '2026-11-29T02:00:00.000Z',
        updatedAt: '2026-11-21T11:30:00.000Z',
      },
    ]);
    expect(CheckResult.safeParse(sanitiseResult(result)).error).toBeUndefined();
  });

  it('maps an incident impact of none, minor and critical; matches the component by id as well', async () => {
    const impacts = ['none', 'minor', 'critical'];
    payload = { ...SUMMARY, incidents: impacts.map((impact) => event({ id: `i-${impact}`, name: impact, impact, status: 'monitoring', components: [outlook], updates: [] })), scheduled_maintenances: [] };
    const result = await check('c1');
    expect(result.notices?.map((n) => [n.externalId, n.impact, n.body])).toEqual([
      ['i-none', 'none', undefined],
      ['i-minor', 'degraded', undefined],
      ['i-critical', 'down', undefined],
    ]);
  });

  it('says that nothing is reported with an empty list, also when the summary has no incident arrays at all', async () => {
    payload = { ...SUMMARY, incidents: [], scheduled_maintenances: [] };
    expect((await check('Teams')).notices).toEqual([]);
    payload = { components: [outlook, teams] };
    const bare = await check('Teams');
    expect(bare).toMatchObject({ outcome: 'up', notices: [] });
  });

  it('skips an incident of an odd shape but keeps the rest and the status', async () => {
    payload = { ...SUMMARY, incidents: [{ id: 42, name: null }, ...SUMMARY.incidents] };
    const result = await check('Outlook');
    expect(result.outcome).toBe('degraded');
    expect(result.notices?.map((n) => n.externalId)).toEqual(['inc-mail', 'inc-all', 'mnt-1']);
  });
});
