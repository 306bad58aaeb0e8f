import { and, asc, eq, gte, inArray, isNull, lt } from 'drizzle-orm';
import { localize, type Language, type LocalizedText } from '../../config/index.ts';
import { tables, type Database } from '../../db/index.ts';
import type { Actor } from '../auth/accounts.ts';
import { organisationFilter, requireOrganisation } from '../auth/organisation-scope.ts';
import { DomainError } from '../http/errors.ts';
import { summarizeResultHours, type ResultHour } from './summarize-result-hours.ts';

/** A component as operators list it: its name (in English where given), its page and measured state; `names` in every language the config gives, for a console in another language. */
export type OperatorComponent = { id: string; name: string; pageId: string; pageName: string; names: { component: LocalizedText; page: LocalizedText }; organisationId: string; timeZone: string; state: 'up' | 'degraded' | 'down' | 'unknown'; since: string | null; reasons: string[] };

/** The newest result of one check from one region, with what the console shows of it. */
export type RegionResult = { regionId: string; checkId: string; startedAt: string; outcome: string; reason: string | null; message: string | null; durationMs: number; httpStatus: number | null; phasesMs: Record<string, number> | null; certNotAfter: string | null };

export type ComponentDetail = { component: OperatorComponent; latest: RegionResult[]; hours: ResultHour[] };

const c = tables.components;
const g = tables.componentGroups;
const p = tables.statusPages;
const s = tables.stateIntervals;
const l = tables.latestResults;

/** Every live component the actor may see, in page and group order, with its current state and the reasons its latest results give. */
export async function listOperatorComponents(db: Database, args: { actor: Actor; ids?: readonly string[] }): Promise<OperatorComponent[]> {
  const rows = await db
    .select({ id: c.id, name: c.name, pageId: p.id, pageName: p.name, language: p.defaultLanguage, organisationId: p.organisationId, timeZone: p.timeZone, state: s.state, since: s.startedAt })
    .from(c)
    .innerJoin(g, eq(g.id, c.groupId))
    .innerJoin(p, eq(p.id, g.pageId))
    .leftJoin(s, and(eq(s.componentId, c.id), isNull(s.endedAt)))
    .where(and(isNull(c.retiredAt), isNull(g.retiredAt), isNull(p.retiredAt), organisationFilter(args.actor, p.organisationId), args.ids ? inArray(c.id, [...args.ids]) : undefined))
    .orderBy(asc(p.position), asc(g.position), asc(c.position));
  if (rows.length === 0) return [];
  const latest = await db.select({ componentId: l.componentId, outcome: l.outcome, reason: l.reason }).from(l).where(inArray(l.componentId, rows.map((r) => r.id)));
  return rows.map((row) => {
    const language = row.language as Language;
    const reasons = [...new Set(latest.filter((r) => r.componentId === row.id && r.outcome !== 'up' && r.reason).map((r) => r.reason!))].sort();
    return { id: row.id, name: localize(row.name as LocalizedText, 'en', language), pageId: row.pageId, pageName: localize(row.pageName as LocalizedText, 'en', language), names: { component: row.name as LocalizedText, page: row.pageName as LocalizedText }, organisationId: row.organisationId, timeZone: row.timeZone, state: row.state ?? 'unknown', since: row.since?.toISOString() ?? null, reasons };
  });
}

/** One component for operators: the newest result of each check per region (phases, certificate expiry) and its last `hours` of results by the hour. */
export async function loadComponentDetail(db: Database, args: { id: string; actor: Actor; now: Date; hours: number }): Promise<ComponentDetail> {
  const [owner] = await db.select({ organisationId: p.organisationId }).from(c).innerJoin(g, eq(g.id, c.groupId)).innerJoin(p, eq(p.id, g.pageId)).where(and(eq(c.id, args.id), isNull(c.retiredAt)));
  if (!owner) throw new DomainError('NOT_FOUND', `no component "${args.id}"; GET /api/v1/components lists them`, { kind: 'component', id: args.id });
  requireOrganisation(args.actor, owner.organisationId);
  const [component] = await listOperatorComponents(db, { actor: args.actor, ids: [args.id] });
  if (!component) throw new DomainError('NOT_FOUND', `no component "${args.id}"`, { kind: 'component', id: args.id });
  const latest = await db.select().from(l).where(eq(l.componentId, args.id)).orderBy(asc(l.checkId), asc(l.regionId));
  // whole hours: the current one (so far) and the `hours - 1` before it, so the table has exactly `hours` rows
  const hourNow = Math.floor(args.now.getTime() / 3_600_000);
  const from = new Date((hourNow - (args.hours - 1)) * 3_600_000);
  const untilHourEnd = new Date((hourNow + 1) * 3_600_000);
  const r = tables.checkResults;
  const results = await db
    .select({ startedAt: r.startedAt, regionId: r.regionId, outcome: r.outcome, reason: r.reason, durationMs: r.durationMs })
    .from(r)
    .where(and(eq(r.componentId, args.id), gte(r.startedAt, from), lt(r.startedAt, args.now)));
  return {
    component,
    latest: latest.map((row) => ({ regionId: row.regionId, checkId: row.checkId, startedAt: row.startedAt.toISOString(), outcome: row.outcome, reason: row.reason, message: row.message, durationMs: Math.round(row.durationMs), httpStatus: row.httpStatus, phasesMs: (row.phasesMs as Record<string, number> | null) ?? null, certNotAfter: row.certNotAfter?.toISOString() ?? null })),
    hours: summarizeResultHours({ results, from, to: untilHourEnd }),
  };
}
