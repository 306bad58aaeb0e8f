import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetch as undiciFetch } from 'undici';
import { sendWebhook } from '../alerts/channels/webhook.ts';
import { pinnedAgent } from '../alerts/channels/pinned-agent.ts';
import { createTestCa, issueCertificate, type TestCa } from './support/certificates.ts';
import { startHttpsServer, type TestServer } from './support/servers.ts';

/**
 * DNS rebinding: a partner's name that resolved to a public address when it
 * was checked must not be called at an internal one. A real HTTPS receiver
 * on the loopback stands for the internal system.
 */
describe('webhook calls go to the address that was checked', () => {
  let ca: TestCa;
  let internal: TestServer;
  const received: { host: string | undefined; body: string }[] = [];

  beforeAll(async () => {
    ca = await createTestCa();
    const cert = await issueCertificate({ ca, dnsNames: ['localhost', 'hooks.statusvakt.invalid'] });
    internal = await startHttpsServer(cert, (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ host: req.headers.host, body });
        res.writeHead(200).end('ok');
      });
    });
  });
  afterAll(async () => {
    await internal?.close();
  });

  const delivery = () => ({ url: `https://localhost:${internal.port}/hook`, secret: 'partner-secret', deliveryId: crypto.randomUUID(), body: '{"meta":{}}', at: new Date() });

  it('connects to the public address the name had when checked, never to where the system resolver now points it', async () => {
    const before = internal.counts.connections;
    // checked: the name is public (a documentation address that answers nothing); the system resolver says 127.0.0.1
    const outcome = await sendWebhook(delivery(), { allowInternal: false, timeoutMs: 1_500, resolve: async () => ['203.0.113.10'], ca: [ca.certPem] });
    expect(outcome).toMatchObject({ ok: false, permanent: false }); // tried again later, at whatever the name then resolves to
    expect(internal.counts.connections - before).toBe(0);
    expect(received).toHaveLength(0);
  });

  it('refuses for good, with the reason, when the name now resolves inside', async () => {
    const before = internal.counts.connections;
    const outcome = await sendWebhook(delivery(), { allowInternal: false, resolve: async () => ['93.184.216.34', '127.0.0.1'] });
    expect(outcome).toEqual({ ok: false, permanent: true, recipientRejected: true, reason: 'refused: localhost resolves to an internal address (127.0.0.1); Statusvakt only calls public addresses' });
    expect(internal.counts.connections - before).toBe(0);
  });

  it('the pinned connection carries the name in TLS and the Host header', async () => {
    // a name no resolver knows: only the pinned address can reach the receiver
    const agent = pinnedAgent('127.0.0.1', { ca: [ca.certPem] });
    try {
      const response = await undiciFetch(`https://hooks.statusvakt.invalid:${internal.port}/hook`, { method: 'POST', body: '{"ping":1}', dispatcher: agent });
      expect(response.status).toBe(200);
      await response.text();
    } finally {
      await agent.close();
    }
    expect(received).toEqual([{ host: `hooks.statusvakt.invalid:${internal.port}`, body: '{"ping":1}' }]);
    // and a certificate for another name is refused even at the pinned address
    const wrong = pinnedAgent('127.0.0.1', { ca: [ca.certPem] });
    try {
      await expect(undiciFetch(`https://other.statusvakt.invalid:${internal.port}/hook`, { method: 'POST', body: '{}', dispatcher: wrong })).rejects.toThrow();
    } finally {
      await wrong.close();
    }
  });
});
