import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Socket } from 'node:net';
import type { TlsCheck } from '../config/index.ts';
import { classifyError, classifyVerifyError, describeVerifyError, PHASE_TEXT } from './classify-error.ts';
import type { CertificateInfo, CheckResult, FailureReason } from './contract.ts';
import type { CheckTarget, HttpsCheckOptions } from './https-check.ts';
import { openConnection } from './open-connection.ts';
import { PhaseClock } from './phase-clock.ts';
import { SmtpDialogueError, smtpStartTls } from './smtp-starttls.ts';
import { settled, withDeadline } from './socket-steps.ts';
import { describeCertificate, startTls } from './tls-session.ts';

const DAY_MS = 86_400_000;

/**
 * A TLS handshake with a service that is not a web page (LDAPS, SMTPS, IMAPS,
 * or SMTP after STARTTLS), judged as the https check judges its certificate:
 * chain and host name verified, degraded from `certExpiryDegradedDays` before
 * expiry. Timed as `dns`, `connect`, `starttls` (SMTP only) and `tls`. Never
 * throws: every failure is a result with its reason and phase.
 */
export async function runTlsCheck(check: TlsCheck, target: CheckTarget, options: HttpsCheckOptions = {}): Promise<CheckResult> {
  const startedAt = (options.now ?? (() => new Date()))();
  const base = { id: (options.newId ?? (() => crypto.randomUUID()))(), ...target, startedAt: startedAt.toISOString() };
  const t0 = performance.now();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), check.timeoutMs);
  const clock = new PhaseClock('dns');
  const name = check.serverName ?? check.host;
  let socket: Socket | undefined;
  let certificate: CertificateInfo | undefined;
  const down = (reason: FailureReason, message: string): CheckResult => ({
    ...base,
    outcome: 'down',
    reason,
    message: message.slice(0, 500),
    durationMs: performance.now() - t0,
    phasesMs: clock.phases,
    ...(certificate ? { certificate } : {}),
  });
  try {
    const opened = await openConnection({ host: check.host, port: check.port, ipFamily: check.ipFamily, signal: deadline.signal, clock });
    socket = opened.socket;
    const tcp = opened.socket;
    if (check.starttls === 'smtp') {
      clock.enter('starttls');
      await withDeadline(smtpStartTls(tcp, { heloName: hostname() || 'statusvakt-probe' }), deadline.signal, () => tcp.destroy());
    }
    clock.enter('tls');
    const tlsSocket = startTls(tcp, { host: name, ca: options.trustedCa });
    socket = tlsSocket;
    await withDeadline(settled(tlsSocket, 'secureConnect'), deadline.signal, () => tlsSocket.destroy());
    clock.stop();
    const durationMs = performance.now() - t0;
    const verifyError = tlsSocket.authorizationError ? String(tlsSocket.authorizationError) : undefined;
    certificate = describeCertificate(tlsSocket.getPeerCertificate(false), verifyError);
    tlsSocket.on('error', () => {}); // a reset while we leave says nothing about the check
    // leave politely: a mail server logs a dropped session as an error
    if (check.starttls === 'smtp') tlsSocket.end('QUIT\r\n');
    else tlsSocket.end();
    if (verifyError) return down(classifyVerifyError(verifyError), describeVerifyError(verifyError));
    const healthy = { ...base, durationMs, phasesMs: clock.phases, certificate };
    if (check.degradedAfterMs !== undefined && durationMs > check.degradedAfterMs) {
      return { ...healthy, outcome: 'degraded', reason: 'too_slow', message: `handshake finished in ${Math.round(durationMs)} ms, target ${check.degradedAfterMs} ms` };
    }
    const daysLeft = (Date.parse(certificate.notAfter) - startedAt.getTime()) / DAY_MS;
    if (daysLeft < check.certExpiryDegradedDays) return { ...healthy, outcome: 'degraded', reason: 'cert_expiring', message: `certificate expires in ${daysLeft.toFixed(1)} days` };
    return { ...healthy, outcome: 'up' };
  } catch (error) {
    clock.stop();
    if (deadline.signal.aborted) {
      const { reason } = classifyError(error, { phase: clock.phase, timedOut: true, host: check.host, port: check.port });
      return down(reason, `no answer within ${check.timeoutMs} ms ${PHASE_TEXT[clock.phase]}`);
    }
    if (error instanceof SmtpDialogueError) return down(error.reason, error.message);
    const { reason, message } = classifyError(error, { phase: clock.phase, timedOut: false, host: check.host, port: check.port });
    return down(reason, message);
  } finally {
    clearTimeout(timer);
    // after end(), give QUIT a moment to leave; then close whatever is still open
    const open = socket;
    if (open) setTimeout(() => open.destroy(), 1000).unref();
  }
}
