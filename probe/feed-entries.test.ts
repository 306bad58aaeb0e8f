import { describe, expect, it } from 'vitest';
import { decodeXml, parseFeed } from './feed-entries.ts';

const base = new URL('https://status.example.com/feed/');

describe('parseFeed', () => {
  it('reads RSS 1.0 (RDF) with Dublin Core dates', () => {
    const feed = parseFeed(
      `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://status.example.com/"><title>Status</title><dc:date>2026-11-21T11:00:00Z</dc:date></channel>
  <item rdf:about="https://status.example.com/i/1"><title>VPN down</title><link>https://status.example.com/i/1</link><description>Tunnels drop.</description><dc:date>2026-11-21T10:00:00+01:00</dc:date></item>
</rdf:RDF>`,
      base,
    );
    expect(feed).toEqual({
      ok: true,
      feedUpdatedAt: '2026-11-21T11:00:00.000Z',
      entries: [{ id: 'https://status.example.com/i/1', title: 'VPN down', body: 'Tunnels drop.', categories: [], url: 'https://status.example.com/i/1', publishedAt: '2026-11-21T09:00:00.000Z', updatedAt: '2026-11-21T09:00:00.000Z' }],
    });
  });

  it('prefers content:encoded when there is no description, keeps a title of digits as text, leaves out an entry with nothing to name it by', () => {
    const feed = parseFeed(
      `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
  <item><title>404</title><content:encoded><![CDATA[<p>Pages &amp; files missing</p>]]></content:encoded></item>
  <item><description>No title, no guid, no link</description></item>
</channel></rss>`,
      base,
    );
    expect(feed.ok && feed.entries.map((e) => [e.id, e.title, e.body])).toEqual([['404', '404', 'Pages & files missing']]);
  });

  it('takes the alternate link of an Atom entry and refuses links that are not http(s)', () => {
    const feed = parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom"><id>f</id>
  <entry><id>a</id><title>A</title><link rel="self" href="https://api.example.com/a.json"/><link href="a.html"/></entry>
  <entry><id>b</id><title>B</title><link href="javascript:alert(1)"/></entry>
</feed>`,
      base,
    );
    expect(feed.ok && feed.entries.map((e) => e.url)).toEqual(['https://status.example.com/feed/a.html', undefined]);
  });

  it.each([
    { name: 'ISO-8859-1 as declared', bytes: Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><title>Bl\u00e5b\u00e6r</title></channel></rss>', 'latin1'), title: 'Blåbær' },
    { name: 'UTF-8 with a byte order mark', bytes: Buffer.from('\ufeff<?xml version="1.0" encoding="utf-8"?><rss><channel><title>Blåbær</title></channel></rss>', 'utf8'), title: 'Blåbær' },
    { name: 'UTF-8 when nothing is declared', bytes: Buffer.from('<rss><channel><title>Blåbær</title></channel></rss>', 'utf8'), title: 'Blåbær' },
    { name: 'UTF-8 for an encoding nobody knows', bytes: Buffer.from('<?xml version="1.0" encoding="x-klingon"?><rss><channel><title>Blåbær</title></channel></rss>', 'utf8'), title: 'Blåbær' },
  ])('decodes $name', ({ bytes, title }) => {
    expect(decodeXml(bytes)).toContain(`<title>${title}</title>`);
  });
});
