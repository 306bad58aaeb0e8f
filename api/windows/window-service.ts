import { and, eq, gt, isNull, lt, ne, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { LocalizedText } from '../../config/index.ts';
import { inList, tables, type Database } from '../../db/index.ts';
import type { Actor } from '../auth/accounts.ts';
import { recordAudit } from '../auth/audit.ts';
import { requireOrganisation } from '../auth/organisation-scope.ts';
import { DomainError } from '../http/errors.ts';
import { isUuid } from '../http/ids.ts';
import { checkTextLanguages, withoutEmptyLanguages } from '../texts/check-languages.ts';
import { checkWindowPolicy, EXCLUSION_REASONS, type BrokenRule, type ExclusionReason } from '../sla/index.ts';
import { recordWindowEvent, type WindowKind } from '../notifications/record-event.ts';
import { reviseFrozenStatements, toEngineProfile, windowPolicyFor } from '../sla-reports/index.ts';

type Window = typeof tables.serviceWindows.$inferSelect;

/** The components with their page, organisation and SLA profile; each must exist and be the actor's. */
async function componentsFor(db: Database, actor: Actor, componentIds: string[]) {
  if (componentIds.length === 0) throw new DomainError('VALIDATION', 'name at least one component');
  const rows = await db
    .select({ id: tables.components.id, category: tables.components.serviceCategory, pageId: tables.statusPages.id, organisationId: tables.statusPages.organisationId, languages: tables.statusPages.languages, spec: tables.slaProfiles.spec })
    .from(tables.components)
    .innerJoin(tables.componentGroups, eq(tables.componentGroups.id, tables.components.groupId))
    .innerJoin(tables.statusPages, eq(tables.statusPages.id, tables.componentGroups.pageId))
    .leftJoin(tables.slaProfiles, eq(tables.slaProfiles.id, tables.components.slaProfileId))
    .where(and(inList(tables.components.id, componentIds), isNull(tables.components.retiredAt)));
  const missing = componentIds.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length > 0) throw new DomainError('VALIDATION', `unknown components: ${missing.join(', ')}`, { kind: 'component', ids: missing });
  for (const row of rows) requireOrganisation(actor, row.organisationId);
  return rows;
}

/**
 * Checks a window against the policy of every component it touches (with the
 * component's category overrides) and the windows already planned for them.
 * Refused: the rules it breaks. Accepted as an emergency: flagged, rules kept.
 */
async function judgeWindow(db: Database, args: { components: Awaited<ReturnType<typeof componentsFor>>; plannedStart: Date; plannedEnd: Date; announcedAt: Date; excludeId?: string }): Promise<{ emergency: boolean; broken: BrokenRule[] }> {
  if (args.plannedEnd <= args.plannedStart) throw new DomainError('VALIDATION', 'plannedEnd must be after plannedStart');
  const w = tables.serviceWindows;
  let emergency = false;
  const broken: BrokenRule[] = [];
  for (const component of args.components) {
    if (!component.spec) continue; // no SLA profile: no policy
    const profile = toEngineProfile(component.spec as never);
    const policy = windowPolicyFor(profile, component.category);
    if (!policy) continue;
    const planned = await db
      .select()
      .from(w)
      .where(and(isNull(w.cancelledAt), sql`${w.componentIds} @> ${`{${component.id}}`}::text[]`, args.excludeId ? ne(w.id, args.excludeId) : sql`true`));
    const verdict = checkWindowPolicy({
      policy,
      window: { plannedStart: args.plannedStart.getTime(), plannedEnd: args.plannedEnd.getTime(), announcedAt: args.announcedAt.getTime() },
      planned: planned.map((p) => ({ plannedStart: p.plannedStart.getTime(), plannedEnd: p.plannedEnd.getTime(), announcedAt: p.announcedAt.getTime(), emergency: p.emergency })),
      timeZone: profile.timeZone,
    });
    if (verdict.verdict === 'refused') {
      throw new DomainError('POLICY', `the window breaks the policy of ${component.id}: ${verdict.broken.map((b) => `${b.rule}: ${b.message}`).join('; ')}`, { component: component.id, broken: verdict.broken });
    }
    if (verdict.verdict === 'emergency') {
      emergency = true;
      broken.push(...verdict.broken.filter((b) => !broken.some((x) => x.rule === b.rule)));
    }
  }
  return { emergency, broken };
}

