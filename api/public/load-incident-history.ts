import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Language, LocalizedText } from '../../config/index.ts';
import { tables, type Database } from '../../db/index.ts';

/** A text in the reader's language, or the page's default one, saying which it is (never silently another). */
export type TextIn = { text: string; language: string };

export type PublicIncidentUpdate = { id: string; step: string; status: string; publishedAt: string; body: TextIn; estimatedFixAt: string | null };

export type PublicIncident = {
  id: string;
  title: TextIn;
  priority: 'A' | 'B' | 'C' | 'D';
  status: string;
  detectedAt: string;
  resolvedAt: string | null;
  /** Minutes from detection to resolution; null while open. */
  durationMinutes: number | null;
  components: { id: string; name: TextIn }[];
  /** Every published update, oldest first. */
  updates: PublicIncidentUpdate[];
};

export type IncidentHistory = { page: { id: string; recentlyResolvedHours: number }; incidents: PublicIncident[] };

const HISTORY_LIMIT = 500;

/** The text for `language`, else the default language's, else any, with the language it is in. */
export function textIn(value: unknown, language: Language, fallback: Language): TextIn {
  if (typeof value === 'string') return { text: value, language: fallback };
  const texts = (value ?? {}) as Record<string, string>;
  for (const candidate of [language, fallback]) {
    if (texts[candidate]) return { text: texts[candidate], language: candidate };
  }
  const [first] = Object.entries(texts);
  return first ? { text: first[1], language: first[0] } : { text: '', language: fallback };
}

/** A page's incidents, newest first, each with its full timeline; one when `incidentId` is given. Undefined for an unknown page. */
export async function loadIncidentHistory(db: Database, args: { pageId: string; language: Language; incidentId?: string; incidentIds?: string[] }): Promise<IncidentHistory | undefined> {
  const [page] = await db.select().from(tables.statusPages).where(eq(tables.statusPages.id, args.pageId));
  if (!page || page.retiredAt) return undefined;
  const fallback = page.defaultLanguage as Language;
  const i = tables.incidents;
  const rows = await db
    .select()
    .from(i)
    .where(and(eq(i.pageId, args.pageId), isNull(i.mergedIntoId), args.incidentId ? eq(i.id, args.incidentId) : undefined, args.incidentIds ? inArray(i.id, args.incidentIds.length ? args.incidentIds : ['00000000-0000-0000-0000-000000000000']) : undefined))
    .orderBy(desc(i.detectedAt))
    .limit(HISTORY_LIMIT);
  const updates = rows.length
    ? await db.select().from(tables.incidentUpdates).where(inArray(tables.incidentUpdates.incidentId, rows.map((r) => r.id))).orderBy(tables.incidentUpdates.publishedAt, tables.incidentUpdates.incidentVersion)
    : [];
  const componentIds = [...new Set(rows.flatMap((r) => r.componentIds))];
  const names = componentIds.length ? await db.select({ id: tables.components.id, name: tables.components.name }).from(tables.components).where(inArray(tables.components.id, componentIds)) : [];
  const nameOf = new Map(names.map((n) => [n.id, n.name as LocalizedText]));
  return {
    page: { id: page.id, recentlyResolvedHours: page.recentlyResolvedHours },
    incidents: rows.map((row) => ({
      id: row.id,
      title: textIn(row.title, args.language, fallback),
      priority: row.priority,
      status: row.status,
      detectedAt: row.detectedAt.toISOString(),
      resolvedAt: row.resolvedAt?.toISOString() ?? null,
      durationMinutes: row.resolvedAt ? Math.max(0, Math.round((row.resolvedAt.getTime() - row.detectedAt.getTime()) / 60_000)) : null,
      components: row.componentIds.map((id) => ({ id, name: textIn(nameOf.get(id) ?? id, args.language, fallback) })),
      updates: updates
        .filter((u) => u.incidentId === row.id)
        .map((u) => ({
          id: u.id,
          step: u.step,
          status: u.status,
          publishedAt: u.publishedAt.toISOString(),
          body: textIn(u.body, args.language, fallback),
          estimatedFixAt: u.estimatedFixAt?.toISOString() ?? null,
        })),
    })),
  };
}
