import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppContext } from '../http/context.ts';
import { documentRoute } from '../http/document-route.ts';
import { feedPage, loadCalendarWindows, loadFeedEntries } from './load-feed.ts';
import { CALENDAR_UID_DOMAIN, renderAtom, renderCalendar, renderRss } from './render-feeds.ts';
import { siteLinks } from './site-address.ts';

/**
 * Public feeds of a page: RSS 2.0 and Atom of incidents and maintenances, and
 * an iCalendar of service windows. `?lang=` picks the language (default: the
 * page's), `?component=` narrows to one component.
 */
export function feedRoutes(ctx: AppContext) {
  const app = new OpenAPIHono();
  const { db } = ctx.database;
  const origin = (c: Context) => new URL(c.req.url).origin;
  // a calendar UID must not change with the name a reader happened to use: the installation's public name, else a fixed one
  const uidDomain = ctx.publicUrl ? new URL(ctx.publicUrl).hostname : CALENDAR_UID_DOMAIN;
  const target = (c: Context) => feedPage(db, { pageId: c.req.param('pageId')!, language: c.req.query('lang') || undefined, componentId: c.req.query('component') || undefined });
  const channel = async (c: Context) => {
    const t = await target(c);
    const query = new URL(c.req.url).search;
    const base = `${origin(c)}/api/v1/pages/${encodeURIComponent(t.page.id)}/feeds`;
    const links = siteLinks(origin(c), t.site);
    // entry ids were minted on this address; an id that changed would show every entry to a reader again
    const entryIdBase = `${origin(c)}/pages/${encodeURIComponent(t.page.id)}/`;
    return {
      t,
      links,
      channel: { id: `${base}/incidents.atom${query}`, title: t.name, description: `${t.name}: incidents and maintenance`, language: t.language, link: links.front, entryIdBase, selfRss: `${base}/incidents.rss${query}`, selfAtom: `${base}/incidents.atom${query}` },
    };
  };
  const cache = { 'cache-control': 'public, max-age=60' };

  app.get('/api/v1/pages/:pageId/feeds/incidents.rss', async (c) => {
    const { t, links, channel: ch } = await channel(c);
    return c.body(renderRss(ch, await loadFeedEntries(db, { target: t, links })), 200, { 'content-type': 'application/rss+xml; charset=utf-8', ...cache });
  });
  app.get('/api/v1/pages/:pageId/feeds/incidents.atom', async (c) => {
    const { t, links, channel: ch } = await channel(c);
    return c.body(renderAtom(ch, await loadFeedEntries(db, { target: t, links })), 200, { 'content-type': 'application/atom+xml; charset=utf-8', ...cache });
  });
  app.get('/api/v1/pages/:pageId/feeds/windows.ics', async (c) => {
    const t = await target(c);
    const body = renderCalendar({ name: t.name, uidDomain, windows: await loadCalendarWindows(db, { target: t, links: siteLinks(origin(c), t.site) }) });
    return c.body(body, 200, { 'content-type': 'text/calendar; charset=utf-8', ...cache });
  });
  const tags = ['feeds'];
  documentRoute(app, { method: 'get', path: '/api/v1/pages/{pageId}/feeds/incidents.rss', tags, summary: 'RSS 2.0 of incidents and maintenance (?lang=, ?component=)', responses: { 200: { description: 'RSS', type: 'application/rss+xml' }, 404: { description: 'Unknown page or component' } } });
  documentRoute(app, { method: 'get', path: '/api/v1/pages/{pageId}/feeds/incidents.atom', tags, summary: 'Atom 1.0 of incidents and maintenance (?lang=, ?component=)', responses: { 200: { description: 'Atom', type: 'application/atom+xml' }, 404: { description: 'Unknown page or component' } } });
  documentRoute(app, { method: 'get', path: '/api/v1/pages/{pageId}/feeds/windows.ics', tags, summary: 'iCalendar of service windows: stable UIDs, SEQUENCE, cancelled windows as STATUS:CANCELLED', responses: { 200: { description: 'iCalendar', type: 'text/calendar' }, 404: { description: 'Unknown page or component' } } });
  return app;
}
