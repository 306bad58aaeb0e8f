import type { ReportDocument } from '../../api/index.ts';
import { localize, type Language } from '../../config/index.ts';
import type { ReportPayload } from '../jobs/queue-report.ts';
import { availabilityBlocks, lineName } from './availability-blocks.ts';
import { formatPeriod } from './format-figures.ts';
import { formatInstant, layoutMail, type Block, type RenderedMail } from './layout.ts';
import { fill, mailLanguage, type MailLanguage } from './messages.ts';
import { REPORT_MESSAGES, type ReportCatalogue } from './report-messages/index.ts';

/**
 * The SLA report (month, tertial or year) to a contract recipient, in the
 * page's default language: availability per service and service category
 * against target, reaction and communication per priority (in time, late,
 * missed), and each exclusion with its reason and note (never who recorded
 * it). Everything comes from the report snapshot; the figures are the SLA
 * report route's, never recomputed here. Pure.
 *
 * @example renderReportMail({ payload, pageUrl: 'https://status.kommune.dk/pages/status/' })
 */
export function renderReportMail(args: { payload: ReportPayload; pageUrl: string }): RenderedMail {
  const p = args.payload;
  const report = p.report;
  const pageLanguage = p.language ?? 'en';
  const language = mailLanguage(pageLanguage, 'en');
  const m = REPORT_MESSAGES[language];
  const pageName = report ? localize(report.page.name, language as Language, pageLanguage as Language) : p.pageName;
  const period = formatPeriod(p.periodKey, language);
  const subject = fill(m.reportSubject, { period, page: pageName });
  const blocks: Block[] = [{ kind: 'heading', text: subject }];
  if (!report) {
    // queued before reports were rendered per language: its English summary is all it has
    blocks.push({ kind: 'paragraph', text: p.summary ?? '' });
  } else {
    const status = !report.measured ? m.reportNotMeasured : report.status === 'final' ? m.reportFinal : m.reportPreliminary;
    blocks.push({ kind: 'paragraph', text: `${fill(m.reportIntro, { page: pageName, period })}\n${status}` });
    const unmeasured = monthsNotMeasured(report);
    if (report.measured && unmeasured.length > 0) blocks.push({ kind: 'note', text: fill(m.reportMonthsNotMeasured, { months: unmeasured.map((k) => formatPeriod(k, language)).join(', ') }) });
    blocks.push(...availabilityBlocks({ overview: report, language, pageLanguage }), ...fulfilmentBlocks(report, m), ...exclusionBlocks(report, { language, pageLanguage, timeZone: p.timeZone ?? 'UTC', m }));
  }
  blocks.push({ kind: 'paragraph', text: m.reportAttachments }, { kind: 'link', label: m.reportSeeOnline, url: `${args.pageUrl}sla/${encodeURIComponent(p.periodKey)}/` });
  return layoutMail({ language, subject, pageName, blocks, links: { pageUrl: args.pageUrl } });
}

/** The months of a longer period in which no component was measured yet: monitoring had not begun. */
function monthsNotMeasured(report: ReportDocument): string[] {
  const keys = [...new Set(report.components.flatMap((l) => l.months.map((month) => month.key)))].sort();
  return keys.length > 1 ? keys.filter((key) => report.components.every((l) => !l.months.some((month) => month.key === key && month.measured))) : [];
}

function fulfilmentBlocks(report: ReportDocument, m: ReportCatalogue): Block[] {
  const heading: Block = { kind: 'heading', level: 2, text: m.reportFulfilment };
  const priorities = Object.entries(report.incidents).sort(([a], [b]) => a.localeCompare(b));
  if (!priorities.some(([, figures]) => figures.incidents > 0)) return [heading, { kind: 'paragraph', text: m.reportNoIncidents }];
  const counts = (c: { fulfilled: number; late: number; missed: number }) => fill(m.reportCounts, { fulfilled: String(c.fulfilled), late: String(c.late), missed: String(c.missed) });
  return [
    heading,
    {
      kind: 'table',
      head: [m.reportPriority, m.reportIncidents, m.reportReaction, m.reportCommunication],
      rows: priorities.map(([priority, figures]) => [priority, String(figures.incidents), counts(figures.reaction), counts(figures.communication)]),
    },
  ];
}

function exclusionBlocks(report: ReportDocument, args: { language: MailLanguage; pageLanguage: string; timeZone: string; m: ReportCatalogue }): Block[] {
  const { m, language } = args;
  const heading: Block = { kind: 'heading', level: 2, text: m.reportExclusions };
  if (report.exclusions.length === 0) return [heading, { kind: 'paragraph', text: m.reportNoExclusions }];
  const names = new Map(report.components.map((line) => [line.id, lineName(line, language, args.pageLanguage)]));
  const when = (iso: string) => formatInstant(iso, language, args.timeZone);
  // the report's exclusions carry no author: who recorded one stays in the audit log
  return [
    heading,
    ...report.exclusions.map(
      (x): Block => ({
        kind: 'paragraph',
        text: [
          `${m.reportExclusionReason}: ${(m as Record<string, string>)[`exclusion_${x.reason}`] ?? x.reason}`,
          `${m.reportExclusionServices}: ${x.componentIds.map((id) => names.get(id) ?? id).join(', ')}`,
          `${m.reportExclusionTime}: ${when(x.start)} – ${when(x.end)}`,
          `${m.reportExclusionNote}: ${x.note}`,
        ].join('\n'),
      }),
    ),
  ];
}
