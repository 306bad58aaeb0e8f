import { fill, MAIL_MESSAGES, type MailLanguage } from './messages.ts';

export type RenderedMail = { subject: string; text: string; html: string };
/** Where the reader can act: the page, and for subscribers their manage and unsubscribe links. */
export type MailLinks = { pageUrl: string; manageUrl?: string; unsubscribeUrl?: string };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * A block of the mail: headings, paragraphs of plain text, a table, or a
 * link. Both parts are made from the same blocks, so they never say
 * different things. A table's first cell in each row names the row.
 */
export type Block =
  | { kind: 'heading'; text: string; level?: 1 | 2; lang?: string }
  | { kind: 'paragraph'; text: string; lang?: string }
  | { kind: 'note'; text: string }
  | { kind: 'table'; head: string[]; rows: string[][] }
  | { kind: 'link'; label: string; url: string };

/** Lays the blocks out as plain text and as simple, accessible HTML, with the subscriber footer. */
export function layoutMail(args: { language: MailLanguage; subject: string; pageName: string; blocks: Block[]; links: MailLinks }): RenderedMail {
  const m = MAIL_MESSAGES[args.language];
  const footer: Block[] = [{ kind: 'link', label: m.seePage, url: args.links.pageUrl }];
  if (args.links.manageUrl && args.links.unsubscribeUrl) {
    footer.push({ kind: 'note', text: fill(m.footerReason, { page: args.pageName }) }, { kind: 'link', label: m.manage, url: args.links.manageUrl }, { kind: 'link', label: m.unsubscribe, url: args.links.unsubscribeUrl });
  }
  const text = [...args.blocks, ...footer]
    .map((b) =>
      b.kind === 'link' ? `${b.label}: ${b.url}`
      : b.kind === 'heading' ? `${b.text}\n${(b.level === 2 ? '-' : '=').repeat(Math.min(b.text.length, 72))}`
      : b.kind === 'table' ? tableAsText(b)
      : b.text,
    )
    .join('\n\n');
  // a text in another language than the mail's says so to screen readers and spell checkers too
  const lang = (b: { lang?: string }) => (b.lang && b.lang !== args.language ? ` lang="${escapeHtml(b.lang)}"` : '');
  const htmlBlock = (b: Block) =>
    b.kind === 'heading' ? (b.level === 2 ? `<h2 style="font-size:17px"${lang(b)}>${escapeHtml(b.text)}</h2>` : `<h1 style="font-size:20px"${lang(b)}>${escapeHtml(b.text)}</h1>`)
    : b.kind === 'paragraph' ? `<p${lang(b)}>${escapeHtml(b.text).replace(/\n/g, '<br>')}</p>`
    : b.kind === 'note' ? `<p style="color:#555;font-size:13px">${escapeHtml(b.text)}</p>`
    : b.kind === 'table' ? tableAsHtml(b)
    : `<p><a href="${escapeHtml(b.url)}">${escapeHtml(b.label)}</a></p>`;
  const html = `<!doctype html><html lang="${args.language}"><head><meta charset="utf-8"><title>${escapeHtml(args.subject)}</title></head><body style="font-family:sans-serif;line-height:1.5;max-width:40em">${args.blocks.map(htmlBlock).join('')}<hr>${footer.map(htmlBlock).join('')}</body></html>`;
  return { subject: args.subject, text: `${text}\n`, html };
}

type Table = Extract<Block, { kind: 'table' }>;

/** A table in plain text: columns padded to their widest cell, for readers with a fixed-width font; still one row a line without one. */
function tableAsText(table: Table): string {
  const rows = [table.head, ...table.rows];
  const widths = table.head.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  const line = (row: string[]) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - [...cell].length))).join('  ');
  return [line(table.head), widths.map((w) => '-'.repeat(w)).join('  '), ...table.rows.map(line)].join('\n');
}

/** A table in HTML, with header cells scoped so a screen reader names each figure by its row and column. */
function tableAsHtml(table: Table): string {
  const cell = 'style="text-align:left;padding:2px 12px 2px 0;vertical-align:top"';
  const head = `<thead><tr>${table.head.map((h) => `<th scope="col" ${cell}>${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = table.rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row" ${cell}>${escapeHtml(c)}</th>` : `<td ${cell}>${escapeHtml(c)}</td>`)).join('')}</tr>`).join('');
  return `<table style="border-collapse:collapse">${head}<tbody>${body}</tbody></table>`;
}

/** A date and time as the reader reads it, in the page's time zone. */
export function formatInstant(iso: string, language: MailLanguage, timeZone: string): string {
  // building a formatter costs far more than using one; a fan-out formats the same few thousands of times
  const key = `${language}|${timeZone}`;
  let format = FORMATS.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(MAIL_MESSAGES[language].locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' });
    FORMATS.set(key, format);
  }
  return format.format(new Date(iso));
}
const FORMATS = new Map<string, Intl.DateTimeFormat>();
