import { and, arrayOverlaps, eq, gt, isNull, lte, or } from 'drizzle-orm';
import type { LocalizedText } from '../../config/index.ts';
import { tables, type Database } from '../../db/index.ts';
import { recordAudit } from '../auth/audit.ts';
import { automaticTitle } from './automatic-title.ts';
import { placeFailure, shelterSpan, type Failure, type OpenIncidentFacts } from './group-failures.ts';
import { openIncident, publishUpdate } from './incident-service.ts';

/** A component that comes back within this long after its incident closed reopens it: flapping does not open new incidents. */
const FLAP_MS = 15 * 60_000;
/** An automatic incident closes once all its components have been up this long. */
const CLOSE_AFTER_UP_MS = 5 * 60_000;
/** Failures of other groups beginning this close to an automatic incident share it, unless the config says otherwise. */
export const DEFAULT_GROUP_WITHIN_MS = 2 * 60_000;
/** Windows that ended longer ago than this no longer decide anything about a failure. */
const WINDOW_LOOKBACK_MS = 86_400_000;

type Incident = typeof tables.incidents.$inferSelect;

/**
 * Opens, widens, raises, reopens, re-titles and closes automatic incidents
 * from the quorum states: down is priority A, degraded B. Components that
 * fail together share an incident (see group-failures.ts); a component in an
 * active service window gets none. The "registered" step is published at
 * once for A and B, so the 15-minute promise holds at night.
 */
export async function syncAutomaticIncidents(db: Database, now: Date, options: { groupWithinMs?: number } = {}): Promise<void> {
  const groupWithinMs = options.groupWithinMs ?? DEFAULT_GROUP_WITHIN_MS;
  const states = await db
    .select({ componentId: tables.components.id, groupId: tables.components.groupId, name: tables.components.name, pageId: tables.componentGroups.pageId, organisationId: tables.statusPages.organisationId, autoPublish: tables.statusPages.autoPublishRegistered, state: tables.stateIntervals.state, since: tables.stateIntervals.startedAt })
    .from(tables.components)
    .innerJoin(tables.componentGroups, eq(tables.componentGroups.id, tables.components.groupId))
    .innerJoin(tables.statusPages, eq(tables.statusPages.id, tables.componentGroups.pageId))
    .innerJoin(tables.stateIntervals, and(eq(tables.stateIntervals.componentId, tables.components.id), isNull(tables.stateIntervals.endedAt)))
    .where(isNull(tables.components.retiredAt));
  const i = tables.incidents;
  const incidents = await db
    .select()
    .from(i)
    .where(and(isNull(i.mergedIntoId), or(isNull(i.resolvedAt), and(eq(i.automatic, true), gt(i.resolvedAt, new Date(now.getTime() - FLAP_MS))))));
  const open = incidents.filter((x) => x.resolvedAt === null);
  const failures = await describeFailures(db, states, now);
  const byComponent = new Map(states.map((s) => [s.componentId, s]));
  const facts = (): OpenIncidentFacts[] =>
    open.map((x) => ({
      id: x.id,
      pageId: x.pageId,
      automatic: x.automatic,
      componentIds: x.componentIds,
      groupIds: new Set(x.componentIds.flatMap((id) => byComponent.get(id)?.groupId ?? [])),
      detectedAt: x.detectedAt,
      ownOnly: x.componentIds.some((id) => failures.get(id)?.beganInWindow === true),
    }));

  for (const s of states) {
    const failure = failures.get(s.componentId);
    if (!failure) continue;
    const priority = failure.state === 'down' ? 'A' : 'B';
    const placement = placeFailure(failure, facts(), { groupWithinMs });
    if (placement.kind === 'sheltered') continue;
    if (placement.kind === 'covered') {
      const covering = open.find((x) => x.id === placement.incidentId)!;
      // an operator's incident keeps the priority the operator gave it
      if (covering.automatic && priority === 'A' && covering.priority !== 'A') await change(db, covering, { priority: 'A' }, 'incident.raise', s.organisationId, now);
      continue;
    }
    if (placement.kind === 'join') {
      const joined = open.find((x) => x.id === placement.incidentId)!;
      await change(db, joined, { componentIds: [...joined.componentIds, s.componentId], ...(priority === 'A' ? { priority: 'A' as const } : {}) }, 'incident.widen', s.organisationId, now);
      continue;
    }
    const flapping = incidents.find((x) => x.resolvedAt !== null && x.automatic && x.componentIds.includes(s.componentId));
    if (flapping && !failure.beganInWindow) {
      await change(db, flapping, { resolvedAt: null, status: 'investigating' }, 'incident.reopen', s.organisationId, now);
      open.push(flapping);
      continue;
    }
    const incident = await openIncident(db, { pageId: s.pageId, title: automaticTitle([{ name: s.name as LocalizedText, state: failure.state }]), priority, componentIds: [s.componentId], detectedAt: s.since, automatic: true, actor: 'system', now });
    open.push(s.autoPublish ? (await publishUpdate(db, { incidentId: incident.id, expectedVersion: incident.version, step: 'registered', actor: 'system', now })).incident : incident);
  }

  for (const incident of open.filter((x) => x.automatic)) {
    const allUpLongEnough = incident.componentIds.every((id) => {
      const s = byComponent.get(id);
      return s === undefined || (s.state === 'up' && now.getTime() - s.since.getTime() >= CLOSE_AFTER_UP_MS);
    });
    if (allUpLongEnough) {
      await publishUpdate(db, { incidentId: incident.id, expectedVersion: incident.version, step: 'operation_normal', actor: 'system', now });
      continue;
    }
    await followTitle(db, incident, { failures, byComponent, now });
  }
}

