import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsCheck, parseConfig } from '../config/index.ts';
import { CheckResult, runDnsCheck } from '../probe/index.ts';
import { startDnsServer } from './support/dns-server.ts';

const target = { componentId: 'mail', checkId: 'dns', regionId: 'local' };

describe('DNS checks against the system resolver and a real local DNS server', () => {
  let dns: Awaited<ReturnType<typeof startDnsServer>>;
  beforeAll(async () => {
    dns = await startDnsServer(
      [
        { type: 'A', name: 'intra.kommune.test', data: '10.1.2.3' },
        { type: 'A', name: 'intra.kommune.test', data: '10.1.2.4' },
        { type: 'AAAA', name: 'intra.kommune.test', data: '2001:db8::53' },
        { type: 'MX', name: 'kommune.test', data: { preference: 20, exchange: 'backup-mx.kommune.test' } },
        { type: 'MX', name: 'kommune.test', data: { preference: 10, exchange: 'mx.kommune.test' } },
        { type: 'TXT', name: 'kommune.test', data: ['v=spf1 include:spf.protection.outlook.com', ' -all'] },
        { type: 'CNAME', name: 'autodiscover.kommune.test', data: 'autodiscover.outlook.com' },
      ],
      { silentFor: ['slow.kommune.test'] },
    );
  });
  afterAll(async () => {
    await dns?.close();
  });

  const lookUp = (spec: Record<string, unknown>) => runDnsCheck(DnsCheck.parse({ kind: 'dns', ...spec }), target);

  it('resolves a name through the system resolver (/etc/hosts counts), with the lookup timed', async () => {
    const result = await lookUp({ name: 'localhost', expected: ['127.0.0.1'] });
    expect(CheckResult.safeParse(result).error).toBeUndefined();
    expect(result).toMatchObject({ outcome: 'up' });
    expect(result.phasesMs!.dns).toBe(result.durationMs);
    const wrong = await lookUp({ name: 'localhost', expected: ['10.9.9.9'] });
    expect(wrong).toMatchObject({ outcome: 'down', reason: 'dns', message: 'localhost A is "127.0.0.1"; expected "10.9.9.9" among the answers' });
    expect(await lookUp({ name: 'no-such-host.invalid' })).toMatchObject({ outcome: 'down', reason: 'dns' });
  });

  it.each([
    { recordType: 'A', expected: ['10.1.2.4'], name: 'intra.kommune.test' },
    { recordType: 'AAAA', expected: ['2001:db8::53'], name: 'intra.kommune.test' },
    { recordType: 'MX', expected: ['10 mx.kommune.test', 'backup-mx.kommune.test.'], name: 'kommune.test' },
    { recordType: 'TXT', expected: ['v=spf1 include:spf.protection.outlook.com -all'], name: 'kommune.test' },
    { recordType: 'CNAME', expected: ['AutoDiscover.Outlook.com.'], name: 'autodiscover.kommune.test' },
  ])('asks the configured server for $recordType records and finds the expected ones', async ({ recordType, expected, name }) => {
    const before = dns.questions.length;
    const result = await lookUp({ name, recordType, expected, server: dns.server });
    expect(result).toMatchObject({ outcome: 'up' });
    expect(dns.questions.slice(before)).toEqual([`${name} ${recordType}`]);
  });

  it('says what it found when an expected record is missing', async () => {
    const result = await lookUp({ name: 'kommune.test', recordType: 'MX', expected: ['mx.other.test'], server: dns.server });
    expect(result).toMatchObject({ outcome: 'down', reason: 'dns', message: 'kommune.test MX is "10 mx.kommune.test", "20 backup-mx.kommune.test"; expected "mx.other.test" among the answers' });
  });

  it('tells a name that does not exist from a name without the record type', async () => {
    expect(await lookUp({ name: 'gone.kommune.test', server: dns.server })).toMatchObject({ outcome: 'down', reason: 'dns', message: `gone.kommune.test does not exist (NXDOMAIN) from ${dns.server}` });
    expect(await lookUp({ name: 'kommune.test', recordType: 'CNAME', server: dns.server })).toMatchObject({ outcome: 'down', reason: 'dns', message: `kommune.test has no CNAME record from ${dns.server}` });
  });

  it('ends a lookup the server takes and never answers as timeout in the dns phase, within the check timeout', async () => {
    const t0 = performance.now();
    const result = await lookUp({ name: 'slow.kommune.test', server: dns.server, timeoutMs: 700 });
    const tookMs = performance.now() - t0;
    expect(dns.questions).toContain('slow.kommune.test A');
    expect(result).toMatchObject({ outcome: 'down', reason: 'timeout', message: 'no answer within 700 ms during the DNS lookup' });
    expect(result.phasesMs!.dns).toBeGreaterThanOrEqual(650);
    expect(tookMs).toBeLessThan(2000);
  });

  it('refuses a config with a resolver that is not an address and an unknown record type, naming the path and the fix', () => {
    const result = parseConfig(`organisations: [{ id: k, name: K }]
pages:
  - id: p
    organisation: k
    name: P
    groups:
      - id: g
        name: G
        components:
          - id: mail
            name: Mail
            checks:
              - { kind: dns, name: kommune.dk, server: dns.kommune.dk }
              - { kind: dns, name: kommune.dk, recordType: SRV }
`);
    expect(!result.ok && result.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'pages.0.groups.0.components.0.checks.0.server: must be a resolver\'s IP address, optionally with a port (e.g. "10.0.0.53", "10.0.0.53:5353" or "[2001:db8::53]:53")',
      'pages.0.groups.0.components.0.checks.1.recordType: must be one of "A", "AAAA", "MX", "TXT", "CNAME"',
    ]);
  });
});
