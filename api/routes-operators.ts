import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { desc, sql } from 'drizzle-orm';
import { tables } from '../db/index.ts';
import { authenticate, createSession, endSession } from './auth/accounts.ts';
import { RateLimiter } from './auth/rate-limit.ts';
import { requireActor, SESSION_COOKIE, type ActorEnv } from './auth/require-actor.ts';
import type { AppContext } from './http/context.ts';
import { ErrorBody } from './http/schemas.ts';
import { acknowledgeIncident, incidentView, openIncident, publishUpdate, STEPS } from './incidents/index.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const errors = { 400: json(ErrorBody, 'Invalid input'), 401: json(ErrorBody, 'Not logged in'), 403: json(ErrorBody, 'Not allowed'), 404: json(ErrorBody, 'Not found'), 409: json(ErrorBody, 'Changed meanwhile') };
const security: Record<string, string[]>[] = [{ session: [] }, { apiToken: [] }];
const Text = z.union([z.string().min(1).max(500), z.record(z.string(), z.string().min(1).max(500))]);
const IdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });
const Anything = z.record(z.string(), z.unknown());

/** Logging in, incidents and the audit log: everything an operator changes, behind authentication. */
export function operatorRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<ActorEnv>();
  const { db } = ctx.database;
  const now = ctx.now;
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Console session; changes also need x-csrf-token' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiToken', { type: 'http', scheme: 'bearer', description: 'An API token (svt_…) with scopes' });
  // guessing is slowed per account (10 failures in 15 minutes) and per address (50, for offices behind one NAT)
  const byAddress = new RateLimiter({ limit: 50, windowMs: 15 * 60_000 });
  const byEmail = new RateLimiter({ limit: 10, windowMs: 15 * 60_000 });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/login',
      tags: ['operators'],
      summary: 'Log in; sets a Secure, HttpOnly, SameSite=Strict session cookie and returns the CSRF token',
      request: { body: { content: { 'application/json': { schema: z.object({ email: z.email(), password: z.string().min(1).max(256), totp: z.string().regex(/^\d{6}$/).optional() }) } }, required: true } },
      responses: { 200: json(z.object({ email: z.string(), role: z.string(), csrfToken: z.string() }), 'Logged in'), 401: json(ErrorBody, 'Wrong credentials'), 429: json(ErrorBody, 'Too many attempts') },
    }),
    async (c) => {
      const { email, password, totp } = c.req.valid('json');
      const address = c.req.header('x-forwarded-for')?.split(',')[0]?.trim() ?? (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress ?? 'unknown';
      const account = email.toLowerCase();
      const wait = Math.max(byAddress.blockedFor(address, now().getTime()), byEmail.blockedFor(account, now().getTime()));
      if (wait > 0) {
        c.header('retry-after', String(wait));
        return c.json({ error: { code: 'RATE_LIMITED', message: `too many failed logins; try again in ${wait} s`, requestId: c.get('requestId') } }, 429);
      }
      let user;
      try {
        user = await authenticate(db, { email, password, totp });
      } catch (error) {
        byAddress.fail(address, now().getTime());
        byEmail.fail(account, now().getTime());
        throw error;
      }
      const session = await createSession(db, { userId: user.id, now: now() });
      setCookie(c, SESSION_COOKIE, session.cookie, { httpOnly: true, sameSite: 'Strict', secure: new URL(c.req.url).protocol === 'https:' || ctx.secureCookies === true, path: '/', maxAge: session.maxAgeSeconds });
      return c.json({ email: user.email, role: user.role, csrfToken: session.csrfToken }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/api/v1/auth/logout', tags: ['operators'], summary: 'End the session', responses: { 204: { description: 'Logged out' } } }),
    async (c) => {
      const cookie = getCookie(c, SESSION_COOKIE);
      if (cookie) await endSession(db, { cookie, now: now() });
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  );

  const viewer = requireActor({ db, now, role: 'viewer', scope: 'read' });
  const operator = requireActor({ db, now, role: 'operator', scope: 'incidents:write' });
  const admin = requireActor({ db, now, role: 'admin', scope: 'read' });

  app.use('/api/v1/auth/me', viewer);
  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/auth/me', tags: ['operators'], summary: "Who is logged in (and the session's CSRF token, for forms)", security, responses: { 200: json(z.object({ email: z.string(), role: z.string(), via: z.string(), csrfToken: z.string().nullable() }), 'The actor'), 401: errors[401] } }),
    (c) => {
      const actor = c.get('actor');
      return c.json({ email: actor.email, role: actor.role, via: actor.via, csrfToken: actor.csrfToken ?? null }, 200);
    },
  );

  app.on(['POST'], '/api/v1/incidents', operator);
  app.on(['POST'], '/api/v1/incidents/*', operator);
  app.on(['GET'], '/api/v1/incidents/*', viewer);
  app.use('/api/v1/audit', admin);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/incidents',
      tags: ['operators'],
      summary: 'Open an incident (priority A–D) on a page for some of its components',
      security,
      request: { body: { content: { 'application/json': { schema: z.object({ pageId: z.string(), title: Text, priority: z.enum(['A', 'B', 'C', 'D']), componentIds: z.array(z.string()).min(1) }) } }, required: true } },
      responses: { 201: json(Anything, 'Opened'), ...errors },
    }),
    async (c) => {
      const body = c.req.valid('json');
      return c.json((await openIncident(db, { ...body, actor: c.get('actor'), now: now() })) as never, 201);
    },
  );

  app.use('/api/v1/incidents', async (c, next) => (c.req.method === 'GET' ? viewer(c, next) : next()));
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/incidents',
      tags: ['operators'],
      summary: 'Open incidents (and those resolved in the last day), each with its next communication step and reaction deadline',
      security,
      responses: { 200: json(z.object({ incidents: z.array(Anything) }), 'Incidents'), 401: errors[401] },
    }),
    async (c) => {
      const rows = await db
        .select({ id: tables.incidents.id })
        .from(tables.incidents)
        .where(sql`${tables.incidents.resolvedAt} is null or ${tables.incidents.resolvedAt} > ${new Date(now().getTime() - 86_400_000).toISOString()}::timestamptz`)
        .orderBy(desc(tables.incidents.registeredAt));
      const views = await Promise.all(rows.map((r) => incidentView(db, { id: r.id, now: now() })));
      return c.json({ incidents: views } as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/incidents/{id}',
      tags: ['operators'],
      summary: 'An incident with its updates, the communication steps (next due, overdue) and the reaction deadline',
      security,
      request: { params: IdParam },
      responses: { 200: json(Anything, 'The incident'), ...errors },
    }),
    async (c) => c.json((await incidentView(db, { id: c.req.valid('param').id, now: now() })) as never, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/incidents/{id}/updates',
      tags: ['operators'],
      summary: "Publish an update for a step of the communication plan: written text per language, or (no body) the step's template in every language of the page",
      security,
      request: {
        params: IdParam,
        body: {
          content: {
            'application/json': {
              schema: z.object({
                expectedVersion: z.int().positive().describe('The version you read; a different one means someone else changed the incident'),
                step: z.enum(STEPS),
                status: z.enum(['investigating', 'identified', 'monitoring', 'resolved', 'postmortem']).optional(),
                body: z.record(z.string(), z.string().min(1).max(5000)).optional(),
                estimatedFixAt: z.iso.datetime({ offset: true }).optional(),
              }),
            },
          },
          required: true,
        },
      },
      responses: { 201: json(Anything, 'Published'), ...errors },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const result = await publishUpdate(db, {
        incidentId: c.req.valid('param').id,
        expectedVersion: input.expectedVersion,
        step: input.step,
        ...(input.status ? { status: input.status } : {}),
        ...(input.body ? { body: input.body } : {}),
        estimatedFixAt: input.estimatedFixAt ? new Date(input.estimatedFixAt) : null,
        actor: c.get('actor'),
        now: now(),
      });
      return c.json(result as never, 201);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/api/v1/incidents/{id}/acknowledge', tags: ['operators'], summary: 'Record the reaction: classified, and staff on it', security, request: { params: IdParam }, responses: { 200: json(Anything, 'Acknowledged'), ...errors } }),
    async (c) => c.json((await acknowledgeIncident(db, { incidentId: c.req.valid('param').id, actor: c.get('actor'), now: now() })) as never, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/audit',
      tags: ['operators'],
      summary: 'The audit log, newest first (admins)',
      security,
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }) },
      responses: { 200: json(z.object({ entries: z.array(Anything) }), 'Entries'), 401: errors[401], 403: errors[403] },
    }),
    async (c) => {
      const entries = await db.select().from(tables.auditLog).orderBy(desc(tables.auditLog.id)).limit(c.req.valid('query').limit);
      return c.json({ entries } as never, 200);
    },
  );
  return app;
}

