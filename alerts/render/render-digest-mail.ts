import { localize, type Language } from '../../config/index.ts';
import type { DigestPayload } from '../jobs/queue-digest.ts';
import { availabilityBlocks } from './availability-blocks.ts';
import { formatDay, formatPeriod } from './format-figures.ts';
import { formatInstant, layoutMail, type Block, type RenderedMail } from './layout.ts';
import { fill, mailLanguage, MAIL_MESSAGES } from './messages.ts';
import { REPORT_MESSAGES } from './report-messages/index.ts';

/**
 * The digest to a contract recipient, in the page's default language: the
 * incidents of the days covered, the service windows then and ahead, and
 * the month's availability so far. Times are in the digest's time zone;
 * titles and component names in the page's language where written in it.
 * Pure.
 */
export function renderDigestMail(args: { payload: DigestPayload; pageUrl: string }): RenderedMail {
  const p = args.payload;
  const pageLanguage = p.language ?? 'en';
  const language = mailLanguage(pageLanguage, 'en');
  const m = REPORT_MESSAGES[language];
  const statusOf = (status: string) => (MAIL_MESSAGES[language] as Record<string, string>)[`status_${status}`] ?? status;
  const local = (text: DigestPayload['incidents'][number]['title']) => localize(text, language as Language, pageLanguage as Language);
  const z = p.timeZone;
  const at = (iso: string) => formatInstant(iso, language, z);
  const pageName = p.pageNames ? local(p.pageNames) : p.pageName;
  const subject = fill(m.digestSubject, { from: formatDay(p.from, language, z), to: formatDay(p.to, language, z), page: pageName });
  const incidents = p.incidents.length
    ? p.incidents.map((i) => `[${i.priority}] ${local(i.title)} (${statusOf(i.status)}): ${fill(m.digestRegistered, { at: at(i.registeredAt) })}, ${i.resolvedAt ? fill(m.digestResolved, { at: at(i.resolvedAt) }) : m.digestStillOpen}`).join('\n')
    : m.digestNoIncidents;
  const past = p.windows.filter((w) => w.plannedStart < p.to);
  const ahead = p.windows.filter((w) => w.plannedStart >= p.to);
  const windowLine = (w: DigestPayload['windows'][number]) => `${local(w.title)}: ${at(w.plannedStart)} – ${at(w.plannedEnd)}${w.cancelled ? ` (${m.digestCancelled})` : ''}${w.emergency ? ` (${m.digestEmergency})` : ''}`;
  const count = (n: number) => String(n);
  const blocks: Block[] = [
    { kind: 'heading', text: subject },
    { kind: 'paragraph', text: fill(m.digestIntro, { page: pageName, from: at(p.from), to: at(p.to) }) },
    { kind: 'heading', level: 2, text: fill(m.digestIncidents, { count: count(p.incidents.length) }) },
    { kind: 'paragraph', text: incidents },
    { kind: 'heading', level: 2, text: fill(m.digestWindows, { count: count(past.length) }) },
    { kind: 'paragraph', text: past.length ? past.map(windowLine).join('\n') : m.digestNoWindows },
    { kind: 'heading', level: 2, text: fill(m.digestAhead, { until: formatDay(p.until, language, z), count: count(ahead.length) }) },
    { kind: 'paragraph', text: ahead.length ? ahead.map(windowLine).join('\n') : m.digestNoWindowsAhead },
    { kind: 'heading', level: 2, text: fill(m.digestMonth, { month: formatPeriod(p.monthKey, language) }) },
    // digests queued before per-language rendering carry an English summary instead of the figures
    ...(p.month ? availabilityBlocks({ overview: p.month, language, pageLanguage }) : [{ kind: 'paragraph' as const, text: p.monthSummary ?? '' }]),
  ];
  return layoutMail({ language, subject, pageName, blocks, links: { pageUrl: args.pageUrl } });
}
