import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpsCheck } from '../config/index.ts';
import { runHttpsCheck, type CheckResult } from '../probe/index.ts';
import { createTestCa, issueCertificate, type TestCa } from './support/certificates.ts';
import { startHttpsServer, startPlainHttpServer, startResettingServer, startSilentServer, type TestServer } from './support/servers.ts';

const target = { componentId: 'sso', checkId: 'https', regionId: 'local' };

describe('HTTPS check against real local servers', () => {
  let ca: TestCa;
  const servers: Record<string, TestServer> = {};

  beforeAll(async () => {
    ca = await createTestCa();
    const good = await issueCertificate({ ca, ipAddresses: ['127.0.0.1'] });
    servers.good = await startHttpsServer(good, (req, res) => {
      if (req.url === '/error') res.writeHead(500).end('boom');
      else if (req.url === '/json') res.setHeader('content-type', 'application/json').end(JSON.stringify({ status: 'ok', db: { connections: 3 }, checks: [{ ok: true }] }));
      else if (req.url === '/echo') res.end(JSON.stringify(req.headers));
      else if (req.url?.startsWith('/hop/')) {
        const left = Number(req.url.slice(5));
        res.writeHead(302, { location: left > 0 ? `/hop/${left - 1}` : '/' }).end();
      } else if (req.url === '/to-http') res.writeHead(301, { location: 'http://127.0.0.1/' }).end();
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
    servers.plainHttp = await startPlainHttpServer();
    servers.big = await startHttpsServer(good, (_q, res) => res.end(`${'x'.repeat(2 * 1024 * 1024)}<!-- end -->`));
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
    { name: 'TCP accepted, TLS never answered', server: 'silent', outcome: 'down', reason: 'timeout' },
    { name: 'plain HTTP on the TLS port', server: 'plainHttp', outcome: 'down', reason: 'tls_handshake' },
    { name: 'connection reset by the peer', server: 'resetting', outcome: 'down', reason: 'reset' },
  ];

  it.each(failures)('$name → $outcome ($reason)', async ({ server, path, extra, outcome, reason }) => {
    const result = await check(`${servers[server]!.url}${path ?? ''}`, extra);
    expect(result.outcome).toBe(outcome);
    expect(result.reason).toBe(reason);
    expect(result.message).toEqual(expect.any(String));
  });

  it('sends the configured headers', async () => {
    const { phasesMs, ...result } = await check(`${servers.good!.url}echo`, { headers: { Accept: 'application/json', 'X-Probe': 'statusvakt' }, body: [{ contains: '"x-probe":"statusvakt"' }] });
    expect(result.outcome, result.message).toBe('up');
    expect(phasesMs).toBeDefined();
  });

  it.each([
    { assertion: { contains: '"status":"ok"' }, outcome: 'up' },
    { assertion: { contains: 'degraded' }, outcome: 'down', message: 'body does not contain "degraded"' },
    { assertion: { regex: '"connections":\\s*\\d+' }, outcome: 'up' },
    { assertion: { regex: '^<html' }, outcome: 'down', message: 'body does not match /^<html/' },
    { assertion: { jsonPath: '$.status', equals: 'ok' }, outcome: 'up' },
    { assertion: { jsonPath: '$.db.connections', equals: 3 }, outcome: 'up' },
    { assertion: { jsonPath: '$.checks[0].ok', equals: true }, outcome: 'up' },
    { assertion: { jsonPath: '$.status', equals: 'fine' }, outcome: 'down', message: '$.status is "ok", expected "fine"' },
    { assertion: { jsonPath: '$.missing', equals: 1 }, outcome: 'down', message: '$.missing is not in the body' },
  ])('body assertion $assertion → $outcome', async ({ assertion, outcome, message }) => {
    const result = await check(`${servers.good!.url}json`, { body: [assertion] });
    expect(result.outcome).toBe(outcome);
    if (outcome === 'down') expect(result).toMatchObject({ reason: 'body_mismatch', message, httpStatus: 200 });
  });

  it('judges a redirect itself unless told to follow it', async () => {
    const result = await check(`${servers.good!.url}hop/0`);
    expect(result).toMatchObject({ outcome: 'down', reason: 'http_status', httpStatus: 302 });
  });

  it('follows redirects over a fresh connection each, up to the limit', async () => {
    const before = servers.good!.counts.connections;
    expect((await check(`${servers.good!.url}hop/2`, { maxRedirects: 3 })).outcome).toBe('up');
    expect(servers.good!.counts.connections - before).toBe(4); // /hop/2 → /hop/1 → /hop/0 → /
    const tooMany = await check(`${servers.good!.url}hop/5`, { maxRedirects: 3 });
    expect(tooMany).toMatchObject({ outcome: 'down', reason: 'too_many_redirects' });
  });

  it('refuses a redirect from https to http', async () => {
    const result = await check(`${servers.good!.url}to-http`, { maxRedirects: 3 });
    expect(result).toMatchObject({ outcome: 'down', reason: 'insecure_redirect' });
  });

  it('connects over the configured address family', async () => {
    const v4only = await startHttpsServer(await issueCertificate({ ca, dnsNames: ['localhost'] }), (_q, res) => res.end('ok'));
    try {
      const url = `https://localhost:${v4only.port}/`;
      expect((await check(url, { ipFamily: 'ipv4' })).outcome).toBe('up');
      // over IPv6 the IPv4-only server is never reached: no AAAA record (dns) or nothing on ::1 (refused)
      const v6 = await check(url, { ipFamily: 'ipv6' });
      expect(v6.outcome).toBe('down');
      expect(['dns', 'connect_refused', 'network_unreachable']).toContain(v6.reason);
      expect(v4only.counts.connections).toBe(1);
    } finally {
      await v4only.close();
    }
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

  it.each([
    { name: 'a TCP tarpit during the TLS handshake', server: 'silent', path: '', phase: 'tls', says: /^no answer within 1000 ms during the TLS handshake$/ },
    { name: 'a server that never sends headers', server: 'good', path: 'hang', phase: 'firstByte', says: /^no answer within 1000 ms while waiting for the response$/ },
  ])('records where a timed-out check spent its time: $name', async ({ server, path, phase, says }) => {
    const result = await check(`${servers[server]!.url}${path}`);
    expect(result).toMatchObject({ outcome: 'down', reason: 'timeout' });
    expect(result.message).toMatch(says);
    const phases = result.phasesMs as Record<string, number>;
    // the phase it stalled in holds the time; the phases before it (a TLS handshake on a busy machine) may take a share
    expect(phases[phase]).toBe(Math.max(...Object.values(phases)));
    expect(phases[phase]).toBeGreaterThanOrEqual(600);
    const phaseSum = Object.values(phases).reduce((a, b) => a + b, 0);
    expect(phaseSum).toBeGreaterThanOrEqual(result.durationMs * 0.9);
  });

  it('speaks in words, not internal codes, OpenSSL strings or source paths', async () => {
    const closed = await startSilentServer();
    await closed.close();
    const messages = [
      (await check(servers.silent!.url)).message!,
      (await check(`${servers.good!.url}hang`)).message!,
      (await check(servers.plainHttp!.url)).message!,
      (await check(servers.resetting!.url)).message!,
      (await check(closed.url)).message!,
      (await check('https://statusvakt-test.invalid/')).message!,
    ];
    for (const message of messages) {
      expect(message).not.toMatch(/^\d+:|This operation was aborted|TypeError|fetch failed$|error:[0-9A-F]{8}|\.c:\d+|deps\/openssl|SSL routines/);
    }
    expect(messages[2]).toMatch(/not TLS|plain HTTP/);
    expect(messages[4]).toMatch(/connection refused/);
    expect(messages[5]).toMatch(/statusvakt-test\.invalid/);
  });

  it('reads bodies up to a configurable limit and names a truncation in the assertion failure', async () => {
    const assertion = { body: [{ contains: '<!-- end -->' }] };
    const cut = await check(servers.big!.url, assertion);
    expect(cut).toMatchObject({ outcome: 'down', reason: 'body_mismatch' });
    expect(cut.message).toBe('body does not contain "<!-- end -->" (only the first 1048576 bytes were read: the body is longer than maxBodyBytes)');
    const whole = await check(servers.big!.url, { ...assertion, maxBodyBytes: 4 * 1024 * 1024 });
    expect(whole.outcome, whole.message).toBe('up');
  });

  it('trusts a private CA in addition to the default trust store, not instead of it', async () => {
    // stands in for a public root: put into Node's default store, as the bundled roots are
    const publicCa = await createTestCa('Example Public Root');
    const publicSite = await startHttpsServer(await issueCertificate({ ca: publicCa, ipAddresses: ['127.0.0.1'] }), (_q, res) => res.end('ok'));
    const defaults = getCACertificates('default');
    setDefaultCACertificates([...defaults, publicCa.certPem]);
    try {
      const privateOnly = [ca.certPem]; // what STATUSVAKT_PROBE_CA_FILE gives: a fresh list
      const options = { trustedCa: privateOnly };
      const parse = (url: string) => HttpsCheck.parse({ kind: 'https', url, timeoutMs: 1000 });
      const viaPublic = await runHttpsCheck(parse(publicSite.url), target, options);
      expect(viaPublic.outcome, viaPublic.message).toBe('up');
      const viaPrivate = await runHttpsCheck(parse(servers.good!.url), target, options);
      expect(viaPrivate.outcome, viaPrivate.message).toBe('up');
      expect((await runHttpsCheck(parse(servers.selfSigned!.url), target, options)).reason).toBe('tls_untrusted');
    } finally {
      setDefaultCACertificates(defaults);
      await publicSite.close();
    }
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
