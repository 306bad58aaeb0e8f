import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { LocalizedText } from '../../config/index.ts';
import { tables, type Database } from '../../db/index.ts';
import type { Actor } from '../auth/accounts.ts';
import { recordAudit } from '../auth/audit.ts';
import { mayActOn } from '../auth/require-actor.ts';
import { DomainError } from '../http/errors.ts';
import { checkWindowPolicy, EXCLUSION_REASONS, type BrokenRule, type ExclusionReason } from '../sla/index.ts';
import { reviseFrozenStatements, toEngineProfile, windowPolicyFor } from '../sla-reports/index.ts';

type Window = typeof tables.serviceWindows.$inferSelect;

/** The components with their page, organisation and SLA profile; each must exist and be the actor's. */
async function componentsFor(db: Database, actor: Actor, componentIds: string[]) {
  if (componentIds.length === 0) throw new DomainError('VALIDATION', 'name at least one component');
  const rows = await db
    .select({ id: tables.components.id, category: tables.components.serviceCategory, pageId: tables.statusPages.id, organisationId: tables.statusPages.organisationId, spec: tables.slaProfiles.spec })
    .from(tables.components)
    .innerJoin(tables.componentGroups, eq(tables.componentGroups.id, tables.components.groupId))
    .innerJoin(tables.statusPages, eq(tables.statusPages.id, tables.componentGroups.pageId))
    .leftJoin(tables.slaProfiles, eq(tables.slaProfiles.id, tables.components.slaProfileId))
    .where(and(inArray(tables.components.id, componentIds), isNull(tables.components.retiredAt)));
  const missing = componentIds.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length > 0) throw new DomainError('VALIDATION', `unknown components: ${missing.join(', ')}`);
  const foreign = rows.filter((r) => !mayActOn(actor, r.organisationId));
  if (foreign.length > 0) throw new DomainError('FORBIDDEN', `you may not act for organisation "${foreign[0]!.organisationId}"`);
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

/** After a change: revise the frozen months it touches, with the reason. */
async function reviseTouchedMonths(db: Database, args: { pageIds: string[]; from: Date; to: Date; reason: string; now: Date }) {
  const months = new Set<string>();
  for (let t = DateTime.fromJSDate(args.from, { zone: 'UTC' }).minus({ days: 1 }).startOf('month'); t.toJSDate() <= new Date(args.to.getTime() + 86_400_000); t = t.plus({ months: 1 })) months.add(t.toFormat('yyyy-MM'));
  const revised = [];
  for (const pageId of new Set(args.pageIds)) for (const month of months) revised.push(...(await reviseFrozenStatements(db, { pageId, periodKey: month, reason: args.reason, now: args.now })));
  return revised;
}

export async function scheduleWindow(db: Database, args: { componentIds: string[]; title: LocalizedText; plannedStart: Date; plannedEnd: Date; announcedAt?: Date; actor: Actor; now: Date }) {
  const components = await componentsFor(db, args.actor, args.componentIds);
  const announcedAt = args.announcedAt ?? args.now;
  const { emergency, broken } = await judgeWindow(db, { components, plannedStart: args.plannedStart, plannedEnd: args.plannedEnd, announcedAt });
  const [window] = await db
    .insert(tables.serviceWindows)
    .values({ componentIds: args.componentIds, title: args.title, plannedStart: args.plannedStart, plannedEnd: args.plannedEnd, announcedAt, emergency, brokenRules: broken, createdBy: args.actor.email, createdAt: args.now })
    .returning();
  await recordAudit(db, { actor: args.actor, action: 'window.schedule', entity: 'service_window', entityId: window!.id, before: null, after: window, at: args.now });
  const revised = await reviseTouchedMonths(db, { pageIds: components.map((c) => c.pageId), from: args.plannedStart, to: args.plannedEnd, reason: `service window ${window!.id} scheduled by ${args.actor.email}`, now: args.now });
  return { window: window!, revised };
}

export type WindowChange =
  | { action: 'reschedule'; plannedStart: Date; plannedEnd: Date }
  | { action: 'start'; at: Date }
  | { action: 'extend'; until: Date }
  | { action: 'close'; at: Date }
  | { action: 'cancel' };

/** Changes a window: reschedule (policy checked again), start (early allowed), extend (past the planned end: overrun), close, cancel. */
export async function changeWindow(db: Database, args: { id: string; change: WindowChange; actor: Actor; now: Date }) {
  const w = tables.serviceWindows;
  const [before] = /^[0-9a-f-]{36}$/.test(args.id) ? await db.select().from(w).where(eq(w.id, args.id)) : [];
  if (!before || before.cancelledAt) throw new DomainError('NOT_FOUND', `no service window "${args.id}"`);
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
  const [after] = await db.update(w).set(set).where(eq(w.id, before.id)).returning();
  await recordAudit(db, { actor: args.actor, action: `window.${change.action}`, entity: 'service_window', entityId: before.id, before, after, at: args.now });
  const span = [before.plannedStart, before.plannedEnd, after!.plannedStart, after!.plannedEnd, after!.actualEnd ?? after!.plannedEnd].map((d) => d.getTime());
  const revised = await reviseTouchedMonths(db, { pageIds: components.map((c) => c.pageId), from: new Date(Math.min(...span)), to: new Date(Math.max(...span)), reason: `service window ${before.id}: ${change.action} by ${args.actor.email}`, now: args.now });
  return { window: after!, revised };
}

export async function recordExclusion(db: Database, args: { componentIds: string[]; start: Date; end: Date; reason: ExclusionReason; note: string; actor: Actor; now: Date }) {
  if (!(EXCLUSION_REASONS as readonly string[]).includes(args.reason)) throw new DomainError('VALIDATION', `reason must be one of ${EXCLUSION_REASONS.join(', ')}`);
  if (args.end <= args.start) throw new DomainError('VALIDATION', 'end must be after start');
  if (args.note.trim().length < 3) throw new DomainError('VALIDATION', 'an exclusion needs a note saying why (it is shown in the report)');
  const components = await componentsFor(db, args.actor, args.componentIds);
  const [exclusion] = await db
    .insert(tables.exclusions)
    .values({ componentIds: args.componentIds, startAt: args.start, endAt: args.end, reason: args.reason, note: args.note, author: args.actor.email, recordedAt: args.now })
    .returning();
  await recordAudit(db, { actor: args.actor, action: 'exclusion.record', entity: 'exclusion', entityId: exclusion!.id, before: null, after: exclusion, at: args.now });
  const revised = await reviseTouchedMonths(db, { pageIds: components.map((c) => c.pageId), from: args.start, to: args.end, reason: `exclusion ${exclusion!.id} (${args.reason}) recorded by ${args.actor.email}: ${args.note}`, now: args.now });
  return { exclusion: exclusion!, revised };
}
