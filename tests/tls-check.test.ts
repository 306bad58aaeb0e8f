import { createServer } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, TlsCheck } from '../config/index.ts';
import { CheckResult, runTlsCheck } from '../probe/index.ts';
import { createTestCa, issueCertificate, type TestCa, type TestCert } from './support/certificates.ts';
import { startPlainHttpServer, startSilentServer, startTlsServer, type TestServer } from './support/servers.ts';
import { startSmtpPeer } from './support/smtp-peer.ts';

const target = { componentId: 'ldap', checkId: 'tls', regionId: 'local' };
const DAY_MS = 86_400_000;

/** A real SMTP server on 127.0.0.1 that offers STARTTLS with `cert`. */
async function startStarttlsServer(cert: TestCert) {
  const sessions: { secure: boolean }[] = [];
  const server = new SMTPServer({
    key: cert.keyPem,
    cert: cert.certPem,
    authOptional: true,
    logger: false,
    closeTimeout: 100,
    onConnect(session, callback) {
      sessions.push(session as unknown as { secure: boolean });
      callback();
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return { port, sessions, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('TLS checks against real local TLS and SMTP servers', () => {
  let ca: TestCa;
  const servers: { close: () => Promise<void> }[] = [];
  let good: TestServer;

  beforeAll(async () => {
    ca = await createTestCa();
    good = await startTlsServer(await issueCertificate({ ca, dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] }));
    servers.push(good);
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  const tls = (port: number, extra: Record<string, unknown> = {}, trusted = true) =>
    runTlsCheck(TlsCheck.parse({ kind: 'tls', host: '127.0.0.1', port, ...extra }), target, { trustedCa: trusted ? [ca.certPem] : undefined });

  it('completes the handshake with a good certificate: up, with the certificate and the time of each phase', async () => {
    const result = await tls(good.port, { host: 'localhost', ipFamily: 'ipv4' });
    expect(CheckResult.safeParse(result).error).toBeUndefined();
    expect(result).toMatchObject({ outcome: 'up', certificate: { chainVerified: true, subject: 'CN=localhost', subjectAltNames: ['DNS:localhost', 'IP Address:127.0.0.1'] } });
    expect(result.reason).toBeUndefined();
    expect(Object.keys(result.phasesMs!).sort()).toEqual(['connect', 'dns', 'tls']);
    expect(result.phasesMs!.tls).toBeGreaterThan(0);
    expect(Date.parse(result.certificate!.notAfter) - Date.now()).toBeGreaterThan(80 * DAY_MS);
  });

  it.each([
    { name: 'an expired certificate', issue: { validFromDays: -30, validToDays: -1, ipAddresses: ['127.0.0.1'] }, trusted: true, outcome: 'down', reason: 'tls_expired', says: /has expired \(CERT_HAS_EXPIRED\)/ },
    { name: 'a certificate for another host', issue: { dnsNames: ['ldap.other.example'] }, trusted: true, outcome: 'down', reason: 'tls_hostname', says: /for another host name/ },
    { name: 'a certificate no trusted CA issued', issue: { ipAddresses: ['127.0.0.1'] }, trusted: false, outcome: 'down', reason: 'tls_untrusted', says: /certificate/ },
    { name: 'a certificate expiring in 5 days', issue: { validToDays: 5, ipAddresses: ['127.0.0.1'] }, trusted: true, outcome: 'degraded', reason: 'cert_expiring', says: /^certificate expires in 5\.0 days$/ },
  ])('judges $name: $outcome ($reason), the certificate kept', async ({ issue, trusted, outcome, reason, says }) => {
    const server = await startTlsServer(await issueCertificate({ ca, ...issue }));
    servers.push(server);
    const result = await tls(server.port, {}, trusted);
    expect(result).toMatchObject({ outcome, reason });
    expect(result.message).toMatch(says);
    expect(result.certificate).toBeDefined();
    expect(CheckResult.safeParse(result).error).toBeUndefined();
  });

  it('checks the certificate against serverName when the host is an address', async () => {
    expect(await tls(good.port, { serverName: 'localhost' })).toMatchObject({ outcome: 'up' });
    expect(await tls(good.port, { serverName: 'ldap.kommune.dk' })).toMatchObject({ outcome: 'down', reason: 'tls_hostname' });
  });

  it('ends a server that takes the connection and never starts the handshake as timeout in the tls phase', async () => {
    const silent = await startSilentServer();
    servers.push(silent);
    const t0 = performance.now();
    const result = await tls(silent.port, { timeoutMs: 600 });
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(result).toMatchObject({ outcome: 'down', reason: 'timeout', message: 'no answer within 600 ms during the TLS handshake' });
    expect(result.phasesMs!.tls).toBeGreaterThanOrEqual(500);
  });

  it('tells a port that does not speak TLS, and a closed port', async () => {
    const plain = await startPlainHttpServer();
    servers.push(plain);
    expect(await tls(plain.port)).toMatchObject({ outcome: 'down', reason: 'tls_handshake', message: expect.stringContaining('does not speak TLS') });
    expect(await tls(1)).toMatchObject({ outcome: 'down', reason: 'connect_refused' });
  });

  describe('STARTTLS on SMTP', () => {
    it('speaks SMTP up to STARTTLS, then judges the handshake: up, with the SMTP dialogue timed apart', async () => {
      const smtp = await startStarttlsServer(await issueCertificate({ ca, ipAddresses: ['127.0.0.1'] }));
      servers.push(smtp);
      const result = await tls(smtp.port, { starttls: 'smtp' });
      expect(result).toMatchObject({ outcome: 'up', certificate: { chainVerified: true, subject: 'CN=127.0.0.1' } });
      expect(Object.keys(result.phasesMs!).sort()).toEqual(['connect', 'starttls', 'tls']);
      expect(result.phasesMs!.starttls).toBeGreaterThan(0);
      // the server upgraded the session it greeted
      await expect.poll(() => smtp.sessions.some((s) => s.secure), { timeout: 2000 }).toBe(true);
    });

    it('judges the certificate behind STARTTLS as any other: expired is tls_expired', async () => {
      const smtp = await startStarttlsServer(await issueCertificate({ ca, ipAddresses: ['127.0.0.1'], validFromDays: -30, validToDays: -2 }));
      servers.push(smtp);
      expect(await tls(smtp.port, { starttls: 'smtp' })).toMatchObject({ outcome: 'down', reason: 'tls_expired' });
    });

    it('says when the server does not offer STARTTLS', async () => {
      const peer = await startSmtpPeer(); // STARTTLS disabled
      servers.push(peer);
      const result = await tls(peer.port, { starttls: 'smtp' });
      expect(result).toMatchObject({ outcome: 'down', reason: 'tls_handshake' });
      expect(result.message).toMatch(/^the SMTP server does not offer STARTTLS \(it offers: .*PIPELINING.*\)$/);
      expect(result.certificate).toBeUndefined();
    });

    it.each([
      { name: 'greets with a refusal', says: '554 5.3.2 Service unavailable\r\n', reason: 'connect_refused', message: 'the SMTP server refused the session: 554 5.3.2 Service unavailable' },
      { name: 'refuses STARTTLS', says: '220 mx ESMTP\r\n', ehlo: '250-mx\r\n250 STARTTLS\r\n', starttls: '454 4.7.0 TLS not available due to local problem\r\n', reason: 'tls_handshake', message: 'the SMTP server refused STARTTLS: 454 4.7.0 TLS not available due to local problem' },
      { name: 'does not speak SMTP', says: 'HTTP/1.1 400 Bad Request\r\n\r\n', reason: 'tls_handshake', message: 'the server does not speak SMTP on this port' },
    ])('says when the server $name', async ({ says, ehlo, starttls, reason, message }) => {
      // a scripted peer on a real socket: greeting, then one answer per command
      const scripted = createServer((socket) => {
        socket.on('error', () => {});
        socket.write(says);
        socket.on('data', (line: Buffer) => socket.write(line.toString().startsWith('EHLO') ? (ehlo ?? '') : (starttls ?? '')));
      });
      await new Promise<void>((resolve) => scripted.listen(0, '127.0.0.1', () => resolve()));
      try {
        const result = await tls((scripted.address() as { port: number }).port, { starttls: 'smtp', timeoutMs: 3000 });
        expect(result).toMatchObject({ outcome: 'down', reason, message });
        expect(result.phasesMs!.starttls).toBeGreaterThanOrEqual(0);
      } finally {
        scripted.close();
      }
    });

    it('ends an SMTP port that takes the connection and never greets as timeout in the starttls phase', async () => {
      const silent = await startSilentServer();
      servers.push(silent);
      const result = await tls(silent.port, { starttls: 'smtp', timeoutMs: 600 });
      expect(result).toMatchObject({ outcome: 'down', reason: 'timeout', message: 'no answer within 600 ms in the SMTP dialogue before STARTTLS' });
      expect(result.phasesMs!.starttls).toBeGreaterThanOrEqual(500);
    });
  });

  it('refuses a config with an unknown STARTTLS protocol, a port out of range or a URL for a host, naming the path and the fix', () => {
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
              - { kind: tls, host: smtp.kommune.dk, port: 587, starttls: imap }
              - { kind: tls, host: ldap.kommune.dk, port: 70000 }
              - { kind: tcp, host: "https://print.kommune.dk", port: 9100 }
`);
    expect(!result.ok && result.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'pages.0.groups.0.components.0.checks.0.starttls: must be one of "smtp"',
      'pages.0.groups.0.components.0.checks.1.port: must be a port number from 1 to 65535',
      'pages.0.groups.0.components.0.checks.2.host: must be a host name or an IP address without scheme or port (e.g. "ldap.kommune.dk" or "10.0.0.5")',
    ]);
  });
});
