import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedCheck } from '../config/index.ts';
import { CheckResult, runFeedCheck, sanitiseResult } from '../probe/index.ts';
import { createTestCa, issueCertificate, type TestCa } from './support/certificates.ts';
import { startHttpsServer, startSilentServer, type TestServer } from './support/servers.ts';

const target = { componentId: 'azure-storage', checkId: 'feed', regionId: 'local' };
const now = () => new Date('2026-11-21T12:00:00.000Z');

/** An RSS 2.0 status feed the way Azure's and many others look: HTML escaped in descriptions, resolution in the title. */
const RSS = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:a10="http://www.w3.org/2005/Atom">
  <channel>
    <title>Azure Status</title>
    <link>https://status.example.com/en-us/status/</link>
    <description>Azure Status</description>
    <lastBuildDate>Sat, 21 Nov 2026 11:50:00 Z</lastBuildDate>
    <item>
      <guid isPermaLink="false">TRK-111</guid>
      <link>https://status.example.com/en-us/status/history/?trackingId=TRK-111</link>
      <category>Storage</category>
      <category>West Europe</category>
      <title>Storage - West Europe - Investigating</title>
      <description>&lt;p&gt;&lt;strong&gt;Impact Statement:&lt;/strong&gt; Starting at 09:00 UTC customers may see &amp;quot;503&amp;quot; errors &amp;amp; timeouts.&lt;/p&gt;&lt;p&gt;Next update in 60 minutes.&lt;/p&gt;</description>
      <pubDate>Sat, 21 Nov 2026 09:30:00 Z</pubDate>
      <a10:updated>2026-11-21T11:30:00Z</a10:updated>
    </item>
    <item>
      <guid isPermaLink="false">TRK-222</guid>
      <link>https://status.example.com/en-us/status/history/?trackingId=TRK-222</link>
      <category>Storage</category>
      <title>RESOLVED: Storage - North Europe</title>
      <description><![CDATA[<p>This issue is now mitigated.</p>]]></description>
      <pubDate>Sat, 21 Nov 2026 08:00:00 Z</pubDate>
    </item>
    <item>
      <guid isPermaLink="false">TRK-333</guid>
      <category>Virtual Machines</category>
      <title>Virtual Machines - East US - Degraded</title>
      <description>VMs fail to start.</description>
      <pubDate>Sat, 21 Nov 2026 10:00:00 Z</pubDate>
    </item>
    <item>
      <guid isPermaLink="false">TRK-000</guid>
      <category>Storage</category>
      <title>Storage - Old issue never closed</title>
      <description>Stale.</description>
      <pubDate>Wed, 18 Nov 2026 10:00:00 Z</pubDate>
    </item>
  </channel>
</rss>`;

/** An Atom feed with HTML and inline XHTML contents, Statuspage-style update lines. */
const ATOM = `<?xml version="1.0" encoding="UTF-8"?>
<feed xml:lang="en-US" xmlns="http://www.w3.org/2005/Atom">
  <id>tag:status.example.org,2005:/history</id>
  <title>Example Mail Status - Incident History</title>
  <updated>2026-11-21T11:45:00Z</updated>
  <entry>
    <id>tag:status.example.org,2005:Incident/901</id>
    <published>2026-11-21T10:05:00Z</published>
    <updated>2026-11-21T11:45:00Z</updated>
    <link rel="alternate" type="text/html" href="/incidents/901"/>
    <title type="html">Mail delivery &lt;em&gt;delayed&lt;/em&gt;</title>
    <content type="html">&lt;p&gt;&lt;small&gt;Nov &lt;var data-var='date'&gt;21&lt;/var&gt;, 11:45 UTC&lt;/small&gt;&lt;br&gt;&lt;strong&gt;Identified&lt;/strong&gt; - The cause is known.&lt;/p&gt;</content>
  </entry>
  <entry>
    <id>tag:status.example.org,2005:Incident/900</id>
    <published>2026-11-21T08:00:00Z</published>
    <updated>2026-11-21T09:00:00Z</updated>
    <link rel="alternate" type="text/html" href="https://status.example.org/incidents/900"/>
    <title>Webmail sign-in errors</title>
    <content type="html">&lt;p&gt;&lt;small&gt;Nov 21, 09:00 UTC&lt;/small&gt;&lt;br&gt;&lt;strong&gt;Resolved&lt;/strong&gt; - This incident has been resolved.&lt;/p&gt;</content>
  </entry>
  <entry>
    <id>tag:status.example.org,2005:Maintenance/77</id>
    <updated>2026-11-21T11:00:00Z</updated>
    <title>Mail relay upgrade</title>
    <summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Relays restart one by one.</p></div></summary>
    <category term="Mail"/>
  </entry>
