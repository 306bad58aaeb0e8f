import { performance } from 'node:perf_hooks';
import { JSONPath } from 'jsonpath-plus';
import type { BodyAssertion, HttpsCheck } from '../config/index.ts';
import type { CertificateInfo, CheckResult, FailureReason, Outcome, PhasesMs } from './contract.ts';
import { PHASE_TEXT, humanText } from './classify-error.ts';
import { exchangeOnce } from './https-exchange.ts';

export type CheckTarget = { componentId: string; checkId: string; regionId: string };

export type HttpsCheckOptions = {
  /** Extra trusted CA certificates (PEM), e.g. a private CA. Pass the same array each time: its TLS context is cached. */
  trustedCa?: string[] | undefined;
  now?: () => Date;
  newId?: () => string;
};

const DAY_MS = 86_400_000;

/**
 * One HTTPS check as a new visitor experiences it: each request (and each
 * redirect hop) over a fresh connection with a full TLS handshake, timed phase
 * by phase, then judged on status, body, latency and certificate. Never
 * throws: failures are results with a reason from the fixed vocabulary.
 */
export async function runHttpsCheck(check: HttpsCheck, target: CheckTarget, options: HttpsCheckOptions = {}): Promise<CheckResult> {
  const startedAt = (options.now ?? (() => new Date()))();
  const base = { id: (options.newId ?? (() => crypto.randomUUID()))(), ...target, startedAt: startedAt.toISOString() };
  const t0 = performance.now();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), check.timeoutMs);
  const phases: PhasesMs = {};
  const down = (reason: FailureReason, message: string, extra: Partial<CheckResult> = {}): CheckResult => ({
    ...base,
    outcome: 'down',
    reason,
    durationMs: performance.now() - t0,
    phasesMs: phases,
    message: message.slice(0, 500),
    ...extra,
  });

  try {
    let url = new URL(check.url);
    for (let hop = 0; ; hop++) {
      const exchange = await exchangeOnce({
        url,
        method: hop === 0 ? check.method : 'GET',
        headers: check.headers,
        ipFamily: check.ipFamily,
        trustedCa: options.trustedCa,
        signal: deadline.signal,
        maxBodyBytes: check.maxBodyBytes,
      });
      addPhases(phases, exchange.phases);
      const certificate = exchange.certificate ? { certificate: exchange.certificate } : {};
      if (!exchange.ok) {
        const message = deadline.signal.aborted ? `no answer within ${check.timeoutMs} ms ${PHASE_TEXT[exchange.phase]}` : exchange.message;
        return down(exchange.reason, message, certificate);
      }
      const isRedirect = exchange.status >= 300 && exchange.status < 400 && exchange.location !== undefined;
      if (isRedirect && check.maxRedirects > 0) {
        if (hop >= check.maxRedirects) return down('too_many_redirects', `more than ${check.maxRedirects} redirects (last to ${exchange.location})`, { httpStatus: exchange.status, ...certificate });
        const next = new URL(exchange.location!, url);
        if (next.protocol !== 'https:') return down('insecure_redirect', `redirected from ${url.href} to ${next.href}, which is not https`, { httpStatus: exchange.status, ...certificate });
        url = next;
        continue;
      }
      const durationMs = performance.now() - t0;
      if (!check.expectedStatus.includes(exchange.status)) {
        return down('http_status', `HTTP ${exchange.status}, expected ${check.expectedStatus.join(' or ')}`, { httpStatus: exchange.status, durationMs, ...certificate });
      }
      const mismatch = failedAssertion(check.body, exchange.body, exchange.truncated ? check.maxBodyBytes : undefined);
      if (mismatch) return down('body_mismatch', mismatch, { httpStatus: exchange.status, durationMs, ...certificate });
      const { outcome, reason, message } = judgeHealthy(check, durationMs, exchange.certificate, startedAt);
      return { ...base, outcome, ...(reason ? { reason, message } : {}), durationMs, httpStatus: exchange.status, phasesMs: phases, certificate: exchange.certificate };
    }
  } catch (error) {
    // nothing above should throw; if something does, it is still a result
    return down('probe_error', `the check failed inside the probe: ${humanText(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The first body assertion that does not hold, described; undefined when all
 * hold. `truncatedAt`: the body was cut at this many bytes (maxBodyBytes),
 * which the description then says, since the missing part may hold the match.
 */
export function failedAssertion(assertions: readonly BodyAssertion[], body: Buffer, truncatedAt?: number): string | undefined {
  const failure = firstFailure(assertions, body);
  if (failure === undefined || truncatedAt === undefined) return failure;
  return `${failure} (only the first ${truncatedAt} bytes were read: the body is longer than maxBodyBytes)`;
}

function firstFailure(assertions: readonly BodyAssertion[], body: Buffer): string | undefined {
  if (assertions.length === 0) return undefined;
  const text = body.toString('utf8');
  for (const assertion of assertions) {
    if ('contains' in assertion && !text.includes(assertion.contains)) return `body does not contain ${JSON.stringify(assertion.contains)}`;
    if ('regex' in assertion && !new RegExp(assertion.regex).test(text)) return `body does not match /${assertion.regex}/`;
    if ('jsonPath' in assertion) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return `body is not JSON, so ${assertion.jsonPath} cannot be read`;
      }
      const found = JSONPath({ path: assertion.jsonPath, json: json as object, wrap: true }) as unknown[];
      if (found.length === 0) return `${assertion.jsonPath} is not in the body`;
      if (!found.some((value) => sameJson(value, assertion.equals))) {
        return `${assertion.jsonPath} is ${JSON.stringify(found[0])}, expected ${JSON.stringify(assertion.equals)}`;
      }
    }
  }
  return undefined;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
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

/** Adds one hop's phase times to the total, so redirects count where they cost. */
function addPhases(total: PhasesMs, hop: PhasesMs): void {
  for (const [key, value] of Object.entries(hop) as [keyof PhasesMs, number][]) total[key] = (total[key] ?? 0) + value;
}
