import { Feed } from 'feed';
import ical, { ICalEventStatus } from 'ical-generator';

/** One entry of a page's feed: an incident (its latest update) or a service window. */
export type FeedEntry = { id: string; kind: 'incident' | 'maintenance'; title: string; summary: string; updatedAt: Date; publishedAt: Date; link: string };
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
    feed.addItem({ id: `${channel.link}#${entry.kind}-${entry.id}`, guid: `${entry.kind}-${entry.id}`, title: entry.title, link: entry.link, description: entry.summary, date: entry.updatedAt, published: entry.publishedAt, category: [{ name: entry.kind }] });
  }
  return feed;
}

/** RSS 2.0 of a page's incidents and maintenances, newest first. Pure. */
export function renderRss(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  return build(channel, entries).rss2();
}

/** Atom 1.0 of the same entries. Pure. */
export function renderAtom(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  return build(channel, entries).atom1();
}

/** A service window as a calendar event; `sequence` counts its revisions, so calendars replace the old copy. */
export type CalendarWindow = { id: string; title: string; description: string; start: Date; end: Date; sequence: number; cancelled: boolean; createdAt: Date; updatedAt: Date; url: string };

/**
 * iCalendar of a page's service windows. The UID is the window's id (stable
 * across edits); a cancelled window stays in the feed as STATUS:CANCELLED so
 * subscribed calendars remove it instead of keeping a stale copy. Pure.
 */
export function renderCalendar(args: { name: string; host: string; windows: readonly CalendarWindow[] }): string {
  const calendar = ical({ name: args.name, prodId: { company: 'Statusvakt', product: 'service-windows', language: 'EN' } });
  for (const w of args.windows) {
    calendar.createEvent({
      id: `${w.id}@${args.host}`,
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
