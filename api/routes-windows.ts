import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireActor, type ActorEnv } from './auth/require-actor.ts';
import type { AppContext } from './http/context.ts';
import { ErrorBody, ZonedInstant } from './http/schemas.ts';
import { EXCLUSION_REASONS } from './sla/index.ts';
import { excludeThirdPartyDowntime } from './sla-reports/index.ts';
import { changeExclusion, changeWindow, listExclusions, recordExclusion, scheduleWindow, withdrawExclusion } from './windows/window-service.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const Instant = ZonedInstant;
const Text = z.union([z.string().min(1).max(300), z.record(z.string(), z.string().max(300))]);
/** Per page language; a language left out falls back, marked, to the page's default when shown. */
const Description = z.record(z.string(), z.string().max(2000)).describe('What the work is and what readers notice, per language: { "da": "…", "en": "…" }');
const Anything = z.record(z.string(), z.unknown());
const errors = { 400: json(ErrorBody, 'Invalid input'), 401: json(ErrorBody, 'Not logged in'), 403: json(ErrorBody, 'Not allowed'), 404: json(ErrorBody, 'Not found'), 409: json(ErrorBody, 'Not in this state'), 422: json(ErrorBody, 'Breaks the window policy; details name each rule') };
const security: Record<string, string[]>[] = [{ session: [] }, { apiToken: [] }];

