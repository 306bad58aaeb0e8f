import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { recordAudit } from '../auth/audit.ts';
import { requireActor, type ActorEnv } from '../auth/require-actor.ts';
import type { AppContext } from '../http/context.ts';
import { DomainError } from '../http/errors.ts';
import { ErrorBody } from '../http/schemas.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const ChangeList = z.object({ added: z.array(z.string()), changed: z.array(z.string()), removed: z.array(z.string()) });
const Changes = z.object({ organisations: ChangeList, regions: ChangeList, slaProfiles: ChangeList, pages: ChangeList, groups: ChangeList, components: ChangeList, checks: ChangeList, needsRestart: z.array(z.string()) });

/**
 * `POST /api/v1/config/reload`: the running server reads its config file again.
 * The config is the whole installation's, so only an administrator of every
 * organisation may reload it (a token needs the `config:write` scope).
 */
export function configReloadRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<ActorEnv>();
  const { db } = ctx.database;
  app.use('/api/v1/config/reload', requireActor({ db, now: ctx.now, role: 'admin', scope: 'config:write' }));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/config/reload',
      tags: ['operators'],
      summary: 'Read the config file again and apply it in one transaction; a file with a mistake is refused (400, with file, line and fix) and the running config stays',
      security: [{ session: [] }, { apiToken: [] }],
      responses: {
        200: json(z.object({ file: z.string(), summary: z.string(), changes: Changes }), 'Applied: what was added, changed and removed'),
        400: json(ErrorBody, 'The file has mistakes; nothing changed'),
        401: json(ErrorBody, 'Not logged in'),
        403: json(ErrorBody, 'Not an administrator of every organisation'),
        404: json(ErrorBody, 'This process was not started from a config file'),
      },
    }),
    async (c) => {
      const actor = c.get('actor');
      if (actor.organisationIds !== null) throw new DomainError('FORBIDDEN', 'the config belongs to every organisation: only an administrator of all organisations may reload it');
      if (!ctx.reloadConfig) throw new DomainError('NOT_FOUND', 'this process was not started from a config file (statusvakt start or serve), so it has nothing to reload');
      const outcome = await ctx.reloadConfig();
      if (!outcome.ok) {
        await recordAudit(db, { actor, action: 'config.reload-refused', entity: 'config', entityId: outcome.file, organisationId: null, before: null, after: { issues: outcome.issues }, at: ctx.now() });
        throw new DomainError('VALIDATION', outcome.message, { file: outcome.file, issues: outcome.issues });
      }
      await recordAudit(db, { actor, action: 'config.reload', entity: 'config', entityId: outcome.file, organisationId: null, before: null, after: outcome.changes, at: ctx.now() });
      return c.json({ file: outcome.file, summary: outcome.summary, changes: outcome.changes }, 200);
    },
  );
  return app;
}
