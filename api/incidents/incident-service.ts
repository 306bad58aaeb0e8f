import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { localize, type Language, type LocalizedText } from '../../config/index.ts';
import { tables, type Database } from '../../db/index.ts';
import type { Actor } from '../auth/accounts.ts';
import { recordAudit } from '../auth/audit.ts';
import { organisationFilter, requireOrganisation } from '../auth/organisation-scope.ts';
import { DomainError } from '../http/errors.ts';
import { isUuid } from '../http/ids.ts';
import { deadlineInCoveredTime } from '../sla/index.ts';
import { toEngineProfile } from '../sla-reports/index.ts';
import { alertIncident, recordAlert } from '../notifications/record-alert.ts';
import { describeComponents, recordIncidentUpdateEvent } from '../notifications/record-event.ts';
import { defaultImpact, type Impact } from '../component-status/shown-status.ts';
import { communicationClock, STEPS, type Priority, type Step } from './communication-plan.ts';
import { checkTextLanguages, withoutEmptyLanguages } from '../texts/check-languages.ts';
import { fillEstimate, renderTemplate, templateTexts, TEMPLATE_LANGUAGES, type TemplateLanguage } from './templates.ts';

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

export async function pageOf(db: Database, pageId: string) {
  const [page] = await db.select().from(tables.statusPages).where(and(eq(tables.statusPages.id, pageId), isNull(tables.statusPages.retiredAt)));
  if (!page) throw new DomainError('NOT_FOUND', `no status page "${pageId}"`, { kind: 'page', id: pageId });
  return page;
}

/** The live components of a page, with their names and SLA profiles. */
export async function componentsOf(db: Database, pageId: string) {
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
  requireOrganisation(args.actor, page.organisationId);
  // a language left empty is left out: readers of it see the default language's title, marked
  const title = typeof args.title === 'string' ? args.title : withoutEmptyLanguages(args.title);
  // (an automatic title is written by the system in every language it knows)
  if (args.actor !== 'system') checkTextLanguages({ field: 'title', text: title, languages: pageLanguages(page) });
  const known = new Set((await componentsOf(db, page.id)).map((c) => c.id));
  const unknown = args.componentIds.filter((id) => !known.has(id));
  if (args.componentIds.length === 0 || unknown.length > 0) {
    throw new DomainError('VALIDATION', args.componentIds.length === 0 ? 'name at least one affected component' : `not components of page "${page.id}": ${unknown.join(', ')}`, args.componentIds.length === 0 ? undefined : { kind: 'component', ids: unknown });
  }
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    const [incident] = await tx
      .insert(tables.incidents)
      .values({ pageId: page.id, title, priority: args.priority, status: 'investigating', componentIds: args.componentIds, automatic: args.automatic ?? false, detectedAt: args.detectedAt ?? args.now, registeredAt: args.now, updatedAt: args.now })
      .returning();
    await recordAudit(tx, { actor: args.actor, action: 'incident.open', entity: 'incident', entityId: incident!.id, organisationId: page.organisationId, before: null, after: incident, at: args.now });
    await recordAlert(tx, { event: 'incident_opened', organisationId: page.organisationId, priority: args.priority, componentIds: args.componentIds, pageIds: [page.id], incident: alertIncident(incident!), now: args.now });
    return incident!;
  });
}

/**
 * An estimated fix lies ahead: after the incident was detected and after now.
 * The message names both times, and the details carry them for the console
 * to say in its own language.
 */
function refuseEstimateBehind(estimate: Date, at: { detectedAt: Date; now: Date }): void {
  const earliest = at.detectedAt > at.now ? at.detectedAt : at.now;
  if (estimate >= earliest) return;
  const missed = estimate < at.detectedAt ? `is before the incident was detected (${at.detectedAt.toISOString()})` : `has passed (it is now ${at.now.toISOString()})`;
  throw new DomainError('VALIDATION', `estimatedFixAt ${estimate.toISOString()} ${missed}; give a time after ${earliest.toISOString()}`, { field: 'estimatedFixAt', estimatedFixAt: estimate.toISOString(), earliest: earliest.toISOString() });
}

/**
 * Publishes an update: written text per language, or the step's built-in
 * template in every language of the page. Names the version it read, so two
 * operators editing at once cannot overwrite each other: the second is told.
 */
