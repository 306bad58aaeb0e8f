import { and, desc, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm';
import { localize, type Language, type LocalizedText } from '../../config/index.ts';
import { inList, tables, type Database } from '../../db/index.ts';
import { textIn } from './load-incident-history.ts';

const IMPACT = { A: 'major', B: 'minor', C: 'minor', D: 'none' } as const;
const text = (value: unknown, language: Language) => localize(value as LocalizedText, language);

/**
 * Incidents of a page in Statuspage's shape, newest first: unresolved only, or
 * the latest 50. Beyond Statuspage's fields, `language` on an incident and on
 * each update names the language its text is in: the one asked for, or the
 * page's default (`fallback`) where it was not written.
 */
export async function loadStatuspageIncidents(db: Database, args: { pageId: string; language: Language; fallback: Language; unresolvedOnly: boolean }) {
  const i = tables.incidents;
  const rows = await db
    .select()
    .from(i)
    .where(and(eq(i.pageId, args.pageId), isNull(i.mergedIntoId), args.unresolvedOnly ? isNull(i.resolvedAt) : sql`true`))
    .orderBy(desc(i.registeredAt))
    .limit(50);
  const updates = rows.length ? await db.select().from(tables.incidentUpdates).where(inArray(tables.incidentUpdates.incidentId, rows.map((r) => r.id))).orderBy(desc(tables.incidentUpdates.publishedAt), desc(tables.incidentUpdates.incidentVersion)) : [];
  const names = await componentNames(db, args.language, rows.flatMap((r) => r.componentIds));
  return rows.map((incident) => {
    const own = updates.filter((u) => u.incidentId === incident.id);
    const monitoring = own.filter((u) => u.status === 'monitoring').at(-1);
    const title = textIn(incident.title, args.language, args.fallback);
    return {
      id: incident.id,
      name: title.text,
      language: title.language,
      status: incident.status,
      created_at: incident.registeredAt.toISOString(),
      updated_at: incident.updatedAt.toISOString(),
      monitoring_at: monitoring?.publishedAt.toISOString() ?? null,
      resolved_at: incident.resolvedAt?.toISOString() ?? null,
      impact: IMPACT[incident.priority],
      shortlink: null,
      started_at: incident.detectedAt.toISOString(),
      page_id: incident.pageId,
      incident_updates: own.map((u) => ({
        id: u.id,
        status: u.status,
        ...bodyIn(u.body, args.language, args.fallback),
        incident_id: incident.id,
        created_at: u.publishedAt.toISOString(),
        updated_at: u.publishedAt.toISOString(),
        display_at: u.publishedAt.toISOString(),
        affected_components: Object.entries(u.impact).map(([code, status]) => ({ code, name: names.get(code) ?? code, old_status: 'operational', new_status: status })),
        deliver_notifications: true,
      })),
      components: incident.componentIds.map((id) => ({ id, name: names.get(id) ?? id })),
    };
  });
}

export type MaintenanceFilter = 'all' | 'upcoming' | 'active';

/** Service windows of a page as Statuspage scheduled maintenances: all (the 50 most recent, newest first), upcoming or active (the 50 soonest). */
export async function loadStatuspageMaintenances(db: Database, args: { pageId: string; language: Language; fallback: Language; filter: MaintenanceFilter; now: Date }) {
  const w = tables.serviceWindows;
  const pageComponents = await db
    .select({ id: tables.components.id })
    .from(tables.components)
    .innerJoin(tables.componentGroups, eq(tables.componentGroups.id, tables.components.groupId))
    .where(and(eq(tables.componentGroups.pageId, args.pageId), isNull(tables.components.retiredAt)));
  if (pageComponents.length === 0) return [];
  const ids = `{${pageComponents.map((c) => c.id).join(',')}}`;
  const end = sql`coalesce(${w.actualEnd}, ${w.plannedEnd})`;
  const when =
    args.filter === 'upcoming' ? gt(w.plannedStart, args.now) : args.filter === 'active' ? and(lte(w.plannedStart, args.now), sql`${end} > ${args.now.toISOString()}::timestamptz`) : sql`true`;
  // the list of all is the 50 most recent (as Statuspage's), upcoming and active ones the 50 soonest; the site pages them all (load-public-windows.ts)
  const order = args.filter === 'all' ? [desc(w.plannedStart), w.id] : [w.plannedStart, w.id];
  const rows = await db.select().from(w).where(and(isNull(w.cancelledAt), sql`${w.componentIds} && ${ids}::text[]`, when)).orderBy(...order).limit(50);
  const names = await componentNames(db, args.language, rows.flatMap((r) => r.componentIds));
  return rows.map((row) => {
    const ended = row.actualEnd ?? (row.plannedEnd <= args.now ? row.plannedEnd : null);
    const status = ended && ended <= args.now ? 'completed' : row.plannedStart <= args.now ? 'in_progress' : 'scheduled';
    const title = textIn(row.title, args.language, args.fallback);
    return {
      id: row.id,
      name: title.text,
      language: title.language,
      status,
      created_at: row.createdAt.toISOString(),
      updated_at: row.createdAt.toISOString(),
      monitoring_at: null,
      resolved_at: status === 'completed' ? ended!.toISOString() : null,
      impact: 'maintenance',
      shortlink: null,
      started_at: row.plannedStart.toISOString(),
      page_id: args.pageId,
      // the description is the announcement, as Statuspage carries a maintenance's text: its first update
      incident_updates: row.description
        ? [{ id: `${row.id}-announcement`, status: 'scheduled', ...bodyIn(row.description, args.language, args.fallback), incident_id: row.id, created_at: row.announcedAt.toISOString(), updated_at: row.announcedAt.toISOString(), display_at: row.announcedAt.toISOString(), affected_components: [], deliver_notifications: true }]
        : [],
      components: row.componentIds.map((id) => ({ id, name: names.get(id) ?? id })),
      scheduled_for: row.plannedStart.toISOString(),
      scheduled_until: row.plannedEnd.toISOString(),
    };
  });
}

/** An update's text as Statuspage's `body`, with the language it is in beside it. */
function bodyIn(body: unknown, language: Language, fallback: Language): { body: string; language: string } {
  const chosen = textIn(body, language, fallback);
  return { body: chosen.text, language: chosen.language };
}

/** The names of the components the listed incidents or windows name (not every component: a page may have thousands). */
async function componentNames(db: Database, language: Language, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: tables.components.id, name: tables.components.name }).from(tables.components).where(inList(tables.components.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, text(r.name, language)]));
}
