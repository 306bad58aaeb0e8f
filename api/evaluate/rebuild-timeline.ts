import { isNull, sql } from 'drizzle-orm';
import { PHASE_ORDER, rowsOf, tables, watchInterrupt, type Database, type Interrupt } from '../../db/index.ts';
import { buildTimeline, type TimelineResult } from './build-timeline.ts';
import { applyTimelineWrites, planTimelineWrite, type TimelineWrite } from './write-timelines.ts';
import { quorumMinimum } from './evaluate-quorum.ts';
import { rollUpDays } from '../rollups/roll-up-days.ts';
import { rollUpHours } from '../rollups/roll-up-hours.ts';
import { claimMarks } from './claim-marks.ts';

/** Freshness: a result counts for two intervals plus the check's timeout, so one late run is not a gap. */
export function freshForMs(intervalSeconds: number, timeoutMs: number): number {
  return 2 * intervalSeconds * 1000 + timeoutMs;
}

type Mark = { componentId: string; from: Date };

/** Marks components for re-evaluation from `fromAt` (the evaluator takes each component's earliest mark). */
export async function markForEvaluation(db: Database, marks: readonly { componentId: string; fromAt: Date }[]): Promise<void> {
  if (marks.length === 0) return;
  const rows = JSON.stringify(marks.map((m) => ({ component_id: m.componentId, from_at: m.fromAt.toISOString() })));
  await db.execute(sql`insert into evaluation_marks (component_id, from_at) select component_id, from_at from jsonb_to_recordset(${rows}::jsonb) as m(component_id text, from_at timestamptz)`);
}

/**
 * Marks every live component from `since` on, so that results going stale turn
 * into `unknown` without any new result arriving. Called on a timer; `since`
 * reaches back past the previous call so no staleness instant is missed.
 */
export async function markAllLive(db: Database, since: Date): Promise<void> {
  const rows = await db.selectDistinct({ componentId: tables.checks.componentId }).from(tables.checks).where(isNull(tables.checks.retiredAt));
  await markForEvaluation(db, rows.map((r) => ({ componentId: r.componentId, fromAt: since })));
}

/**
 * Claims every mark of the components behind the `limit` oldest marks and
 * rewrites their state intervals from each one's earliest mark to `now` out of
 * the raw results (see buildTimeline), in one
 * transaction: marks are claimed with SKIP LOCKED so other processes take
 * other components, each component is locked while it is rewritten, and a
 * crash leaves the marks in place for the next round. Reads are batched (three
 * queries for the whole set) and only changed intervals are written. The
 * latest result per (component, check, region) and, for components with new
 * results, the hourly and daily rollups are made in the same round.
 * Returns how many marks were consumed. `interrupt` gives the round up (at
 * shutdown, when a backlog's round would outlast the deadline): it throws,
 * and its marks wait for the next round.
 */
export async function evaluatePending(db: Database, now: Date, { limit = 2000, interrupt }: { limit?: number; interrupt?: Interrupt } = {}): Promise<number> {
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    const watch = await watchInterrupt(tx, interrupt);
    try {
      return await evaluateClaimed(tx, now, limit, watch.check);
    } finally {
      await watch.release();
    }
  });
}

