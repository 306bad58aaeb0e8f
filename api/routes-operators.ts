import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { authenticate, createSession, endSession, resolveSession } from './auth/accounts.ts';
import { accountByEmail, recordAccountEvent } from './auth/account-events.ts';
import { loginWait, recordLoginFailure, recordLoginSuccess } from './auth/login-throttle.ts';
import { DomainError } from './http/errors.ts';
import { requireActor, SESSION_COOKIE, type ActorEnv } from './auth/require-actor.ts';
import { CLIENT_ADDRESS_HEADER, CLIENT_PROTO_HEADER } from './http/client-address.ts';
import type { AppContext } from './http/context.ts';
import { ErrorBody, ZonedInstant } from './http/schemas.ts';
import { IMPACTS } from './component-status/shown-status.ts';
import { acknowledgeIncident, incidentView, listIncidents, openIncident, publishUpdate, STEPS } from './incidents/index.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const errors = { 400: json(ErrorBody, 'Invalid input'), 401: json(ErrorBody, 'Not logged in'), 403: json(ErrorBody, 'Not allowed'), 404: json(ErrorBody, 'Not found'), 409: json(ErrorBody, 'Changed meanwhile') };
const security: Record<string, string[]>[] = [{ session: [] }, { apiToken: [] }];
// per language; a language sent empty is left out (its readers see the default language's text, marked)
const Text = z.union([z.string().min(1).max(500), z.record(z.string(), z.string().max(500))]);
const IdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });
const Anything = z.record(z.string(), z.unknown());

const requestIsHttps = (url: string, proto: string | undefined) => new URL(url).protocol === 'https:' || proto === 'https';

/** Logging in and incidents, behind authentication (the audit log is in audit/routes.ts). */
export function operatorRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<ActorEnv>();
  const { db } = ctx.database;
  const now = ctx.now;
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Console session; changes also need x-csrf-token' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiToken', { type: 'http', scheme: 'bearer', description: 'An API token (svt_…) with scopes' });
  // guessing is slowed per address and per account, counted in the database (shared by replicas); see login-throttle.ts

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
      // set by the HTTP server from the socket and trusted proxies only; X-Forwarded-For itself is never read here
      const address = c.req.header(CLIENT_ADDRESS_HEADER) ?? (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress ?? 'unknown';
      const wait = await loginWait(db, { address, email, now: now() });
      if (wait > 0) {
        await recordAccountEvent(db, { actor: { email }, action: 'login.failed', user: await accountByEmail(db, email), email, at: now(), after: { address, reason: 'too many failed logins' } });
        c.header('retry-after', String(wait));
        return c.json({ error: { code: 'RATE_LIMITED', message: `too many failed logins; try again in ${wait} s`, requestId: c.get('requestId') } }, 429);
      }
      let user;
      try {
        user = await authenticate(db, { email, password, totp, secretKey: ctx.secretKey, now: now() });
      } catch (error) {
        if (error instanceof DomainError && error.code === 'UNAUTHORIZED') {
          await recordLoginFailure(db, { address, email, now: now() });
          await recordAccountEvent(db, { actor: { email }, action: 'login.failed', user: await accountByEmail(db, email), email, at: now(), after: { address, reason: error.message } });
        }
        throw error;
      }
      await recordLoginSuccess(db, { email });
      const session = await createSession(db, { userId: user.id, now: now() });
      await recordAccountEvent(db, { actor: { email: user.email }, action: 'login', user: { id: user.id, email: user.email, organisationIds: user.organisationIds ?? null }, at: now(), after: { address, secondFactor: user.totpSecret !== null } });
      setCookie(c, SESSION_COOKIE, session.cookie, { httpOnly: true, sameSite: 'Strict', secure: requestIsHttps(c.req.url, c.req.header(CLIENT_PROTO_HEADER)) || ctx.secureCookies === true, path: '/', maxAge: session.maxAgeSeconds });
      return c.json({ email: user.email, role: user.role, csrfToken: session.csrfToken }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/api/v1/auth/logout', tags: ['operators'], summary: 'End the session', responses: { 204: { description: 'Logged out' } } }),
    async (c) => {
      const cookie = getCookie(c, SESSION_COOKIE);
      const actor = cookie ? await resolveSession(db, { cookie, now: now() }) : undefined;
      if (cookie) await endSession(db, { cookie, now: now() });
      if (actor) await recordAccountEvent(db, { actor, action: 'logout', user: { id: actor.userId, email: actor.email, organisationIds: actor.organisationIds }, at: now() });
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  );

  const viewer = requireActor({ db, now, role: 'viewer', scope: 'read' });
  const operator = requireActor({ db, now, role: 'operator', scope: 'incidents:write' });

  app.use('/api/v1/auth/me', viewer);
  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/auth/me', tags: ['operators'], summary: "Who is logged in (and the session's CSRF token, for forms)", security, responses: { 200: json(z.object({ email: z.string(), role: z.string(), allOrganisations: z.boolean(), via: z.string(), csrfToken: z.string().nullable() }), 'The actor'), 401: errors[401] } }),
    (c) => {
      const actor = c.get('actor');
      return c.json({ email: actor.email, role: actor.role, allOrganisations: actor.organisationIds === null, via: actor.via, csrfToken: actor.csrfToken ?? null }, 200);
    },
  );

  app.on(['POST'], '/api/v1/incidents', operator);
  app.on(['POST'], '/api/v1/incidents/*', operator);
  app.on(['GET'], '/api/v1/incidents/*', viewer);

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
      const views = await listIncidents(db, { actor: c.get('actor'), now: now() });
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
    async (c) => c.json((await incidentView(db, { id: c.req.valid('param').id, actor: c.get('actor'), now: now() })) as never, 200),
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
                expectedVersion: z.int().positive().describe('The version you read; a different one means someone else changed the incident (409 CONFLICT, details { problem: "stale_version", version, sent })'),
                step: z.enum(STEPS),
                status: z.enum(['investigating', 'identified', 'monitoring', 'resolved', 'postmortem']).optional(),
                body: z.record(z.string(), z.string().max(5000)).optional().describe('Text per language; {estimate} becomes the estimated fix time in that language. Languages left out or empty fall back, marked, to the default'),
                impact: z.record(z.string(), z.enum(IMPACTS)).optional().describe("Each affected component's status from this update on (degraded_performance, partial_outage, major_outage, under_maintenance, operational); components left out keep the last update's, else the priority's (A: major_outage, others: degraded_performance)"),
                estimatedFixAt: ZonedInstant.optional().describe('When the fault is expected to be fixed, with its zone. It must lie ahead: an estimate before the incident was detected, or one already passed, is refused (400 VALIDATION, details { field: "estimatedFixAt", estimatedFixAt, earliest }, earliest being the later of detection and now)'),
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
        ...(input.impact ? { impact: input.impact } : {}),
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

  return app;
}

