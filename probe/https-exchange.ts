import { lookup } from 'node:dns/promises';
import { isIP, type Socket, connect as tcpConnect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Client } from 'undici';
import { settled, withDeadline } from './socket-steps.ts';
import { describeCertificate, startTls } from './tls-session.ts';
import { classifyError, classifyVerifyError, describeVerifyError, type Phase } from './classify-error.ts';
import type { CertificateInfo, FailureReason, PhasesMs } from './contract.ts';

export type ExchangeRequest = {
  url: URL;
  method: string;
  headers: Record<string, string>;
  ipFamily: 'auto' | 'ipv4' | 'ipv6';
  trustedCa: string[] | undefined;
  signal: AbortSignal;
  maxBodyBytes: number;
  /** A request body (a form or JSON), sent as is. */
  body?: string;
};

export type Exchange =
  | { ok: true; status: number; location: string | undefined; headers: Record<string, string | string[] | undefined>; body: Buffer; truncated: boolean; phases: PhasesMs; certificate: CertificateInfo }
  | { ok: false; reason: FailureReason; message: string; phase: Phase; phases: PhasesMs; certificate: CertificateInfo | undefined };

const FAMILY = { auto: 0, ipv4: 4, ipv6: 6 } as const;

/**
 * One HTTP request over a fresh TCP connection and a full TLS handshake (no
 * pooling, no session resumption), timed phase by phase. A failure records the
 * time spent in the phase it failed in, so a server that holds the connection
 * open shows where the time went. Never throws.
 */
export async function exchangeOnce(request: ExchangeRequest): Promise<Exchange> {
  const phases: PhasesMs = {};
  let phase: Phase = 'dns';
  let phaseStart = performance.now();
  /** Closes the current phase's clock and starts the next one's. */
  const enter = (next: Phase) => {
    phases[phase] = performance.now() - phaseStart;
    phase = next;
    phaseStart = performance.now();
  };
  let certificate: CertificateInfo | undefined;
  let socket: Socket | undefined;
  let client: Client | undefined;
  const host = request.url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(request.url.port || 443);
  try {
    let address = host;
    if (isIP(host) === 0) {
      address = (await withDeadline(lookup(host, { family: FAMILY[request.ipFamily], verbatim: true }), request.signal)).address;
      enter('connect');
    } else {
      phase = 'connect'; // no lookup, no DNS time
    }

    const tcp = tcpConnect({ host: address, port });
    socket = tcp;
    await withDeadline(settled(tcp, 'connect'), request.signal, () => tcp.destroy());
    enter('tls');

    const tlsSocket = startTls(tcp, { host, ca: request.trustedCa, alpn: ['http/1.1'] });
    socket = tlsSocket;
    await withDeadline(settled(tlsSocket, 'secureConnect'), request.signal, () => tlsSocket.destroy());
    enter('firstByte');

    // Node verified the chain and the host name during the handshake; with
    // rejectUnauthorized off it reports instead of aborting, so we keep the certificate
    const verifyError = tlsSocket.authorizationError ? String(tlsSocket.authorizationError) : undefined;
    certificate = describeCertificate(tlsSocket.getPeerCertificate(false), verifyError);
    if (verifyError) return { ok: false, reason: classifyVerifyError(verifyError), message: describeVerifyError(verifyError), phase: 'tls', phases, certificate };

    client = new Client(request.url.origin, {
      // hand undici the socket we opened and timed ourselves; one request, then it is closed.
      // The callback must come on a later tick: undici's connect path is not re-entrant.
      connect: (_opts, callback) => setImmediate(() => callback(null, tlsSocket)),
    });
    const response = await client.request({
      path: `${request.url.pathname}${request.url.search}`,
      method: request.method as 'GET',
      headers: { 'user-agent': 'Statusvakt-probe/1', ...request.headers, connection: 'close', host: request.url.host },
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: request.signal,
    });
    enter('transfer');

    const { body, truncated } = await readLimited(response.body, request.maxBodyBytes);
    phases.transfer = performance.now() - phaseStart;
    const location = response.headers.location;
    return { ok: true, status: response.statusCode, location: Array.isArray(location) ? location[0] : location, headers: response.headers, body, truncated, phases, certificate };
  } catch (error) {
    phases[phase] = performance.now() - phaseStart; // the phase it failed in, until it failed
    const { reason, message } = classifyError(error, { phase, timedOut: request.signal.aborted, host, port });
    return { ok: false, reason, message, phase, phases, certificate };
  } finally {
    await client?.destroy().catch(() => {});
    socket?.destroy();
  }
}

/** The body's first `maxBytes` bytes, and whether there was more. */
async function readLimited(body: AsyncIterable<Buffer>, maxBytes: number): Promise<{ body: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size + chunk.length > maxBytes) {
      chunks.push(chunk.subarray(0, maxBytes - size));
      return { body: Buffer.concat(chunks), truncated: true };
    }
    size += chunk.length;
    chunks.push(chunk);
  }
  return { body: Buffer.concat(chunks), truncated: false };
}