/** Service windows and exclusions: scheduled and changed by operators, checked against the profile, audited, frozen months revised. */
export function windowRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<ActorEnv>();
  const { db } = ctx.database;
  const now = ctx.now;
  app.use('/api/v1/windows', requireActor({ db, now, role: 'operator', scope: 'windows:write' }));
  app.use('/api/v1/windows/*', requireActor({ db, now, role: 'operator', scope: 'windows:write' }));
  // reading exclusions is for anyone logged in (their organisations' only); changing them needs the operator role and scope
  const readExclusions = requireActor({ db, now, role: 'viewer', scope: 'read' });
  const writeExclusions = requireActor({ db, now, role: 'operator', scope: 'exclusions:write' });
  app.use('/api/v1/exclusions', async (c, next) => (c.req.method === 'GET' ? readExclusions(c, next) : writeExclusions(c, next)));
  app.use('/api/v1/exclusions/*', async (c, next) => (c.req.method === 'GET' ? readExclusions(c, next) : writeExclusions(c, next)));

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/windows',
      tags: ['operators'],
      summary: 'Schedule a service window; the SLA profile\'s policy is checked (a refusal names the rule; an emergency window is flagged where allowed)',
      security,
      request: { body: { content: { 'application/json': { schema: z.object({ componentIds: z.array(z.string()).min(1), title: Text, description: Description.optional(), plannedStart: Instant, plannedEnd: Instant, announcedAt: Instant.optional() }) } }, required: true } },
      responses: { 201: json(Anything, 'Scheduled'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const result = await scheduleWindow(db, { componentIds: b.componentIds, title: b.title, ...(b.description ? { description: b.description } : {}), plannedStart: new Date(b.plannedStart), plannedEnd: new Date(b.plannedEnd), ...(b.announcedAt ? { announcedAt: new Date(b.announcedAt) } : {}), actor: c.get('actor'), now: now() });
      return c.json(result as never, 201);
    },
  );

  const Change = z.discriminatedUnion('action', [
    z.object({ action: z.literal('reschedule'), plannedStart: Instant, plannedEnd: Instant }),
    z.object({ action: z.literal('start'), at: Instant.optional() }),
    z.object({ action: z.literal('extend'), until: Instant }),
    z.object({ action: z.literal('close'), at: Instant.optional() }),
    z.object({ action: z.literal('cancel') }),
  ]);
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/windows/{id}/changes',
      tags: ['operators'],
      summary: 'Reschedule, start (early is fine), extend (past the planned end: overrun), close or cancel a window',
      security,
      request: { params: z.object({ id: z.string() }), body: { content: { 'application/json': { schema: Change } }, required: true } },
      responses: { 200: json(Anything, 'Changed'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const at = (value?: string) => (value ? new Date(value) : now());
      const change =
        b.action === 'reschedule' ? { action: b.action, plannedStart: new Date(b.plannedStart), plannedEnd: new Date(b.plannedEnd) }
        : b.action === 'extend' ? { action: b.action, until: new Date(b.until) }
        : b.action === 'start' || b.action === 'close' ? { action: b.action, at: at(b.at) }
        : { action: b.action };
      return c.json((await changeWindow(db, { id: c.req.valid('param').id, change, actor: c.get('actor'), now: now() })) as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/exclusions',
      tags: ['operators'],
      summary: 'Record an exclusion (time not held against the provider), with a reason and a note; frozen months it touches are revised',
      security,
      request: { body: { content: { 'application/json': { schema: z.object({ componentIds: z.array(z.string()).min(1), start: Instant, end: Instant, reason: z.enum(EXCLUSION_REASONS), note: z.string().min(3).max(2000) }) } }, required: true } },
      responses: { 201: json(Anything, 'Recorded'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      return c.json((await recordExclusion(db, { componentIds: b.componentIds, start: new Date(b.start), end: new Date(b.end), reason: b.reason, note: b.note, actor: c.get('actor'), now: now() })) as never, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/exclusions/third-party',
      tags: ['operators'],
      summary: "Excludes a stretch of a component's downtime that fell while a component it depends on was in trouble (a span of the report's thirdParty.spans); recorded and audited as any exclusion",
      security,
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({
                componentId: z.string().min(1),
                start: Instant,
                end: Instant,
                reason: z.enum(EXCLUSION_REASONS).default('force_majeure').describe('The contract reason it falls under (default force_majeure)'),
                note: z.string().max(1000).optional().describe('Added to the note, which names the third party'),
              }),
            },
          },
          required: true,
        },
      },
      responses: { 201: json(Anything, 'Recorded'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      return c.json((await excludeThirdPartyDowntime(db, { componentId: b.componentId, start: new Date(b.start), end: new Date(b.end), reason: b.reason, note: b.note, actor: c.get('actor'), now: now() })) as never, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/exclusions',
      tags: ['operators'],
      summary: "Exclusions of the actor's organisations, newest first; from/to keep those overlapping the span, withdrawn=true adds withdrawn ones",
      security,
      request: { query: z.object({ from: Instant.optional(), to: Instant.optional(), withdrawn: z.enum(['true', 'false']).default('false') }) },
      responses: { 200: json(z.object({ exclusions: z.array(Anything) }), 'Exclusions'), 400: errors[400], 401: errors[401], 403: errors[403] },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await listExclusions(db, { actor: c.get('actor'), ...(q.from ? { from: new Date(q.from) } : {}), ...(q.to ? { to: new Date(q.to) } : {}), includeWithdrawn: q.withdrawn === 'true' });
      return c.json({ exclusions: rows } as never, 200);
    },
  );

  const ExclusionId = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });
  const Why = z.string().min(3).max(2000).describe('Why it changes: the reason of every frozen month revised, and in the audit log');
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/exclusions/{id}',
      tags: ['operators'],
      summary: 'Change an exclusion\'s span, reason or note; frozen months the old or new span touches get a new statement version with the reason given in why',
      security,
      request: { params: ExclusionId, body: { content: { 'application/json': { schema: z.object({ start: Instant.optional(), end: Instant.optional(), reason: z.enum(EXCLUSION_REASONS).optional(), note: z.string().min(3).max(2000).optional(), why: Why }).strict() } }, required: true } },
      responses: { 200: json(Anything, 'Changed'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const result = await changeExclusion(db, { id: c.req.valid('param').id, ...(b.start ? { start: new Date(b.start) } : {}), ...(b.end ? { end: new Date(b.end) } : {}), ...(b.reason ? { reason: b.reason } : {}), ...(b.note ? { note: b.note } : {}), why: b.why, actor: c.get('actor'), now: now() });
      return c.json(result as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/exclusions/{id}/withdraw',
      tags: ['operators'],
      summary: 'Withdraw an exclusion: its time counts again, and frozen months it touched get a new statement version with the reason given in why',
      security,
      request: { params: ExclusionId, body: { content: { 'application/json': { schema: z.object({ why: Why }).strict() } }, required: true } },
      responses: { 200: json(Anything, 'Withdrawn'), ...errors },
    }),
    async (c) => c.json((await withdrawExclusion(db, { id: c.req.valid('param').id, why: c.req.valid('json').why, actor: c.get('actor'), now: now() })) as never, 200),
  );
  return app;
}
