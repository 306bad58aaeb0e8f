import { and, eq, isNull, sql } from 'drizzle-orm';
import { tables, type Database } from '../../db/index.ts';
import { evaluateQuorum, worstOutcome, type ComponentState, type QuorumVerdict, type RegionReading } from './evaluate-quorum.ts';

/** Freshness: a result counts for two intervals plus the check's timeout, so one late run is not a gap. */
export function freshForMs(intervalSeconds: number, timeoutMs: number): number {
  return 2 * intervalSeconds * 1000 + timeoutMs;
}

/** The per-region readings of a component from its latest result per (check, region). */
export async function loadRegionReadings(db: Database, componentId: string): Promise<RegionReading[]> {
  const checkRows = await db
    .select({ checkId: tables.checks.checkId, intervalSeconds: tables.checks.intervalSeconds, spec: tables.checks.spec })
    .from(tables.checks)
    .where(and(eq(tables.checks.componentId, componentId), isNull(tables.checks.retiredAt)));
  const freshness = new Map(checkRows.map((c) => [c.checkId, freshForMs(c.intervalSeconds, Number((c.spec as { timeoutMs?: number }).timeoutMs ?? 10_000))]));
  const latest = await db
    .select()
    .from(tables.latestResults)
    .where(eq(tables.latestResults.componentId, componentId));
  const byRegion = new Map<string, RegionReading>();
  for (const row of latest) {
    const fresh = freshness.get(row.checkId);
    if (fresh === undefined) continue; // a retired check no longer speaks for the component
    const observedAt = row.startedAt;
    const prior = byRegion.get(row.regionId);
    byRegion.set(row.regionId, {
      regionId: row.regionId,
      outcome: prior ? worstOutcome(prior.outcome, row.outcome) : row.outcome,
      observedAt: prior && prior.observedAt < observedAt ? prior.observedAt : observedAt,
      freshForMs: Math.min(prior?.freshForMs ?? Infinity, fresh),
    });
  }
  return [...byRegion.values()];
}

/**
 * Re-evaluates a component at `now` and records a new state interval when the
 * state changed. Serialised per component with a transaction-scoped advisory
 * lock, so concurrent ingests never leave two open intervals.
 */
export async function refreshComponentState(db: Database, componentId: string, now: Date): Promise<QuorumVerdict> {
  const verdict = evaluateQuorum(await loadRegionReadings(db, componentId), now);
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`state:${componentId}`}))`);
    const [open] = await tx
      .select()
      .from(tables.stateIntervals)
      .where(and(eq(tables.stateIntervals.componentId, componentId), isNull(tables.stateIntervals.endedAt)));
    if (open?.state === verdict.state) return;
    // intervals are half-open [start, end): the old one ends exactly where the new one starts,
    // dated by the evidence but never before the open interval began nor after now
    const evidence = verdict.evidenceAt && verdict.evidenceAt < now ? verdict.evidenceAt : now;
    const at = open && open.startedAt > evidence ? open.startedAt : evidence;
    if (open) await tx.update(tables.stateIntervals).set({ endedAt: at }).where(eq(tables.stateIntervals.id, open.id));
    await tx.insert(tables.stateIntervals).values({ componentId, state: verdict.state, startedAt: at });
  });
  return verdict;
}

export type { ComponentState };
