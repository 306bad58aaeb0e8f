import type { FailureReason } from './contract.ts';
import { describeError } from './describe-error.ts';

/** The step a check was in when it failed; decides what a timeout means. */
export type Phase = 'dns' | 'connect' | 'starttls' | 'tls' | 'firstByte' | 'transfer';

/** A phase as a sentence ends: "no answer within 10000 ms during the TLS handshake". */
export const PHASE_TEXT: Record<Phase, string> = {
  dns: 'during the DNS lookup',
  connect: 'while connecting',
  starttls: 'in the SMTP dialogue before STARTTLS',
  tls: 'during the TLS handshake',
  firstByte: 'while waiting for the response',
  transfer: 'while reading the body',
};

// A server that takes the TCP connection and then says nothing is slow, whatever the phase:
// only a connect that never completes is a connect timeout, and a lookup that never answers a DNS failure.
const TIMEOUT_REASON: Record<Phase, FailureReason> = {
  dns: 'dns',
  connect: 'connect_timeout',
  starttls: 'timeout',
  tls: 'timeout',
  firstByte: 'timeout',
  transfer: 'timeout',
};

export type FailureContext = { phase: Phase; timedOut: boolean; host: string; port: number };

/**
 * Maps a thrown error to the reason vocabulary (by error code first, phase
 * second) and to a message a person can act on: no numeric codes, no
 * "TypeError: fetch failed" without its cause, no OpenSSL strings with source
 * paths. The message of a timeout is the caller's, who knows the limit.
 */
export function classifyError(error: unknown, context: FailureContext): { reason: FailureReason; message: string } {
  const { phase, timedOut, host, port } = context;
  const code = typeof (error as { code?: unknown } | undefined)?.code === 'string' ? (error as { code: string }).code : '';
  if (timedOut) return { reason: TIMEOUT_REASON[phase], message: `no answer ${PHASE_TEXT[phase]}` };
  if (code === 'ENOTFOUND' || code === 'ENODATA') return { reason: 'dns', message: `no address found for ${host}` };
  if (code === 'EAI_AGAIN') return { reason: 'dns', message: `the DNS lookup for ${host} failed for now (the resolver did not answer)` };
  if (phase === 'dns') return { reason: 'dns', message: `the DNS lookup for ${host} failed: ${humanText(error)}` };
  if (code === 'ECONNREFUSED') return { reason: 'connect_refused', message: `connection refused by ${host}:${port}: nothing listens there` };
  if (code === 'ENETUNREACH') return { reason: 'network_unreachable', message: `no route to the network of ${host}` };
  if (code === 'EHOSTUNREACH') return { reason: 'network_unreachable', message: `${host} is unreachable` };
  if (code === 'ETIMEDOUT') return { reason: phase === 'connect' ? 'connect_timeout' : 'timeout', message: `the connection to ${host}:${port} timed out ${PHASE_TEXT[phase]}` };
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') {
    return { reason: 'reset', message: `the server closed the connection ${PHASE_TEXT[phase]}` };
  }
  if (phase === 'tls' || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) return { reason: 'tls_handshake', message: describeTlsFailure(error, code) };
  return { reason: phase === 'connect' ? 'connect_refused' : 'probe_error', message: humanText(error) };
}

/** OpenSSL's short reason ("wrong version number"), said as what it usually means. */
function describeTlsFailure(error: unknown, code: string): string {
  const reason = typeof (error as { reason?: unknown }).reason === 'string' ? (error as { reason: string }).reason : stripOpenSsl(humanText(error));
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number|packet length too long|http request/i.test(reason)) {
    return 'the TLS handshake failed: the server does not speak TLS on this port (plain HTTP?)';
  }
  if (/alert handshake failure|no shared cipher|unsupported protocol|version too low/i.test(reason)) {
    return `the TLS handshake failed: the server and the probe share no protocol version or cipher (${reason})`;
  }
  return `the TLS handshake failed: ${reason}`;
}

/** An error's message and causes, with OpenSSL's internal prefixes and source paths cut away. */
export function humanText(error: unknown): string {
  return stripOpenSsl(describeError(error));
}

/** "error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/….c:354:" → "wrong version number". */
function stripOpenSsl(text: string): string {
  return text
    .replace(/(?:[0-9A-F]+:)?error:[0-9A-F]{8}:[^:]*:[^:]*:([^:]+)(?::[^\s:]*\.c:\d+:?)?/g, '$1 ')
    .replace(/:?\s*[^\s:]*\.c:\d+:?/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** OpenSSL's verify codes (tlsSocket.authorizationError) in words. */
const VERIFY_TEXT: Record<string, string> = {
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a self-signed certificate no trusted CA vouches for',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'no trusted CA issued the certificate (is the intermediate certificate missing?)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'no trusted CA issued the certificate (is the intermediate certificate missing?)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is for another host name',
  HOSTNAME_MISMATCH: 'the certificate is for another host name',
  CERT_REVOKED: 'the certificate was revoked',
};

/** A failed certificate verification as a sentence, with OpenSSL's code kept in brackets for searching. */
export function describeVerifyError(verifyError: string): string {
  const code = verifyError.split(':')[0]!.trim();
  const text = VERIFY_TEXT[code];
  return text ? `${text} (${code})` : `the certificate did not verify (${stripOpenSsl(verifyError)})`;
}

/** Maps OpenSSL's verify error (tlsSocket.authorizationError) to a reason. */
export function classifyVerifyError(verifyError: string): FailureReason {
  if (verifyError.includes('CERT_HAS_EXPIRED')) return 'tls_expired';
  if (verifyError.includes('CERT_NOT_YET_VALID')) return 'tls_not_yet_valid';
  if (verifyError.includes('ALTNAME') || verifyError.includes('HOSTNAME')) return 'tls_hostname';
  return 'tls_untrusted';
}
