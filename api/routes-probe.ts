import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import { Assignment, MAX_RESULTS_PER_BATCH, ResultBatch } from '../probe/index.ts';
import { loadAssignment } from './assignment/load-assignment.ts';
import type { AppContext } from './http/context.ts';
import { DomainError } from './http/errors.ts';
import { ErrorBody } from './http/schemas.ts';
import { ingestResults } from './ingest/ingest-results.ts';
import { authenticateProbe } from './probe-access/probe-tokens.ts';
import { gunzipBody } from './probe-access/gunzip-body.ts';

type ProbeEnv = { Variables: { requestId: string; probeRegion: string } };

const IngestReport = z
  .object({
    accepted: z.int().describe('Results stored now'),
    duplicates: z.int().describe('Results stored before (a replay); counted, not stored again'),
    rejected: z.array(z.object({ index: z.int(), id: z.string().optional(), reason: z.string() })),
  })
  .openapi('IngestReport');

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const security = [{ probeToken: [] }];

/** The routes remote probes use: their assignment, and their results. */
export function probeRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<ProbeEnv>();
  const { db } = ctx.database;
  app.openAPIRegistry.registerComponent('securitySchemes', 'probeToken', { type: 'http', scheme: 'bearer', description: 'A probe token (`statusvakt probe-token create`)' });

  const requireProbe = createMiddleware<ProbeEnv>(async (c, next) => {
    const { regionId } = await authenticateProbe(db, { authorization: c.req.header('authorization'), now: ctx.now() });
    c.set('probeRegion', regionId);
    await next();
  });
  app.use('/api/v1/probe/*', requireProbe);
  app.use('/api/v1/probe/results', gunzipBody);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/probe/assignment',
      tags: ['probe'],
      summary: "The checks of the token's region; answers 304 while the revision (ETag) is unchanged",
      security,
      responses: { 200: json(Assignment, 'The assignment'), 304: { description: 'Unchanged since If-None-Match' }, 401: json(ErrorBody, 'No valid token') },
    }),
    async (c) => {
      const assignment = await loadAssignment(db, c.get('probeRegion'));
      const etag = `"${assignment.revision}"`;
      if (c.req.header('if-none-match') === etag) return c.body(null, 304);
      c.header('etag', etag);
      return c.json(assignment, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/probe/results',
      tags: ['probe'],
      summary: `Stores a batch of up to ${MAX_RESULTS_PER_BATCH} results (plain or gzip JSON); good results are kept even when others are rejected`,
      security,
      request: { body: { content: { 'application/json': { schema: ResultBatch } }, required: true } },
      responses: {
        200: json(IngestReport, 'Stored (some may be rejected, each with its reason)'),
        400: json(ErrorBody, 'Not a result batch'),
        401: json(ErrorBody, 'No valid token'),
        403: json(ErrorBody, "The batch is for another region than the token's"),
        413: json(ErrorBody, 'Body too large (compressed, or once unpacked)'),
        415: json(ErrorBody, 'A Content-Encoding other than gzip'),
        422: json(IngestReport, 'Every result was rejected'),
      },
    }),
    async (c) => {
      const batch = c.req.valid('json');
      const region = c.get('probeRegion');
      if (batch.regionId !== region) {
        throw new DomainError('FORBIDDEN', `this token writes for region "${region}", not "${batch.regionId}"`);
      }
      const report = await ingestResults(db, { regionId: region, results: batch.results, now: ctx.now() });
      const status = report.accepted + report.duplicates === 0 ? 422 : 200;
      return c.json(report, status);
    },
  );
  return app;
}
