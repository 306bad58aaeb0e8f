import { isNull, sql } from 'drizzle-orm';
import { CheckResult, type CheckResult as CheckResultType } from '../../probe/index.ts';
import { rowsOf, tables, type Database } from '../../db/index.ts';

export type RejectedResult = { index: number; id?: string; reason: string };
export type IngestOutcome = { accepted: number; duplicates: number; rejected: RejectedResult[] };

/** Results may not start further than this in the future: a probe clock that far off is wrong. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Stores one region's results. Each result is validated on its own: the good
 * ones are stored even when others in the batch are rejected, and each
 * rejection says why. Ids already stored are counted as duplicates, so a
 * replayed batch is stored once. The touched components are marked for the
 * evaluator (`evaluatePending`), which rebuilds their state timelines and
 * latest results.
 */
export async function ingestResults(db: Database, args: { regionId: string; results: readonly unknown[]; now: Date }): Promise<IngestOutcome> {
  const known = await loadKnownChecks(db);
  const rejected: RejectedResult[] = [];
  const valid: CheckResultType[] = [];
  args.results.forEach((raw, index) => {
    const parsed = CheckResult.safeParse(raw);
    const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : undefined;
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      rejected.push({ index, ...(id ? { id } : {}), reason: `${first?.path.join('.') || 'result'}: ${first?.message ?? 'invalid'}` });
      return;
    }
    const result = parsed.data;
    const problem = judgeResult(result, { regionId: args.regionId, known, now: args.now });
    if (problem) rejected.push({ index, id: result.id, reason: problem });
    else valid.push(result);
  });

  const inserted = valid.length > 0 ? await storeResults(db, valid) : 0;
  return { accepted: inserted, duplicates: valid.length - inserted, rejected };
}

/**
 * Stores results and, for those not stored before, marks their components for
 * evaluation from their earliest new result — one statement, one round trip.
 * The rows travel as one JSON parameter, which costs the same on PGlite and
 * PostgreSQL whatever the batch size. Everything derived (states, latest
 * results) is the evaluator's, once per component per round, not per batch.
 */
async function storeResults(db: Database, results: readonly CheckResultType[]): Promise<number> {
  const rows = JSON.stringify(
    results.map((r) => ({
      id: r.id,
      component_id: r.componentId,
      check_id: r.checkId,
      region_id: r.regionId,
      started_at: r.startedAt,
      outcome: r.outcome,
      reason: r.reason ?? null,
      duration_ms: r.durationMs,
      http_status: r.httpStatus ?? null,
      phases_ms: r.phasesMs ?? null,
      certificate: r.certificate ?? null,
      message: r.message ?? null,
    })),
  );
  const [row] = rowsOf<{ inserted: number }>(
    await db.execute(sql`
      with input as (
        select * from jsonb_to_recordset(${rows}::jsonb) as r(
          id uuid, component_id text, check_id text, region_id text, started_at timestamptz, outcome text,
          reason text, duration_ms real, http_status integer, phases_ms jsonb, certificate jsonb, message text)
      ),
      inserted as (
        insert into check_results (id, component_id, check_id, region_id, started_at, outcome, reason, duration_ms, http_status, phases_ms, certificate, message)
        select id, component_id, check_id, region_id, started_at, outcome, reason, duration_ms, http_status, phases_ms, certificate, message from input
        on conflict (id) do nothing
        returning component_id, started_at
      ),
      marks as (
        -- the evaluator rebuilds the timeline (and the latest results) from each component's
        -- earliest new result, so late and replayed results count
        insert into evaluation_marks (component_id, from_at)
        select component_id, min(started_at) from inserted group by component_id
      )
      select count(*)::int as inserted from inserted`),
  );
  return Number(row?.inserted ?? 0);
}

function judgeResult(result: CheckResultType, ctx: { regionId: string; known: Map<string, string[] | null>; now: Date }): string | undefined {
  if (result.regionId !== ctx.regionId) return `regionId "${result.regionId}" is not this probe's region "${ctx.regionId}"`;
  const key = `${result.componentId}/${result.checkId}`;
  if (!ctx.known.has(key)) return `unknown check "${result.checkId}" of component "${result.componentId}"`;
  const regions = ctx.known.get(key);
  if (regions && !regions.includes(ctx.regionId)) return `check "${key}" is not assigned to region "${ctx.regionId}"`;
  if (Date.parse(result.startedAt) - ctx.now.getTime() > MAX_CLOCK_SKEW_MS) {
    return `startedAt ${result.startedAt} is in the future; check the probe's clock`;
  }
  return undefined;
}

/** Checks change only when the config is synchronised; a few seconds of staleness costs nothing and saves a query per batch. */
const KNOWN_CHECKS_TTL_MS = 5_000;
const knownChecksCache = new WeakMap<Database, { loadedAt: number; checks: Promise<Map<string, string[] | null>> }>();

function loadKnownChecks(db: Database): Promise<Map<string, string[] | null>> {
  const cached = knownChecksCache.get(db);
  if (cached && performance.now() - cached.loadedAt < KNOWN_CHECKS_TTL_MS) return cached.checks;
  const checks = queryKnownChecks(db);
  knownChecksCache.set(db, { loadedAt: performance.now(), checks });
  checks.catch(() => knownChecksCache.delete(db));
  return checks;
}

async function queryKnownChecks(db: Database): Promise<Map<string, string[] | null>> {
  const rows = await db
    .select({ componentId: tables.checks.componentId, checkId: tables.checks.checkId, regions: tables.checks.regions })
    .from(tables.checks)
    .where(isNull(tables.checks.retiredAt));
  return new Map(rows.map((r) => [`${r.componentId}/${r.checkId}`, r.regions ?? null]));
}
