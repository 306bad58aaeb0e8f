import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { AppContext } from './http/context.ts';
import { cleanInput } from './http/clean-input.ts';
import { isDatabaseUnavailable, isUniqueViolation, loggableError } from './http/database-errors.ts';
import { DomainError, errorResponse, fieldProblems } from './http/errors.ts';
import { Health } from './http/schemas.ts';
import { metricsRoutes } from './routes-metrics.ts';
import { operatorRoutes } from './routes-operators.ts';
import { windowRoutes } from './routes-windows.ts';
import { userRoutes } from './routes-users.ts';
import { probeRoutes } from './routes-probe.ts';
import { publicRoutes } from './routes-public.ts';
import { slaRoutes } from './routes-sla.ts';
import { subscriptionRoutes } from './subscriptions/routes.ts';
import { feedRoutes } from './feeds/routes.ts';
import { componentStatusRoutes } from './component-status/index.ts';
import { regroupRoutes } from './incidents/index.ts';
import { configReloadRoutes } from './config-reload/routes.ts';
import { operatorComponentRoutes } from './operator-components/routes.ts';
import { auditRoutes } from './audit/routes.ts';

const MAX_BODY_BYTES = 1024 * 1024;

/** Builds the HTTP API; `main` only serves it, so tests call `app.request()` without a port. */
export function buildApp(ctx: AppContext) {
  const app = new OpenAPIHono<{ Variables: { requestId: string } }>({
    defaultHook: (result) => {
      if (!result.success) {
        const issues = result.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`);
        throw new DomainError('VALIDATION', `invalid request: ${issues.join('; ')}`, { issues, fields: fieldProblems(result.error.issues) });
      }
    },
  });
  app.use(requestId());
  app.use(bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => { throw new DomainError('PAYLOAD_TOO_LARGE', `request body over ${MAX_BODY_BYTES} bytes`); } }));
  app.use(cleanInput);
  app.onError((error, c) => {
    if (isDatabaseUnavailable(error)) {
      ctx.logger.warn({ requestId: c.get('requestId'), path: c.req.path, code: (error as { code?: string }).code }, 'database unavailable');
      c.header('retry-after', '5');
      return errorResponse(c, new DomainError('UNAVAILABLE', 'the database is not reachable; nothing was changed, try again in a few seconds'));
    }
    if (isUniqueViolation(error)) return errorResponse(c, new DomainError('CONFLICT', 'another change to the same record happened at the same moment; nothing of yours was stored, send it again', { problem: 'concurrent_change' }));
    if (!(error instanceof DomainError)) ctx.logger.error({ err: loggableError(error), requestId: c.get('requestId'), path: c.req.path }, 'request failed');
    return errorResponse(c, error);
  });
  app.notFound((c) => errorResponse(c, new DomainError('NOT_FOUND', `no route ${c.req.method} ${c.req.path}; GET /openapi.json lists every route`)));

  app.openapi(
    createRoute({ method: 'get', path: '/healthz', tags: ['operations'], summary: 'Liveness: the process serves requests', responses: { 200: { content: { 'application/json': { schema: Health } }, description: 'Alive' } } }),
    (c) => c.json({ status: 'ok' as const }, 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/readyz',
      tags: ['operations'],
      summary: 'Readiness: the database answers and every migration is applied',
      responses: {
        200: { content: { 'application/json': { schema: Health } }, description: 'Ready' },
        503: { content: { 'application/json': { schema: Health } }, description: 'Not ready' },
      },
    }),
    async (c) => {
      const ready = await ctx.database.isReady();
      return ready ? c.json({ status: 'ok' as const, database: ctx.database.kind }, 200) : c.json({ status: 'not_ready' as const, database: ctx.database.kind }, 503);
    },
  );

  app.route('/', publicRoutes(ctx));
  app.route('/', probeRoutes(ctx));
  app.route('/', slaRoutes(ctx));
  app.route('/', metricsRoutes(ctx));
  app.route('/', operatorRoutes(ctx));
  app.route('/', regroupRoutes(ctx));
  app.route('/', componentStatusRoutes(ctx));
  app.route('/', windowRoutes(ctx));
  app.route('/', userRoutes(ctx));
  app.route('/', subscriptionRoutes(ctx));
  app.route('/', feedRoutes(ctx));
  app.route('/', configReloadRoutes(ctx));
  app.route('/', operatorComponentRoutes(ctx));
  app.route('/', auditRoutes(ctx));

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Statusvakt API', version: '1', description: 'Status, SLA figures and Statuspage-compatible JSON of Statusvakt.' },
  });
  return app;
}

export type App = ReturnType<typeof buildApp>;
