import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Language, LocalizedText } from '../../config/index.ts';
import { tables, type Database } from '../../db/index.ts';
import { textIn, type TextIn } from './load-incident-history.ts';

/** A service window as the public site shows it: the title in the reader's language or, marked, the page's default one. */
export type PublicWindow = {
  id: string;
  title: TextIn;
  /** What is done and what readers notice; null when none was written. */
  description: TextIn | null;
  /** Lists never hold a cancelled window; its own page (`loadPublicWindow`) does. */
  status: 'scheduled' | 'in_progress' | 'completed' | 'cancelled';
  plannedStart: string;
  plannedEnd: string;
  /** When it ended, if it has. */
  endedAt: string | null;
  /** When it was cancelled, if it was. */
  cancelledAt: string | null;
  /** It ran, or runs, past its announced end (that time counts as downtime). */
  overran: boolean;
  components: { id: string; name: TextIn }[];
};

/** How many past windows one page of the windows view lists. */
export const PAST_WINDOWS_PAGE_SIZE = 50;

type Target = { pageId: string; language: Language; fallback: Language; now: Date };

/** The ids of a page's components (not retired), as a Postgres array literal; undefined when it has none. */
export async function pageComponentIds(db: Database, pageId: string): Promise<string | undefined> {
  const rows = await db
    .select({ id: tables.components.id })
    .from(tables.components)
    .innerJoin(tables.componentGroups, eq(tables.componentGroups.id, tables.components.groupId))
    .where(and(eq(tables.componentGroups.pageId, pageId), isNull(tables.components.retiredAt)));
  return rows.length ? `{${rows.map((c) => c.id).join(',')}}` : undefined;
}

/** The windows of a page that are not cancelled (the condition, for queries that list or count them). */
export function pageWindows(ids: string): SQL {
  const w = tables.serviceWindows;
  return and(isNull(w.cancelledAt), sql`${w.componentIds} && ${ids}::text[]`)!;
}

/**
 * A page's service windows: every upcoming or ongoing one (soonest first) and
 * one page of the past ones (newest first, `PAST_WINDOWS_PAGE_SIZE` a page),
 * with how many pages of past windows there are.
 */
export async function loadPublicWindows(db: Database, args: Target & { page: number; componentId?: string }): Promise<{ upcoming: PublicWindow[]; past: PublicWindow[]; pages: number }> {
  const ids = await pageComponentIds(db, args.pageId);
  if (!ids) return { upcoming: [], past: [], pages: 1 };
  const w = tables.serviceWindows;
  // one component's windows (its own page), or the whole page's
  const ofPage = args.componentId === undefined ? pageWindows(ids) : and(pageWindows(ids), sql`${w.componentIds} @> array[${args.componentId}]::text[]`)!;
  // a window extended past its planned end and not yet closed runs until its new end
  const end = sql`coalesce(${w.actualEnd}, ${w.extendedUntil}, ${w.plannedEnd})`;
  const ended = sql`${end} <= ${args.now.toISOString()}::timestamptz`;
  const notEnded = sql`${end} > ${args.now.toISOString()}::timestamptz`;
  const [upcoming, past, [count]] = await Promise.all([
    db.select().from(w).where(and(ofPage, notEnded)).orderBy(asc(w.plannedStart), asc(w.id)),
    db
      .select()
      .from(w)
      .where(and(ofPage, ended))
      .orderBy(desc(w.plannedStart), asc(w.id))
      .limit(PAST_WINDOWS_PAGE_SIZE)
      .offset((args.page - 1) * PAST_WINDOWS_PAGE_SIZE),
    db.select({ n: sql<number>`count(*)::int` }).from(w).where(and(ofPage, ended)),
  ]);
  const names = await componentNames(db, [...upcoming, ...past].flatMap((row) => row.componentIds));
  return {
    upcoming: upcoming.map((row) => toPublicWindow(row, names, args)),
    past: past.map((row) => toPublicWindow(row, names, args)),
    pages: Math.max(1, Math.ceil((count?.n ?? 0) / PAST_WINDOWS_PAGE_SIZE)),
  };
}

/** Windows by id, in the public shape (for the history, which pages incidents and windows together). */
export async function loadPublicWindowsById(db: Database, args: Target & { ids: string[] }): Promise<PublicWindow[]> {
  if (args.ids.length === 0) return [];
  const rows = await db.select().from(tables.serviceWindows).where(inArray(tables.serviceWindows.id, args.ids));
  const names = await componentNames(db, rows.flatMap((row) => row.componentIds));
  return rows.map((row) => toPublicWindow(row, names, args));
}

/**
 * One window of a page, cancelled or not, for its own permanent page;
 * undefined when no such window touches the page's components.
 */
export async function loadPublicWindow(db: Database, args: Target & { windowId: string }): Promise<PublicWindow | undefined> {
  const ids = await pageComponentIds(db, args.pageId);
  if (!ids) return undefined;
  const w = tables.serviceWindows;
  const [row] = await db.select().from(w).where(and(eq(w.id, args.windowId), sql`${w.componentIds} && ${ids}::text[]`));
  if (!row) return undefined;
  return toPublicWindow(row, await componentNames(db, row.componentIds), args);
}

type WindowRow = typeof tables.serviceWindows.$inferSelect;

function toPublicWindow(row: WindowRow, names: Map<string, LocalizedText>, args: Target): PublicWindow {
  const end = row.actualEnd ?? row.extendedUntil ?? row.plannedEnd;
  const endedAt = end <= args.now ? end : null;
  const status = row.cancelledAt ? 'cancelled' : endedAt ? 'completed' : row.plannedStart <= args.now || row.actualStart ? 'in_progress' : 'scheduled';
  // past the announced end: closed late, or still open after it
  const overran = !row.cancelledAt && (row.actualEnd ? row.actualEnd > row.plannedEnd : status !== 'scheduled' && args.now > row.plannedEnd && row.extendedUntil !== null);
  return {
    id: row.id,
    title: textIn(row.title, args.language, args.fallback),
    description: hasText(row.description) ? textIn(row.description, args.language, args.fallback) : null,
    status,
    plannedStart: row.plannedStart.toISOString(),
    plannedEnd: row.plannedEnd.toISOString(),
    endedAt: status === 'completed' ? endedAt!.toISOString() : null,
    cancelledAt: row.cancelledAt?.toISOString() ?? null,
    overran,
    components: row.componentIds.map((id) => ({ id, name: textIn(names.get(id) ?? id, args.language, args.fallback) })),
  };
}

function hasText(value: unknown): value is string | LocalizedText {
  if (typeof value === 'string') return value.trim() !== '';
  return typeof value === 'object' && value !== null && Object.values(value).some((text) => typeof text === 'string' && text.trim() !== '');
}

async function componentNames(db: Database, ids: string[]): Promise<Map<string, LocalizedText>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.select({ id: tables.components.id, name: tables.components.name }).from(tables.components).where(inArray(tables.components.id, unique));
  return new Map(rows.map((r) => [r.id, r.name as LocalizedText]));
}
