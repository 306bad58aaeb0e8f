import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { and, eq, isNull } from 'drizzle-orm';
import { LANGUAGES, localize, type Language, type LocalizedText } from '../config/index.ts';
import { tables } from '../db/index.ts';
import { DomainError } from './http/errors.ts';
import type { AppContext } from './http/context.ts';
import { ErrorBody, PageList, PageStatus, RegionHealthList, StatuspageComponents, StatuspageStatusBody, StatuspageSummary } from './http/schemas.ts';
import { listPageIds, loadPageStatus } from './public/load-page-status.ts';
import { loadRegionHealth } from './public/load-region-health.ts';
import { loadStatuspageIncidents, loadStatuspageMaintenances } from './public/load-incidents.ts';
import { toStatuspageComponents } from './public/to-statuspage.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const notFound = json(ErrorBody, 'No such page');
const PageParams = z.object({ pageId: z.string().openapi({ param: { name: 'pageId', in: 'path' }, example: 'status' }) });
const LangQuery = z.object({
  lang: z.enum(LANGUAGES).optional().openapi({ description: 'Language of names; the page default when left out' }),
});

/** Public, read-only routes: our own JSON and the Statuspage-compatible `/api/v2`. */
export function publicRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<{ Variables: { requestId: string } }>();
  const { db } = ctx.database;

  const statusOf = async (pageId: string | undefined) => {
    const id = pageId ?? (await listPageIds(db))[0];
    const status = id ? await loadPageStatus(db, { pageId: id, now: ctx.now() }) : undefined;
    if (!status) throw new DomainError('NOT_FOUND', `no status page "${pageId ?? '(default)'}"; GET /api/v1/pages lists them`);
    return status;
  };
  const pageRowOf = async (pageId: string | undefined) => {
    const id = pageId ?? (await listPageIds(db))[0];
    const [row] = id ? await db.select().from(tables.statusPages).where(and(eq(tables.statusPages.id, id), isNull(tables.statusPages.retiredAt))) : [];
    if (!row) throw new DomainError('NOT_FOUND', `no status page "${pageId ?? '(default)'}"; GET /api/v1/pages lists them`);
    return row;
  };
  const baseUrl = (url: string) => new URL('/', url).toString();
  const statuspage = async (pageId: string | undefined, url: string, lang: Language | undefined) =>
    toStatuspageComponents(await statusOf(pageId), { baseUrl: baseUrl(url), ...(lang ? { language: lang } : {}) });

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/pages', tags: ['public'], summary: 'The status pages', responses: { 200: json(PageList, 'Pages, default first') } }),
    async (c) => {
      const ids = await listPageIds(db);
      const pages = await Promise.all(ids.map((id) => loadPageStatus(db, { pageId: id, now: ctx.now(), days: 1 })));
      return c.json({ pages: pages.flatMap((p, i) => (p ? [{ id: p.page.id, name: p.page.name, url: i === 0 ? '/' : `/pages/${p.page.id}/` }] : [])) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/pages/{pageId}/status',
      tags: ['public'],
      summary: 'Current state, per-region detail and 90-day daily uptime of every component on a page',
      request: { params: PageParams },
      responses: { 200: json(PageStatus, 'The page status'), 404: notFound },
    }),
    async (c) => c.json(await statusOf(c.req.valid('param').pageId), 200),
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
    const body = async (pageId: string | undefined, url: string, lang: Language | undefined) => {
      // incidents and windows need only the page row; the full status (states, 90-day bars) is loaded once, where shown
      const row = await pageRowOf(pageId);
      const language = (lang ?? row.defaultLanguage) as Language;
      const page = { id: row.id, name: localize(row.name as LocalizedText, language), url: baseUrl(url), time_zone: row.timeZone, updated_at: ctx.now().toISOString() };
      const incidents = (unresolvedOnly: boolean) => loadStatuspageIncidents(db, { pageId: row.id, language, unresolvedOnly });
      const windows = (filter: 'all' | 'upcoming' | 'active') => loadStatuspageMaintenances(db, { pageId: row.id, language, filter, now: ctx.now() });
      switch (file) {
        case 'summary.json': {
          const [{ components, status }, unresolved, upcoming, active] = await Promise.all([statuspage(row.id, url, language), incidents(true), windows('upcoming'), windows('active')]);
          return { page, components, incidents: unresolved, scheduled_maintenances: [...active, ...upcoming], status };
        }
        case 'status.json':
          return { page, status: (await statuspage(row.id, url, language)).status };
        case 'components.json':
          return { page, components: (await statuspage(row.id, url, language)).components };
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
      async (c) => c.json((await body(undefined, c.req.url, c.req.valid('query').lang)) as never, 200),
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
      async (c) => c.json((await body(c.req.valid('param').pageId, c.req.url, c.req.valid('query').lang)) as never, 200),
    );
  }
  return app;
}

