import { and, desc, eq, gte, ilike, inArray, lt, or, sql } from 'drizzle-orm';
import { localize, type Language, type LocalizedText } from '../../config/index.ts';
import { tables, type Database } from '../../db/index.ts';
import type { Actor } from '../auth/accounts.ts';
import { organisationFilter } from '../auth/organisation-scope.ts';

/**
 * Which entries to list: who (part of the actor, any case), what (an action or
 * its family, e.g. `incident`), when ([from, to)). `login` is an action on its
 * own, not the family of `login.failed`: "logins" means the ones that got in.
 */
export type AuditFilter = { who?: string | undefined; what?: string | undefined; from?: Date | undefined; to?: Date | undefined; limit: number };

/** An audit entry with the names a person reads beside the ids: the actor's, the entity's, the components it touched. */
export type NamedAuditEntry = { id: number; at: string; actor: string; actorName: string | null; action: string; entity: string; entityId: string; entityName: string | null; organisationId: string | null; components: string[]; before: unknown; after: unknown };

const a = tables.auditLog;
const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
/** Actions recorded without a family after them, matched exactly: `login.failed` is not a login. */
const STANDALONE_ACTIONS = new Set(['login', 'logout']);

/** The audit log the actor may read (their organisations'), newest first, filtered, with names resolved in `language` (English by default). */
export async function listAuditEntries(db: Database, args: { actor: Actor; filter: AuditFilter; language?: Language | undefined }): Promise<NamedAuditEntry[]> {
  const f = args.filter;
  const rows = await db
    .select()
    .from(a)
    .where(
      and(
        organisationFilter(args.actor, a.organisationId),
        f.who ? ilike(a.actor, `%${likeEscaped(f.who)}%`) : undefined,
        f.what ? (STANDALONE_ACTIONS.has(f.what) ? eq(a.action, f.what) : or(eq(a.action, f.what), sql`${a.action} like ${`${likeEscaped(f.what)}.%`}`)) : undefined,
        f.from ? gte(a.at, f.from) : undefined,
        f.to ? lt(a.at, f.to) : undefined,
      ),
    )
    .orderBy(desc(a.id))
    .limit(f.limit);
  const names = await loadNames(db, rows, args.language ?? 'en');
  return rows.map((row) => {
    const email = row.actor.replace(/ \(token [^)]*\)$/, '');
    const touched = [...componentIdsIn(row.after), ...componentIdsIn(row.before)];
    return {
      id: row.id,
      at: row.at.toISOString(),
      actor: row.actor,
      actorName: names.users.get(email) ?? null,
      action: row.action,
      entity: row.entity,
      entityId: row.entityId,
      entityName: row.entity === 'user' ? (names.users.get(row.entityId) ?? null) : row.entity === 'component' ? (names.components.get(row.entityId) ?? null) : (names.entities.get(`${row.entity}/${row.entityId}`) ?? null),
      organisationId: row.organisationId,
      components: [...new Set(touched)].map((id) => names.components.get(id) ?? id),
      before: row.before,
      after: row.after,
    };
  });
}

/** The ids in `componentIds` of a before/after snapshot, if it has them. */
function componentIdsIn(snapshot: unknown): string[] {
  const ids = (snapshot as { componentIds?: unknown } | null)?.componentIds;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

const uuidLike = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/** One query per kind of name, for the ids on this page of entries only; titles and component names in `language` where they have it, else English. */
async function loadNames(db: Database, rows: (typeof a.$inferSelect)[], language: Language) {
  const idsOf = (entity: string) => [...new Set(rows.filter((r) => r.entity === entity && uuidLike(r.entityId)).map((r) => r.entityId))];
  const emails = [...new Set(rows.flatMap((r) => [r.actor.replace(/ \(token [^)]*\)$/, ''), ...(r.entity === 'user' ? [r.entityId] : [])]))];
  // a component's status set by hand names the component itself as the entity
  const componentIds = [...new Set(rows.flatMap((r) => [...componentIdsIn(r.after), ...componentIdsIn(r.before), ...(r.entity === 'component' ? [r.entityId] : [])]))];
  const incidentIds = idsOf('incident');
  const windowIds = idsOf('service_window');
  const exclusionIds = idsOf('exclusion');
  const [users, components, incidents, windows, exclusions] = await Promise.all([
    emails.length ? db.select({ email: tables.users.email, name: tables.users.name }).from(tables.users).where(inArray(tables.users.email, emails)) : [],
    componentIds.length ? db.select({ id: tables.components.id, name: tables.components.name }).from(tables.components).where(inArray(tables.components.id, componentIds)) : [],
    incidentIds.length ? db.select({ id: tables.incidents.id, title: tables.incidents.title }).from(tables.incidents).where(inArray(tables.incidents.id, incidentIds)) : [],
    windowIds.length ? db.select({ id: tables.serviceWindows.id, title: tables.serviceWindows.title }).from(tables.serviceWindows).where(inArray(tables.serviceWindows.id, windowIds)) : [],
    exclusionIds.length ? db.select({ id: tables.exclusions.id, componentIds: tables.exclusions.componentIds, note: tables.exclusions.note }).from(tables.exclusions).where(inArray(tables.exclusions.id, exclusionIds)) : [],
  ]);
  const named = (text: unknown) => localize(text as LocalizedText, language, 'en');
  const componentNames = new Map(components.map((c) => [c.id, named(c.name)]));
  const entities = new Map<string, string>([
    ...incidents.map((i) => [`incident/${i.id}`, named(i.title)] as const),
    ...windows.map((w) => [`service_window/${w.id}`, named(w.title)] as const),
    // an exclusion has no title: its note, else the components it covers
    ...exclusions.map((e) => [`exclusion/${e.id}`, e.note || e.componentIds.join(', ')] as const),
  ]);
  return { users: new Map(users.map((u) => [u.email, u.name])), components: componentNames, entities };
}
