import type { FailureReason } from './contract.ts';

/** The step a check was in when it failed; decides what a timeout means. */
export type Phase = 'dns' | 'connect' | 'tls' | 'firstByte' | 'transfer';

const TIMEOUT_REASON: Record<Phase, FailureReason> = {
  dns: 'dns',
  connect: 'connect_timeout',
  tls: 'tls_handshake',
  firstByte: 'timeout',
  transfer: 'timeout',
};

/** Maps a thrown error to the reason vocabulary, by error code first and phase second. */
export function classifyError(error: unknown, phase: Phase, timedOut: boolean): { reason: FailureReason; message: string } {
  const code = (error as { code?: string } | undefined)?.code ?? '';
  const message = error instanceof Error ? `${code ? `${code}: ` : ''}${error.message}` : String(error);
  if (timedOut) return { reason: TIMEOUT_REASON[phase], message };
  if (phase === 'dns' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') return { reason: 'dns', message };
  if (code === 'ECONNREFUSED') return { reason: 'connect_refused', message };
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH') return { reason: 'network_unreachable', message };
  if (code === 'ETIMEDOUT') return { reason: phase === 'connect' ? 'connect_timeout' : 'timeout', message };
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') return { reason: 'reset', message };
  if (phase === 'tls' || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) return { reason: 'tls_handshake', message };
  return { reason: phase === 'connect' ? 'connect_refused' : 'probe_error', message };
}

/** Maps OpenSSL's verify error (tlsSocket.authorizationError) to a reason. */
export function classifyVerifyError(verifyError: string): FailureReason {
  if (verifyError.includes('CERT_HAS_EXPIRED')) return 'tls_expired';
  if (verifyError.includes('CERT_NOT_YET_VALID')) return 'tls_not_yet_valid';
  if (verifyError.includes('ALTNAME') || verifyError.includes('HOSTNAME')) return 'tls_hostname';
  return 'tls_untrusted';
}
