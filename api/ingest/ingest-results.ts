import { isNull, sql } from 'drizzle-orm';
import { CheckResult, type CheckResult as CheckResultType } from '../../probe/index.ts';
import { loadRetentionDays, PHASE_ORDER, retentionEdge, rowsOf, tables, type Database } from '../../db/index.ts';
import { storeNotices } from '../notices/index.ts';
import { certificateKeys, rememberCertificates } from './certificate-keys.ts';

export type RejectedResult = { index: number; id?: string; reason: string };
export type IngestOutcome = { accepted: number; duplicates: number; rejected: RejectedResult[] };

/** Results may not start further than this in the future: a probe clock that far off is wrong. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** Nor before this: a clock reset to 1970 would otherwise send the evaluator back decades. */
const EARLIEST_START_MS = Date.UTC(2000, 0, 1);

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
  const indexOfId = new Map<string, number>();
  args.results.forEach((raw, index) => {
    const parsed = CheckResult.safeParse(raw);
    const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : undefined;
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      rejected.push({ index, ...(id ? { id } : {}), reason: `${first?.path.join('.') || 'result'}: ${first?.message ?? 'invalid'}` });
      return;
    }
    const result = parsed.data;
    const problem = judgeResult(result, { regionId: args.regionId, known: known.checks, retentionDays: known.retentionDays, now: args.now });
    if (problem) rejected.push({ index, id: result.id, reason: problem });
    else {
      valid.push(result);
      indexOfId.set(result.id, index);
    }
  });

  const stored = await storeEachGood(db, valid, args.now);
  rejected.push(...stored.refused.map(({ result, reason }) => ({ index: indexOfId.get(result.id)!, id: result.id, reason })));
  rejected.sort((a, b) => a.index - b.index);
  return { accepted: stored.inserted, duplicates: valid.length - stored.refused.length - stored.inserted, rejected };
}

/**
 * Stores the batch in one statement. Should the database still refuse a value
 * the contract let through (a data exception, SQLSTATE class 22), the batch is
 * stored result by result and only the refused ones are rejected, so one bad
 * value never fails the rest. Any other error (the database is down) is thrown:
 * the probe keeps the batch and retries.
 */
async function storeEachGood(db: Database, valid: readonly CheckResultType[], now: Date): Promise<{ inserted: number; refused: { result: CheckResultType; reason: string }[] }> {
  if (valid.length === 0) return { inserted: 0, refused: [] };
  try {
    return { inserted: await storeResults(db, valid, now), refused: [] };
  } catch (error) {
    if (!isDataException(error) || valid.length === 1) {
      if (isDataException(error)) return { inserted: 0, refused: [{ result: valid[0]!, reason: `the database cannot store this result: ${databaseMessage(error)}` }] };
      throw error;
    }
  }
  let inserted = 0;
  const refused: { result: CheckResultType; reason: string }[] = [];
  for (const result of valid) {
    const one = await storeEachGood(db, [result], now);
    inserted += one.inserted;
    refused.push(...one.refused);
  }
  return { inserted, refused };
}

/** PostgreSQL's SQLSTATE class 22: the value, not the database, is at fault. Drivers wrap the error, so the causes are searched. */
function isDataException(error: unknown): boolean {
  return sqlStateOf(error)?.startsWith('22') ?? false;
}

function sqlStateOf(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

function databaseMessage(error: unknown): string {
  for (let e = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && typeof e.message === 'string') return e.message;
  }
  return 'invalid value';
}

/**
 * Stores results and, for those not stored before, marks their components for
 * evaluation from their earliest new result: one statement, one round trip.
 * The rows travel as one JSON parameter, which costs the same on PGlite and
 * PostgreSQL whatever the batch size. A certificate goes with the rows only
 * until this process has seen it stored; after that the rows name it by hash
 * alone. Everything derived (states, latest results, hourly rollups) is the
 * evaluator's, once per component per round, not per batch: that keeps ingest
 * close to a plain INSERT of the same rows.
 */
async function storeResults(db: Database, results: readonly CheckResultType[], now: Date): Promise<number> {
  const certificates = certificateKeys(db, results);
  const reading = results.filter((r) => r.notices !== undefined);
  if (reading.length === 0) {
    const { inserted } = await insertResults(db, results, certificates, []);
    rememberCertificates(db, certificates.toStore);
    return inserted;
  }
  // a source's notices commit with its result, so a result stored once is applied once and a replay (not inserted) changes nothing
  const inserted = await db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    const { inserted, newIds } = await insertResults(tx, results, certificates, reading.map((r) => r.id));
    const fresh = new Set(newIds);
    await storeNotices(tx, reading.filter((r) => fresh.has(r.id)), now);
    return inserted;
  });
  // only once committed: a certificate remembered from a rolled-back transaction would never be stored
  rememberCertificates(db, certificates.toStore);
  return inserted;
}

