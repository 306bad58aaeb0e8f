import { randomBytes } from 'node:crypto';
import { and, asc, isNull } from 'drizzle-orm';
import { tables } from '../db/index.ts';
import { organisationFilter } from './auth/organisation-scope.ts';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireActor, type ActorEnv } from './auth/require-actor.ts';
import { addUser, disableUser, enableUser, listUsers, removeUser, resetPassword, resetTotp, type UserSummary } from './auth/user-admin.ts';
import type { AppContext } from './http/context.ts';
import { DomainError } from './http/errors.ts';
import { ErrorBody } from './http/schemas.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const errors = { 400: json(ErrorBody, 'Invalid input'), 401: json(ErrorBody, 'Not logged in'), 403: json(ErrorBody, 'Not an administrator'), 404: json(ErrorBody, 'No such account'), 409: json(ErrorBody, 'Exists already') };
const security: Record<string, string[]>[] = [{ session: [] }, { apiToken: [] }];
const User = z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.string(), organisationIds: z.array(z.string()).nullable(), secondFactor: z.boolean(), disabledAt: z.string().nullable(), createdAt: z.string() });
const ResetBody = z.object({ password: z.string().min(1).max(256).optional() }).strict();
const IdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });
const view = (u: UserSummary) => ({ ...u, disabledAt: u.disabledAt?.toISOString() ?? null, createdAt: u.createdAt.toISOString() });

/**
 * Accounts, for administrators only; an administrator scoped to organisations
 * sees and changes only the accounts inside them. Every change is in the audit log.
 */
export function userRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<ActorEnv>();
  const { db } = ctx.database;
  const now = ctx.now;
  const admin = requireActor({ db, now, role: 'admin', scope: 'read' });
  app.use('/api/v1/users', admin);
  app.use('/api/v1/users/*', admin);
  app.use('/api/v1/organisations', admin);

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/organisations', tags: ['operators'], summary: 'The organisations an administrator may give accounts (from the config)', security, responses: { 200: json(z.object({ organisations: z.array(z.object({ id: z.string(), name: z.string() })) }), 'Organisations'), 401: errors[401], 403: errors[403] } }),
    async (c) => {
      const o = tables.organisations;
      const rows = await db.select({ id: o.id, name: o.name }).from(o).where(and(isNull(o.retiredAt), organisationFilter(c.get('actor'), o.id))).orderBy(asc(o.id));
      return c.json({ organisations: rows }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/users', tags: ['operators'], summary: 'Every account the administrator may manage', security, responses: { 200: json(z.object({ users: z.array(User) }), 'Accounts'), 401: errors[401], 403: errors[403] } }),
    async (c) => c.json({ users: (await listUsers(db, { actor: c.get('actor') })).map(view) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users',
      tags: ['operators'],
      summary: 'Create an account; its organisations must exist, and every organisation must be asked for with "all"',
      security,
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({ email: z.email(), name: z.string().min(1).max(200), role: z.enum(['admin', 'operator', 'viewer']), organisations: z.union([z.array(z.string().min(1)).min(1), z.literal('all')]), password: z.string().min(1).max(256).optional() }),
            },
          },
          required: true,
        },
      },
      responses: { 201: json(z.object({ user: User, password: z.string().nullable() }), 'Created; a generated password is returned once'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const password = b.password ?? randomBytes(18).toString('base64url');
      const user = await addUser(db, { email: b.email, name: b.name, role: b.role, organisations: b.organisations, password, actor: c.get('actor'), now: now() });
      return c.json({ user: view(user), password: b.password === undefined ? password : null }, 201);
    },
  );

  const simple = [
    { path: 'disable', summary: 'Disable an account: no login, its sessions end, its API tokens are refused', verb: disableUser },
    { path: 'enable', summary: 'Let a disabled account log in again', verb: enableUser },
    { path: 'reset-totp', summary: 'Turn the second factor off (a lost phone) and end the sessions', verb: resetTotp },
  ] as const;
  for (const { path, summary, verb } of simple) {
    app.openapi(
      createRoute({ method: 'post', path: `/api/v1/users/{id}/${path}`, tags: ['operators'], summary, security, request: { params: IdParam }, responses: { 200: json(z.object({ user: User }), 'Done'), ...errors } }),
      async (c) => c.json({ user: view(await verb(db, { key: { id: c.req.valid('param').id }, actor: c.get('actor'), now: now() })) }, 200),
    );
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users/{id}/reset-password',
      tags: ['operators'],
      summary: 'Set a new password (given, or generated and returned once) and end the sessions',
      security,
      // the body is optional (no body: a generated password), so it is read below rather than by the validator, which would refuse an empty one
      request: { params: IdParam },
      responses: { 200: json(z.object({ user: User, password: z.string().nullable() }), 'Reset'), ...errors },
    }),
    async (c) => {
      const text = await c.req.text();
      let given: unknown = {};
      try {
        given = text.trim() === '' ? {} : JSON.parse(text);
      } catch {
        throw new DomainError('VALIDATION', 'the body must be JSON: {"password": "…"} or nothing, for a generated one');
      }
      const parsed = ResetBody.safeParse(given);
      if (!parsed.success) throw new DomainError('VALIDATION', 'the body may only hold "password", a text of 12 to 256 characters');
      const chosen = parsed.data.password;
      const password = chosen ?? randomBytes(18).toString('base64url');
      const user = await resetPassword(db, { key: { id: c.req.valid('param').id }, password, actor: c.get('actor'), now: now() });
      return c.json({ user: view(user), password: chosen === undefined ? password : null }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'delete', path: '/api/v1/users/{id}', tags: ['operators'], summary: 'Remove an account with its sessions and API tokens (the audit log keeps its e-mail)', security, request: { params: IdParam }, responses: { 200: json(z.object({ user: User }), 'Removed'), ...errors } }),
    async (c) => c.json({ user: view(await removeUser(db, { key: { id: c.req.valid('param').id }, actor: c.get('actor'), now: now() })) }, 200),
  );
  return app;
}
