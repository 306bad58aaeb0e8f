import { z } from 'zod';
import type { FailureReason, Outcome, ThirdPartyNotice } from './contract.ts';
import { toPlainText } from './plain-text.ts';
import { toInstant } from './read-source.ts';

/** A serviceHealthIssue as Graph returns it; only the fields we read, all lenient. */
const Issue = z.object({
  id: z.string().min(1),
  title: z.string().nullish(),
  impactDescription: z.string().nullish(),
  classification: z.string().nullish(),
  status: z.string().nullish(),
  feature: z.string().nullish(),
  featureGroup: z.string().nullish(),
  isResolved: z.boolean().nullish(),
  startDateTime: z.string().nullish(),
  endDateTime: z.string().nullish(),
  lastModifiedDateTime: z.string().nullish(),
  posts: z.array(z.object({ createdDateTime: z.string().nullish(), description: z.object({ content: z.string().nullish() }).loose().nullish() }).loose()).nullish(),
});
type Issue = z.infer<typeof Issue>;

/** A serviceHealth entry of healthOverviews, with its issues expanded. */
export const ServiceHealth = z.object({ id: z.string(), service: z.string(), status: z.string(), issues: z.array(z.unknown()).nullish() });
export type ServiceHealth = z.infer<typeof ServiceHealth>;

type Verdict = { outcome: Outcome; reason?: FailureReason };

/**
 * Graph's serviceHealthStatus → our outcome. The states after an issue
 * (restored, resolved, mitigated, a false positive, an investigation
 * suspended for lack of evidence) leave the service usable; the states
 * while one is worked on make it degraded; only an interruption is down.
 */
const STATUS: Record<string, Verdict> = {
  serviceOperational: { outcome: 'up' },
  serviceRestored: { outcome: 'up' },
  postIncidentReviewPublished: { outcome: 'up' },
  resolved: { outcome: 'up' },
  resolvedExternal: { outcome: 'up' },
  mitigated: { outcome: 'up' },
  mitigatedExternal: { outcome: 'up' },
  falsePositive: { outcome: 'up' },
  investigationSuspended: { outcome: 'up' },
  investigating: { outcome: 'degraded', reason: 'upstream_degraded' },
  confirmed: { outcome: 'degraded', reason: 'upstream_degraded' },
  reported: { outcome: 'degraded', reason: 'upstream_degraded' },
  serviceDegradation: { outcome: 'degraded', reason: 'upstream_degraded' },
  restoringService: { outcome: 'degraded', reason: 'upstream_degraded' },
  extendedRecovery: { outcome: 'degraded', reason: 'upstream_degraded' },
  verifyingService: { outcome: 'degraded', reason: 'upstream_degraded' },
  serviceInterruption: { outcome: 'down', reason: 'upstream_outage' },
};

const IMPACT_OF: Record<Outcome, ThirdPartyNotice['impact']> = { up: 'none', degraded: 'degraded', down: 'down', unknown: 'degraded' };
const RANK: Record<ThirdPartyNotice['impact'], number> = { none: 0, maintenance: 1, degraded: 2, down: 3 };

export type HealthJudgement = { found: true; outcome: Outcome; reason?: FailureReason; message?: string; notices: ThirdPartyNotice[] } | { found: false; message: string };

/**
 * One service's state and its unresolved issues as notices. Without
 * `features` the service's overall status decides; with them only the
 * issues of those features (or feature groups) count, and the worst of them
 * decides, since the overall status also speaks for the features we do not use.
 */
export function judgeServiceHealth(args: { services: readonly ServiceHealth[]; service: string; features: readonly string[] }): HealthJudgement {
  const wanted = args.service.toLowerCase();
  const health = args.services.find((s) => s.service.toLowerCase() === wanted) ?? args.services.find((s) => s.id.toLowerCase() === wanted);
  if (!health) return { found: false, message: `no service "${args.service}" in Microsoft 365 service health; the tenant has: ${args.services.map((s) => s.service).slice(0, 15).join(', ')}` };
  const features = args.features.map((f) => f.toLowerCase());
  const issues = (health.issues ?? []).flatMap((item) => {
    const parsed = Issue.safeParse(item);
    if (!parsed.success || parsed.data.isResolved !== false) return [];
    const ofFeature = features.length === 0 || [parsed.data.feature, parsed.data.featureGroup].some((f) => f && features.includes(f.toLowerCase()));
    return ofFeature ? [parsed.data] : [];
  });
  const notices = issues.map(toNotice);
  if (features.length === 0) {
    const verdict = STATUS[health.status] ?? { outcome: 'unknown' as const, reason: 'upstream_unreadable' as const };
    const detail = issues[0]?.title ? ` (${issues[0].title})` : '';
    return { found: true, ...verdict, ...(verdict.outcome === 'up' ? {} : { message: `${health.service}: ${health.status}${detail}` }), notices };
  }
  const worst = notices.reduce<ThirdPartyNotice | undefined>((w, n) => (RANK[n.impact] > RANK[w?.impact ?? 'none'] ? n : w), undefined);
  if (!worst) return { found: true, outcome: 'up', notices };
  const outcome = worst.impact === 'down' ? 'down' : 'degraded';
  return { found: true, outcome, reason: outcome === 'down' ? 'upstream_outage' : 'upstream_degraded', message: `${health.service}: ${worst.externalId} ${worst.title}`, notices };
}

function toNotice(issue: Issue): ThirdPartyNotice {
  const latest = [...(issue.posts ?? [])].sort((a, b) => (Date.parse(b.createdDateTime ?? '') || 0) - (Date.parse(a.createdDateTime ?? '') || 0))[0];
  const body = [toPlainText(issue.impactDescription ?? ''), toPlainText(latest?.description?.content ?? '')].filter(Boolean).join('\n');
  const verdict = STATUS[issue.status ?? ''];
  const startsAt = toInstant(issue.startDateTime);
  const updatedAt = toInstant(issue.lastModifiedDateTime);
  return {
    externalId: issue.id,
    kind: issue.classification === 'incident' ? 'incident' : 'advisory',
    // an unresolved issue whose status we do not know still affects the service
    impact: verdict ? IMPACT_OF[verdict.outcome] : 'degraded',
    title: toPlainText(issue.title ?? '') || issue.id,
    ...(body ? { body } : {}),
    ...(startsAt ? { startsAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
}