/** The insert itself; `watchIds` are results whose ids come back when they were new. */
async function insertResults(
  db: Database,
  results: readonly CheckResultType[],
  certificates: ReturnType<typeof certificateKeys>,
  watchIds: readonly string[],
): Promise<{ inserted: number; newIds: string[] }> {
  const rows = JSON.stringify(
    results.map((r, i) => ({
      id: r.id,
      component_id: r.componentId,
      check_id: r.checkId,
      region_id: r.regionId,
      // normalised to what the columns hold: UTC (timestamptz takes offsets only up to ±15:59) and
      // microseconds (a real cannot hold 1e-50), so every result the contract takes can be stored
      started_at: new Date(Date.parse(r.startedAt)).toISOString(),
      outcome: r.outcome,
      reason: r.reason ?? null,
      duration_ms: Math.round(r.durationMs * 1000) / 1000,
      http_status: r.httpStatus ?? null,
      phases_ms: r.phasesMs ? PHASE_ORDER.map((phase) => (r.phasesMs![phase] === undefined ? null : Math.round(r.phasesMs![phase]! * 1000) / 1000)) : null,
      certificate_sha256: certificates.keyOf[i] ?? null,
      message: r.message ?? null,
    })),
  );
  const [row] = rowsOf<{ inserted: number; new_ids: string[] | string }>(
    await db.execute(sql`
      with certificates_seen as (
        insert into certificates (sha256, certificate)
        select sha256, certificate from jsonb_to_recordset(${JSON.stringify(certificates.toStore)}::jsonb) as c(sha256 text, certificate jsonb)
        on conflict (sha256) do nothing
      ),
      inserted as (
        insert into check_results (id, component_id, check_id, region_id, started_at, outcome, reason, duration_ms, http_status, phases_ms, certificate_sha256, message)
        select * from jsonb_to_recordset(${rows}::jsonb) as r(
          id uuid, component_id text, check_id text, region_id text, started_at timestamptz, outcome text,
          reason text, duration_ms real, http_status integer, phases_ms real[], certificate_sha256 text, message text)
        on conflict (started_at, id) do nothing
        returning id, component_id, started_at
      ),
      marks as (
        -- the evaluator rebuilds the timeline and the latest results from each component's earliest new
        -- result and adds exactly the results named here to their hours: a replay stores and names nothing
        insert into evaluation_marks (component_id, from_at, with_results, new_started_at, new_ids)
        select component_id, min(started_at), true, array_agg(started_at), array_agg(id) from inserted group by component_id
      )
      select count(*)::int as inserted,
        coalesce((select jsonb_agg(id::text) from inserted where id::text in (select jsonb_array_elements_text(${JSON.stringify(watchIds)}::jsonb))), '[]'::jsonb) as new_ids
      from inserted`),
  );
  const newIds = typeof row?.new_ids === 'string' ? (JSON.parse(row.new_ids) as string[]) : (row?.new_ids ?? []);
  return { inserted: Number(row?.inserted ?? 0), newIds };
}

function judgeResult(result: CheckResultType, ctx: { regionId: string; known: Map<string, string[] | null>; retentionDays: number; now: Date }): string | undefined {
  if (result.regionId !== ctx.regionId) return `regionId "${result.regionId}" is not this probe's region "${ctx.regionId}"`;
  const key = `${result.componentId}/${result.checkId}`;
  if (!ctx.known.has(key)) return `unknown check "${result.checkId}" of component "${result.componentId}"`;
  const regions = ctx.known.get(key);
  if (regions && !regions.includes(ctx.regionId)) return `check "${key}" is not assigned to region "${ctx.regionId}"`;
  if (Date.parse(result.startedAt) - ctx.now.getTime() > MAX_CLOCK_SKEW_MS) {
    return `startedAt ${result.startedAt} is in the future; check the probe's clock`;
  }
  if (Date.parse(result.startedAt) < EARLIEST_START_MS) return `startedAt ${result.startedAt} is before the year 2000; check the probe's clock`;
  // its day is dropped or about to be: a timeline rebuilt from it would find the results around it gone
  if (Date.parse(result.startedAt) < retentionEdge(ctx.now, ctx.retentionDays).getTime()) {
    return `startedAt ${result.startedAt} is older than the ${ctx.retentionDays} days raw results are kept (retention.rawResultsDays); it cannot be stored`;
  }
  return undefined;
}

/** Checks and the retention change only when the config is synchronised; a few seconds of staleness costs nothing and saves queries per batch. */
const KNOWN_CHECKS_TTL_MS = 5_000;
type Known = { checks: Map<string, string[] | null>; retentionDays: number };
const knownChecksCache = new WeakMap<Database, { loadedAt: number; checks: Promise<Known> }>();

function loadKnownChecks(db: Database): Promise<Known> {
  const cached = knownChecksCache.get(db);
  if (cached && performance.now() - cached.loadedAt < KNOWN_CHECKS_TTL_MS) return cached.checks;
  const checks = queryKnownChecks(db);
  knownChecksCache.set(db, { loadedAt: performance.now(), checks });
  checks.catch(() => knownChecksCache.delete(db));
  return checks;
}

async function queryKnownChecks(db: Database): Promise<Known> {
  const retentionDays = await loadRetentionDays(db);
  const rows = await db
    .select({ componentId: tables.checks.componentId, checkId: tables.checks.checkId, regions: tables.checks.regions })
    .from(tables.checks)
    .where(isNull(tables.checks.retiredAt));
  return { checks: new Map(rows.map((r) => [`${r.componentId}/${r.checkId}`, r.regions ?? null])), retentionDays };
}
