import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireActor, type ActorEnv } from '../auth/require-actor.ts';
import type { AppContext } from '../http/context.ts';
import { ErrorBody, ZonedInstant } from '../http/schemas.ts';
import { IMPACTS } from './shown-status.ts';
import { clearComponentStatus, listComponentStatuses, setComponentStatus } from './status-overrides.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const errors = { 400: json(ErrorBody, 'Invalid input'), 401: json(ErrorBody, 'Not logged in'), 403: json(ErrorBody, 'Not allowed'), 404: json(ErrorBody, 'Not found'), 409: json(ErrorBody, 'Already ended') };
const security: Record<string, string[]>[] = [{ session: [] }, { apiToken: [] }];
const Anything = z.record(z.string(), z.unknown());

/** Component statuses set by hand, for faults the probes cannot see: listed, set with an expiry, cleared. */
export function componentStatusRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<ActorEnv>();
  const { db } = ctx.database;
  const now = ctx.now;
  const viewer = requireActor({ db, now, role: 'viewer', scope: 'read' });
  const operator = requireActor({ db, now, role: 'operator', scope: 'incidents:write' });
  app.use('/api/v1/component-status', async (c, next) => (c.req.method === 'GET' ? viewer(c, next) : operator(c, next)));
  app.use('/api/v1/component-status/*', operator);

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/component-status', tags: ['operators'], summary: "Your organisations' components, each with the status set by hand that is in force", security, responses: { 200: json(z.object({ components: z.array(Anything) }), 'Components'), 401: errors[401] } }),
    async (c) => c.json({ components: await listComponentStatuses(db, { actor: c.get('actor'), now: now() }) } as never, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/component-status',
      tags: ['operators'],
      summary: "Set a component's status by hand until it expires; the page shows the worse of it and the measured state, marked as declared by the operator",
      security,
      request: { body: { content: { 'application/json': { schema: z.object({ componentId: z.string().min(1).max(100), status: z.enum(IMPACTS), expiresAt: ZonedInstant, note: z.string().max(500).optional() }) } }, required: true } },
      responses: { 201: json(Anything, 'Set'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      return c.json((await setComponentStatus(db, { componentId: b.componentId, status: b.status, expiresAt: new Date(b.expiresAt), ...(b.note ? { note: b.note } : {}), actor: c.get('actor'), now: now() })) as never, 201);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/api/v1/component-status/{id}/clear', tags: ['operators'], summary: 'End a status set by hand before its expiry', security, request: { params: z.object({ id: z.string() }) }, responses: { 200: json(Anything, 'Cleared'), ...errors } }),
    async (c) => c.json((await clearComponentStatus(db, { id: c.req.valid('param').id, actor: c.get('actor'), now: now() })) as never, 200),
  );
  return app;
}
