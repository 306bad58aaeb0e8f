import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { Database } from '../../db/index.ts';
import { DomainError } from '../http/errors.ts';
import { resolveApiToken, resolveSession, ROLE_RANK, type Actor, type ApiScope, type Role } from './accounts.ts';

export const SESSION_COOKIE = 'sv_session';
export type ActorEnv = { Variables: { requestId: string; actor: Actor } };

/**
 * Authentication and authorisation for operator routes: a console session
 * (cookie; changes must echo its CSRF token in `x-csrf-token`) or an API token
 * (`Authorization: Bearer svt_…`, limited to its scopes). Unauthenticated: 401;
 * too little role or scope: 403. Nothing runs before this passes.
 */
export function requireActor(args: { db: Database; now: () => Date; role: Role; scope: ApiScope }) {
  return createMiddleware<ActorEnv>(async (c, next) => {
    const authorization = c.req.header('authorization');
    let actor: Actor | undefined;
    if (authorization?.startsWith('Bearer ')) {
      actor = await resolveApiToken(args.db, { bearer: authorization.slice(7), now: args.now() });
      if (!actor) throw new DomainError('UNAUTHORIZED', 'unknown or revoked API token');
      if (!actor.scopes?.includes(args.scope)) throw new DomainError('FORBIDDEN', `this token lacks the scope "${args.scope}"`);
    } else {
      const cookie = getCookie(c, SESSION_COOKIE);
      actor = cookie ? await resolveSession(args.db, { cookie, now: args.now() }) : undefined;
      if (!actor) throw new DomainError('UNAUTHORIZED', 'log in first (POST /api/v1/auth/login), or send an API token');
      const changes = !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method);
      if (changes && c.req.header('x-csrf-token') !== actor.csrfToken) {
        throw new DomainError('FORBIDDEN', 'missing or wrong CSRF token: send the one from the login answer in x-csrf-token');
      }
    }
    if (ROLE_RANK[actor.role] < ROLE_RANK[args.role]) throw new DomainError('FORBIDDEN', `this needs the ${args.role} role; you are ${actor.role}`);
    c.set('actor', actor);
    await next();
  });
}
