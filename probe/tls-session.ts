import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect, createSecureContext, getCACertificates, type PeerCertificate, type SecureContext, type TLSSocket } from 'node:tls';
import type { CertificateInfo } from './contract.ts';

// Building a secure context parses every CA certificate; do it once per CA set, not per check.
const contexts = new WeakMap<string[], SecureContext>();
/**
 * Extra CAs (a private CA) are trusted in addition to Node's default store
 * (its bundled roots, NODE_EXTRA_CA_CERTS, and the system store with
 * --use-system-ca), never instead of it: trusting one private CA must not make
 * every public endpoint fail.
 */
function secureContextFor(extra: string[]): SecureContext {
  let context = contexts.get(extra);
  if (!context) {
    context = createSecureContext({ ca: [...getCACertificates('default'), ...extra] });
    contexts.set(extra, context);
  }
  return context;
}

/**
 * A TLS handshake over an open socket, verifying nothing yet: the caller reads
 * `authorizationError` after `secureConnect`, so a bad certificate is recorded
 * rather than lost. `host` is the name the certificate must match.
 */
export function startTls(socket: Socket, options: { host: string; ca: string[] | undefined; alpn?: string[] }): TLSSocket {
  return tlsConnect({
    socket,
    // the name the certificate must match (the socket is already connected, so this is not dialled)
    host: options.host,
    servername: isIP(options.host) === 0 ? options.host : undefined,
    // verify ourselves after the handshake, so the certificate is recorded even when it is bad
    rejectUnauthorized: false,
    ...(options.alpn ? { ALPNProtocols: options.alpn } : {}),
    ...(options.ca ? { secureContext: secureContextFor(options.ca) } : {}),
  });
}

/** The peer's certificate as the contract carries it. */
export function describeCertificate(peer: PeerCertificate, verifyError: string | undefined): CertificateInfo {
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
