import type { IncidentUpdatePayload, NoticePayload, NotificationKind, WindowPayload } from '../../api/index.ts';
import { localize, type Language } from '../../config/index.ts';
import { formatInstant, layoutMail, type Block, type MailLinks, type RenderedMail } from './layout.ts';
import { fill, mailLanguage, MAIL_MESSAGES, type MailLanguage } from './messages.ts';
import { renderNoticeMail } from './render-notice-mail.ts';

type Args = { kind: NotificationKind; payload: IncidentUpdatePayload | WindowPayload | NoticePayload; pageId: string; language: string; links: MailLinks };

/**
 * The mail one subscriber of one page receives about one event, in their
 * language. Pure: everything comes from the event's snapshot.
 *
 * @example renderEventMail({ kind: 'incident_update', payload, pageId: 'os2faktor', language: 'da', links })
 */
export function renderEventMail(args: Args): RenderedMail {
  if (args.kind === 'component_update') throw new Error('a component update goes to webhooks only; subscribers are not mailed about it');
  if (args.kind === 'third_party_notice') return renderNoticeMail({ payload: args.payload as NoticePayload, pageId: args.pageId, language: args.language, links: args.links });
  const payload = args.payload as IncidentUpdatePayload | WindowPayload;
  const page = payload.pages.find((p) => p.id === args.pageId) ?? args.payload.pages[0];
  if (!page) throw new Error(`the event names no page (wanted "${args.pageId}")`);
  const language = mailLanguage(args.language, page.defaultLanguage);
  const local = (text: Parameters<typeof localize>[0]) => localize(text, language as Language, page.defaultLanguage as Language);
  const pageName = local(page.name);
  const components = args.payload.components.filter((c) => c.pageId === page.id).map((c) => local(c.name)).join(', ');
  const m = MAIL_MESSAGES[language];
  const when = (iso: string) => formatInstant(iso, language, page.timeZone);
  const blocks: Block[] = [];
  let subject: string;

  // an operator's text missing in the reader's language is shown in the page's default, and said so: in the subject, the text and the HTML
  const note = (shownIn: string): Block[] => (shownIn !== language ? [{ kind: 'note', text: fill(m.noTranslation, { language: languageName(shownIn) }) }] : []);
  const marked = (text: string, shownIn: string) => (shownIn !== language ? `${text} [${shownIn}]` : text);

  if (args.kind === 'incident_update') {
    const p = args.payload as IncidentUpdatePayload;
    const title = bodyIn(p.incident.title, language, page.defaultLanguage);
    const status = m[`status_${p.update.status}` as keyof typeof m] ?? p.update.status;
    subject = `[${pageName}] ${status}: ${marked(title.text, title.shownIn)}`;
    blocks.push({ kind: 'heading', text: title.text, lang: title.shownIn }, ...note(title.shownIn), { kind: 'paragraph', text: `${status} · ${m.published} ${when(p.update.publishedAt)}\n${m.affects}: ${components}` });
    const { text, shownIn } = bodyIn(p.update.body, language, page.defaultLanguage);
    blocks.push({ kind: 'paragraph', text, lang: shownIn }, ...note(shownIn));
    if (p.update.estimatedFixAt && p.update.status !== 'resolved' && p.update.status !== 'postmortem') blocks.push({ kind: 'paragraph', text: `${m.expectedFix}: ${when(p.update.estimatedFixAt)}` });
  } else {
    const kind = args.kind;
    const w = (args.payload as WindowPayload).window;
    const title = bodyIn(w.title, language, page.defaultLanguage);
    const description = w.description ? bodyIn(w.description, language, page.defaultLanguage) : undefined;
    const end = w.extendedUntil ?? w.plannedEnd;
    const subjects = { window_announced: m.windowAnnouncedSubject, window_started: m.windowStartedSubject, window_overrunning: m.windowOverrunningSubject, window_ended: m.windowEndedSubject, window_cancelled: m.windowCancelledSubject };
    const lines = {
      window_announced: fill(m.windowAnnounced, { start: when(w.plannedStart), end: when(w.plannedEnd) }),
      window_started: fill(m.windowStarted, { start: when(w.actualStart ?? w.plannedStart), end: when(end) }),
      window_overrunning: fill(m.windowOverrunning, { end: when(end) }),
      window_ended: fill(m.windowEnded, { end: when(w.actualEnd ?? end) }),
      window_cancelled: fill(m.windowCancelled, { start: when(w.plannedStart), end: when(w.plannedEnd) }),
    };
    subject = `[${pageName}] ${fill(subjects[kind], { title: marked(title.text, title.shownIn) })}`;
    blocks.push({ kind: 'heading', text: title.text, lang: title.shownIn }, ...note(title.shownIn), { kind: 'paragraph', text: `${lines[kind]}\n${m.affects}: ${components}` });
    if (description) blocks.push({ kind: 'paragraph', text: description.text, lang: description.shownIn }, ...note(description.shownIn));
    if (w.extendedUntil && (kind === 'window_announced' || kind === 'window_started')) blocks.push({ kind: 'paragraph', text: fill(m.windowOverrun, { end: when(w.extendedUntil) }) });
  }
  return layoutMail({ language, subject, pageName, blocks, links: args.links });
}

/** An operator's text in the reader's language, else the page's default, else any: and which it is. A plain string is the default language's. */
function bodyIn(value: string | Record<string, string>, language: MailLanguage, fallback: string): { text: string; shownIn: string } {
  if (typeof value === 'string') return { text: value, shownIn: fallback };
  const body = value;
  if (body[language]) return { text: body[language], shownIn: language };
  if (body[fallback]) return { text: body[fallback], shownIn: fallback };
  const [first] = Object.entries(body);
  return first ? { text: first[1], shownIn: first[0] } : { text: '', shownIn: language };
}

function languageName(code: string): string {
  return (MAIL_MESSAGES as Record<string, { languageName: string } | undefined>)[code]?.languageName ?? code;
}