export async function publishUpdate(
  db: Database,
  args: { incidentId: string; expectedVersion: number; step: Step; status?: IncidentStatus; body?: Record<string, string>; impact?: Record<string, Impact>; estimatedFixAt?: Date | null; actor: Who; now: Date },
) {
  const incident = await loadIncident(db, args.incidentId);
  if (args.estimatedFixAt) refuseEstimateBehind(args.estimatedFixAt, { detectedAt: incident.detectedAt, now: args.now });
  const strangers = Object.keys(args.impact ?? {}).filter((id) => !incident.componentIds.includes(id));
  if (strangers.length > 0) throw new DomainError('VALIDATION', `impact names components that are not in this incident: ${strangers.join(', ')}; it has ${incident.componentIds.join(', ')}`, { problem: 'not_in_incident', field: 'impact', ids: strangers });
  // the reads go out together, and the event's component names are read here rather than inside the transaction
  const [page, components, described, [previous]] = await Promise.all([
    pageOf(db, incident.pageId),
    args.body && Object.keys(args.body).length > 0 ? undefined : componentsOf(db, incident.pageId),
    describeComponents(db, incident.componentIds),
    db.select({ impact: tables.incidentUpdates.impact }).from(tables.incidentUpdates).where(eq(tables.incidentUpdates.incidentId, incident.id)).orderBy(desc(tables.incidentUpdates.publishedAt), desc(tables.incidentUpdates.incidentVersion)).limit(1),
  ]);
  requireOrganisation(args.actor, page.organisationId);
  if (incident.resolvedAt && args.step !== 'operation_normal' && args.step !== 'post_incident_report') {
    throw new DomainError('CONFLICT', `the incident was resolved at ${incident.resolvedAt.toISOString()}; only "operation_normal" and "post_incident_report" may follow`, { problem: 'resolved', resolvedAt: incident.resolvedAt.toISOString() });
  }
  const languages = (page.languages as string[]).filter((l): l is TemplateLanguage => (TEMPLATE_LANGUAGES as readonly string[]).includes(l));
  // languages left empty fall back (marked) to the default; {estimate} in a written text becomes the estimate in that text's language
  let body = args.body ? Object.fromEntries(Object.entries(withoutEmptyLanguages(args.body)).map(([language, text]) => [language, fillEstimate({ text, language, estimate: args.estimatedFixAt ?? null, timeZone: page.timeZone })])) : undefined;
  if (!body || Object.keys(body).length === 0) {
    const names = Object.fromEntries(languages.map((l) => [l, (components ?? []).filter((c) => incident.componentIds.includes(c.id)).map((c) => localize(c.name as LocalizedText, l as Language)).join(', ')]));
    body = renderTemplate({ step: args.step, languages, components: names, estimate: args.estimatedFixAt ?? null, timeZone: page.timeZone });
  }
  const strange = Object.keys(body).filter((l) => !(page.languages as string[]).includes(l));
  if (strange.length > 0) throw new DomainError('VALIDATION', `page "${page.id}" has no language ${strange.join(', ')}; it offers ${(page.languages as string[]).join(', ')}`);
  const status = args.status ?? STEP_STATUS[args.step];
  const resolving = status === 'resolved' && !incident.resolvedAt;
  // the rows this publish writes are known before it writes them: the version check below either makes exactly this row or fails
  const after: typeof incident = { ...incident, status, version: args.expectedVersion + 1, updatedAt: args.now, ...(resolving ? { resolvedAt: args.now } : {}) };
  // each component's impact: as this update says, else as the last one said, else as the priority implies; all operational once resolved
  const over = status === 'resolved' || status === 'postmortem';
  const impact = Object.fromEntries(incident.componentIds.map((id): [string, Impact] => [id, over ? 'operational' : (args.impact?.[id] ?? previous?.impact[id] ?? defaultImpact(incident.priority))]));
  const update: typeof tables.incidentUpdates.$inferSelect = { id: crypto.randomUUID(), incidentId: incident.id, incidentVersion: after.version, status, step: args.step, body, impact, estimatedFixAt: args.estimatedFixAt ?? null, author: args.actor === 'system' ? 'system' : args.actor.email, publishedAt: args.now };
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    // the version check first: a conflict writes nothing. Then the rest, one after another on the transaction's connection
    const updated = await tx
      .update(tables.incidents)
      .set({ status, version: sql`${tables.incidents.version} + 1`, updatedAt: args.now, ...(resolving ? { resolvedAt: args.now } : {}) })
      .where(and(eq(tables.incidents.id, incident.id), eq(tables.incidents.version, args.expectedVersion)))
      .returning();
    if (updated.length === 0) throw new DomainError('CONFLICT', `the incident changed since you read it (now version ${incident.version}, you sent ${args.expectedVersion}); reload it and publish again`, { problem: 'stale_version', version: incident.version, sent: args.expectedVersion });
    await tx.insert(tables.incidentUpdates).values(update);
    await recordAudit(tx, { actor: args.actor, action: 'incident.update', entity: 'incident', entityId: incident.id, organisationId: page.organisationId, before: incident, after: { incident: after, update }, at: args.now });
    await recordIncidentUpdateEvent(tx, { incident: after, update, now: args.now, described });
    if (resolving) await recordAlert(tx, { event: 'incident_resolved', organisationId: page.organisationId, priority: after.priority, componentIds: after.componentIds, pageIds: [page.id], incident: alertIncident(after), now: args.now });
    return { incident: updated[0]!, update };
  });
}