const DAY_MS = 86_400_000;
/** Windows and exclusions lie between 2000 and two years ahead and last at most a year: anything else is a typo, and would make every month in between be revised. */
function checkSpan(what: string, start: Date, end: Date, now: Date): void {
  if (end <= start) throw new DomainError('VALIDATION', `${what}: the end must be after the start`);
  if (start.getUTCFullYear() < 2000 || end.getTime() > now.getTime() + 2 * 366 * DAY_MS) throw new DomainError('VALIDATION', `${what} must lie between the year 2000 and two years from now`);
  if (end.getTime() - start.getTime() > 366 * DAY_MS) throw new DomainError('VALIDATION', `${what} may last at most a year; record longer spans as several`);
}

/**
 * Runs a change, its audit entry and the revision of frozen months in one
 * transaction, so a failure leaves nothing behind; changes that touch the same
 * pages wait for each other (a transaction-scoped advisory lock per page), so
 * two at once never write the same statement version.
 */
async function atomically<T>(db: Database, pageIds: string[], work: (tx: Database) => Promise<T>): Promise<T> {
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    for (const pageId of [...new Set(pageIds)].sort()) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`statusvakt:revise:${pageId}`}))`);
    return work(tx);
  });
}

/** After a change: revise the frozen months it touches, for the components it names, with the reason. */
async function reviseTouchedMonths(db: Database, args: { pageIds: string[]; componentIds: string[]; from: Date; to: Date; reason: string; now: Date }) {
  const months = new Set<string>();
  for (let t = DateTime.fromJSDate(args.from, { zone: 'UTC' }).minus({ days: 1 }).startOf('month'); t.toJSDate() <= new Date(args.to.getTime() + 86_400_000); t = t.plus({ months: 1 })) months.add(t.toFormat('yyyy-MM'));
  const revised = [];
  for (const pageId of new Set(args.pageIds)) for (const month of months) revised.push(...(await reviseFrozenStatements(db, { pageId, periodKey: month, componentIds: args.componentIds, reason: args.reason, now: args.now })));
  return revised;
}

/** Schedules a window; its title and description are written per page language (a missing one falls back, marked, to the page's default). */
export async function scheduleWindow(db: Database, args: { componentIds: string[]; title: LocalizedText; description?: Record<string, string>; plannedStart: Date; plannedEnd: Date; announcedAt?: Date; actor: Actor; now: Date }) {
  checkSpan('a service window', args.plannedStart, args.plannedEnd, args.now);
  const components = await componentsFor(db, args.actor, args.componentIds);
  const languages = [...new Set(components.flatMap((c) => c.languages))];
  const title = typeof args.title === 'string' ? args.title : withoutEmptyLanguages(args.title);
  checkTextLanguages({ field: 'title', text: title, languages });
  // a description is optional: one left empty in every language is none
  const written = args.description ? withoutEmptyLanguages(args.description) : {};
  const description = Object.keys(written).length > 0 ? written : null;
  if (description) checkTextLanguages({ field: 'description', text: description, languages });
  const announcedAt = args.announcedAt ?? args.now;
  const { emergency, broken } = await judgeWindow(db, { components, plannedStart: args.plannedStart, plannedEnd: args.plannedEnd, announcedAt });
  return atomically(db, components.map((c) => c.pageId), async (tx) => {
    const [window] = await tx
      .insert(tables.serviceWindows)
      .values({ componentIds: args.componentIds, title, description, plannedStart: args.plannedStart, plannedEnd: args.plannedEnd, announcedAt, emergency, brokenRules: broken, createdBy: args.actor.email, createdAt: args.now })
      .returning();
    await recordAudit(tx, { actor: args.actor, action: 'window.schedule', entity: 'service_window', entityId: window!.id, organisationId: components[0]!.organisationId, before: null, after: window, at: args.now });
    await recordWindowEvent(tx, { kind: 'window_announced', window: window!, now: args.now });
    const revised = await reviseTouchedMonths(tx, { pageIds: components.map((c) => c.pageId), componentIds: args.componentIds, from: args.plannedStart, to: args.plannedEnd, reason: `service window ${window!.id} scheduled by ${args.actor.email}`, now: args.now });
    return { window: window!, revised };
  });
}

export type WindowChange =
  | { action: 'reschedule'; plannedStart: Date; plannedEnd: Date }
  | { action: 'start'; at: Date }
  | { action: 'extend'; until: Date }
  | { action: 'close'; at: Date }
  | { action: 'cancel' };

/** What subscribers are told about each change: a new plan is announced again. */
const WINDOW_EVENT: Record<WindowChange['action'], WindowKind> = { reschedule: 'window_announced', extend: 'window_announced', start: 'window_started', close: 'window_ended', cancel: 'window_cancelled' };

/** Changes a window: reschedule (policy checked again), start (early allowed), extend (past the planned end: overrun), close, cancel. */
export async function changeWindow(db: Database, args: { id: string; change: WindowChange; actor: Actor; now: Date }) {
  const w = tables.serviceWindows;
  if (!isUuid(args.id)) throw new DomainError('VALIDATION', `"${args.id}" is not a service window id (a UUID)`);
  const [before] = await db.select().from(w).where(eq(w.id, args.id));
  if (!before || before.cancelledAt) throw new DomainError('NOT_FOUND', `no service window "${args.id}"`, { kind: 'window', id: args.id });
  const components = await componentsFor(db, args.actor, before.componentIds);
  const change = args.change;
  let set: Partial<Window>;
  switch (change.action) {
    case 'reschedule': {
      if (before.actualStart) throw new DomainError('CONFLICT', 'the window has started; extend or close it instead');
      const { emergency, broken } = await judgeWindow(db, { components, plannedStart: change.plannedStart, plannedEnd: change.plannedEnd, announcedAt: args.now, excludeId: before.id });
      set = { plannedStart: change.plannedStart, plannedEnd: change.plannedEnd, announcedAt: args.now, emergency, brokenRules: broken };
      break;
    }
    case 'start':
      if (before.actualStart) throw new DomainError('CONFLICT', `the window started at ${before.actualStart.toISOString()}`);
      set = { actualStart: change.at };
      break;
    case 'extend':
      if (change.until <= before.plannedEnd) throw new DomainError('VALIDATION', 'an extension ends after the planned end; to shorten a window, close it');
      set = { extendedUntil: change.until };
      break;
    case 'close':
      if (!before.actualStart && change.at > before.plannedStart) set = { actualStart: before.plannedStart, actualEnd: change.at };
      else set = { actualEnd: change.at };
      break;
    case 'cancel':
      if (before.actualStart) throw new DomainError('CONFLICT', 'the window has started; close it instead');
      set = { cancelledAt: args.now };
      break;
  }
  const next = { ...before, ...set };
  checkSpan('a service window', next.actualStart ?? next.plannedStart, next.actualEnd ?? next.extendedUntil ?? next.plannedEnd, args.now);
  return atomically(db, components.map((c) => c.pageId), async (tx) => {
    const [after] = await tx.update(w).set(set).where(eq(w.id, before.id)).returning();
    await recordAudit(tx, { actor: args.actor, action: `window.${change.action}`, entity: 'service_window', entityId: before.id, organisationId: components[0]!.organisationId, before, after, at: args.now });
      await recordWindowEvent(tx, { kind: WINDOW_EVENT[change.action], window: after!, now: args.now });
    const span = [before.plannedStart, before.plannedEnd, after!.plannedStart, after!.plannedEnd, after!.actualEnd ?? after!.plannedEnd].map((d) => d.getTime());
    const revised = await reviseTouchedMonths(tx, { pageIds: components.map((c) => c.pageId), componentIds: before.componentIds, from: new Date(Math.min(...span)), to: new Date(Math.max(...span)), reason: `service window ${before.id}: ${change.action} by ${args.actor.email}`, now: args.now });
    return { window: after!, revised };
  });
}

export async function recordExclusion(db: Database, args: { componentIds: string[]; start: Date; end: Date; reason: ExclusionReason; note: string; actor: Actor; now: Date }) {
  if (!(EXCLUSION_REASONS as readonly string[]).includes(args.reason)) throw new DomainError('VALIDATION', `reason must be one of ${EXCLUSION_REASONS.join(', ')}`);
  if (args.end <= args.start) throw new DomainError('VALIDATION', 'end must be after start');
  checkSpan('an exclusion', args.start, args.end, args.now);
  if (args.note.trim().length < 3) throw new DomainError('VALIDATION', 'an exclusion needs a note saying why (it is shown in the report)');
  const components = await componentsFor(db, args.actor, args.componentIds);
  return atomically(db, components.map((c) => c.pageId), async (tx) => {
    const [exclusion] = await tx
      .insert(tables.exclusions)
      .values({ componentIds: args.componentIds, startAt: args.start, endAt: args.end, reason: args.reason, note: args.note, author: args.actor.email, recordedAt: args.now })
      .returning();
    await recordAudit(tx, { actor: args.actor, action: 'exclusion.record', entity: 'exclusion', entityId: exclusion!.id, organisationId: components[0]!.organisationId, before: null, after: exclusion, at: args.now });
    const revised = await reviseTouchedMonths(tx, { pageIds: components.map((c) => c.pageId), componentIds: args.componentIds, from: args.start, to: args.end, reason: `exclusion ${exclusion!.id} (${args.reason}) recorded by ${args.actor.email}: ${args.note}`, now: args.now });
    return { exclusion: exclusion!, revised };
  });
}

type ExclusionRow = typeof tables.exclusions.$inferSelect;

/** The organisation of each component, for keeping a list to the actor's. */
async function organisationOfComponents(db: Database): Promise<Map<string, string>> {
  const rows = await db
    .select({ id: tables.components.id, organisationId: tables.statusPages.organisationId })
    .from(tables.components)
    .innerJoin(tables.componentGroups, eq(tables.componentGroups.id, tables.components.groupId))
    .innerJoin(tables.statusPages, eq(tables.statusPages.id, tables.componentGroups.pageId));
  return new Map(rows.map((r) => [r.id, r.organisationId]));
}

/**
 * Exclusions whose components all belong to the actor's organisations, newest
 * span first; withdrawn ones only when asked for. `from`/`to` keep those that
 * overlap the span.
 */
export async function listExclusions(db: Database, args: { actor: Actor; from?: Date; to?: Date; includeWithdrawn?: boolean }): Promise<ExclusionRow[]> {
  const x = tables.exclusions;
  const rows = await db
    .select()
    .from(x)
    .where(and(args.includeWithdrawn ? undefined : isNull(x.revokedAt), args.to ? lt(x.startAt, args.to) : undefined, args.from ? gt(x.endAt, args.from) : undefined))
    .orderBy(sql`${x.startAt} desc`, x.id);
  const organisationOf = await organisationOfComponents(db);
  const mine = (organisationId: string | undefined) => organisationId !== undefined && (args.actor.organisationIds === null || args.actor.organisationIds.includes(organisationId));
  return rows.filter((row) => row.componentIds.every((id) => mine(organisationOf.get(id))));
}

async function exclusionFor(db: Database, actor: Actor, id: string) {
  if (!isUuid(id)) throw new DomainError('VALIDATION', `"${id}" is not an exclusion id (a UUID)`);
  const [before] = await db.select().from(tables.exclusions).where(eq(tables.exclusions.id, id));
  if (!before) throw new DomainError('NOT_FOUND', `no exclusion "${id}"`, { kind: 'exclusion', id });
  const components = await componentsFor(db, actor, before.componentIds);
  if (before.revokedAt) throw new DomainError('CONFLICT', `the exclusion was withdrawn at ${before.revokedAt.toISOString()}; record a new one instead`);
  return { before, components };
}

const needsWhy = (why: string) => {
  if (why.trim().length < 3) throw new DomainError('VALIDATION', 'say why the exclusion changes (why, 3 characters or more): it is the reason of every frozen month revised');
};

/**
 * Changes an exclusion's span, reason or note. Every frozen month the old or
 * the new span touches gets a new statement version with `why` as its reason;
 * the audit log keeps the exclusion before and after.
 */
export async function changeExclusion(db: Database, args: { id: string; start?: Date; end?: Date; reason?: ExclusionReason; note?: string; why: string; actor: Actor; now: Date }) {
  needsWhy(args.why);
  const { before, components } = await exclusionFor(db, args.actor, args.id);
  const start = args.start ?? before.startAt;
  const end = args.end ?? before.endAt;
  const reason = args.reason ?? (before.reason as ExclusionReason);
  const note = args.note ?? before.note;
  if (!(EXCLUSION_REASONS as readonly string[]).includes(reason)) throw new DomainError('VALIDATION', `reason must be one of ${EXCLUSION_REASONS.join(', ')}`);
  checkSpan('an exclusion', start, end, args.now);
  if (note.trim().length < 3) throw new DomainError('VALIDATION', 'an exclusion needs a note saying why (it is shown in the report)');
  return atomically(db, components.map((c) => c.pageId), async (tx) => {
    const [after] = await tx.update(tables.exclusions).set({ startAt: start, endAt: end, reason, note }).where(eq(tables.exclusions.id, before.id)).returning();
    await recordAudit(tx, { actor: args.actor, action: 'exclusion.change', entity: 'exclusion', entityId: before.id, organisationId: components[0]!.organisationId, before, after: { ...after, why: args.why }, at: args.now });
    const from = new Date(Math.min(before.startAt.getTime(), start.getTime()));
    const to = new Date(Math.max(before.endAt.getTime(), end.getTime()));
    const revised = await reviseTouchedMonths(tx, { pageIds: components.map((c) => c.pageId), componentIds: before.componentIds, from, to, reason: `exclusion ${before.id} changed by ${args.actor.email}: ${args.why}`, now: args.now });
    return { exclusion: after!, revised };
  });
}

/** Withdraws an exclusion: the time counts against the provider again, and frozen months it touched get a new version with `why`. */
export async function withdrawExclusion(db: Database, args: { id: string; why: string; actor: Actor; now: Date }) {
  needsWhy(args.why);
  const { before, components } = await exclusionFor(db, args.actor, args.id);
  return atomically(db, components.map((c) => c.pageId), async (tx) => {
    const [after] = await tx.update(tables.exclusions).set({ revokedAt: args.now }).where(eq(tables.exclusions.id, before.id)).returning();
    await recordAudit(tx, { actor: args.actor, action: 'exclusion.withdraw', entity: 'exclusion', entityId: before.id, organisationId: components[0]!.organisationId, before, after: { ...after, why: args.why }, at: args.now });
    const revised = await reviseTouchedMonths(tx, { pageIds: components.map((c) => c.pageId), componentIds: before.componentIds, from: before.startAt, to: before.endAt, reason: `exclusion ${before.id} withdrawn by ${args.actor.email}: ${args.why}`, now: args.now });
    return { exclusion: after!, revised };
  });
}
