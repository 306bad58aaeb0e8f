import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpsCheck } from '../config/index.ts';
import { runHttpsCheck, type CheckResult } from '../probe/index.ts';
import { createTestCa, issueCertificate, type TestCa } from './support/certificates.ts';
import { startHttpsServer, startResettingServer, startSilentServer, type TestServer } from './support/servers.ts';

const target = { componentId: 'sso', checkId: 'https', regionId: 'local' };

describe('HTTPS check against real local servers', () => {
  let ca: TestCa;
  const servers: Record<string, TestServer> = {};

  beforeAll(async () => {
    ca = await createTestCa();
    const good = await issueCertificate({ ca, ipAddresses: ['127.0.0.1'] });
    servers.good = await startHttpsServer(good, (req, res) => {
      if (req.url === '/error') res.writeHead(500).end('boom');
      else if (req.url === '/slow') setTimeout(() => res.end('late'), 300);
      else if (req.url === '/hang') return; // headers never come
      else res.end('ok');
    });
    servers.expired = await startHttpsServer(await issueCertificate({ ca, ipAddresses: ['127.0.0.1'], validFromDays: -30, validToDays: -1 }), (_q, s) => s.end());
    servers.notYetValid = await startHttpsServer(await issueCertificate({ ca, ipAddresses: ['127.0.0.1'], validFromDays: 2, validToDays: 90 }), (_q, s) => s.end());
    servers.expiringSoon = await startHttpsServer(await issueCertificate({ ca, ipAddresses: ['127.0.0.1'], validToDays: 5 }), (_q, s) => s.end());
    servers.wrongHost = await startHttpsServer(await issueCertificate({ ca, dnsNames: ['other.example.dk'] }), (_q, s) => s.end());
    servers.selfSigned = await startHttpsServer(await issueCertificate({ ipAddresses: ['127.0.0.1'] }), (_q, s) => s.end());
    servers.silent = await startSilentServer();
    servers.resetting = await startResettingServer();
    servers.counting = await startHttpsServer(good, (_q, s) => s.end('ok'));
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
  });

  const check = (url: string, extra: Record<string, unknown> = {}) =>
    runHttpsCheck(HttpsCheck.parse({ kind: 'https', url, timeoutMs: 1000, ...extra }), target, { trustedCa: [ca.certPem] });

  it('measures a good endpoint phase by phase and records the certificate', async () => {
    const result = await check(servers.good!.url);
    expect(result).toMatchObject({ outcome: 'up', httpStatus: 200, ...target });
    expect(result.reason).toBeUndefined();
    expect(result.phasesMs).toEqual({ connect: expect.any(Number), tls: expect.any(Number), firstByte: expect.any(Number), transfer: expect.any(Number) });
    const phaseSum = Object.values(result.phasesMs!).reduce((a, b) => a + b, 0);
    expect(phaseSum).toBeLessThanOrEqual(result.durationMs);
    expect(result.certificate).toMatchObject({ subject: 'CN=127.0.0.1', issuer: 'CN=Statusvakt Test CA', subjectAltNames: ['IP Address:127.0.0.1'], chainVerified: true });
    expect(result.certificate!.sha256Fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(Date.parse(result.certificate!.notAfter)).toBeGreaterThan(Date.now() + 80 * 86_400_000);
  });

  const failures: { name: string; server: string; path?: string; extra?: Record<string, unknown>; outcome: CheckResult['outcome']; reason: string }[] = [
    { name: 'expired certificate', server: 'expired', outcome: 'down', reason: 'tls_expired' },
    { name: 'certificate not yet valid', server: 'notYetValid', outcome: 'down', reason: 'tls_not_yet_valid' },
    { name: 'certificate for another host', server: 'wrongHost', outcome: 'down', reason: 'tls_hostname' },
    { name: 'self-signed certificate', server: 'selfSigned', outcome: 'down', reason: 'tls_untrusted' },
    { name: 'certificate expiring within the threshold', server: 'expiringSoon', outcome: 'degraded', reason: 'cert_expiring' },
    { name: 'HTTP 500', server: 'good', path: 'error', outcome: 'down', reason: 'http_status' },
    { name: 'slower than the latency target', server: 'good', path: 'slow', extra: { degradedAfterMs: 200 }, outcome: 'degraded', reason: 'too_slow' },
    { name: 'headers never come', server: 'good', path: 'hang', outcome: 'down', reason: 'timeout' },
    { name: 'TCP accepted, TLS never answered', server: 'silent', outcome: 'down', reason: 'tls_handshake' },
    { name: 'connection reset by the peer', server: 'resetting', outcome: 'down', reason: 'reset' },
  ];

  it.each(failures)('$name → $outcome ($reason)', async ({ server, path, extra, outcome, reason }) => {
    const result = await check(`${servers[server]!.url}${path ?? ''}`, extra);
    expect(result.outcome).toBe(outcome);
    expect(result.reason).toBe(reason);
    expect(result.message).toEqual(expect.any(String));
  });

  it('keeps the bad certificate it saw, with the reason it failed', async () => {
    const result = await check(servers.expired!.url);
    expect(result.certificate).toMatchObject({ chainVerified: false, verifyError: 'CERT_HAS_EXPIRED' });
  });

  it('stays within the latency target when the answer is fast enough', async () => {
    const result = await check(`${servers.good!.url}slow`, { degradedAfterMs: 5000 });
    expect(result.outcome).toBe('up');
  });

  it('times out a hanging handshake at the configured timeout, not later', async () => {
    const result = await check(servers.silent!.url, { timeoutMs: 300 });
    expect(result.durationMs).toBeGreaterThanOrEqual(290);
    expect(result.durationMs).toBeLessThan(1000);
  });

  it('reports refused connections and failed name lookups', async () => {
    const closed = await startSilentServer();
    await closed.close(); // its port is now free: nothing listens there
    expect((await check(closed.url)).reason).toBe('connect_refused');
    expect((await check('https://statusvakt-test.invalid/')).reason).toBe('dns');
  });

  it('opens a fresh connection with a full handshake for every check', async () => {
    const server = servers.counting!;
    for (let i = 0; i < 3; i++) expect((await check(server.url)).outcome).toBe('up');
    expect(server.counts).toEqual({ connections: 3, resumedSessions: 0 });
  });
});
