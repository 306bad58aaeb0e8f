import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpCheck } from '../config/index.ts';
import { CheckResult, runProbe, runTcpCheck } from '../probe/index.ts';
import { startDnsServer } from './support/dns-server.ts';
import { startTcpListener, type TestServer } from './support/servers.ts';

const target = { componentId: 'print', checkId: 'tcp', regionId: 'local' };

describe('TCP checks against a real local listener', () => {
  let listener: TestServer;
  beforeAll(async () => {
    listener = await startTcpListener();
  });
  afterAll(async () => {
    await listener?.close();
  });

  const tcp = (spec: Record<string, unknown>) => runTcpCheck(TcpCheck.parse({ kind: 'tcp', host: '127.0.0.1', ...spec }), target);

  it('connects to a listening port: up, timed as connect (and dns for a name)', async () => {
    const before = listener.counts.connections;
    const byAddress = await tcp({ port: listener.port });
    expect(CheckResult.safeParse(byAddress).error).toBeUndefined();
    expect(byAddress).toMatchObject({ outcome: 'up' });
    expect(Object.keys(byAddress.phasesMs!)).toEqual(['connect']);
    const byName = await tcp({ host: 'localhost', ipFamily: 'ipv4', port: listener.port });
    expect(byName).toMatchObject({ outcome: 'up' });
    expect(Object.keys(byName.phasesMs!).sort()).toEqual(['connect', 'dns']);
    expect(listener.counts.connections - before).toBe(2);
  });

  it('tells a closed port and a name that does not resolve apart', async () => {
    const closed = await startTcpListener();
    const port = closed.port;
    await closed.close();
    expect(await tcp({ port })).toMatchObject({ outcome: 'down', reason: 'connect_refused', message: `connection refused by 127.0.0.1:${port}: nothing listens there` });
    const unknown = await tcp({ host: 'no-such-host.invalid', port: 9100 });
    expect(unknown).toMatchObject({ outcome: 'down', reason: 'dns' });
    expect(unknown.phasesMs!.dns).toBeGreaterThanOrEqual(0);
    expect(unknown.phasesMs!.connect).toBeUndefined();
  });

  it('runs tcp and dns checks from a region assignment, as a probe does', async () => {
    const dns = await startDnsServer([{ type: 'A', name: 'print.kommune.test', data: '127.0.0.1' }]);
    const received: CheckResult[] = [];
    const probe = runProbe({
      regionId: 'local',
      checks: [
        { componentId: 'print', checkId: 'tcp', kind: 'tcp', intervalSeconds: 1, spec: { kind: 'tcp', host: '127.0.0.1', port: listener.port } },
        { componentId: 'print', checkId: 'dns', kind: 'dns', intervalSeconds: 1, spec: { kind: 'dns', name: 'print.kommune.test', server: dns.server, expected: ['127.0.0.1'] } },
      ],
      sink: async (result) => void received.push(result),
    });
    try {
      await expect.poll(() => new Set(received.map((r) => r.checkId)).size, { timeout: 5000 }).toBe(2);
    } finally {
      await probe.stop();
      await dns.close();
    }
    expect(received.find((r) => r.checkId === 'tcp')).toMatchObject({ outcome: 'up', regionId: 'local', componentId: 'print' });
    expect(received.find((r) => r.checkId === 'dns')).toMatchObject({ outcome: 'up', phasesMs: { dns: expect.any(Number) } });
  });
});
