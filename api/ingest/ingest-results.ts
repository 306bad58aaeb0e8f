import { isNull, sql } from 'drizzle-orm';
import { CheckResult, type CheckResult as CheckResultType } from '../../probe/index.ts';
import { tables, type Database } from '../../db/index.ts';
import { markForEvaluation } from '../evaluate/rebuild-timeline.ts';

export type RejectedResult = { index: number; id?: string; reason: string };
export type IngestOutcome = { accepted: number; duplicates: number; rejected: RejectedResult[] };

/** Results may not start further than this in the future: a probe clock that far off is wrong. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Stores one region's results. Each result is validated on its own: the good
 * ones are stored even when others in the batch are rejected, and each
 * rejection says why. Ids already stored are counted as duplicates, so a
 * replayed batch is stored once. The touched components are marked for the
 * evaluator (`evaluatePending`), which rebuilds their state timelines.
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

  let inserted = 0;
  if (valid.length > 0) {
    const stored = await db
      .insert(tables.checkResults)
      .values(valid.map(toRow))
      .onConflictDoNothing({ target: tables.checkResults.id })
      .returning({ id: tables.checkResults.id });
    inserted = stored.length;
    await recordLatest(db, valid);
  }
  // the timeline is rebuilt from each component's earliest new result, so late and replayed results count
  const earliest = new Map<string, Date>();
  for (const r of valid) {
    const at = new Date(r.startedAt);
    const seen = earliest.get(r.componentId);
    if (!seen || at < seen) earliest.set(r.componentId, at);
  }
  await markForEvaluation(db, [...earliest].map(([componentId, fromAt]) => ({ componentId, fromAt })));
  return { accepted: inserted, duplicates: valid.length - inserted, rejected };
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

async function loadKnownChecks(db: Database): Promise<Map<string, string[] | null>> {
  const rows = await db
    .select({ componentId: tables.checks.componentId, checkId: tables.checks.checkId, regions: tables.checks.regions })
    .from(tables.checks)
    .where(isNull(tables.checks.retiredAt));
  return new Map(rows.map((r) => [`${r.componentId}/${r.checkId}`, r.regions ?? null]));
}

/** Keeps the newest result per (component, check, region); an older replayed result never overwrites a newer one. */
async function recordLatest(db: Database, results: readonly CheckResultType[]): Promise<void> {
  const newest = new Map<string, CheckResultType>();
  for (const r of results) {
    const key = `${r.componentId}/${r.checkId}/${r.regionId}`;
    const seen = newest.get(key);
    if (!seen || Date.parse(seen.startedAt) < Date.parse(r.startedAt)) newest.set(key, r);
  }
  const l = tables.latestResults;
  await db
    .insert(l)
    .values(
      [...newest.values()].map((r) => ({
        componentId: r.componentId,
        checkId: r.checkId,
        regionId: r.regionId,
        resultId: r.id,
        startedAt: new Date(r.startedAt),
        outcome: r.outcome,
        reason: r.reason ?? null,
        message: r.message ?? null,
        durationMs: r.durationMs,
        httpStatus: r.httpStatus ?? null,
      })),
    )
    .onConflictDoUpdate({
      target: [l.componentId, l.checkId, l.regionId],
      set: {
        resultId: sql`excluded.result_id`,
        startedAt: sql`excluded.started_at`,
        outcome: sql`excluded.outcome`,
        reason: sql`excluded.reason`,
        message: sql`excluded.message`,
        durationMs: sql`excluded.duration_ms`,
        httpStatus: sql`excluded.http_status`,
      },
      setWhere: sql`excluded.started_at > ${l.startedAt}`,
    });
}

function toRow(result: CheckResultType): typeof tables.checkResults.$inferInsert {
  return {
    id: result.id,
    componentId: result.componentId,
    checkId: result.checkId,
    regionId: result.regionId,
    startedAt: new Date(result.startedAt),
    outcome: result.outcome,
    reason: result.reason ?? null,
    durationMs: result.durationMs,
    httpStatus: result.httpStatus ?? null,
    phasesMs: result.phasesMs ?? null,
    certificate: result.certificate ?? null,
    message: result.message ?? null,
  };
}
