import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { localize, type Language, type LocalizedText } from '../../config/index.ts';
import { tables, type Database } from '../../db/index.ts';
import type { Actor } from '../auth/accounts.ts';
import { recordAudit } from '../auth/audit.ts';
import { mayActOn } from '../auth/require-actor.ts';
import { DomainError } from '../http/errors.ts';
import { deadlineInCoveredTime } from '../sla/index.ts';
import { toEngineProfile } from '../sla-reports/index.ts';
import { communicationClock, type Priority, type Step } from './communication-plan.ts';
import { renderTemplate, TEMPLATE_LANGUAGES, type TemplateLanguage } from './templates.ts';

export type IncidentStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved' | 'postmortem';
type Who = Actor | 'system';

const STEP_STATUS: Record<Step, IncidentStatus> = {
  registered: 'investigating',
  nature: 'identified',
  status_estimate: 'identified',
  running_status: 'monitoring',
  operation_normal: 'resolved',
  post_incident_report: 'postmortem',
};

async function pageOf(db: Database, pageId: string) {
  const [page] = await db.select().from(tables.statusPages).where(and(eq(tables.statusPages.id, pageId), isNull(tables.statusPages.retiredAt)));
  if (!page) throw new DomainError('NOT_FOUND', `no status page "${pageId}"`);
  return page;
}

function authorise(actor: Who, organisationId: string) {
  if (actor !== 'system' && !mayActOn(actor, organisationId)) throw new DomainError('FORBIDDEN', `you may not act for organisation "${organisationId}"`);
}

/** The live components of a page, with their names and SLA profiles. */
async function componentsOf(db: Database, pageId: string) {
  return db
    .select({ id: tables.components.id, name: tables.components.name, category: tables.components.serviceCategory, spec: tables.slaProfiles.spec })
    .from(tables.components)
    .innerJoin(tables.componentGroups, eq(tables.componentGroups.id, tables.components.groupId))
    .leftJoin(tables.slaProfiles, eq(tables.slaProfiles.id, tables.components.slaProfileId))
    .where(and(eq(tables.componentGroups.pageId, pageId), isNull(tables.components.retiredAt)));
}

/** Opens an incident on a page for some of its components. */
export async function openIncident(db: Database, args: { pageId: string; title: LocalizedText; priority: Priority; componentIds: string[]; detectedAt?: Date; automatic?: boolean; actor: Who; now: Date }) {
  const page = await pageOf(db, args.pageId);
  authorise(args.actor, page.organisationId);
  const known = new Set((await componentsOf(db, page.id)).map((c) => c.id));
  const unknown = args.componentIds.filter((id) => !known.has(id));
  if (args.componentIds.length === 0 || unknown.length > 0) {
    throw new DomainError('VALIDATION', args.componentIds.length === 0 ? 'name at least one affected component' : `not components of page "${page.id}": ${unknown.join(', ')}`);
  }
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    const [incident] = await tx
      .insert(tables.incidents)
      .values({ pageId: page.id, title: args.title, priority: args.priority, status: 'investigating', componentIds: args.componentIds, automatic: args.automatic ?? false, detectedAt: args.detectedAt ?? args.now, registeredAt: args.now, updatedAt: args.now })
      .returning();
    await recordAudit(tx, { actor: args.actor, action: 'incident.open', entity: 'incident', entityId: incident!.id, before: null, after: incident, at: args.now });
    return incident!;
  });
}

/**
 * Publishes an update: written text per language, or the step's built-in
 * template in every language of the page. Names the version it read, so two
 * operators editing at once cannot overwrite each other: the second is told.
 */
export async function publishUpdate(
  db: Database,
  args: { incidentId: string; expectedVersion: number; step: Step; status?: IncidentStatus; body?: Record<string, string>; estimatedFixAt?: Date | null; actor: Who; now: Date },
) {
  const incident = await loadIncident(db, args.incidentId);
  const page = await pageOf(db, incident.pageId);
  authorise(args.actor, page.organisationId);
  if (incident.resolvedAt && args.step !== 'operation_normal' && args.step !== 'post_incident_report') {
    throw new DomainError('CONFLICT', `the incident was resolved at ${incident.resolvedAt.toISOString()}; only "operation_normal" and "post_incident_report" may follow`);
  }
  const languages = (page.languages as string[]).filter((l): l is TemplateLanguage => (TEMPLATE_LANGUAGES as readonly string[]).includes(l));
  let body = args.body;
  if (!body || Object.keys(body).length === 0) {
    const components = await componentsOf(db, page.id);
    const names = Object.fromEntries(languages.map((l) => [l, components.filter((c) => incident.componentIds.includes(c.id)).map((c) => localize(c.name as LocalizedText, l as Language)).join(', ')]));
    body = renderTemplate({ step: args.step, languages, components: names, estimate: args.estimatedFixAt ?? null, timeZone: page.timeZone });
  }
  const strange = Object.keys(body).filter((l) => !(page.languages as string[]).includes(l));
  if (strange.length > 0) throw new DomainError('VALIDATION', `page "${page.id}" has no language ${strange.join(', ')}; it offers ${(page.languages as string[]).join(', ')}`);
  const status = args.status ?? STEP_STATUS[args.step];
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    const resolving = status === 'resolved' && !incident.resolvedAt;
    const [updated] = await tx
      .update(tables.incidents)
      .set({ status, version: sql`${tables.incidents.version} + 1`, updatedAt: args.now, ...(resolving ? { resolvedAt: args.now } : {}) })
      .where(and(eq(tables.incidents.id, incident.id), eq(tables.incidents.version, args.expectedVersion)))
      .returning();
    if (!updated) throw new DomainError('CONFLICT', `the incident changed since you read it (now version ${incident.version}, you sent ${args.expectedVersion}); reload it and publish again`);
    const impact = Object.fromEntries(incident.componentIds.map((id) => [id, status === 'resolved' || status === 'postmortem' ? ('operational' as const) : incident.priority === 'A' ? ('major_outage' as const) : ('degraded_performance' as const)]));
    const [update] = await tx
      .insert(tables.incidentUpdates)
      .values({ incidentId: incident.id, incidentVersion: updated.version, status, step: args.step, body, impact, estimatedFixAt: args.estimatedFixAt ?? null, author: args.actor === 'system' ? 'system' : args.actor.email, publishedAt: args.now })
      .returning();
    await recordAudit(tx, { actor: args.actor, action: 'incident.update', entity: 'incident', entityId: incident.id, before: incident, after: { incident: updated, update }, at: args.now });
    return { incident: updated, update: update! };
  });
}

