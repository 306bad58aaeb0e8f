import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { and, eq, isNull } from 'drizzle-orm';
import { LANGUAGES, localize, type Language, type LocalizedText } from '../config/index.ts';
import { tables } from '../db/index.ts';
import { DomainError } from './http/errors.ts';
import type { AppContext } from './http/context.ts';
import { ErrorBody, PageList, PageStatus, RegionHealthList, StatuspageComponents, StatuspageStatusBody, StatuspageSummary } from './http/schemas.ts';
import { listPageIds, loadPageStatus, type PageStatus as PageStatusData } from './public/load-page-status.ts';
import { loadRegionHealth } from './public/load-region-health.ts';
import { loadComponentLatency } from './public/load-component-latency.ts';
import { loadIncidentHistory } from './public/load-incident-history.ts';
import { loadHistoryPage } from './public/load-history-page.ts';
import { loadPublicWindow, loadPublicWindows, pageComponentIds } from './public/load-public-windows.ts';
import { loadStatuspageIncidents, loadStatuspageMaintenances } from './public/load-incidents.ts';
import { readOnce, sharedReadsOf, type SharedReads } from './http/shared-reads.ts';
import { stringifyInSlices } from './http/in-slices.ts';
import { toStatuspageComponents } from './public/to-statuspage.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const notFound = json(ErrorBody, 'No such page');
const PageParams = z.object({ pageId: z.string().openapi({ param: { name: 'pageId', in: 'path' }, example: 'status' }) });
const LangQuery = z.object({
  lang: z.enum(LANGUAGES).optional().openapi({ description: 'Language of names; the page default when left out' }),
});

const DaysQuery = z.object({
  days: z.coerce.number().int().min(1).max(90).optional().openapi({ description: 'Days of daily uptime, ending today (1–90; 90 when left out)' }),
});

