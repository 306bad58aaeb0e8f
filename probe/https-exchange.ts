import { lookup } from 'node:dns/promises';
import { isIP, type Socket, connect as tcpConnect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect, createSecureContext, type PeerCertificate, type SecureContext, type TLSSocket } from 'node:tls';
import { Client } from 'undici';
import { classifyError, classifyVerifyError, type Phase } from './classify-error.ts';
import type { CertificateInfo, FailureReason, PhasesMs } from './contract.ts';

export type ExchangeRequest = {
  url: URL;
  method: string;
  headers: Record<string, string>;
  ipFamily: 'auto' | 'ipv4' | 'ipv6';
  trustedCa: string[] | undefined;
  signal: AbortSignal;
  maxBodyBytes: number;
};

export type Exchange =
  | { ok: true; status: number; location: string | undefined; body: Buffer; phases: PhasesMs; certificate: CertificateInfo }
  | { ok: false; reason: FailureReason; message: string; phases: PhasesMs; certificate: CertificateInfo | undefined };

const FAMILY = { auto: 0, ipv4: 4, ipv6: 6 } as const;

/**
 * One HTTP request over a fresh TCP connection and a full TLS handshake (no
 * pooling, no session resumption), timed phase by phase. Never throws.
 */
export async function exchangeOnce(request: ExchangeRequest): Promise<Exchange> {
  const phases: PhasesMs = {};
  let phase: Phase = 'dns';
  let certificate: CertificateInfo | undefined;
  let socket: Socket | undefined;
  let client: Client | undefined;
  try {
    const host = request.url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(request.url.port || 443);

    let address = host;
    if (isIP(host) === 0) {
      const dnsStart = performance.now();
      address = (await withDeadline(lookup(host, { family: FAMILY[request.ipFamily], verbatim: true }), request.signal)).address;
      phases.dns = performance.now() - dnsStart;
    }

    phase = 'connect';
    const connectStart = performance.now();
    const tcp = tcpConnect({ host: address, port });
    socket = tcp;
    await withDeadline(settled(tcp, 'connect'), request.signal, () => tcp.destroy());
    phases.connect = performance.now() - connectStart;

    phase = 'tls';
    const tlsStart = performance.now();
    const tlsSocket = startTls(tcp, { host, ca: request.trustedCa });
    socket = tlsSocket;
    await withDeadline(settled(tlsSocket, 'secureConnect'), request.signal, () => tlsSocket.destroy());
    phases.tls = performance.now() - tlsStart;

    // Node verified the chain and the host name during the handshake; with
    // rejectUnauthorized off it reports instead of aborting, so we keep the certificate
    const verifyError = tlsSocket.authorizationError ? String(tlsSocket.authorizationError) : undefined;
    certificate = describeCertificate(tlsSocket.getPeerCertificate(false), verifyError);
    if (verifyError) return { ok: false, reason: classifyVerifyError(verifyError), message: `certificate did not verify: ${verifyError}`, phases, certificate };

    phase = 'firstByte';
    const requestStart = performance.now();
    client = new Client(request.url.origin, {
      // hand undici the socket we opened and timed ourselves; one request, then it is closed.
      // The callback must come on a later tick: undici's connect path is not re-entrant.
      connect: (_opts, callback) => setImmediate(() => callback(null, tlsSocket)),
    });
    const response = await client.request({
      path: `${request.url.pathname}${request.url.search}`,
      method: request.method as 'GET',
      headers: { 'user-agent': 'Statusvakt-probe/1', ...request.headers, connection: 'close', host: request.url.host },
      signal: request.signal,
    });
    phases.firstByte = performance.now() - requestStart;

    phase = 'transfer';
    const transferStart = performance.now();
    const body = await readLimited(response.body, request.maxBodyBytes);
    phases.transfer = performance.now() - transferStart;
    const location = response.headers.location;
    return { ok: true, status: response.statusCode, location: Array.isArray(location) ? location[0] : location, body, phases, certificate };
  } catch (error) {
    const timedOut = request.signal.aborted;
    const { reason, message } = classifyError(error, phase, timedOut);
    return { ok: false, reason, message, phases, certificate };
  } finally {
    await client?.destroy().catch(() => {});
    socket?.destroy();
  }
}

/** Resolves on `event`, rejects on the socket's first error or an early close. */
function settled(socket: Socket, event: 'connect' | 'secureConnect'): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      socket.off(event, onEvent);
      reject(error);
    };
    const onClose = () => onError(Object.assign(new Error('socket closed by peer'), { code: 'ECONNRESET' }));
    const onEvent = () => {
      socket.off('error', onError);
      socket.off('close', onClose);
      resolve();
    };
    socket.once(event, onEvent);
    socket.once('error', onError);
    socket.once('close', onClose);
  });
}

// Building a secure context parses every CA certificate; do it once per CA set, not per check.
const contexts = new WeakMap<string[], SecureContext>();
function secureContextFor(ca: string[]): SecureContext {
  let context = contexts.get(ca);
  if (!context) {
    context = createSecureContext({ ca });
    contexts.set(ca, context);
  }
  return context;
}

function startTls(socket: Socket, options: { host: string; ca: string[] | undefined }): TLSSocket {
  return tlsConnect({
    socket,
    // the name the certificate must match (the socket is already connected, so this is not dialled)
    host: options.host,
    servername: isIP(options.host) === 0 ? options.host : undefined,
    // verify ourselves after the handshake, so the certificate is recorded even when it is bad
    rejectUnauthorized: false,
    ALPNProtocols: ['http/1.1'],
    ...(options.ca ? { secureContext: secureContextFor(options.ca) } : {}),
  });
}

function describeCertificate(peer: PeerCertificate, verifyError: string | undefined): CertificateInfo {
  return {
    subject: formatName(peer.subject),
    issuer: formatName(peer.issuer),
    subjectAltNames: (peer.subjectaltname ?? '').split(', ').filter(Boolean),
    notBefore: new Date(peer.valid_from).toISOString(),
    notAfter: new Date(peer.valid_to).toISOString(),
    sha256Fingerprint: peer.fingerprint256,
    chainVerified: verifyError === undefined,
    ...(verifyError ? { verifyError } : {}),
  };
}

function formatName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}

async function readLimited(body: AsyncIterable<Buffer>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) break;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Races `promise` against the deadline; `onAbort` releases what the promise holds. */
function withDeadline<T>(promise: Promise<T>, signal: AbortSignal, onAbort?: () => void): Promise<T> {
  if (signal.aborted) {
    onAbort?.();
    return Promise.reject(new Error('deadline passed'));
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort?.();
      reject(new Error('deadline passed'));
    };
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}
