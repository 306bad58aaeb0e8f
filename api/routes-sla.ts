import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppContext } from './http/context.ts';
import { ErrorBody } from './http/schemas.ts';
import { AvailabilityFiguresSchema, computePageReport, computeReportDocument, exportStatement, reportToCsv, StatementDocument } from './sla-reports/index.ts';

const Figures = AvailabilityFiguresSchema.openapi('AvailabilityFigures');

const Line = z
  .object({
    scope: z.enum(['component', 'category']),
    id: z.string(),
    name: z.string().describe('The name in English'),
    names: z.union([z.string(), z.record(z.string(), z.string())]).describe('The name in every language it is written in'),
    profileId: z.string(),
    category: z.string().nullable(),
    status: z.enum(['preliminary', 'final']),
    figures: Figures,
    months: z.array(z.object({ key: z.string(), status: z.enum(['preliminary', 'final']), measured: z.boolean().describe('false for a month before monitoring began'), version: z.int().nullable(), contentSha256: z.string().nullable() })),
    measured: z.boolean().describe('Any month of the period was measured'),
    thirdParty: z
      .object({
        downSeconds: z.number().describe('Downtime that fell while a component it depends on was degraded or down (already part of figures.downSeconds)'),
        spans: z.array(z.object({ start: z.string(), end: z.string(), dependencyIds: z.array(z.string()) })).describe('Each stretch, which POST /api/v1/exclusions/third-party can exclude'),
      })
      .nullable()
      .optional()
      .describe('A component with dependsOn: its downtime attributed to third parties'),
  })
  .openapi('ReportLine');

export const PageReport = z
  .object({
    page: z.object({ id: z.string(), name: z.union([z.string(), z.record(z.string(), z.string())]) }),
    period: z.object({ key: z.string(), kind: z.enum(['month', 'tertial', 'year']) }),
    status: z.enum(['preliminary', 'final']),
    generatedAt: z.string(),
    components: z.array(Line),
    categories: z.array(Line),
    measured: z.boolean().describe('Any component was measured in the period'),
    exclusions: z
      .array(z.object({ id: z.string(), componentIds: z.array(z.string()), start: z.string(), end: z.string(), reason: z.string(), note: z.string() }))
      .describe('Exclusions in force in the period, with their notes'),
    rules: z.record(z.string(), z.string()).describe('The rule that produced each figure'),
    incidents: z
      .record(z.string(), z.object({ incidents: z.int(), reaction: z.object({ fulfilled: z.int(), late: z.int(), missed: z.int() }), communication: z.object({ fulfilled: z.int(), late: z.int(), missed: z.int() }) }))
      .describe('Per priority: reactions and communication steps of incidents registered in the period, fulfilled in time, late or missed'),
    total: z.object({ potentialSeconds: z.number(), downSeconds: z.number(), availableSeconds: z.number(), availability: z.number().nullable() }),
  })
  .openapi('PageReport');

/** SLA reports: monthly, four-monthly and yearly, per component, category and page. */
export function slaRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<{ Variables: { requestId: string } }>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sla/pages/{pageId}/reports/{period}',
      tags: ['sla'],
      summary: 'SLA report of a page for a month (YYYY-MM), tertial (YYYY-Tn) or year (YYYY); final months are served from their frozen statements',
      request: {
        params: z.object({ pageId: z.string(), period: z.string().openapi({ example: '2026-03' }) }),
        query: z.object({ format: z.enum(['json', 'csv']).default('json') }),
      },
      responses: {
        200: { content: { 'application/json': { schema: PageReport }, 'text/csv': { schema: z.string() } }, description: 'The report' },
        400: { content: { 'application/json': { schema: ErrorBody } }, description: 'Not a period' },
        404: { content: { 'application/json': { schema: ErrorBody } }, description: 'No such page' },
      },
    }),
    async (c) => {
      const { pageId, period } = c.req.valid('param');
      // an anonymous read never writes: a final month not frozen yet is computed, and frozen by the background work
      if (c.req.valid('query').format === 'csv') {
        const report = await computePageReport(ctx.database.db, { pageId, periodKey: period, now: ctx.now(), readOnly: true });
        c.header('content-type', 'text/csv; charset=utf-8');
        c.header('content-disposition', `attachment; filename="sla-${pageId}-${period}.csv"`);
        return c.body(reportToCsv(report), 200) as never;
      }
      return c.json(await computeReportDocument(ctx.database.db, { pageId, periodKey: period, now: ctx.now(), readOnly: true }), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sla/statements/{scope}/{id}/{period}',
      tags: ['sla'],
      summary: 'One SLA statement as a self-contained document (inputs and figures), to recompute offline with `statusvakt sla verify`; a final month is its frozen version',
      request: {
        params: z.object({
          scope: z.enum(['component', 'category']),
          id: z.string().openapi({ description: 'A component id, or PROFILE.CATEGORY', example: 'uni-login.authentication' }),
          period: z.string().openapi({ example: '2026-03' }),
        }),
      },
      responses: {
        200: {
          content: {
            'application/json': {
              schema: z.object({ status: z.enum(['preliminary', 'final']), version: z.int().nullable(), contentSha256: z.string(), document: StatementDocument }).openapi('ExportedStatement'),
            },
          },
          description: 'The statement',
        },
        400: { content: { 'application/json': { schema: ErrorBody } }, description: 'Not a period' },
        404: { content: { 'application/json': { schema: ErrorBody } }, description: 'No such component or category' },
      },
    }),
    async (c) => {
      const { scope, id, period } = c.req.valid('param');
      return c.json((await exportStatement(ctx.database.db, { scope, id, periodKey: period, now: ctx.now(), readOnly: true })) as never, 200);
    },
  );
  return app;
}