/** Public, read-only routes: our own JSON and the Statuspage-compatible `/api/v2`. */
export function publicRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<{ Variables: { requestId: string } }>();
  const { db } = ctx.database;

  const statusOf = async (pageId: string | undefined, days?: number, shared?: SharedReads) => {
    const id = pageId ?? (await listPageIds(db))[0];
    const status = id ? await readOnce(shared, `page-status:${id}:${days ?? 90}`, () => loadPageStatus(db, { pageId: id, now: ctx.now(), ...(days !== undefined ? { days } : {}) })) : undefined;
    if (!status) throw new DomainError('NOT_FOUND', `no status page "${pageId ?? '(default)'}"; GET /api/v1/pages lists them`);
    return status;
  };
  const pageRowOf = async (pageId: string | undefined) => {
    const id = pageId ?? (await listPageIds(db))[0];
    const [row] = id ? await db.select().from(tables.statusPages).where(and(eq(tables.statusPages.id, id), isNull(tables.statusPages.retiredAt))) : [];
    if (!row) throw new DomainError('NOT_FOUND', `no status page "${pageId ?? '(default)'}"; GET /api/v1/pages lists them`);
    return row;
  };
  // the configured public address, never the request's Host header (which anyone can set)
  const baseUrl = (_requestUrl: string) => new URL('/', ctx.publicUrl ?? 'http://localhost/').toString();
  // Statuspage's routes carry the current states only: one day of uptime is read, not 90 (on a 1,000-component
  // page the 90 days' sums cost more than the rest of the route)
  const statuspage = async (pageId: string | undefined, url: string, lang: Language | undefined, shared: SharedReads | undefined) =>
    toStatuspageComponents(await statusOf(pageId, 1, shared), { baseUrl: baseUrl(url), ...(lang ? { language: lang } : {}) });

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/pages', tags: ['public'], summary: 'The status pages', responses: { 200: json(PageList, 'Pages, default first') } }),
    async (c) => {
      const ids = await listPageIds(db);
      const pages = await Promise.all(ids.map((id) => loadPageStatus(db, { pageId: id, now: ctx.now(), days: 1 })));
      const count = (p: PageStatusData) => p.groups.reduce((n, g) => n + g.components.length, 0);
      return c.json({ pages: pages.flatMap((p, i) => (p ? [{ id: p.page.id, name: p.page.name, url: i === 0 ? '/' : `/pages/${p.page.id}/`, components: count(p) }] : [])) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/pages/{pageId}/status',
      tags: ['public'],
      summary: 'Current state, per-region detail and daily uptime (the last 90 days, or `days`) of every component on a page',
      request: { params: PageParams, query: DaysQuery },
      responses: { 200: json(PageStatus, 'The page status'), 404: notFound },
    }),
    async (c) => {
      const status = await statusOf(c.req.valid('param').pageId, c.req.valid('query').days, sharedReadsOf(c.env));
      // a 1,000-component page's 90 days are about 10 MB of JSON: written in slices, so requests are answered meanwhile
      return c.body(await stringifyInSlices(status), 200, { 'content-type': 'application/json' }) as never;
    },
  );

  const TextIn = z.object({ text: z.string(), language: z.string().openapi({ description: 'The language the text is in: the page default where the requested one is missing' }) });
  const PublicIncident = z
    .object({
      id: z.string(),
      title: TextIn,
      priority: z.enum(['A', 'B', 'C', 'D']),
      status: z.string(),
      detectedAt: z.string(),
      resolvedAt: z.string().nullable(),
      durationMinutes: z.number().nullable(),
      components: z.array(z.object({ id: z.string(), name: TextIn })),
      updates: z.array(z.object({ id: z.string(), step: z.string(), status: z.string(), publishedAt: z.string(), body: TextIn, estimatedFixAt: z.string().nullable() })),
    })
    .openapi('PublicIncident');
  const IncidentHistory = z.object({ page: z.object({ id: z.string(), recentlyResolvedHours: z.number() }), incidents: z.array(PublicIncident) }).openapi('IncidentHistory');
  const historyOf = async (pageId: string, lang: Language | undefined, incidentId?: string) => {
    const row = await pageRowOf(pageId);
    const history = await loadIncidentHistory(db, { pageId: row.id, language: lang ?? (row.defaultLanguage as Language), ...(incidentId ? { incidentId } : {}) });
    if (!history) throw new DomainError('NOT_FOUND', `no status page "${pageId}"; GET /api/v1/pages lists them`);
    return history;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/pages/{pageId}/incidents',
      tags: ['public'],
      summary: "A page's incidents, open and resolved, newest first (the latest 500), each with every published update",
      request: { params: PageParams, query: LangQuery },
      responses: { 200: json(IncidentHistory, 'The incident history'), 404: notFound },
    }),
    async (c) => c.json(await historyOf(c.req.valid('param').pageId, c.req.valid('query').lang), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/pages/{pageId}/incidents/{incidentId}',
      tags: ['public'],
      summary: 'One incident of a page with its full timeline',
      request: {
        params: PageParams.extend({ incidentId: z.uuid({ message: 'must be an incident id (a UUID)' }).openapi({ param: { name: 'incidentId', in: 'path' } }) }),
        query: LangQuery,
      },
      responses: { 200: json(PublicIncident, 'The incident'), 404: notFound },
    }),
    async (c) => {
      const { pageId, incidentId } = c.req.valid('param');
      const [incident] = (await historyOf(pageId, c.req.valid('query').lang, incidentId)).incidents;
      if (!incident) throw new DomainError('NOT_FOUND', `no incident "${incidentId}" on page "${pageId}"`);
      return c.json(incident, 200);
    },
  );

  const PageQuery = LangQuery.extend({
    page: z.coerce.number().int().min(1).max(100_000).optional().openapi({ description: 'Which page of the list, from 1 (the newest)' }),
  });
  const PublicWindow = z
    .object({
      id: z.string(),
      title: TextIn,
      description: TextIn.nullable().openapi({ description: 'What is done and what readers notice; null when none was written' }),
      status: z.enum(['scheduled', 'in_progress', 'completed', 'cancelled']).openapi({ description: 'Lists never hold a cancelled window; its own route does' }),
      plannedStart: z.string(),
      plannedEnd: z.string(),
      endedAt: z.string().nullable(),
      cancelledAt: z.string().nullable(),
      overran: z.boolean().openapi({ description: 'Ran, or runs, past its announced end (that time counts as downtime)' }),
      components: z.array(z.object({ id: z.string(), name: TextIn })),
    })
    .openapi('PublicWindow');
  const HistoryPage = z
    .object({
      page: z.int(),
      pages: z.int(),
      entries: z.array(z.union([z.object({ kind: z.literal('incident'), at: z.string(), incident: PublicIncident }), z.object({ kind: z.literal('window'), at: z.string(), window: PublicWindow })])),
    })
    .openapi('HistoryPage');
  const pageHasComponent = async (pageId: string, componentId: string) => {
    const ids = await pageComponentIds(db, pageId);
    return ids !== undefined && ids.slice(1, -1).split(',').includes(componentId);
  };
  // a page past the last is no address (and so no snapshot a visitor could add by counting upwards); page 1 always is
  const beyondLast = (list: string, page: number | undefined, pages: number) => {
    if (page !== undefined && page > 1 && page > pages) throw new DomainError('NOT_FOUND', `the ${list} has ${pages} page(s); there is no page ${page}`);
  };
  const targetOf = async (pageId: string, lang: Language | undefined) => {
    const row = await pageRowOf(pageId);
    const fallback = row.defaultLanguage as Language;
    return { pageId: row.id, language: lang ?? fallback, fallback, now: ctx.now() };
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/pages/{pageId}/history',
      tags: ['public'],
      summary: "A page's incidents and service windows together, newest first, 20 a page (`page`, from 1), with the number of pages",
      request: { params: PageParams, query: PageQuery },
      responses: { 200: json(HistoryPage, 'One page of the history'), 404: notFound },
    }),
    async (c) => {
      const { lang, page } = c.req.valid('query');
      const history = await loadHistoryPage(db, { ...(await targetOf(c.req.valid('param').pageId, lang)), page: page ?? 1 });
      beyondLast('history', page, history.pages);
      return c.json(history, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/pages/{pageId}/windows',
      tags: ['public'],
      summary: "A page's service windows (or one component's, `component`): every upcoming or ongoing one, and the past ones newest first, 50 a page (`page`, from 1)",
      request: {
        params: PageParams,
        query: PageQuery.extend({ component: z.string().max(64).optional().openapi({ description: "Only this component's windows" }) }),
      },
      responses: { 200: json(z.object({ upcoming: z.array(PublicWindow), past: z.array(PublicWindow), pages: z.int() }).openapi('PublicWindows'), 'Service windows'), 404: json(ErrorBody, 'No such page, or no such component on it') },
    }),
    async (c) => {
      const { lang, page, component } = c.req.valid('query');
      const target = await targetOf(c.req.valid('param').pageId, lang);
      if (component !== undefined && !(await pageHasComponent(target.pageId, component))) {
        throw new DomainError('NOT_FOUND', `no component "${component}" on page "${target.pageId}"`);
      }
      const windows = await loadPublicWindows(db, { ...target, page: page ?? 1, ...(component !== undefined ? { componentId: component } : {}) });
      beyondLast('windows', page, windows.pages);
      return c.json(windows, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/pages/{pageId}/windows/{windowId}',
      tags: ['public'],
      summary: 'One service window of a page, cancelled or not: its title, components, planned and actual times and whether it overran',
      request: {
        params: PageParams.extend({ windowId: z.uuid({ message: 'must be a service window id (a UUID)' }).openapi({ param: { name: 'windowId', in: 'path' } }) }),
        query: LangQuery,
      },
      responses: { 200: json(PublicWindow, 'The window'), 404: json(ErrorBody, 'No such page, or no such window on it') },
    }),
    async (c) => {
      const { pageId, windowId } = c.req.valid('param');
      const window = await loadPublicWindow(db, { ...(await targetOf(pageId, c.req.valid('query').lang)), windowId });
      if (!window) throw new DomainError('NOT_FOUND', `no service window "${windowId}" on page "${pageId}"`);
      return c.json(window, 200);
    },
  );

  const LatencyPoint = z.object({
    from: z.string().describe('Start of the hour (ISO time) or the local day (YYYY-MM-DD)'),
    averageMs: z.number().nullable().describe('Mean response time of the answered checks; null when none was answered'),
    samples: z.int(),
    minMs: z.number().nullable(),
    maxMs: z.number().nullable(),
  });
  const ComponentLatency = z
    .object({
      componentId: z.string(),
      timeZone: z.string(),
      generatedAt: z.string(),
      regions: z.array(z.object({ regionId: z.string(), hours: z.array(LatencyPoint).describe('The last 24 hours'), days: z.array(LatencyPoint).describe('The last 30 local days') })),
    })
    .openapi('ComponentLatency');
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/pages/{pageId}/components/{componentId}/latency',
      tags: ['public'],
      summary: "A component's response times per region: each of the last 24 hours and of the last 30 days, from hourly sums kept on ingest",
      request: { params: PageParams.extend({ componentId: z.string().max(200).openapi({ param: { name: 'componentId', in: 'path' } }) }) },
      responses: { 200: json(ComponentLatency, 'Response times'), 404: json(ErrorBody, 'No such page or component') },
    }),
    async (c) => {
      const { pageId, componentId } = c.req.valid('param');
      const latency = await loadComponentLatency(db, { pageId, componentId, now: ctx.now() });
      if (!latency) throw new DomainError('NOT_FOUND', `no component "${componentId}" on page "${pageId}"`);
      return c.json(latency, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/regions',
      tags: ['public'],
      summary: 'Probe regions and whether each measures properly (a probe failing everything while others see up is unhealthy)',
      responses: { 200: json(RegionHealthList, 'Regions') },
    }),
    async (c) => {
      const regions = await loadRegionHealth(db, ctx.now());
      return c.json({ regions: regions.map((r) => ({ ...r, lastResultAt: r.lastResultAt?.toISOString() ?? null })) }, 200);
    },
  );

  const Listing = z.object({ page: z.unknown(), incidents: z.array(z.unknown()).optional(), scheduled_maintenances: z.array(z.unknown()).optional() }).openapi('StatuspageListing');
  const v2 = [
    { file: 'summary.json', schema: StatuspageSummary, summary: 'Statuspage-compatible summary' },
    { file: 'status.json', schema: StatuspageStatusBody, summary: 'Statuspage-compatible page indicator' },
    { file: 'components.json', schema: StatuspageComponents, summary: 'Statuspage-compatible components' },
    { file: 'incidents.json', schema: Listing, summary: 'Statuspage-compatible incidents (the latest 50)' },
    { file: 'incidents/unresolved.json', schema: Listing, summary: 'Statuspage-compatible unresolved incidents' },
    { file: 'scheduled-maintenances.json', schema: Listing, summary: 'Statuspage-compatible scheduled maintenances (service windows)' },
    { file: 'scheduled-maintenances/upcoming.json', schema: Listing, summary: 'Statuspage-compatible upcoming maintenances' },
    { file: 'scheduled-maintenances/active.json', schema: Listing, summary: 'Statuspage-compatible active maintenances' },
  ] as const;
  for (const { file, schema, summary } of v2) {
    const body = async (pageId: string | undefined, url: string, lang: Language | undefined, shared: SharedReads | undefined) => {
      // incidents and windows need only the page row; the full status (states, 90-day bars) is loaded once, where shown
      const row = await pageRowOf(pageId);
      const language = (lang ?? row.defaultLanguage) as Language;
      const page = { id: row.id, name: localize(row.name as LocalizedText, language), url: baseUrl(url), time_zone: row.timeZone, updated_at: ctx.now().toISOString() };
      const fallback = row.defaultLanguage as Language;
      const incidents = (unresolvedOnly: boolean) => loadStatuspageIncidents(db, { pageId: row.id, language, fallback, unresolvedOnly });
      const windows = (filter: 'all' | 'upcoming' | 'active') => loadStatuspageMaintenances(db, { pageId: row.id, language, fallback, filter, now: ctx.now() });
      switch (file) {
        case 'summary.json': {
          const [{ components, status }, unresolved, upcoming, active] = await Promise.all([statuspage(row.id, url, language, shared), incidents(true), windows('upcoming'), windows('active')]);
          return { page, components, incidents: unresolved, scheduled_maintenances: [...active, ...upcoming], status };
        }
        case 'status.json':
          return { page, status: (await statuspage(row.id, url, language, shared)).status };
        case 'components.json':
          return { page, components: (await statuspage(row.id, url, language, shared)).components };
        case 'incidents.json':
          return { page, incidents: await incidents(false) };
        case 'incidents/unresolved.json':
          return { page, incidents: await incidents(true) };
        case 'scheduled-maintenances.json':
          return { page, scheduled_maintenances: await windows('all') };
        case 'scheduled-maintenances/upcoming.json':
          return { page, scheduled_maintenances: await windows('upcoming') };
        case 'scheduled-maintenances/active.json':
          return { page, scheduled_maintenances: await windows('active') };
      }
    };
    app.openapi(
      createRoute({ method: 'get', path: `/api/v2/${file}`, tags: ['statuspage'], summary: `${summary} (default page)`, request: { query: LangQuery }, responses: { 200: json(schema, summary), 404: notFound } }),
      async (c) => c.json((await body(undefined, c.req.url, c.req.valid('query').lang, sharedReadsOf(c.env))) as never, 200),
    );
    app.openapi(
      createRoute({
        method: 'get',
        path: `/pages/{pageId}/api/v2/${file}`,
        tags: ['statuspage'],
        summary: `${summary} (one page)`,
        request: { params: PageParams, query: LangQuery },
        responses: { 200: json(schema, summary), 404: notFound },
      }),
      async (c) => c.json((await body(c.req.valid('param').pageId, c.req.url, c.req.valid('query').lang, sharedReadsOf(c.env))) as never, 200),
    );
  }
  return app;
}

