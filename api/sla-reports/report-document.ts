import { eq } from 'drizzle-orm';
import { tables, type Database } from '../../db/index.ts';
import { incidentFulfilment, type Fulfilment } from '../incidents/index.ts';
import { parsePeriod } from '../sla/index.ts';
import { computePageReport, type PageReport } from './compute-report.ts';

/** The SLA report as `GET /api/v1/sla/pages/{page}/reports/{period}` serves it: the figures, plus each priority's reactions and communication steps. */
export type ReportDocument = PageReport & { incidents: Fulfilment };

/**
 * A page's report with its incidents' fulfilment, counted over the period
 * in the page's time zone (the zone its exclusions are read in). One
 * function for the route and the mailed report, so both say the same.
 */
export async function computeReportDocument(db: Database, args: { pageId: string; periodKey: string; now: Date; readOnly?: boolean }): Promise<ReportDocument> {
  const report = await computePageReport(db, args);
  const [page] = await db.select({ timeZone: tables.statusPages.timeZone }).from(tables.statusPages).where(eq(tables.statusPages.id, args.pageId));
  const span = parsePeriod(args.periodKey, page?.timeZone ?? 'UTC')!.interval;
  const incidents = await incidentFulfilment(db, { pageId: args.pageId, from: new Date(span.start), to: new Date(span.end), now: args.now });
  return { ...report, incidents };
}
