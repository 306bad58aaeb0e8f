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
export type FeedChannel = { id: string; title: string; description: string; language: string; link: string; selfRss: string; selfAtom: string };

function build(channel: FeedChannel, entries: readonly FeedEntry[]) {
  const feed = new Feed({
    id: channel.id,
    title: channel.title,
    description: channel.description,
    language: channel.language,
    link: channel.link,
    // a feed's date is its newest entry's, so an unchanged page yields the same bytes
    updated: entries.reduce<Date>((newest, e) => (e.updatedAt > newest ? e.updatedAt : newest), new Date(0)),
    generator: 'Statusvakt',
    copyright: '',
    feedLinks: { rss: channel.selfRss, atom: channel.selfAtom },
  });
  for (const entry of entries) {
    const title = markLanguage(entry.title, entry.titleLanguage, channel.language);
    const description = markLanguage(entry.summary, entry.summaryLanguage, channel.language);
    feed.addItem({ id: `${channel.link}#${entry.kind}-${entry.id}`, guid: `${entry.kind}-${entry.id}`, title, link: entry.link, description, date: entry.updatedAt, published: entry.publishedAt, category: [{ name: entry.kind }] });
  }
  return feed;
}

/** RSS 2.0 of a page's incidents and maintenances, newest first. Pure. */
export function renderRss(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  return build(channel, entries).rss2();
}

/**
 * Atom 1.0 of the same entries. Pure. The feed says its language with
 * `xml:lang`; an entry written wholly in another one says so on the entry.
 */
export function renderAtom(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  let index = 0;
  // the entries come out in the order they were added: the n-th <entry> is entries[n]
  return build(channel, entries)
    .atom1()
    .replace('<feed xmlns="http://www.w3.org/2005/Atom">', `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeAttribute(channel.language)}">`)
    .replace(/<entry>/g, () => {
      const entry = entries[index++];
      const own = entry && entry.titleLanguage === entry.summaryLanguage && entry.titleLanguage !== channel.language ? entry.titleLanguage : undefined;
      return own ? `<entry xml:lang="${escapeAttribute(own)}">` : '<entry>';
    });
}

const escapeAttribute = (value: string) => value.replace(/[^a-zA-Z0-9-]/g, '');

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
