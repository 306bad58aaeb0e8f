import { z } from 'zod';
import type { ThirdPartyNotice } from './contract.ts';
import { toPlainText } from './plain-text.ts';
import { toInstant } from './read-source.ts';

/** An incident or a scheduled maintenance as summary.json lists them; only the fields we read, all lenient. */
const SummaryEvent = z.object({
  id: z.string().min(1),
  name: z.string(),
  status: z.string().nullish(),
  impact: z.string().nullish(),
  shortlink: z.string().nullish(),
  started_at: z.string().nullish(),
  created_at: z.string().nullish(),
  scheduled_for: z.string().nullish(),
  scheduled_until: z.string().nullish(),
  updated_at: z.string().nullish(),
  incident_updates: z.array(z.object({ body: z.string().nullish() }).loose()).nullish(),
  // Statuspage lists full component objects; some clones list bare ids
  components: z.array(z.union([z.string(), z.object({ id: z.string().nullish(), name: z.string().nullish() }).loose()])).nullish(),
});
type SummaryEvent = z.infer<typeof SummaryEvent>;

/** An incident's impact → what it means for the service. */
const INCIDENT_IMPACT: Record<string, ThirdPartyNotice['impact']> = { none: 'none', minor: 'degraded', major: 'down', critical: 'down', maintenance: 'maintenance' };

/** Statuses after which an event is over; summary.json should not list them, but a clone might. */
const OVER = new Set(['resolved', 'postmortem', 'completed']);

/**
 * The notices of a summary.json that concern one component: its unresolved
 * incidents and its upcoming or running maintenances, plus those that name
 * no component at all (a page-wide event may well touch ours). Entries that
 * do not have the expected shape are skipped, not fatal: the component's own
 * status is still worth reporting.
 */
export function statuspageNotices(args: {
  incidents: readonly unknown[] | undefined;
  maintenances: readonly unknown[] | undefined;
  component: { id: string; name: string };
  /** The page's own address, for incidents without a shortlink. */
  pageUrl: string | undefined;
}): ThirdPartyNotice[] {
  const read = (items: readonly unknown[] | undefined) =>
    (items ?? []).flatMap((item) => {
      const parsed = SummaryEvent.safeParse(item);
      return parsed.success && !OVER.has(parsed.data.status ?? '') && concerns(parsed.data, args.component) ? [parsed.data] : [];
    });
  return [
    ...read(args.incidents).map((event) => toNotice(event, 'incident', args.pageUrl)),
    ...read(args.maintenances).map((event) => toNotice(event, 'maintenance', args.pageUrl)),
  ];
}

function concerns(event: SummaryEvent, component: { id: string; name: string }): boolean {
  if (!event.components || event.components.length === 0) return true;
  const name = component.name.toLowerCase();
  return event.components.some((c) => (typeof c === 'string' ? c === component.id || c.toLowerCase() === name : c.id === component.id || c.name?.toLowerCase() === name));
}

function toNotice(event: SummaryEvent, kind: 'incident' | 'maintenance', pageUrl: string | undefined): ThirdPartyNotice {
  const body = toPlainText(event.incident_updates?.[0]?.body ?? '');
  const url = [event.shortlink, pageUrl ? `${pageUrl.replace(/\/+$/, '')}/incidents/${encodeURIComponent(event.id)}` : undefined].find((u) => u && /^https?:\/\//.test(u));
  const startsAt = toInstant(kind === 'maintenance' ? (event.scheduled_for ?? event.started_at) : (event.started_at ?? event.created_at));
  const endsAt = toInstant(event.scheduled_until);
  const updatedAt = toInstant(event.updated_at);
  return {
    externalId: event.id,
    kind,
    impact: kind === 'maintenance' ? 'maintenance' : (INCIDENT_IMPACT[event.impact ?? ''] ?? 'degraded'),
    title: toPlainText(event.name) || `${kind} ${event.id}`,
    ...(body ? { body } : {}),
    ...(url ? { url } : {}),
    ...(startsAt ? { startsAt } : {}),
    ...(endsAt ? { endsAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
}
