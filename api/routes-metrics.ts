import { timingSafeEqual } from 'node:crypto';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppContext } from './http/context.ts';
import { DomainError } from './http/errors.ts';
import { collectMetrics } from './metrics/collect-metrics.ts';

/** Prometheus' scrape target; bearer or basic auth when the environment asks for it. */
export function metricsRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<{ Variables: { requestId: string } }>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/metrics',
      tags: ['operations'],
      summary: 'Prometheus metrics: blackbox-style probe_* per component, check and region; statusvakt_* SLA figures; process metrics',
      responses: { 200: { content: { 'text/plain': { schema: z.string() } }, description: 'Prometheus text format' }, 401: { description: 'Missing or wrong credentials' } },
    }),
    async (c) => {
      if (!authorized(c.req.header('authorization'), ctx.metricsAuth)) {
        c.header('www-authenticate', ctx.metricsAuth?.basic ? 'Basic realm="statusvakt metrics"' : 'Bearer');
        throw new DomainError('UNAUTHORIZED', 'this /metrics needs credentials: see METRICS_BEARER_TOKEN or METRICS_BASIC_AUTH');
      }
      const { contentType, body } = await collectMetrics(ctx.database.db, ctx.now());
      c.header('content-type', contentType);
      return c.body(body, 200) as never;
    },
  );
  return app;
}

function authorized(header: string | undefined, auth: AppContext['metricsAuth']): boolean {
  if (!auth?.bearer && !auth?.basic) return true;
  if (auth.bearer && equal(header, `Bearer ${auth.bearer}`)) return true;
  if (auth.basic && equal(header, `Basic ${Buffer.from(auth.basic).toString('base64')}`)) return true;
  return false;
}

function equal(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
