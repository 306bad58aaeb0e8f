import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { DateTime } from 'luxon';
import { LANGUAGES } from '../../config/index.ts';
import { requireActor, type ActorEnv } from '../auth/require-actor.ts';
import type { AppContext } from '../http/context.ts';
import { DomainError } from '../http/errors.ts';
import { ErrorBody, ZonedInstant } from '../http/schemas.ts';
import { auditToCsv } from './audit-csv.ts';
import { listAuditEntries, type AuditFilter } from './load-audit-log.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const security: Record<string, string[]>[] = [{ session: [] }, { apiToken: [] }];
const Entry = z.object({ id: z.number(), at: z.string(), actor: z.string(), actorName: z.string().nullable(), action: z.string(), entity: z.string(), entityId: z.string(), entityName: z.string().nullable(), organisationId: z.string().nullable(), components: z.array(z.string()), before: z.unknown(), after: z.unknown() });
const Filter = z.object({
  who: z.string().max(200).optional().describe('Part of who acted (an e-mail, "system"), any case'),
  what: z.string().max(100).regex(/^[a-z0-9_.-]*$/, { message: 'must be an action such as incident.open, or its family such as incident' }).optional().describe('An action (incident.open) or its family (incident)'),
  from: ZonedInstant.optional().describe('From this instant (with its zone)'),
  to: ZonedInstant.optional().describe('Before this instant (with its zone)'),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  lang: z.enum(LANGUAGES).optional().describe('Language of the titles and component names beside the ids; English when left out'),
});
type FilterQuery = z.infer<typeof Filter>;

const filterOf = (q: FilterQuery): AuditFilter => {
  if (q.from && q.to && new Date(q.to) <= new Date(q.from)) throw new DomainError('VALIDATION', '"to" must be after "from"');
  return { who: q.who?.trim() || undefined, what: q.what || undefined, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined, limit: q.limit };
};

/** The audit log for administrators (their organisations' entries), with names, filters and a CSV export. */
export function auditRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<ActorEnv>();
  const { db } = ctx.database;
  const admin = requireActor({ db, now: ctx.now, role: 'admin', scope: 'read' });
  app.use('/api/v1/audit', admin);
  app.use('/api/v1/audit.csv', admin);
  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/audit', tags: ['operators'], summary: 'The audit log, newest first, with names beside ids; filters by who, what and when (admins; an admin scoped to organisations sees only their entries)', security, request: { query: Filter }, responses: { 200: json(z.object({ entries: z.array(Entry) }), 'Entries'), 400: json(ErrorBody, 'Bad filter'), 401: json(ErrorBody, 'Not logged in'), 403: json(ErrorBody, 'Not an administrator') } }),
    async (c) => {
      const query = c.req.valid('query');
      return c.json({ entries: await listAuditEntries(db, { actor: c.get('actor'), filter: filterOf(query), language: query.lang }) }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/audit.csv',
      tags: ['operators'],
      summary: 'The filtered audit log as CSV (up to 10,000 entries), times in `zone`; cells a spreadsheet would run as formulas are neutralised',
      security,
      request: { query: Filter.extend({ limit: z.coerce.number().int().min(1).max(10_000).default(10_000), zone: z.string().max(100).default('UTC').refine((zone) => DateTime.now().setZone(zone).isValid, { message: 'must be a time zone such as Europe/Copenhagen', params: { problem: 'invalid_zone' } }) }) },
      responses: { 200: { content: { 'text/csv': { schema: z.string() } }, description: 'CSV' }, 400: json(ErrorBody, 'Bad filter'), 401: json(ErrorBody, 'Not logged in'), 403: json(ErrorBody, 'Not an administrator') },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const entries = await listAuditEntries(db, { actor: c.get('actor'), filter: filterOf(query), language: query.lang });
      c.header('content-disposition', 'attachment; filename="audit-log.csv"');
      c.header('cache-control', 'no-store');
      return c.body(auditToCsv(entries, query.zone), 200, { 'content-type': 'text/csv; charset=utf-8' });
    },
  );
  return app;
}
