import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Language } from '../../config/index.ts';
import { tables, type Database } from '../../db/index.ts';
import { loadIncidentHistory, type PublicIncident } from './load-incident-history.ts';
import { loadPublicWindowsById, pageComponentIds, pageWindows, type PublicWindow } from './load-public-windows.ts';

/** Entries on one page of the history. */
export const HISTORY_PAGE_SIZE = 20;

export type HistoryEntry = { kind: 'incident'; at: string; incident: PublicIncident } | { kind: 'window'; at: string; window: PublicWindow };
export type HistoryPage = { page: number; pages: number; entries: HistoryEntry[] };

/**
 * One page of a page's history: its incidents (by detection) and service
 * windows (by planned start) together, newest first, paged in the database
 * so every entry ever made can be reached, however many there are.
 */
export async function loadHistoryPage(db: Database, args: { pageId: string; language: Language; fallback: Language; now: Date; page: number }): Promise<HistoryPage> {
  const i = tables.incidents;
  const w = tables.serviceWindows;
  const ids = await pageComponentIds(db, args.pageId);
  const incidents = db
    .select({ kind: sql<string>`'incident'`.as('kind'), id: sql<string>`${i.id}::text`.as('id'), at: sql<string>`${i.detectedAt}`.as('at') })
    .from(i)
    .where(and(eq(i.pageId, args.pageId), isNull(i.mergedIntoId)));
  const windows = db
    .select({ kind: sql<string>`'window'`.as('kind'), id: sql<string>`${w.id}::text`.as('id'), at: sql<string>`${w.plannedStart}`.as('at') })
    .from(w)
    .where(ids ? pageWindows(ids) : sql`false`);
  const [slice, [incidentCount], [windowCount]] = await Promise.all([
    incidents
      .unionAll(windows)
      .orderBy(desc(sql`at`), asc(sql`id`))
      .limit(HISTORY_PAGE_SIZE)
      .offset((args.page - 1) * HISTORY_PAGE_SIZE),
    db.select({ n: sql<number>`count(*)::int` }).from(i).where(and(eq(i.pageId, args.pageId), isNull(i.mergedIntoId))),
    db.select({ n: sql<number>`count(*)::int` }).from(w).where(ids ? pageWindows(ids) : sql`false`),
  ]);
  const incidentIds = slice.filter((row) => row.kind === 'incident').map((row) => row.id);
  const windowIds = slice.filter((row) => row.kind === 'window').map((row) => row.id);
  const [history, windowList] = await Promise.all([
    incidentIds.length ? loadIncidentHistory(db, { pageId: args.pageId, language: args.language, incidentIds }) : undefined,
    loadPublicWindowsById(db, { ...args, ids: windowIds }),
  ]);
  const incidentOf = new Map((history?.incidents ?? []).map((incident) => [incident.id, incident]));
  const windowOf = new Map(windowList.map((window) => [window.id, window]));
  const entries: HistoryEntry[] = [];
  for (const row of slice) {
    const incident = row.kind === 'incident' ? incidentOf.get(row.id) : undefined;
    const window = row.kind === 'window' ? windowOf.get(row.id) : undefined;
    if (incident) entries.push({ kind: 'incident', at: incident.detectedAt, incident });
    if (window) entries.push({ kind: 'window', at: window.plannedStart, window });
  }
  const total = (incidentCount?.n ?? 0) + (windowCount?.n ?? 0);
  return { page: args.page, pages: Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE)), entries };
}
