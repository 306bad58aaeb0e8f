import { eq, sql } from 'drizzle-orm';
import type { LocalizedText } from '../../config/index.ts';
import { tables, type Database } from '../../db/index.ts';
import type { Actor } from '../auth/accounts.ts';
import { recordAudit } from '../auth/audit.ts';
import { requireOrganisation } from '../auth/organisation-scope.ts';
import { DomainError } from '../http/errors.ts';
import { automaticTitle } from './automatic-title.ts';
import { componentsOf, loadIncident, pageOf } from './incident-service.ts';

type Incident = typeof tables.incidents.$inferSelect;

async function openIncidentOf(db: Database, id: string, actor: Actor) {
  const incident = await loadIncident(db, id);
  const page = await pageOf(db, incident.pageId);
  requireOrganisation(actor, page.organisationId);
  if (incident.mergedIntoId) throw new DomainError('CONFLICT', `incident "${id}" was merged into "${incident.mergedIntoId}"; change that one instead`);
  return { incident, page };
}

/** The title of an incident whose components changed: an automatic title follows them, one an operator wrote stays. */
function titleFor(incident: Incident, componentIds: readonly string[], names: Map<string, unknown>): LocalizedText {
  if (!incident.automatic || incident.titleEditedAt !== null) return incident.title as LocalizedText;
  const state = incident.priority === 'A' ? ('down' as const) : ('degraded' as const);
  return automaticTitle(componentIds.map((id) => ({ name: (names.get(id) ?? id) as LocalizedText, state })));
}

/**
 * Moves some components of an incident into a new incident of the same page
 * and priority. The new incident starts with an empty timeline: what was
 * published so far stays with the incident it was published for.
 */
export async function splitIncident(db: Database, args: { incidentId: string; componentIds: string[]; actor: Actor; now: Date }) {
  const { incident, page } = await openIncidentOf(db, args.incidentId, args.actor);
  if (incident.resolvedAt) throw new DomainError('CONFLICT', `incident "${incident.id}" is resolved; only open incidents can be split`);
  const moving = [...new Set(args.componentIds)];
  const strangers = moving.filter((id) => !incident.componentIds.includes(id));
  if (moving.length === 0) throw new DomainError('VALIDATION', 'choose at least one component to move into the new incident');
  if (strangers.length > 0) throw new DomainError('VALIDATION', `not components of this incident: ${strangers.join(', ')}; it has ${incident.componentIds.join(', ')}`);
  const staying = incident.componentIds.filter((id) => !moving.includes(id));
  if (staying.length === 0) throw new DomainError('VALIDATION', 'leave at least one component in this incident; to move them all, change the title instead');
  const names = new Map((await componentsOf(db, page.id)).map((c) => [c.id, c.name]));
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    const [created] = await tx
      .insert(tables.incidents)
      .values({ pageId: page.id, title: titleFor({ ...incident, titleEditedAt: null, automatic: true }, moving, names), priority: incident.priority, status: 'investigating', componentIds: moving, automatic: incident.automatic, detectedAt: incident.detectedAt, registeredAt: args.now, updatedAt: args.now })
      .returning();
    const [kept] = await tx
      .update(tables.incidents)
      .set({ componentIds: staying, title: titleFor(incident, staying, names), version: sql`${tables.incidents.version} + 1`, updatedAt: args.now })
      .where(eq(tables.incidents.id, incident.id))
      .returning();
    await recordAudit(tx, { actor: args.actor, action: 'incident.split', entity: 'incident', entityId: incident.id, organisationId: page.organisationId, before: incident, after: { incident: kept, movedTo: created!.id, componentIds: moving }, at: args.now });
    await recordAudit(tx, { actor: args.actor, action: 'incident.open', entity: 'incident', entityId: created!.id, organisationId: page.organisationId, before: null, after: { incident: created, splitFrom: incident.id }, at: args.now });
    return { incident: kept!, created: created! };
  });
}

/**
 * Merges another incident into this one: its components and its published
 * updates join this incident, and it is closed as merged, pointing here.
 */
