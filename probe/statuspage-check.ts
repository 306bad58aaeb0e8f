import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { StatuspageCheck } from '../config/index.ts';
import type { CheckResult, FailureReason, Outcome } from './contract.ts';
import type { CheckTarget, HttpsCheckOptions } from './https-check.ts';
import { humanText } from './classify-error.ts';
import { cutNote, readSourceDocument } from './read-source.ts';
import { statuspageNotices } from './statuspage-notices.ts';

/** The part of a Statuspage `summary.json` we read. */
const Summary = z.object({
  page: z.object({ url: z.string().nullish() }).loose().nullish(),
  components: z.array(z.object({ id: z.string(), name: z.string(), status: z.string(), group: z.boolean().optional() })),
  // unresolved incidents, and upcoming or running maintenances; each read leniently on its own
  incidents: z.array(z.unknown()).nullish(),
  scheduled_maintenances: z.array(z.unknown()).nullish(),
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
 * chosen component's status as this component's, with the provider's
 * unresolved incidents and planned maintenances that concern it as notices
 * (all from the one request). When the summary cannot be fetched or read,
 * the third party's state is not known: the result is `unknown` with the
 * reason, and does not count as an outage.
 */
export async function runStatuspageCheck(check: StatuspageCheck, target: CheckTarget, options: HttpsCheckOptions = {}): Promise<CheckResult> {
  const startedAt = (options.now ?? (() => new Date()))();
  const base = { id: (options.newId ?? (() => crypto.randomUUID()))(), ...target, startedAt: startedAt.toISOString() };
  const t0 = performance.now();
  try {
    const document = await readSourceDocument({ url: new URL(check.url), accept: 'application/json', what: 'status page', timeoutMs: check.timeoutMs, maxBodyBytes: check.maxBodyBytes, trustedCa: options.trustedCa });
    const durationMs = performance.now() - t0;
    const unknown = (reason: FailureReason, message: string, extra: Partial<CheckResult> = {}): CheckResult => ({ ...base, outcome: 'unknown', reason, durationMs, phasesMs: document.phasesMs, message: message.slice(0, 500), ...extra });
    if (!document.ok) {
      return unknown(document.reason, document.message, { ...(document.certificate ? { certificate: document.certificate } : {}), ...(document.httpStatus ? { httpStatus: document.httpStatus } : {}) });
    }
    let summary: z.infer<typeof Summary>;
    try {
      summary = Summary.parse(JSON.parse(document.text));
    } catch {
      return unknown('upstream_unreadable', `the answer is not a Statuspage summary.json${cutNote(document.truncated, check.maxBodyBytes)}`, { httpStatus: 200 });
    }
    const wanted = check.component.toLowerCase();
    const component = summary.components.find((c) => c.id === check.component) ?? summary.components.find((c) => c.name.toLowerCase() === wanted);
    if (!component) {
      const names = summary.components.filter((c) => !c.group).map((c) => c.name).slice(0, 10).join(', ');
      return unknown('upstream_unreadable', `no component "${check.component}" in the summary; it lists: ${names}`, { httpStatus: 200 });
    }
    const mapped = MAPPING[component.status] ?? { outcome: 'unknown' as const, reason: 'upstream_unreadable' as const };
    const notices = statuspageNotices({ incidents: summary.incidents ?? undefined, maintenances: summary.scheduled_maintenances ?? undefined, component, pageUrl: summary.page?.url ?? undefined });
    return {
      ...base,
      outcome: mapped.outcome,
      ...(mapped.reason ? { reason: mapped.reason, message: `${component.name}: ${component.status}` } : {}),
      durationMs,
      httpStatus: 200,
      phasesMs: document.phasesMs,
      certificate: document.certificate,
      notices,
    };
  } catch (error) {
    return { ...base, outcome: 'unknown', reason: 'probe_error', durationMs: performance.now() - t0, message: `the check failed inside the probe: ${humanText(error)}`.slice(0, 500) };
  }
}
