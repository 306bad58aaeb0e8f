import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { markLanguage, renderAtom, renderRss, type FeedEntry } from './render-feeds.ts';

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
const channel = { id: 'https://status.example/feed', title: 'Status', description: 'Status: incidents', language: 'en', link: 'https://status.example/', selfRss: 'https://status.example/rss', selfAtom: 'https://status.example/atom' };
const at = new Date('2026-04-01T08:00:00Z');
const entry = (over: Partial<FeedEntry>): FeedEntry => ({ id: '00000000-0000-4000-8000-000000000001', kind: 'incident', title: 'Login is slow', titleLanguage: 'en', summary: 'investigating: we look', summaryLanguage: 'en', updatedAt: at, publishedAt: at, link: channel.link, ...over });

describe('feed language marking', () => {
  it('marks a text in another language than the feed, and leaves the feed\'s own alone', () => {
    expect(markLanguage('Opgradering', 'da', 'en')).toBe('Opgradering [da]');
    expect(markLanguage('Upgrade', 'en', 'en')).toBe('Upgrade');
    expect(markLanguage('', 'da', 'en')).toBe('');
  });

  it('RSS items carry the mark in title and description', () => {
    const rss = xml.parse(renderRss(channel, [entry({ title: 'Login er langsomt', titleLanguage: 'da', summary: 'undersøges', summaryLanguage: 'da' }), entry({ id: '00000000-0000-4000-8000-000000000002' })])).rss;
    const items = [rss.channel.item].flat();
    expect(items.map((i: { title: string }) => i.title)).toEqual(['Login er langsomt [da]', 'Login is slow']);
    expect(items[0].description).toBe('undersøges [da]');
  });

  it('Atom says the feed\'s language, and an entry written wholly in another says its own', () => {
    const text = renderAtom(channel, [
      entry({ title: 'Login er langsomt', titleLanguage: 'da', summary: 'undersøges', summaryLanguage: 'da' }),
      entry({ id: '00000000-0000-4000-8000-000000000002' }),
      entry({ id: '00000000-0000-4000-8000-000000000003', title: 'Opgradering', titleLanguage: 'da' }),
    ]);
    const feed = xml.parse(text).feed;
    expect(feed['@xml:lang']).toBe('en');
    const entries = [feed.entry].flat();
    expect(entries.map((e: Record<string, unknown>) => e['@xml:lang'] ?? null)).toEqual(['da', null, null]);
    expect(entries[2].title['#text'] ?? entries[2].title).toBe('Opgradering [da]');
  });
});
