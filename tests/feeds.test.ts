import { XMLParser } from 'fast-xml-parser';
import ICAL from 'ical.js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createUser, openIncident, publishUpdate, type App } from '../api/index.ts';
import { syncConfig } from '../db/index.ts';
import { sitePath, type SiteView } from '../api/feeds/site-address.ts';
import { parseRoute, pathOf } from '../status-site/src/routing.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { testConfig } from './support/fixtures.ts';

const PASSWORD = 'correct horse battery staple';
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });

describe.each(DRIVERS)('RSS, Atom and iCalendar feeds, parsed back, on %s', (driver) => {
  let test: TestDatabase;
  let app: App;
  let clock = new Date('2026-04-01T08:00:00Z');
  let auth: Record<string, string>;
  let windowId: string;
  let cancelledId: string;
  let portalWindowId: string;
  let loginIncidentId: string;

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, testConfig(), new Date('2026-01-01T00:00:00Z'));
    app = buildApp({ database: test.handle, now: () => clock, logger: pino({ level: 'silent' }), publicUrl: 'https://status.kommune.example/' });
    await createUser(test.handle.db, { email: 'op@kommune.example', name: 'Op', role: 'operator', password: PASSWORD });
    const login = await app.request('http://status.test/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: PASSWORD }) });
    auth = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' };
    const incident = await openIncident(test.handle.db, { pageId: 'status', title: { da: 'Login er langsomt', en: 'Login is slow' }, priority: 'B', componentIds: ['sso'], actor: 'system', now: clock });
    await publishUpdate(test.handle.db, { incidentId: incident.id, expectedVersion: incident.version, step: 'registered', actor: 'system', now: clock });
    loginIncidentId = incident.id;
    const other = await openIncident(test.handle.db, { pageId: 'status', title: 'Portal down', priority: 'A', componentIds: ['portal'], actor: 'system', now: clock });
    await publishUpdate(test.handle.db, { incidentId: other.id, expectedVersion: other.version, step: 'registered', actor: 'system', now: clock });
    const post = async (path: string, body: unknown) => {
      const r = (await (await app.request(`http://status.test${path}`, { method: "POST", headers: auth, body: JSON.stringify(body) })).json()) as any;
      if (r.error) throw new Error(JSON.stringify(r.error));
      return r;
    };
    windowId = (await post('/api/v1/windows', { componentIds: ['sso'], title: { da: 'Opgradering', en: 'Upgrade' }, plannedStart: '2026-04-20T04:00:00Z', plannedEnd: '2026-04-20T06:00:00Z' })).window.id;
    clock = new Date('2026-04-01T08:05:00Z');
    await post(`/api/v1/windows/${windowId}/changes`, { action: 'reschedule', plannedStart: '2026-04-21T04:00:00Z', plannedEnd: '2026-04-21T06:00:00Z' });
    cancelledId = (await post('/api/v1/windows', { componentIds: ['sso'], title: 'Cancelled work', plannedStart: '2026-04-25T04:00:00Z', plannedEnd: '2026-04-25T05:00:00Z' })).window.id;
    await post(`/api/v1/windows/${cancelledId}/changes`, { action: 'cancel' });
    portalWindowId = (await post('/api/v1/windows', { componentIds: ['portal'], title: 'Portal work', plannedStart: '2026-04-22T04:00:00Z', plannedEnd: '2026-04-22T05:00:00Z' })).window.id;
  });
  afterAll(async () => {
    await test?.drop();
  });

  const get = (path: string, host = 'status.test') => app.request(`http://${host}${path}`);
  const calendarEvents = async (path: string, host?: string) => {
    const response = await get(path, host);
    expect(response.status).toBe(200);
    const calendar = new ICAL.Component(ICAL.parse(await response.text()));
    return calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  };

  it('RSS 2.0 lists incidents and maintenance in the asked language, narrowed to a component', async () => {
    const response = await get('/api/v1/pages/status/feeds/incidents.rss?lang=en&component=sso');
    expect(response.headers.get('content-type')).toContain('application/rss+xml');
    const rss = xml.parse(await response.text()).rss;
    expect(rss['@version']).toBe('2.0');
    expect(rss.channel.title).toBe('Service status · Single sign-on');
    expect(rss.channel.language).toBe('en');
    const items = [rss.channel.item].flat();
    expect(items.map((i: any) => i.title).sort()).toEqual(['Login is slow', 'Upgrade']);
    expect(items.find((i: any) => i.title === 'Login is slow').description).toContain('We have registered a problem');
    const all = [xml.parse(await (await get('/api/v1/pages/status/feeds/incidents.rss')).text()).rss.channel.item].flat();
    expect(all.map((i: any) => i.title).sort()).toEqual(['Login er langsomt', 'Opgradering', 'Portal down', 'Portal work']);
  });

  it('Atom 1.0 carries the same entries with stable ids', async () => {
    const text = await (await get('/api/v1/pages/status/feeds/incidents.atom?lang=en')).text();
    const feed = xml.parse(text).feed;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    const entries = [feed.entry].flat();
    expect(entries).toHaveLength(4);
    expect(entries.every((e: any) => /#(incident|maintenance)-[0-9a-f-]{36}$/.test(e.id))).toBe(true);
    expect(await (await get('/api/v1/pages/status/feeds/incidents.atom?lang=en')).text()).toBe(text);
  });

  it('iCalendar: stable UIDs, SEQUENCE counts revisions, a cancelled window is STATUS:CANCELLED', async () => {
    const response = await get('/api/v1/pages/status/feeds/windows.ics?lang=en');
    expect(response.headers.get('content-type')).toContain('text/calendar');
    const calendar = new ICAL.Component(ICAL.parse(await response.text()));
    const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const moved = events.find((e) => e.uid === `${windowId}@status.kommune.example`)!;
    expect(moved.summary).toBe('Upgrade');
    expect(moved.sequence).toBe(1);
    expect(moved.startDate.toJSDate().toISOString()).toBe('2026-04-21T04:00:00.000Z');
    expect(moved.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
    const cancelled = events.find((e) => e.uid === `${cancelledId}@status.kommune.example`)!;
    expect(cancelled.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(cancelled.sequence).toBe(1);
  });

  it('iCalendar UIDs are the same whichever host name the calendar was fetched by', async () => {
    const uids = async (host: string) => (await calendarEvents('/api/v1/pages/status/feeds/windows.ics', host)).map((e) => e.uid).sort();
    const byPublicName = await uids('status.test');
    expect(byPublicName).toEqual([windowId, cancelledId, portalWindowId].map((id) => `${id}@status.kommune.example`).sort());
    expect(await uids('10.0.0.7:8080')).toEqual(byPublicName);
    expect(await uids('status-internal.kommune.local')).toEqual(byPublicName);
  });

  it('a component\'s iCalendar holds only the windows that touch it, in the asked language', async () => {
    const sso = await calendarEvents('/api/v1/pages/status/feeds/windows.ics?component=sso&lang=da');
    expect(sso.map((e) => e.summary).sort()).toEqual(['Cancelled work', 'Opgradering']);
    expect(sso.find((e) => e.uid === `${windowId}@status.kommune.example`)!.endDate.toJSDate().toISOString()).toBe('2026-04-21T06:00:00.000Z');
    const portal = await calendarEvents('/api/v1/pages/status/feeds/windows.ics?component=portal');
    expect(portal.map((e) => ({ uid: e.uid, summary: e.summary, start: e.startDate.toJSDate().toISOString() }))).toEqual([{ uid: `${portalWindowId}@status.kommune.example`, summary: 'Portal work', start: '2026-04-22T04:00:00.000Z' }]);
    expect(await calendarEvents('/api/v1/pages/status/feeds/windows.ics?component=mfa')).toEqual([]);
  });

  it('names an unknown page, component or language', async () => {
    expect((await get('/api/v1/pages/nope/feeds/incidents.rss')).status).toBe(404);
    expect((await get('/api/v1/pages/status/feeds/windows.ics?component=nope')).status).toBe(404);
    const wrong = await get('/api/v1/pages/status/feeds/incidents.atom?lang=fi');
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as any).error.message).toMatch(/offers da, en; not "fi"/);
  });

  it('links each entry to its incident\'s or window\'s own page, in the feed\'s language, as the site addresses it', async () => {
    const entries = [xml.parse(await (await get('/api/v1/pages/status/feeds/incidents.atom?lang=en')).text()).feed.entry].flat();
    expect(entries.find((e: any) => e.id.endsWith(`#incident-${loginIncidentId}`)).link['@href']).toBe(`http://status.test/en/incidents/${loginIncidentId}/`);
    expect(entries.find((e: any) => e.id.endsWith(`#maintenance-${windowId}`)).link['@href']).toBe(`http://status.test/en/windows/${windowId}/`);
    for (const entry of entries) {
      const [, kind, id] = /#(incident|maintenance)-([0-9a-f-]{36})$/.exec(entry.id)!;
      const route = parseRoute(new URL(entry.link['@href']).pathname);
      expect(route).toMatchObject(kind === 'incident' ? { view: 'incident', incidentId: id, language: 'en' } : { view: 'window', windowId: id, language: 'en' });
    }
    // the page's default language has no segment of its own
    const danish = [xml.parse(await (await get('/api/v1/pages/status/feeds/incidents.rss')).text()).rss.channel.item].flat();
    expect(danish.find((i: any) => i.guid['#text'] === `incident-${loginIncidentId}`).link).toBe(`http://status.test/incidents/${loginIncidentId}/`);
    expect(xml.parse(await (await get('/api/v1/pages/status/feeds/incidents.rss?lang=en')).text()).rss.channel.link).toBe('http://status.test/en/');
  });

  it('gives each calendar event its window\'s own page', async () => {
    const events = await calendarEvents('/api/v1/pages/status/feeds/windows.ics?lang=en');
    for (const id of [windowId, cancelledId, portalWindowId]) {
      expect(events.find((e) => e.uid === `${id}@status.kommune.example`)!.component.getFirstPropertyValue('url')).toBe(`http://status.test/en/windows/${id}/`);
    }
    const danish = await calendarEvents('/api/v1/pages/status/feeds/windows.ics');
    expect(danish.find((e) => e.uid === `${windowId}@status.kommune.example`)!.component.getFirstPropertyValue('url')).toBe(`http://status.test/windows/${windowId}/`);
  });

  it('sends operators\' text as text: no markup reaches a reader, and "&amp;" stays as typed', async () => {
    const title = '<b>x</b> & y <script>alert(1)</script><img src=x onerror=alert(2)>';
    const body = 'Fixed &amp; checked <i>twice</i> ]]> done';
    const opened = await openIncident(test.handle.db, { pageId: 'status', title, priority: 'C', componentIds: ['mfa'], actor: 'system', now: clock });
    await publishUpdate(test.handle.db, { incidentId: opened.id, expectedVersion: opened.version, step: 'registered', body: { da: body }, actor: 'system', now: clock });
    const atom = await (await get('/api/v1/pages/status/feeds/incidents.atom?component=mfa')).text();
    expect(atom).not.toContain('type="html"');
    expect(atom).not.toMatch(/<(script|img|b|i)[ >]/);
    const entry = [xml.parse(atom).feed.entry].flat().find((e: any) => e.id.endsWith(`#incident-${opened.id}`));
    expect(entry.title).toEqual({ '#text': title, '@type': 'text' });
    expect(entry.summary).toEqual({ '#text': `investigating: ${body}`, '@type': 'text' });
    const item = [xml.parse(await (await get('/api/v1/pages/status/feeds/incidents.rss?component=mfa')).text()).rss.channel.item].flat().find((i: any) => i.guid['#text'] === `incident-${opened.id}`);
    expect(item.title).toBe(title);
    // the description is HTML: escaped, so a reader shows the text and runs nothing
    expect(item.description).toBe('investigating: Fixed &amp;amp; checked &lt;i&gt;twice&lt;/i&gt; ]]&gt; done');
  });
});

describe('feed links and the site\'s own addresses', () => {
  it('are the same paths for every page, language and view', () => {
    const views: [SiteView, Parameters<typeof pathOf>[0]['view'], object][] = [
      [{ view: 'status' }, 'status', {}],
      [{ view: 'windows' }, 'windows', {}],
      [{ view: 'incident', incidentId: '00000000-0000-4000-8000-000000000001' }, 'incident', { incidentId: '00000000-0000-4000-8000-000000000001' }],
      [{ view: 'window', windowId: '00000000-0000-4000-8000-000000000002' }, 'window', { windowId: '00000000-0000-4000-8000-000000000002' }],
    ];
    for (const pageId of ['status', 'water']) {
      for (const language of ['da', 'en'] as const) {
        for (const [view, siteView, ids] of views) {
          const site = pathOf({ view: siteView, pageId, language, period: undefined, ...ids }, { pageId: 'status', language: 'da' });
          expect(sitePath(view, { pageId, language, defaultPageId: 'status', defaultLanguage: 'da' })).toBe(site);
        }
      }
    }
  });
});