export async function mergeIncidents(db: Database, args: { incidentId: string; otherId: string; actor: Actor; now: Date }) {
  if (args.incidentId === args.otherId) throw new DomainError('VALIDATION', 'an incident cannot be merged into itself; choose another incident');
  const { incident, page } = await openIncidentOf(db, args.incidentId, args.actor);
  const { incident: other } = await openIncidentOf(db, args.otherId, args.actor);
  if (other.pageId !== incident.pageId) throw new DomainError('VALIDATION', `incident "${other.id}" is on page "${other.pageId}", this one on "${incident.pageId}"; only incidents of one page can be merged`);
  if (incident.resolvedAt || other.resolvedAt) throw new DomainError('CONFLICT', `incident "${incident.resolvedAt ? incident.id : other.id}" is resolved; only open incidents can be merged`);
  const componentIds = [...new Set([...incident.componentIds, ...other.componentIds])];
  const names = new Map((await componentsOf(db, page.id)).map((c) => [c.id, c.name]));
  // the higher priority of the two: A before D
  const priority = incident.priority < other.priority ? incident.priority : other.priority;
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    const moved = await tx.update(tables.incidentUpdates).set({ incidentId: incident.id }).where(eq(tables.incidentUpdates.incidentId, other.id)).returning({ id: tables.incidentUpdates.id });
    const [merged] = await tx
      .update(tables.incidents)
      .set({ componentIds, priority, title: titleFor({ ...incident, priority }, componentIds, names), detectedAt: incident.detectedAt < other.detectedAt ? incident.detectedAt : other.detectedAt, version: sql`${tables.incidents.version} + 1`, updatedAt: args.now })
      .where(eq(tables.incidents.id, incident.id))
      .returning();
    const [closed] = await tx.update(tables.incidents).set({ mergedIntoId: incident.id, status: 'resolved', resolvedAt: args.now, version: sql`${tables.incidents.version} + 1`, updatedAt: args.now }).where(eq(tables.incidents.id, other.id)).returning();
    await recordAudit(tx, { actor: args.actor, action: 'incident.merge', entity: 'incident', entityId: incident.id, organisationId: page.organisationId, before: incident, after: { incident: merged, mergedFrom: other.id, updatesMoved: moved.length }, at: args.now });
    await recordAudit(tx, { actor: args.actor, action: 'incident.merged_into', entity: 'incident', entityId: other.id, organisationId: page.organisationId, before: other, after: closed, at: args.now });
    return { incident: merged!, closed: closed! };
  });
}

/** An operator's title, per language of the page; from then on the title no longer follows the components. */
export async function retitleIncident(db: Database, args: { incidentId: string; title: Record<string, string>; actor: Actor; now: Date }) {
  const { incident, page } = await openIncidentOf(db, args.incidentId, args.actor);
  const languages = page.languages as string[];
  const strange = Object.keys(args.title).filter((l) => !languages.includes(l));
  if (strange.length > 0) throw new DomainError('VALIDATION', `page "${page.id}" has no language ${strange.join(', ')}; it offers ${languages.join(', ')}`);
  const written = Object.fromEntries(Object.entries(args.title).map(([l, t]) => [l, t.trim()]).filter(([, t]) => t !== ''));
  if (Object.keys(written).length === 0) throw new DomainError('VALIDATION', `write the title in at least one language of the page (${languages.join(', ')})`);
  // languages left empty keep the title they had, so no language goes without one
  const old = incident.title as string | Record<string, string>;
  const before = Object.fromEntries(languages.flatMap((l) => (typeof old === 'string' ? [[l, old]] : old[l] ? [[l, old[l]]] : [])));
  const title = { ...before, ...written };
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    const [changed] = await tx.update(tables.incidents).set({ title, titleEditedAt: args.now, version: sql`${tables.incidents.version} + 1`, updatedAt: args.now }).where(eq(tables.incidents.id, incident.id)).returning();
    await recordAudit(tx, { actor: args.actor, action: 'incident.retitle', entity: 'incident', entityId: incident.id, organisationId: page.organisationId, before: incident, after: changed, at: args.now });
    return changed!;
  });
}
