import { eq } from 'drizzle-orm';
import { localize, type AlertEvent, type LocalizedText } from '../../config/index.ts';
import { inList, tables, type Database } from '../../db/index.ts';

/** What an operator alert says; a snapshot taken when it is raised, so rendering needs no further reads. */
export type AlertPayload = {
  event: AlertEvent | 'test';
  organisationId: string;
  /** Set when the alert is for one route only (a repeat, a reminder with the route's own lead time, a test). */
  routeId: string | null;
  /** A for down, B for degraded, else the incident's; null passes every priority filter. */
  priority: 'A' | 'B' | 'C' | 'D' | null;
  components: { id: string; name: string }[];
  incident: { id: string; title: string; priority: string } | null;
  /** The state change, a step with its deadline, a window, a certificate, a region: what the event is about. */
  detail: Record<string, string | number | null>;
  at: string;
};

/** Component names in English (falling back to the first text): operator alerts are read by the organisation's staff. */
async function namesOf(tx: Database, componentIds: string[]) {
  if (componentIds.length === 0) return [];
  const rows = await tx.select({ id: tables.components.id, name: tables.components.name }).from(tables.components).where(inList(tables.components.id, componentIds));
  return rows.map((r) => ({ id: r.id, name: localize(r.name as LocalizedText, 'en') }));
}

async function organisationOfComponent(tx: Database, componentId: string): Promise<string | null> {
  const [row] = await tx
    .select({ organisationId: tables.statusPages.organisationId })
    .from(tables.components)
    .innerJoin(tables.componentGroups, eq(tables.componentGroups.id, tables.components.groupId))
    .innerJoin(tables.statusPages, eq(tables.statusPages.id, tables.componentGroups.pageId))
    .where(eq(tables.components.id, componentId));
  return row?.organisationId ?? null;
}

/**
 * Raises an operator alert: a notification event of kind `operator_alert`,
 * written with the transaction of its cause. With a `dedupeKey` it is raised
 * once only, however many replicas or restarts try. Returns the event's id,
 * or null when it was raised before (or the component has no organisation).
 */
export async function recordAlert(
  tx: Database,
  args: { event: AlertPayload['event']; organisationId?: string; routeId?: string | null; priority: AlertPayload['priority']; componentIds: string[]; pageIds?: string[]; incident?: AlertPayload['incident']; detail?: AlertPayload['detail']; dedupeKey?: string; now: Date },
): Promise<string | null> {
  const organisationId = args.organisationId ?? (args.componentIds[0] ? await organisationOfComponent(tx, args.componentIds[0]) : null);
  if (!organisationId) return null;
  const payload: AlertPayload = {
    event: args.event,
    organisationId,
    routeId: args.routeId ?? null,
    priority: args.priority,
    components: await namesOf(tx, args.componentIds),
    incident: args.incident ?? null,
    detail: args.detail ?? {},
    at: args.now.toISOString(),
  };
  const inserted = await tx
    .insert(tables.notificationEvents)
    .values({ kind: 'operator_alert', pageIds: args.pageIds ?? [], componentIds: args.componentIds, payload, createdAt: args.now, dedupeKey: args.dedupeKey ?? null })
    .onConflictDoNothing()
    .returning({ id: tables.notificationEvents.id });
  return inserted[0]?.id ?? null;
}

/** The alert of a component's new state, if the change is one operators hear about: into down or degraded, or back up from either. */
export function stateChangeEvent(previous: string | null, next: string): { event: AlertEvent; priority: 'A' | 'B' } | null {
  if (previous === next) return null;
  if (next === 'down') return { event: 'component_down', priority: 'A' };
  if (next === 'degraded') return { event: 'component_degraded', priority: 'B' };
  if (next === 'up' && (previous === 'down' || previous === 'degraded')) return { event: 'component_up', priority: previous === 'down' ? 'A' : 'B' };
  return null;
}

/** An incident as an alert names it. */
export function alertIncident(incident: typeof tables.incidents.$inferSelect): NonNullable<AlertPayload['incident']> {
  return { id: incident.id, title: localize(incident.title as LocalizedText, 'en'), priority: incident.priority };
}