/** An automatic title names what is affected now; once an operator wrote the title, it stays theirs. */
async function followTitle(db: Database, incident: Incident, args: { failures: Map<string, Failure>; byComponent: Map<string, { name: unknown; organisationId: string }>; now: Date }) {
  if (incident.titleEditedAt !== null) return;
  const affected = incident.componentIds.flatMap((id) => {
    const failure = args.failures.get(id);
    const component = args.byComponent.get(id);
    return failure && component ? [{ name: component.name as LocalizedText, state: failure.state }] : [];
  });
  // all recovered: the incident closes soon, and its last title says what it was about
  if (affected.length === 0) return;
  const title = automaticTitle(affected);
  // compared language by language: the database keeps JSON keys in an order of its own
  const stored = incident.title as Record<string, string> | string;
  if (typeof stored === 'object' && Object.keys(title).length === Object.keys(stored).length && Object.entries(title).every(([language, text]) => stored[language] === text)) return;
  const organisationId = args.byComponent.get(incident.componentIds[0]!)?.organisationId ?? null;
  await change(db, incident, { title }, 'incident.title_follows', organisationId, args.now);
}

/** The failing components, with whether a service window shelters them now or they began failing inside one. */
async function describeFailures(db: Database, states: readonly { componentId: string; groupId: string; pageId: string; state: string; since: Date }[], now: Date): Promise<Map<string, Failure>> {
  const failing = states.filter((s): s is typeof s & { state: 'down' | 'degraded' } => s.state === 'down' || s.state === 'degraded');
  const w = tables.serviceWindows;
  const windows = failing.length
    ? await db
        .select({ componentIds: w.componentIds, plannedStart: w.plannedStart, plannedEnd: w.plannedEnd, actualEnd: w.actualEnd })
        .from(w)
        .where(and(isNull(w.cancelledAt), lte(w.plannedStart, now), gt(w.plannedEnd, new Date(now.getTime() - WINDOW_LOOKBACK_MS)), arrayOverlaps(w.componentIds, failing.map((f) => f.componentId))))
    : [];
  return new Map(
    failing.map((s) => {
      const spans = windows.filter((x) => x.componentIds.includes(s.componentId)).map(shelterSpan);
      const sheltered = spans.some((span) => span.start <= now.getTime() && now.getTime() < span.end);
      const beganInWindow = !sheltered && spans.some((span) => span.start <= s.since.getTime() && s.since.getTime() < span.end);
      return [s.componentId, { componentId: s.componentId, groupId: s.groupId, pageId: s.pageId, state: s.state, since: s.since, sheltered, beganInWindow }];
    }),
  );
}

async function change(db: Database, incident: Incident, set: Partial<Incident>, action: string, organisationId: string | null, now: Date) {
  const [changed] = await db.update(tables.incidents).set({ ...set, updatedAt: now }).where(eq(tables.incidents.id, incident.id)).returning();
  await recordAudit(db, { actor: 'system', action, entity: 'incident', entityId: incident.id, organisationId, before: incident, after: changed, at: now });
  Object.assign(incident, changed);
}