/** Records the reaction: the fault is classified and staff are on it. */
export async function acknowledgeIncident(db: Database, args: { incidentId: string; actor: Who; now: Date }) {
  const incident = await loadIncident(db, args.incidentId);
  authorise(args.actor, (await pageOf(db, incident.pageId)).organisationId);
  if (incident.acknowledgedAt) return incident;
  const [updated] = await db.update(tables.incidents).set({ acknowledgedAt: args.now, updatedAt: args.now, version: sql`${tables.incidents.version} + 1` }).where(eq(tables.incidents.id, incident.id)).returning();
  await recordAudit(db, { actor: args.actor, action: 'incident.acknowledge', entity: 'incident', entityId: incident.id, before: incident, after: updated, at: args.now });
  return updated!;
}

export async function loadIncident(db: Database, id: string) {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new DomainError('NOT_FOUND', `no incident "${id}"`);
  const [incident] = await db.select().from(tables.incidents).where(eq(tables.incidents.id, id));
  if (!incident) throw new DomainError('NOT_FOUND', `no incident "${id}"`);
  return incident;
}

/** An incident with its updates, its communication clock and its reaction deadline. */
export async function incidentView(db: Database, args: { id: string; now: Date }) {
  const incident = await loadIncident(db, args.id);
  const updates = await db.select().from(tables.incidentUpdates).where(eq(tables.incidentUpdates.incidentId, incident.id)).orderBy(desc(tables.incidentUpdates.incidentVersion));
  const components = (await componentsOf(db, incident.pageId)).filter((c) => incident.componentIds.includes(c.id));
  const page = await pageOf(db, incident.pageId);
  // the strictest profile among the affected components sets the clocks
  const profiles = components.filter((c) => c.spec).map((c) => ({ category: c.category, profile: toEngineProfile(c.spec as never) }));
  const governing = profiles[0]?.profile;
  const coverage = governing?.coverage ?? { kind: 'always' as const };
  const timeZone = governing?.timeZone ?? page.timeZone;
  const reactionMinutes = Math.min(
    ...profiles.map(({ profile, category }) => (profile.categories.find((c) => c.id === category)?.reactionMinutes ?? undefined)?.[incident.priority] ?? Infinity),
    ...profiles.map(({ profile }) => profile.reactionMinutes?.[incident.priority] ?? Infinity),
  );
  const reactionDueAt = Number.isFinite(reactionMinutes) ? deadlineInCoveredTime({ startedAt: incident.registeredAt.getTime(), durationMinutes: reactionMinutes, coverage, timeZone }) ?? null : null;
  const clock = communicationClock({
    priority: incident.priority,
    registeredAt: incident.registeredAt.getTime(),
    resolvedAt: incident.resolvedAt?.getTime() ?? null,
    published: updates.map((u) => ({ step: u.step, at: u.publishedAt.getTime() })),
    coverage,
    timeZone,
    ...(governing ? { plan: governing.communicationPlan } : {}),
    now: args.now.getTime(),
  });
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    incident,
    updates,
    reaction: { dueAt: iso(reactionDueAt), acknowledgedAt: incident.acknowledgedAt?.toISOString() ?? null, state: reactionState(reactionDueAt, incident.acknowledgedAt?.getTime() ?? null, args.now.getTime()) },
    communication: { steps: clock.steps.map((s) => ({ ...s, dueAt: iso(s.dueAt), fulfilledAt: iso(s.fulfilledAt) })), next: clock.next ? { step: clock.next.step, dueAt: iso(clock.next.dueAt) } : null },
  };
}

function reactionState(dueAt: number | null, acknowledgedAt: number | null, now: number) {
  if (dueAt === null) return acknowledgedAt === null ? 'no_deadline' : 'fulfilled';
  if (acknowledgedAt !== null) return acknowledgedAt <= dueAt ? 'fulfilled' : 'late';
  return now > dueAt ? 'overdue' : 'pending';
}
