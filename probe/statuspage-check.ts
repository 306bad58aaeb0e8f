import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { StatuspageCheck } from '../config/index.ts';
import type { CheckResult, FailureReason, Outcome } from './contract.ts';
import type { CheckTarget, HttpsCheckOptions } from './https-check.ts';
import { PHASE_TEXT, humanText } from './classify-error.ts';
import { exchangeOnce } from './https-exchange.ts';

/** The part of a Statuspage `summary.json` we read. */
const Summary = z.object({
  components: z.array(z.object({ id: z.string(), name: z.string(), status: z.string(), group: z.boolean().optional() })),
});

/** Upstream status → our outcome, and why. Maintenance makes the dependency unavailable to our users. */
const MAPPING: Record<string, { outcome: Outcome; reason?: FailureReason }> = {
  operational: { outcome: 'up' },
  degraded_performance: { outcome: 'degraded', reason: 'upstream_degraded' },
  partial_outage: { outcome: 'degraded', reason: 'upstream_partial_outage' },
  major_outage: { outcome: 'down', reason: 'upstream_outage' },
  under_maintenance: { outcome: 'down', reason: 'upstream_maintenance' },
};

/**
 * Reads another provider's Statuspage-style summary.json and reports the
 * chosen component's status as this component's. When the summary cannot be
 * fetched or read, the third party's state is not known: the result is
 * `unknown` with the reason, and does not count as an outage.
 */
export async function runStatuspageCheck(check: StatuspageCheck, target: CheckTarget, options: HttpsCheckOptions = {}): Promise<CheckResult> {
  const startedAt = (options.now ?? (() => new Date()))();
  const base = { id: (options.newId ?? (() => crypto.randomUUID()))(), ...target, startedAt: startedAt.toISOString() };
  const t0 = performance.now();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), check.timeoutMs);
  try {
    const exchange = await exchangeOnce({
      url: new URL(check.url),
      method: 'GET',
      headers: { accept: 'application/json' },
      ipFamily: 'auto',
      trustedCa: options.trustedCa,
      signal: deadline.signal,
      maxBodyBytes: check.maxBodyBytes,
    });
    const durationMs = performance.now() - t0;
    const unknown = (reason: FailureReason, message: string, extra: Partial<CheckResult> = {}): CheckResult => ({ ...base, outcome: 'unknown', reason, durationMs, phasesMs: exchange.phases, message: message.slice(0, 500), ...extra });
    if (!exchange.ok) {
      const why = deadline.signal.aborted ? `no answer within ${check.timeoutMs} ms ${PHASE_TEXT[exchange.phase]}` : exchange.message;
      return unknown(exchange.reason, `status page not reachable: ${why}`, exchange.certificate ? { certificate: exchange.certificate } : {});
    }
    if (exchange.status !== 200) return unknown('upstream_unreadable', `status page answered HTTP ${exchange.status}`, { httpStatus: exchange.status });
    let summary: z.infer<typeof Summary>;
    try {
      summary = Summary.parse(JSON.parse(exchange.body.toString('utf8')));
    } catch {
      const cut = exchange.truncated ? ` (only the first ${check.maxBodyBytes} bytes were read: the answer is longer than maxBodyBytes)` : '';
      return unknown('upstream_unreadable', `the answer is not a Statuspage summary.json${cut}`, { httpStatus: 200 });
    }
    const wanted = check.component.toLowerCase();
    const component = summary.components.find((c) => c.id === check.component) ?? summary.components.find((c) => c.name.toLowerCase() === wanted);
    if (!component) {
      const names = summary.components.filter((c) => !c.group).map((c) => c.name).slice(0, 10).join(', ');
      return unknown('upstream_unreadable', `no component "${check.component}" in the summary; it lists: ${names}`, { httpStatus: 200 });
    }
    const mapped = MAPPING[component.status] ?? { outcome: 'unknown' as const, reason: 'upstream_unreadable' as const };
    return {
      ...base,
      outcome: mapped.outcome,
      ...(mapped.reason ? { reason: mapped.reason, message: `${component.name}: ${component.status}` } : {}),
      durationMs,
      httpStatus: 200,
      phasesMs: exchange.phases,
      certificate: exchange.certificate,
    };
  } catch (error) {
    return { ...base, outcome: 'unknown', reason: 'probe_error', durationMs: performance.now() - t0, message: `the check failed inside the probe: ${humanText(error)}`.slice(0, 500) };
  } finally {
    clearTimeout(timer);
  }
}
