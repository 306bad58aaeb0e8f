import { and, arrayOverlaps, asc, eq, gte, isNull, lt, or } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { computePageReport, type PageReport } from '../../api/index.ts';
import { localize, type LocalizedText } from '../../config/index.ts';
import { rowChunks, tables, type Database } from '../../db/index.ts';

/** What a digest mail carries: a snapshot taken when it is queued, so a retried mail says the same. */
export type DigestPayload = {
  pageId: string;
  /** The page's name in English; `pageNames` has every language. */
  pageName: string;
  pageNames?: LocalizedText;
  /** The days covered, [from, to), and the look-ahead for planned windows, [to, until). */
  from: string;
  to: string;
  until: string;
  timeZone: string;
  /** Titles in every language they are written in (a plain English string in digests queued before per-language rendering). */
  incidents: { priority: string; title: LocalizedText; status: string; registeredAt: string; resolvedAt: string | null }[];
  windows: { title: LocalizedText; plannedStart: string; plannedEnd: string; cancelled: boolean; emergency: boolean }[];
  monthKey: string;
  /** The month so far (preliminary): availability per component and category, names in every language. */
  month?: Pick<PageReport, 'measured' | 'total' | 'components' | 'categories'>;
  /** The page's default language, the mail's. */
  language?: string;
  /** Digests queued before per-language rendering carry this English summary instead of `month`. */
  monthSummary?: string;
};

/**
 * Queues a page's digest to its contract recipients: the incidents open at
 * any time in the `days` before `now`, the service windows of those days
 * and of as many days ahead, and the month's availability so far. Written
 * with its outbox rows in one transaction, like the reports.
 */
export async function queueDigest(db: Database, args: { pageId: string; days: number; timeZone: string; recipients: readonly string[]; now: Date }): Promise<{ incidents: number; windows: number; messages: number }> {
  const [page] = await db.select().from(tables.statusPages).where(eq(tables.statusPages.id, args.pageId));
  if (!page) throw new Error(`no status page "${args.pageId}"`);
  const to = args.now;
  const from = DateTime.fromJSDate(to, { zone: args.timeZone }).minus({ days: args.days }).toJSDate();
  const until = DateTime.fromJSDate(to, { zone: args.timeZone }).plus({ days: args.days }).toJSDate();
  const i = tables.incidents;
  const incidents = await db
    .select()
    .from(i)
    .where(and(eq(i.pageId, page.id), isNull(i.mergedIntoId), lt(i.registeredAt, to), or(isNull(i.resolvedAt), gte(i.resolvedAt, from))))
    .orderBy(asc(i.registeredAt));
  const componentIds = (
    await db.select({ id: tables.components.id }).from(tables.components).innerJoin(tables.componentGroups, eq(tables.componentGroups.id, tables.components.groupId)).where(eq(tables.componentGroups.pageId, page.id))
  ).map((c) => c.id);
  const w = tables.serviceWindows;
  const windows = componentIds.length
    ? await db
        .select()
        .from(w)
        .where(and(arrayOverlaps(w.componentIds, componentIds), lt(w.plannedStart, until), gte(w.plannedEnd, from)))
        .orderBy(asc(w.plannedStart))
    : [];
  const monthKey = DateTime.fromJSDate(to, { zone: args.timeZone }).toFormat('yyyy-MM');
  const month = await computePageReport(db, { pageId: page.id, periodKey: monthKey, now: to });
  const payload: DigestPayload = {
    pageId: page.id,
    pageName: localize(page.name as LocalizedText, 'en'),
    pageNames: page.name as LocalizedText,
    from: from.toISOString(),
    to: to.toISOString(),
    until: until.toISOString(),
    timeZone: args.timeZone,
    incidents: incidents.map((x) => ({ priority: x.priority, title: x.title as LocalizedText, status: x.status, registeredAt: x.registeredAt.toISOString(), resolvedAt: x.resolvedAt?.toISOString() ?? null })),
    windows: windows.map((x) => ({ title: x.title as LocalizedText, plannedStart: x.plannedStart.toISOString(), plannedEnd: x.plannedEnd.toISOString(), cancelled: x.cancelledAt !== null, emergency: x.emergency })),
    monthKey,
    month: { measured: month.measured, total: month.total, components: month.components, categories: month.categories },
    language: page.defaultLanguage,
  };
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    const [event] = await tx.insert(tables.notificationEvents).values({ kind: 'digest', pageIds: [page.id], componentIds: [], payload, createdAt: to, fannedOutAt: to }).returning();
    const messages = args.recipients.map((recipient) => ({ kind: 'report' as const, eventId: event!.id, recipient, nextAttemptAt: to, createdAt: to }));
    for (const chunk of rowChunks(tables.outboxMessages, messages)) await tx.insert(tables.outboxMessages).values(chunk);
    return { incidents: payload.incidents.length, windows: payload.windows.length, messages: args.recipients.length };
  });
}
