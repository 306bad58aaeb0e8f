import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { localize, type Language, type LocalizedText } from '../../config/index.ts';
import { tables, type Database } from '../../db/index.ts';
import { DomainError } from '../http/errors.ts';
import { textIn } from '../public/load-incident-history.ts';
import { listPageIds } from '../public/load-page-status.ts';
import { markLanguage, type CalendarWindow, type FeedEntry } from './render-feeds.ts';
import type { SiteAt, SiteLinks } from './site-address.ts';

const text = (value: unknown, language: Language, fallback: Language) => localize(value as LocalizedText, language, fallback);

/** The page (live), the language to write in (the asked one if the page offers it, else its default) and where the site shows them. */
export async function feedPage(db: Database, args: { pageId: string; language: string | undefined; componentId: string | undefined }) {
  const [page] = await db.select().from(tables.statusPages).where(and(eq(tables.statusPages.id, args.pageId), isNull(tables.statusPages.retiredAt)));
  if (!page) throw new DomainError('NOT_FOUND', `no status page "${args.pageId}"`);
  if (args.language && !page.languages.includes(args.language)) throw new DomainError('VALIDATION', `page "${page.id}" offers ${page.languages.join(', ')}; not "${args.language}"`);
  const components = await db
    .select({ id: tables.components.id, name: tables.components.name })
    .from(tables.components)
    .innerJoin(tables.componentGroups, eq(tables.componentGroups.id, tables.components.groupId))
    .where(and(eq(tables.componentGroups.pageId, page.id), isNull(tables.components.retiredAt)));
  if (args.componentId && !components.some((c) => c.id === args.componentId)) throw new DomainError('NOT_FOUND', `page "${page.id}" has no component "${args.componentId}"`);
  const language = (args.language ?? page.defaultLanguage) as Language;
  const fallback = page.defaultLanguage as Language;
  const chosen = args.componentId ? components.filter((c) => c.id === args.componentId) : components;
  const name = text(page.name, language, fallback) + (args.componentId ? ` · ${text(chosen[0]!.name, language, fallback)}` : '');
  // the site leaves the default page's id and the page's default language out of its addresses
  const site: SiteAt = { pageId: page.id, language, defaultPageId: (await listPageIds(db))[0] ?? page.id, defaultLanguage: page.defaultLanguage };
  return { page, language, fallback, components: chosen, name, site };
}
type FeedPage = Awaited<ReturnType<typeof feedPage>>;

/** The latest 50 incidents (with their newest update) and 50 windows touching the components, newest first. */
export async function loadFeedEntries(db: Database, args: { target: FeedPage; links: SiteLinks }): Promise<FeedEntry[]> {
  const { page, language, fallback, components } = args.target;
  const ids = `{${components.map((c) => c.id).join(',')}}`;
  const incidents = await db.select().from(tables.incidents).where(and(eq(tables.incidents.pageId, page.id), isNull(tables.incidents.mergedIntoId), sql`${tables.incidents.componentIds} && ${ids}::text[]`)).orderBy(desc(tables.incidents.updatedAt)).limit(50);
  const updates = incidents.length ? await db.select().from(tables.incidentUpdates).where(inArray(tables.incidentUpdates.incidentId, incidents.map((i) => i.id))).orderBy(desc(tables.incidentUpdates.publishedAt), desc(tables.incidentUpdates.incidentVersion)) : [];
  const windows = components.length ? await windowsOf(db, ids) : [];
  const entries: FeedEntry[] = incidents.map((incident) => {
    const latest = updates.find((u) => u.incidentId === incident.id);
    // each text in the feed's language, else the page default's, saying which (the renderer marks the other ones)
    const body = latest ? textIn(latest.body, language, fallback) : { text: '', language };
    const title = textIn(incident.title, language, fallback);
    return { id: incident.id, kind: 'incident', title: title.text, titleLanguage: title.language, summary: `${latest?.status ?? incident.status}: ${body.text}`, summaryLanguage: body.language, updatedAt: latest?.publishedAt ?? incident.updatedAt, publishedAt: incident.registeredAt, link: args.links.incident(incident.id) };
  });
  for (const w of windows.filter((x) => !x.cancelledAt)) {
    const title = textIn(w.title, language, fallback);
    const description = w.description ? textIn(w.description, language, fallback) : undefined;
    const span = `${w.plannedStart.toISOString()} – ${(w.extendedUntil ?? w.plannedEnd).toISOString()}`;
    entries.push({ id: w.id, kind: 'maintenance', title: title.text, titleLanguage: title.language, summary: description ? `${span}: ${description.text}` : span, summaryLanguage: description?.language ?? language, updatedAt: w.updatedAt, publishedAt: w.announcedAt, link: args.links.window(w.id) });
  }
  return entries.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || a.id.localeCompare(b.id));
}

/** Windows with their revision count from the audit log: SEQUENCE is the number of changes after scheduling. */
async function windowsOf(db: Database, ids: string) {
  const w = tables.serviceWindows;
  const rows = await db.select().from(w).where(sql`${w.componentIds} && ${ids}::text[]`).orderBy(desc(w.plannedStart)).limit(50);
  if (rows.length === 0) return [];
  const a = tables.auditLog;
  const revisions = await db
    .select({ id: a.entityId, changes: sql<number>`count(*)::int`, last: sql<string>`to_char(max(${a.at}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` })
    .from(a)
    .where(and(eq(a.entity, 'service_window'), inArray(a.entityId, rows.map((r) => r.id))))
    .groupBy(a.entityId);
  return rows.map((row) => {
    const r = revisions.find((x) => x.id === row.id);
    return { ...row, sequence: Math.max(0, Number(r?.changes ?? 1) - 1), updatedAt: r ? new Date(r.last) : row.createdAt };
  });
}

export async function loadCalendarWindows(db: Database, args: { target: FeedPage; links: SiteLinks }): Promise<CalendarWindow[]> {
  const { language, fallback, components } = args.target;
  if (components.length === 0) return [];
  const windows = await windowsOf(db, `{${components.map((c) => c.id).join(',')}}`);
  const names = new Map(components.map((c) => [c.id, text(c.name, language, fallback)]));
  return windows.map((w) => {
    const title = textIn(w.title, language, fallback);
    const description = w.description ? textIn(w.description, language, fallback) : undefined;
    const affected = w.componentIds.map((id) => names.get(id)).filter(Boolean).join(', ');
    return {
      id: w.id,
      // a calendar shows SUMMARY and DESCRIPTION as they are: a text in another language carries its mark
      title: markLanguage(title.text, title.language, language),
      description: [description ? markLanguage(description.text, description.language, language) : undefined, affected].filter(Boolean).join('\n\n'),
      start: w.actualStart ?? w.plannedStart,
      end: w.actualEnd ?? w.extendedUntil ?? w.plannedEnd,
      sequence: w.sequence,
      cancelled: w.cancelledAt !== null,
      createdAt: w.createdAt,
      updatedAt: w.updatedAt,
      // the window's own page, where a reader of the event finds what it touches and how it went
      url: args.links.window(w.id),
    };
  });
}
