import { and, asc, eq, gte, isNull, lte, or, gt, sql } from 'drizzle-orm';
import { rowsOf, tables, type Database } from '../../db/index.ts';
import { buildTimeline } from './build-timeline.ts';

/** Freshness: a result counts for two intervals plus the check's timeout, so one late run is not a gap. */
export function freshForMs(intervalSeconds: number, timeoutMs: number): number {
  return 2 * intervalSeconds * 1000 + timeoutMs;
}

/** Freshness per live check of a component. */
export async function loadFreshness(db: Database, componentId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ checkId: tables.checks.checkId, intervalSeconds: tables.checks.intervalSeconds, spec: tables.checks.spec })
    .from(tables.checks)
    .where(and(eq(tables.checks.componentId, componentId), isNull(tables.checks.retiredAt)));
  return new Map(rows.map((c) => [c.checkId, freshForMs(c.intervalSeconds, Number((c.spec as { timeoutMs?: number }).timeoutMs ?? 10_000))]));
}

/**
 * Rewrites a component's state intervals from `from` to `now` out of its raw
 * results (see buildTimeline). Earlier intervals are kept; the one spanning
 * `from` is cut there, or continued when the state did not change. Nothing is
 * written when the stored timeline already says the same.
 */
export async function rebuildTimeline(db: Database, args: { componentId: string; from: Date; now: Date }): Promise<void> {
  const freshness = await loadFreshness(db, args.componentId);
  if (freshness.size === 0) return;
  const lookBehindMs = Math.max(...freshness.values());
  const r = tables.checkResults;
  const results = await db
    .select({ checkId: r.checkId, regionId: r.regionId, outcome: r.outcome, startedAt: r.startedAt })
    .from(r)
    .where(and(eq(r.componentId, args.componentId), gte(r.startedAt, new Date(args.from.getTime() - lookBehindMs)), lte(r.startedAt, args.now)));
  const wanted = buildTimeline({ results, freshForMs: freshness, from: args.from, until: args.now });
  if (wanted.length === 0) return;

  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`state:${args.componentId}`}))`);
    const s = tables.stateIntervals;
    const stored = await tx
      .select()
      .from(s)
      .where(and(eq(s.componentId, args.componentId), or(isNull(s.endedAt), gt(s.endedAt, args.from))))
      .orderBy(asc(s.startedAt));
    const before = stored.find((i) => i.startedAt < args.from);
    // the first wanted interval continues the one before `from` when the state is the same
    const continued = before !== undefined && before.state === wanted[0]!.state;
    const added = (continued ? wanted.slice(1) : wanted).map((interval, i, all) => ({
      state: interval.state,
      startedAt: interval.startedAt,
      endedAt: all[i + 1]?.startedAt ?? null,
    }));
    const beforeEnd = continued ? (added[0]?.startedAt ?? null) : args.from;
    const unchanged = (!before || sameInstant(before.endedAt, beforeEnd)) && sameRows(stored.filter((i) => i.startedAt >= args.from), added);
    if (unchanged) return;

    await tx.delete(s).where(and(eq(s.componentId, args.componentId), gte(s.startedAt, args.from)));
    if (before) await tx.update(s).set({ endedAt: beforeEnd }).where(eq(s.id, before.id));
    if (added.length > 0) await tx.insert(s).values(added.map((row) => ({ componentId: args.componentId, ...row })));
  });
}

type Row = { state: string; startedAt: Date; endedAt: Date | null };

function sameInstant(a: Date | null, b: Date | null): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

function sameRows(stored: readonly Row[], wanted: readonly Row[]): boolean {
  return (
    stored.length === wanted.length &&
    stored.every((row, i) => row.state === wanted[i]!.state && sameInstant(row.startedAt, wanted[i]!.startedAt) && sameInstant(row.endedAt, wanted[i]!.endedAt))
  );
}

/** Marks components for re-evaluation from `fromAt` (keeping the earliest mark). */
export async function markForEvaluation(db: Database, marks: readonly { componentId: string; fromAt: Date }[]): Promise<void> {
  if (marks.length === 0) return;
  const m = tables.evaluationMarks;
  await db
    .insert(m)
    .values([...marks])
    .onConflictDoUpdate({ target: m.componentId, set: { fromAt: sql`least(${m.fromAt}, excluded.from_at)` } });
}

/** Claims up to `limit` marked components and rebuilds their timelines up to `now`; returns how many. */
export async function evaluatePending(db: Database, now: Date, limit = 500): Promise<number> {
  const claimed = rowsOf<{ component_id: string; from_at: Date | string }>(
    await db.execute(sql`
      delete from evaluation_marks where component_id in (
        select component_id from evaluation_marks order by from_at limit ${limit} for update skip locked
      ) returning component_id, from_at`),
  );
  for (const mark of claimed) {
    const from = new Date(mark.from_at);
    await rebuildTimeline(db, { componentId: mark.component_id, from: from < now ? from : now, now });
  }
  return claimed.length;
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