</feed>`;

describe('RSS and Atom status feeds from a local server', () => {
  let ca: TestCa;
  let server: TestServer;
  let body = RSS;
  let status = 200;

  beforeAll(async () => {
    ca = await createTestCa();
    server = await startHttpsServer(await issueCertificate({ ca, ipAddresses: ['127.0.0.1'] }), (_q, res) => {
      res.writeHead(status, { 'content-type': 'application/xml' }).end(body);
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const check = (spec: Partial<FeedCheck> = {}) => runFeedCheck(FeedCheck.parse({ kind: 'feed', url: `${server.url}feed.xml`, ...spec }), target, { trustedCa: [ca.certPem], now });

  it('reports the active entries about the component from an RSS feed; resolved and stale ones are not active', async () => {
    body = RSS;
    const result = await check({ match: ['storage'] });
    expect(result).toMatchObject({ outcome: 'degraded', reason: 'upstream_degraded', httpStatus: 200, message: 'the feed reports "Storage - West Europe - Investigating"' });
    expect(result.notices).toEqual([
      {
        externalId: 'TRK-111',
        kind: 'incident',
        impact: 'degraded',
        title: 'Storage - West Europe - Investigating',
        body: 'Impact Statement: Starting at 09:00 UTC customers may see "503" errors & timeouts.\nNext update in 60 minutes.',
        url: 'https://status.example.com/en-us/status/history/?trackingId=TRK-111',
        startsAt: '2026-11-21T09:30:00.000Z',
        updatedAt: '2026-11-21T11:30:00.000Z',
      },
    ]);
    expect(CheckResult.safeParse(sanitiseResult(result)).error).toBeUndefined();
  });

  it('makes the component down when the effect says so, and takes every entry without match', async () => {
    body = RSS;
    const result = await check({ effect: 'down' });
    expect(result).toMatchObject({ outcome: 'down', reason: 'upstream_outage', message: 'the feed reports "Storage - West Europe - Investigating" and 1 more' });
    expect(result.notices?.map((n) => [n.externalId, n.impact])).toEqual([
      ['TRK-111', 'down'],
      ['TRK-333', 'down'],
    ]);
  });

  it('is up with an empty notice list when nothing matching is active', async () => {
    body = RSS;
    expect(await check({ match: ['Cosmos DB'] })).toMatchObject({ outcome: 'up', notices: [] });
    expect((await check({ match: ['storage'], activeWithinHours: 0.25 })).notices).toEqual([]);
  });

  it('reads an Atom feed: HTML and XHTML texts as plain text, relative links made absolute', async () => {
    body = ATOM;
    const result = await check();
    expect(result.outcome).toBe('degraded');
    expect(result.notices).toEqual([
      {
        externalId: 'tag:status.example.org,2005:Incident/901',
        kind: 'incident',
        impact: 'degraded',
        title: 'Mail delivery delayed',
        body: 'Nov 21, 11:45 UTC\nIdentified - The cause is known.',
        url: `${server.url}incidents/901`,
        startsAt: '2026-11-21T10:05:00.000Z',
        updatedAt: '2026-11-21T11:45:00.000Z',
      },
      { externalId: 'tag:status.example.org,2005:Maintenance/77', kind: 'incident', impact: 'degraded', title: 'Mail relay upgrade', body: 'Relays restart one by one.', startsAt: '2026-11-21T11:00:00.000Z', updatedAt: '2026-11-21T11:00:00.000Z' },
    ]);
    expect((await check({ match: ['mail'] })).notices).toHaveLength(2); // by title and by category
  });

  it('tells an unreadable feed from a quiet one: unknown, upstream_unreadable, with what is wrong', async () => {
    body = '<rss><channel><item><title>Broken</title></channel></rss>';
    const malformed = await check();
    expect(malformed).toMatchObject({ outcome: 'unknown', reason: 'upstream_unreadable' });
    expect(malformed.message).toMatch(/^the answer is not well-formed XML \(line 1: /);
    expect(malformed.notices).toBeUndefined();

    body = '<html><body>Status</body></html>';
    expect(await check()).toMatchObject({ outcome: 'unknown', reason: 'upstream_unreadable', message: 'the answer is XML but not an RSS or Atom feed (its root element is <html>)' });

    body = '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><rss><channel><title>&b;</title></channel></rss>';
    expect(await check()).toMatchObject({ outcome: 'unknown', reason: 'upstream_unreadable' });

    body = RSS;
    status = 502;
    expect(await check()).toMatchObject({ outcome: 'unknown', reason: 'upstream_unreadable', httpStatus: 502, message: 'feed answered HTTP 502' });
    status = 200;
  });

  it('reads at most maxBodyBytes of a huge feed and calls it unreadable rather than quiet', async () => {
    const item = '<item><guid>x</guid><title>Old news</title><description>Nothing to see.</description></item>';
    body = `<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>${item.repeat(40_000)}</channel></rss>`; // about 4 MB
    const t0 = performance.now();
    const result = await check({ maxBodyBytes: 64 * 1024 });
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(result).toMatchObject({ outcome: 'unknown', reason: 'upstream_unreadable', message: 'the feed is not readable (only the first 65536 bytes were read: the answer is longer than maxBodyBytes)' });
  });

  it('ends a feed that never answers as timeout, with the phase', async () => {
    const silent = await startSilentServer();
    try {
      const result = await runFeedCheck(FeedCheck.parse({ kind: 'feed', url: `https://127.0.0.1:${silent.port}/feed.xml`, timeoutMs: 500 }), target, { trustedCa: [ca.certPem], now });
      expect(result).toMatchObject({ outcome: 'unknown', reason: 'timeout', message: 'feed not reachable: no answer within 500 ms during the TLS handshake' });
      expect(result.durationMs).toBeGreaterThanOrEqual(450);
    } finally {
      await silent.close();
    }
  });
});
