import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { toPlainText } from './plain-text.ts';
import { toInstant } from './read-source.ts';

/** One entry of an RSS or Atom feed, as plain text. */
export type FeedEntry = {
  id: string;
  title: string;
  body: string;
  categories: string[];
  url: string | undefined;
  publishedAt: string | undefined;
  updatedAt: string | undefined;
};

export type ParsedFeed = { ok: true; entries: FeedEntry[]; feedUpdatedAt: string | undefined } | { ok: false; message: string };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // content:encoded → encoded, dc:date → date, rdf:RDF → RDF: the prefixes vary from feed to feed
  removeNSPrefix: true,
  // keep "404" a title, not a number
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'item' || name === 'entry' || name === 'category' || name === 'link',
});

/**
 * The entries of an RSS 2.0, RSS 1.0 (RDF) or Atom document. Markup in
 * titles and texts becomes plain text. A document that is not well-formed
 * XML, or is XML but no feed, is refused with a message saying which.
 */
export function parseFeed(xml: string, feedUrl: URL): ParsedFeed {
  // a status feed has no use for its own entities; refusing them rules out entity expansion attacks
  if (/<!ENTITY/i.test(xml)) return { ok: false, message: 'the feed declares XML entities (<!ENTITY), which a status feed does not need; refused' };
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { ok: false, message: `the answer is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})` };
  const document = parser.parse(xml) as Record<string, unknown>;
  const rss = field(document, 'rss');
  const rdf = field(document, 'RDF');
  const atom = field(document, 'feed');
  if (rss || rdf) {
    const channel = field(rss ?? rdf, 'channel');
    const items = list(field(rss ? channel : rdf, 'item'));
    const feedUpdatedAt = toInstant(text(field(channel, 'lastBuildDate')) || text(field(channel, 'pubDate')) || text(field(channel, 'date')));
    return { ok: true, feedUpdatedAt, entries: items.map((item) => rssEntry(item, feedUrl)).filter(named) };
  }
  if (atom) {
    return { ok: true, feedUpdatedAt: toInstant(text(field(atom, 'updated'))), entries: list(field(atom, 'entry')).map((entry) => atomEntry(entry, feedUrl)).filter(named) };
  }
  return { ok: false, message: `the answer is XML but not an RSS or Atom feed (its root element is <${Object.keys(document).find((k) => !k.startsWith('?')) ?? 'none'}>)` };
}

/**
 * A feed's bytes as text, in the encoding its XML declaration names
 * (ISO-8859-1 and windows-1252 feeds still exist); UTF-8 when it names none
 * or one this runtime does not know. A byte order mark is dropped.
 */
export function decodeXml(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head.replace(/^\u00ef\u00bb\u00bf/, ''))?.[1];
  try {
    return new TextDecoder(declared ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function rssEntry(item: unknown, feedUrl: URL): FeedEntry {
  const title = toPlainText(text(field(item, 'title')));
  const body = toPlainText(text(field(item, 'description')) || text(field(item, 'encoded')));
  const url = absoluteUrl(list(field(item, 'link')).map(text).find(Boolean), feedUrl);
  const publishedAt = toInstant(text(field(item, 'pubDate')) || text(field(item, 'date')));
  return {
    id: text(field(item, 'guid')) || url || title,
    title,
    body,
    categories: list(field(item, 'category')).map(text).filter(Boolean),
    url,
    publishedAt,
    updatedAt: toInstant(text(field(item, 'updated'))) ?? publishedAt,
  };
}

function atomEntry(entry: unknown, feedUrl: URL): FeedEntry {
  const title = toPlainText(text(field(entry, 'title')));
  const links = list(field(entry, 'link'));
  const alternate = links.find((l) => (attribute(l, 'rel') ?? 'alternate') === 'alternate') ?? links[0];
  const url = absoluteUrl(attribute(alternate, 'href'), feedUrl);
  const publishedAt = toInstant(text(field(entry, 'published')));
  return {
    id: text(field(entry, 'id')) || url || title,
    title,
    body: toPlainText(text(field(entry, 'summary')) || text(field(entry, 'content'))),
    categories: list(field(entry, 'category')).map((c) => attribute(c, 'term') ?? attribute(c, 'label') ?? '').filter(Boolean),
    url,
    publishedAt,
    updatedAt: toInstant(text(field(entry, 'updated'))) ?? publishedAt,
  };
}

/** An entry with no id, link or title cannot be told from the next one, nor shown: it is left out. */
function named(entry: FeedEntry): boolean {
  return entry.id !== '';
}

function field(node: unknown, name: string): unknown {
  return typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>)[name] : undefined;
}

function list(node: unknown): unknown[] {
  if (node === undefined || node === null) return [];
  return Array.isArray(node) ? node : [node];
}

function attribute(node: unknown, name: string): string | undefined {
  const value = field(node, `@_${name}`);
  return typeof value === 'string' ? value : undefined;
}

/** An element's text: CDATA and text joined; for inline XHTML, the text of its children in order of appearance. */
function text(node: unknown): string {
  if (typeof node === 'string') return node.trim();
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (Array.isArray(node)) return node.map(text).filter(Boolean).join(' ');
  if (typeof node === 'object' && node !== null) {
    return Object.entries(node)
      .filter(([key]) => !key.startsWith('@_'))
      .map(([, value]) => text(value))
      .filter(Boolean)
      .join(' ');
  }
  return '';
}

function absoluteUrl(href: string | undefined, base: URL): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href, base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
