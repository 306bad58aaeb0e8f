import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireActor, type ActorEnv } from '../auth/require-actor.ts';
import type { AppContext } from '../http/context.ts';
import { ErrorBody } from '../http/schemas.ts';
import { mergeIncidents, retitleIncident, splitIncident } from './regroup-incidents.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const errors = { 400: json(ErrorBody, 'Invalid input'), 401: json(ErrorBody, 'Not logged in'), 403: json(ErrorBody, 'Not allowed'), 404: json(ErrorBody, 'Not found'), 409: json(ErrorBody, 'Not in this state') };
const security: Record<string, string[]>[] = [{ session: [] }, { apiToken: [] }];
const IdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });
const Anything = z.record(z.string(), z.unknown());

/** Operators regroup incidents: split some components off, merge another incident in, write the title. Each is audited. */
export function regroupRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<ActorEnv>();
  const { db } = ctx.database;
  const now = ctx.now;
  const operator = requireActor({ db, now, role: 'operator', scope: 'incidents:write' });
  for (const verb of ['split', 'merge', 'title']) app.use(`/api/v1/incidents/:id/${verb}`, operator);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/incidents/{id}/split',
      tags: ['operators'],
      summary: 'Move some components of an incident into a new incident (same page and priority, an empty timeline)',
      security,
      request: { params: IdParam, body: { content: { 'application/json': { schema: z.object({ componentIds: z.array(z.string().min(1).max(100)).min(1).max(500) }) } }, required: true } },
      responses: { 201: json(Anything, 'Split: the incident and the new one'), ...errors },
    }),
    async (c) => c.json((await splitIncident(db, { incidentId: c.req.valid('param').id, componentIds: c.req.valid('json').componentIds, actor: c.get('actor'), now: now() })) as never, 201),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/incidents/{id}/merge',
      tags: ['operators'],
      summary: 'Merge another open incident of the same page into this one: its components and updates join, and it is closed as merged, pointing here',
      security,
      request: { params: IdParam, body: { content: { 'application/json': { schema: z.object({ incidentId: z.string().min(1).max(100).describe('The incident to merge into this one') }) } }, required: true } },
      responses: { 200: json(Anything, 'Merged: this incident and the closed one'), ...errors },
    }),
    async (c) => c.json((await mergeIncidents(db, { incidentId: c.req.valid('param').id, otherId: c.req.valid('json').incidentId, actor: c.get('actor'), now: now() })) as never, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/incidents/{id}/title',
      tags: ['operators'],
      summary: 'Write the title, per language of the page (languages left out keep theirs); an automatic title stops following the components',
      security,
      request: { params: IdParam, body: { content: { 'application/json': { schema: z.object({ title: z.record(z.string(), z.string().max(300)) }) } }, required: true } },
      responses: { 200: json(Anything, 'Re-titled'), ...errors },
    }),
    async (c) => c.json((await retitleIncident(db, { incidentId: c.req.valid('param').id, title: c.req.valid('json').title, actor: c.get('actor'), now: now() })) as never, 200),
  );
  return app;
}
