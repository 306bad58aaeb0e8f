import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { htmlOfText, markLanguage, renderAtom, renderRss, type FeedEntry } from './render-feeds.ts';

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
const channel = { id: 'https://status.example/feed', title: 'Status', description: 'Status: incidents', language: 'en', link: 'https://status.example/', entryIdBase: 'https://status.example/pages/status/', selfRss: 'https://status.example/rss', selfAtom: 'https://status.example/atom' };
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

describe('operators\' text in the feeds', () => {
  const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)> ]]> &amp; & y';

  it('Atom sends titles and summaries as text, escaped, so a reader shows exactly what was typed', () => {
    const text = renderAtom(channel, [entry({ title: '<b>x</b> & y', summary: hostile })]);
    expect(text).not.toContain('type="html"');
    expect(text).not.toContain('<script>');
    const [parsed] = [xml.parse(text).feed.entry].flat();
    expect(parsed.title).toEqual({ '#text': '<b>x</b> & y', '@type': 'text' });
    expect(parsed.summary).toEqual({ '#text': hostile, '@type': 'text' });
  });

  it('RSS descriptions are HTML that shows the text literally; titles stay plain text in a well-formed document', () => {
    const text = renderRss(channel, [entry({ title: hostile, summary: `${hostile}\nsecond line` })]);
    const item = xml.parse(text).rss.channel.item;
    expect(item.title).toBe(hostile);
    expect(item.description).toBe(`${htmlOfText(hostile)}<br>\nsecond line`);
    expect(item.description).not.toMatch(/<(script|img)/);
    // the HTML, read back as a reader renders it, is the text as typed
    const shown = (html: string) => html.replace(/<br>\n/g, '\n').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(shown(item.description)).toBe(`${hostile}\nsecond line`);
  });

  it('each entry links where the loader says, and keeps its id on the id base', () => {
    const link = 'https://status.example/incidents/00000000-0000-4000-8000-000000000001/';
    const [atom] = [xml.parse(renderAtom(channel, [entry({ link })])).feed.entry].flat();
    expect(atom.link['@href']).toBe(link);
    expect(atom.id).toBe('https://status.example/pages/status/#incident-00000000-0000-4000-8000-000000000001');
    expect(xml.parse(renderRss(channel, [entry({ link })])).rss.channel.item.link).toBe(link);
  });
});