/** The body of evaluatePending's transaction; `check` throws once the round is given up. */
async function evaluateClaimed(tx: Database, now: Date, limit: number, check: () => void): Promise<number> {
  const claimed = await claimMarks(tx, limit);
  const consumed = claimed.reduce((n, m) => n + m.marks, 0);
  const earliest = new Map(claimed.map((m) => [m.componentId, minDate(m.from, now)]));
  const newResultsFrom = claimed.flatMap((m) => (m.resultsFrom === null ? [] : [{ componentId: m.componentId, from: m.resultsFrom }]));
  const recountFrom = claimed.flatMap((m) => (m.recountFrom === null ? [] : [{ componentId: m.componentId, from: m.recountFrom }]));
  const marks: Mark[] = [...earliest].map(([componentId, from]) => ({ componentId, from })).sort((a, b) => a.componentId.localeCompare(b.componentId));
  if (marks.length === 0) return consumed;
  check();
  // locks in a fixed order, so two evaluators never wait on each other in a cycle
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('state:' || id)) from jsonb_array_elements_text(${JSON.stringify(marks.map((m) => m.componentId))}::jsonb) as id`);

  const { freshness, minFreshRegions } = await loadFreshness(tx, marks.map((m) => m.componentId));
  const marksJson = JSON.stringify(
    marks.map((m) => ({ component_id: m.componentId, from_at: m.from.toISOString(), look_from: new Date(m.from.getTime() - maxOf(freshness.get(m.componentId))).toISOString() })),
  );
  const results = rowsOf<{ component_id: string; check_id: string; region_id: string; outcome: TimelineResult['outcome']; started_at: Date | string }>(
    await tx.execute(sql`
      select r.component_id, r.check_id, r.region_id, r.outcome, r.started_at
      from jsonb_to_recordset(${marksJson}::jsonb) as m(component_id text, from_at timestamptz, look_from timestamptz)
      join check_results r on r.component_id = m.component_id and r.started_at >= m.look_from and r.started_at <= ${now.toISOString()}::timestamptz
      -- the earliest look-back as a constant too, so only the days' partitions it reaches are read
      where r.started_at >= ${earliestLook(marks, freshness).toISOString()}::timestamptz`),
  );
  check();
  const stored = rowsOf<{ id: number; component_id: string; state: string; started_at: Date | string; ended_at: Date | string | null }>(
    await tx.execute(sql`
      select s.id, s.component_id, s.state, s.started_at, s.ended_at
      from jsonb_to_recordset(${marksJson}::jsonb) as m(component_id text, from_at timestamptz, look_from timestamptz)
      join state_intervals s on s.component_id = m.component_id and (s.ended_at is null or s.ended_at > m.from_at)
      order by s.started_at`),
  );

  check();
  await rollUpHours(tx, recountFrom);
  await rollUpDays(tx, newResultsFrom, now);
  check();
  await refreshLatestResults(tx, marksJson, { earliest: new Date(Math.min(...marks.map((m) => m.from.getTime()))), now });

  const resultsOf = groupBy(results, (r) => r.component_id);
  const storedOf = groupBy(stored, (s) => s.component_id);
  const writes: TimelineWrite[] = [];
  for (const mark of marks) {
    const fresh = freshness.get(mark.componentId);
    if (!fresh || fresh.size === 0) continue;
    const wanted = buildTimeline({
      results: (resultsOf.get(mark.componentId) ?? []).map((r) => ({ checkId: r.check_id, regionId: r.region_id, outcome: r.outcome, startedAt: new Date(r.started_at) })),
      freshForMs: fresh,
      from: mark.from,
      until: now,
      minFreshRegions: minFreshRegions.get(mark.componentId) ?? 1,
    });
    const current = (storedOf.get(mark.componentId) ?? []).map((s) => ({
      id: s.id,
      componentId: s.component_id,
      state: s.state,
      startedAt: new Date(s.started_at),
      endedAt: s.ended_at === null ? null : new Date(s.ended_at),
    }));
    const write = planTimelineWrite({ componentId: mark.componentId, from: mark.from, wanted, stored: current });
    if (write) writes.push(write);
  }
  check();
  await applyTimelineWrites(tx, writes);
  return consumed;
}

/** A raw result's phase timings (an array in `PHASE_ORDER`) as the JSON object latest results keep, without the phases it lacks. */
const PHASES_AS_JSON = sql.raw(
  `case when r.phases_ms is null then null else jsonb_strip_nulls(jsonb_build_object(${PHASE_ORDER.map((phase, i) => `'${phase}', r.phases_ms[${i + 1}]`).join(', ')})) end`,
);

/**
 * Keeps the newest result per (component, check, region) from the results
 * since each mark; an older replayed result never overwrites a newer one.
 */
async function refreshLatestResults(db: Database, marksJson: string, { earliest, now }: { earliest: Date; now: Date }): Promise<void> {
  await db.execute(sql`
    insert into latest_results (component_id, check_id, region_id, result_id, started_at, outcome, reason, message, duration_ms, http_status, phases_ms, cert_not_after)
    select distinct on (r.component_id, r.check_id, r.region_id)
      r.component_id, r.check_id, r.region_id, r.id, r.started_at, r.outcome, r.reason, r.message, r.duration_ms, r.http_status,
      ${PHASES_AS_JSON}, (select (c.certificate ->> 'notAfter')::timestamptz from certificates c where c.sha256 = r.certificate_sha256)
    from jsonb_to_recordset(${marksJson}::jsonb) as m(component_id text, from_at timestamptz, look_from timestamptz)
    join check_results r on r.component_id = m.component_id and r.started_at >= m.from_at and r.started_at <= ${now.toISOString()}::timestamptz
    where r.started_at >= ${earliest.toISOString()}::timestamptz
    order by r.component_id, r.check_id, r.region_id, r.started_at desc
    on conflict (component_id, check_id, region_id) do update set
      result_id = excluded.result_id, started_at = excluded.started_at, outcome = excluded.outcome, reason = excluded.reason,
      message = excluded.message, duration_ms = excluded.duration_ms, http_status = excluded.http_status,
      phases_ms = excluded.phases_ms, cert_not_after = excluded.cert_not_after
    where excluded.started_at > latest_results.started_at`);
}

/**
 * Freshness per live check, per component, and each component's quorum
 * minimum: its configured one or a majority of the live regions that run its
 * checks, capped at those regions (see quorumMinimum).
 */
async function loadFreshness(db: Database, componentIds: string[]): Promise<{ freshness: Map<string, Map<string, number>>; minFreshRegions: Map<string, number> }> {
  const ids = sql`(select jsonb_array_elements_text(${JSON.stringify(componentIds)}::jsonb))`;
  // one after another: inside a transaction the three share one connection
  const rows = await db
    // the timeout alone, not the check's whole spec: parsing a thousand specs a round showed in profiles
    .select({ componentId: tables.checks.componentId, checkId: tables.checks.checkId, intervalSeconds: tables.checks.intervalSeconds, timeoutMs: sql<number | null>`(${tables.checks.spec} ->> 'timeoutMs')::int`, regions: tables.checks.regions })
    .from(tables.checks)
    .where(sql`${tables.checks.componentId} in ${ids} and ${tables.checks.retiredAt} is null`);
  const configured = await db.select({ id: tables.components.id, minFreshRegions: tables.components.minFreshRegions }).from(tables.components).where(sql`${tables.components.id} in ${ids}`);
  const liveRegions = await db.select({ id: tables.regions.id }).from(tables.regions).where(isNull(tables.regions.retiredAt));
  const allRegions = liveRegions.map((r) => r.id);
  const freshness = new Map<string, Map<string, number>>();
  const running = new Map<string, Set<string>>();
  for (const row of rows) {
    const checks = freshness.get(row.componentId) ?? new Map<string, number>();
    checks.set(row.checkId, freshForMs(row.intervalSeconds, Number(row.timeoutMs ?? 10_000)));
    freshness.set(row.componentId, checks);
    const regions = running.get(row.componentId) ?? new Set<string>();
    for (const region of row.regions ?? allRegions) if (allRegions.includes(region)) regions.add(region);
    running.set(row.componentId, regions);
  }
  const minFreshRegions = new Map(configured.map((c) => [c.id, quorumMinimum({ regions: running.get(c.id)?.size ?? 0, configured: c.minFreshRegions })]));
  return { freshness, minFreshRegions };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const maxOf = (freshness: Map<string, number> | undefined) => Math.max(0, ...(freshness?.values() ?? []));
const minDate = (a: Date, b: Date) => (a < b ? a : b);


/** The earliest instant any of `marks` looks back to. */
function earliestLook(marks: readonly Mark[], freshness: Map<string, Map<string, number>>): Date {
  return new Date(Math.min(...marks.map((m) => m.from.getTime() - maxOf(freshness.get(m.componentId)))));
}
