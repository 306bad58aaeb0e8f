import { XMLBuilder } from 'fast-xml-parser';
import { Feed } from 'feed';
import ical, { ICalEventStatus } from 'ical-generator';

/**
 * One entry of a page's feed: an incident (its latest update) or a service
 * window. `titleLanguage` and `summaryLanguage` say which language each text is
 * in: the feed's own, or the page's default where the feed's is missing.
 */
export type FeedEntry = { id: string; kind: 'incident' | 'maintenance'; title: string; titleLanguage: string; summary: string; summaryLanguage: string; updatedAt: Date; publishedAt: Date; link: string };

/**
 * A text in another language than the feed's is marked with that language
 * ("Opgradering [da]"), never passed off as the feed's: feed readers show
 * titles only, so the mark travels in the text itself.
 */
export function markLanguage(text: string, language: string, feedLanguage: string): string {
  return language === feedLanguage || text === '' ? text : `${text} [${language}]`;
}
/** A feed's own addresses; `entryIdBase` is what entry ids are minted on, kept apart from `link` so they never change. */
export type FeedChannel = { id: string; title: string; description: string; language: string; link: string; entryIdBase: string; selfRss: string; selfAtom: string };

/** A feed's date is its newest entry's, so an unchanged page yields the same bytes. */
const newestOf = (entries: readonly FeedEntry[]) => entries.reduce<Date>((newest, e) => (e.updatedAt > newest ? e.updatedAt : newest), new Date(0));
const entryId = (channel: FeedChannel, entry: FeedEntry) => `${channel.entryIdBase}#${entry.kind}-${entry.id}`;

/**
 * Operators write plain text; an RSS description is read as HTML, so the
 * text goes in as HTML that shows it literally ("<b>" and "&amp;" as typed),
 * its line breaks kept.
 */
export function htmlOfText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, '<br>\n');
}

/** RSS 2.0 of a page's incidents and maintenances, newest first. Pure. Titles are plain text, as RSS has them. */
export function renderRss(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  const feed = new Feed({
    id: channel.id,
    title: channel.title,
    description: channel.description,
    language: channel.language,
    link: channel.link,
    updated: newestOf(entries),
    generator: 'Statusvakt',
    copyright: '',
    feedLinks: { rss: channel.selfRss, atom: channel.selfAtom },
  });
  for (const entry of entries) {
    const title = markLanguage(entry.title, entry.titleLanguage, channel.language);
    const description = markLanguage(entry.summary, entry.summaryLanguage, channel.language);
    feed.addItem({ id: entryId(channel, entry), guid: `${entry.kind}-${entry.id}`, title, link: entry.link, description: htmlOfText(description), date: entry.updatedAt, published: entry.publishedAt, category: [{ name: entry.kind }] });
  }
  return feed.rss2();
}

// the feed library writes every Atom text as type="html": operators' plain text is written here as type="text", escaped by the builder
const atomBuilder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', format: true, indentBy: '    ', suppressEmptyNode: true });
const plainText = (value: string) => ({ '@type': 'text', '#text': value });

function atomEntry(channel: FeedChannel, entry: FeedEntry) {
  const own = entry.titleLanguage === entry.summaryLanguage && entry.titleLanguage !== channel.language ? entry.titleLanguage : undefined;
  return {
    ...(own ? { '@xml:lang': own } : {}),
    id: entryId(channel, entry),
    title: plainText(markLanguage(entry.title, entry.titleLanguage, channel.language)),
    link: { '@rel': 'alternate', '@type': 'text/html', '@href': entry.link },
    updated: entry.updatedAt.toISOString(),
    published: entry.publishedAt.toISOString(),
    summary: plainText(markLanguage(entry.summary, entry.summaryLanguage, channel.language)),
    category: { '@term': entry.kind },
  };
}

/**
 * Atom 1.0 of the same entries. Pure. Titles and summaries are plain text
 * (`type="text"`), so no reader takes an operator's "<b>" for markup. The
 * feed says its language with `xml:lang`; an entry written wholly in another
 * one says so on the entry.
 */
export function renderAtom(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  return atomBuilder.build({
    '?xml': { '@version': '1.0', '@encoding': 'utf-8' },
    feed: {
      '@xmlns': 'http://www.w3.org/2005/Atom',
      '@xml:lang': channel.language,
      id: channel.id,
      title: plainText(channel.title),
      subtitle: plainText(channel.description),
      updated: newestOf(entries).toISOString(),
      // RFC 4287 asks for an author on the feed when its entries name none
      author: { name: channel.title },
      generator: 'Statusvakt',
      link: [
        { '@rel': 'alternate', '@type': 'text/html', '@href': channel.link },
        { '@rel': 'self', '@type': 'application/atom+xml', '@href': channel.selfAtom },
      ],
      entry: entries.map((entry) => atomEntry(channel, entry)),
    },
  });
}

/** A service window as a calendar event; `sequence` counts its revisions, so calendars replace the old copy. */
export type CalendarWindow = {
  id: string;
  /** Title and description, each marked with its language when not the calendar's (see markLanguage). */
  title: string;
  description: string;
  start: Date; end: Date;
  sequence: number;
  cancelled: boolean;
  createdAt: Date;
  updatedAt: Date;
  url: string;
};

/** The UIDs' domain when no public URL is configured (`.invalid`: reserved, never anyone's). */
export const CALENDAR_UID_DOMAIN = 'statusvakt.invalid';

/**
 * iCalendar of a page's service windows. The UID is the window's id at
 * `uidDomain` (the installation's public host name; never the request's
 * Host, so it is the same whichever name a calendar used): stable across
 * edits. A cancelled window stays in the feed as STATUS:CANCELLED so
 * subscribed calendars remove it instead of keeping a stale copy. Pure.
 */
export function renderCalendar(args: { name: string; uidDomain: string; windows: readonly CalendarWindow[] }): string {
  const calendar = ical({ name: args.name, prodId: { company: 'Statusvakt', product: 'service-windows', language: 'EN' } });
  for (const w of args.windows) {
    calendar.createEvent({
      id: `${w.id}@${args.uidDomain}`,
      start: w.start,
      end: w.end,
      summary: w.title,
      description: w.description,
      sequence: w.sequence,
      status: w.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      created: w.createdAt,
      lastModified: w.updatedAt,
      // DTSTAMP from the data, not the clock: the same windows give the same file
      stamp: w.updatedAt,
      url: w.url,
    });
  }
  return calendar.toString();
}
