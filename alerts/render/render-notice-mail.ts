import type { NoticePayload } from '../../api/index.ts';
import { localize, type Language } from '../../config/index.ts';
import { formatInstant, layoutMail, type Block, type MailLinks, type RenderedMail } from './layout.ts';
import { fill, mailLanguage, MAIL_MESSAGES } from './messages.ts';
import { NOTICE_MAIL_MESSAGES } from './notice-messages.ts';

/**
 * A subscriber's mail about a third party's notice (new, updated or ended),
 * in their language: our words name who says it; the third party's title and
 * text are quoted as plain text (the layout escapes them for HTML). Pure.
 */
export function renderNoticeMail(args: { payload: NoticePayload; pageId: string; language: string; links: MailLinks }): RenderedMail {
  const p = args.payload;
  const page = p.pages.find((x) => x.id === args.pageId) ?? p.pages[0];
  if (!page) throw new Error(`the event names no page (wanted "${args.pageId}")`);
  const language = mailLanguage(args.language, page.defaultLanguage);
  const local = (text: Parameters<typeof localize>[0]) => localize(text, language as Language, page.defaultLanguage as Language);
  const m = MAIL_MESSAGES[language];
  const n = NOTICE_MAIL_MESSAGES[language];
  const name = local(p.thirdParty.name);
  const when = (iso: string) => formatInstant(iso, language, page.timeZone);
  const values = { name, title: p.notice.title };
  const subject =
    p.change === 'ended' ? n.subjectEnded : p.change === 'updated' ? n.subjectUpdated : p.notice.kind === 'maintenance' ? n.subjectMaintenance : n.subjectProblem;
  const components = p.components.filter((c) => c.pageId === page.id).map((c) => local(c.name)).join(', ');
  const blocks: Block[] = [
    { kind: 'heading', text: p.notice.title },
    { kind: 'paragraph', text: `${fill(p.change === 'ended' ? n.ended : n.intro, { name })}\n${m.affects}: ${components}` },
  ];
  if (p.notice.kind === 'maintenance' && p.notice.startsAt && p.notice.endsAt) blocks.push({ kind: 'paragraph', text: fill(n.planned, { start: when(p.notice.startsAt), end: when(p.notice.endsAt) }) });
  if (p.notice.body && p.change !== 'ended') blocks.push({ kind: 'paragraph', text: `${fill(n.theirWords, { name })}\n${p.notice.body}` });
  if (p.notice.url) blocks.push({ kind: 'link', label: fill(n.sourceLink, { name }), url: p.notice.url });
  return layoutMail({ language, subject: `[${local(page.name)}] ${fill(subject, values)}`, pageName: local(page.name), blocks, links: args.links });
}
