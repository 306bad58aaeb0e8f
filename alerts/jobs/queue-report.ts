import { eq } from 'drizzle-orm';
import { computeReportDocument, exportStatement, reportToCsv, type ReportDocument } from '../../api/index.ts';
import { localize, type LocalizedText } from '../../config/index.ts';
import { rowChunks, tables, type Database } from '../../db/index.ts';
import { previousPeriodKey, type ReportKind } from './previous-period.ts';

/**
 * What a report mail carries: a snapshot taken when it is queued, so a
 * retried mail says the same. The mail is rendered from it at send time.
 */
export type ReportPayload = {
  pageId: string;
  /** The page's name in English; `report.page.name` has every language. */
  pageName: string;
  periodKey: string;
  status: string;
  csv: string;
  statements: { filename: string; json: string }[];
  /** The report as the SLA report route serves it: figures per component and category, fulfilment per priority, exclusions with their notes. */
  report?: ReportDocument;
  /** The page's default language (the mail's) and its time zone (the exclusions' times) when queued. */
  language?: string;
  timeZone?: string;
  /** Reports queued before they were rendered per language carry only this English summary instead of `report`. */
  summary?: string;
};

/**
 * Queues a page's SLA report for the last whole month, tertial or year
 * before `now` to its contract recipients: the figures, fulfilment and
 * exclusions in the body, the CSV and each component's statement JSON
 * attached. The event and its outbox rows commit together; the outbox
 * delivers them like any mail. "Last" is read in `timeZone`, the SLA
 * profile's.
 */
export async function queueReport(db: Database, args: { pageId: string; kind: ReportKind; timeZone: string; recipients: readonly string[]; now: Date }): Promise<{ periodKey: string; messages: number }> {
  const [page] = await db.select().from(tables.statusPages).where(eq(tables.statusPages.id, args.pageId));
  if (!page) throw new Error(`no status page "${args.pageId}"`);
  const periodKey = previousPeriodKey(args.kind, args.now, args.timeZone);
  const report = await computeReportDocument(db, { pageId: page.id, periodKey, now: args.now });
  const statements: ReportPayload['statements'] = [];
  for (const line of report.components) {
    const exported = await exportStatement(db, { scope: 'component', id: line.id, periodKey, now: args.now });
    statements.push({ filename: `statement-${line.id}-${periodKey}.json`, json: JSON.stringify(exported.document, null, 2) });
  }
  const payload: ReportPayload = {
    pageId: page.id,
    pageName: localize(page.name as LocalizedText, 'en'),
    periodKey,
    status: report.status,
    csv: reportToCsv(report),
    statements,
    report,
    language: page.defaultLanguage,
    timeZone: page.timeZone,
  };
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    const [event] = await tx.insert(tables.notificationEvents).values({ kind: 'sla_report', pageIds: [page.id], componentIds: [], payload, createdAt: args.now, fannedOutAt: args.now }).returning();
    const messages = args.recipients.map((recipient) => ({ kind: 'report' as const, eventId: event!.id, recipient, nextAttemptAt: args.now, createdAt: args.now }));
    for (const chunk of rowChunks(tables.outboxMessages, messages)) await tx.insert(tables.outboxMessages).values(chunk);
    return { periodKey, messages: args.recipients.length };
  });
}
