import type { PageReport, ReportLine } from '../../api/index.ts';
import { localize, type Language } from '../../config/index.ts';
import { formatPercent } from './format-figures.ts';
import type { Block } from './layout.ts';
import type { MailLanguage } from './messages.ts';
import { REPORT_MESSAGES } from './report-messages/index.ts';

/** What the availability tables need of a report: its lines, its total, and whether anything was measured. */
export type AvailabilityOverview = Pick<PageReport, 'measured' | 'total' | 'components' | 'categories'>;

/** A line's name in the reader's language, else the page's default, else the English name the line carries. */
export function lineName(line: Pick<ReportLine, 'name'> & { names?: ReportLine['names'] }, language: MailLanguage, pageLanguage: string): string {
  return localize(line.names ?? line.name, language as Language, pageLanguage as Language);
}

/**
 * Availability against target as two tables: all services together and each
 * service, then each service category. A line with no measured month reads
 * "not measured" rather than a figure, so nobody takes 100 % for a fact. Pure.
 */
export function availabilityBlocks(args: { overview: AvailabilityOverview; language: MailLanguage; pageLanguage: string }): Block[] {
  const m = REPORT_MESSAGES[args.language];
  const percent = (ratio: number | null) => (ratio === null ? '–' : formatPercent(ratio, args.language));
  const availability = (line: { measured: boolean; figures: { availability: number | null } }) => (line.measured ? percent(line.figures.availability) : m.reportLineNotMeasured);
  const met = (line: ReportLine) => (!line.measured ? '–' : line.figures.target === null ? m.reportNoTarget : line.figures.met === null ? m.reportNoFigure : line.figures.met ? m.reportMetYes : m.reportMetNo);
  const row = (line: ReportLine) => [lineName(line, args.language, args.pageLanguage), availability(line), percent(line.figures.target), met(line)];
  const head = [m.reportService, m.reportAvailability, m.reportTarget, m.reportMet];
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: m.reportServices },
    { kind: 'table', head, rows: [[m.reportPageTotal, availability({ measured: args.overview.measured, figures: args.overview.total }), '–', '–'], ...args.overview.components.map(row)] },
  ];
  if (args.overview.categories.length > 0) blocks.push({ kind: 'heading', level: 2, text: m.reportCategories }, { kind: 'table', head, rows: args.overview.categories.map(row) });
  return blocks;
}