/** Records the reaction: the fault is classified and staff are on it. */
export async function acknowledgeIncident(db: Database, args: { incidentId: string; actor: Who; now: Date }) {
  const incident = await loadIncident(db, args.incidentId);
  const page = await pageOf(db, incident.pageId);
  requireOrganisation(args.actor, page.organisationId);
  if (incident.acknowledgedAt) return incident;
  const [updated] = await db.update(tables.incidents).set({ acknowledgedAt: args.now, updatedAt: args.now, version: sql`${tables.incidents.version} + 1` }).where(eq(tables.incidents.id, incident.id)).returning();
  await recordAudit(db, { actor: args.actor, action: 'incident.acknowledge', entity: 'incident', entityId: incident.id, organisationId: page.organisationId, before: incident, after: updated, at: args.now });
  return updated!;
}

export async function loadIncident(db: Database, id: string) {
  if (!isUuid(id)) throw new DomainError('VALIDATION', `"${id}" is not an incident id (a UUID)`);
  const [incident] = await db.select().from(tables.incidents).where(eq(tables.incidents.id, id));
  if (!incident) throw new DomainError('NOT_FOUND', `no incident "${id}"`, { kind: 'incident', id });
  return incident;
}

/** An incident with its updates, its communication clock and its reaction deadline. */
export async function incidentView(db: Database, args: { id: string; actor: Who; now: Date }) {
  const incident = await loadIncident(db, args.id);
  const page = await pageOf(db, incident.pageId);
  requireOrganisation(args.actor, page.organisationId);
  const updates = await db.select().from(tables.incidentUpdates).where(eq(tables.incidentUpdates.incidentId, incident.id)).orderBy(desc(tables.incidentUpdates.publishedAt), desc(tables.incidentUpdates.incidentVersion));
  const components = (await componentsOf(db, incident.pageId)).filter((c) => incident.componentIds.includes(c.id));
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
  const languages = pageLanguages(page);
  const names = Object.fromEntries(languages.map((l) => [l, components.map((c) => localize(c.name as LocalizedText, l as Language)).join(', ')]));
  const templateLanguages = languages.filter((l): l is TemplateLanguage => (TEMPLATE_LANGUAGES as readonly string[]).includes(l));
  return {
    incident,
    /** The page's languages, its default first: the console offers one text field for each. */
    languages,
    /** Each step's built-in text per language, `{estimate}` kept: what the console pre-fills. */
    templates: Object.fromEntries(STEPS.map((step) => [step, templateTexts({ step, languages: templateLanguages, components: names })])),
    /** The affected components with their names, for pickers. */
    components: components.map((c) => ({ id: c.id, name: c.name as LocalizedText })),
    /** The zone the page shows times in: the console's default for the times an operator types. */
    pageTimeZone: page.timeZone,
    updates,
    reaction: { dueAt: iso(reactionDueAt), acknowledgedAt: incident.acknowledgedAt?.toISOString() ?? null, state: reactionState(reactionDueAt, incident.acknowledgedAt?.getTime() ?? null, args.now.getTime()) },
    communication: { steps: clock.steps.map((s) => ({ ...s, dueAt: iso(s.dueAt), fulfilledAt: iso(s.fulfilledAt) })), next: clock.next ? { step: clock.next.step, dueAt: iso(clock.next.dueAt) } : null },
  };
}

/** Open incidents (and those resolved in the last day) of the actor's organisations, newest first, each as its view. */
export async function listIncidents(db: Database, args: { actor: Who; now: Date }) {
  const i = tables.incidents;
  const rows = await db
    .select({ id: i.id })
    .from(i)
    .innerJoin(tables.statusPages, eq(tables.statusPages.id, i.pageId))
    .where(and(sql`(${i.resolvedAt} is null or ${i.resolvedAt} > ${new Date(args.now.getTime() - 86_400_000).toISOString()}::timestamptz)`, organisationFilter(args.actor, tables.statusPages.organisationId)))
    .orderBy(desc(i.registeredAt));
  return Promise.all(rows.map((r) => incidentView(db, { id: r.id, actor: args.actor, now: args.now })));
}

/** The page's languages with its default one first. */
function pageLanguages(page: { defaultLanguage: string; languages: unknown }): string[] {
  return [page.defaultLanguage, ...(page.languages as string[]).filter((l) => l !== page.defaultLanguage)];
}

function reactionState(dueAt: number | null, acknowledgedAt: number | null, now: number) {
  if (dueAt === null) return acknowledgedAt === null ? 'no_deadline' : 'fulfilled';
  if (acknowledgedAt !== null) return acknowledgedAt <= dueAt ? 'fulfilled' : 'late';
  return now > dueAt ? 'overdue' : 'pending';
}
