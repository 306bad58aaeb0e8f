import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireActor, type ActorEnv } from '../auth/require-actor.ts';
import type { AppContext } from '../http/context.ts';
import { ErrorBody } from '../http/schemas.ts';
import { listOperatorComponents, loadComponentDetail } from './load-operator-components.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const security: Record<string, string[]>[] = [{ session: [] }, { apiToken: [] }];
const Anything = z.record(z.string(), z.unknown());

/** Components as operators see them (their organisations' only): current state, and per component the newest results and the last hours. */
export function operatorComponentRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<ActorEnv>();
  const { db } = ctx.database;
  const viewer = requireActor({ db, now: ctx.now, role: 'viewer', scope: 'read' });
  app.use('/api/v1/components', viewer);
  app.use('/api/v1/components/*', viewer);
  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/components', tags: ['operators'], summary: 'Every component of your organisations with its page, measured state, since when, and the reasons of its latest results', security, responses: { 200: json(z.object({ components: z.array(Anything) }), 'Components'), 401: json(ErrorBody, 'Not logged in') } }),
    async (c) => c.json({ components: await listOperatorComponents(db, { actor: c.get('actor') }) } as never, 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/components/{id}',
      tags: ['operators'],
      summary: 'One component: the newest result of each check per region (phase timings, reason, certificate expiry) and its results of the last hours, hour by hour',
      security,
      request: { params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) }), query: z.object({ hours: z.coerce.number().int().min(1).max(168).default(24) }) },
      responses: { 200: json(Anything, 'The component'), 401: json(ErrorBody, 'Not logged in'), 403: json(ErrorBody, 'Not your organisation'), 404: json(ErrorBody, 'No such component') },
    }),
    async (c) => c.json((await loadComponentDetail(db, { id: c.req.valid('param').id, actor: c.get('actor'), now: ctx.now(), hours: c.req.valid('query').hours })) as never, 200),
  );
  return app;
}
