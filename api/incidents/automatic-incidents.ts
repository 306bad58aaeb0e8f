import { and, eq, gt, isNull, or } from 'drizzle-orm';
import { localize, type LocalizedText } from '../../config/index.ts';
import { tables, type Database } from '../../db/index.ts';
import { recordAudit } from '../auth/audit.ts';
import { openIncident, publishUpdate } from './incident-service.ts';

/** A component that comes back within this long after its incident closed reopens it: flapping does not open new incidents. */
const FLAP_MS = 15 * 60_000;
/** An automatic incident closes once all its components have been up this long. */
const CLOSE_AFTER_UP_MS = 5 * 60_000;

/**
 * Opens, widens, raises, reopens and closes automatic incidents from the
 * quorum states: down is priority A, degraded B. The "registered" step is
 * published at once for A and B, so the 15-minute promise holds at night.
 */
export async function syncAutomaticIncidents(db: Database, now: Date): Promise<void> {
  const states = await db
    .select({ componentId: tables.components.id, name: tables.components.name, pageId: tables.componentGroups.pageId, organisationId: tables.statusPages.organisationId, autoPublish: tables.statusPages.autoPublishRegistered, state: tables.stateIntervals.state, since: tables.stateIntervals.startedAt })
    .from(tables.components)
    .innerJoin(tables.componentGroups, eq(tables.componentGroups.id, tables.components.groupId))
    .innerJoin(tables.statusPages, eq(tables.statusPages.id, tables.componentGroups.pageId))
    .innerJoin(tables.stateIntervals, and(eq(tables.stateIntervals.componentId, tables.components.id), isNull(tables.stateIntervals.endedAt)))
    .where(isNull(tables.components.retiredAt));
  const recent = await db
    .select()
    .from(tables.incidents)
    .where(and(eq(tables.incidents.automatic, true), or(isNull(tables.incidents.resolvedAt), gt(tables.incidents.resolvedAt, new Date(now.getTime() - FLAP_MS)))));

  for (const s of states.filter((x) => x.state === 'down' || x.state === 'degraded')) {
    const priority = s.state === 'down' ? 'A' : 'B';
    const covering = recent.find((i) => i.resolvedAt === null && i.componentIds.includes(s.componentId));
    if (covering) {
      if (priority === 'A' && covering.priority !== 'A') await raise(db, covering, s.organisationId, now);
      continue;
    }
    const samePage = recent.find((i) => i.resolvedAt === null && i.pageId === s.pageId);
    if (samePage) {
      const [widened] = await db.update(tables.incidents).set({ componentIds: [...samePage.componentIds, s.componentId], updatedAt: now, ...(priority === 'A' ? { priority: 'A' as const } : {}) }).where(eq(tables.incidents.id, samePage.id)).returning();
      await recordAudit(db, { actor: 'system', action: 'incident.widen', entity: 'incident', entityId: samePage.id, organisationId: s.organisationId, before: samePage, after: widened, at: now });
      Object.assign(samePage, widened);
      continue;
    }
    const flapping = recent.find((i) => i.resolvedAt !== null && i.componentIds.includes(s.componentId));
    if (flapping) {
      const [reopened] = await db.update(tables.incidents).set({ resolvedAt: null, status: 'investigating', updatedAt: now }).where(eq(tables.incidents.id, flapping.id)).returning();
      await recordAudit(db, { actor: 'system', action: 'incident.reopen', entity: 'incident', entityId: flapping.id, organisationId: s.organisationId, before: flapping, after: reopened, at: now });
      Object.assign(flapping, reopened);
      continue;
    }
    const title = localizedTitle(s.name as LocalizedText, priority);
    const incident = await openIncident(db, { pageId: s.pageId, title, priority, componentIds: [s.componentId], detectedAt: s.since, automatic: true, actor: 'system', now });
    if (s.autoPublish) {
      recent.push((await publishUpdate(db, { incidentId: incident.id, expectedVersion: incident.version, step: 'registered', actor: 'system', now })).incident);
    } else {
      recent.push(incident);
    }
  }

  const byComponent = new Map(states.map((s) => [s.componentId, s]));
  for (const incident of recent.filter((i) => i.resolvedAt === null)) {
    const allUpLongEnough = incident.componentIds.every((id) => {
      const s = byComponent.get(id);
      return s === undefined || (s.state === 'up' && now.getTime() - s.since.getTime() >= CLOSE_AFTER_UP_MS);
    });
    if (allUpLongEnough) await publishUpdate(db, { incidentId: incident.id, expectedVersion: incident.version, step: 'operation_normal', actor: 'system', now });
  }
}

async function raise(db: Database, incident: typeof tables.incidents.$inferSelect, organisationId: string, now: Date) {
  const [raised] = await db.update(tables.incidents).set({ priority: 'A', updatedAt: now }).where(eq(tables.incidents.id, incident.id)).returning();
  await recordAudit(db, { actor: 'system', action: 'incident.raise', entity: 'incident', entityId: incident.id, organisationId, before: incident, after: raised, at: now });
  Object.assign(incident, raised);
}

function localizedTitle(name: LocalizedText, priority: 'A' | 'B'): LocalizedText {
  const words = { da: priority === 'A' ? 'utilgængelig' : 'nedsat ydelse', en: priority === 'A' ? 'unavailable' : 'degraded', nb: priority === 'A' ? 'utilgjengelig' : 'redusert ytelse', sv: priority === 'A' ? 'otillgänglig' : 'nedsatt prestanda', it: priority === 'A' ? 'non disponibile' : 'prestazioni ridotte' } as const;
  return Object.fromEntries(Object.entries(words).map(([lang, word]) => [lang, `${localize(name, lang as keyof typeof words)}: ${word}`]));
}
