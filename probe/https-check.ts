import { lookup } from 'node:dns/promises';
import { isIP, type Socket, connect as tcpConnect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect, createSecureContext, type PeerCertificate, type SecureContext, type TLSSocket } from 'node:tls';
import { Client } from 'undici';
import type { HttpsCheck } from '../config/index.ts';
import { classifyError, classifyVerifyError, type Phase } from './classify-error.ts';
import type { CertificateInfo, CheckResult, FailureReason, Outcome, PhasesMs } from './contract.ts';

export type CheckTarget = { componentId: string; checkId: string; regionId: string };

export type HttpsCheckOptions = {
  /** Extra trusted CA certificates (PEM), e.g. a private CA. */
  trustedCa?: string[] | undefined;
  now?: () => Date;
  newId?: () => string;
};

const MAX_BODY_BYTES = 1024 * 1024;
const DAY_MS = 86_400_000;

/**
 * One HTTPS check over a fresh TCP connection and a full TLS handshake (no
 * pooling, no session resumption), timed phase by phase, so every result
 * measures what a new visitor gets. Never throws: failures are results.
 */
export async function runHttpsCheck(check: HttpsCheck, target: CheckTarget, options: HttpsCheckOptions = {}): Promise<CheckResult> {
  const startedAt = (options.now ?? (() => new Date()))();
  const id = (options.newId ?? (() => crypto.randomUUID()))();
  const base = { id, ...target, startedAt: startedAt.toISOString() };
  const t0 = performance.now();
  const phases: PhasesMs = {};
  let phase: Phase = 'dns';
  let certificate: CertificateInfo | undefined;
  let socket: Socket | undefined;
  let client: Client | undefined;

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), check.timeoutMs);
  const failure = (reason: FailureReason, message: string, extra: Partial<CheckResult> = {}): CheckResult => ({
    ...base,
    outcome: 'down',
    reason,
    durationMs: performance.now() - t0,
    phasesMs: phases,
    ...(certificate ? { certificate } : {}),
    message: message.slice(0, 500),
    ...extra,
  });

  try {
    const url = new URL(check.url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || 443);

    let address = host;
    if (isIP(host) === 0) {
      const dnsStart = performance.now();
      address = (await withDeadline(lookup(host, { family: 0, verbatim: true }), deadline.signal)).address;
      phases.dns = performance.now() - dnsStart;
    }

    phase = 'connect';
    const connectStart = performance.now();
    const tcp = tcpConnect({ host: address, port });
    socket = tcp;
    await withDeadline(settled(tcp, 'connect'), deadline.signal, () => tcp.destroy());
    phases.connect = performance.now() - connectStart;

    phase = 'tls';
    const tlsStart = performance.now();
    const tlsSocket = startTls(tcp, { host, ca: options.trustedCa });
    socket = tlsSocket;
    await withDeadline(settled(tlsSocket, 'secureConnect'), deadline.signal, () => tlsSocket.destroy());
    phases.tls = performance.now() - tlsStart;

    // Node verified the chain and the host name during the handshake; with
    // rejectUnauthorized off it reports instead of aborting, so we keep the certificate
    const verifyError = tlsSocket.authorizationError ? String(tlsSocket.authorizationError) : undefined;
    certificate = describeCertificate(tlsSocket.getPeerCertificate(false), verifyError);
    if (verifyError) return failure(classifyVerifyError(verifyError), `certificate did not verify: ${verifyError}`);

    phase = 'firstByte';
    const requestStart = performance.now();
    const connected = tlsSocket;
    client = new Client(url.origin, {
      // hand undici the socket we opened and timed ourselves; one request, then it is closed.
      // The callback must come on a later tick: undici's connect path is not re-entrant.
      connect: (_opts, callback) => setImmediate(() => callback(null, connected)),
    });
    const response = await client.request({
      path: `${url.pathname}${url.search}`,
      method: check.method,
      headers: { 'user-agent': 'Statusvakt-probe/1', connection: 'close', host: url.host },
      signal: deadline.signal,
    });
    phases.firstByte = performance.now() - requestStart;

    phase = 'transfer';
    const transferStart = performance.now();
    await readLimited(response.body, MAX_BODY_BYTES);
    phases.transfer = performance.now() - transferStart;

    const durationMs = performance.now() - t0;
    if (!check.expectedStatus.includes(response.statusCode)) {
      return failure('http_status', `HTTP ${response.statusCode}, expected ${check.expectedStatus.join(' or ')}`, {
        httpStatus: response.statusCode,
        durationMs,
      });
    }
    const { outcome, reason, message } = judgeHealthy(check, durationMs, certificate, startedAt);
    return {
      ...base,
      outcome,
      ...(reason ? { reason, message } : {}),
      durationMs,
      httpStatus: response.statusCode,
      phasesMs: phases,
      certificate,
    };
  } catch (error) {
    const timedOut = deadline.signal.aborted;
    const { reason, message } = classifyError(error, phase, timedOut);
    return failure(reason, timedOut ? `no answer within ${check.timeoutMs} ms (${message})` : message);
  } finally {
    clearTimeout(timer);
    await client?.destroy().catch(() => {});
    socket?.destroy();
  }
}

function judgeHealthy(check: HttpsCheck, durationMs: number, certificate: CertificateInfo, now: Date): { outcome: Outcome; reason?: FailureReason; message?: string } {
  if (check.degradedAfterMs !== undefined && durationMs > check.degradedAfterMs) {
    return { outcome: 'degraded', reason: 'too_slow', message: `answered in ${Math.round(durationMs)} ms, target ${check.degradedAfterMs} ms` };
  }
  const daysLeft = (Date.parse(certificate.notAfter) - now.getTime()) / DAY_MS;
  if (daysLeft < check.certExpiryDegradedDays) {
    return { outcome: 'degraded', reason: 'cert_expiring', message: `certificate expires in ${daysLeft.toFixed(1)} days` };
  }
  return { outcome: 'up' };
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
    return Promise.reject(new DeadlineError());
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort?.();
      reject(new DeadlineError());
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

export class DeadlineError extends Error {
  override name = 'DeadlineError';
}
