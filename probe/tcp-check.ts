import { performance } from 'node:perf_hooks';
import type { TcpCheck } from '../config/index.ts';
import { classifyError, PHASE_TEXT } from './classify-error.ts';
import type { CheckResult } from './contract.ts';
import type { CheckTarget, HttpsCheckOptions } from './https-check.ts';
import { openConnection } from './open-connection.ts';
import { PhaseClock } from './phase-clock.ts';

/**
 * Connects to host:port and closes again: the service listens and takes
 * connections. Timed as `dns` and `connect`; never throws — a refused,
 * unreachable or stalled connect is a result with its reason.
 */
export async function runTcpCheck(check: TcpCheck, target: CheckTarget, options: Pick<HttpsCheckOptions, 'now' | 'newId'> = {}): Promise<CheckResult> {
  const startedAt = (options.now ?? (() => new Date()))();
  const base = { id: (options.newId ?? (() => crypto.randomUUID()))(), ...target, startedAt: startedAt.toISOString() };
  const t0 = performance.now();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), check.timeoutMs);
  const clock = new PhaseClock('dns');
  try {
    const { socket } = await openConnection({ host: check.host, port: check.port, ipFamily: check.ipFamily, signal: deadline.signal, clock });
    clock.stop();
    socket.destroy();
    const durationMs = performance.now() - t0;
    if (check.degradedAfterMs !== undefined && durationMs > check.degradedAfterMs) {
      return { ...base, outcome: 'degraded', reason: 'too_slow', message: `connected in ${Math.round(durationMs)} ms, target ${check.degradedAfterMs} ms`, durationMs, phasesMs: clock.phases };
    }
    return { ...base, outcome: 'up', durationMs, phasesMs: clock.phases };
  } catch (error) {
    clock.stop();
    const timedOut = deadline.signal.aborted;
    const { reason, message } = classifyError(error, { phase: clock.phase, timedOut, host: check.host, port: check.port });
    return { ...base, outcome: 'down', reason, message: timedOut ? `no answer within ${check.timeoutMs} ms ${PHASE_TEXT[clock.phase]}` : message, durationMs: performance.now() - t0, phasesMs: clock.phases };
  } finally {
    clearTimeout(timer);
  }
}
